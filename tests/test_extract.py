"""monitor.extract: the article body, its metadata, odd input, repeatability, and corpus quality.

The fixtures are pages written for these tests (no third-party article text in the repository);
the corpus check reads ../shared/corpus in place and skips when it is absent.
"""

from __future__ import annotations

import gzip
import json
import random
import warnings
from pathlib import Path

import pytest

from bench.extract_metric import aggregate, page_counts
from monitor.extract.extraction import (
    Article,
    decode_page,
    extract_article,
    extractor_version,
    parse_page,
)

ARTICLE_SENTENCES = [
    "The city council of Westbrook voted on Tuesday night to close the old harbour bridge to "
    "heavy traffic after engineers found deep cracks in two of its supporting piers.",
    "Mayor Helen Ostrander said the decision had not been taken lightly, because nearly four "
    "thousand lorries cross the bridge every week on their way to the container terminal.",
    "An inspection report published last month described corrosion that had spread much faster "
    "than expected since the previous survey, carried out in the spring of 2019.",
    "Local hauliers warned that the detour through the northern ring road would add at least "
    "forty minutes to each journey and called for a temporary ferry service.",
    "Repairs are expected to start in March and to last about eighteen months, according to the "
    "regional transport authority, which will pay for most of the work.",
]
TITLE = "Westbrook closes harbour bridge to lorries after cracks found"
BOILERPLATE = [
    "Home",
    "Subscribe to our newsletter",
    "Advertisement: Buy the new Zephyr 9 phone today",
    "Ten celebrity gardens you have to see this summer",
    "Why the price of butter keeps climbing",
    "I drive over that bridge every day and nobody ever told us anything",
    "Copyright 2026 Westbrook Gazette. All rights reserved.",
]


def news_page(body_extra: str = "", head_extra: str = "") -> str:
    paragraphs = "\n".join(f"<p>{sentence}</p>" for sentence in ARTICLE_SENTENCES)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{TITLE} | Westbrook Gazette</title>
<meta property="og:title" content="{TITLE}">
<meta name="author" content="Jane Whitfield">
<meta property="article:published_time" content="2026-03-02T08:15:00+00:00">
<link rel="canonical" href="https://gazette.example/news/harbour-bridge-closed">
{head_extra}
</head>
<body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
  <li><a href="/newsletter">Subscribe to our newsletter</a></li>
</ul></nav></header>
<div class="ad-slot" id="ad-top">Advertisement: Buy the new Zephyr 9 phone today</div>
<main>
<article class="article">
  <h1>{TITLE}</h1>
  <p class="byline">By <span class="author">Jane Whitfield</span></p>
  <time datetime="2026-03-02T08:15:00+00:00">2 March 2026</time>
  <div class="article-body">
  {paragraphs}
  {body_extra}
  </div>
</article>
<aside class="related">
  <h2>Related stories</h2>
  <ul>
    <li><a href="/a">Ten celebrity gardens you have to see this summer</a></li>
    <li><a href="/b">Why the price of butter keeps climbing</a></li>
  </ul>
</aside>
<section id="comments" class="comments">
  <h2>Comments</h2>
  <div class="comment">
    <p>I drive over that bridge every day and nobody ever told us anything</p>
  </div>
