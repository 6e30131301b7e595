"""`redline serve`: Datasette on the database through its in-process client: every view, every
canned query, the diff pages, the Atom feed, full-text search, read-only access, and escaping of
hostile article text on every page that shows it. One test runs a real server subprocess."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from click.testing import CliRunner
from datasette.utils import StartupError
from hypothesis import given
from hypothesis import strategies as st

from monitor import store
from monitor.cli import cli
from monitor.compare.comparison import compare
from monitor.compare.edit import make_edit
from monitor.extract.extraction import Article
from monitor.store.tags import add_tags
from monitor.store.views import fts_query
from monitor.web.datasette.diffs import body_diff_html, word_diff_html
from monitor.web.feed import FeedChange, atom_feed
from monitor.web.serve import build_metadata, make_datasette
from tools.screenshots import start_server, stop_server

NOW = datetime.now(UTC).replace(microsecond=0)
# Seconds a real `redline serve` may take to answer on a loaded machine (httpx's own default is
# 5): a bound on a hang, not a speed claim.
HTTP_TIMEOUT_S = 60
# Article text is attacker-controlled: these must never reach a page as live markup. If the
# script ran it would set the title to "owned-by-article"; if the image's handler ran, it would
# mark <body> with "img-ran" (the browser test looks for both).
SCRIPT = "<script>document.title='owned'+'-by-article'</script>"
IMG = "<img src=x onerror=\"document.body.dataset.owned='img'+'-ran'\">"
RAW = ("<script>document.title", "<img src=x onerror")
ESCAPED = ("&lt;script&gt;document.title", "&lt;img src=x onerror")

SITE = "news.example.org"
HOSTILE_URL = f"https://{SITE}/2026/council-vote.html"
REMOVED_URL = f"https://{SITE}/2026/taken-down.html"
REVERTED_URL = "https://other.example.net/2026/back-and-forth.html"

V1 = Article(
    title=f"Council approves Riverside plan {SCRIPT}",
    byline=f"Dana Reporter {IMG}",
    body="\n".join(
        [
            f"The council approved the plan on Tuesday. {IMG}",
            "The project will cost 12 million dollars, officials said.",
            'Councillor Neimann-Ortiz said: "We will not raise taxes to pay for it."',
            f"Critics called the vote a disaster for the riverside wetlands {SCRIPT}.",
            "The first homes could be ready in 2028.",
        ]
    ),
)
V2 = Article(
    title=f"Council narrowly approves Riverside plan {SCRIPT}",
    byline=f"Dana Reporter {IMG}",
    body="\n".join(
        [
            f"The council approved the plan on Tuesday. {IMG}",
            "The project will cost 15 million dollars, officials said.",
            'Councillor Neumann-Ortiz said: "We will raise taxes to pay for it."',
            "The first homes could be ready in 2028.",
        ]
    ),
)


@dataclass(frozen=True)
class Newsroom:
    path: Path
    hostile_change: int  # the change from V1 to V2 of the hostile article
    hostile_article: int
    removed_change: int
    reverted_change: int


def _version(db: Any, article_id: int, article: Article, url: str, now: datetime) -> int:
    row = store.add_version(
        db,
        article_id,
        article,
        content_hash=f"{url}-{article.title}",
        snapshot_id=None,
        url=url,
        extractor="trafilatura 2.3.1",
        now=now,
    )
    return int(row["id"])


def build_newsroom(path: Path, now: datetime = NOW) -> Newsroom:
    """A database with real edits (from `compare`) of a hostile article, a removed article and
    a reverted one: every kind a canned query asks for."""
    db = store.open_db(path)
    try:
        earlier = now - timedelta(hours=2)
        hostile, _ = store.track_article(db, HOSTILE_URL, earlier)
        removed, _ = store.track_article(db, REMOVED_URL, earlier)
        reverted, _ = store.track_article(db, REVERTED_URL, earlier)
        with store.write_transaction(db):
            store.update_article(db, hostile["id"], title=V2.title)
            v1 = _version(db, hostile["id"], V1, HOSTILE_URL, earlier)
            v2 = _version(db, hostile["id"], V2, HOSTILE_URL, now)
            hostile_change = store.add_change(db, hostile["id"], v1, v2, compare(V1, V2), now)
            add_tags(db, "article", [hostile["id"]], ["hostile"])  # for `tagged_edits`

            store.update_article(db, removed["id"], title="Short-lived story", status="removed")
            r1 = _version(
                db,
                removed["id"],
                Article(title="Short-lived story", body="A story that did not last."),
                REMOVED_URL,
                earlier,
            )
            removed_change = store.add_change(
                db,
                removed["id"],
                r1,
                None,
                [make_edit("removed", "article", old=REMOVED_URL, new="")],
                now,
            )

            store.update_article(db, reverted["id"], title="Back and forth")
            a = Article(title="Back and forth", body="Residents welcomed the ferry timetable.")
            b = Article(
                title="Back and forth",
                body="Residents welcomed the ferry timetable.\n"
                "The change was undone within the hour by the harbour board.",
            )
            x1 = _version(db, reverted["id"], a, REVERTED_URL, earlier)
            x2 = _version(db, reverted["id"], b, REVERTED_URL, earlier + timedelta(minutes=30))
            store.add_change(
                db, reverted["id"], x1, x2, compare(a, b), earlier + timedelta(minutes=30)
            )
            x3 = _version(db, reverted["id"], a, REVERTED_URL + "#3", now)
            reverted_change = store.add_change(
                db,
                reverted["id"],
                x2,
                x3,
                [
                    make_edit("reverted", "article", old="version 2", new="version 1"),
                    *compare(b, a),
                ],
                now,
            )
            # How the sites answered lately (site_health): one site fine, the other blocked,
            # failing and asking us to wait.
            for article_id, outcome in (
                (hostile["id"], "new_version"),
                (removed["id"], "removed"),
                (reverted["id"], "blocked"),
                (reverted["id"], "error"),
            ):
                store.add_check(
                    db, article_id=article_id, checked_at=store.stamp(now), outcome=outcome
                )
            hold = store.SiteUpdate(
                "other.example.net", True, store.stamp(now + timedelta(hours=1)), "Retry-After"
            )
            store.apply_site_update(db, hold)
    finally:
        db.close()
    return Newsroom(path, hostile_change, int(hostile["id"]), removed_change, reverted_change)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Newsroom:
    return build_newsroom(tmp_path_factory.mktemp("serve") / "redline.db")


def fetch(db_path: Path, paths: Iterable[str], **options: Any) -> dict[str, httpx.Response]:
    """GET every path through Datasette's in-process client, in one event loop."""

    async def run() -> dict[str, httpx.Response]:
        datasette = make_datasette(db_path, **options)
        await datasette.invoke_startup()
        return {path: await datasette.client.get(path) for path in paths}

    return asyncio.run(run())


