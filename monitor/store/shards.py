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

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from monitor.fetch.addresses import host_of
from monitor.store.queries import Row, find_article, write_transaction

__all__ = [
    "ShardSummary",
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


def _in(values: list[object]) -> str:
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
    created = 0
    with write_transaction(target):
        source_map = {sid: _source_copy(target, s, source_name) for sid, s in sources.items()}
        for host in named:
            _insert_or_ignore(target, "named_hosts", host)
        for row in rows:
            if find_article(target, row["url"]) is not None:
                continue
            copy = {key: value for key, value in row.items() if key != "id"}
            copy["source_id"] = source_map.get(row["source_id"])
            _insert_or_ignore(target, "articles", copy)
            created += 1
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


def delete_unchecked(db: Database, article_ids: list[int]) -> None:
    """Delete articles moved to another shard, unless a check reached them meanwhile."""
    with write_transaction(db):
        db.execute(
            f"delete from articles where id in ({_in(list(article_ids))}) and last_checked is null",
            article_ids,
        )