</section>
</main>
<footer><p>Copyright 2026 Westbrook Gazette. All rights reserved.</p></footer>
</body>
</html>"""


@pytest.fixture(scope="module")
def article() -> Article:
    return extract_article(
        news_page(), url="https://gazette.example/news/harbour-bridge-closed?x=1"
    )


def test_body_holds_the_article_sentences(article: Article) -> None:
    for sentence in ARTICLE_SENTENCES:
        assert sentence in article.body


def test_body_leaves_out_navigation_ads_related_links_comments_and_footer(article: Article) -> None:
    for text in BOILERPLATE:
        assert text not in article.body, text


def test_paragraphs_are_separated_by_newlines(article: Article) -> None:
    lines = article.body.split("\n")
    for sentence in ARTICLE_SENTENCES:
        assert sentence in lines  # one paragraph per line, nothing glued to it
    assert "" not in lines  # no blank lines
    assert all(line == line.strip() for line in lines)


def test_headline_is_the_title_not_the_first_body_line(article: Article) -> None:
    assert article.title == TITLE
    assert not article.body.startswith(TITLE)


def test_metadata(article: Article) -> None:
    assert article.byline == "Jane Whitfield"
    assert article.published == "2026-03-02"
    assert article.language == "en"
    assert not article.is_empty()


def test_canonical_url() -> None:
    assert extract_article(news_page()).canonical_url == (
        "https://gazette.example/news/harbour-bridge-closed"
    )
    # rel is a token list and case-insensitive
    page = news_page().replace('rel="canonical"', 'rel="Canonical alternate"')
    assert (
        extract_article(page).canonical_url == "https://gazette.example/news/harbour-bridge-closed"
    )
    without = news_page().replace('<link rel="canonical"', '<link rel="alternate"')
    assert extract_article(without).canonical_url == ""


def test_correction_notice_at_the_end_is_kept() -> None:
    notice = (
        "Correction: An earlier version of this article misstated the number of lorries that "
        "cross the bridge each week."
    )
    page = news_page(body_extra=f'<div class="correction"><p>{notice}</p></div>')
    assert notice in extract_article(page).body


def test_same_result_when_repeated() -> None:
    # trafilatura's deduplicate cache would empty the 4th extraction of the same page
    page = news_page()
    results = {extract_article(page, url="https://gazette.example/x") for _ in range(5)}
    assert len(results) == 1
    assert not results.pop().is_empty()


def test_a_page_parsed_beforehand_extracts_as_its_bytes_do() -> None:
    # the extraction worker parses a page once for extraction and its other readings
    page = news_page().encode("utf-8")
    parsed = parse_page(page)
    assert parsed is not None
    url = "https://gazette.example/x"
    assert extract_article(page, url=url, page=parsed) == extract_article(page, url=url)
    assert parse_page(b"   ") is None


def test_bytes_in_a_declared_latin1_charset() -> None:
    sentence = (
        "Der Bürgermeister äußerte sich über die Schließung der Brücke: Die Sanierung werde "
        "mindestens achtzehn Monate dauern und koste fünf Millionen Euro."
    )
    more = (
        "Die Spediteure fürchten Umwege über die nördliche Ringstraße, die jede Fahrt um "
        "vierzig Minuten verlängern würden, und fordern eine Fähre."
    )
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Brücke gesperrt</title></head><body><article><h1>Brücke gesperrt</h1>
<p>{sentence}</p><p>{more}</p></article></body></html>"""
    result = extract_article(page.encode("latin-1"))
    assert sentence in result.body
    assert more in result.body
    assert "\ufffd" not in result.body


UNDECLARED = "Der Bürgermeister äußerte sich über die Schließung der Brücke."


