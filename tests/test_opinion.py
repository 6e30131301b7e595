"""monitor.extract.opinion: the second extraction opinion (JSON-LD articleBody, a second
extractor) and its merge with trafilatura's paragraphs; an edit found only in a paragraph the
second opinion added is reported with that reason.

Pages are written for these tests (no third-party article text in the repository).
"""

from __future__ import annotations

import json

import pytest
from lxml.html import document_fromstring

from monitor.compare.comparison import compare
from monitor.extract import opinion
from monitor.extract.article import SECOND_OPINION_ROLES
from monitor.extract.extraction import extract_article
from tests.test_extract import ARTICLE_SENTENCES, news_page

PARAGRAPHS = [
    "The council voted on Tuesday to close the old harbour bridge to heavy traffic for a year.",
    "Engineers found deep cracks in two of the piers that hold up the middle of the bridge.",
    "Hauliers said the detour through the ring road would add forty minutes to every journey.",
]
# A paragraph trafilatura leaves out on the pages below (it sits in a box named "widget").
DROPPED = (
    "Councillor Ruth Abernathy told the meeting that the harbour bridge had been neglected for a "
    "decade and that residents deserved a full public inquiry into the repairs."
)


def ld_page(payload: object, visible: list[str] = PARAGRAPHS) -> str:
    script = json.dumps(payload) if not isinstance(payload, str) else payload
    body = "".join(f"<p>{p}</p>" for p in visible)
    return (
        f'<html><head><script type="application/ld+json">{script}</script></head>'
        f"<body><article>{body}</article></body></html>"
    )


def article_body_of(page: str) -> list[str]:
    return opinion.json_ld_lines(document_fromstring(page))


FULL = "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("case", "payload", "expected"),
    [
        ("no JSON-LD at all", {"@type": "WebPage", "name": "Home"}, []),
        ("articleBody missing", {"@type": "NewsArticle", "headline": "Bridge"}, []),
        ("plain object", {"@type": "NewsArticle", "articleBody": FULL}, PARAGRAPHS),
        (
            "list of objects",
            [{"@type": "BreadcrumbList"}, {"@type": "NewsArticle", "articleBody": FULL}],
            PARAGRAPHS,
        ),
        (
            "@graph",
            {
                "@context": "https://schema.org",
                "@graph": [{"@type": "Article", "articleBody": FULL}],
            },
            PARAGRAPHS,
        ),
        (
            "escaped HTML",
            {
                "@type": "NewsArticle",
                "articleBody": "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAGRAPHS),
            },
            PARAGRAPHS,
        ),
        (
            "HTML markup",
            {"@type": "NewsArticle", "articleBody": "<br>".join(PARAGRAPHS)},
            PARAGRAPHS,
        ),
        ("one unbroken blob: nothing to place", {"articleBody": " ".join(PARAGRAPHS)}, []),
        ("a teaser: one paragraph cut short", {"articleBody": PARAGRAPHS[0][:50] + "…"}, []),
        ("not JSON", "{'articleBody': oops", []),
        ("articleBody not a string", {"articleBody": {"text": FULL}}, []),
        ("list of strings", {"articleBody": PARAGRAPHS}, PARAGRAPHS),
    ],
)
def test_json_ld_article_body_variants(case: str, payload: object, expected: list[str]) -> None:
    assert article_body_of(ld_page(payload)) == expected, case


def test_the_longest_article_body_of_a_page_is_read() -> None:
    page = ld_page([{"articleBody": "Short.\nTeaser."}, {"articleBody": FULL}])
    assert article_body_of(page) == PARAGRAPHS


