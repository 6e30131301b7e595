"""The watch desk through Datasette's in-process client: pages, writes through the same library
as the CLI (errors shown on the page), who may write, CSRF, exports, the article page and its
WARC download."""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor import store
from monitor.store.rounds import discovery_mark, discovery_report, next_check_due
from monitor.web.datasette import desk as desk_module
from monitor.web.serve import desk_writers, make_datasette
from tests.conftest import rows
from tests.test_serve import HOSTILE_URL, Newsroom, build_newsroom
from tests.test_watch import add_evidence

A = "https://news.example.org/2026/a.html"
B = "https://news.example.org/2026/b.html"
FEED = "https://news.example.org/rss.xml"
TOKEN = "s3cret-for-tests"


class Desk:
    """A Datasette on a newsroom database, and a visitor with its cookies."""

    def __init__(self, path: Path, **choices: Any) -> None:
        self.datasette = make_datasette(path, **choices)
        asyncio.run(self.datasette.invoke_startup())
        self.cookies: dict[str, str] = {}

    def _keep(self, response: Any) -> Any:
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self._keep(
            asyncio.run(self.datasette.client.get(path, cookies=self.cookies, **kwargs))
        )

    def csrftoken(self) -> str:
        page = self.get("/").text
        found = re.search(r'name="csrftoken" value="([^"]+)"', page)
        assert found, "the desk has no form"
        return found.group(1)

    def post(self, path: str, data: dict[str, str], *, token: bool = True, **kwargs: Any) -> Any:
        fields = {"csrftoken": self.csrftoken()} | data if token else data
        return self._keep(
            asyncio.run(
                self.datasette.client.post(path, data=fields, cookies=self.cookies, **kwargs)
            )
        )

    def act(self, action: str, **data: str) -> str:
        """A desk write, then the page it returns to, with its messages."""
        response = self.post(f"/-/redline/desk/{action}", data | {"back": "/"})
        assert response.status_code == 302, response.text
        return str(self.get(response.headers["location"]).text)


@pytest.fixture
def newsroom(tmp_path: Path) -> Newsroom:
    return build_newsroom(tmp_path / "redline.db")


@pytest.fixture
def desk(newsroom: Newsroom) -> Desk:
    return Desk(newsroom.path)


def listed(path: Path, **filters: str) -> list[tuple[int, str, list[str]]]:
    db = store.open_db(path)
    try:
        from monitor.store.tags import watch_listing

        return [(r["id"], r["state"], r["tags"]) for r in watch_listing(db, **filters)]
    finally:
        db.close()


def test_the_home_page_is_the_desk(desk: Desk, newsroom: Newsroom) -> None:
    page = desk.get("/").text
    assert "Watch desk" in page
    assert re.search(r"<strong>3</strong> article\(s\) watched", page)
    assert 'class="redline-chart"' in page and "<rect" in page  # the chart, drawn on the server
    assert f'href="/-/redline/article/{newsroom.hostile_article}"' in page
    assert "<script>document.title" not in page  # article text escaped
    assert "<th>kind</th><th>field</th><th>score</th>" in page


def test_add_tag_pause_resume_remove_from_the_desk(desk: Desk, newsroom: Newsroom) -> None:
    page = desk.act("add", urls=f"{A}\n{B}?utm_campaign=x", kind="article", tags="Council")
    assert f"tracking: {A} (tags: council)" in page and f"tracking: {B}" in page
    assert desk.act("tag", ref="a4", tags="front page").count("tagged a4: front page") == 1
    assert "paused a4" in desk.act("pause", ref="a4")
    assert "watching a4" in desk.act("resume", ref="a4")
    assert "removed a5" in desk.act("remove", ref="a5")
    assert listed(newsroom.path, tag="council") == [
        (5, "removed", ["council"]),
        (4, "on", ["council", "front page"]),
    ]
    filtered = desk.get("/?tag=council").text
    assert A in filtered and HOSTILE_URL not in filtered


def test_the_desk_shows_the_librarys_errors(desk: Desk, newsroom: Newsroom) -> None:
    page = desk.act("add", urls=f"{A}\nftp://x.example/", kind="article")
    assert "entry 2 (ftp://x.example/): only http and https URLs can be tracked" in page
    assert "a section source needs a match pattern" in desk.act("add", urls=FEED, kind="section")
    assert "no article a99" in desk.act("pause", ref="a99")
    assert len(listed(newsroom.path)) == 3  # nothing half-added


def _dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return list(db.iterdump())


