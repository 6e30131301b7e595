"""The version store: the only module that touches SQLite.

One connection per process, WAL so Datasette reads while a crawl writes, every write unit inside
`BEGIN IMMEDIATE` so two writers queue on the busy timeout instead of failing with "database is
locked" (a deferred transaction that reads then writes fails at once when another writer got in).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

try:  # Python 3.14's standard library, else its backport (the same module)
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd  # type: ignore[no-redef,unused-ignore]
from sqlite_utils import Database
from sqlite_utils.db import Table

from monitor.compare.edit import Edit, is_stealth, summarize
from monitor.errors import (
    CorruptPageError,
    DatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    RefusedDatabaseError,
    StorageError,
    UnknownArticleError,
    VersionNotFoundError,
)
from monitor.extract.article import Article, decode_roles, encode_roles
from monitor.fetch.addresses import (
    NamedHost,
    Resolver,
    host_of,
    port_of,
    private_addresses,
    resolve_host,
)
from monitor.store.fresh import create_schema
from monitor.store.schema import MIGRATIONS

__all__ = [
    "BUSY_TIMEOUT_MS",
    "MAX_PAGE_BYTES",
    "SNAPSHOT_COMPRESSION",
    "ZSTD_MAGIC",
    "CheckState",
    "Row",
    "add_change",
    "add_check",
    "add_source",
    "add_version",
    "all_articles",
    "all_sources",
    "article_from_row",
    "changes_of",
    "check_readable",
    "check_state",
    "checkpoint_wal",
    "decompress_page",
    "due_articles",
    "find_article",
    "get_version",
    "get_version_by_id",
    "host_naming",
    "insert_row",
    "is_busy_error",
    "is_storage_error",
    "latest_extractor",
    "latest_head",
    "latest_version",
    "list_edits",
    "load_snapshot",
    "load_snapshot_page",
    "name_host",
    "named_hosts",
    "open_db",
    "open_db_for_round",
    "page_hash",
    "recent_body_lengths",
    "replace_change_edits",
    "require_article",
    "save_snapshot",
    "select_rows",
    "site_of",
    "stamp",
    "track_article",
    "track_discovered",
    "update_article",
    "update_article_if",
    "utc_now",
    "version_with_hash",
    "versions_of",
    "write_transaction",
]

# How long a writer waits for another to finish before giving up. A check round holds the write
# lock for milliseconds per page, so 60 s is only reached when something is badly stuck.
BUSY_TIMEOUT_MS = 60_000
# Zstandard level for raw pages. On the 181 pages of article-extraction-benchmark (174 kB each),
# level 3 (zstd's default) takes 0.8 ms a page and keeps 19.7 % of the bytes, where zlib took
# 2.4 ms at level 4 for 20.7 % (and 4.2 ms at its default, 6, for 19.7 %); zstd's level 1, 0.6 ms
# for 20.9 %. Compression runs in the crawl's writer thread for every new page, the largest cost
# there after SQLite (issue 23); reading takes half of zlib's time. Pages stored before stay
# zlib streams: `decompress_page` reads both.
SNAPSHOT_COMPRESSION = 3
# The first bytes of every Zstandard frame. A zlib stream starts with 0x78 (a 32 kB window) and
# its first two bytes are always a multiple of 31 (RFC 1950), which 0x28B5 is not: never taken
# for a frame.
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# The most bytes a stored page decompresses to before it is called corrupt: six times the
# largest page a fetch takes (10 MiB, the crawler's DOWNLOAD_MAXSIZE and the archive client's
# MAX_BODY_BYTES), so a damaged row or a frame that gives no size cannot take all the memory.
MAX_PAGE_BYTES = 64 * 1024 * 1024

# How many texts of generated INSERT and UPDATE statements are kept, by table and columns (the
# code writes a few dozen column sets; building a text again costs more than looking it up, on
# every check, in the crawl's writer thread).
SQL_TEXTS = 256

Row = dict[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """The one text form of a time in the database: ISO 8601, UTC, seconds."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def site_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _table(db: Database, name: str) -> Table:
    table = db[name]
    assert isinstance(table, Table)
    return table


