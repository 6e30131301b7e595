"""The store's side of re-extraction: versions made by another extractor than the installed one,
their text re-derived in place, and the changes whose edits must then be recomputed.

`monitor.record.reextract` (the `redline reextract` command) and the crawl's refresh of an
article's latest version (`monitor.record.page`) decide; these functions only read and write.
"""

from __future__ import annotations

from sqlite_utils import Database

from monitor.extract.article import Article, encode_roles
from monitor.store.queries import Row

__all__ = [
    "changes_touching",
    "clear_text_edits",
    "edit_kinds_of_change",
    "is_live_article",
    "replace_version_text",
    "stale_version_ids",
]


def stale_version_ids(db: Database, extractor: str, article_id: int | None = None) -> list[int]:
    """Ids of the versions not made by `extractor` ("name version"), in article and version
    order: a few bytes each, so a store of a million versions is walked in bounded memory."""
    name, _, version = extractor.partition(" ")
    sql = "select id from versions where (extractor != ? or extractor_version != ?)"
    params: list[object] = [name, version]
    if article_id is not None:
        sql += " and article_id = ?"
        params.append(article_id)
    return [int(row["id"]) for row in db.query(sql + " order by article_id, seq", params)]


def replace_version_text(
    db: Database, version_id: int, article: Article, content_hash: str, extractor: str
) -> None:
    """A version's text, as re-derived from its raw page by `extractor` ("name version")."""
    name, _, number = extractor.partition(" ")
    db.execute(
        "update versions set title = ?, byline = ?, published = ?, modified = ?, body = ?, "
        "roles = ?, content_hash = ?, extractor = ?, extractor_version = ? where id = ?",
        [
            article.title,
            article.byline,
            article.published,
            article.modified,
            article.body,
            encode_roles(article.roles),
            content_hash,
            name,
            number,
            version_id,
        ],
    )


def changes_touching(db: Database, version_id: int) -> list[Row]:
    """The changes from or to a version, oldest first."""
    return list(
        db.query(
            "select * from changes where old_version_id = ? or new_version_id = ? order by id",
            [version_id, version_id],
        )
    )


def clear_text_edits(db: Database, change_id: int) -> int:
    """Delete a change's edits of the text, keeping its lifecycle edits (removed, restored,
    redirected, reverted: field `article`); returns how many of those are kept."""
    db.execute("delete from edits where change_id = ? and field != 'article'", [change_id])
    row = db.execute(
        "select count(*) from edits where change_id = ? and field = 'article'", [change_id]
    ).fetchone()
    return int(row[0])


def edit_kinds_of_change(db: Database, change_id: int) -> list[dict[str, str]]:
    """The kind and field of each edit of a change, in order."""
    return list(
        db.query("select kind, field from edits where change_id = ? order by position", [change_id])
    )


def is_live_article(db: Database, article_id: int) -> bool:
    """Whether the article is a live page (see `monitor.extract.liveblog`)."""
    row = db.execute("select live from articles where id = ?", [article_id]).fetchone()
    return bool(row and row[0])
