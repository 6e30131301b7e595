"""The rollup of a cluster's shards (`monitor.cluster.rollup` runs it over a shard directory):
one SQLite database, with the single-machine schema, holding the recent changes of every shard
(their articles, the two versions each compares, their edits), so that Datasette's edit feed,
canned queries, full-text search, diff pages and Atom feed cover the whole cluster.

Each pass, per shard and in one transaction: copies the changes after the last one it copied
(`rollup_progress`), at most ROLLUP_BATCH of them; copies again the changes already copied whose
shard rows moved since (`redline reextract` on a shard rewrites versions' text and replaces a
change's edits: the rollup's copy is replaced too, never duplicated, no edit left dangling),
found by a signature of each change kept in `rollup_changes`; and copies the live-blog posts
(`live_posts`) and headline tests (`headline_tests`) of the articles it holds whenever their rows
in the shard moved (signatures in `rollup_articles`). Then it drops what fell out of the window.
Row ids differ from the shards' (every shard counts from 1): articles are matched by URL,
versions through `rollup_versions`, changes through `rollup_changes`. A backfill on a shard
(`redline backfill`) renumbers an article's versions (the past goes first): the rollup's copies
of the article's versions take their new numbers before any version is copied. Raw pages stay
in the shards, and so do the headline runs behind a test.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import Table

from monitor.store.queries import open_db, stamp, update_article, write_transaction
from monitor.store.shards import change_signatures

Row = dict[str, Any]

# Changes older than this are not copied, and leave the rollup: it is a feed of recent edits,
# while every shard keeps its whole history.
ROLLUP_WINDOW = timedelta(days=30)
# Changes copied from one shard per pass, at most: a pass stays short; a backlog takes several.
ROLLUP_BATCH = 2000
# Per-article tables copied for the articles the rollup holds (article_id, and change_id for posts).
ARTICLE_TABLES = ("live_posts", "headline_tests")
# Kept by the edit-count triggers on `changes`, never copied.
_COUNTED = {"id", "significant_edits", "edited_changes", "last_edit", "source_id"}


# The rollup's own bookkeeping, beside the single-machine schema (not a migration: a rollup is
# rebuilt from the shards at will).
_BOOKKEEPING = (
    "create table if not exists rollup_progress (shard text primary key, "
    "last_change_id integer not null, rolled_at text not null)",
    "create table if not exists rollup_changes (shard text not null, shard_change_id integer "
    "not null, change_id integer not null, signature text not null, "
    "primary key (shard, shard_change_id))",
    "create table if not exists rollup_articles (shard text not null, shard_article_id integer "
    "not null, article_id integer not null, signature text not null default '', "
    "primary key (shard, shard_article_id))",
    # Versions copied before this table existed are matched once by (article, seq).
    "create table if not exists rollup_versions (shard text not null, shard_version_id integer "
    "not null, version_id integer not null, primary key (shard, shard_version_id))",
)


def open_rollup(path: Path) -> Database:
    """The rollup database at `path`, with its bookkeeping tables."""
    db = open_db(path)
    for statement in _BOOKKEEPING:
        db.execute(statement)
    return db


def _table(db: Database, name: str) -> Table:
    table = db[name]
    assert isinstance(table, Table)
    return table


def _in(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class _Batch:
    """The rows of one shard to copy: new changes and changes to copy again, with the articles,
    versions and edits they name, and the per-article tables of the articles whose rows moved."""

    changes: list[Row]
    articles: list[Row]
    versions: list[Row]
    edits: list[Row]
    signatures: dict[int, str]  # shard change id -> signature
    article_rows: dict[int, list[tuple[str, Row]]]  # shard article id -> (table, row)
    article_signatures: dict[int, str]
    seqs: dict[int, int]  # shard version id -> seq, every version of the batch's articles
    last: int  # the last shard change id copied after this batch


def copy_shard(target: Database, path: Path, now: datetime) -> int:
    """Copy what moved in one shard since the last pass; returns how many changes were copied
    (new ones and ones copied again)."""
    name = path.stem
    progress = list(
        target.query("select last_change_id from rollup_progress where shard = ?", [name])
    )
    last = int(progress[0]["last_change_id"]) if progress else 0
    copied = {
        int(r["shard_change_id"]): r["signature"]
        for r in target.query(
            "select shard_change_id, signature from rollup_changes where shard = ?", [name]
        )
    }
    held = {
        int(r["shard_article_id"]): r["signature"]
        for r in target.query(
            "select shard_article_id, signature from rollup_articles where shard = ?", [name]
        )
    }
    source = open_db(path)
    try:
        batch = _read_batch(source, last, copied, held, now)
    finally:
        source.close()
    if batch is None:
        return 0
    _write_batch(target, name, batch, now)
    return len(batch.changes)


def _read_batch(
    source: Database, last: int, copied: dict[int, str], held: dict[int, str], now: datetime
) -> _Batch | None:
    """What to copy from a shard: changes after `last` within the window, changes copied before
    whose signature moved, and the article tables of held articles whose rows moved."""
    cutoff = now - ROLLUP_WINDOW
    new = change_signatures(source, after=last, since=cutoff, limit=ROLLUP_BATCH)
    old = change_signatures(source, upto=last, since=cutoff)
    moved = [cid for cid, sig in old.items() if cid in copied and copied[cid] != sig]
    signatures = new | {cid: old[cid] for cid in moved[:ROLLUP_BATCH]}
    ids = sorted(signatures)
    changes = _rows(source, "changes", "id", ids)
    article_ids = sorted({c["article_id"] for c in changes})
    in_rollup = set(copied) | set(signatures)  # the changes the rollup holds after this batch
    tables, article_signatures = _article_tables(
        source, set(held) | set(article_ids), held, in_rollup
    )
    if not changes and not tables:
        return None
    article_ids = sorted(set(article_ids) | set(tables))
    version_ids = sorted(
        {c[k] for c in changes for k in ("old_version_id", "new_version_id") if c[k]}
    )
    return _Batch(
        changes=changes,
        articles=_rows(source, "articles", "id", article_ids),
        versions=_rows(source, "versions", "id", version_ids),
        edits=_rows(source, "edits", "change_id", ids),
        signatures=signatures,
        article_rows=tables,
        article_signatures=article_signatures,
        seqs=_seqs(source, article_ids),
        last=max([last, *new]),
    )


def _rows(source: Database, table: str, column: str, values: list[int]) -> list[Row]:
    """Rows of a shard table whose `column` is one of `values`, in id order (chunks of 500)."""
    rows: list[Row] = []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        rows += source.query(
            f"select * from {table} where {column} in ({_in(chunk)}) order by id", chunk
        )
    return sorted(rows, key=lambda row: int(row["id"]))


def _seqs(source: Database, article_ids: list[int]) -> dict[int, int]:
    """Shard version id -> seq, for every version of these articles (chunks of 500)."""
    seqs: dict[int, int] = {}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        for row in source.query(
            f"select id, seq from versions where article_id in ({_in(chunk)})", chunk
        ):
            seqs[int(row["id"])] = int(row["seq"])
    return seqs


def _article_tables(
    source: Database, articles: set[int], held: dict[int, str], in_rollup: set[int]
) -> tuple[dict[int, list[tuple[str, Row]]], dict[int, str]]:
    """The live posts and headline tests of the given articles whose rows differ from what the
    rollup holds (by signature), and the new signatures. A signature covers which of the posts'
    changes the rollup holds (`in_rollup`): a post copied before its change (a backlog larger
    than a batch) is copied again, pointing to it, once its change is copied."""
    with_rows = {
        int(row["article_id"])
        for table in ARTICLE_TABLES
        for row in source.query(f"select distinct article_id from {table}")
    } & articles
    found: dict[int, list[tuple[str, Row]]] = {}
    for table in ARTICLE_TABLES:
        for row in _rows(source, table, "article_id", sorted(with_rows)):
            found.setdefault(int(row["article_id"]), []).append((table, row))
    signatures = {
        article: _digest([rows, sorted(_resolved(rows, in_rollup))])
        for article, rows in found.items()
    }
    moved = {a: rows for a, rows in found.items() if held.get(a) != signatures[a]}
    return moved, {a: signatures[a] for a in moved}


def _resolved(rows: list[tuple[str, Row]], in_rollup: set[int]) -> set[int]:
    """The shard ids of the posts' changes that the rollup holds."""
    return {
        int(row["change_id"])
        for table, row in rows
        if table == "live_posts" and row.get("change_id") in in_rollup
    }