def _last_id(table: Table) -> int:
    last = table.last_pk
    assert last is not None
    return int(last)


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) a Redline database and bring its schema up to date."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        db = Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Read once for the refusals and the pending migrations (sqlite-utils reads the schema
        # and the migrations table on each call: a round opens its database 3-4 times).
        applied = _applied(db)
        refuse_newer_schema(db, path, applied)
        refuse_foreign_database(db, path, applied)
        db.execute("PRAGMA foreign_keys = ON")
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.enable_wal()
        # Safe under WAL (a power cut can lose the last commits, never corrupt) and ~4x cheaper.
        db.execute("PRAGMA synchronous = NORMAL")
        if {migration.name for migration in MIGRATIONS._migrations} - set(applied):
            with write_transaction(db):
                if applied or db.table_names():
                    MIGRATIONS.apply(db)
                else:  # a new file: the same schema in one step (monitor.store.fresh)
                    create_schema(db)
    except (sqlite3.DatabaseError, OSError) as error:
        if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise NotADatabaseError(f"cannot open database {path}: {error}") from error
        raise DatabaseError(f"cannot open database {path}: {error}") from error
    return db


def check_readable(path: str | Path) -> None:
    """NotADatabaseError (DatabaseError for any other failure) unless `path` reads as a SQLite
    database; NewerDatabaseError or ForeignDatabaseError when it is one `open_db` refuses (a
    newer Redline's, another application's). Nothing is written (a cluster's shard another
    process may be crawling)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("select count(*) from sqlite_master").fetchone()
            db = Database(conn)
            refuse_newer_schema(db, Path(path))  # each closes the connection as it refuses
            refuse_foreign_database(db, Path(path))
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise NotADatabaseError(f"cannot open database {path}: {error}") from error
        raise DatabaseError(f"cannot open database {path}: {error}") from error


# How long the WAL's checkpoint at a round's end waits for a reader's query in progress (a page
# of Datasette); past it the checkpoint does what it can and the WAL is cut at a later round.
CHECKPOINT_BUSY_S = 1.0


def checkpoint_wal(path: str | Path) -> None:
    """Fold the WAL into the database file and cut it to zero bytes (`wal_checkpoint(TRUNCATE)`):
    SQLite does it by itself only when the last connection closes, so while another process
    holds the database open (Datasette) the WAL would stay at its largest size between rounds.
    sqlite3.Error when the database cannot be written (the caller logs it)."""
    conn = sqlite3.connect(str(path), timeout=CHECKPOINT_BUSY_S)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


# SQLite result codes that say the database cannot be written now, whatever the page: the disk
# is full, the file is read-only or damaged, the disk failed, another writer held the lock past
# the busy timeout. Any other error (a constraint, a bug) concerns one page only.
STORAGE_ERROR_CODES = (
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_IOERR",
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_CANTOPEN",
    "SQLITE_BUSY",
    "SQLITE_PERM",
)


def is_storage_error(error: BaseException) -> bool:
    """True when `error` says the database itself cannot be written (see STORAGE_ERROR_CODES)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return isinstance(error, sqlite3.Error) and name.startswith(STORAGE_ERROR_CODES)


def open_db_for_round(path: str | Path) -> Database:
    """`open_db` at a round's start: StorageError when the file cannot be opened for writing (a
    full disk cannot take SQLite's WAL index; a read-only or damaged file), so that the crawl and
    `redline check` stop the round with the same reason; a refusal (RefusedDatabaseError: a
    newer schema, a file that is not a database, such as a wrong --db) propagates as it is."""
    try:
        return open_db(path)
    except RefusedDatabaseError:
        raise
    except DatabaseError as error:
        cause = error.__cause__
        if cause is not None and (is_storage_error(cause) or isinstance(cause, OSError)):
            raise StorageError(str(error)) from None
        raise