def get(db_path: Path, path: str, **options: Any) -> httpx.Response:
    return fetch(db_path, [path], **options)[path]


def rows(db_path: Path, path: str, **options: Any) -> list[dict[str, Any]]:
    joiner = "&" if "?" in path else "?"
    response = get(db_path, f"{path}{joiner}_shape=array", **options)
    assert response.status_code == 200, response.text[:2000]
    return list(response.json())


# --- the HTML diff builders and the search query (pure) -------------------------------------
TAGS = re.compile(r"</?(?:ins|del)>")
HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("<>&\"' =/abc\n")) | st.characters(), max_size=80
)


@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_word_diff_html_only_ever_adds_ins_and_del(old: str, new: str) -> None:
    html = str(word_diff_html(old, new))
    assert "<" not in TAGS.sub("", html) and ">" not in TAGS.sub("", html)


@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_body_diff_html_only_ever_adds_its_own_tags(old: str, new: str) -> None:
    html = str(body_diff_html(old, new, context=None))
    bare = re.sub(
        r'<p class="redline-(?:equal|changed|added|removed|skipped)">|</p>', "", TAGS.sub("", html)
    )
    assert "<" not in bare and ">" not in bare


def test_word_diff_html_keeps_the_new_text_and_marks_the_old() -> None:
    html = str(word_diff_html("Fire kills 50 <b>", "Fire kills at least 60 <b>"))
    assert html == "Fire kills <del>50</del> <ins>at least 60</ins> &lt;b&gt;"


@given(st.text(max_size=60))
def test_any_search_text_is_a_valid_fts_query(text: str) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(body)")
    conn.execute("insert into t values ('the mayor said no')")
    conn.execute("select count(*) from t where t match ?", [fts_query(text)]).fetchone()


