"""What one check round found, read from the rows it wrote.

A round is the checks and changes written after a mark taken just before it started
(`round_mark`); `round_report` counts them by outcome, counts the edits of the new changes and
groups the failed and blocked checks by site and reason. The counts come from the database, not
from the crawl's log, so they say what was recorded.
"""

from __future__ import annotations

from sqlite_utils import Database

from monitor.report import Problem, RoundMark, RoundReport

__all__ = ["changed_articles", "round_mark", "round_report"]

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