def is_busy_error(error: BaseException) -> bool:
    """True when `error` is SQLite's "database is locked": another writer held the write lock
    past the busy timeout (a condition of the moment, not of the file)."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return isinstance(error, sqlite3.OperationalError) and name.startswith(
        ("SQLITE_BUSY", "SQLITE_LOCKED")
    )


def _applied(db: Database) -> list[str]:
    """The names of the migrations applied to the database, in the order applied."""
    return [migration.name for migration in MIGRATIONS.applied(db)]


def refuse_newer_schema(db: Database, path: Path, applied: Iterable[str] | None = None) -> None:
    """NewerDatabaseError when the database holds a migration this code does not know: a newer
    Redline migrated it, and writing to it with this one could corrupt what it expects. Checked
    before anything is written (even the switch to WAL). `applied`: the names of its applied
    migrations, when read already."""
    known = {migration.name for migration in MIGRATIONS._migrations}
    names = _applied(db) if applied is None else applied
    unknown = [name for name in names if name not in known]
    if unknown:
        db.conn.close()
        raise NewerDatabaseError(
            f"database {path} was migrated by a newer Redline (migration "
            f"{', '.join(unknown)} unknown here): upgrade Redline to use it"
        )


# How many of another application's tables the refusal names.
FOREIGN_TABLES_NAMED = 3


def refuse_foreign_database(
    db: Database, path: Path, applied: Collection[str] | None = None
) -> None:
    """ForeignDatabaseError when the file holds tables but no Redline migration: another
    application's database (a wrong --db), to which Redline would add its tables and then write
    rounds. An empty file, or one Redline created, is opened. Checked before anything is
    written. `applied`: the names of its applied migrations, when read already."""
    if _applied(db) if applied is None else applied:
        return
    tables = [
        row[0]
        for row in db.execute(
            "select name from sqlite_master where type in ('table', 'view') "
            "and name not like 'sqlite_%' and name != '_sqlite_migrations' order by name"
        ).fetchall()
    ]
    if tables:
        db.conn.close()
        named = ", ".join(tables[:FOREIGN_TABLES_NAMED]) + (
            ", …" if len(tables) > FOREIGN_TABLES_NAMED else ""
        )
        raise ForeignDatabaseError(
            f"database {path} belongs to another application (tables {named}, none of "
            "Redline's): give Redline a database of its own (a new file)"
        )


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write unit: all of it is committed, or none of it."""
    if db.conn.in_transaction:
        with db.atomic():  # nested: a savepoint
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        # SQLite may keep the transaction open when COMMIT itself fails (a full disk, a deferred
        # constraint) or may have rolled it back already: end it either way, or every later
        # write of this connection would nest in it, never committed.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def select_rows(db: Database, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[Row]:
    """The rows of one `select` as dicts, like `db.query` without its per-call tokenising of the
    statement (about a tenth of an unchanged page's time in the writer). Only for statements
    whose column names are distinct."""
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


# --- articles ------------------------------------------------------------------------------
def find_article(db: Database, url: str) -> Row | None:
    rows = select_rows(db, "select * from articles where url = ?", [url])
    return rows[0] if rows else None


def require_article(db: Database, url: str) -> Row:
    article = find_article(db, url)
    if article is None:
        raise UnknownArticleError(f"not tracked: {url} (add it with `redline add {url}`)")
    return article


def _new_article(url: str, now: datetime, source_id: int | None = None, fetch_url: str = "") -> Row:
    """A row for a newly tracked article, due for its first check at once. `url` is its
    canonical key; `fetch_url`, when different, is the URL to fetch as given or discovered."""
    row: Row = {"fetch_url": fetch_url} if fetch_url and fetch_url != url else {}
    return row | {
        "url": url,
        "site": site_of(url),
        "status": "active",
        "first_seen": stamp(now),
        "next_check": stamp(now),
        "version_count": 0,
        "source_id": source_id,
    }


def track_article(
    db: Database, url: str, now: datetime, fetch_url: str = "", resolve: Resolver = resolve_host
) -> tuple[Row, bool]:
    """The article row for `url` (its canonical key), created (due at once) if new, fetched at
    `fetch_url` when given, its host named by the user (see `host_naming`, which looks the name up
    with `resolve`). Returns (row, created)."""
    existing = find_article(db, url)
    if existing is not None:
        return existing, False
    naming = host_naming(url, now, resolve)
    with write_transaction(db):
        _table(db, "articles").insert(_new_article(url, now, fetch_url=fetch_url), ignore=True)
        name_host(db, naming)
    article = find_article(db, url)
    assert article is not None
    return article, True


