"""What one check round found, read from the rows it wrote.

A round is the checks and changes written after a mark taken just before it started
(`round_mark`); `round_report` counts them by outcome, counts the edits of the new changes and
groups the failed and blocked checks by site and reason. The counts come from the database, not
from the crawl's log, so they say what was recorded.
"""

from __future__ import annotations

from sqlite_utils import Database

from monitor.report import DiscoveryMark, DiscoveryReport, Problem, RoundMark, RoundReport
from monitor.store.queries import stamp, utc_now
from monitor.store.watch import WATCHED_ARTICLE

__all__ = [
    "changed_articles",
    "discovery_mark",
    "discovery_report",
    "next_check_due",
    "round_mark",
    "round_report",
]

# At most this many (site, reason) groups of failed or blocked checks are read for one round:
# a round where a thousand sites fail names the worst few and counts the rest.
PROBLEM_GROUPS = 20


def round_mark(db: Database) -> RoundMark:
    """The last check and change ids: the next round's rows come after them."""
    checks = db.execute("select coalesce(max(id), 0) from checks").fetchone()[0]
    changes = db.execute("select coalesce(max(id), 0) from changes").fetchone()[0]
    return RoundMark(int(checks), int(changes))


def round_report(db: Database, mark: RoundMark) -> RoundReport:
    """The checks and edits written since `mark`."""
    outcomes = {
        row["outcome"]: int(row["n"])
        for row in db.query(
            "select outcome, count(*) as n from checks where id > ? group by outcome",
            [mark.last_check],
        )
    }
    edits, significant = db.execute(
        "select count(*), coalesce(sum(significant), 0) from edits where change_id > ?",
        [mark.last_change],
    ).fetchone()
    problems = tuple(
        Problem(row["site"], row["outcome"], int(row["status"] or 0), row["reason"] or "", row["n"])
        for row in db.query(
            """select articles.site as site, checks.outcome as outcome,
                      checks.http_status as status, checks.reason as reason, count(*) as n
               from checks join articles on articles.id = checks.article_id
               where checks.id > ? and checks.outcome in ('error', 'extraction_failed', 'blocked')
               group by articles.site, checks.outcome, checks.http_status, checks.reason
               order by n desc, site limit ?""",
            [mark.last_check, PROBLEM_GROUPS],
        )
    )
    return RoundReport(outcomes, int(edits), int(significant), problems)


def changed_articles(db: Database, mark: RoundMark) -> tuple[int, int]:
    """The changes written since `mark`, and how many of them are stealth (significant edits
    and no correction note)."""
    changes, stealth = db.execute(
        "select count(*), coalesce(sum(stealth), 0) from changes where id > ?", [mark.last_change]
    ).fetchone()
    return int(changes), int(stealth)


def next_check_due(db: Database) -> str | None:
    """When the next watched article is due for a check (a stored UTC time), if any is."""
    row = db.execute(
        "select min(next_check) from articles where next_check is not null "
        f"and status not in ('expired', 'duplicate') and {WATCHED_ARTICLE}"
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def discovery_mark(db: Database) -> DiscoveryMark:
    last = db.execute("select coalesce(max(id), 0) from articles").fetchone()[0]
    return DiscoveryMark(int(last), stamp(utc_now()))


def discovery_report(db: Database, mark: DiscoveryMark) -> DiscoveryReport:
    """The sources read and the articles tracked since `mark`, per site."""
    read = db.execute(
        "select count(*) from sources where last_discovered >= ?", [mark.started]
    ).fetchone()[0]
    new = tuple(
        (row["site"], int(row["n"]))
        for row in db.query(
            "select site, count(*) as n from articles where id > ? and source_id is not null "
            "group by site order by n desc, site",
            [mark.last_article],
        )
    )
    return DiscoveryReport(int(read), new)
