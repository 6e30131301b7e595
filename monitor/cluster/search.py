"""Every change and edit the cluster ever recorded, in PostgreSQL, with full-text search:
`redline cluster search`.

The rollup database (`monitor.cluster.rollup`) is a 30-day window for browsing, with the versions
a diff page needs; this index keeps every change and its edits for good (a few hundred bytes an
edit: the versions stay in their shards), and each hit names the shard file and change id of its
diff page (`redline --db DIR/shard-NN.db serve`: `/-/redline/diff/ID`). Each pass, per shard, in
one transaction: the changes after the last one indexed (`redline_index_progress`), at most
INDEX_BATCH, then the changes of the last ROLLUP_WINDOW whose signature moved (re-extraction
rewrote them: their edits are replaced). Older changes are never read again: re-extracting them
leaves their indexed edits as they were first recorded.

Words are matched with the `simple` text search configuration (lower-cased, no stemming, no stop
words): news comes in many languages, and a name or a figure must match as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg

from monitor import store
from monitor.cluster.coordination import Row
from monitor.cluster.rollup import ROLLUP_WINDOW
from monitor.cluster.shards import shard_files

# Changes indexed from one shard per pass, at most: a pass stays short; a backlog takes several.
INDEX_BATCH = 2000
# Hits `redline cluster search` prints at most (`--limit`).
MAX_HITS = 1000

SCHEMA = """
create table if not exists redline_changes (
    shard int not null,
    change_id bigint not null,      -- the change's id in its shard file
    url text not null,
    site text,
    title text,
    detected_at timestamptz not null,
    summary text,
    kinds text,
    significant int not null default 0,
    stealth int not null default 0,
    signature text not null,
    primary key (shard, change_id)
);
create table if not exists redline_edits (
    shard int not null,
    edit_id bigint not null,        -- the edit's id in its shard file
    change_id bigint not null,
    detected_at timestamptz not null,
    kind text not null,
    field text not null,
    old text,
    new text,
    significant int not null default 0,
    search tsvector generated always as
        (to_tsvector('simple', coalesce(old, '') || ' ' || coalesce(new, ''))) stored,
    primary key (shard, edit_id)
);
create index if not exists redline_edits_search on redline_edits using gin (search);
create index if not exists redline_edits_change on redline_edits (shard, change_id);
create index if not exists redline_edits_time on redline_edits (detected_at);
create table if not exists redline_index_progress (
    shard int primary key,
    last_change_id bigint not null,
    indexed_at timestamptz not null
);
"""

_CHANGE_COLUMNS = ("url", "site", "title", "detected_at", "summary", "kinds", "significant",
                   "stealth")  # fmt: skip
_EDIT_COLUMNS = ("edit_id", "change_id", "detected_at", "kind", "field", "old", "new",
                 "significant")  # fmt: skip


_UPSERT_CHANGE = (
    f"insert into redline_changes (shard, change_id, {', '.join(_CHANGE_COLUMNS)}, signature) "
    f"values (%s, %s, {', '.join('%s' for _ in _CHANGE_COLUMNS)}, %s) "
    "on conflict (shard, change_id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in (*_CHANGE_COLUMNS, "signature"))
)


def _change_values(shard: int, change: Row, batch: store.IndexBatch) -> list[object]:
    signature = batch.signatures[int(change["id"])]
    return [shard, change["id"], *(change[c] for c in _CHANGE_COLUMNS), signature]


def create_tables(conn: psycopg.Connection[Row]) -> None:
    conn.execute(SCHEMA)


def shard_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def index_all(conn: psycopg.Connection[Row], directory: Path, now: datetime) -> int:
    """One pass over every shard file of `directory`; returns the changes indexed."""
    return sum(index_shard(conn, path, now) for path in shard_files(directory))


def index_shard(conn: psycopg.Connection[Row], path: Path, now: datetime) -> int:
    """Index what is new or rewritten in one shard file (see the module's docstring)."""
    shard = shard_number(path)
    row = conn.execute(
        "select last_change_id from redline_index_progress where shard = %s", [shard]
    ).fetchone()
    last = int(row["last_change_id"]) if row else 0
    since = now - ROLLUP_WINDOW
    known = {
        int(r["change_id"]): r["signature"]
        for r in conn.execute(
            "select change_id, signature from redline_changes where shard = %s "
            "and detected_at >= %s",
            [shard, since],
        )
    }
    db = store.open_db(path)
    try:
        batch = store.changes_to_index(db, last, INDEX_BATCH, since, known)
    finally:
        db.close()
    if not batch.changes:
        return 0
    _write(conn, shard, batch, max([last, *batch.new_ids]), now)
    return len(batch.changes)


def _write(
    conn: psycopg.Connection[Row], shard: int, batch: store.IndexBatch, last: int, now: datetime
) -> None:
    ids = [int(change["id"]) for change in batch.changes]
    with conn.transaction(), conn.cursor() as cursor:
        cursor.execute(
            "delete from redline_edits where shard = %s and change_id = any(%s)", [shard, ids]
        )
        cursor.executemany(_UPSERT_CHANGE, [_change_values(shard, c, batch) for c in batch.changes])
        with cursor.copy(
            f"copy redline_edits (shard, {', '.join(_EDIT_COLUMNS)}) from stdin"
        ) as copy:
            for edit in batch.edits:
                copy.write_row([shard, *(edit[c] for c in _EDIT_COLUMNS)])
        cursor.execute(
            "insert into redline_index_progress (shard, last_change_id, indexed_at) "
            "values (%s, %s, %s) on conflict (shard) do update set "
            "last_change_id = excluded.last_change_id, indexed_at = excluded.indexed_at",
            [shard, last, now],
        )


@dataclass(frozen=True)
class Hit:
    shard: int
    change_id: int
    detected_at: datetime
    url: str
    title: str | None
    kind: str
    field: str
    old: str | None
    new: str | None
    significant: bool


def search(
    conn: psycopg.Connection[Row],
    query: str,
    limit: int,
    site: str | None = None,
    offset: int = 0,
) -> list[Hit]:
    """The edits whose old or new text matches `query` (web search syntax: words, "a phrase",
    -word, or), newest first (then by shard and edit: one order, so pages never overlap),
    `limit` of them after the first `offset`."""
    rows = conn.execute(
        "select e.shard, e.change_id, e.detected_at, c.url, c.title, e.kind, e.field, e.old, "
        "e.new, e.significant > 0 as significant from redline_edits e join redline_changes c "
        "on c.shard = e.shard and c.change_id = e.change_id "
        "where e.search @@ websearch_to_tsquery('simple', %s) "
        "and (%s::text is null or c.site = %s) "
        "order by e.detected_at desc, e.shard desc, e.edit_id desc limit %s offset %s",
        [query, site, site, limit, offset],
    ).fetchall()
    return [Hit(**row) for row in rows]


def index_size(conn: psycopg.Connection[Row]) -> dict[str, int]:
    """Bytes on disk of the index's tables, their indexes included."""
    row = conn.execute(
        "select pg_total_relation_size('redline_edits') as edits, "
        "pg_total_relation_size('redline_changes') as changes"
    ).fetchone()
    assert row is not None
    return {"edits": int(row["edits"]), "changes": int(row["changes"])}