def update_article(db: Database, article_id: int, **values: Any) -> None:
    # Plain SQL: on a round of unchanged pages this runs once per page, and sqlite-utils'
    # Table.update adds a lookup, a PRAGMA and a savepoint to each call (0.55 → 0.29 ms a page).
    update_article_if(db, article_id, values)


def update_article_if(
    db: Database,
    article_id: int,
    values: Mapping[str, Any],
    condition: str = "",
    params: list[Any] | tuple[Any, ...] = (),
) -> bool:
    """Update the article's columns only while `condition` (SQL over its row, with `params`)
    holds; whether it did (False: no such article, or the condition failed, nothing written)."""
    sql = _update_article_sql(tuple(values), condition)
    return _write(db, sql, [*values.values(), article_id, *params]).rowcount == 1


@lru_cache(maxsize=SQL_TEXTS)
def _update_article_sql(columns: tuple[str, ...], condition: str) -> str:
    assignments = ", ".join(f"{_column(name)} = ?" for name in columns)
    where = f"id = ? and ({condition})" if condition else "id = ?"
    return f"update articles set {assignments} where {where}"


def _column(name: str) -> str:
    """A column name from Redline's own code, checked all the same before it reaches SQL."""
    if not name.isidentifier():
        raise ValueError(f"not a column name: {name!r}")
    return name


def all_articles(db: Database) -> list[Row]:
    return list(db.query("select * from articles order by id"))


def due_articles(db: Database, now: datetime, limit: int | None = None) -> list[Row]:
    """Articles whose next check is due, most overdue first; expired ones never, nor those of a
    site that is held (it asked us to wait, or keeps failing), nor those the user paused or
    removed (the article, its source or its site: `monitor.store.watch`)."""
    from monitor.store.watch import WATCHED_ARTICLE

    sql = (
        "select * from articles where next_check is not null and next_check <= ? "
        "and status not in ('expired', 'duplicate') "
        f"and {WATCHED_ARTICLE} "
        "and site not in (select site from sites where hold_until > ?) order by next_check, id"
    )
    params: list[Any] = [stamp(now), stamp(now)]
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    return list(db.query(sql, params))


# --- snapshots -----------------------------------------------------------------------------
def page_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def save_snapshot(
    db: Database, raw: bytes, content_type: str, now: datetime, digest: str = ""
) -> int:
    """Store a raw page once, compressed; the same bytes seen again reuse the row. `digest`: its
    SHA-256 when the caller has it already (`page_hash`), else computed here."""
    digest = digest or page_hash(raw)
    rows = list(db.query("select id from snapshots where sha256 = ?", [digest]))
    if rows:
        return int(rows[0]["id"])
    content = zstd.compress(raw, SNAPSHOT_COMPRESSION)
    return insert_row(
        db,
        "snapshots",
        {
            "sha256": digest,
            "content": content,
            "size": len(raw),
            "stored_size": len(content),
            "content_type": content_type,
            "first_seen": stamp(now),
        },
    )


def load_snapshot(db: Database, snapshot_id: int) -> bytes:
    rows = list(db.query("select content from snapshots where id = ?", [snapshot_id]))
    if not rows:
        raise VersionNotFoundError(f"no snapshot {snapshot_id}")
    return decompress_page(rows[0]["content"], snapshot_id)


def decompress_page(content: bytes, snapshot_id: int | None = None) -> bytes:
    """A stored raw page's bytes: a Zstandard frame, or a zlib stream (pages stored before).
    CorruptPageError when it is neither, is cut short, or passes MAX_PAGE_BYTES."""
    try:
        if content[:4] == ZSTD_MAGIC:
            zstd_reader = zstd.ZstdDecompressor()
            page: bytes = zstd_reader.decompress(content, MAX_PAGE_BYTES + 1)
            complete, rest = zstd_reader.eof, zstd_reader.unused_data
        else:
            zlib_reader = zlib.decompressobj()
            page = zlib_reader.decompress(content, MAX_PAGE_BYTES + 1)
            complete, rest = zlib_reader.eof, zlib_reader.unused_data
    except (zlib.error, zstd.ZstdError) as error:
        raise CorruptPageError(f"{_page_name(snapshot_id)} cannot be read: {error}") from None
    if len(page) > MAX_PAGE_BYTES:
        raise CorruptPageError(
            f"{_page_name(snapshot_id)} decompresses past {MAX_PAGE_BYTES} bytes: not read"
        )
    if not complete or rest:
        raise CorruptPageError(f"{_page_name(snapshot_id)} cannot be read: cut short or damaged")
    return page


