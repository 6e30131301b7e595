"""What a cluster does to a shard file (a database with the single-machine schema), written here so
that a shard has one author, the store, as the crawl does: its summary for the coordinator, and
the move of discovered articles to the shard of their domain.

A move keeps an article as it was: every column of its row (its `fetch_url`, its state), its
source (copied into the target as a source the target's discovery does not read,
`sources.read_by`, so that `source_id` still names it) and its host's trust (a host the user named
in the source file stays named; a host nobody named is not named by the move: a feed on one
domain cannot make another domain trusted).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from monitor.fetch.addresses import host_of
from monitor.store.queries import Row, find_article, stamp, write_transaction

__all__ = [
    "IndexBatch",
    "ShardSummary",
    "change_signatures",
    "changes_to_index",
    "database_file",
    "delete_unchecked",
    "move_articles",
    "shard_summary",
    "unchecked_articles",
]


@dataclass(frozen=True)
class ShardSummary:
    articles: int
    next_due: datetime | None


def shard_summary(db: Database) -> ShardSummary:
    """How many articles a shard tracks and when the first of them is next due."""
    row = next(
        db.query(
            "select count(*) as articles, min(case when status not in ('expired', "
            "'duplicate') then next_check end) as next_due from articles"
        )
    )
    due = datetime.fromisoformat(row["next_due"]) if row["next_due"] else None
    return ShardSummary(int(row["articles"]), due)


def unchecked_articles(db: Database, limit: int) -> list[Row]:
    """Articles never checked (no version, no check), oldest first: those a move may take."""
    return list(
        db.query(
            "select * from articles where version_count = 0 and last_checked is null "
            "and not exists (select 1 from checks where checks.article_id = articles.id) "
            "order by id limit ?",
            [limit],
        )
    )


def _in(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _columns(db: Database, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"pragma table_info({table})").fetchall()}


def _insert_or_ignore(db: Database, table: str, row: Row) -> None:
    values = {key: value for key, value in row.items() if key in _columns(db, table)}
    db.execute(
        f"insert or ignore into {table} ({', '.join(values)}) values ({_in(list(values))})",
        list(values.values()),
    )


def move_articles(source: Database, target: Database, rows: list[Row], source_name: str) -> int:
    """Copy the article rows (as `unchecked_articles` read them from `source`) into `target`,
    each with its source and its host's trust as they were (see the module's docstring), in one
    transaction of `target`; returns how many were new there. The caller deletes them from the
    source afterwards (`delete_unchecked`): a crash in between leaves an article in both files,
    never in neither."""
    source_ids = sorted({row["source_id"] for row in rows if row["source_id"] is not None})
    sources = {
        int(s["id"]): s
        for s in source.query(f"select * from sources where id in ({_in(source_ids)})", source_ids)
    }
    hosts = sorted({host_of(row["url"]) for row in rows})
    named = list(source.query(f"select * from named_hosts where host in ({_in(hosts)})", hosts))
    ids = [row["id"] for row in rows]
    tags = list(
        source.query(
            f"select article_id, tag from article_tags where article_id in ({_in(ids)})", ids
        )
    )
    # An article carries its source's tags too (`monitor.store.tags`): they go with the source.
    source_tags = list(
        source.query(
            f"select source_id, tag from source_tags where source_id in ({_in(source_ids)})",
            source_ids,
        )
    )
    created = 0
    with write_transaction(target):
        source_map = {sid: _source_copy(target, s, source_name) for sid, s in sources.items()}
        for tag in source_tags:
            copied = tag | {"source_id": source_map[int(tag["source_id"])]}
            _insert_or_ignore(target, "source_tags", copied)
        for host in named:
            _insert_or_ignore(target, "named_hosts", host)
        for row in rows:
            if find_article(target, row["url"]) is not None:
                continue
            copy = {key: value for key, value in row.items() if key != "id"}
            copy["source_id"] = source_map.get(row["source_id"])
            _insert_or_ignore(target, "articles", copy)
            created += 1
        urls = {row["id"]: row["url"] for row in rows}
        for tag in tags:  # the tags go with the article (on its copy if it was there already)
            article = find_article(target, urls[tag["article_id"]])
            if article is not None:
                _insert_or_ignore(target, "article_tags", tag | {"article_id": article["id"]})
    return created


def _source_copy(target: Database, source: Row, source_name: str) -> int:
    """The target's id of a source: the target's own row for that URL, or a copy its discovery
    does not read (`read_by`: the shard file that does)."""
    found = list(target.query("select id from sources where url = ?", [source["url"]]))
    if found:
        return int(found[0]["id"])
    copy = {key: value for key, value in source.items() if key != "id"}
    copy["read_by"] = source["read_by"] or source_name
    _insert_or_ignore(target, "sources", copy)
    return int(next(target.query("select id from sources where url = ?", [source["url"]]))["id"])


def database_file(db: Database) -> Path | None:
    """The file `db` was opened on (None for a database in memory)."""
    for _, name, file in db.execute("pragma database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    return None


def delete_unchecked(db: Database, article_ids: list[int]) -> None:
    """Delete articles moved to another shard (and their tags, copied with them), unless a check
    reached them meanwhile."""
    unchecked = f"select id from articles where id in ({_in(article_ids)}) and last_checked is null"
    with write_transaction(db):
        db.execute(f"delete from article_tags where article_id in ({unchecked})", article_ids)
        db.execute(f"delete from articles where id in ({unchecked})", article_ids)


# --- what the cluster's rollup and edit index read -----------------------------------------------
def change_signatures(
    db: Database,
    *,
    after: int | None = None,
    upto: int | None = None,
    since: datetime | None = None,
    ids: list[int] | None = None,
    limit: int | None = None,
) -> dict[int, str]:
    """Per change (id after `after`, up to `upto`, detected at `since` or later, among `ids`;
    the first `limit` by id): a signature of what re-extraction or a recomputation rewrites (its
    summary, its versions' text hash and extractor, its edits)."""
    where, params = ["1"], []
    for clause, value in (("c.id > ?", after), ("c.id <= ?", upto),
                          ("c.detected_at >= ?", stamp(since) if since else None)):  # fmt: skip
        if value is not None:
            where.append(clause)
            params.append(value)
    if ids is not None:
        where.append(f"c.id in ({_in(ids)})")
        params += ids
    tail = " order by c.id" + (" limit ?" if limit is not None else "")
    rows = db.query(
        "select c.id, c.summary, c.kinds, c.significant, c.stealth, ov.content_hash, "
        "ov.extractor_version, nv.content_hash as new_hash, nv.extractor_version as new_ex, "
        "(select count(*) || ':' || total(e.id) || ':' || total(length(e.old)) || ':' "
        "|| total(length(e.new)) from edits e where e.change_id = c.id) as edits "
        "from changes c left join versions ov on ov.id = c.old_version_id "
        f"left join versions nv on nv.id = c.new_version_id where {' and '.join(where)}{tail}",
        [*params, *([limit] if limit is not None else [])],
    )
    return {int(row.pop("id")): _digest(list(row.values())) for row in rows}


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class IndexBatch:
    """Changes of a shard to index, with their article's URL, site and title, and their edits."""

    changes: list[Row]
    edits: list[Row]
    signatures: dict[int, str]
    new_ids: list[int]  # the changes never indexed before


def changes_to_index(
    db: Database, last: int, limit: int, since: datetime, known: dict[int, str]
) -> IndexBatch:
    """The changes after `last` (at most `limit`), and those detected since `since` whose
    signature differs from the one `known` holds for them (re-extracted: at most `limit`)."""
    new = change_signatures(db, after=last, limit=limit)
    recent = change_signatures(db, upto=last, since=since)
    moved = [cid for cid, sig in recent.items() if cid in known and known[cid] != sig][:limit]
    signatures = new | {cid: recent[cid] for cid in moved}
    ids = sorted(signatures)
    changes: list[Row] = []
    edits: list[Row] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        changes += db.query(
            "select c.id, a.url, a.site, a.title, c.detected_at, c.summary, c.kinds, "
            "c.significant, c.stealth from changes c join articles a on a.id = c.article_id "
            f"where c.id in ({_in(chunk)}) order by c.id",
            chunk,
        )
        edits += db.query(
            "select e.id as edit_id, e.change_id, c.detected_at, e.kind, e.field, e.old, e.new, "
            "coalesce(e.significant, 0) as significant from edits e join changes c "
            f"on c.id = e.change_id where e.change_id in ({_in(chunk)}) order by e.id",
            chunk,
        )
    return IndexBatch(changes, edits, signatures, sorted(new))