@pytest.mark.parametrize(
    ("raw", "content_type", "text"),
    [
        (UNDECLARED.encode("utf-8"), "", UNDECLARED),  # valid UTF-8
        (UNDECLARED.encode("cp1252"), "", UNDECLARED),  # sniffed
        (UNDECLARED.encode("latin-1"), "text/html; charset=iso-8859-1", UNDECLARED),  # header
        (b"\xef\xbb\xbf" + UNDECLARED.encode("utf-8"), "text/html; charset=cp1252", UNDECLARED),
        (
            f'<meta charset="utf-8"><p>{UNDECLARED}'.encode(),
            "",
            f'<meta charset="utf-8"><p>{UNDECLARED}',
        ),
    ],
)
def test_a_page_is_decoded_in_the_standards_order_without_a_deprecated_call(
    raw: bytes, content_type: str, text: str
) -> None:
    """Byte-order mark, header, <meta>, then sniffing; w3lib 2.6 deprecated the sniffing hook of
    `html_to_unicode` (a DeprecationWarning on every page, and an error in a later w3lib)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert decode_page(raw, content_type) == text


def test_nul_bytes_are_ignored() -> None:
    page = news_page().replace("<p>", "<p>\x00").replace("harbour", "har\x00bour")
    result = extract_article(page.encode("utf-8"))
    assert "\x00" not in result.body
    for sentence in ARTICLE_SENTENCES:
        assert sentence in result.body


def test_broken_markup_still_yields_the_article() -> None:
    paragraphs = "".join(f"<p>{sentence}" for sentence in ARTICLE_SENTENCES)  # never closed
    page = (
        f"<html><head><title>{TITLE}</title><body><div><article><h1>{TITLE}"
        f"<div class='story'>{paragraphs}</span></td></b></article><p>unclosed <i>to the end"
    )
    result = extract_article(page)
    for sentence in ARTICLE_SENTENCES:
        assert sentence in result.body


@pytest.mark.parametrize(
    "odd",
    [
        "",
        b"",
        "   \n\t ",
        "\x00" * 64,
        b"\x00" * 64,
        b"\x00\xff" * 300,
        "<html>",
        "<<<>>>",
        "<html><body></body></html>",
        "<html><body>" + "<div>" * 3000 + "deep " * 40 + "</div>" * 3000 + "</body></html>",
    ],
    ids=lambda value: repr(value)[:20],
)
def test_odd_input_gives_an_empty_article(odd: str | bytes) -> None:
    result = extract_article(odd)
    assert isinstance(result, Article)
    assert result.is_empty()


def test_binary_garbage_gives_an_empty_article() -> None:
    rng = random.Random(20260302)
    for size in (16, 4096, 100_000):
        assert extract_article(rng.randbytes(size)) == Article()
    # a binary file served with a text type, with a few tags in it
    blob = b"%PDF-1.4\n" + rng.randbytes(2000) + b"<p>" + rng.randbytes(2000)
    assert extract_article(blob).is_empty()


def test_extractor_version_names_trafilatura() -> None:
    name, _, number = extractor_version().partition(" ")
    assert name == "trafilatura"
    assert number[0].isdigit()


# ------------------------------------------------------------------ corpus quality


def benchmark_ground_truth() -> tuple[Path, dict]:
    """The article benchmark's folder and ground truth (the test skips without the corpus)."""
    from bench.corpus import CorpusMissing, corpus_dir

    AEB = "article-extraction-benchmark"
    try:
        root = corpus_dir(None, require=AEB) / AEB
    except CorpusMissing as error:
        pytest.skip(f"corpus not available: {error}")
    with open(root / "ground-truth.json", encoding="utf-8") as handle:
        return root, json.load(handle)


@pytest.mark.corpus
def test_quality_on_article_extraction_benchmark_sample() -> None:
    root, ground_truth = benchmark_ground_truth()
    ids = sorted(ground_truth)[::9][:20]  # 20 pages spread over the sorted ids
    counts = []
    for key in ids:
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        body = extract_article(html, url=ground_truth[key].get("url")).body
        counts.append(page_counts(ground_truth[key]["articleBody"], body))
    scores = aggregate(counts)
    # the whole benchmark scores F1 0.972 (bench/extract.py); published trafilatura 2.0.0 is 0.958
    assert scores.f1 >= 0.94, scores
    assert scores.precision >= 0.90, scores
    assert scores.recall >= 0.94, scores


def test_a_list_numbered_anew_compares_as_the_same_text() -> None:
    # the numbers the page writes stay in the body (revision 13); the comparison ignores them
    from monitor.compare.normalize import normalize_body

    items = ["The bridge stays shut until June.", "Buses replace the ferry on Sundays."]
    bulleted = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    numbered = "".join(f"<p>{n}. {item}</p>" for n, item in enumerate(items, 1))
    bulleted_body = extract_article(news_page(bulleted)).body
    numbered_body = extract_article(news_page(numbered)).body
    assert "1. The bridge stays shut until June." in numbered_body.split("\n")
    assert normalize_body(bulleted_body) == normalize_body(numbered_body)


# ------------------------------------------------------------------ short bodies

HARBOUR = [
    "The harbour board met on Monday to discuss the cracked pier and the plan to close it.",
    "Engineers told the board that two piles had lost a third of their thickness to corrosion.",
    "The ferry operator said it would move its morning sailings to the north quay in March.",
    "Fishermen asked for a temporary pontoon so that smaller boats could still land their catch.",
    "The board will publish the full inspection report next week and hold a public meeting.",
    "Repairs should last about a year, according to the regional transport authority.",
]
BLURB = "Sign up for our morning briefing and get the day's news in your inbox every day."