def test_fts_query_requires_every_word() -> None:
    assert fts_query('mayor  "budget') == '"mayor" """budget"'
    assert fts_query("  ") == '""'


# --- views ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("view", "columns"),
    [
        (
            "edit_feed",
            {
                "detected_at",
                "site",
                "headline",
                "kind",
                "change",
                "url",
                "change_id",
                "old",
                "new",
                "significant",
                "stealth",
            },
        ),
        ("article_timeline", {"article_id", "url", "at", "event", "summary", "change_id"}),
        (
            "version_diffs",
            {
                "change_id",
                "from_version",
                "to_version",
                "old_body",
                "new_body",
                "old_headline",
                "new_headline",
                "summary",
            },
        ),
        ("removed_text", {"edit_id", "removed", "replaced_by", "sentence", "url"}),
    ],
)
def test_every_view_answers_html_and_json(newsroom: Newsroom, view: str, columns: set[str]) -> None:
    pages = fetch(newsroom.path, [f"/redline/{view}", f"/redline/{view}.json?_shape=array"])
    assert pages[f"/redline/{view}"].status_code == 200
    found = pages[f"/redline/{view}.json?_shape=array"].json()
    assert found and columns <= set(found[0])


def test_edit_feed_has_each_edit_with_old_new_and_the_article_link(newsroom: Newsroom) -> None:
    feed = rows(newsroom.path, f"/redline/edit_feed.json?change_id={newsroom.hostile_change}")
    kinds = {row["kind"] for row in feed}
    assert {"headline", "number", "name", "quote", "sentence_removed"} <= kinds
    number = next(row for row in feed if row["kind"] == "number")
    assert (number["old"], number["new"]) == ("12", "15")
    assert number["change"] == "12 → 15"
    assert number["url"] == HOSTILE_URL and number["site"] == SITE
    assert number["headline"] == V2.title


def test_edit_feed_page_highlights_changes_and_links_to_diff_and_timeline(newsroom) -> None:
    page = get(newsroom.path, "/redline/edit_feed?kind=number").text
    assert "<del>12</del>" in page and "<ins>15</ins>" in page
    assert f'href="/-/redline/diff/{newsroom.hostile_change}"' in page
    assert f'href="/-/redline/article/{newsroom.hostile_article}"' in page  # the article page


def test_article_timeline_lists_first_version_then_changes(newsroom: Newsroom) -> None:
    timeline = rows(newsroom.path, f"/redline/article_timeline.json?url={REVERTED_URL}&_sort=at")
    assert [row["event"] for row in timeline] == ["first seen", "new version", "new version"]
    assert "reverted" in timeline[-1]["summary"]
    removed = rows(newsroom.path, f"/redline/article_timeline.json?url={REMOVED_URL}&_sort=at")
    assert [row["event"] for row in removed] == ["first seen", "removed"]


def test_version_diffs_page_renders_the_body_diff(newsroom: Newsroom) -> None:
    page = get(newsroom.path, f"/redline/version_diffs?change_id={newsroom.hostile_change}").text
    assert "<del>Neimann-Ortiz</del>" in page and "<ins>Neumann-Ortiz</ins>" in page
    assert "<ins>narrowly</ins>" in page  # the headline
    assert "unchanged paragraph" in page  # unchanged paragraphs are folded in the table cell
    data = rows(newsroom.path, f"/redline/version_diffs.json?change_id={newsroom.hostile_change}")
    assert data[0]["old_body"] == V1.body and data[0]["new_body"] == V2.body


