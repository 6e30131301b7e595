"""Tags on articles and sources ("council", "my beat"), and the list of what is watched.

An article carries its own tags and those of the source that found it: tagging a feed tags every
article it brings. `TAGGED_ARTICLE` is that rule in SQL, for any query over `articles` that
filters by a `:tag` parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlite_utils import Database

from monitor.store.queries import Row, write_transaction

__all__ = [
    "TAGGED_ARTICLE",
    "add_tags",
    "all_tags",
    "article_tags",
    "remove_tags",
    "source_tags",
    "tagged_article",
    "watch_listing",
]


def tagged_article(tag: str) -> str:
    """SQL true when `articles` carries the tag bound at `tag` (a placeholder, `:tag` or `?`,
    used twice), itself or through its source."""
    return (
        f"(articles.id in (select article_id from article_tags where tag = {tag}) "
        f"or articles.source_id in (select source_id from source_tags where tag = {tag}))"
    )


TAGGED_ARTICLE = tagged_article(":tag")
# Tables by what is tagged: (table, key column).
_TABLES = {"article": ("article_tags", "article_id"), "source": ("source_tags", "source_id")}
# `watch_listing` rows at most (the desk and `redline articles` show the newest first).
LISTING_LIMIT = 5000


def add_tags(db: Database, kind: str, ids: Iterable[int], tags: Iterable[str]) -> None:
    table, key = _TABLES[kind]
    rows = [{key: item, "tag": tag} for item in ids for tag in tags]
    with write_transaction(db):
        db.table(table).insert_all(rows, ignore=True)


def remove_tags(db: Database, kind: str, ids: Iterable[int], tags: Iterable[str]) -> int:
    table, key = _TABLES[kind]
    removed = 0
    with write_transaction(db):
        for item in ids:
            for tag in tags:
                cursor = db.execute(f"delete from {table} where {key} = ? and tag = ?", [item, tag])
                removed += cursor.rowcount
    return removed


def _tags_by(db: Database, kind: str) -> dict[int, list[str]]:
    table, key = _TABLES[kind]
    found: dict[int, list[str]] = defaultdict(list)
    for row in db.query(f"select {key} as id, tag from {table} order by tag"):
        found[int(row["id"])].append(row["tag"])
    return found


def article_tags(db: Database) -> dict[int, list[str]]:
    """Each article's own tags (not its source's)."""
    return _tags_by(db, "article")


def source_tags(db: Database) -> dict[int, list[str]]:
    return _tags_by(db, "source")


def all_tags(db: Database) -> list[Row]:
    """Every tag with how many articles and sources carry it, by name."""
    return list(
        db.query(
            "select tag, sum(kind = 'article') as articles, sum(kind = 'source') as sources "
            "from (select tag, 'article' as kind from article_tags "
            "union all select tag, 'source' as kind from source_tags) "
            "group by tag order by tag"
        )
    )


def watch_listing(
    db: Database, *, tag: str = "", state: str = "", limit: int = LISTING_LIMIT
) -> list[Row]:
    """What is watched, newest first: id, state, site, URL, headline, last check, versions,
    tags (its own and its source's)."""
    rows = list(
        db.query(
            "select articles.id, articles.watch as state, articles.site, articles.url, "
            "articles.title, articles.last_checked, articles.version_count as versions, "
            "articles.status, articles.source_id from articles "
            f"where (:tag = '' or {TAGGED_ARTICLE}) and (:state = '' or articles.watch = :state) "
            "order by articles.id desc limit :limit",
            {"tag": tag, "state": state, "limit": limit},
        )
    )
    own, by_source = article_tags(db), source_tags(db)
    for row in rows:
        inherited = by_source.get(row["source_id"], []) if row["source_id"] else []
        row["tags"] = sorted(set(own.get(int(row["id"]), [])) | set(inherited))
    return rows