def _write_batch(target: Database, shard: str, batch: _Batch, now: datetime) -> None:
    """Copy a batch in one transaction, its rows renumbered for the rollup, and record how far
    the shard is copied."""
    with write_transaction(target):
        article_map = {row["id"]: _upsert_article(target, shard, row) for row in batch.articles}
        _renumber_versions(target, shard, batch.seqs)
        version_map = {
            row["id"]: _upsert_version(target, shard, row, article_map) for row in batch.versions
        }
        change_map = {}
        for change in batch.changes:
            values = _columns(target, "changes", change) | {
                "article_id": article_map[change["article_id"]],
                "old_version_id": version_map.get(change["old_version_id"]),
                "new_version_id": version_map.get(change["new_version_id"]),
            }
            change_map[change["id"]] = _upsert_change(
                target, shard, change["id"], values, batch.signatures[change["id"]]
            )
        for edit in batch.edits:
            values = _columns(target, "edits", edit) | {
                "change_id": change_map[edit["change_id"]],
                "article_id": article_map[edit["article_id"]],
            }
            _insert(target, "edits", values)
        for article, rows in batch.article_rows.items():
            _replace_article_rows(target, shard, article_map[article], rows)
            target.execute(
                "update rollup_articles set signature = ? where shard = ? and shard_article_id = ?",
                [batch.article_signatures[article], shard, article],
            )
        target.execute(
            "insert into rollup_progress (shard, last_change_id, rolled_at) values (?, ?, ?) "
            "on conflict (shard) do update set last_change_id = excluded.last_change_id, "
            "rolled_at = excluded.rolled_at",
            [shard, batch.last, stamp(now)],
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


def _update(target: Database, table: str, row_id: int, values: Row) -> None:
    assignments = ", ".join(f"{name} = ?" for name in values)
    target.execute(f"update {table} set {assignments} where id = ?", [*values.values(), row_id])


def _upsert_article(target: Database, shard: str, row: Row) -> int:
    """The rollup's id for a shard's article, its current state copied over."""
    values = _columns(target, "articles", row)
    found = list(target.query("select id from articles where url = ?", [row["url"]]))
    if found:
        article_id = int(found[0]["id"])
        values.pop("url")
        update_article(target, article_id, **values)
    else:
        article_id = _insert(target, "articles", values)
    _remember(target, "article", shard, int(row["id"]), article_id)
    return article_id


def _remember(target: Database, kind: str, shard: str, shard_id: int, rollup_id: int) -> None:
    """Note which rollup row copies a shard's article or version (`rollup_articles`,
    `rollup_versions`)."""
    target.execute(
        f"insert into rollup_{kind}s (shard, shard_{kind}_id, {kind}_id) values (?, ?, ?) "
        f"on conflict do update set {kind}_id = excluded.{kind}_id",
        [shard, shard_id, rollup_id],
    )


def _renumber_versions(target: Database, shard: str, seqs: dict[int, int]) -> None:
    """The rollup's copies of these shard versions given the shard's seq where it moved (a
    backfill renumbers an article's versions), in two steps: the unique index on (article_id,
    seq) is checked row by row."""
    moved = [
        (int(row["id"]), seqs[int(row["shard_version_id"])])
        for row in target.query(
            "select versions.id, versions.seq, rollup_versions.shard_version_id from "
            "rollup_versions join versions on versions.id = rollup_versions.version_id "
            "where rollup_versions.shard = ? and rollup_versions.shard_version_id in "
            "(select value from json_each(?))",
            [shard, json.dumps(list(seqs))],
        )
        if seqs[int(row["shard_version_id"])] != row["seq"]
    ]
    for version_id, _ in moved:
        target.execute("update versions set seq = -seq where id = ?", [version_id])
    for version_id, seq in moved:
        target.execute("update versions set seq = ? where id = ?", [seq, version_id])


def _upsert_version(target: Database, shard: str, row: Row, article_map: dict[int, int]) -> int:
    """The rollup's id for a shard's version; its text copied again (re-extraction rewrites it
    in place)."""
    article_id = article_map.get(row["article_id"])
    if article_id is None:  # a version of an article no copied change names: cannot happen
        raise ValueError(f"version {row['id']} of an article outside the batch")
    values = _columns(target, "versions", row) | {"article_id": article_id, "snapshot_id": None}
    found = list(
        target.query(
            "select version_id as id from rollup_versions where shard = ? and shard_version_id = ?",
            [shard, row["id"]],
        )
    ) or list(  # a version copied before `rollup_versions` existed
        target.query(
            "select id from versions where article_id = ? and seq = ? "
            "and id not in (select version_id from rollup_versions)",
            [article_id, row["seq"]],
        )
    )
    if found:
        version_id = int(found[0]["id"])
        _update(target, "versions", version_id, values)
    else:
        version_id = _insert(target, "versions", values)
    _remember(target, "version", shard, int(row["id"]), version_id)
    return version_id


def _upsert_change(
    target: Database, shard: str, shard_change_id: int, values: Row, signature: str
) -> int:
    """The rollup's copy of a change: inserted, or replaced with its edits deleted (the shard's
    current edits are inserted after it)."""
    found = list(
        target.query(
            "select change_id from rollup_changes where shard = ? and shard_change_id = ?",
            [shard, shard_change_id],
        )
    )
    if found:
        change_id = int(found[0]["change_id"])
        target.execute("delete from edits where change_id = ?", [change_id])
        _update(target, "changes", change_id, values)
    else:
        change_id = _insert(target, "changes", values)
    target.execute(
        "insert into rollup_changes (shard, shard_change_id, change_id, signature) "
        "values (?, ?, ?, ?) on conflict do update set change_id = excluded.change_id, "
        "signature = excluded.signature",
        [shard, shard_change_id, change_id, signature],
    )
    return change_id


def _replace_article_rows(
    target: Database, shard: str, article_id: int, rows: list[tuple[str, Row]]
) -> None:
    """An article's live posts and headline tests as the shard has them now (a post's change is
    the rollup's copy of it, or none if that change is not in the rollup)."""
    for table in ARTICLE_TABLES:
        target.execute(f"delete from {table} where article_id = ?", [article_id])
    for table, row in rows:
        values = _columns(target, table, row) | {"article_id": article_id}
        values.pop("id", None)
        if values.get("change_id") is not None:
            mapped = list(
                target.query(
                    "select change_id from rollup_changes where shard = ? and shard_change_id = ?",
                    [shard, values["change_id"]],
                )
            )
            values["change_id"] = int(mapped[0]["change_id"]) if mapped else None
        _insert(target, table, values)


def prune(target: Database, cutoff: datetime) -> int:
    """Drop the changes detected before `cutoff`, and what only they referenced."""
    old = [
        row["id"]
        for row in target.query(
            "select id from changes where detected_at < ? limit ?",
            [stamp(cutoff), ROLLUP_BATCH],
        )
    ]
    if not old:
        return 0
    with write_transaction(target):
        target.execute(f"delete from edits where change_id in ({_in(old)})", old)
        target.execute(
            f"update live_posts set change_id = null where change_id in ({_in(old)})", old
        )
        target.execute(f"delete from changes where id in ({_in(old)})", old)
        target.execute(f"delete from rollup_changes where change_id in ({_in(old)})", old)
        target.execute(
            "delete from versions where id not in (select old_version_id from changes where "
            "old_version_id is not null union select new_version_id from changes where "
            "new_version_id is not null)"
        )
        target.execute(
            "delete from rollup_versions where version_id not in (select id from versions)"
        )
        gone = "article_id not in (select article_id from changes)"
        for table in (*ARTICLE_TABLES, "rollup_articles", "article_tags"):
            target.execute(f"delete from {table} where {gone}")
        target.execute("delete from articles where id not in (select article_id from changes)")
    return len(old)