# --- canned queries ------------------------------------------------------------------------
QUERIES = [
    (
        "latest_significant_edits",
        {},
        lambda r: {"number", "name", "quote"} <= {x["kind"] for x in r},
    ),
    ("latest_significant_edits", {"kind": "name"}, lambda r: {x["kind"] for x in r} == {"name"}),
    ("latest_significant_edits", {"site": "nowhere.example"}, lambda r: r == []),
    ("latest_significant_edits", {"since": "2999-01-01"}, lambda r: r == []),
    (
        "quote_changes",
        {},
        lambda r: r and {x["kind"] for x in r} <= {"quote", "quote_added", "quote_removed"},
    ),
    (
        "name_corrections",
        {},
        lambda r: (
            [(x["old_name"], x["new_name"]) for x in r] == [("Neimann-Ortiz", "Neumann-Ortiz")]
        ),
    ),
    (
        "figure_changes",
        {},
        lambda r: [(x["old_figure"], x["new_figure"]) for x in r] == [("12", "15")],
    ),
    ("headline_changes", {}, lambda r: len(r) == 1 and "narrowly" in r[0]["new_headline"]),
    ("stealth_edits", {}, lambda r: {x["url"] for x in r} >= {HOSTILE_URL}),
    (
        "stealth_edits",
        {"site": "other.example.net"},
        lambda r: {x["url"] for x in r} <= {REVERTED_URL},
    ),
    (
        "removed_or_reverted_articles",
        {},
        lambda r: (
            {(x["event"], x["url"]) for x in r}
            == {("removed", REMOVED_URL), ("reverted", REVERTED_URL)}
        ),
    ),
    (
        "url_history",
        {"url": HOSTILE_URL},
        lambda r: [x["event"] for x in r] == ["first seen", "new version"],
    ),
    ("url_history", {"url": "https://unknown.example/"}, lambda r: r == []),
    (  # a shared link: tracking parameters dropped before the lookup
        "url_history",
        {"url": HOSTILE_URL + "?utm_source=share"},
        lambda r: [x["event"] for x in r] == ["first seen", "new version"],
    ),
    ("tagged_edits", {"tag": "untagged", "since": ""}, lambda r: r == []),
    (
        "tagged_edits",
        {"tag": "Hostile", "since": ""},
        lambda r: {x["url"] for x in r} == {HOSTILE_URL},
    ),
    ("most_edited_articles", {}, lambda r: r[0]["url"] == HOSTILE_URL and r[0]["rank"] == 1),
    ("most_edited_articles", {"per_site": "1"}, lambda r: all(x["rank"] == 1 for x in r)),
    ("most_edited_articles", {"per_site": "-1"}, lambda r: r == []),
    (
        "deleted_mentions",
        {"q": "disaster"},
        lambda r: (
            len(r) == 1 and "[disaster]" in r[0]["match"] and r[0]["kind"] == "sentence_removed"
        ),
    ),
    ("deleted_mentions", {"q": "wetland"}, lambda r: len(r) == 1),  # stemmed: wetlands
    ("deleted_mentions", {"q": ""}, lambda r: r == []),
    ("deleted_mentions", {"q": 'AND "NEAR( *'}, lambda r: r == []),  # syntax is plain text
    ("search_versions", {"q": "riverside plan"}, lambda r: len(r) == 2),
    ("search_versions", {"q": "undone"}, lambda r: [x["version"] for x in r] == [2]),
    (
        "site_health",
        {},
        lambda r: (
            [(x["site"], x["fine"], x["blocked"], x["failed"], x["hold_reason"]) for x in r]
            == [(SITE, 2, 0, 0, None), ("other.example.net", 0, 1, 1, "Retry-After")]
        ),
    ),
    (
        "site_health",
        {"since": "2999-01-01"},
        lambda r: (
            [(x["site"], x["fine"] + x["blocked"] + x["failed"]) for x in r]
            == [("other.example.net", 0)]
        ),
    ),
]


@pytest.mark.parametrize(
    ("query", "params", "check"),
    QUERIES,
    ids=[f"{q}-{'-'.join(p.values()) or 'all'}" for q, p, _ in QUERIES],
)
def test_canned_query(newsroom: Newsroom, query: str, params: dict[str, str], check) -> None:
    path = f"/redline/{query}.json?" + "&".join(f"{k}={v}" for k, v in params.items())
    found = rows(newsroom.path, path.rstrip("?"))
    assert check(found), found


def test_at_least_eight_canned_queries_each_tested_and_parameterised() -> None:
    queries = build_metadata()["databases"]["redline"]["queries"]
    assert len(queries) >= 8
    assert set(queries) == {q for q, _, _ in QUERIES}
    for name, query in queries.items():
        assert ":" in query["sql"], name  # named parameters
        assert query.get("title") and query.get("description"), name
        assert not query.get("write"), name


def test_canned_query_pages_show_a_form(newsroom: Newsroom) -> None:
    page = get(newsroom.path, "/redline/deleted_mentions?q=disaster").text
    assert 'name="q"' in page and "[disaster]" in page


