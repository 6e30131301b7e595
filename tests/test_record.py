"""monitor.record.page.record_page: what one fetched page does to the store, outcome by outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from monitor import store
from monitor.errors import ExtractionError
from monitor.extract.article import Article
from monitor.record.page import CheckResult, ExtractLater, FetchedPage, record_page
from monitor.record.plan import UNASKED_304

URL = "https://news.example/local/council-budget"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

PARAGRAPHS = (
    "The city council voted on Tuesday to approve a new budget for the coming year, after a long "
    "debate that stretched late into the evening and drew dozens of residents to the public "
    "gallery of the old town hall.",
    "Mayor Helen Carter said the plan would fund repairs to roads and bridges across the northern "
    "districts, while keeping property taxes flat for a third year in a row, a promise she made "
    "during her campaign.",
    "Opponents argued that the budget relied on optimistic revenue forecasts and warned that the "
    "city could face a shortfall of several million dollars if the regional economy slowed down "
    "during the next winter.",
    "The final vote was seven to four, with two members absent. The budget takes effect on the "
    "first of January, and the council will review its progress at a special session scheduled "
    "for the spring.",
)
# The same story with one figure changed in the last paragraph.
EDITED = (*PARAGRAPHS[:3], PARAGRAPHS[3].replace("seven to four", "eight to four"))


def html(
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    *,
    title: str = "Council approves new city budget",
    nav: str = "Home World Politics Sport",
    footer: str = "Example News. All rights reserved.",
) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        '<meta property="article:published_time" content="2026-11-01T08:00:00Z">'
        f'</head><body><nav><a href="/">{nav}</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer><p>{footer}</p></footer></body></html>"
    ).encode()


PAGE_A = html()
PAGE_B = html(EDITED)
PAYWALL = html(("Subscribe to continue reading. Already a subscriber? Log in.",))


def ok(body: bytes = PAGE_A, **fields: str) -> FetchedPage:
    return FetchedPage(url=URL, status=200, body=body, content_type="text/html", **fields)


def status(code: int, error: str = "") -> FetchedPage:
    return FetchedPage(url=URL, status=code, error=error)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return store.open_db(tmp_path / "redline.db")


class Clock:
    """A fixed `now` that the test moves forward by hand."""

    def __init__(self) -> None:
        self.now = T0

    def tick(self, minutes: int = 10) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def record(db: Database, clock: Clock, page: FetchedPage) -> CheckResult:
    return record_page(db, page, clock.tick())


def article(db: Database) -> store.Row:
    row = store.find_article(db, URL)
    assert row is not None
    return row


def count(db: Database, table: str) -> int:
    return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def kinds(result: CheckResult) -> list[str]:
    return [edit.kind for edit in result.edits]


def change_kinds(db: Database) -> list[str]:
    return [row["kinds"] for row in db.query("select kinds from changes order by id")]


# --- first page, same page ----------------------------------------------------------------
def test_first_page_is_a_new_article_with_version_1(db: Database, clock: Clock) -> None:
    result = record(db, clock, ok())
    assert result.outcome == "new_article"
    assert result.version_seq == 1
    assert [v["seq"] for v in store.versions_of(db, article(db)["id"])] == [1]
    assert article(db)["version_count"] == 1
    assert article(db)["title"] == "Council approves new city budget"


def test_first_page_records_no_change(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    assert count(db, "changes") == 0


def test_identical_bytes_are_unchanged_without_a_new_version(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok())
    assert (result.outcome, result.reason) == ("unchanged", "identical page")
    assert count(db, "versions") == 1


def test_changed_boilerplate_only_is_unchanged_same_content(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    other_furniture = html(nav="Home Local Weather Puzzles", footer="Example News Group, 2027.")
    result = record(db, clock, ok(other_furniture))
    assert (result.outcome, result.reason) == ("unchanged", "same content")
    assert count(db, "versions") == 1
    assert count(db, "changes") == 0


def test_same_content_still_remembers_the_new_page_hash(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    other_furniture = html(footer="Example News Group, 2027.")
    record(db, clock, ok(other_furniture))
    assert article(db)["last_page_hash"] == store.page_hash(other_furniture)


# --- a real edit ----------------------------------------------------------------------------
def test_a_changed_sentence_is_a_new_version_with_edits(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(PAGE_B))
    assert result.outcome == "new_version"
    assert result.version_seq == 2
    assert kinds(result) == ["number"]
    assert (result.edits[0].old, result.edits[0].new) == ("seven", "eight")


def test_a_new_version_writes_one_change_with_a_summary(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok(PAGE_B))
    changes = list(db.query("select * from changes"))
    assert len(changes) == 1
    assert changes[0]["summary"]
    assert changes[0]["summary"] != "no edits"
    versions = store.versions_of(db, article(db)["id"])
    assert (changes[0]["old_version_id"], changes[0]["new_version_id"]) == (
        versions[0]["id"],
        versions[1]["id"],
    )
    assert count(db, "edits") == 1


def test_a_new_version_keeps_the_raw_page(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok(PAGE_B))
    latest = store.latest_version(db, article(db)["id"])
    assert store.load_snapshot(db, latest["snapshot_id"]) == PAGE_B


def test_back_to_an_earlier_text_is_a_third_version_marked_reverted(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok(PAGE_A))
    record(db, clock, ok(PAGE_B))
    result = record(db, clock, ok(PAGE_A))
    assert result.outcome == "new_version"
    assert result.version_seq == 3
    assert kinds(result)[0] == "reverted"
    assert "number" in kinds(result)
    assert change_kinds(db)[-1].startswith("reverted")


def test_reverting_reuses_the_stored_snapshot(db: Database, clock: Clock) -> None:
    record(db, clock, ok(PAGE_A))
    record(db, clock, ok(PAGE_B))
    record(db, clock, ok(PAGE_A))
    assert count(db, "snapshots") == 2


# --- 304, errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "validator", [{"etag": '"v1"'}, {"last_modified": "Mon, 02 Nov 2026 08:00:00 GMT"}]
)
def test_not_modified_is_unchanged(db: Database, clock: Clock, validator: dict[str, str]) -> None:
    record(db, clock, ok(**validator))  # the next check sends it back
    result = record(db, clock, status(304))
    assert result.outcome == "unchanged"
    assert count(db, "versions") == 1


def test_a_304_to_a_request_without_a_validator_is_an_error_that_keeps_the_version(
    db: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    record(db, clock, ok())  # no ETag, no Last-Modified: the next check asks unconditionally
    before = article(db)
    result = record(db, clock, status(304))
    assert (result.outcome, result.reason) == ("error", UNASKED_304)
    assert f"check of {URL}: error: {UNASKED_304}" in caplog.text
    after = article(db)
    assert (after["failures"], after["last_page_hash"]) == (1, before["last_page_hash"])
    assert after["last_checked"] == store.stamp(clock.now)
    assert [v["seq"] for v in store.versions_of(db, after["id"])] == [1]
    last = "select outcome, http_status, reason from checks order by id desc"
    check = db.execute(last).fetchone()
    assert check == ("error", 304, UNASKED_304)


@pytest.mark.parametrize(
    "page",
    [
        status(0, error="TimeoutError: took longer than 30 seconds"),
        status(0),
        status(503),
        status(500),
        status(429),
        status(403),
        FetchedPage(url=URL, status=200, body=PAGE_B, error="connection reset mid-body"),
    ],
    ids=["timeout", "no-response", "503", "500", "429", "403", "200-with-error"],
)
def test_a_failed_fetch_is_an_error_and_changes_nothing(
    db: Database, clock: Clock, page: FetchedPage
) -> None:
    record(db, clock, ok())
    before = article(db)
    result = record(db, clock, page)
    assert result.outcome == "error"
    assert result.reason
    after = article(db)
    assert after["status"] == before["status"] == "active"
    assert after["last_page_hash"] == before["last_page_hash"]
    assert count(db, "versions") == 1
    assert count(db, "changes") == 0


def test_an_error_schedules_a_retry(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, status(503))
    assert article(db)["next_check"] == store.stamp(clock.now + timedelta(minutes=30))


def test_an_error_on_a_removed_article_keeps_it_removed(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, status(404))
    result = record(db, clock, status(0, error="DNS lookup failed"))
    assert result.outcome == "error"
    assert article(db)["status"] == "removed"


# --- removal and restoration --------------------------------------------------------------
@pytest.mark.parametrize("code", [404, 410])
def test_not_found_is_removed_with_one_removed_edit(db: Database, clock: Clock, code: int) -> None:
    record(db, clock, ok())
    result = record(db, clock, status(code))
    assert result.outcome == "removed"
    assert kinds(result) == ["removed"]
    assert article(db)["status"] == "removed"
    assert change_kinds(db) == ["removed"]
    edit = db.execute("select kind, field from edits").fetchall()
    assert edit == [("removed", "article")]


def test_not_found_again_records_no_second_removal(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, status(404))
    result = record(db, clock, status(404))
    assert result.outcome == "removed"
    assert result.edits == ()
    assert change_kinds(db) == ["removed"]


def test_not_found_before_any_version_records_no_change(db: Database, clock: Clock) -> None:
    result = record(db, clock, status(404))
    assert result.outcome == "removed"
    assert count(db, "changes") == 0


def test_a_page_back_after_removal_is_restored(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, status(404))
    result = record(db, clock, ok())
    assert "restored" in kinds(result)
    assert article(db)["status"] == "active"
    assert change_kinds(db) == ["removed", "restored"]
    assert count(db, "versions") == 1


def test_a_page_back_with_new_text_is_restored_and_a_new_version(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())
    record(db, clock, status(404))
    result = record(db, clock, ok(PAGE_B))
    assert result.outcome == "new_version"
    assert kinds(result) == ["restored", "number"]


# --- extraction health -----------------------------------------------------------------------
def test_a_paywall_page_is_blocked(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(PAYWALL))
    assert result.outcome == "blocked"
    assert result.edits == ()


def test_a_blocked_page_keeps_the_snapshot_but_no_version(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok(PAYWALL))
    check = next(iter(db.query("select * from checks order by id desc limit 1")))
    assert check["outcome"] == "blocked"
    assert store.load_snapshot(db, check["snapshot_id"]) == PAYWALL
    assert count(db, "versions") == 1
    assert count(db, "changes") == 0
    assert count(db, "edits") == 0


def test_a_collapsed_body_is_extraction_failed(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    short = html((PARAGRAPHS[0],))  # a real paragraph, but a quarter of the story
    result = record(db, clock, ok(short))
    assert result.outcome == "extraction_failed"
    assert "collapsed" in result.reason


def test_a_page_with_no_text_is_extraction_failed(db: Database, clock: Clock) -> None:
    result = record(db, clock, ok(b"<html><body><div></div></body></html>"))
    assert result.outcome == "extraction_failed"
    assert article(db)["version_count"] == 0


def test_an_extraction_that_failed_elsewhere_is_extraction_failed(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())

    def too_slow(body: bytes, url: str, content_type: str = "") -> Article:
        raise ExtractionError("extraction took longer than 60 s")

    result = record_page(db, ok(PAGE_B), clock.tick(), extractor=too_slow)
    assert (result.outcome, result.reason) == (
        "extraction_failed",
        "extraction took longer than 60 s",
    )
    check = next(iter(db.query("select * from checks order by id desc limit 1")))
    assert store.load_snapshot(db, check["snapshot_id"]) == PAGE_B
    assert count(db, "versions") == 1
    # the page hash was not remembered: the next check extracts the same bytes again
    assert record(db, clock, ok(PAGE_B)).outcome == "new_version"


def extract_later(body: bytes, url: str, content_type: str = "") -> Article:
    raise ExtractLater


@pytest.mark.parametrize(
    ("page", "extracts"),
    [
        (ok(), True),  # never seen
        (FetchedPage(url=URL, status=200, body=PAGE_A), True),  # no type given: could be HTML
        (FetchedPage(url=URL, status=200, body=b"", content_type="text/html"), True),
        (FetchedPage(url=URL, status=200, body=PAGE_A, content_type="image/png"), False),
        (status(304), False),
        (status(404), False),
        (status(0, error="timeout"), False),
    ],
)
def test_only_pages_to_extract_reach_the_extractor(
    db: Database, page: FetchedPage, extracts: bool
) -> None:
    if extracts:
        with pytest.raises(ExtractLater):
            record_page(db, page, T0, extractor=extract_later)
        assert count(db, "checks") == 0  # stopped before anything of the check was written
    else:
        record_page(db, page, T0, extractor=extract_later)
        assert count(db, "checks") == 1


def test_the_bytes_last_seen_never_reach_the_extractor(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    result = record_page(db, ok(), clock.tick(), extractor=extract_later)
    assert (result.outcome, result.reason) == ("unchanged", "identical page")


def test_extracting_later_writes_nothing_until_the_page_is_recorded_again(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())
    before = (count(db, "checks"), count(db, "versions"), article(db)["last_checked"])
    with pytest.raises(ExtractLater):
        record_page(db, ok(PAGE_B), clock.tick(), extractor=extract_later)
    assert (count(db, "checks"), count(db, "versions"), article(db)["last_checked"]) == before
    assert record(db, clock, ok(PAGE_B)).outcome == "new_version"


def test_the_article_recovers_after_a_paywall(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok(PAYWALL))
    result = record(db, clock, ok())
    assert result.outcome == "unchanged"
    assert count(db, "changes") == 0


# --- redirects -------------------------------------------------------------------------------
NEW_PATH = "https://news.example/local/council-budget-approved"
# The page at the new address differs in its furniture only (as a real one would, if only in its
# canonical link), so the identical-bytes shortcut does not apply.
MOVED = html(footer="Example News. Moved here.")


def test_a_redirect_to_another_article_path_is_a_redirected_edit(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(MOVED, final_url=NEW_PATH))
    assert kinds(result) == ["redirected"]
    assert article(db)["redirected_to"] == NEW_PATH
    assert article(db)["status"] == "active"
    assert change_kinds(db) == ["redirected"]


def test_the_same_redirect_again_is_not_a_second_edit(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok(MOVED, final_url=NEW_PATH))
    result = record(db, clock, ok(html(footer="Changed footer."), final_url=NEW_PATH))
    assert result.edits == ()
    assert change_kinds(db) == ["redirected"]


def test_a_redirect_serving_identical_bytes_is_still_a_redirected_edit(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(final_url=NEW_PATH))
    assert kinds(result) == ["redirected"]
    assert article(db)["redirected_to"] == NEW_PATH


@pytest.mark.parametrize(
    "target",
    ["https://news.example/", "https://news.example", "https://news.example/local/"],
    ids=["home", "home-no-slash", "section"],
)
def test_a_redirect_to_a_home_or_section_page_is_a_removal(
    db: Database, clock: Clock, target: str
) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(html(("Latest news from around the region.",)), final_url=target))
    assert result.outcome == "removed"
    assert target in result.reason
    assert kinds(result) == ["removed"]
    assert article(db)["status"] == "removed"


def test_a_redirect_that_only_adds_a_trailing_slash_is_not_a_removal(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(final_url=URL + "/"))
    assert result.outcome != "removed"


# The same address spelled another way: a site that moves to https, adds a trailing slash or a
# "www." moves no article (every article of the site would be reported moved, significantly).
RESPELLED = [URL + "/", URL.replace("https://", "http://"), URL.replace("://", "://www.")]


@pytest.mark.parametrize("final", RESPELLED, ids=["trailing slash", "scheme", "www"])
def test_a_redirect_to_the_same_address_spelled_otherwise_is_no_move(
    db: Database, clock: Clock, final: str
) -> None:
    record(db, clock, ok())
    result = record(db, clock, ok(MOVED, final_url=final))
    assert result.outcome == "unchanged" and result.edits == ()
    assert article(db)["redirected_to"] == final  # fetched through the redirect from now on
    assert change_kinds(db) == []


# A 304 says the page is the one our validators named, at the address it was finally read from:
# after a redirect to somewhere the article was never read, it says nothing of the article.
def not_modified(final_url: str = "", requested_url: str = "") -> FetchedPage:
    return FetchedPage(
        url=URL, status=304, final_url=final_url, requested_url=requested_url, conditional=True
    )


@pytest.mark.parametrize(
    "target", ["https://news.example/", "https://news.example/local/"], ids=["home", "section"]
)
def test_a_304_after_a_redirect_to_a_home_or_section_page_is_a_removal(
    db: Database, clock: Clock, target: str
) -> None:
    record(db, clock, ok(etag='"v1"'))
    result = record(db, clock, not_modified(final_url=target))
    assert (result.outcome, kinds(result)) == ("removed", ["removed"])
    assert target in result.reason
    assert article(db)["status"] == "removed"


def test_a_304_after_a_redirect_to_an_unread_address_is_no_unchanged_check(
    db: Database, clock: Clock
) -> None:
    record(db, clock, ok(etag='"v1"'))
    result = record(db, clock, not_modified(final_url=NEW_PATH))
    assert result.outcome == "error" and NEW_PATH in result.reason
    assert (article(db)["etag"], article(db)["last_modified"]) == (None, None)  # asks in full
    assert count(db, "versions") == 1 and result.edits == ()
    moved = record(db, clock, ok(MOVED, final_url=NEW_PATH, etag='"v1"'))
    assert kinds(moved) == ["redirected"]


@pytest.mark.parametrize(
    ("page", "requested"),
    [(ok(MOVED, final_url=NEW_PATH, etag='"v1"'), ""), (ok(etag='"v1"'), URL + "?ref=feed")],
    ids=["the known redirect", "fetched at another URL"],
)
def test_a_304_where_the_article_was_read_is_unchanged(
    db: Database, clock: Clock, page: FetchedPage, requested: str
) -> None:
    record(db, clock, ok(etag='"v0"'))
    record(db, clock, page)
    final = article(db)["redirected_to"] or ""
    result = record(db, clock, not_modified(final_url=final, requested_url=requested))
    assert result.outcome == "unchanged"


# The same page spelled another way (a trailing slash added, http and https, "www.") is where the
# article was read: a 304 from there is an unchanged check, and the validators stay.
@pytest.mark.parametrize("final", RESPELLED, ids=["trailing slash", "scheme", "www"])
def test_a_304_after_a_redirect_to_the_same_address_spelled_otherwise_is_unchanged(
    db: Database, clock: Clock, final: str
) -> None:
    record(db, clock, ok(etag='"v1"'))
    result = record(db, clock, not_modified(final_url=final))
    assert result.outcome == "unchanged", result.reason
    assert article(db)["etag"] == '"v1"'


def test_a_304_after_a_redirect_to_the_articles_own_address_is_unchanged(
    db: Database, clock: Clock
) -> None:
    fetched_at = URL + "?ref=feed"  # as discovered; the article's address is its key
    record(db, clock, ok(etag='"v1"', requested_url=fetched_at))
    result = record(db, clock, not_modified(final_url=URL, requested_url=fetched_at))
    assert result.outcome == "unchanged", result.reason


# --- bookkeeping -----------------------------------------------------------------------------
def test_every_check_writes_exactly_one_checks_row(db: Database, clock: Clock) -> None:
    pages = [
        ok(),
        ok(),
        ok(PAGE_B),
        status(304),
        status(503),
        ok(PAYWALL),
        status(404),
        status(404),
        ok(PAGE_A),
        ok(final_url="https://news.example/"),
    ]
    outcomes = []
    for n, page in enumerate(pages, start=1):
        outcomes.append(record(db, clock, page).outcome)
        assert count(db, "checks") == n
    stored = [row["outcome"] for row in db.query("select outcome from checks order by id")]
    assert stored == outcomes


def test_a_check_row_records_time_status_and_final_url(db: Database, clock: Clock) -> None:
    record(db, clock, ok(final_url=NEW_PATH))
    check = next(iter(db.query("select * from checks")))
    assert check["checked_at"] == store.stamp(clock.now)
    assert check["http_status"] == 200
    assert check["url"] == NEW_PATH
    assert check["outcome"] == "new_article"


def test_etag_and_last_modified_are_stored_on_the_article(db: Database, clock: Clock) -> None:
    record(db, clock, ok(etag='"v1"', last_modified="Mon, 02 Nov 2026 08:00:00 GMT"))
    row = article(db)
    assert (row["etag"], row["last_modified"]) == ('"v1"', "Mon, 02 Nov 2026 08:00:00 GMT")


def test_a_new_etag_on_identical_bytes_replaces_the_old_one(db: Database, clock: Clock) -> None:
    record(db, clock, ok(etag='"v1"'))
    record(db, clock, ok(etag='"v2"'))
    assert article(db)["etag"] == '"v2"'


def test_a_check_moves_last_checked_and_next_check(db: Database, clock: Clock) -> None:
    record(db, clock, ok())
    record(db, clock, ok())
    row = article(db)
    assert row["last_checked"] == store.stamp(clock.now)
    assert row["next_check"] > store.stamp(clock.now)


def test_record_page_tracks_an_unknown_url(db: Database, clock: Clock) -> None:
    assert store.find_article(db, URL) is None
    record(db, clock, ok())
    assert article(db)["first_seen"] == store.stamp(clock.now)


def with_canonical(page: bytes, canonical: str) -> bytes:
    return page.replace(b"</title>", f'</title><link rel="canonical" href="{canonical}">'.encode())


def test_first_sight_is_renamed_to_its_canonical_url(db: Database) -> None:
    page = with_canonical(PAGE_A, "/local/council-budget-2026?utm_source=x")
    record_page(db, ok(page), T0)
    assert [a["url"] for a in store.all_articles(db)] == [
        "https://news.example/local/council-budget-2026"
    ]


def test_a_page_whose_canonical_is_already_tracked_is_a_duplicate(db: Database) -> None:
    canonical = "https://news.example/local/council-budget-2026"
    store.track_article(db, canonical, T0)
    record_page(db, FetchedPage(url=canonical, status=200, body=PAGE_A), T0)
    result = record_page(db, ok(with_canonical(PAGE_A, canonical)), T0)
    assert result.outcome == "duplicate"
    duplicate = store.find_article(db, URL)
    assert duplicate is not None and duplicate["status"] == "duplicate"
    assert duplicate["next_check"] is None
    assert store.versions_of(db, duplicate["id"]) == []


def test_a_canonical_on_another_site_is_syndication_not_a_rename(db: Database) -> None:
    record_page(db, ok(with_canonical(PAGE_A, "https://wire.example/story/1")), T0)
    assert [a["url"] for a in store.all_articles(db)] == [URL]


def test_text_that_only_crossed_the_extraction_boundary_is_not_significant(db: Database) -> None:
    teaser = "Residents of the harbour district will vote on the new ferry timetable next month."
    before = PAGE_A.replace(b"<footer>", f"<aside><p>{teaser}</p></aside><footer>".encode())
    after = html((*PARAGRAPHS, teaser))  # the teaser now sits inside the article
    record_page(db, ok(before), T0)
    result = record_page(db, ok(after), T0 + timedelta(hours=1))
    assert [e.kind for e in result.edits] == ["sentence_added"]
    assert not result.edits[0].significant
    assert "extraction moved" in result.edits[-1].reasons[-1]


def test_a_newly_written_sentence_stays_significant(db: Database) -> None:
    written = "The council will publish the full accounts online before the end of the month."
    record_page(db, ok(PAGE_A), T0)
    result = record_page(db, ok(html((*PARAGRAPHS, written))), T0 + timedelta(hours=1))
    assert [(e.kind, e.significant) for e in result.edits] == [("sentence_added", True)]


def test_a_new_normalisation_rule_rehashes_instead_of_making_a_version(db: Database) -> None:
    record_page(db, ok(PAGE_A), T0)
    db.execute("update versions set content_hash = 'hashed-by-older-rules'")
    db.conn.commit()
    result = record_page(db, ok(PAGE_A + b"<!-- new bytes -->"), T0 + timedelta(hours=1))
    assert (result.outcome, result.reason) == ("unchanged", "same content (re-hashed)")
    assert len(store.versions_of(db, store.all_articles(db)[0]["id"])) == 1
    assert next(db.query("select count(*) as n from changes"))["n"] == 0


def test_a_move_to_a_url_tracked_in_its_own_right_hands_the_story_over(db: Database) -> None:
    new_home = "https://news.example/local/council-budget-approved"
    record_page(db, ok(PAGE_A), T0)
    store.track_article(db, new_home, T0)
    moved_page = with_canonical(PAGE_A, new_home)
    result = record_page(db, ok(moved_page, final_url=new_home), T0 + timedelta(hours=1))
    assert [e.kind for e in result.edits] == ["redirected"]
    old = store.find_article(db, URL)
    assert old is not None
    assert (old["status"], old["next_check"], old["redirected_to"]) == (
        "redirected",
        None,
        new_home,
    )


def test_a_move_to_its_own_address_respelled_but_tracked_in_its_own_right_hands_it_over(
    db: Database,
) -> None:
    new_home = URL + "/"  # a second row for the same article, the story's from now on
    record_page(db, ok(PAGE_A), T0)
    store.track_article(db, new_home, T0)
    moved_page = with_canonical(PAGE_A, new_home)
    result = record_page(db, ok(moved_page, final_url=new_home), T0 + timedelta(hours=1))
    assert [e.kind for e in result.edits] == ["redirected"]  # where its timeline continues
    old = store.find_article(db, URL)
    assert old is not None and old["status"] == "redirected"


def test_a_date_alone_never_makes_a_version(db: Database) -> None:
    record_page(db, ok(PAGE_A), T0)
    restamped = PAGE_A.replace(b"2026-11-01T08:00:00Z", b"2026-11-02T09:30:00Z")
    result = record_page(db, ok(restamped), T0 + timedelta(hours=1))
    assert (result.outcome, result.reason) == ("unchanged", "same content")


# Soft hyphens a page writes into its headline ("Mes&shy;sen&shy;ger&shy;diens&shy;te", as a
# ministry's pages do) are no letters: a headline gaining or losing them is no edit.
@pytest.mark.parametrize("hyphen", ["\u00ad", "&shy;"])
def test_a_headline_gaining_soft_hyphens_is_no_edit(db: Database, hyphen: str) -> None:
    plain = "Messengerdienste sind kein rechtsfreier Raum"
    hyphenated = f"Mes{hyphen}sen{hyphen}ger{hyphen}diens{hyphen}te sind kein rechts{hyphen}frei"
    hyphenated += f"{hyphen}er Raum"
    record_page(db, ok(html(title=plain)), T0)
    result = record_page(db, ok(html(title=hyphenated)), T0 + timedelta(hours=1))
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from changes"))["n"] == 0