@pytest.mark.parametrize(
    ("balanced", "precise", "expected"),
    [
        # a body of five paragraphs or more ends where the precision run's last paragraph ends
        ([*HARBOUR, BLURB], HARBOUR, HARBOUR),
        ([*HARBOUR[:5], BLURB], HARBOUR[:5], HARBOUR[:5]),
        # four paragraphs or fewer are too few for its edges: the body is kept whole
        ([*HARBOUR[:3], BLURB], HARBOUR[:1], [*HARBOUR[:3], BLURB]),
        (HARBOUR[:2], HARBOUR[:1], HARBOUR[:2]),
        # a single run-on line still gives way to the precision run's paragraphs
        ([" ".join(HARBOUR[:3])], HARBOUR[:3], HARBOUR[:3]),
    ],
    ids=["seven-lines", "six-lines", "four-lines", "two-lines", "run-on"],
)
def test_precision_edges_trim_only_bodies_of_five_paragraphs_or_more(
    balanced: list[str], precise: list[str], expected: list[str]
) -> None:
    from monitor.extract.extraction import _combine

    assert _combine("\n".join(balanced), "\n".join(precise)) == expected


def test_a_body_of_one_paragraph_takes_the_recall_run_when_it_finds_much_more() -> None:
    # the balanced run keeps only the header's paragraph; the recall run also reads the list
    items = "".join(f"<li><a href='/{n}'>{s}</a></li>" for n, s in enumerate(HARBOUR[1:5]))
    page = f"<html><body><header><p>{HARBOUR[0]}</p></header><section><ul>{items}</ul></section>"
    assert extract_article(page).body.split("\n") == HARBOUR[:5]


# ------------------------------------------------------------------ benchmark split


@pytest.mark.parametrize(
    ("url", "half"),
    [
        ("https://example.org/news/1", "held-out"),  # SHA-256 starts with 8
        ("https://example.org/news/2", "development"),  # ... with 0
        ("https://example.org/news/3", "held-out"),  # ... with f
    ],
)
def test_evaldata_split_is_fixed_by_the_url_hash(url: str, half: str) -> None:
    from bench.extract import evaldata_split

    assert evaldata_split(url) == half


# ------------------------------------------------------------------ links to other articles


@pytest.mark.parametrize(
    ("line", "dropped"),
    [
        ("Read more: Why the price of butter keeps climbing", True),
        ("READ MORE: Ten celebrity gardens you have to see this summer", True),
        ("Lea también: El puente del puerto cierra a los camiones", True),
        ("Mehr zum Thema: Die Hafenbrücke bleibt bis Juni gesperrt", True),
        ("À lire aussi : Le pont du port fermé aux camions", True),
        # a name before an interview answer, and prose that mentions reading, are the article's
        ("Lea: We were told nothing about the cracks until the bridge was shut.", False),
        ("Read more about the inspection in the report the council published last month.", False),
    ],
)
def test_a_line_linking_to_another_article_is_dropped(line: str, dropped: bool) -> None:
    body = extract_article(news_page(f"<p>{line}</p>")).body.split("\n")
    assert (line not in body) is dropped
    assert all(sentence in body for sentence in ARTICLE_SENTENCES)


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("Minister &amp;amp;#039;regrets&amp;amp;#039; the delay", "Minister 'regrets' the delay"),
        ("L&amp;amp;#8217;État &amp;amp;amp; la ville", "L’État & la ville"),
        ("AT&amp;T buys a studio", "AT&T buys a studio"),  # escaped once: as written
        ("Fish &amp; chips &amp;c", "Fish & chips &c"),  # no reference in it
    ],
)
def test_titles_escaped_twice_read_as_text(written: str, title: str) -> None:
    body = "".join(f"<p>{line}</p>" for line in HARBOUR)
    page = (
        f"<html><head><meta property='og:title' content='{written}'>"
        f"</head><body><article>{body}</article></body></html>"
    )
    assert extract_article(page).title == title


# ------------------------------------------------------------------ one pass where one suffices


