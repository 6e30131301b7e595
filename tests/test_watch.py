"""Watch management: articles, sources and whole sites paused, resumed or removed; only what
is watched is due, checked by a real crawl, or read for discovery; history kept unless purged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.demo.site import DemoSite
from monitor.store import watch
from tests.conftest import crawl, rows, track

NOW = store.utc_now()
A = "http://127.0.0.1:8001/news/a.html"
B = "http://127.0.0.1:8001/news/b.html"
C = "https://other.example/c.html"


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result.exit_code, result.output


def due(db_path: Path) -> set[str]:
    db = store.open_db(db_path)
    try:
        return {row["url"] for row in store.due_articles(db, NOW + timedelta(days=1))}
    finally:
        db.close()


@pytest.fixture
def tracked(db_path: Path) -> Path:
    track(db_path, [A, B, C])
    return db_path


@pytest.mark.parametrize(
    ("stop", "not_due"),
    [
        (["pause", A], {A}),
        (["remove", A], {A}),
        (["pause", "--site", "127.0.0.1"], {A, B}),  # a host alone: the site on any port
        (["pause", "--site", "127.0.0.1:8001"], {A, B}),
        (["pause", "--site", "other.example"], {C}),
    ],
)
def test_what_is_paused_or_removed_is_never_due_and_resume_restores_it(
    tracked: Path, stop: list[str], not_due: set[str]
) -> None:
    code, output = run(tracked, *stop)
    assert code == 0, output
    assert due(tracked) == {A, B, C} - not_due
    code, output = run(tracked, "resume", *stop[1:])
    assert code == 0, output
    assert due(tracked) == {A, B, C}


def test_a_paused_or_removed_source_is_not_read_and_its_articles_are_not_due(
    db_path: Path,
) -> None:
    db = store.open_db(db_path)
    source, _ = store.add_source(db, "feed", "http://127.0.0.1:8001/feed.xml", "", NOW)
    store.track_discovered(db, int(source["id"]), [A, B], NOW)
    db.close()
    track(db_path, [C])
    for state in ("pause", "remove"):
        assert run(db_path, state, "--source", str(source["id"]))[0] == 0
        assert due(db_path) == {C}
        db = store.open_db(db_path)
        assert watch.watched_sources(db) == []
        db.close()
        assert run(db_path, "resume", "--source", "http://127.0.0.1:8001/feed.xml")[0] == 0
        assert due(db_path) == {A, B, C}


def test_sources_shows_what_is_not_watched(tracked: Path) -> None:
    run(tracked, "pause", A)
    run(tracked, "pause", "--site", "other.example")
    code, output = run(tracked, "sources")
    assert code == 0
    assert "not watched: paused sites: other.example; 1 article(s) paused" in output


@pytest.mark.parametrize(
    "args", [["pause"], ["pause", A, "--site", "x"], ["remove", A, "--source", "1"]]
)
def test_exactly_one_thing_to_stop_is_a_usage_error(tracked: Path, args: list[str]) -> None:
    code, output = run(tracked, *args)
    assert code == 2 and "give one of URL|ID, --source or --site" in output


def test_watch_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    code, output = run(tmp_path / "typo.db", "pause", A)
    assert code == 1 and "no database at" in output
    assert not (tmp_path / "typo.db").exists()


def test_a_real_crawl_checks_only_what_is_watched_and_remove_keeps_history_unless_purged(
    site: DemoSite, db_path: Path
) -> None:
    urls = site.article_urls()[:3]
    track(db_path, urls)
    crawl(db_path, all="true")
    assert run(db_path, "pause", urls[0])[0] == 0
    assert run(db_path, "remove", urls[1])[0] == 0
    site.edition = 2
    crawl(db_path, all="true")  # `check --all`: every watched article
    sql = (
        "select articles.url, count(*) as n from checks "
        "join articles on articles.id = checks.article_id group by articles.url"
    )
    checks = {r["url"]: r["n"] for r in rows(db_path, sql)}
    assert checks[urls[0]] == 1 and checks[urls[1]] == 1 and checks[urls[2]] == 2
    versions = "select count(*) as n from versions where article_id = ?"
    (removed,) = rows(db_path, "select * from articles where url = ?", [urls[1]])
    assert rows(db_path, versions, [removed["id"]])[0]["n"] == 1  # removed: history kept
    code, output = run(db_path, "remove", urls[1], "--purge")
    assert code == 0 and "1 versions" in output and "1 snapshots" in output
    (article,) = rows(db_path, "select * from articles where url = ?", [urls[1]])
    assert article["watch"] == "removed"
    assert rows(db_path, versions, [article["id"]])[0]["n"] == 0
    # the tombstone keeps discovery from tracking it again
    db = store.open_db(db_path)
    source, _ = store.add_source(db, "feed", site.url("/feed.xml"), "", NOW)
    assert store.track_discovered(db, int(source["id"]), [urls[1]], NOW) == 0
    db.close()
    assert urls[1] not in due(db_path)


def add_evidence(db_path: Path, article_id: int) -> None:
    """A screenshot of the article's latest version (with a raw page), a Save Page Now request
    for its latest change, and a tag: the rows that refer to its history."""
    from monitor.store.archive_saves import queue_saves
    from monitor.store.rendering import add_screenshot

    db = store.open_db(db_path)
    try:
        latest = "select id from versions where article_id = ? order by seq desc"
        version = next(db.query(latest, [article_id]))
        change = next(db.query("select id from changes where article_id = ?", [article_id]))
        snapshot = store.save_snapshot(db, b"<html>rendered</html>", "text/html", NOW)
        with store.write_transaction(db):
            add_screenshot(db, version["id"], snapshot, "https://x.example/", b"png", NOW)
            tag = "insert into article_tags (article_id, tag) values (?, 'council')"
            db.execute(tag, [article_id])
        queue_saves(db, [{"change_id": change["id"], "url": "https://x.example/"}], NOW)
        with store.write_transaction(db):  # a headline run and test, and a live-blog post
            db["headline_runs"].insert(
                {"article_id": article_id, "field": "title", "text": "Old", "seen_at": NOW}
            )
            db["headline_tests"].insert(
                {"article_id": article_id, "field": "title", "started_at": NOW, "detected_at": NOW}
            )
            db["live_posts"].insert(
                {
                    "article_id": article_id,
                    "post_key": "p1",
                    "text": "Post",
                    "first_text": "Post",
                    "first_seen": NOW,
                    "last_seen": NOW,
                    "change_id": change["id"],
                }
            )
    finally:
        db.close()


def test_purge_deletes_screenshots_save_requests_headline_runs_and_live_posts_too(
    db_path: Path,
) -> None:
    # Review finding 1: their foreign keys made `remove --purge` fail with a traceback.
    from monitor.record.page import FetchedPage, record_page
    from tests.test_record import PAGE_A, PAGE_B, URL

    db = store.open_db(db_path)
    article, _ = store.track_article(db, URL, NOW, resolve=lambda _host: [])
    for page in (PAGE_A, PAGE_B):
        record_page(db, FetchedPage(URL, 200, page), NOW)
    db.close()
    add_evidence(db_path, int(article["id"]))
    code, output = run(db_path, "remove", URL, "--purge")
    assert code == 0, output
    assert "1 archive_saves" in output and "1 screenshots" in output and "2 versions" in output
    purged = ("versions", "changes", "screenshots", "archive_saves", "snapshots", "headline_runs",
              "headline_tests", "live_posts")  # fmt: skip
    for table in purged:
        assert rows(db_path, f"select count(*) as n from {table}")[0]["n"] == 0, table
    assert rows(db_path, "select tag from article_tags") == [{"tag": "council"}]  # tombstone's