def test_a_huge_article_body_is_cut_at_its_bound() -> None:
    line = "A sentence of the very long article that keeps going on and on. "
    huge = "\n".join([line] * (opinion.MAX_ARTICLE_BODY_CHARS // len(line) * 2))
    lines = article_body_of(ld_page({"articleBody": huge}))
    assert 0 < sum(map(len, lines)) <= opinion.MAX_ARTICLE_BODY_CHARS
    assert len(lines) <= opinion.MAX_OPINION_LINES


def test_a_huge_json_ld_script_is_not_parsed() -> None:
    payload = {"articleBody": FULL, "pad": "x" * opinion.MAX_JSON_LD_CHARS}
    assert article_body_of(ld_page(payload)) == []


# ------------------------------------------------------------------ merge

BODY = ["Lead paragraph about the bridge, long enough to be prose.", *PARAGRAPHS]


@pytest.mark.parametrize(
    ("case", "opinion_lines", "expected"),
    [
        (
            "a missing prose paragraph is placed between its neighbours",
            [BODY[0], PARAGRAPHS[0], DROPPED, PARAGRAPHS[1], PARAGRAPHS[2]],
            [BODY[0], PARAGRAPHS[0], DROPPED, PARAGRAPHS[1], PARAGRAPHS[2]],
        ),
        (
            "a short line is not prose: not added",
            [BODY[0], PARAGRAPHS[0], "Share this story", PARAGRAPHS[1]],
            BODY,
        ),
        (
            "after the last shared paragraph (the edge, boilerplate's place): not added",
            [*BODY, DROPPED],
            BODY,
        ),
        (
            "before the first shared paragraph: not added",
            [DROPPED, *BODY],
            BODY,
        ),
        (
            "a teaser cut short repeats what the body has: nothing added",
            [BODY[0], PARAGRAPHS[0][:40] + "…", PARAGRAPHS[1]],
            BODY,
        ),
        (
            "a paragraph written slightly differently is the same paragraph",
            [BODY[0], PARAGRAPHS[0].replace("Tuesday", "Tuesday night"), DROPPED, PARAGRAPHS[1]],
            [BODY[0], PARAGRAPHS[0], DROPPED, PARAGRAPHS[1], PARAGRAPHS[2]],
        ),
        (
            "an opinion sharing one paragraph with the body is reading another part of the page",
            [
                PARAGRAPHS[0],
                DROPPED,
                "Another unrelated paragraph that is long enough to be prose.",
            ],
            BODY,
        ),
    ],
)
def test_merge(case: str, opinion_lines: list[str], expected: list[str]) -> None:
    merged = opinion.merge(BODY, opinion_lines, opinion.SECOND_EXTRACTOR)
    assert merged.lines == expected, case
    assert [s for s in merged.sources if s] == [opinion.SECOND_EXTRACTOR] * (
        len(expected) - len(BODY)
    )


def test_merge_adds_at_most_its_share_of_the_body() -> None:
    many = [f"{DROPPED} Number {n} of many paragraphs the body lacks." for n in range(20)]
    merged = opinion.merge(BODY, [BODY[0], *many, PARAGRAPHS[0]], opinion.SECOND_EXTRACTOR)
    added = sum(len(line) for line, s in zip(merged.lines, merged.sources, strict=True) if s)
    assert 0 < added <= max(opinion.MAX_ADDED_SHARE * sum(map(len, BODY)), opinion.MIN_ADDED_BUDGET)


@pytest.mark.parametrize(
    ("case", "box"),
    [
        ("a paragraph of its own", "<p>{}</p>"),
        ("not on the page at all", ""),
        ("in a caption", "<figure><figcaption>{}</figcaption></figure>"),
        ("in a box named for promotions", '<div class="PromoSmall"><div>{}</div></div>'),
        ("joined from two elements", "<p>{}<span> And more.</span></p>"),
        # revision 12: boxes beside the article's text, and bare wrappers above them
        ("in an author's bio", '<div class="short-bio"><p>{}</p></div>'),
        ("in a testimonial", '<div class="testimonial-text">{}</div>'),
        ("in an embed's placeholder", '<div class="embed--placeholder"><div>{}</div></div>'),
        ("in a call to action", '<div class="wprm-call-to-action"><span>{}</span></div>'),
        ("in a slideshow", '<div class="swiper-slide"><p>{}</p></div>'),
        ("wrapped above a bio", '<div><div><div class="author-text"><p>{}</p></div></div></div>'),
        ("wrapped above a caption", '<div class="wrap"><figure><p>{}</p></figure></div>'),
        ("a paragraph of its own", '<div class="text"><div><p>{}</p></div></div>'),
        # a topic is no box: a post's tag or category class, a subject (review of revision 12)
        ("a paragraph of its own", '<div class="post tag-landslide"><p>{}</p></div>'),
        ("a paragraph of its own", '<div class="post category-bio"><p>{}</p></div>'),
        ("a paragraph of its own", '<div class="post tag-whatsapp-messenger"><p>{}</p></div>'),
        ("a paragraph of its own", '<div class="article-body bio-science"><p>{}</p></div>'),
        ("in an author's bio", '<div class="post tag-landslide"><div class="bio">{}</div></div>'),
        # an animation's class (WOW.js, animate.css) is no slideshow
        ("a paragraph of its own", '<div class="wow slideInUp"><p>{}</p></div>'),
        ("a paragraph of its own", '<div class="text slide-in"><div><p>{}</p></div></div>'),
        ("in a slideshow", '<div class="slide-inner"><p>{}</p></div>'),
    ],
)
def test_a_paragraph_is_added_only_where_the_page_writes_it_as_a_block(case: str, box: str) -> None:
    page = document_fromstring(
        "<html><body><article>"
        + "".join(f"<p>{line}</p>" for line in BODY)
        + box.format(DROPPED)
        + "</article></body></html>"
    )
    merged = opinion.merge(
        BODY,
        [BODY[0], DROPPED, PARAGRAPHS[0]],
        opinion.JSON_LD,
        lambda: opinion.page_paragraphs(page),
    )
    assert (DROPPED in merged.lines) == (case == "a paragraph of its own"), case


# ------------------------------------------------------------------ real extraction


def dropped_page(dropped: str = DROPPED, json_ld: bool = False) -> str:
    """The test page of test_extract with one more paragraph, in a box trafilatura prunes."""
    box = f'<div class="widget"><p>{dropped}</p></div>'
    page = news_page()
    anchor = f"<p>{ARTICLE_SENTENCES[1]}</p>"
    assert anchor in page
    page = page.replace(anchor, anchor + box)
    if json_ld:
        full = [*ARTICLE_SENTENCES[:2], dropped, *ARTICLE_SENTENCES[2:]]
        script = json.dumps({"@type": "NewsArticle", "articleBody": "\n\n".join(full)})
        page = page.replace(
            "</head>", f'<script type="application/ld+json">{script}</script></head>'
        )
    return page


@pytest.mark.parametrize("json_ld", [False, True])
def test_a_paragraph_trafilatura_drops_is_in_the_body_marked_as_the_second_opinion(
    json_ld: bool,
) -> None:
    import trafilatura

    page = dropped_page(json_ld=json_ld)
    assert "Abernathy" not in (trafilatura.extract(page) or "")  # the premise: trafilatura drops it
    article = extract_article(page)
    lines = article.body.split("\n")
    assert DROPPED in lines
    assert lines.index(DROPPED) == lines.index(ARTICLE_SENTENCES[1]) + 1
    role = article.roles[lines.index(DROPPED)]
    assert role == ("json_ld" if json_ld else "second_extractor")
    assert [r for r in article.roles if r in SECOND_OPINION_ROLES] == [role]


@pytest.mark.parametrize("json_ld", [False, True])
def test_an_edit_in_a_paragraph_trafilatura_drops_is_reported_with_the_second_opinion_reason(
    json_ld: bool,
) -> None:
    edited = DROPPED.replace("Ruth Abernathy", "Ruth Abernethy")
    old = extract_article(dropped_page(json_ld=json_ld))
    new = extract_article(dropped_page(edited, json_ld=json_ld))
    edits = [e for e in compare(old, new) if e.significant]
    assert [e.kind for e in edits] == ["name"]
    source = "JSON-LD articleBody" if json_ld else "second extractor"
    assert any(
        reason.startswith("second opinion:") and source in reason for reason in edits[0].reasons
    )


def test_a_teaser_article_body_adds_nothing_to_the_body() -> None:
    teaser = "\n\n".join([ARTICLE_SENTENCES[0], ARTICLE_SENTENCES[1][:60] + "…"])
    script = json.dumps({"@type": "NewsArticle", "articleBody": teaser})
    page = news_page(head_extra=f'<script type="application/ld+json">{script}</script>')
    article = extract_article(page)
    assert article.body.split("\n") == ARTICLE_SENTENCES
    assert not set(article.roles) & SECOND_OPINION_ROLES


def test_a_page_trafilatura_reads_whole_gets_nothing_from_the_second_opinion() -> None:
    article = extract_article(news_page())
    assert article.body.split("\n") == ARTICLE_SENTENCES
    assert not set(article.roles) & SECOND_OPINION_ROLES


@pytest.mark.parametrize(
    ("old_role", "new_role", "reason"),
    [
        ("second_extractor", "second_extractor", "found by the second extractor"),
        ("json_ld", "json_ld", "found by the page's JSON-LD articleBody"),
        ("prose", "second_extractor", None),  # trafilatura had it on one side: a plain edit
        ("prose", "prose", None),
    ],
)
def test_an_edit_only_in_second_opinion_lines_says_so_and_keeps_its_score(
    old_role: str, new_role: str, reason: str | None
) -> None:
    from monitor.compare.edit import make_edit
    from monitor.compare.placement import weigh_placement

    edit = make_edit(
        "name", "body", old="Abernathy", new="Abernethy", old_paragraph=0, new_paragraph=0
    )
    (weighed,) = weigh_placement([edit], [old_role], [new_role])
    assert weighed.significant and weighed.score == edit.score
    found = [r for r in weighed.reasons if r.startswith("second opinion:")]
    assert found == ([] if reason is None else [found[0]])
    if reason is not None:
        assert reason in found[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Hello, World!", "hello world"),
        ("  The   MAYOR said: “no.”  ", "the mayor said no"),
        ("Straße — STRASSE", "strasse strasse"),  # case-folded, as a reader would compare them
        ("„Zitat“ – 3,5 Prozent", "zitat 3 5 prozent"),
        ("— … —", ""),
        ("", ""),
    ],
)
def test_a_line_key_is_its_words_case_folded(line: str, expected: str) -> None:
    assert opinion.key(line) == expected
    assert opinion.key(line) == expected  # asked again: the remembered key is the same


def test_a_long_line_is_keyed_but_never_remembered() -> None:
    """The remembered keys are bounded in bytes, not only in lines: a page of huge lines
    (hostile or broken) must not fill a worker's memory with them."""
    long_line = "Wort " * (opinion.KEY_CACHE_CHARS // 5 + 1)
    before = opinion._remembered_key.cache_info().currsize
    assert opinion.key(long_line) == "wort " * (opinion.KEY_CACHE_CHARS // 5) + "wort"
    assert opinion._remembered_key.cache_info().currsize == before
    assert opinion.key("Ein Satz.") == "ein satz"
    assert opinion._remembered_key.cache_info().currsize <= before + 1


def test_extraction_and_line_roles_key_lines_as_the_second_opinion_does() -> None:
    from monitor.extract import extraction, roles

    assert extraction._key is opinion.key
    assert roles._key is opinion.key
