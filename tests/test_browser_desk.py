"""The watch desk in a real browser: headless Chromium (driven by Playwright through the system
`chromium`) adds, tags, pauses, resumes, removes, imports and exports from a real `redline
serve`; the article page, its compare picker and its WARC download (read back with warcio); a
write refused without the token when the server is not on loopback; a cross-site form refused.
Skips where Chromium or Playwright is absent (`make browser-deps`, `pip install playwright`)."""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from monitor import store
from tests.test_serve import HOSTILE_URL, Newsroom, build_newsroom
from tools.screenshots import find_chromium, start_server, stop_server

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="Chromium is not installed (make browser-deps: apt-get install chromium)",
    ),
]

A = "https://news.example.org/2026/a.html"
B = "https://news.example.org/2026/b.html"
FEED = "https://news.example.org/rss.xml"
TOKEN = "browser-test-token"
PAGE = b"<html><body><h1>Council narrowly approves</h1><p>Kept text.</p></body></html>"
# Each step's bound in a loaded machine: a deadline to fail on a hang, not a timing claim.
STEP_MS = 30_000


def newsroom_with_capture(path: Path) -> Newsroom:
    newsroom = build_newsroom(path)
    db = store.open_db(path)
    try:
        snapshot = store.save_snapshot(db, PAGE, "text/html", store.utc_now())
        with store.write_transaction(db):
            db.execute(
                "update versions set snapshot_id = ? where article_id = ?",
                [snapshot, newsroom.hostile_article],
            )
            store.add_check(  # as a crawl records it: the check that kept the page
                db,
                article_id=newsroom.hostile_article,
                checked_at=store.stamp(store.utc_now()),
                outcome="new_version",
                http_status=200,
                snapshot_id=snapshot,
            )
    finally:
        db.close()
    return newsroom


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(STEP_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Newsroom, str]]:
    newsroom = newsroom_with_capture(tmp_path / "redline.db")
    server, base = start_server(newsroom.path)
    try:
        yield newsroom, base
    finally:
        stop_server(server)


def messages(page: Any) -> str:
    return str(page.inner_text("body"))


def test_add_tag_pause_resume_remove_from_the_desk(served: tuple[Newsroom, str], page: Any) -> None:
    _, base = served
    page.goto(base + "/")
    page.fill("#add-urls", f"{A}\n{B}?utm_source=newsletter")
    page.fill("#add-tags", "council")
    page.click("#add-submit")
    assert f"tracking: {A} (tags: council)" in messages(page)
    assert f"tracking: {B} (tags: council)" in messages(page)

    page.fill("#tag-ref", B)
    page.fill("#tag-tags", "front page")
    page.click("#tag-submit")
    assert "tagged a5: front page" in messages(page)

    row = 'tr[data-article="5"]'
    page.click(f'{row} button:text("pause")')
    assert page.inner_text(f"{row} td.state") == "paused"
    page.click(f'{row} button:text("resume")')
    assert page.inner_text(f"{row} td.state") == "on"
    page.click(f'{row} button:text("remove")')
    assert page.inner_text(f"{row} td.state") == "removed"

    page.goto(base + "/?tag=" + urllib.parse.quote("front page"))
    assert page.locator("#articles tbody tr").count() == 1


def test_import_and_export_from_the_desk(
    served: tuple[Newsroom, str], page: Any, tmp_path: Path
) -> None:
    _, base = served
    listing = tmp_path / "beat.csv"
    listing.write_text(f"url,kind,tags\n{A},,council\n{FEED},feed,elections\n", encoding="utf-8")
    page.goto(base + "/")
    page.set_input_files("#import-file", str(listing))
    page.click("#import-submit")
    assert f"added feed source: {FEED} (tags: elections)" in messages(page)
    with page.expect_download() as download:
        page.click("#export-csv")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"{FEED},feed,,elections" in exported and f"{A},article,,council" in exported
    with page.expect_download() as download:
        page.click("#export-opml")
    assert f'xmlUrl="{FEED}"' in Path(download.value.path()).read_text(encoding="utf-8")


def test_the_article_page_compares_and_downloads_evidence(
    served: tuple[Newsroom, str], page: Any
) -> None:
    newsroom, base = served
    page.goto(f"{base}/-/redline/article/{newsroom.hostile_article}")
    assert HOSTILE_URL in messages(page)
    assert page.locator("td.redline-diff ins", has_text="15").count() >= 1
    with page.expect_download() as download:
        page.click("#evidence-all")
    raw = Path(download.value.path()).read_bytes()
    records = [
        (record.rec_type, record.content_stream().read())
        for record in ArchiveIterator(io.BytesIO(raw), check_digests=True)
    ]
    assert ("response", PAGE) in records
    assert sum(kind == "metadata" for kind, _ in records) >= 2

    page.select_option("#compare-from", "2")
    page.select_option("#compare-to", "1")
    # The click returns once the navigation has started: wait for the compare page to load
    # before counting what it shows (on a loaded machine the count ran on a page not yet parsed).
    with page.expect_navigation():
        page.click("#compare-form button")
    assert page.url.endswith(f"/-/redline/compare/{newsroom.hostile_article}/1/2")
    assert page.locator("ins", has_text="narrowly").count() >= 1


def test_purge_from_the_article_page_asks_first(served: tuple[Newsroom, str], page: Any) -> None:
    newsroom, base = served
    page.goto(f"{base}/-/redline/article/{newsroom.hostile_article}")
    page.click('button:text("Remove and delete history…")')
    assert "Delete the stored history?" in messages(page)
    page.click("#confirm-purge")
    assert "purged:" in messages(page)
    page.goto(f"{base}/-/redline/article/{newsroom.hostile_article}")
    assert page.inner_text("#watch-state") == "removed"
    assert "Timeline (0 versions)" in messages(page)


def test_a_cross_site_form_is_refused(served: tuple[Newsroom, str], page: Any) -> None:
    newsroom, base = served
    page.goto(base + "/")  # the journalist has the desk's cookies
    attack = (
        f'<form method="post" action="{base}/-/redline/desk/remove">'
        f'<input name="ref" value="a{newsroom.hostile_article}"><button id="go">go</button></form>'
    )
    page.goto("data:text/html," + urllib.parse.quote(attack))
    with page.expect_navigation() as navigation:
        page.click("#go")
    assert navigation.value.status == 403
    page.goto(f"{base}/-/redline/article/{newsroom.hostile_article}")
    assert page.inner_text("#watch-state") == "on"


def test_off_loopback_writes_need_the_token(tmp_path: Path, page: Any) -> None:
    newsroom = newsroom_with_capture(tmp_path / "redline.db")
    server, base = start_server(
        newsroom.path, "--host", "0.0.0.0", env_extra={"REDLINE_SERVE_WRITE_TOKEN": TOKEN}
    )
    try:
        page.goto(base + "/")
        assert page.locator("#add-form").count() == 0  # reads as before, no forms
        refused = page.request.post(
            base + "/-/redline/desk/pause", form={"ref": "a1", "csrftoken": "x"}
        )
        assert refused.status == 403
        page.click("text=Sign in to make changes")
        page.fill("#token", "a guess")
        page.click('button:text("Sign in")')
        assert "wrong token" in messages(page)
        page.fill("#token", TOKEN)
        page.click('button:text("Sign in")')
        page.fill("#add-urls", A)
        page.click("#add-submit")
        assert f"tracking: {A}" in messages(page)
    finally:
        stop_server(server)
