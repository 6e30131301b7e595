"""What the watch desk shows (`redline serve`'s home page and article page): reads only, each a
function of a sqlite-utils database, so the pages and their tests share them. Every list has a
named bound; `:tag` filters use `TAGGED_ARTICLE` (an article's tags and its source's).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from monitor.store.queries import Row, stamp
from monitor.store.tags import TAGGED_ARTICLE, article_tags, source_tags, watch_listing

# The desk's lists: the newest significant edits, the articles and the chart's days.
LATEST_EDITS = 25
DESK_ARTICLES = 200
CHART_DAYS = 14
# Sites in the chart at most (the busiest), so it stays readable.
CHART_SITES = 12
# Changes listed on an article page (newest kept): a live page can change hundreds of times.
ARTICLE_CHANGES = 200
# How far back the desk counts each site's checks (as `redline sources`).
HEALTH_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Chart:
    """Significant edits per day per site: `days` oldest first, `counts[site][i]` that day's."""

    days: list[str]
    counts: dict[str, list[int]]

    @property
    def peak(self) -> int:
        return max((n for row in self.counts.values() for n in row), default=0)


def counts(db: Database, since: datetime, tag: str = "") -> dict[str, int]:
    """Articles by watch state, sources, and significant edits since `since`."""
    found: dict[str, int] = {"on": 0, "paused": 0, "removed": 0}
    for row in db.query(
        f"select watch, count(*) as n from articles where (:tag = '' or {TAGGED_ARTICLE}) "
        "group by watch",
        {"tag": tag},
    ):
        found[row["watch"]] = row["n"]
    found["sources"] = next(db.query("select count(*) as n from sources where watch != 'removed'"))[
        "n"
    ]
    found["edits"] = next(
        db.query(
            "select count(*) as n from changes join edits on edits.change_id = changes.id "
            "join articles on articles.id = changes.article_id "
            "where changes.detected_at >= :since and edits.significant = 1 "
            f"and (:tag = '' or {TAGGED_ARTICLE})",
            {"since": stamp(since), "tag": tag},
        )
    )["n"]
    return found


def latest_edits(db: Database, tag: str = "", limit: int = LATEST_EDITS) -> list[Row]:
    """The newest significant edits, newest first, with their article and change."""
    return list(
        db.query(
            "select edit_feed.* from edit_feed join articles on articles.id = edit_feed.article_id "
            f"where edit_feed.significant = 1 and (:tag = '' or {TAGGED_ARTICLE}) "
            "order by edit_feed.change_id desc, edit_feed.edit_id limit :limit",
            {"tag": tag, "limit": limit},
        )
    )


def chart(db: Database, today: datetime, tag: str = "", days: int = CHART_DAYS) -> Chart:
    first = (today - timedelta(days=days - 1)).date()
    labels = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    by_site: dict[str, list[int]] = defaultdict(lambda: [0] * days)
    for row in db.query(
        "select articles.site, substr(changes.detected_at, 1, 10) as day, "
        "sum(changes.significant) as n from changes "
        "join articles on articles.id = changes.article_id "
        f"where changes.detected_at >= :since and (:tag = '' or {TAGGED_ARTICLE}) "
        "group by articles.site, day",
        {"since": labels[0], "tag": tag},
    ):
        if row["day"] in labels and row["n"]:
            by_site[row["site"]][labels.index(row["day"])] += int(row["n"])
    busiest = sorted(by_site, key=lambda site: (-sum(by_site[site]), site))[:CHART_SITES]
    return Chart(labels, {site: by_site[site] for site in sorted(busiest)})


def sites(db: Database, since: datetime) -> list[Row]:
    """Every site: articles watched, checks since `since` (fine, blocked, failed), any hold,
    and whether the whole site is paused."""
    return list(
        db.query(
            """
            with recent as (
              select articles.site as site,
                     sum(checks.outcome not in ('blocked', 'error', 'extraction_failed')) as fine,
                     sum(checks.outcome = 'blocked') as blocked,
                     sum(checks.outcome in ('error', 'extraction_failed')) as failed
              from checks join articles on articles.id = checks.article_id
              where checks.checked_at >= :since group by articles.site
            ),
            watched as (
              select site, sum(watch = 'on') as watched, count(*) as articles
              from articles group by site
            ),
            everyone as (select site from watched union select site from sites)
            select everyone.site, coalesce(watched.watched, 0) as watched,
                   coalesce(watched.articles, 0) as articles, coalesce(recent.fine, 0) as fine,
                   coalesce(recent.blocked, 0) as blocked, coalesce(recent.failed, 0) as failed,
                   sites.hold_until, sites.hold_reason, coalesce(sites.watch, 'on') as watch
            from everyone
            left join watched on watched.site = everyone.site
            left join recent on recent.site = everyone.site
            left join sites on sites.site = everyone.site
            order by everyone.site
            """,
            {"since": stamp(since)},
        )
    )


def sources(db: Database, tag: str = "") -> list[Row]:
    tags = source_tags(db)
    rows = []
    for row in db.query("select * from sources order by id"):
        row["tags"] = tags.get(int(row["id"]), [])
        if not tag or tag in row["tags"]:
            rows.append(row)
    return rows


def articles(db: Database, tag: str = "", state: str = "") -> list[Row]:
    return watch_listing(db, tag=tag, state=state, limit=DESK_ARTICLES)


def article(db: Database, article_id: int) -> Row | None:
    """An article with its tags (own and its source's) and its source."""
    rows = list(db.query("select * from articles where id = ?", [article_id]))
    if not rows:
        return None
    found = rows[0]
    own = article_tags(db).get(article_id, [])
    inherited = source_tags(db).get(found["source_id"], []) if found["source_id"] else []
    found["own_tags"] = own
    found["tags"] = sorted(set(own) | set(inherited))
    found["source"] = next(
        db.query("select * from sources where id = ?", [found["source_id"]]), None
    )
    return found


def timeline(db: Database, article_id: int) -> list[Row]:
    """The article's versions, oldest first, each with the change that made it (if any) and
    that change's edits: what the article page lists."""
    versions = list(
        db.query(
            "select id, seq, captured_at, title, snapshot_id, length(body) as chars "
            "from versions where article_id = ? order by seq",
            [article_id],
        )
    )
    changes = list(
        db.query(
            "select changes.*, new_v.seq as new_seq, old_v.seq as old_seq from changes "
            "left join versions new_v on new_v.id = changes.new_version_id "
            "left join versions old_v on old_v.id = changes.old_version_id "
            "where changes.article_id = ? order by changes.id desc limit ?",
            [article_id, ARTICLE_CHANGES],
        )
    )
    edits: dict[int, list[Row]] = defaultdict(list)
    for edit in db.query(
        "select * from edits where change_id in (select id from changes where article_id = ? "
        "order by id desc limit ?) order by change_id, position",
        [article_id, ARTICLE_CHANGES],
    ):
        edits[int(edit["change_id"])].append(edit)
    for change in changes:
        change["edits"] = edits.get(int(change["id"]), [])
    by_seq = {c["new_seq"]: c for c in changes if c["new_seq"] is not None}
    rows: list[Row] = []
    for version in versions:
        rows.append({"kind": "version", **version, "change": by_seq.get(version["seq"])})
    # Changes without a new version (removed, redirected) sit after the version they left.
    for change in changes:
        if change["new_seq"] is None:
            rows.append({"kind": "event", "seq": change["old_seq"] or 0, "change": change})
    rows.sort(key=lambda row: (row["seq"] or 0, row["kind"] == "event"))
    return rows