@pytest.mark.parametrize(
    ("action", "form", "done"),
    [
        # pause and purge: two writes, one transaction
        ("remove", {"ref": "a1", "purge": "1", "confirm": "yes"}, "removed a1"),
        # adding looks the host up, then writes in its own transaction
        ("add", {"urls": A, "kind": "article"}, f"tracking: {A}"),
        ("tag", {"ref": "a1", "tags": "budget"}, "tagged a1: budget"),
    ],
)
def test_a_write_meeting_a_locked_database_is_a_503_to_retry_with_nothing_written(
    desk: Desk,
    newsroom: Newsroom,
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    form: dict[str, str],
    done: str,
) -> None:
    monkeypatch.setattr(desk_module, "BUSY_TIMEOUT_MS", 50)  # not the minute a crawl would wait
    before = _dump(newsroom.path)
    holder = sqlite3.connect(newsroom.path)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        response = desk.post(f"/-/redline/desk/{action}", form)
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(desk_module.RETRY_AFTER_S)
    (line,) = response.text.strip().splitlines()
    assert line.startswith("the database is busy with another write (database is locked)")
    assert _dump(newsroom.path) == before  # nothing written
    assert done in desk.act(action, **form)  # the same form works once the lock is free


def test_purge_asks_first(desk: Desk, newsroom: Newsroom) -> None:
    article = f"a{newsroom.hostile_article}"
    asked = desk.post("/-/redline/desk/remove", {"ref": article, "purge": "1", "back": "/"})
    assert asked.status_code == 200 and "Delete the stored history?" in asked.text
    assert listed(newsroom.path, state="removed") == []
    done = desk.act("remove", ref=article, purge="1", confirm="yes")
    assert "purged:" in done
    db = store.open_db(newsroom.path)
    try:
        assert store.versions_of(db, newsroom.hostile_article) == []
    finally:
        db.close()


def test_purge_from_the_desk_with_a_screenshot_and_a_save_request(
    desk: Desk, newsroom: Newsroom
) -> None:
    # Review finding 1: their foreign keys made the purge fail (a 500).
    add_evidence(newsroom.path, newsroom.hostile_article)
    done = desk.act("remove", ref=f"a{newsroom.hostile_article}", purge="1", confirm="yes")
    assert "1 archive_saves" in done and "1 screenshots" in done
    for table in ("screenshots", "archive_saves"):
        assert rows(newsroom.path, f"select count(*) as n from {table}") == [{"n": 0}]


def test_import_and_export_the_watch_list(desk: Desk, newsroom: Newsroom) -> None:
    listing = f"url,kind,tags\n{A},,council\n{FEED},feed,elections\n"
    response = desk.post(
        "/-/redline/desk/import",
        {"tags": "beat", "back": "/"},
        files={"file": ("beat.csv", listing.encode(), "text/csv")},
    )
    assert response.status_code == 302, response.text
    assert f"added feed source: {FEED} (tags: elections, beat)" in desk.get("/").text
    exported = desk.get("/-/redline/export.csv?tag=beat")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.text.splitlines() == [
        "url,kind,match,tags",
        f'{FEED},feed,,"beat, elections"',  # tags by name
        f'{A},article,,"beat, council"',
    ]
    opml = desk.get("/-/redline/export.opml").text
    assert f'xmlUrl="{FEED}"' in opml and A not in opml
    assert '[[source]]\nkind = "feed"' in desk.get("/-/redline/export.toml").text


def test_a_shared_url_finds_its_article(desk: Desk, newsroom: Newsroom) -> None:
    shared = HOSTILE_URL + "?utm_source=twitter&utm_medium=social#comments"
    found = desk.get("/-/redline/find", params={"url": shared})
    assert found.status_code == 302
    assert found.headers["location"] == f"/-/redline/article/{newsroom.hostile_article}"
    history = desk.get("/redline/url_history.json", params={"url": shared, "_shape": "array"})
    assert history.json(), "url_history finds the article from a shared link"
    assert (
        desk.get("/-/redline/find", params={"url": "https://nowhere.example/x"}).status_code == 404
    )


def test_the_article_page(desk: Desk, newsroom: Newsroom) -> None:
    page = desk.get(f"/-/redline/article/{newsroom.hostile_article}").text
    for expected in (
        HOSTILE_URL,
        "Version 1",
        "Version 2",
        "figure updated",
        "<del>12</del>",
        "<ins>15</ins>",
        f'href="/-/redline/diff/{newsroom.hostile_change}"',
        "evidence.warc.gz?version=2",
        'id="compare-form"',
        "What counts as an edit",
    ):
        assert expected in page, expected
    assert "<script>document.title" not in page
    picked = desk.get(f"/-/redline/article/{newsroom.hostile_article}/compare?from=2&to=1")
    assert picked.headers["location"] == f"/-/redline/compare/{newsroom.hostile_article}/1/2"
    assert desk.get("/-/redline/article/999").status_code == 404


