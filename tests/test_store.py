"""monitor.store: schema, articles, snapshots, transactions, the due list and the edits query."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import make_edit
from monitor.errors import (
    CorruptPageError,
    DatabaseError,
    UnknownArticleError,
    VersionNotFoundError,
)
from monitor.extract.extraction import Article
from monitor.fetch.urls import check_url
from monitor.store.captures import capture_content
from monitor.store.schema import MIGRATIONS

try:  # Python 3.14's standard library, else its backport (the same module)
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd  # type: ignore[no-redef,unused-ignore]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TABLES = {"articles", "checks", "snapshots", "versions", "changes", "edits"}
HOSTILE = "x' or 1=1 --"


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return store.open_db(tmp_path / "redline.db")


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def _article_with_version(db: Database, url: str, now: datetime = NOW) -> tuple[int, int]:
    """A tracked article with one version: (article id, version id)."""
    article, _ = store.track_article(db, url, now)
    with store.write_transaction(db):
        version = store.add_version(
            db,
            article["id"],
            Article(title="Headline", body="Some text."),
            content_hash=f"hash-{url}",
            snapshot_id=None,
            url=url,
            extractor="trafilatura 2.3.1",
            now=now,
        )
    return article["id"], version["id"]


def _record_edit(db: Database, url: str, kind: str, now: datetime) -> None:
    """One change holding one edit of `kind` for the article at `url` (created if needed)."""
    article_id, version_id = _article_with_version(db, url, now)
    edit = make_edit(kind, "body", old="old words", new="new words")
    with store.write_transaction(db):
        store.add_change(db, article_id, version_id, version_id, [edit], now)


# --- open_db -------------------------------------------------------------------------------
def test_open_db_creates_every_table(db: Database) -> None:
    assert set(db.table_names()) >= TABLES


def test_open_db_uses_wal_journal_mode(db: Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_db_creates_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "redline.db"
    store.open_db(path).close()
    assert path.exists()


def _applied(db: Database) -> list[str]:
    return [row["name"] for row in db.query("select name from _sqlite_migrations order by id")]


def test_open_db_applies_every_migration_once(db: Database) -> None:
    assert MIGRATIONS.pending(db) == []
    assert _applied(db)[0] == "m001_initial"
    assert len(_applied(db)) == len(set(_applied(db)))


def test_reopening_applies_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "redline.db"
    first = store.open_db(path)
    applied = _applied(first)
    first.close()
    assert _applied(store.open_db(path)) == applied


def test_reopening_keeps_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "redline.db"
    first = store.open_db(path)
    store.track_article(first, "https://news.example/a", NOW)
    first.close()
    assert len(store.all_articles(store.open_db(path))) == 1


def _schema_and_rows(db: Database) -> tuple[list[tuple], dict[str, list[tuple]]]:
    """Every schema object (type, name, table, statement) and every table's rows, sorted; the
    migrations by name and order, without the time each was applied."""
    schema = sorted(db.execute("select type, name, tbl_name, sql from sqlite_master").fetchall())
    rows = {
        name: sorted(db.execute(f"select * from [{name}]").fetchall(), key=repr)
        for name in db.table_names()
        if name != "_sqlite_migrations"
    }
    rows["_sqlite_migrations"] = db.execute(
        "select id, migration_set, name from _sqlite_migrations order by id"
    ).fetchall()
    return schema, rows


def test_a_new_database_holds_exactly_what_the_migrations_applied_one_by_one_leave(
    tmp_path: Path,
) -> None:
    """`open_db` gives a new file the schema in one step (monitor.store.fresh): the same tables,
    indexes, views, triggers (their statements word for word) and rows as every migration
    applied in turn, and a database that works as one (the full-text index, the views)."""
    stepwise = Database(tmp_path / "stepwise.db")
    stepwise.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(stepwise)
    for _ in range(2):  # the first new database of a process, and a later one
        fresh = store.open_db(tmp_path / f"fresh-{_}.db")
        assert _schema_and_rows(fresh) == _schema_and_rows(stepwise)
        assert MIGRATIONS.pending(fresh) == []
    _record_edit(fresh, "https://news.example/a", "quote", NOW)
    found = "select count(*) from versions_fts where versions_fts match 'text'"
    assert fresh.execute(found).fetchone()[0] == 1
    assert fresh.execute("select count(*) from edit_feed").fetchone()[0] == 1


def test_a_file_that_is_not_a_database_is_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(DatabaseError, match="cannot open database"):
        store.open_db(path)


def test_a_directory_path_is_a_database_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError):
        store.open_db(tmp_path)


# --- articles ------------------------------------------------------------------------------
def test_track_article_creates_an_active_row_due_at_once(db: Database) -> None:
    article, created = store.track_article(db, "https://News.example/a", NOW)
    assert created
    assert article["status"] == "active"
    assert article["site"] == "news.example"
    assert article["next_check"] == store.stamp(NOW)
    assert article["version_count"] == 0


def test_track_article_twice_returns_the_same_row(db: Database) -> None:
    first, created_first = store.track_article(db, "https://news.example/a", NOW)
    second, created_second = store.track_article(
        db, "https://news.example/a", NOW + timedelta(hours=1)
    )
    assert (created_first, created_second) == (True, False)
    assert second["id"] == first["id"]
    assert second["first_seen"] == store.stamp(NOW)
    assert _count(db, "articles") == 1


def test_spellings_of_one_canonical_url_are_one_row(db: Database) -> None:
    spellings = [
        "https://news.example/world/story",
        "HTTPS://NEWS.EXAMPLE:443/world/story#comments",
        "https://news.example/world/story?utm_source=twitter&fbclid=abc",
    ]
    for spelling in spellings:
        store.track_article(db, check_url(spelling), NOW)
    assert [a["url"] for a in store.all_articles(db)] == ["https://news.example/world/story"]


def test_url_is_unique_in_the_articles_table(db: Database) -> None:
    store.track_article(db, "https://news.example/a", NOW)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into articles (url, site, status, first_seen, version_count) "
            "values ('https://news.example/a', 'news.example', 'active', 'x', 0)"
        )


def test_require_article_of_an_untracked_url_says_not_tracked(db: Database) -> None:
    with pytest.raises(UnknownArticleError, match="not tracked"):
        store.require_article(db, "https://news.example/never")


# --- snapshots -----------------------------------------------------------------------------
HTML = (
    b"<!DOCTYPE html><html><head><title>A story</title></head><body>"
    + b"<p>The council met on Tuesday and voted on the budget for next year.</p>" * 60
    + b"</body></html>"
)


def test_save_snapshot_then_load_snapshot_round_trips(db: Database) -> None:
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, HTML, "text/html", NOW)
    assert store.load_snapshot(db, snapshot_id) == HTML


def test_identical_bytes_are_stored_once(db: Database) -> None:
    with store.write_transaction(db):
        first = store.save_snapshot(db, HTML, "text/html", NOW)
        second = store.save_snapshot(db, HTML, "text/html", NOW + timedelta(hours=1))
    assert first == second
    assert _count(db, "snapshots") == 1


def test_different_bytes_are_different_snapshots(db: Database) -> None:
    with store.write_transaction(db):
        first = store.save_snapshot(db, HTML, "text/html", NOW)
        second = store.save_snapshot(db, HTML + b"<!-- -->", "text/html", NOW)
    assert first != second
    assert _count(db, "snapshots") == 2


def test_html_snapshots_are_stored_compressed(db: Database) -> None:
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, HTML, "text/html", NOW)
    row = db["snapshots"].get(snapshot_id)
    assert row["size"] == len(HTML)
    assert row["stored_size"] < row["size"]
    assert row["sha256"] == store.page_hash(HTML)


def test_new_snapshots_are_zstandard_frames(db: Database) -> None:
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, HTML, "text/html", NOW)
    assert db["snapshots"].get(snapshot_id)["content"][:4] == store.ZSTD_MAGIC


def test_snapshots_stored_by_zlib_before_still_read(db: Database) -> None:
    """Pages stored before Zstandard stay zlib streams: every reader takes both."""
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, HTML, "text/html", NOW)
    db.execute(
        "update snapshots set content = ? where id = ?", [zlib.compress(HTML, 4), snapshot_id]
    )
    assert store.load_snapshot(db, snapshot_id) == HTML
    assert store.load_snapshot_page(db, snapshot_id) == (HTML, "text/html")
    assert capture_content(db, snapshot_id) == HTML


def _zstd_frame_without_content_size(data: bytes) -> bytes:
    """A Zstandard frame as a streaming writer makes it: its header does not give the size."""
    compressor = zstd.ZstdCompressor()
    return compressor.compress(data) + compressor.flush()


PAGE_BOUND = store.MAX_PAGE_BYTES


def past_the_bound() -> bytes:
    """A page one byte past MAX_PAGE_BYTES (64 MiB), made by the case that stores it. In the
    table itself, its three compressed forms were made by every xdist worker as it collected
    this module, whether or not it ran those cases (about 1 s of CPU a worker)."""
    return b"a" * (PAGE_BOUND + 1)


# Each case's stored bytes, made when the case runs.
@pytest.mark.parametrize(
    ("content", "readable"),
    [
        (lambda: zstd.compress(HTML), HTML),
        (lambda: zlib.compress(HTML, 4), HTML),
        (lambda: _zstd_frame_without_content_size(HTML), HTML),
        (lambda: b"", None),
        (lambda: b"not compressed at all", None),
        (lambda: zstd.compress(HTML)[:-5], None),  # truncated frame
        (lambda: zlib.compress(HTML)[:-5], None),  # truncated stream
        (lambda: store.ZSTD_MAGIC + b"\x00" * 20, None),
        # past the bound once decompressed, whether the frame gives its size or not
        (lambda: zstd.compress(past_the_bound()), None),
        (lambda: _zstd_frame_without_content_size(past_the_bound()), None),
        (lambda: zlib.compress(past_the_bound()), None),
    ],
    ids=[
        "zstd",
        "zlib",
        "zstd-without-size",
        "empty",
        "plain",
        "zstd-truncated",
        "zlib-truncated",
        "zstd-garbage",
        "zstd-too-large",
        "zstd-without-size-too-large",
        "zlib-too-large",
    ],
)
def test_a_stored_page_reads_back_or_fails_with_one_clear_error(
    db: Database, content: Callable[[], bytes], readable: bytes | None
) -> None:
    """A corrupt row, or one past MAX_PAGE_BYTES, is CorruptPageError (a missing capture to the
    web desk, one line at the CLI), never zlib's or zstd's own error nor unbounded memory."""
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, HTML, "text/html", NOW)
    db.execute("update snapshots set content = ? where id = ?", [content(), snapshot_id])
    readers = [
        lambda: store.load_snapshot(db, snapshot_id),
        lambda: store.load_snapshot_page(db, snapshot_id)[0],
        lambda: capture_content(db, snapshot_id),
    ]
    for read in readers:
        if readable is not None:
            assert read() == readable
        else:
            with pytest.raises(CorruptPageError, match=f"stored page {snapshot_id}"):
                read()


def test_no_zlib_stream_starts_like_a_zstandard_frame() -> None:
    """A zlib header's two bytes are a multiple of 31 (RFC 1950): the magic's are not, so the
    first bytes tell the two apart whatever the level or window."""
    assert int.from_bytes(store.ZSTD_MAGIC[:2], "big") % 31 != 0
    for level in range(10):
        for wbits in range(9, 16):
            compressor = zlib.compressobj(level, zlib.DEFLATED, wbits)
            stream = compressor.compress(HTML) + compressor.flush()
            assert stream[:4] != store.ZSTD_MAGIC
            assert store.decompress_page(stream) == HTML


def test_load_snapshot_of_a_missing_id_is_version_not_found(db: Database) -> None:
    with pytest.raises(VersionNotFoundError):
        store.load_snapshot(db, 999)


# --- write_transaction ---------------------------------------------------------------------
class Boom(Exception):
    pass


def test_write_transaction_commits_everything_on_success(db: Database) -> None:
    with store.write_transaction(db):
        article, _ = store.track_article(db, "https://news.example/a", NOW)
        store.save_snapshot(db, HTML, "text/html", NOW)
        store.add_check(db, article_id=article["id"], checked_at=store.stamp(NOW), outcome="x")
    assert (_count(db, "articles"), _count(db, "snapshots"), _count(db, "checks")) == (1, 1, 1)


def test_write_transaction_rolls_back_everything_on_an_exception(db: Database) -> None:
    with pytest.raises(Boom), store.write_transaction(db):
        article, _ = store.track_article(db, "https://news.example/a", NOW)
        store.save_snapshot(db, HTML, "text/html", NOW)
        store.add_check(db, article_id=article["id"], checked_at=store.stamp(NOW), outcome="x")
        store.update_article(db, article["id"], title="half written")
        raise Boom
    assert not db.conn.in_transaction
    assert (_count(db, "articles"), _count(db, "snapshots"), _count(db, "checks")) == (0, 0, 0)


def test_write_transaction_rollback_leaves_earlier_commits_alone(db: Database) -> None:
    article, _ = store.track_article(db, "https://news.example/a", NOW)
    with pytest.raises(Boom), store.write_transaction(db):
        store.update_article(db, article["id"], title="half written")
        store.save_snapshot(db, HTML, "text/html", NOW)
        raise Boom
    assert store.find_article(db, "https://news.example/a")["title"] is None
    assert _count(db, "snapshots") == 0


def test_a_failing_nested_write_transaction_rolls_back_only_its_part(db: Database) -> None:
    with store.write_transaction(db):
        store.track_article(db, "https://news.example/a", NOW)
        with pytest.raises(Boom), store.write_transaction(db):
            store.save_snapshot(db, HTML, "text/html", NOW)
            raise Boom
    assert (_count(db, "articles"), _count(db, "snapshots")) == (1, 0)


def test_write_transaction_leaves_the_connection_usable_after_a_rollback(db: Database) -> None:
    with pytest.raises(Boom), store.write_transaction(db):
        store.track_article(db, "https://news.example/a", NOW)
        raise Boom
    store.track_article(db, "https://news.example/b", NOW)
    assert [a["url"] for a in store.all_articles(db)] == ["https://news.example/b"]


def test_a_commit_sqlite_refuses_leaves_nothing_written_and_no_transaction_open(
    db: Database,
) -> None:
    # SQLite keeps the transaction open when its COMMIT fails (a full disk, a deferred
    # constraint): left so, every later write of the connection (Datasette's one write
    # connection: the desk) would nest in it, never committed, holding the write lock.
    db.execute("create table parent (id integer primary key)")
    db.execute(
        "create table child (parent integer references parent(id) deferrable initially deferred)"
    )
    with pytest.raises(sqlite3.IntegrityError), store.write_transaction(db):
        store.track_article(db, "https://news.example/a", NOW)
        db.execute("insert into child values (7)")  # no parent 7: refused at COMMIT
    assert not db.conn.in_transaction
    with store.write_transaction(db):
        store.track_article(db, "https://news.example/b", NOW)
    other = store.open_db(store.database_file(db))
    assert [a["url"] for a in store.all_articles(other)] == ["https://news.example/b"]


# --- versions ------------------------------------------------------------------------------
def test_versions_are_numbered_from_one_per_article(db: Database) -> None:
    article, _ = store.track_article(db, "https://news.example/a", NOW)
    with store.write_transaction(db):
        for n in range(3):
            store.add_version(
                db,
                article["id"],
                Article(body=f"text {n}"),
                content_hash=f"h{n}",
                snapshot_id=None,
                url=article["url"],
                extractor="trafilatura 2.3.1",
                now=NOW,
            )
    assert [v["seq"] for v in store.versions_of(db, article["id"])] == [1, 2, 3]
    assert store.latest_version(db, article["id"])["body"] == "text 2"


def test_add_version_splits_the_extractor_name_and_version(db: Database) -> None:
    article_id, _ = _article_with_version(db, "https://news.example/a")
    version = store.get_version(db, article_id, 1)
    assert (version["extractor"], version["extractor_version"]) == ("trafilatura", "2.3.1")


def test_get_version_of_a_missing_number_is_version_not_found(db: Database) -> None:
    article_id, _ = _article_with_version(db, "https://news.example/a")
    with pytest.raises(VersionNotFoundError, match="no version 9"):
        store.get_version(db, article_id, 9)


# --- due_articles --------------------------------------------------------------------------
def _article_due(
    db: Database, url: str, next_check: datetime | None, status: str = "active"
) -> None:
    article, _ = store.track_article(db, url, NOW - timedelta(days=1))
    with store.write_transaction(db):
        store.update_article(
            db,
            article["id"],
            status=status,
            next_check=store.stamp(next_check) if next_check else None,
        )


def _due_urls(db: Database, limit: int | None = None) -> list[str]:
    return [a["url"] for a in store.due_articles(db, NOW, limit=limit)]


def test_due_articles_lists_the_most_overdue_first(db: Database) -> None:
    _article_due(db, "https://news.example/late", NOW - timedelta(minutes=5))
    _article_due(db, "https://news.example/latest", NOW - timedelta(hours=3))
    _article_due(db, "https://news.example/now", NOW)
    assert _due_urls(db) == [
        "https://news.example/latest",
        "https://news.example/late",
        "https://news.example/now",
    ]


def test_due_articles_skips_articles_not_yet_due(db: Database) -> None:
    _article_due(db, "https://news.example/later", NOW + timedelta(seconds=1))
    assert _due_urls(db) == []


def test_due_articles_respects_the_limit(db: Database) -> None:
    for minutes in (1, 2, 3, 4):
        _article_due(db, f"https://news.example/{minutes}", NOW - timedelta(minutes=minutes))
    assert _due_urls(db, limit=2) == ["https://news.example/4", "https://news.example/3"]


def test_due_articles_never_lists_expired_articles(db: Database) -> None:
    _article_due(db, "https://news.example/old", NOW - timedelta(days=1), status="expired")
    assert _due_urls(db) == []


def test_due_articles_still_lists_removed_articles(db: Database) -> None:
    _article_due(db, "https://news.example/gone", NOW - timedelta(days=1), status="removed")
    assert _due_urls(db) == ["https://news.example/gone"]


def test_due_articles_skips_articles_with_no_next_check(db: Database) -> None:
    _article_due(db, "https://news.example/done", None)
    assert _due_urls(db) == []


# --- list_edits ----------------------------------------------------------------------------
@pytest.fixture
def edits_db(db: Database) -> Database:
    _record_edit(db, "https://one.example/a", "quote", NOW - timedelta(days=2))
    _record_edit(db, "https://two.example/b", "typo", NOW - timedelta(days=1))
    _record_edit(db, "https://two.example/c", "number", NOW)
    return db


def _listed(db: Database, **filters: object) -> list[tuple[str, str]]:
    return [(row["url"], row["kind"]) for row in store.list_edits(db, **filters)]  # type: ignore[arg-type]


ALL_EDITS = [
    ("https://two.example/c", "number"),
    ("https://two.example/b", "typo"),
    ("https://one.example/a", "quote"),
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ALL_EDITS),
        ({"kinds": ("typo",)}, [("https://two.example/b", "typo")]),
        ({"kinds": ("typo", "quote")}, [ALL_EDITS[1], ALL_EDITS[2]]),
        ({"site": "one.example"}, [("https://one.example/a", "quote")]),
        ({"url": "https://two.example/c"}, [("https://two.example/c", "number")]),
        ({"since": store.stamp(NOW - timedelta(days=1))}, ALL_EDITS[:2]),
        ({"since": "2026-11-02"}, ALL_EDITS[:1]),
        ({"significant_only": True}, [ALL_EDITS[0], ALL_EDITS[2]]),
        ({"limit": 1}, ALL_EDITS[:1]),
        ({"site": "two.example", "kinds": ("number",)}, ALL_EDITS[:1]),
    ],
    ids=[
        "none",
        "kind",
        "kinds",
        "site",
        "url",
        "since",
        "since-date",
        "significant",
        "limit",
        "site-and-kind",
    ],
)
def test_list_edits_filters(
    edits_db: Database, filters: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert _listed(edits_db, **filters) == expected


@pytest.mark.parametrize(
    "filters",
    [
        {"kinds": (HOSTILE,)},
        {"site": HOSTILE},
        {"url": HOSTILE},
        {"since": "9999' or 1=1 --"},
    ],
    ids=["kind", "site", "url", "since"],
)
def test_list_edits_binds_hostile_filter_values(
    edits_db: Database, filters: dict[str, object]
) -> None:
    assert _listed(edits_db, **filters) == []
    assert _count(edits_db, "edits") == 3


def test_list_edits_rows_carry_the_change_and_version_numbers(edits_db: Database) -> None:
    row = store.list_edits(edits_db, url="https://one.example/a")[0]
    assert row["summary"] == "quote changed"
    assert (row["old_seq"], row["new_seq"]) == (1, 1)
    assert row["detected_at"] == store.stamp(NOW - timedelta(days=2))


# --- changes -------------------------------------------------------------------------------
def test_add_change_derives_summary_kinds_and_stealth_from_the_edits(db: Database) -> None:
    article_id, version_id = _article_with_version(db, "https://news.example/a")
    edits = [make_edit("quote", "body", old="a", new="b"), make_edit("typo", "body")]
    with store.write_transaction(db):
        change_id = store.add_change(db, article_id, version_id, version_id, edits, NOW)
    change = db["changes"].get(change_id)
    assert change["kinds"] == "quote,typo"
    assert change["significant"] == 1
    assert change["stealth"] == 1
    assert change["summary"] == "quote changed; typo fixed"
    positions = [e["position"] for e in db.query("select position from edits order by id")]
    assert positions == [0, 1]


def test_upgrading_gives_old_edits_their_site_and_lists_them_by_site(tmp_path: Path) -> None:
    path = tmp_path / "redline.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m006_site_on_edits")  # a database from before the site
    article, _ = store.track_article(old, "https://news.example/a", NOW)
    change_id = (
        old["changes"]
        .insert({"article_id": article["id"], "detected_at": store.stamp(NOW), "summary": "x"})
        .last_pk
    )
    old["edits"].insert(
        {"change_id": change_id, "article_id": article["id"], "kind": "name", "field": "body"}
    )
    old.close()
    upgraded = store.open_db(path)
    assert [row["site"] for row in upgraded.query("select site from edits")] == ["news.example"]
    assert [row["kind"] for row in store.list_edits(upgraded, site="news.example")] == ["name"]
    assert store.list_edits(upgraded, site="other.example") == []


def _counts(db: Database) -> dict[int, tuple[int, int, str | None]]:
    return {
        row["id"]: (row["significant_edits"], row["edited_changes"], row["last_edit"])
        for row in db.query("select id, significant_edits, edited_changes, last_edit from articles")
    }


def _counted_from_edits(db: Database) -> dict[int, tuple[int, int, str | None]]:
    counted = {row["id"]: (0, 0, None) for row in db.query("select id from articles")}
    for row in db.query(
        "select edits.article_id, count(*) as n, count(distinct change_id) as changes, "
        "max(changes.detected_at) as last from edits join changes on changes.id = edits.change_id "
        "where edits.significant = 1 group by edits.article_id"
    ):
        counted[row["article_id"]] = (row["n"], row["changes"], row["last"])
    return counted


def test_articles_count_their_significant_edits_whatever_writes_the_changes(db: Database) -> None:
    a, _ = store.track_article(db, "https://news.example/a", NOW)
    b, _ = store.track_article(db, "https://news.example/b", NOW)
    name = make_edit("name", "body", old="Jon", new="John")
    typo = make_edit("typo", "body", old="teh", new="the")
    store.add_change(db, a["id"], None, None, [name, typo], NOW)
    store.add_change(db, a["id"], None, None, [typo], NOW + timedelta(hours=1))
    later = store.add_change(db, b["id"], None, None, [name, name], NOW + timedelta(hours=2))
    assert _counts(db) == _counted_from_edits(db)
    assert _counts(db)[a["id"]] == (1, 1, store.stamp(NOW))
    # a re-extraction rewrites a change's edits: the counts follow
    db.execute("delete from edits where change_id = ?", [later])
    store.replace_change_edits(db, later, b["id"], [typo])
    assert _counts(db)[b["id"]] == (0, 0, None) == _counted_from_edits(db)[b["id"]]
    db.execute("delete from edits where article_id = ?", [a["id"]])
    db.execute("delete from changes where article_id = ?", [a["id"]])
    assert _counts(db)[a["id"]] == (0, 0, None)


def test_m027_names_each_host_and_port_with_the_addresses_it_vouches_for(tmp_path: Path) -> None:
    """Hosts named before m027 keep their trust on the port of each article or source the user
    added, at the non-public addresses they have at the upgrade; discovered articles name none."""
    import json

    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m027_security")
    at = "2026-01-01T00:00:00+00:00"
    source_id = (
        old["sources"]
        .insert({"kind": "feed", "url": "http://127.0.0.1:8000/feed.xml", "added_at": at})
        .last_pk
    )
    for url, source in (
        ("http://10.0.0.9:8080/a", None),
        ("http://10.0.0.9:9090/b", None),  # the same host on another port the user added
        ("http://localhost:8001/c", None),
        ("http://192.168.1.7/found", source_id),  # discovered: names nothing
    ):
        old["articles"].insert(
            {
                "url": url,
                "site": "x",
                "status": "active",
                "first_seen": at,
                "next_check": at,
                "version_count": 0,
                "source_id": source,
            }
        )
    old.close()
    db = store.open_db(path)
    named = {
        (r["host"], r["port"]): json.loads(r["addresses"])
        for r in db.query("select * from named_hosts")
    }
    assert set(named) == {
        ("127.0.0.1", 8000),
        ("10.0.0.9", 8080),
        ("10.0.0.9", 9090),
        ("localhost", 8001),
    }
    assert named[("10.0.0.9", 8080)] == ["10.0.0.9"] and named[("127.0.0.1", 8000)] == ["127.0.0.1"]
    assert "127.0.0.1" in named[("localhost", 8001)]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda db, _id: store.save_snapshot(db, b"<html>x</html>", "text/html", NOW),
            id="a row inserted (insert_row)",
        ),
        pytest.param(
            lambda db, article_id: store.update_article(db, article_id, status="paused"),
            id="an article updated (update_article)",
        ),
    ],
)
def test_a_write_outside_a_transaction_is_committed_and_leaves_none_open(
    tmp_path: Path, write: object
) -> None:
    # A write on the connection itself opened an implicit transaction that nothing committed:
    # every later write_transaction of the connection nested in it and was lost at close.
    path = tmp_path / "r.db"
    db = store.open_db(path)
    article, _ = store.track_article(db, "https://news.example/a", NOW, resolve=lambda _host: [])
    write(db, int(article["id"]))  # type: ignore[operator]
    assert not db.conn.in_transaction
    with store.write_transaction(db):
        db.execute("insert into article_tags (article_id, tag) values (?, 'kept')", [article["id"]])
    db.conn.close()
    other = sqlite3.connect(path)
    assert other.execute("select tag from article_tags").fetchall() == [("kept",)]
    other.close()


def test_a_database_from_before_m028_keeps_its_zlib_pages_and_stores_new_ones_as_zstandard(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    MIGRATIONS.apply(old, stop_before="m028_zstd_snapshots")
    old_page = b"<html><body><p>Stored by zlib before m028.</p></body></html>"
    stored = zlib.compress(old_page, 4)
    old["snapshots"].insert(
        {
            "sha256": store.page_hash(old_page),
            "content": stored,
            "size": len(old_page),
            "stored_size": len(stored),
            "content_type": "text/html",
            "first_seen": "2026-01-01T00:00:00+00:00",
        }
    )
    old.close()
    db = store.open_db(path)
    assert "m028_zstd_snapshots" in {m.name for m in MIGRATIONS.applied(db)}
    (old_id,) = [row["id"] for row in db.query("select id from snapshots")]
    assert store.load_snapshot(db, old_id) == old_page
    with store.write_transaction(db):
        new_id = store.save_snapshot(db, HTML, "text/html", NOW)
    assert db["snapshots"].get(new_id)["content"][:4] == store.ZSTD_MAGIC
    assert store.load_snapshot(db, new_id) == HTML
    db.close()