def _fixture_pages() -> list[tuple[str, str]]:
    """The project's own pages: this module's test page and its variants, and every article of
    the demo site in every edition (the redesign included)."""
    from monitor.demo.articles import REDESIGN_EDITION, SLUGS, slug_path
    from monitor.demo.pages import render_page

    pages = [
        ("news page", news_page()),
        ("correction", news_page('<div class="correction"><p>Correction: a figure.</p></div>')),
        ("harbour", news_page("".join(f"<p>{line}</p>" for line in HARBOUR))),
    ]
    for edition in (1, 2, 3, 4, REDESIGN_EDITION):
        for slug in SLUGS:
            page = render_page(slug_path(slug), edition, "http://127.0.0.1:8000")
            if page.status == 200:
                pages.append((f"{slug}@{edition}", page.body.decode()))
    return pages


def test_the_precision_run_is_skipped_only_where_it_would_not_change_the_body() -> None:
    from monitor.extract.extraction import (
        _combine,
        _drop_title,
        _field,
        _lines,
        _needs_precision,
        _parse,
        _precise_text,
        _runs,
    )

    skipped = []
    for name, page in _fixture_pages():
        tree = _parse(page)
        assert tree is not None
        doc, balanced, _ = _runs(tree, None)
        title = _field(getattr(doc, "title", None))
        full = _drop_title(_combine(balanced, _precise_text(tree, None)), title)
        if not _needs_precision(_lines(balanced), title):
            skipped.append(name)
            assert _drop_title(_combine(balanced, ""), title) == full, name  # the same text
    assert len(skipped) >= 5  # the cheap path is the common one on these pages


@pytest.mark.corpus
def test_the_metadata_read_is_trafilaturas_own_on_real_pages() -> None:
    """Extraction reads title, author and date as trafilatura's `extract_metadata` finds them,
    without the fields it never reads: the same values on real pages (and on this module's)."""
    from trafilatura.metadata import extract_metadata

    from monitor.extract.extraction import _metadata

    root, ground_truth = benchmark_ground_truth()
    pages = [(news_page(), "https://gazette.example/news/harbour-bridge-closed")]
    for key in sorted(ground_truth)[::12][:15]:
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append((html, ground_truth[key].get("url")))
    for html, url in pages:
        page = parse_page(html)
        assert page is not None
        ours, theirs = _metadata(page.tree, url), extract_metadata(page.tree, url)
        for field in ("title", "author", "date", "url"):
            assert getattr(ours, field) == getattr(theirs, field), (url, field)


def test_parsed_elements_have_lxml_htmls_classes() -> None:
    """The parser's faster class lookup gives each element the class lxml.html gives it."""
    from lxml import html as lxml_html

    text = (
        "<html><body><form><label>Name</label><input name=a><select></select>"
        "<textarea></textarea></form><p>Text <b>bold</b></p><my-widget>w</my-widget>"
        '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg><math><mi>x</mi></math>'
        "<fb:like></fb:like><FORM><INPUT></FORM>&amp;&nbsp;&bogus;</body></html>"
    )
    page = parse_page(text)
    assert page is not None
    lookup = lxml_html.HtmlElementClassLookup()
    for node in page.tree.iter():
        assert type(node) is lookup.lookup("element", None, None, node.tag), node.tag
    assert isinstance(page.tree.find(".//form"), lxml_html.FormElement)
    tags = {node.tag for node in page.tree.iter()}
    assert {"my-widget", "svg", "rect", "math", "fb:like"} <= tags  # kept, not dropped