def _page_name(snapshot_id: int | None) -> str:
    return "stored page" if snapshot_id is None else f"stored page {snapshot_id}"


def load_snapshot_page(db: Database, snapshot_id: int) -> tuple[bytes, str]:
    """A raw page and the Content-Type it was served with (its charset decides its decoding)."""
    rows = list(db.query("select content, content_type from snapshots where id = ?", [snapshot_id]))
    if not rows:
        raise VersionNotFoundError(f"no snapshot {snapshot_id}")
    return decompress_page(rows[0]["content"], snapshot_id), rows[0]["content_type"] or ""


# --- versions ------------------------------------------------------------------------------
def article_from_row(row: Row) -> Article:
    return Article(
        title=row["title"] or "",
        byline=row["byline"] or "",
        published=row["published"] or "",
        modified=row["modified"] or "",
        body=row["body"] or "",
        roles=decode_roles(row.get("roles"), row["body"] or ""),
    )


def versions_of(db: Database, article_id: int) -> list[Row]:
    return list(db.query("select * from versions where article_id = ? order by seq", [article_id]))


def latest_version(db: Database, article_id: int) -> Row | None:
    rows = list(
        db.query(
            "select * from versions where article_id = ? order by seq desc limit 1", [article_id]
        )
    )
    return rows[0] if rows else None


# The latest version's columns a check reads (`latest_head`), and what `check_state` reads with
# them in the same statement.
_HEAD = ("id", "seq", "content_hash", "snapshot_id", "extractor", "extractor_version", "url")
_CHECK_STATE = (
    "select articles.*, "
    + ", ".join(f"head.{column}" for column in _HEAD)
    + ", (select failures from sites where sites.site = articles.site), "
    "exists (select 1 from headline_tests where headline_tests.article_id = articles.id "
    "and ended_at is null) "
    "from articles left join versions as head on head.id = (select id from versions "
    "where versions.article_id = articles.id order by seq desc limit 1) "
    "where articles.url = ?"
)


def latest_head(db: Database, article_id: int) -> Row | None:
    """The latest version without its text: id, seq, content hash, snapshot, extractor. What a
    check needs to decide about an unchanged page."""
    rows = select_rows(
        db,
        f"select {', '.join(_HEAD)} from versions where article_id = ? order by seq desc limit 1",
        [article_id],
    )
    return _with_made_by(rows[0]) if rows else None


def _with_made_by(head: Row) -> Row:
    """A version's head with `made_by`, the extractor and its version as one label."""
    head["made_by"] = f"{head['extractor']} {head['extractor_version']}"
    return head


@dataclass(frozen=True)
class CheckState:
    """What a check of a known page reads before deciding, in one statement."""

    article: Row
    head: Row | None  # as `latest_head` returns it
    site_failures: int | None  # None: the site has no row yet
    open_tests: bool  # a headline test of the article is running


def check_state(db: Database, url: str) -> CheckState | None:
    """The tracked article at `url` (None: not tracked), its latest version's head, its site's
    failures and whether a headline test runs: the four reads of a check of an unchanged page
    (`find_article`, `latest_head`, `sites`, `open_tests`) in one statement, a quarter of the
    round trips through SQLite of the crawl's writer thread, where each one hands the GIL back
    and forth with the reactor's (issue 23)."""
    cursor = db.conn.execute(_CHECK_STATE, [url])
    row = cursor.fetchone()
    if row is None:
        return None
    width = len(cursor.description) - len(_HEAD) - 2
    names = [column[0] for column in cursor.description[:width]]
    article = dict(zip(names, row[:width], strict=True))
    head = None
    if row[width] is not None:
        head = _with_made_by(dict(zip(_HEAD, row[width : width + len(_HEAD)], strict=True)))
    return CheckState(article, head, row[-2], bool(row[-1]))