# --- search --------------------------------------------------------------------------------
def test_versions_and_removed_text_are_searchable_from_their_pages(newsroom: Newsroom) -> None:
    versions = rows(newsroom.path, "/redline/versions.json?_search=wetlands")
    assert [v["seq"] for v in versions] == [1]  # the sentence was removed in version 2
    removed = rows(newsroom.path, "/redline/removed_text.json?_search=disaster")
    assert [r["kind"] for r in removed] == ["sentence_removed"]
    assert rows(newsroom.path, "/redline/removed_text.json?_search=homes") == []


def test_search_indexes_follow_inserts_updates_and_deletes(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "redline.db")
    db = store.open_db(newsroom.path)

    def hits(table: str, word: str) -> int:
        return len(list(db.query(f"select rowid from {table} where {table} match ?", [word])))

    assert hits("versions_fts", "wetlands") == 1 and hits("removed_text_fts", "disaster") == 1
    with store.write_transaction(db):
        version = _version(
            db,
            newsroom.hostile_article,
            Article(title="T", body="About marshes."),
            HOSTILE_URL,
            NOW,
        )
    assert hits("versions_fts", "marshes") == 1
    with store.write_transaction(db):
        db.execute("update versions set body = 'About lagoons.' where id = ?", [version])
    assert hits("versions_fts", "marshes") == 0 and hits("versions_fts", "lagoons") == 1
    with store.write_transaction(db):
        db.execute("delete from versions where id = ?", [version])
    assert hits("versions_fts", "lagoons") == 0
    db.close()


# --- the diff pages and the feed -----------------------------------------------------------
def test_diff_page_shows_the_edits_and_the_whole_article_highlighted(newsroom: Newsroom) -> None:
    page = get(newsroom.path, f"/-/redline/diff/{newsroom.hostile_change}").text
    assert "<del>12</del> <ins>15</ins>" in page
    assert "<del>Neimann-Ortiz</del>" in page and "<ins>Neumann-Ortiz</ins>" in page
    assert "The first homes could be ready in 2028." in page  # unchanged text is shown too
    assert "stealth" in page
    compact = get(newsroom.path, f"/-/redline/diff/{newsroom.hostile_change}?context=0").text
    assert "The first homes could be ready in 2028." not in compact
    assert "unchanged paragraph" in compact


def test_diff_page_of_a_removal_shows_the_last_version(newsroom: Newsroom) -> None:
    page = get(newsroom.path, f"/-/redline/diff/{newsroom.removed_change}").text
    assert "article removed" in page and "<del>A story that did not last.</del>" in page


def test_compare_page_diffs_any_two_versions(newsroom: Newsroom) -> None:
    page = get(newsroom.path, f"/-/redline/compare/{newsroom.hostile_article}/1/2").text
    assert "<del>12</del> <ins>15</ins>" in page


@pytest.mark.parametrize(
    "path", ["/-/redline/diff/99999", "/-/redline/compare/1/1/99", "/-/redline/compare/99999/1/2"]
)
def test_unknown_change_or_version_is_404(newsroom: Newsroom, path: str) -> None:
    assert get(newsroom.path, path).status_code == 404


def _atom_entries(body: bytes) -> list[ET.Element]:
    feed = ET.fromstring(body)
    return feed.findall("{http://www.w3.org/2005/Atom}entry")