_PROSE = (
    "<p>" + "The council voted on Tuesday to close the bridge after engineers found cracks. " * 4
)
METADATA_CASES = {
    "no title": f"<html><body><article>{_PROSE}</p></article></body></html>",
    "no author": f"<html><head><title>Bridge closed | Gazette</title></head><body><h1>Bridge "
    f"closed</h1>{_PROSE}</p></body></html>",
    "date and author in JSON-LD only": '<html><head><title>T</title><script type="application/'
    'ld+json">{"@type": "NewsArticle", "datePublished": "2024-05-06T10:00:00Z", "author": '
    f'{{"@type": "Person", "name": "Jane Doe"}}}}</script></head><body>{_PROSE}</p></body></html>',
    "one-word meta author, byline in the page": '<html><head><meta name="author" content="admin">'
    f'<title>T</title></head><body><p class="byline">By John Smith</p>{_PROSE}</p></body></html>',
    "canonical URL with a date": '<html><head><link rel="canonical" href="https://ex.com/2023/02'
    f'/01/story"><title>T</title></head><body>{_PROSE}</p></body></html>',
    "broken JSON-LD": '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
    f'"headline": </script><title>X - Y</title></head><body>{_PROSE}</p></body></html>',
    "a date in the text only": "<html><head><title>T</title></head><body><p>Published 3 March "
    f"2021</p>{_PROSE}</p></body></html>",
}


