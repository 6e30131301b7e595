"""The body's first paragraph written as loose text before the first <p> (`extract.lead`)."""

from __future__ import annotations

import pytest
from lxml.html import document_fromstring

from monitor.extract.extraction import extract_article
from monitor.extract.lead import loose_lead
from monitor.extract.standfirst import Shown

LEAD = (
    "WASHINGTON -- The agency's plan to double the number of launches this year has stoked"
    " concern among independent experts about the ageing fleet."
)
PARAGRAPHS = [
    f"Paragraph {n}: the agency has scheduled six launches this year, twice the number of"
    " flights it managed in each of the past two years, its officials said on Monday."
    for n in range(1, 6)
]


def page(story: str) -> str:
    return (
        "<html><body><div id='nav'><a href='/'>Home</a> <a href='/news'>News</a></div>"
        f"<div class='articleBody'>{story}</div><div id='footer'>Copyright 2008</div>"
        "</body></html>"
    )


def paragraphs() -> str:
    return "".join(f"<p>{text}</p>" for text in PARAGRAPHS)


@pytest.mark.parametrize(
    "story",
    [
        # the tail of an empty marker element, then the paragraphs (contracostatimes.com, 2008)
        f"<span class='marker'></span>{LEAD}" + paragraphs(),
        # the container's own text, after a picture
        f"<img src='shuttle.jpg'>{LEAD}" + paragraphs(),
        # paragraphs between <br>s, the first with a word in italics and after a comment
        "<!-- ad section -->"
        + LEAD.replace("agency's", "<em>agency's</em>")
        + "".join(f"<br><br>{text}" for text in PARAGRAPHS),
    ],
)
def test_loose_first_paragraph_is_found(story: str) -> None:
    tree = document_fromstring(page(story))
    assert loose_lead(tree, PARAGRAPHS) == Shown(LEAD, 0)


@pytest.mark.parametrize(
    "story",
    [
        # the first paragraph in a <p> of its own: nothing loose
        f"<p>{LEAD}</p>" + paragraphs(),
        # a caption in a block of its own before the body
        f"<div class='caption'>{LEAD}</div>" + paragraphs(),
        # a line of links
        "<a href='/a'>Launch schedule slips again</a> <a href='/b'>Experts fear trouble for"
        " the fleet and the station.</a>" + paragraphs(),
        # a date stamp, no sentence
        "Article Launched: 01/06/2008 03:15:25 AM PST by the Washington Post" + paragraphs(),
    ],
)
def test_other_text_before_the_body_is_not_a_lead(story: str) -> None:
    tree = document_fromstring(page(story))
    assert loose_lead(tree, PARAGRAPHS) is None


def test_a_lead_the_body_has_is_not_added_again() -> None:
    tree = document_fromstring(page(f"<span></span>{LEAD}" + paragraphs()))
    assert loose_lead(tree, [LEAD, *PARAGRAPHS]) is None


def test_extraction_keeps_the_loose_first_paragraph() -> None:
    # an empty picture viewer and scripts before the loose paragraph, unclosed <p>s after it
    # (contracostatimes.com, 2008): trafilatura's body began with the second paragraph
    html = page(
        "<div class='viewer'><script>var w = 0;</script><span class='box'></span></div>"
        f"<script>if (w) {{}}</script><span class='marker'></span>{LEAD}"
        + "".join(f"<p> {text}" for text in PARAGRAPHS)
    )
    body = extract_article(html.encode(), url="https://news.example/2008/01/launches").body
    assert body.split("\n")[0] == LEAD
    assert body.count(LEAD) == 1