def test_atom_feed_has_one_entry_per_change_with_old_and_new_text(newsroom: Newsroom) -> None:
    response = get(newsroom.path, "/-/redline/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    entries = _atom_entries(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    by_id = {e.findtext(f"{atom}id"): e for e in entries}
    hostile = by_id[f"http://localhost/-/redline/diff/{newsroom.hostile_change}"]
    content = hostile.findtext(f"{atom}content") or ""
    assert "Before: <del>12</del><br>After: <ins>15</ins>" in content
    assert "Neimann-Ortiz" in content and "Neumann-Ortiz" in content
    assert hostile.find(f"{atom}link[@rel='related']").get("href") == HOSTILE_URL
    # Hostile text is escaped inside the HTML content, then the HTML is escaped as XML text.
    assert not any(marker in content for marker in RAW)
    assert "&lt;script&gt;document.title" in content
    assert not any(marker.encode() in response.content for marker in RAW)


def test_atom_feed_filters_and_an_empty_feed_is_still_valid(newsroom: Newsroom) -> None:
    names = _atom_entries(get(newsroom.path, "/-/redline/feed.atom?kind=removed").content)
    assert len(names) == 1
    empty = get(newsroom.path, "/-/redline/feed.atom?site=nowhere.example")
    assert empty.status_code == 200 and _atom_entries(empty.content) == []
    assert get(newsroom.path, "/-/redline/feed.atom?min_score=x").status_code == 400


@given(HOSTILE_TEXT)
def test_any_article_text_makes_a_well_formed_feed(text: str) -> None:
    change = FeedChange(
        change_id=1,
        detected_at="2026-11-04T08:00:00+00:00",
        site=SITE,
        url=HOSTILE_URL,
        headline=text,
        summary="quote changed",
        stealth=True,
        diff_url="http://localhost/-/redline/diff/1",
        edits=(
            {
                "kind": "quote",
                "old": text,
                "new": text + "x",
                "score": 0.85,
                "old_sentence": text,
                "new_sentence": text + "x",
            },
        ),
    )
    feed = atom_feed("t", "http://localhost/feed", "http://localhost/", [change])
    assert len(_atom_entries(feed)) == 1


def test_feed_links_use_the_public_url_when_configured(newsroom: Newsroom) -> None:
    body = get(
        newsroom.path, "/-/redline/feed.atom", public_url="https://redline.example.org"
    ).content
    assert b"https://redline.example.org/-/redline/diff/" in body


# --- escaping: article text is hostile -----------------------------------------------------
def _pages_showing_article_text(newsroom: Newsroom) -> list[str]:
    queries = build_metadata()["databases"]["redline"]["queries"]
    params = {"url": HOSTILE_URL, "q": "disaster", "tag": "hostile"}
    return [
        "/redline",
        *(
            f"/redline/{table}"
            for table in (
                "articles",
                "versions",
                "edits",
                "changes",
                "edit_feed",
                "article_timeline",
                "version_diffs",
                "removed_text",
            )
        ),
        "/redline/edit_feed?_search=x&kind=headline",
        "/redline/removed_text?_search=disaster",
        "/redline/versions?_search=council",
        "/redline/versions/1",
        "/redline/edits/1",
        f"/redline/articles/{newsroom.hostile_article}",
        f"/redline/changes/{newsroom.hostile_change}",
        *(
            f"/redline/{name}?"
            + "&".join(
                f"{p}={params.get(p, '')}" for p in ("url", "q", "tag") if f":{p}" in q["sql"]
            )
            for name, q in queries.items()
        ),
        "/redline?sql=select+title,+byline,+body+from+versions",
        "/redline?sql=select+old+as+change,+new,+old_sentence+from+edits",
        f"/-/redline/diff/{newsroom.hostile_change}",
        f"/-/redline/compare/{newsroom.hostile_article}/1/2",
        f"/-/redline/compare/{newsroom.hostile_article}/2/1",
    ]


def test_hostile_article_text_is_escaped_on_every_page(newsroom: Newsroom) -> None:
    paths = _pages_showing_article_text(newsroom)
    for path, response in fetch(newsroom.path, paths).items():
        assert response.status_code == 200, (path, response.text[:500])
        page = response.text
        for raw in RAW:
            assert raw not in page, f"{raw!r} unescaped on {path}"
        elsewhere = (
            "/redline",
            f"/redline/changes/{newsroom.hostile_change}",
            "/redline/removed_or_reverted_articles?",
            "/redline/site_health?",  # counts per site: no article text at all
        )  # pages of other articles' text
        if path not in elsewhere:
            assert any(escaped in page for escaped in ESCAPED), f"no article text on {path}"


@pytest.mark.parametrize(
    "path", ["/redline/versions.json", "/redline/edit_feed.csv", "/redline/versions.csv?_dl=1"]
)
def test_raw_text_formats_are_never_served_as_html(newsroom: Newsroom, path: str) -> None:
    response = get(newsroom.path, path)
    assert response.status_code == 200
    assert "html" not in response.headers["content-type"]


def test_render_config_at_database_level_is_refused(newsroom: Newsroom) -> None:
    metadata = build_metadata()
    metadata["databases"]["redline"]["plugins"] = {
        "redline": {"cells": {"title": {"type": "collapsed"}}}
    }

    async def start() -> None:
        datasette = make_datasette(newsroom.path)
        datasette._metadata_local = metadata
        await datasette.invoke_startup()

    with pytest.raises(StartupError, match="per table or view"):
        asyncio.run(start())


def test_arbitrary_sql_never_gets_a_renderer(newsroom: Newsroom) -> None:
    """A ?sql= query naming its columns like a view's rendered ones still shows plain text."""
    page = get(
        newsroom.path,
        "/redline?sql=select+'<b>x</b>'+as+change,+"
        "'<b>y</b>'+as+old_sentence,+'<i>z</i>'+as+new_sentence",
    ).text
    assert "<ins>" not in page and "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("query", "highlighted"),
    [
        ("quote_changes", "<ins>"),
        ("name_corrections", "<del>Neimann-Ortiz</del>"),
        ("figure_changes", "<ins>15</ins>"),
        ("headline_changes", "<ins>narrowly</ins>"),
        ("latest_significant_edits", "<del>12</del>"),
    ],
)
def test_canned_queries_highlight_and_link_the_diff_and_the_captured_page(
    newsroom: Newsroom, query: str, highlighted: str
) -> None:
    page = get(newsroom.path, f"/redline/{query}").text
    assert highlighted in page
    assert f'href="/-/redline/diff/{newsroom.hostile_change}"' in page
    assert 'href="/-/redline/snapshot/' in page or "captured page" not in page
    header = re.findall(r'<th class="col-([a-z_]+)"', page)
    assert header.index("change_id") < 5  # the key columns first


