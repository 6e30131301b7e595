"""The standfirst a page shows before the body's first paragraph (`extract.standfirst`)."""

from __future__ import annotations

import pytest
from lxml.html import document_fromstring

from monitor.demo import specials as S
from monitor.extract.extraction import extract_article
from monitor.extract.standfirst import Shown, shown_standfirst

DEK = "Engineers found corrosion on four bearings, and the city will pay for the repairs."
FIRST = "The Tamsin River road bridge will reopen to traffic on Thursday morning, the city said."
SECOND = "The crossing carries about 18,000 vehicles a day between the harbour and the north."
BODY = f"<div class='story-body'><p>{FIRST}</p><p>{SECOND}</p></div>"


def page(head: str, article: str, elsewhere: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><div class='rail'>{elsewhere}</div>"
        "<main><div class='page'><div class='grid'><div class='column'><article>"
        f"<header><h1>Bridge reopens</h1>{article}</header>{BODY}</article>"
        "</div></div></div></main></body></html>"
    )


def og(description: str) -> str:
    return f'<meta property="og:description" content="{description}">'


TAGLINE = "Innovative ideas for libraries, free content and interesting finds from the web"


def blog(identity: str, head: str = og(TAGLINE)) -> str:
    """A blog page whose site header (logo and tagline) sits a few levels above the post."""
    return (
        f"<html><head>{head}</head><body><div class='container'><header class='row'>"
        f"<div class='span12'><div class='identity'>{identity}</div></div></header>"
        f"<div class='row'><div class='span8'><h1>Bridge reopens</h1>{BODY}</div></div>"
        "</div></body></html>"
    )


LOGO = "<a href='https://blog.example/' class='logo'><img src='logo.png'></a>"
TAGLINES = [  # the site's tagline beside its logo is no standfirst
    # (what, page, the standfirst found)
    ("a tagline beside a logo linking home", blog(f"{LOGO}<p>{TAGLINE}</p>"), None),
    (
        "beside the site's title linking home (rel=home)",
        blog(f"<p class='site-title'><a href='/' rel='home'>Blog</a></p><p>{TAGLINE}</p>"),
        None,
    ),
    (
        "named a description beside the logo",
        blog(f"{LOGO}<p class='site-description'>{TAGLINE}.</p>", head=""),
        None,
    ),
    # breadcrumbs link home with words, not a logo: the dek beside them stays
    (
        "a dek beside breadcrumbs",
        page(
            "",
            f"<nav><a href='/'>Home</a> › <a href='/city'>City</a></nav><p class='dek'>{DEK}</p>",
        ),
        DEK,
    ),
    # the logo of another site (a partner's) is no link home
    (
        "a dek beside a partner's logo",
        page(
            "", f"<a href='https://partner.example/x'><img src='p.png'></a><p class='dek'>{DEK}</p>"
        ),
        DEK,
    ),
]


CASES = [
    # (what, page, the standfirst found)
    ("a block named for a standfirst", page("", f"<p class='standfirst'>{DEK}</p>"), DEK),
    ("named by its parent", page("", f"<div class='article__dek'><p>{DEK}</p></div>"), DEK),
    ("a camel-case name", page("", f"<p class='articleLead'>{DEK}</p>"), DEK),
    ("the declared summary's block", page(og(DEK), f"<p>{DEK}</p>"), DEK),
    ("a summary the metadata cut short", page(og(DEK[:60] + "…"), f"<div>{DEK}</div>"), DEK),
    ("no standfirst", page(og(DEK), "<p class='kicker'>Transport</p>"), None),
    (
        "a named block that is not a sentence (date and share line)",
        page("", "<div class='story-lead'>4 November 2026 07:30 Share on Facebook or X</div>"),
        None,
    ),
    (
        "a promotion box",
        page("", f"<aside><p class='intro'>{DEK}</p></aside>"),
        None,
    ),
    (
        "a teaser inside a link",
        page("", f"<a href='/other'><p class='teaser'>{DEK}</p></a>"),
        None,
    ),
    (
        "far from the article (another part of the page)",
        page(og(DEK), "", elsewhere=f"<p class='summary'>{DEK}</p>"),
        None,
    ),
    (
        "a figure's caption and credit, the declared summary",
        page(
            og(DEK),
            f"<div class='Figure-content'><div class='Figure-caption'>{DEK}</div>"
            "<div class='Figure-credit'>(Jane Roe / Associated Press)</div></div>",
        ),
        None,
    ),
    (
        "a lead box around a picture and its caption",
        page(
            "",
            "<div class='ArticlePage-lead'><figure><img src='a.jpg'><div class='Figure-content'>"
            f"<div class='Figure-caption'>{DEK}</div></div></figure></div>",
        ),
        None,
    ),
    (
        "a date stamp in a lead box",
        page("", "<p class='lead'>Nov. 20, 2019 Updated: Nov. 20, 2019 1:35 a.m.</p>"),
        None,
    ),
    ("the headline itself", page(og("Bridge reopens now and for good"), ""), None),
    *TAGLINES,
]


def grid(head: str, header: str, depth: int) -> str:
    """A theme that puts the article's header and its text in separate rows of a grid: the
    block in the header and the body's first paragraph share the grid, `depth` + 3 levels above
    that paragraph."""
    return (
        f"<html><head>{head}</head><body><div class='container'><div class='row'>"
        f"<div class='col'><header><h1>Bridge reopens</h1>{header}</header></div></div>"
        f"<div class='row'><div class='col'>{'<div>' * depth}{BODY}{'</div>' * depth}"
        "</div></div></div></body></html>"
    )


CASES += [
    # the declared summary is the standfirst up to MAX_DECLARED_LEVELS (8) levels away, a block
    # only named one up to MAX_LEVELS (6): a teaser rail is named so too
    (
        "the declared summary in a grid's header row (7 levels)",
        grid(og(DEK), f"<p>{DEK}</p>", 4),
        DEK,
    ),
    ("a block only named one, 7 levels away", grid("", f"<p class='teaser'>{DEK}</p>", 4), None),
    ("the declared summary 8 levels away", grid(og(DEK), f"<p>{DEK}</p>", 5), None),
]


@pytest.mark.parametrize(("what", "html", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_standfirst_shown_before_the_first_paragraph(
    what: str, html: str, expected: str | None
) -> None:
    found = shown_standfirst(document_fromstring(html), [FIRST, SECOND], "Bridge reopens")
    assert found == (Shown(expected, 0) if expected else None), what


def test_a_standfirst_the_body_has_already_is_not_added_again() -> None:
    tree = document_fromstring(page("", f"<p class='standfirst'>{DEK}</p>"))
    assert shown_standfirst(tree, [DEK, FIRST, SECOND]) is None


def test_it_goes_before_the_first_paragraph_after_a_photo_credit() -> None:
    tree = document_fromstring(page("", f"<p class='standfirst'>{DEK}</p>"))
    assert shown_standfirst(tree, ["Photo: Jane Roe", FIRST, SECOND]) == Shown(DEK, 1)


def test_extraction_puts_the_standfirst_first_in_the_body_with_its_role() -> None:
    # the demo's A/B story: trafilatura leaves its standfirst (in the story's header) out
    headline, standfirst = S.AB_WORDINGS[0]
    article = extract_article(S._render_ab(1, 0, "http://127.0.0.1"))
    lines = article.body.split("\n")
    assert article.title == headline
    assert lines[0] == standfirst and lines[1].startswith("The Tamsin River road bridge")
    assert article.roles[0] == "standfirst" and set(article.roles[1:]) == {"prose"}