def version_with_hash(db: Database, article_id: int, content_hash: str) -> int | None:
    """The seq of the latest version of the article with this content hash, if any."""
    rows = list(
        db.query(
            "select seq from versions where article_id = ? and content_hash = ? "
            "order by seq desc limit 1",
            [article_id, content_hash],
        )
    )
    return int(rows[0]["seq"]) if rows else None


def latest_extractor(db: Database, article_id: int) -> str | None:
    """ "name version" of the extractor that made the latest version (None: no version yet).
    Reads two short columns, not the body: this runs for every unchanged page."""
    rows = list(
        db.query(
            "select extractor, extractor_version from versions where article_id = ? "
            "order by seq desc limit 1",
            [article_id],
        )
    )
    return f"{rows[0]['extractor']} {rows[0]['extractor_version']}" if rows else None


def recent_body_lengths(db: Database, article_id: int, count: int) -> list[int]:
    """Lengths of the article's latest `count` bodies, computed in SQLite."""
    return [
        int(row["n"])
        for row in db.query(
            "select length(body) as n from versions where article_id = ? order by seq desc limit ?",
            [article_id, count],
        )
    ]


def get_version(db: Database, article_id: int, seq: int) -> Row:
    rows = list(
        db.query("select * from versions where article_id = ? and seq = ?", [article_id, seq])
    )
    if not rows:
        raise VersionNotFoundError(f"no version {seq} of this article")
    return rows[0]


def get_version_by_id(db: Database, version_id: int) -> Row:
    rows = list(db.query("select * from versions where id = ?", [version_id]))
    if not rows:
        raise VersionNotFoundError(f"no version with id {version_id}")
    return rows[0]


def add_version(
    db: Database,
    article_id: int,
    article: Article,
    *,
    content_hash: str,
    snapshot_id: int | None,
    url: str,
    extractor: str,
    now: datetime,
    seq: int | None = None,
    memento_url: str | None = None,
) -> Row:
    """A version after the latest (or at `seq`, for a backfill that made room for it);
    `memento_url` marks a version read from a web archive."""
    if seq is None:
        latest = latest_version(db, article_id)
        seq = 1 if latest is None else int(latest["seq"]) + 1
    name, _, version = extractor.partition(" ")
    version_id = insert_row(
        db,
        "versions",
        {
            "article_id": article_id,
            "seq": seq,
            "captured_at": stamp(now),
            "url": url,
            "title": article.title,
            "byline": article.byline,
            "published": article.published,
            "modified": article.modified,
            "body": article.body,
            "roles": encode_roles(article.roles),
            "content_hash": content_hash,
            "extractor": name,
            "extractor_version": version,
            "snapshot_id": snapshot_id,
            **({"memento_url": memento_url} if memento_url else {}),
        },
    )
    return select_rows(db, "select * from versions where id = ?", [version_id])[0]


# --- checks, changes, edits ----------------------------------------------------------------
def add_check(db: Database, **values: Any) -> int:
    return insert_row(db, "checks", values)