def test_stealth_edits_link_every_row_to_its_diff(newsroom: Newsroom) -> None:
    page = get(newsroom.path, "/redline/stealth_edits").text
    assert f'href="/-/redline/diff/{newsroom.hostile_change}"' in page


def test_arbitrary_sql_is_not_rendered_even_with_a_canned_querys_columns(newsroom) -> None:
    """The same SELECT as a canned query, sent as ?sql=, stays plain text; a canned query's page
    runs its own SQL whatever `?sql=` says."""
    sql = (
        "select '<b>x</b>' as change, 'a' as old, 'b' as new, '' as old_sentence, "
        "'' as new_sentence, 1 as change_id, 'javascript:alert(1)' as url, 'h' as headline"
    )
    page = get(newsroom.path, "/redline?sql=" + urllib.parse.quote(sql)).text
    assert "<del>" not in page and "<b>x</b>" not in page
    assert 'href="/-/redline/diff/1"' not in page
    canned = get(newsroom.path, "/redline/quote_changes?sql=" + urllib.parse.quote(sql)).text
    assert "<b>x</b>" not in canned and "&lt;b&gt;x" not in canned


def test_views_put_the_key_columns_first_and_name_a_count_significant_edits(newsroom) -> None:
    timeline = rows(newsroom.path, f"/redline/article_timeline.json?url={HOSTILE_URL}")
    diffs = rows(newsroom.path, f"/redline/version_diffs.json?change_id={newsroom.hostile_change}")
    feed = rows(newsroom.path, f"/redline/edit_feed.json?change_id={newsroom.hostile_change}")
    assert "significant" not in timeline[0] and "significant" not in diffs[0]
    assert diffs[0]["significant_edits"] >= 3 and {r["significant"] for r in feed} <= {0, 1}
    assert "snapshot_id" in diffs[0] and "snapshot_id" in timeline[0]
    assert list(feed[0])[:5] == ["change", "headline", "kind", "change_id", "snapshot_id"]


# --- read-only and SQL permissions ---------------------------------------------------------
@pytest.mark.parametrize(
    "sql",
    [
        "delete from articles",
        "update articles set title = 'x'",
        "insert into sources (kind, url, added_at) values ('feed', 'https://x.example/', 'now')",
        "drop table edits",
    ],
)
def test_the_public_can_never_write(newsroom: Newsroom, sql: str) -> None:
    response = get(newsroom.path, "/redline.json?sql=" + urllib.parse.quote(sql))
    assert response.status_code == 400
    db = store.open_db(newsroom.path)
    try:
        assert db.execute("select count(*) from articles").fetchone()[0] == 3
        assert db.execute("select count(*) from edits").fetchone()[0] > 0
    finally:
        db.close()