def test_the_warc_download_reads_back_with_warcio(desk: Desk, newsroom: Newsroom) -> None:
    db = store.open_db(newsroom.path)
    try:
        page = b"<html><body><h1>Council</h1><p>Kept text.</p></body></html>"
        snapshot = store.save_snapshot(db, page, "text/html", store.utc_now())
        with store.write_transaction(db):
            db.execute(
                "update versions set snapshot_id = ? where article_id = ? and seq = 2",
                [snapshot, newsroom.hostile_article],
            )
    finally:
        db.close()
    response = desk.get(f"/-/redline/article/{newsroom.hostile_article}/evidence.warc.gz?version=2")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/warc"
    records = [  # each record's payload read as it comes (the iterator streams)
        (record.rec_type, record.content_stream().read())
        for record in ArchiveIterator(io.BytesIO(response.content), check_digests=True)
    ]
    assert {"response", "metadata"} <= {kind for kind, _ in records}
    assert [body for kind, body in records if kind == "response"] == [page]
    assert (
        desk.get(
            f"/-/redline/article/{newsroom.hostile_article}/evidence.warc.gz?version=x"
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("evidence.warc.gz?version=99999999999999999999", 404),  # past SQLite's integers
        ("evidence.warc.gz?version=9223372036854775808", 404),
        ("evidence.warc.gz?version=\u00b2", 400),  # a digit to str.isdigit, not to int()
        ("evidence.warc.gz?version=-1", 400),
        ("compare?from=1&to=99999999999999999999", 404),
        ("compare?from=\u00b2&to=1", 400),
        ("compare?from=1", 400),
    ],
)
def test_a_version_out_of_range_or_not_a_number_is_a_client_error(
    desk: Desk, newsroom: Newsroom, query: str, status: int
) -> None:
    # Review finding 10: these were 500s (OverflowError, ValueError).
    response = desk.get(f"/-/redline/article/{newsroom.hostile_article}/{query}")
    assert response.status_code == status


def test_the_legend_links_to_the_readme_section(desk: Desk, newsroom: Newsroom) -> None:
    diff = desk.get(f"/-/redline/diff/{newsroom.hostile_change}").text
    assert 'href="/-/redline/what-counts-as-an-edit"' in diff
    section = desk.get("/-/redline/what-counts-as-an-edit").text
    assert "<code>quote_added</code>" in section and "sentence_moved" in section


# --- who may write -------------------------------------------------------------------------------
def test_writes_are_refused_on_a_public_address_without_the_token(newsroom: Newsroom) -> None:
    desk = Desk(newsroom.path, bound_url="http://0.0.0.0:8001", write_token=TOKEN)
    page = desk.get("/").text
    assert "Sign in to make changes" in page and 'id="add-form"' not in page
    refused = desk.post("/-/redline/desk/add", {"urls": A}, token=False)
    assert refused.status_code == 403
    token = re.search(r'name="csrftoken" value="([^"]+)"', desk.get("/-/redline/login").text)
    assert token is not None
    wrong = desk.post(
        "/-/redline/login", {"token": "guess", "csrftoken": token.group(1)}, token=False
    )
    assert wrong.status_code == 403
    signed = desk.post(
        "/-/redline/login", {"token": TOKEN, "csrftoken": token.group(1)}, token=False
    )
    assert signed.status_code == 302 and "ds_actor" in desk.cookies
    assert f"tracking: {A}" in desk.act("add", urls=A)


@pytest.mark.parametrize(
    ("back", "location"),
    [
        ("/?tag=council", "/?tag=council"),
        ("/-/redline/article/1", "/-/redline/article/1"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),  # browsers read a backslash as a slash
        ("/\t/evil.example", "/"),  # and drop tabs and newlines
        ("/\n/evil.example", "/"),
        ("https://evil.example/", "/"),
    ],
)
def test_after_sign_in_or_a_write_the_desk_sends_back_only_to_itself(
    newsroom: Newsroom, back: str, location: str
) -> None:
    # Review finding 13: `/\evil.com` was an open redirect after login.
    desk = Desk(newsroom.path, bound_url="http://0.0.0.0:8001", write_token=TOKEN)
    token = re.search(r'name="csrftoken" value="([^"]+)"', desk.get("/-/redline/login").text)
    assert token is not None
    fields = {"token": TOKEN, "csrftoken": token.group(1), "back": back}
    signed = desk.post("/-/redline/login", fields, token=False)
    assert signed.status_code == 302 and signed.headers["location"] == location
    paused = desk.post("/-/redline/desk/pause", {"ref": "a1", "back": back})
    assert paused.status_code == 302 and paused.headers["location"] == location