def insert_row(db: Database, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row of plain SQLite values (str, int, float, bytes, None) and return its id.
    Plain SQL: sqlite-utils' `Table.insert` adds two schema lookups, a PRAGMA and a savepoint to
    each row (about a fifth of a first-sight page's time in the crawl's writer, issue 23)."""
    cursor = _write(db, _insert_sql(table, tuple(values)), list(values.values()))
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def _write(db: Database, sql: str, params: list[Any]) -> sqlite3.Cursor:
    """Run one write statement: straight on the connection inside a transaction (the writer's
    checks), else through sqlite-utils, which commits it. The connection's own `execute` would
    leave the implicit transaction it opens outside one uncommitted, and every later
    `write_transaction` of the connection would nest in it as a savepoint, never committed."""
    if db.conn.in_transaction:
        return db.conn.execute(sql, params)
    return db.execute(sql, params)


@lru_cache(maxsize=SQL_TEXTS)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(_column(name) for name in columns)
    marks = ", ".join("?" for _ in columns)
    return f"insert into {_column(table)} ({names}) values ({marks})"


def add_change(
    db: Database,
    article_id: int,
    old_version_id: int | None,
    new_version_id: int | None,
    edits: list[Edit],
    now: datetime,
    capped: str = "",
) -> int:
    """A change and its edits; the summary and stealth flag are computed from the edits.
    `capped` names the limit its comparison hit (its edits are then one coarse edit)."""
    changes = _table(db, "changes")
    changes.insert(
        {
            "article_id": article_id,
            "old_version_id": old_version_id,
            "new_version_id": new_version_id,
            "detected_at": stamp(now),
            "summary": "",  # filled in from the stored edits below
            "capped": capped or None,
        }
    )
    change_id = _last_id(changes)
    replace_change_edits(db, change_id, article_id, edits)
    return change_id


def replace_change_edits(
    db: Database, change_id: int, article_id: int, edits: list[Edit], first_position: int = 0
) -> None:
    """Insert a change's edits (after `first_position` existing ones) and refresh its summary."""
    site = db.execute("select site from articles where id = ?", [article_id]).fetchone()[0]
    _table(db, "edits").insert_all(
        (
            {
                "change_id": change_id,
                "article_id": article_id,
                "site": site,
                "position": first_position + position,
                "kind": edit.kind,
                "field": edit.field,
                "old": edit.old,
                "new": edit.new,
                "old_sentence": edit.old_sentence,
                "new_sentence": edit.new_sentence,
                "significant": int(edit.significant),
                "score": edit.score,
                "reasons": json.dumps(list(edit.reasons)),
                "old_paragraph": edit.old_paragraph,
                "new_paragraph": edit.new_paragraph,
            }
            for position, edit in enumerate(edits)
        )
    )
    # The summary always reflects every stored edit of the change, lifecycle ones included.
    rows = list(
        db.query(
            "select kind, score, significant from edits where change_id = ? order by position",
            [change_id],
        )
    )
    stored = [
        Edit(kind=r["kind"], field="", score=r["score"], significant=bool(r["significant"]))
        for r in rows
    ]
    db.execute(
        "update changes set summary = ?, kinds = ?, significant = ?, stealth = ? where id = ?",
        [
            summarize(stored),
            ",".join(dict.fromkeys(e.kind for e in stored)),
            sum(1 for e in stored if e.significant),
            int(is_stealth(stored)),
            change_id,
        ],
    )


def list_edits(
    db: Database,
    *,
    since: str | None = None,
    kinds: tuple[str, ...] = (),
    site: str | None = None,
    url: str | None = None,
    significant_only: bool = False,
    limit: int | None = None,
    tag: str = "",
) -> list[Row]:
    """Edits with their article and change, newest first; every filter is a bound parameter
    (`tag`: articles carrying it, themselves or through their source)."""
    where = ["1 = 1"]
    params: list[Any] = []
    if since:
        where.append("changes.detected_at >= ?")
        params.append(since)
    if kinds:
        where.append(f"edits.kind in ({', '.join('?' for _ in kinds)})")
        params.extend(kinds)
    if site:
        if ":" in site.rsplit("]", 1)[-1]:  # a port given: that site only
            where.append("edits.site = ?")
            params.append(site)
        else:  # a host alone: the site on any port ("127.0.0.1" finds "127.0.0.1:8000")
            where.append("(edits.site = ? or edits.site like ? escape '\\')")
            params.extend([site, site.replace("%", "\\%").replace("_", "\\_") + ":%"])
    if url:
        where.append("articles.url = ?")
        params.append(url)
    if tag:
        from monitor.store.tags import tagged_article

        where.append(tagged_article("?"))
        params.extend([tag, tag])
    if significant_only:
        where.append("edits.significant = 1")
    sql = f"""
        select edits.*, changes.detected_at, changes.summary, changes.stealth,
               articles.url, articles.title as article_title,
               old_v.seq as old_seq, new_v.seq as new_seq
        from edits
        join changes on changes.id = edits.change_id
        join articles on articles.id = edits.article_id
        left join versions old_v on old_v.id = changes.old_version_id
        left join versions new_v on new_v.id = changes.new_version_id
        where {" and ".join(where)}
        order by edits.change_id desc, edits.position
    """
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    return list(db.query(sql, params))


def changes_of(db: Database, article_id: int) -> list[Row]:
    return list(
        db.query(
            """select changes.*, old_v.seq as old_seq, new_v.seq as new_seq from changes
               left join versions old_v on old_v.id = changes.old_version_id
               left join versions new_v on new_v.id = changes.new_version_id
               where changes.article_id = ? order by changes.id""",
            [article_id],
        )
    )


# --- hosts the user named -------------------------------------------------------------------
def host_naming(url: str, now: datetime, resolve: Resolver = resolve_host) -> Row:
    """The `named_hosts` row for a user naming `url` (an article or source they add): its host,
    port, and the non-public addresses they vouch for (the IP literal, or what the name resolves
    to now). Decided before the write: the name look-up holds no lock."""
    host = host_of(url)
    return {
        "host": host,
        "port": port_of(url) or 0,
        "named_at": stamp(now),
        "url": url,
        "addresses": json.dumps(list(private_addresses(host, resolve))),
    }


def name_host(db: Database, naming: Row) -> None:
    """Record that the user named a host and port (`host_naming`): the crawler may reach it on
    that port at the addresses vouched for, even non-public ones. Naming it again adds what it
    resolves to then. Discovered articles never name a host. (A database not yet migrated to
    m027 has nowhere to record it; its migration fills the table.)"""
    migrated = "select 1 from pragma_table_info('named_hosts') where name = 'port'"
    if not db.execute(migrated).fetchone():
        return
    known = db.execute(
        "select addresses from named_hosts where host = ? and port = ?",
        [naming["host"], naming["port"]],
    ).fetchone()
    if known is not None:
        merged = sorted(set(json.loads(known[0] or "[]")) | set(json.loads(naming["addresses"])))
        db.execute(
            "update named_hosts set addresses = ? where host = ? and port = ?",
            [json.dumps(merged), naming["host"], naming["port"]],
        )
        return
    _table(db, "named_hosts").insert(naming)


def named_hosts(db: Database) -> frozenset[NamedHost]:
    return frozenset(
        NamedHost(row["host"], int(row["port"]), frozenset(json.loads(row["addresses"] or "[]")))
        for row in db.query("select host, port, addresses from named_hosts")
    )


# --- sources -------------------------------------------------------------------------------
def add_source(
    db: Database,
    kind: str,
    url: str,
    match: str,
    now: datetime,
    resolve: Resolver = resolve_host,
) -> tuple[Row, bool]:
    """Register a source (feed, sitemap, section), its host named by the user (`host_naming`,
    looked up with `resolve`); returns (row, created)."""
    existing = list(db.query("select * from sources where url = ?", [url]))
    if existing:
        return existing[0], False
    naming = host_naming(url, now, resolve)
    with write_transaction(db):
        name_host(db, naming)
        _table(db, "sources").insert(
            {
                "kind": kind,
                "url": url,
                "match": match or None,
                "added_at": stamp(now),
                "articles_found": 0,
            }
        )
    return next(db.query("select * from sources where url = ?", [url])), True


def all_sources(db: Database) -> list[Row]:
    return list(db.query("select * from sources order by id"))


def track_discovered(
    db: Database,
    source_id: int,
    urls: list[str],
    now: datetime,
    fetch_urls: dict[str, str] | None = None,
) -> int:
    """Track the URLs (canonical keys) a source listed, each fetched at its `fetch_urls` entry
    when it has one; returns how many were new. One transaction."""
    fetch_urls = fetch_urls or {}
    with write_transaction(db):
        known = {
            row["url"]
            for chunk in _chunks(urls, 500)
            for row in db.query(
                f"select url from articles where url in ({', '.join('?' for _ in chunk)})", chunk
            )
        }
        new = [url for url in dict.fromkeys(urls) if url not in known]
        _table(db, "articles").insert_all(
            (_new_article(url, now, source_id, fetch_urls.get(url, "")) for url in new),
            ignore=True,
        )
        db.execute(
            "update sources set last_discovered = ?, articles_found = articles_found + ? "
            "where id = ?",
            [stamp(now), len(new), source_id],
        )
    return len(new)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