def test_no_allow_sql_blocks_arbitrary_sql_but_not_views_or_canned_queries(newsroom) -> None:
    pages = fetch(
        newsroom.path,
        [
            "/redline?sql=select+1",
            "/redline/edit_feed",
            "/redline/figure_changes",
            "/-/redline/diff/1",
        ],
        allow_sql=False,
    )
    assert pages["/redline?sql=select+1"].status_code == 403
    assert all(r.status_code == 200 for p, r in pages.items() if "sql=" not in p)


def test_the_database_is_opened_mutable_under_a_stable_name(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "any-name.db")
    datasette = make_datasette(newsroom.path)
    assert list(datasette.databases) == ["_internal", "redline"]
    assert datasette.databases["redline"].is_mutable


# --- the command ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--public-url", "ftp://x"], "expected an http or https URL"),
        (["serve", "--port", "70000"], "70000"),
    ],
)
def test_serve_rejects_bad_options_in_one_line(
    newsroom: Newsroom, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(cli, ["--db", str(newsroom.path), *args])
    assert result.exit_code != 0 and message in result.output


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.db"), "serve"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: no database at")


@pytest.mark.e2e
def test_redline_serve_answers_over_http_and_sees_new_writes(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "redline.db")
    server, base = start_server(newsroom.path)
    try:
        with urllib.request.urlopen(f"{base}/redline/edit_feed.json?_shape=array") as answer:
            before = json.load(answer)
        assert before
        # The crawler keeps writing while Datasette serves: the new change shows at once.
        db = store.open_db(newsroom.path)
        with store.write_transaction(db):
            store.add_change(
                db,
                newsroom.hostile_article,
                None,
                None,
                [make_edit("removed", "article", old=HOSTILE_URL)],
                NOW,
            )
        db.close()
        with urllib.request.urlopen(f"{base}/redline/edit_feed.json?_shape=array") as answer:
            after = json.load(answer)
        assert len(after) == len(before) + 1
        with urllib.request.urlopen(f"{base}/-/redline/diff/{newsroom.hostile_change}") as page:
            assert "<ins>15</ins>" in page.read().decode()
    finally:
        assert stop_server(server).status == 0


def test_most_edited_articles_counts_what_the_edits_table_holds(newsroom: Newsroom) -> None:
    """The canned query counts from changes through an index; the edits themselves must agree."""
    ranked = rows(newsroom.path, "/redline/most_edited_articles.json?since=2000-01-01")
    db = store.open_db(newsroom.path)
    try:
        expected = {
            row["article_id"]: (row["n"], row["changes"])
            for row in db.query(
                "select article_id, count(*) as n, count(distinct change_id) as changes "
                "from edits where significant = 1 group by article_id"
            )
        }
    finally:
        db.close()
    assert ranked and len(ranked) == len(expected)
    for row in ranked:
        assert (row["significant_edits"], row["changes"]) == expected[row["article_id"]]


@pytest.mark.e2e
def test_serve_cluster_keeps_the_desk_from_writing_into_the_rollup(tmp_path: Path) -> None:
    # Review finding 2: the desk wrote into the rollup, which the shards' copies overwrite (an
    # article added there would never be checked).
    cluster = tmp_path / "shards"
    cluster.mkdir()
    server, base = start_server(tmp_path / "unused.db", "--cluster", str(cluster))
    try:
        page = httpx.get(f"{base}/", timeout=HTTP_TIMEOUT_S).text
        assert "cannot be changed here: this is a cluster&#39;s rollup" in page
        assert 'id="add-form"' not in page and "Sign in to make changes" not in page
        refused = httpx.post(  # a Bearer header skips the CSRF check; loopback may write
            f"{base}/-/redline/desk/add",
            data={"urls": "https://news.example.org/a"},
            headers={"Authorization": "Bearer none"},
            timeout=HTTP_TIMEOUT_S,
        )
        assert refused.status_code == 403 and "rollup" in refused.text
    finally:
        stopped = stop_server(server)
    assert stopped.status == 0
    assert "watch desk: read-only (this is a cluster's rollup" in stopped.output
    with sqlite3.connect(cluster / "rollup.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone() == (0,)
