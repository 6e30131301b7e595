"""The modified date and the authors a page declares, read where trafilatura's guess misses
them (`monitor.extract.metadata`); pages of our own, in several languages."""

from __future__ import annotations

import threading
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from monitor import store
from monitor.compare.comparison import compare
from monitor.extract.article import Article
from monitor.extract.extraction import extract_article
from monitor.extract.metadata import (
    _HAS_UPDATE_WORD,
    UPDATE_WORDS,
    choose_byline,
    declared_authors,
    page_modified,
    same_moment,
    update_line_date,
)
from monitor.record.page import FetchedPage, record_page

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
BODY = "<p>" + "The council met on Monday to discuss the budget for next year. " * 6 + "</p>"


def page(head: str = "", header: str = "", footer: str = "") -> str:
    return (
        f"<html><head><title>Budget</title>{head}</head><body><article><h1>Budget</h1>"
        f"{header}{BODY}{BODY}</article>{footer}</body></html>"
    )


def tree(markup: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(markup)


@pytest.mark.parametrize(
    ("where", "markup", "expected"),
    [
        (
            "JSON-LD dateModified",
            page(
                '<script type="application/ld+json">{"dateModified": "2019-05-08T09:03:00Z"}'
                "</script>"
            ),
            "2019-05-08T09:03+00:00",
        ),
        (
            "article:modified_time",
            page('<meta property="article:modified_time" content="2016-12-21T08:31:34Z">'),
            "2016-12-21T08:31+00:00",
        ),
        (
            "a meta field named twice, by property and itemprop",
            page(
                '<meta property="article:modified" itemprop="dateModified" '
                'content="2018-05-17T17:31:26.267Z">'
            ),
            "2018-05-17T17:31+00:00",
        ),
        (
            "a meta field written in value=",
            page('<meta name="article:modified_time" value="2017-01-20">'),
            "2017-01-20",
        ),
        (
            "time itemprop=dateModified",
            page(header='<time itemprop="dateModified" datetime="2020-03-01T10:00">1 Mar</time>'),
            "2020-03-01T10:00",
        ),
        (
            "a visible English line",
            page(footer='<p class="last-updated">Last updated on January 20, 2017</p>'),
            "2017-01-20",
        ),
        (
            "a visible French line",
            page(
                header="<span>Publié le 07 mai 2019 à 13h59 - Mis à jour le 08 mai 2019 à 09h03"
                "</span>"
            ),
            "2019-05-08T09:03",
        ),
        (
            "a visible German line with the date in a child",
            page(header="<p>Aktualisiert am <time>3. März 2021, 14:05 Uhr</time></p>"),
            "2021-03-03T14:05",
        ),
        (
            "a visible Spanish line",
            page(header="<p>Actualizado el 5 de junio de 2020 a las 10:30</p>"),
            "2020-06-05T10:30",
        ),
        ("a visible Japanese line", page(header="<p>更新日：2019年4月14日</p>"), "2019-04-14"),
        ("nothing said", page(), ""),
        (
            "a policy's update note is no date line",
            page(footer="<p>Privacy Policy (updated as of 1/1/21)</p>"),
            "",
        ),
    ],
)
def test_the_modified_date_a_page_states(where: str, markup: str, expected: str) -> None:
    assert page_modified(tree(markup)) == expected, where


# An ISO value's offset is kept (`Z` as +00:00); a time without one gets none.
OFFSETS = [
    ("2019-05-08T09:03:00+02:00", "2019-05-08T09:03+02:00"),
    ("2019-05-08T09:03:00.5-0500", "2019-05-08T09:03-05:00"),
    ("2019-05-08T09:03+05:30", "2019-05-08T09:03+05:30"),
    ("2019-05-08T09:03:00-03", "2019-05-08T09:03-03:00"),
    ("2019-05-08T09:03:00Z", "2019-05-08T09:03+00:00"),
    ("2019-05-08T09:03:00", "2019-05-08T09:03"),
    ("2019-05-08 09:03", "2019-05-08T09:03"),
    ("2019-05-08T09:03:00+25:00", "2019-05-08T09:03"),  # no place is 25 hours off
    # a machine's value with a negative offset keeps it, even one a person could read as a
    # time range: ISO 8601 decides in a field written for programs
    ("2024-03-05T09:00-10:00", "2024-03-05T09:00-10:00"),
    ("2024-03-05 09:00:00-05:00", "2024-03-05T09:00-05:00"),
    ("2024-03-05 09:00-05:00", "2024-03-05T09:00-05:00"),
    ("2024-03-05 01:00-05:00", "2024-03-05T01:00-05:00"),  # US Eastern, not 01:00 to 05:00
    ("2024-03-05 09:00-10:00", "2024-03-05T09:00-10:00"),
    ("2019-05-08", "2019-05-08"),
]

# In a page's text a person may write a time range after an ISO date: its start, no offset.
WRITTEN = [
    ("2024-03-05 09:00-10:00", "2024-03-05T09:00"),  # not −10:00
    ("2024-03-05 01:00-05:00", "2024-03-05T01:00"),
    ("2024-03-05 09:00-05:00", "2024-03-05T09:00-05:00"),  # no range ends before it starts
    ("2024-03-05T09:00-10:00", "2024-03-05T09:00-10:00"),  # a machine's shape keeps it
]


@pytest.mark.parametrize(("value", "stored"), WRITTEN)
@pytest.mark.parametrize("where", ["time", "line"])
def test_a_time_range_in_the_pages_text_is_its_start_without_an_offset(
    value: str, stored: str, where: str
) -> None:
    markup = {
        "time": page(header=f'<time itemprop="dateModified">{value}</time>'),
        "line": page(header=f"<p>Updated {value}</p>"),
    }[where]
    assert page_modified(tree(markup)) == stored


@pytest.mark.parametrize(("value", "stored"), OFFSETS)
@pytest.mark.parametrize("where", ["json-ld", "meta", "time"])
def test_a_modified_time_keeps_the_offset_the_page_gives_and_gets_none_otherwise(
    value: str, stored: str, where: str
) -> None:
    markup = {
        "json-ld": page(
            f'<script type="application/ld+json">{{"dateModified": "{value}"}}</script>'
        ),
        "meta": page(f'<meta property="article:modified_time" content="{value}">'),
        "time": page(header=f'<time itemprop="dateModified" datetime="{value}">then</time>'),
    }[where]
    assert page_modified(tree(markup)) == stored


def test_a_visible_time_with_a_zone_s_name_only_gets_no_offset() -> None:
    markup = page(header="<p>Updated 3:42 PM ET, Tue November 29, 2016</p>")
    assert page_modified(tree(markup)) == "2016-11-29T15:42"


def test_an_update_time_without_a_date_is_on_the_day_of_publication() -> None:
    line = "Publié aujourd’hui à 13h59, mis à jour à 15h25"
    assert update_line_date(line, "2019-05-07") == "2019-05-07T15:25"
    assert update_line_date("Updated 3:42 PM ET", "2016-11-29") == "2016-11-29T15:42"


def test_a_long_sentence_starting_with_updated_is_no_date_line() -> None:
    sentence = "Updated " + "figures were released on January 3, 2020 by the ministry " * 4
    assert page_modified(tree(page(header=f"<p>{sentence}</p>"))) == ""


@pytest.mark.parametrize(
    ("old", "new", "same"),
    [
        ("2019-05-07", "2019-05-07T15:25", True),
        ("2019-05-07T13:59", "2019-05-07T15:25", False),
        ("2019-05-07", "2019-05-08T09:03", False),
        ("2019-05-07", "2019-05-07T15:25+02:00", True),
        ("2019-05-07T15:25+02:00", "2019-05-07T13:25+00:00", True),  # one instant
        ("2019-05-07T15:25+02:00", "2019-05-07T15:25+00:00", False),
        ("2019-05-07T15:25", "2019-05-07T15:25+02:00", True),  # stored before offsets were kept
        ("2019-05-07T15:25", "2019-05-07T16:25+02:00", False),
    ],
)
def test_a_day_and_a_moment_of_that_day_may_be_the_same(old: str, new: str, same: bool) -> None:
    assert same_moment(old, new) is same


def test_a_modified_date_that_moves_is_recorded_and_never_significant() -> None:
    old = Article(body="Same.", published="2019-05-07", modified="2019-05-07T15:25")
    new = Article(body="Same.", published="2019-05-07", modified="2019-05-08T09:03")
    edits = compare(old, new)
    assert [(e.kind, e.field, e.significant) for e in edits] == [
        ("published_date", "modified", False)
    ]


@pytest.mark.parametrize(
    ("where", "head", "expected"),
    [
        (
            "JSON-LD authors",
            '<script type="application/ld+json">{"@type": "NewsArticle", "author": '
            '[{"@type": "Person", "name": "Jane Doe"}, {"name": "Li Wei"}]}</script>',
            ["Jane Doe", "Li Wei"],
        ),
        ("meta author", '<meta name="author" content="Emma Grey Ellis">', ["Emma Grey Ellis"]),
        (
            "meta written in value=",
            '<meta name="author" value="Julia Horowitz">',
            ["Julia Horowitz"],
        ),
        (
            "og:article:author in French",
            '<meta name="og:article:author" value="C&#xE9;cile Ducourtieux">',
            ["Cécile Ducourtieux"],
        ),
        (
            "an author's URL is not a name",
            '<meta property="article:author" content="https://www.facebook.com/someone">',
            [],
        ),
        ("an outlet's initials are not an author", '<meta name="author" content="LN">', []),
        ("a newspaper is not an author", '<meta name="author" content="OÖ Volksblatt">', []),
        (
            "a foundation is not an author",
            '<meta name="author" content="Hanns-Seidel-Stiftung e.V.">',
            [],
        ),
        (
            "an association written with spaces is not an author",
            '<meta name="author" content="Deutscher Caritasverband e. V.">',
            [],
        ),
        (
            "a photo's author is not the article's",
            '<script type="application/ld+json">{"@graph": [{"@type": "ImageObject", '
            '"author": {"name": "Ed Marshall"}}, {"@type": "NewsArticle", "author": '
            '{"name": "Jane Doe"}}]}</script>',
            ["Jane Doe"],
        ),
        (
            "a name escaped twice",
            '<meta name="author" content="Jos&amp;eacute; Mart&amp;iacute;nez">',
            ["José Martínez"],
        ),
        ("a pen name is", '<meta name="author" content="Tiberius">', ["Tiberius"]),
        ("initials are", '<meta name="author" content="R.C. Baker">', ["R.C. Baker"]),
        (
            "the site's name is not an author",
            '<meta property="og:site_name" content="Daily Planet">'
            '<meta name="author" content="Daily Planet">',
            [],
        ),
    ],
)
def test_the_authors_a_page_declares(where: str, head: str, expected: list[str]) -> None:
    assert declared_authors(tree(page(head))) == expected, where


@pytest.mark.parametrize(
    ("extracted", "declared", "kept"),
    [
        ("Food Science", ["Emma Grey Ellis"], "Emma Grey Ellis"),  # a section name
        ("Philippe Escande", ["Cécile Ducourtieux"], "Cécile Ducourtieux"),  # a teaser's author
        ("Emma Grey Elli s", ["Emma Grey Ellis"], "Emma Grey Ellis"),  # split letters
        ("", ["Bushrod Washington"], "Bushrod Washington"),
        ("Meg Wagner NEW YORK DAILY NEWS", ["Meg Wagner"], "Meg Wagner NEW YORK DAILY NEWS"),
        ("Stephen Collinson; CNN", ["Stephen Collinson"], "Stephen Collinson; CNN"),
        ("Jane Doe", [], "Jane Doe"),
        ("Jane Doe; Li Wei; JANE DOE; LI WEI", [], "Jane Doe; Li Wei"),  # a name repeated
    ],
)
def test_the_byline_kept(extracted: str, declared: list[str], kept: str) -> None:
    assert choose_byline(extracted, declared) == kept


def test_extraction_reads_the_declared_author_and_update_line() -> None:
    markup = page(
        '<meta name="author" value="Emma Grey Ellis">',
        header='<div class="rubric">Food Science</div><p>Updated 20 January 2017, 10:30</p>',
    )
    article = extract_article(markup)
    assert article.byline == "Emma Grey Ellis"
    assert article.modified == "2017-01-20T10:30"


def test_a_modified_time_is_stored_with_the_offset_the_page_gives(tmp_path: Path) -> None:
    stated = '<meta property="article:modified_time" content="2026-11-02T10:15:00+01:00">'
    db = store.open_db(tmp_path / "redline.db")
    url = "https://news.example/budget.html"
    page_bytes = page(stated).encode()
    record_page(db, FetchedPage(url, 200, page_bytes, content_type="text/html"), NOW)
    (version,) = db.query("select modified from versions")
    assert version["modified"] == "2026-11-02T10:15+01:00"
    db.close()


@pytest.mark.parametrize(
    ("where", "header", "footer", "expected"),
    [
        (
            "English, CNN's convention",
            '<span class="stamp">November 29, 2016: 3:42 PM ET</span>',
            '<span class="stamp">First published November 29, 2016: 3:33 AM ET</span>',
            "2016-11-29T15:42",
        ),
        (
            "German",
            "<span>3. März 2021, 14:05 Uhr</span>",
            "<span>Erstmals veröffentlicht am 3. März 2021, 09:10 Uhr</span>",
            "2021-03-03T14:05",
        ),
        (
            "the first publication's moment, written with Z and without an offset",
            "<span>2016-11-29T03:33:00Z</span>",
            "<span>First published 2016-11-29 03:33</span>",
            "",
        ),
        (
            "the only stamp is the first publication",
            "<span>November 29, 2016: 3:33 AM ET</span>",
            "<span>First published November 29, 2016: 3:33 AM ET</span>",
            "",
        ),
        (
            "no first-publication line: a stamp alone is the publication",
            "<span>November 29, 2016: 3:42 PM ET</span>",
            "",
            "",
        ),
    ],
)
def test_a_page_that_says_when_it_was_first_published_shows_its_update_in_its_stamp(
    where: str, header: str, footer: str, expected: str
) -> None:
    assert page_modified(tree(page(header=header, footer=footer))) == expected, where


@pytest.mark.parametrize(
    "stamp",
    [
        # the Los Angeles Times writes its zone's name where ISO 8601 puts an offset
        '<time itemprop="datePublished" datetime="2016-12-16T14:05:00PST">Dec. 16</time>',
        '<meta property="article:modified_time" content="2016-12-16T14:05:00PDT">',
    ],
)
def test_a_zone_s_name_in_a_machine_stamp_is_read_without_a_warning(stamp: str) -> None:
    # htmldate hands it to dateutil, which warns that it reads the clock time alone
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        article = extract_article(page(head=stamp) if "<meta" in stamp else page(header=stamp))
    assert [str(w.message) for w in caught if "tzname" in str(w.message)] == []
    assert article.published.startswith("2016-12-16") or article.modified.startswith("2016-12-16")


def test_extraction_in_a_thread_keeps_the_warning_filters_other_threads_set_meanwhile() -> None:
    # A `warnings.catch_warnings()` around each run put back the whole filter list it saw on
    # entry: a filter another thread added while a page was extracted was lost.
    markup = page(head='<meta property="article:modified_time" content="2016-12-16T14:05:00PDT">')
    done = threading.Event()

    def extract_until_done() -> None:
        while not done.is_set():
            extract_article(markup)

    with warnings.catch_warnings():
        worker = threading.Thread(target=extract_until_done)
        worker.start()
        try:
            for number in range(40):
                warnings.filterwarnings("ignore", f"redline-test-filter-{number}")
                time.sleep(0.005)
        finally:
            done.set()
            worker.join()
        kept = {str(f[1].pattern) for f in warnings.filters if f[1] is not None}
    lost = [n for n in range(40) if f"redline-test-filter-{n}" not in kept]
    assert lost == []


# Words and pieces around the update words: their optional parts, their neighbours inside a word
# (\b), case and spacing, and text of every kind between them.
_UPDATE_PIECES = st.sampled_from(
    [
        "Updated",
        "LAST UPDATED ON",
        "last  updated at",
        "outdated",
        "updatedness",
        "Modified",
        "revised",
        "unrevised",
        "mis à jour",
        "MIS  À  JOUR LE",
        "mis à jours",
        "modifié le",
        "modifiée",
        "Actualizado el",
        "actualizada a las",
        "actualizados",
        "Aktualisiert am",
        "aktualisierte",
        "aggiornato il",
        "Aggiornata alle",
        "atualizado em",
        "atualizadas",
        "bijgewerkt op",
        "更新",
        "更新日時",
        "_updated",
        "2016",
        ":",
        "-",
        "",
    ]
)
_UPDATE_TEXT = st.lists(_UPDATE_PIECES | st.text(max_size=6), max_size=6).map(" ".join) | st.lists(
    _UPDATE_PIECES | st.text(max_size=3), max_size=6
).map("".join)


@given(_UPDATE_TEXT)
def test_the_quick_test_for_update_words_finds_them_in_the_same_texts(text: str) -> None:
    # `page_modified` tests every element's own text with it before reading the line
    assert bool(_HAS_UPDATE_WORD.search(text)) == bool(UPDATE_WORDS.search(text))
