"""The writer of a check (`monitor.store.writer`) and what a check reads before deciding
(`store.check_state`): a check of a known page reads once and writes in one short transaction,
and writes nothing when the article or its site changed since it was decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from monitor import store
from monitor.errors import StalePlanError
from monitor.record.page import FetchedPage, record_page
from tests.test_record import PAGE_A, URL

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SITE = "news.example"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return store.open_db(tmp_path / "redline.db")


def first_sight(db: Database) -> store.Row:
    """The article after its first page (one version), served with an ETag."""
    page = FetchedPage(url=URL, status=200, body=PAGE_A, content_type="text/html", etag='"v1"')
    assert record_page(db, page, T0).outcome == "new_article"
    row = store.find_article(db, URL)
    assert row is not None
    return row


def quiet_plan(db: Database, article: store.Row, **values: object) -> store.Plan:
    """The plan of a 304 decided against the article as read."""
    now = T0 + timedelta(hours=1)
    head = store.latest_head(db, int(article["id"]))
    fields: dict[str, object] = {
        "article_id": int(article["id"]),
        "expected_latest": int(head["id"]) if head else None,
        "expected_status": article["status"],
        "outcome": "unchanged",
        "reason": "304 not modified",
        "now": now,
        "check_url": URL,
        "http_status": 304,
        "article": {"last_checked": store.stamp(now), "failures": 0},
        "site": store.SiteUpdate(SITE, failed=False),
        "site_settled": True,
    }
    fields.update(values)
    return store.Plan(**fields)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, ...]:
    return tuple(
        int(db.execute(f"select count(*) from {table}").fetchone()[0])
        for table in ("checks", "versions", "changes", "snapshots")
    )


# --- what a check reads ----------------------------------------------------------------------
def test_check_state_of_an_untracked_url_is_none(db: Database) -> None:
    assert store.check_state(db, URL) is None


def test_check_state_of_a_new_article_has_no_head_and_no_site_row(db: Database) -> None:
    store.track_article(db, URL, T0)
    state = store.check_state(db, URL)
    assert state is not None
    assert state.article == store.find_article(db, URL)
    assert (state.head, state.site_failures, state.open_tests) == (None, None, False)


def test_check_state_reads_what_the_separate_reads_read(db: Database) -> None:
    article = first_sight(db)
    db.execute("update sites set failures = 2 where site = ?", [SITE])
    db.execute(
        "insert into headline_tests (article_id, field, started_at, detected_at) "
        "values (?, 'title', ?, ?)",
        [article["id"], store.stamp(T0), store.stamp(T0)],
    )
    state = store.check_state(db, URL)
    assert state is not None
    assert state.article == store.find_article(db, URL)
    assert state.head == store.latest_head(db, int(article["id"]))
    assert state.site_failures == 2
    assert state.open_tests is True


def test_an_ended_headline_test_is_not_open(db: Database) -> None:
    article = first_sight(db)
    db.execute(
        "insert into headline_tests (article_id, field, started_at, detected_at, ended_at) "
        "values (?, 'title', ?, ?, ?)",
        [article["id"], *[store.stamp(T0)] * 3],
    )
    state = store.check_state(db, URL)
    assert state is not None and state.open_tests is False


# --- how much a check of a known page runs ----------------------------------------------------
@pytest.mark.parametrize(
    "page",
    [
        FetchedPage(url=URL, status=304, conditional=True),
        FetchedPage(url=URL, status=200, body=PAGE_A, content_type="text/html", etag='"v1"'),
    ],
    ids=["304", "same bytes"],
)
def test_a_check_of_a_known_page_reads_once_and_writes_two_rows_in_one_transaction(
    db: Database, page: FetchedPage
) -> None:
    first_sight(db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    result = record_page(db, page, T0 + timedelta(hours=1))
    db.conn.set_trace_callback(None)
    assert result.outcome == "unchanged"
    verbs = [statement.split()[0].lower() for statement in statements]
    assert verbs == ["select", "begin", "update", "insert", "commit"]


# --- a plan decided against a state that changed -----------------------------------------------
def add_version_elsewhere(db: Database) -> None:
    page = FetchedPage(url=URL, status=200, body=PAGE_A.replace(b"seven", b"eight"))
    record_page(db, page, T0 + timedelta(minutes=30))


def fail_site_elsewhere(db: Database) -> None:
    db.execute("update sites set failures = 1 where site = ?", [SITE])


def remove_article_elsewhere(db: Database) -> None:
    db.execute("update articles set status = 'removed' where url = ?", [URL])


@pytest.mark.parametrize(
    "meanwhile",
    [add_version_elsewhere, fail_site_elsewhere, remove_article_elsewhere],
    ids=["another version", "a site failure", "another status"],
)
def test_a_quiet_plan_writes_nothing_when_its_article_or_site_changed_meanwhile(
    db: Database, meanwhile: Callable[[Database], None]
) -> None:
    plan = quiet_plan(db, first_sight(db))
    meanwhile(db)
    before_counts, before_article = counts(db), store.find_article(db, URL)
    before_site = store.get_site(db, SITE)
    with pytest.raises(StalePlanError):
        store.apply_plan(db, plan)
    assert counts(db) == before_counts
    assert store.find_article(db, URL) == before_article
    assert store.get_site(db, SITE) == before_site
    assert not db.conn.in_transaction


def test_a_quiet_plan_writes_the_check_and_the_article_and_leaves_a_settled_site(
    db: Database,
) -> None:
    plan = quiet_plan(db, first_sight(db))
    site_before = store.get_site(db, SITE)
    store.apply_plan(db, plan)
    check = db.execute(
        "select outcome, reason, http_status, version_id, snapshot_id, response_headers "
        "from checks order by id desc limit 1"
    ).fetchone()
    assert check == ("unchanged", "304 not modified", 304, None, None, None)
    assert store.find_article(db, URL)["last_checked"] == store.stamp(plan.now)  # type: ignore[index]
    assert store.get_site(db, SITE) == site_before


def test_a_quiet_plan_resets_a_site_it_did_not_find_settled(db: Database) -> None:
    plan = quiet_plan(db, first_sight(db), site_settled=False)
    fail_site_elsewhere(db)
    store.apply_plan(db, plan)
    site = store.get_site(db, SITE)
    assert site is not None and site["failures"] == 0


def test_an_unchanged_page_after_failures_resets_its_site(db: Database) -> None:
    first_sight(db)
    record_page(db, FetchedPage(url=URL, status=500), T0 + timedelta(minutes=10))
    assert store.get_site(db, SITE)["failures"] == 1  # type: ignore[index]
    page = FetchedPage(url=URL, status=304, conditional=True)
    assert record_page(db, page, T0 + timedelta(hours=1)).outcome == "unchanged"
    assert store.get_site(db, SITE)["failures"] == 0  # type: ignore[index]


# --- a settled site is left as the reset would have left it -----------------------------------
FUTURE, PAST = store.stamp(T0 + timedelta(days=1)), store.stamp(T0 - timedelta(days=1))


@pytest.mark.parametrize(
    "columns",
    [
        {},
        {"hold_until": FUTURE, "hold_reason": "HTTP 429 Retry-After"},
        {"hold_until": PAST, "hold_reason": "HTTP 503 Retry-After"},
        {"hold_reason": "bot wall"},
        {"watch": "paused"},
        {"render": "on", "render_reason": "needs a browser", "render_since": PAST},
    ],
    ids=["bare", "held", "hold expired", "reason only", "paused", "rendered"],
)
def test_a_settled_site_is_stored_as_the_reset_would_store_it(
    tmp_path: Path, columns: dict[str, str]
) -> None:
    """Skipping the reset of a site with no failures stores exactly what the upsert stores."""
    sites = {}
    for settled in (True, False):
        db = store.open_db(tmp_path / f"{settled}.db")
        plan = quiet_plan(db, first_sight(db), site_settled=settled)
        if columns:
            assignments = ", ".join(f"{name} = ?" for name in columns)
            db.execute(f"update sites set {assignments} where site = ?", [*columns.values(), SITE])
        store.apply_plan(db, plan)
        sites[settled] = store.get_site(db, SITE)
        db.close()
    assert sites[True] == sites[False]
    assert sites[True] is not None and sites[True]["failures"] == 0


# --- no latest version: the NULL the stale check compares with --------------------------------
@pytest.mark.parametrize(
    "page",
    [FetchedPage(url=URL, status=500), FetchedPage(url=URL, status=429)],
    ids=["500", "429"],
)
def test_a_quiet_check_of_an_article_without_versions_is_written_at_first_try(
    db: Database, page: FetchedPage
) -> None:
    store.track_article(db, URL, T0)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    result = record_page(db, page, T0)
    db.conn.set_trace_callback(None)
    assert result.outcome == "error"
    assert [s.split()[0].lower() for s in statements].count("begin") == 1  # not decided again
    assert counts(db) == (1, 0, 0, 0)


# --- a plan gone stale is decided again, not dropped ------------------------------------------
def test_a_site_failing_while_a_check_is_decided_makes_it_decide_again_and_reset_the_site(
    tmp_path: Path,
) -> None:
    path = tmp_path / "redline.db"
    db = store.open_db(path)
    first_sight(db)
    other = store.open_db(path)  # another writer of the same file
    begins: list[str] = []

    def meanwhile(statement: str) -> None:
        # Between the decision and its transaction, once: another check fails on the site.
        if not statement.lower().startswith("begin"):
            return
        begins.append(statement)
        if len(begins) == 1:
            other.execute("update sites set failures = 3 where site = ?", [SITE])
            other.conn.commit()

    db.conn.set_trace_callback(meanwhile)
    page = FetchedPage(url=URL, status=304, conditional=True)
    result = record_page(db, page, T0 + timedelta(hours=1))
    db.conn.set_trace_callback(None)
    assert result.outcome == "unchanged"
    assert len(begins) == 2  # stale once, then decided again against the failed site
    assert store.get_site(db, SITE)["failures"] == 0  # type: ignore[index]
    assert counts(db)[0] == 2  # the first sight's check and this one, written once
    other.close()