@pytest.mark.parametrize("case", sorted(METADATA_CASES))
@pytest.mark.parametrize("url", [None, "https://ex.com/2022/01/05/story.html"])
def test_the_metadata_read_is_trafilaturas_own_on_each_kind_of_page(case: str, url) -> None:
    """Without the corpus too: title, author, date and URL as `extract_metadata` finds them
    with the date settings trafilatura's balanced run gives it, with and without a URL."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    from monitor.extract.extraction import _metadata

    page = parse_page(METADATA_CASES[case])
    assert page is not None
    dates = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    ours, theirs = _metadata(page.tree, url), extract_metadata(page.tree, url, dates)
    for field in ("title", "author", "date", "url"):
        assert getattr(ours, field) == getattr(theirs, field), field


# ------------------------------------------------------------------ pages laid out in tables

HARBOUR_STORY = {
    "en": [
        "The harbour board approved the new pier on Thursday after a debate that lasted well "
        "into the night and divided the members who represent the fishing fleet.",
        "Fishermen had asked for a longer pier for years, saying that the storms of the past "
        "three winters had damaged many of the boats moored along the old one.",
        "The plan sets aside money for the pier, for repairs to the breakwater and for a crane "
        "that can lift the smaller boats out of the water before a storm.",
    ],
    "de": [
        "Der Hafenrat hat am Donnerstag nach einer Debatte bis tief in die Nacht den neuen Steg "
        "beschlossen, der die Vertreter der Fischereiflotte gespalten hatte.",
        "Die Fischer hatten seit Jahren einen längeren Steg gefordert, weil die Stürme der "
        "vergangenen drei Winter viele Boote am alten Steg beschädigt hatten.",
        "Der Plan sieht Geld für den Steg, für die Reparatur der Mole und für einen Kran vor, "
        "der die kleineren Boote vor einem Sturm aus dem Wasser heben kann.",
    ],
    "es": [
        "La junta del puerto aprobó el jueves el nuevo muelle tras un debate que se prolongó "
        "hasta bien entrada la noche y dividió a los representantes de la flota pesquera.",
        "Los pescadores llevaban años pidiendo un muelle más largo y aseguran que los temporales "
        "de los tres últimos inviernos dañaron muchas de las barcas amarradas en el viejo.",
        "El plan reserva dinero para el muelle, para reparar el rompeolas y para una grúa que "
        "pueda sacar del agua las barcas pequeñas antes de un temporal.",
    ],
}
# A blog's menu and sidebar beside the article, in the cells of the table that lays the page out.
LAYOUT_MENU = (
    "<a href='/'>Home</a><br><a href='/archive'>Archives by date</a><br>"
    "<a href='/about'>About the author</a>"
)
LAYOUT_SIDEBAR = (
    "<h3>Latest book</h3><p>More books by the author of this blog</p>"
    "<h3>Crypto-Gram</h3><p>Receive these entries once a month as an e-mail digest.</p>"
)


def laid_out_page(language: str, nested: bool) -> str:
    article = "<h1>Harbour</h1>" + "".join(f"<p>{p}</p>" for p in HARBOUR_STORY[language])
    menu = f"<table><tr><td>{LAYOUT_MENU}</td></tr></table>" if nested else LAYOUT_MENU
    banner = "<tr><td colspan='3'>The harbour blog</td></tr>" if nested else ""
    return (
        f"<html lang='{language}'><head><title>Harbour</title></head><body><table>{banner}<tr>"
        f"<td class='menu'>{menu}</td><td class='main'>{article}</td>"
        f"<td class='side'>{LAYOUT_SIDEBAR}</td></tr></table></body></html>"
    )


@pytest.mark.parametrize(
    ("language", "nested"), [("en", False), ("de", False), ("es", False), ("en", True)]
)
def test_a_page_laid_out_in_a_table_gives_the_article_without_its_menu_and_sidebar(
    language: str, nested: bool
) -> None:
    # the layout table's rows ("| menu | article | sidebar |") were the body
    assert (
        extract_article(laid_out_page(language, nested)).body.split("\n") == HARBOUR_STORY[language]
    )


def test_a_data_table_in_an_article_stays_a_table() -> None:
    table = (
        "<table><tr><th>Pier</th><th>Length</th></tr><tr><td>Old pier</td><td>80 m</td></tr>"
        "<tr><td>New pier</td><td>140 m</td></tr></table>"
    )
    body = extract_article(news_page(table)).body.split("\n")
    assert "| Old pier | 80 m |" in body
    assert all(sentence in body for sentence in ARTICLE_SENTENCES)


# ------------------------------------------------------------------ teasers closing the body

# Teasers of the site's latest articles after the article, each ending in its link to read on.
CLOSING_TEASERS = [
    [
        "New pier opens in the north The first stretch is open to boats from Monday. "
        "<a href='/n/1'>Read more...</a> 2012-11-09",
        "Fishermen meet the minister The fleet talked about the storms. "
        "<a href='/n/2'>Read more...</a> 2012-11-07",
    ],
    [
        "Neuer Steg im Norden eröffnet Der erste Abschnitt ist ab Montag frei. "
        "<a href='/n/1'>Weiterlesen »</a>",
        "Fischer treffen den Minister Die Flotte sprach über die Stürme. "
        "<a href='/n/2'>Weiterlesen »</a>",
    ],
    [
        "Un nouveau quai au nord Le premier tronçon est ouvert lundi. "
        "<a href='/n/1'>Lire la suite</a>",
        "Les pêcheurs reçus par le ministre La flotte a parlé des tempêtes. "
        "<a href='/n/2'>Lire la suite</a>",
        "Le port en chiffres Tout sur le trafic de l'année. <a href='/n/3'>Lire la suite</a>",
    ],
]


@pytest.mark.parametrize("teasers", CLOSING_TEASERS)
def test_a_closing_run_of_teasers_to_read_on_is_left_out(teasers: list[str]) -> None:
    html = news_page("".join(f"<p>{teaser}</p>" for teaser in teasers))
    assert extract_article(html).body.split("\n") == extract_article(news_page("")).body.split("\n")


@pytest.mark.parametrize(
    "closing",
    [
        # one link to read on is the article's own continuation
        "<p>The board meets again in May. <a href='/harbour/2'>Read more...</a></p>",
        # a sentence about reading more
        "<p>Residents who want to read more can ask the board for the full report.</p>"
        "<p>Copies are also in the library, where anyone can read more.</p>",
    ],
)
def test_other_closing_lines_stay(closing: str) -> None:
    body = extract_article(news_page(closing)).body.split("\n")
    assert len(body) > len(extract_article(news_page("")).body.split("\n"))


# ------------------------------------------------------------------ a blog's previous, next posts


@pytest.mark.parametrize(
    "navigation",
    [
        "« Ten years of the harbour festival | Main | The new ferry timetable »",
        "« Ten years of the harbour festival | Main",
        "Main | The new ferry timetable »",
        "« Zehn Jahre Hafenfest | Hauptseite | Der neue Fahrplan der Fähre »",
    ],
)
def test_a_blogs_links_to_its_previous_and_next_posts_are_left_out(navigation: str) -> None:
    body = extract_article(news_page(f"<p>{navigation}</p>")).body.split("\n")
    assert navigation not in body
    assert all(sentence in body for sentence in ARTICLE_SENTENCES)


def test_a_line_with_bars_that_is_no_navigation_stays() -> None:
    line = "Fares | Main line | 3.20 euros"
    assert line in extract_article(news_page(f"<p>{line}</p>")).body.split("\n")
