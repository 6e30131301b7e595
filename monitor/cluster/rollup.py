"""The rollup: one SQLite database, with the single-machine schema, holding the recent changes of
every shard (their articles, the two versions each compares, their edits), so that Datasette's
edit feed, canned queries, full-text search, diff pages and Atom feed cover the whole cluster.

Each pass copies, per shard, the changes after the last one it copied (`rollup_progress`), at most
ROLLUP_BATCH of them, in one transaction per shard; then it drops what fell out of the window.
Row ids differ from the shards' (every shard counts from 1): articles are matched by URL,
versions by (article, seq). Raw pages stay in the shards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Table

from monitor import store
from monitor.cluster.shards import ROLLUP_FILE, shard_files

Row = dict[str, Any]

# Changes older than this are not copied, and leave the rollup: it is a feed of recent edits,
# while every shard keeps its whole history.
ROLLUP_WINDOW = timedelta(days=30)
# Changes copied from one shard per pass, at most: a pass stays short; a backlog takes several.
ROLLUP_BATCH = 2000
# Kept by the edit-count triggers on `changes`, never copied.
_COUNTED = {"id", "significant_edits", "edited_changes", "last_edit", "source_id"}


@dataclass(frozen=True)
class RollupStats:
    shards: int
    changes: int
    pruned: int = 0


def rollup_path(directory: Path) -> Path:
    return Path(directory) / ROLLUP_FILE


def open_rollup(directory: Path) -> Database:
    db = store.open_db(rollup_path(directory))
    db.execute(
        "create table if not exists rollup_progress (shard text primary key, "
        "last_change_id integer not null, rolled_at text not null)"
    )
    return db


def roll_up(directory: Path, now: datetime | None = None) -> RollupStats:
    """One pass over every shard file of `directory`."""
    now = now or store.utc_now()
    target = open_rollup(directory)
    copied = 0
    files = shard_files(directory)
    try:
        for path in files:
            copied += copy_shard(target, path, now)
        pruned = prune(target, now - ROLLUP_WINDOW)
    finally:
        target.close()
    return RollupStats(shards=len(files), changes=copied, pruned=pruned)


def _table(db: Database, name: str) -> Table:
    table = db[name]
    assert isinstance(table, Table)
    return table


def _in(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


@dataclass(frozen=True)
class _Batch:
    """The rows of one shard to copy: changes after the last copied, with the articles, versions
    and edits they name."""

    changes: list[Row]
    articles: list[Row]
    versions: list[Row]
    edits: list[Row]


def copy_shard(target: Database, path: Path, now: datetime) -> int:
    """Copy the changes of one shard not yet in the rollup; returns how many."""
    name = path.stem
    progress = list(
        target.query("select last_change_id from rollup_progress where shard = ?", [name])
    )
    last = int(progress[0]["last_change_id"]) if progress else 0
    source = store.open_db(path)
    try:
        batch = _read_batch(source, last, now)
    finally:
        source.close()
    if batch is None:
        return 0
    _write_batch(target, name, batch, now)
    return len(batch.changes)


def _read_batch(source: Database, last: int, now: datetime) -> _Batch | None:
    """The next batch of a shard after change `last`, within the window; None: nothing new."""
    changes = list(
        source.query(
            "select * from changes where id > ? and detected_at >= ? order by id limit ?",
            [last, store.stamp(now - ROLLUP_WINDOW), ROLLUP_BATCH],
        )
    )
    if not changes:
        return None
    article_ids = sorted({c["article_id"] for c in changes})
    version_ids = sorted(
        {c[k] for c in changes for k in ("old_version_id", "new_version_id") if c[k]}
    )
    change_ids = [c["id"] for c in changes]
    articles = list(
        source.query(f"select * from articles where id in ({_in(article_ids)})", article_ids)
    )
    versions = list(
        source.query(f"select * from versions where id in ({_in(version_ids)})", version_ids)
        if version_ids
        else []
    )
    edits = list(
        source.query(
            f"select * from edits where change_id in ({_in(change_ids)}) order by id",
            change_ids,
        )
    )
    return _Batch(changes, articles, versions, edits)


def _write_batch(target: Database, shard: str, batch: _Batch, now: datetime) -> None:
    """Copy a batch in one transaction, its rows renumbered for the rollup, and record how far
    the shard is copied."""
    with store.write_transaction(target):
        article_map = {row["id"]: _upsert_article(target, row) for row in batch.articles}
        version_map = {
            row["id"]: _upsert_version(target, row, article_map) for row in batch.versions
        }
        change_map = {}
        for change in batch.changes:
            values = _columns(target, "changes", change) | {
                "article_id": article_map[change["article_id"]],
                "old_version_id": version_map.get(change["old_version_id"]),
                "new_version_id": version_map.get(change["new_version_id"]),
            }
            change_map[change["id"]] = _insert(target, "changes", values)
        for edit in batch.edits:
            values = _columns(target, "edits", edit) | {
                "change_id": change_map[edit["change_id"]],
                "article_id": article_map[edit["article_id"]],
            }
            _insert(target, "edits", values)
        target.execute(
            "insert into rollup_progress (shard, last_change_id, rolled_at) values (?, ?, ?) "
            "on conflict (shard) do update set last_change_id = excluded.last_change_id, "
            "rolled_at = excluded.rolled_at",
            [shard, batch.changes[-1]["id"], store.stamp(now)],
        )


def _columns(target: Database, table: str, row: Row) -> Row:
    names = set(_table(target, table).columns_dict) - _COUNTED
    return {key: value for key, value in row.items() if key in names}


def _insert(target: Database, table: str, values: Row) -> int:
    cursor = target.execute(
        f"insert into {table} ({', '.join(values)}) values ({_in(values)})",
        list(values.values()),
    )
    assert cursor.lastrowid is not None
    return int(cursor.lastrowid)


def _upsert_article(target: Database, row: Row) -> int:
    """The rollup's id for a shard's article, its current state copied over."""
    values = _columns(target, "articles", row)
    found = list(target.query("select id from articles where url = ?", [row["url"]]))
    if not found:
        return _insert(target, "articles", values)
    article_id = int(found[0]["id"])
    values.pop("url")
    store.update_article(target, article_id, **values)
    return article_id


def _upsert_version(target: Database, row: Row, article_map: dict[int, int]) -> int:
    article_id = article_map.get(row["article_id"])
    if article_id is None:  # a version of an article no copied change names: cannot happen
        raise ValueError(f"version {row['id']} of an article outside the batch")
    found = list(
        target.query(
            "select id from versions where article_id = ? and seq = ?", [article_id, row["seq"]]
        )
    )
    if found:
        return int(found[0]["id"])
    values = _columns(target, "versions", row) | {"article_id": article_id, "snapshot_id": None}
    return _insert(target, "versions", values)


def prune(target: Database, cutoff: datetime) -> int:
    """Drop the changes detected before `cutoff`, and what only they referenced."""
    old = [
        row["id"]
        for row in target.query(
            "select id from changes where detected_at < ? limit ?",
            [store.stamp(cutoff), ROLLUP_BATCH],
        )
    ]
    if not old:
        return 0
    with store.write_transaction(target):
        target.execute(f"delete from edits where change_id in ({_in(old)})", old)
        target.execute(f"delete from changes where id in ({_in(old)})", old)
        target.execute(
            "delete from versions where id not in (select old_version_id from changes where "
            "old_version_id is not null union select new_version_id from changes where "
            "new_version_id is not null)"
        )
        target.execute("delete from articles where id not in (select article_id from changes)")
    return len(old)