def test_the_token_works_as_a_bearer_header(newsroom: Newsroom) -> None:
    desk = Desk(newsroom.path, bound_url="http://0.0.0.0:8001", write_token=TOKEN)
    response = asyncio.run(
        desk.datasette.client.post(
            "/-/redline/desk/pause",
            data={"ref": "a1"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    )
    assert response.status_code == 302
    assert listed(newsroom.path, state="paused")[0][0] == 1


def test_behind_a_public_url_loopback_is_not_trusted(newsroom: Newsroom) -> None:
    desk = Desk(newsroom.path, public_url="https://redline.example.org")
    assert 'id="add-form"' not in desk.get("/").text


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        ({"urls": A}, {}),  # no CSRF cookie: a cross-site form sends none
        ({"urls": A, "csrftoken": "forged"}, {}),
        ({"urls": A}, {"Sec-Fetch-Site": "cross-site"}),
    ],
)
def test_csrf_is_refused(newsroom: Newsroom, data: dict[str, str], headers: dict[str, str]) -> None:
    desk = Desk(newsroom.path)
    if "csrftoken" in data or headers:
        desk.csrftoken()  # the visitor has the CSRF cookie
    fields = data if "csrftoken" in data or not headers else data | {"csrftoken": desk.csrftoken()}
    response = asyncio.run(
        desk.datasette.client.post(
            "/-/redline/desk/add", data=fields, cookies=desk.cookies, headers=headers
        )
    )
    assert response.status_code == 403
    assert len(listed(newsroom.path)) == 3


# --- daemon lines ------------------------------------------------------------------------------
def test_discovery_report_counts_sources_read_and_new_articles_per_site(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "d.db")
    try:
        mark = discovery_mark(db)
        store.add_source(db, "feed", FEED, "", store.utc_now())
        store.track_discovered(db, 1, [A, B, "https://other.example/x"], store.utc_now())
        line = discovery_report(db, mark).line()
        assert line == "read 1 source, 3 new articles: news.example.org 2, other.example 1"
        assert next_check_due(db) is not None
    finally:
        db.close()


def test_a_canned_query_tab_has_its_title_not_its_sql(desk: Desk) -> None:
    page = desk.get("/redline/quote_changes").text
    assert "<title>Quote changes · redline</title>" in page
    assert "<title>redline: select" in desk.get("/redline?sql=select+1").text


@pytest.mark.parametrize(
    ("host", "public_url", "token", "expected"),
    [
        ("127.0.0.1", "", "", "changes allowed from this machine"),
        ("::1", "", "t", "changes allowed from this machine and with the write token"),
        ("0.0.0.0", "", "t", "changes need the write token (sign in at /-/redline/login)"),
        (
            "127.0.0.1",
            "https://r.example",
            "",
            "read-only (set serve.write_token to allow changes)",
        ),
    ],
)
def test_serve_says_who_may_change_the_watch_list(
    host: str, public_url: str, token: str, expected: str
) -> None:
    assert desk_writers(host, public_url, token) == expected
    assert desk_writers(host, public_url, token, "a rollup") == "read-only (a rollup)"


def test_a_canned_query_lists_the_edits_of_a_tag(desk: Desk, newsroom: Newsroom) -> None:
    desk.act("tag", ref=f"a{newsroom.hostile_article}", tags="council")
    rows = desk.get(
        "/redline/tagged_edits.json", params={"tag": "Council", "since": "", "_shape": "array"}
    ).json()
    assert rows and {row["url"] for row in rows} == {HOSTILE_URL}
    assert 'href="/redline/tagged_edits?tag=council"' in desk.get("/?tag=council").text


def test_an_imported_sources_file_keeps_how_its_articles_are_read(
    desk: Desk, newsroom: Newsroom
) -> None:
    listing = (
        '[[source]]\nkind = "feed"\nurl = "https://app.example/feed.xml"\n'
        'render = "browser"\nscreenshot = true\n'
    )
    response = desk.post(
        "/-/redline/desk/import",
        {"back": "/"},
        files={"file": ("sources.toml", listing.encode(), "application/toml")},
    )
    assert response.status_code == 302, response.text
    [source] = rows(
        newsroom.path,
        "select render, screenshot from sources where url = 'https://app.example/feed.xml'",
    )
    assert (source["render"], source["screenshot"]) == ("browser", 1)
