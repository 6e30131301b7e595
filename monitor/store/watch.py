"""Watch management: what is checked and read. An article or a source is watched (`on`),
`paused` or `removed` by the user; a whole site can be paused. Only what is `on`, on a site not
paused, and (for an article) found by a source that is `on` or by no source, is checked; only
sources that are `on` are read. Removing keeps the history; `purge_article` deletes it and keeps
the article's row as a tombstone (state `removed`), so that discovery does not track it again.
"""

from __future__ import annotations

from sqlite_utils import Database

from monitor.errors import UnknownArticleError
from monitor.store.queries import Row, write_transaction

__all__ = [
    "STATES",
    "WATCHED_ARTICLE",
    "find_source",
    "paused_sites",
    "purge_article",
    "set_article_watch",
    "set_site_watch",
    "set_source_watch",
    "sites_matching",
    "source_article_ids",
    "source_by_url",
    "watched_articles",
    "watched_sources",
]

STATES = ("on", "paused", "removed")
# An article is checked only when this holds (SQL over `articles`).
WATCHED_ARTICLE = (
    "articles.watch = 'on' "
    "and articles.site not in (select site from sites where watch = 'paused') "
    "and (articles.source_id is null "
    "or articles.source_id not in (select id from sources where watch != 'on'))"
)


def set_article_watch(db: Database, article_id: int, state: str) -> None:
    assert state in STATES
    with write_transaction(db):
        db.execute("update articles set watch = ? where id = ?", [state, article_id])


def find_source(db: Database, text: str) -> Row:
    """A source by its id (as `redline sources` shows it) or its URL."""
    text = text.strip()
    column = "id" if text.isdigit() else "url"
    rows = list(db.query(f"select * from sources where {column} = ?", [text]))
    if not rows:
        raise UnknownArticleError(f"no source {text} (`redline sources` lists them)")
    return rows[0]


def source_by_url(db: Database, url: str) -> Row | None:
    rows = list(db.query("select * from sources where url = ?", [url]))
    return rows[0] if rows else None


def set_source_watch(db: Database, source_id: int, state: str) -> None:
    assert state in STATES
    with write_transaction(db):
        db.execute("update sources set watch = ? where id = ?", [state, source_id])


def sites_matching(db: Database, site: str) -> list[str]:
    """The stored sites a host names: itself, and the host on any port when none is given."""
    site = site.strip().lower()
    with_port = ":" in site.rsplit("]", 1)[-1]
    rows = db.query("select distinct site from articles union select site from sites order by 1")
    return [
        row["site"]
        for row in rows
        if row["site"] == site or (not with_port and row["site"].startswith(site + ":"))
    ]


def set_site_watch(db: Database, sites: list[str], state: str) -> None:
    assert state in ("on", "paused")
    with write_transaction(db):
        for site in sites:
            db.execute(
                "insert into sites (site, failures, watch) values (?, 0, ?) "
                "on conflict (site) do update set watch = excluded.watch",
                [site, state],
            )


def purge_article(db: Database, article_id: int) -> dict[str, int]:
    """Delete an article's history (versions, changes, edits, checks, alerts, Save Page Now
    requests, screenshots, headline runs and tests, live-blog posts, and its raw pages no other
    article shares) in one transaction; its row stays as a `removed` tombstone, and its tags
    stay with it."""
    counts: dict[str, int] = {}
    with write_transaction(db):
        snapshots = [
            int(row["snapshot_id"])
            for row in db.query(
                "select snapshot_id from checks where article_id = ? and snapshot_id is not null "
                "union select snapshot_id from versions where article_id = ? "
                "and snapshot_id is not null "
                "union select screenshots.snapshot_id from screenshots join versions "
                "on versions.id = screenshots.version_id where versions.article_id = ? "
                "and screenshots.snapshot_id is not null",
                [article_id, article_id, article_id],
            )
        ]
        changes = "select id from changes where article_id = ?"
        versions = "select id from versions where article_id = ?"
        for table, where in (  # rows that refer to others first (foreign keys are on)
            ("alerts", f"change_id in ({changes})"),
            ("archive_saves", f"change_id in ({changes})"),
            ("live_posts", "article_id = ?"),
            ("headline_runs", "article_id = ?"),
            ("headline_tests", "article_id = ?"),
            ("edits", "article_id = ?"),
            ("changes", "article_id = ?"),
            ("checks", "article_id = ?"),
            ("screenshots", f"version_id in ({versions})"),
            ("versions", "article_id = ?"),
        ):
            cursor = db.execute(f"delete from {table} where {where}", [article_id])
            counts[table] = cursor.rowcount
        shared = (  # NULLs left out: `not in` a list holding NULL is never true
            "select snapshot_id from checks where snapshot_id is not null "
            "union select snapshot_id from versions where snapshot_id is not null "
            "union select snapshot_id from screenshots where snapshot_id is not null"
        )
        removed = 0
        for snapshot_id in snapshots:
            cursor = db.execute(
                f"delete from snapshots where id = ? and id not in ({shared})", [snapshot_id]
            )
            removed += cursor.rowcount
        counts["snapshots"] = removed
        db.execute(
            "update articles set watch = 'removed', version_count = 0, last_page_hash = null, "
            "failed_page_hash = null, etag = null, last_modified = null where id = ?",
            [article_id],
        )
    return counts


def watched_articles(db: Database) -> list[Row]:
    """Every article that is checked (`check --all`)."""
    return list(db.query(f"select * from articles where {WATCHED_ARTICLE} order by id"))


def watched_sources(db: Database) -> list[Row]:
    """The sources this database's discovery reads (not the copies that only keep moved articles'
    source: `sources.read_by`)."""
    return list(
        db.query("select * from sources where watch = 'on' and read_by is null order by id")
    )


def paused_sites(db: Database) -> list[str]:
    return [
        r["site"] for r in db.query("select site from sites where watch = 'paused' order by site")
    ]


def stopped_summary(db: Database) -> str:
    """One line of what is not watched: paused sites, paused and removed articles."""
    counts = {
        row["watch"]: row["n"]
        for row in db.query("select watch, count(*) as n from articles group by watch")
    }
    parts = []
    sites = paused_sites(db)
    if sites:
        parts.append(f"paused sites: {', '.join(sites)}")
    for state in ("paused", "removed"):
        if counts.get(state):
            parts.append(f"{counts[state]} article(s) {state}")
    return ("not watched: " + "; ".join(parts)) if parts else ""


def source_article_ids(db: Database, source_id: int) -> list[int]:
    """Ids of the articles a source discovered."""
    return [
        int(r["id"]) for r in db.query("select id from articles where source_id = ?", [source_id])
    ]
