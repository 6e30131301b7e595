"""Sites as a whole: how a site has been answering lately, and when it may be fetched again.

A site that asks us to wait (`Retry-After` on 429 or 503), or whose pages keep failing or
showing bot walls, is held: none of its articles is due before `hold_until`. Every check of a site
updates its row; the counts shown by `redline sources` come from the checks themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from monitor.store.queries import select_rows

__all__ = ["SiteUpdate", "apply_site_update", "get_site", "site_health"]


@dataclass(frozen=True)
class SiteUpdate:
    """What one check says about its site."""

    site: str
    failed: bool  # the check failed or was blocked; False: the site served a page
    hold_until: str | None = None  # no article of the site is due before this (ISO 8601)
    hold_reason: str = ""


def get_site(db: Database, site: str) -> dict[str, Any] | None:
    rows = select_rows(db, "select * from sites where site = ?", [site])
    return rows[0] if rows else None


def apply_site_update(db: Database, update: SiteUpdate) -> None:
    """Count consecutive failures (a served page resets them) and keep the latest hold (an
    expired hold is harmless: only a hold in the future keeps articles waiting)."""
    # One statement a check, on the site's row only (no hold is stored as null, never '').
    db.execute(
        "insert into sites (site, failures, hold_until, hold_reason) "
        "values (?, ?, nullif(?, ''), ?) "
        "on conflict (site) do update set "
        "failures = case when excluded.failures then failures + 1 else 0 end, "
        "hold_until = nullif(max(coalesce(hold_until, ''), "
        "coalesce(excluded.hold_until, '')), ''), "
        "hold_reason = coalesce(excluded.hold_reason, hold_reason)",
        [update.site, int(update.failed), update.hold_until, update.hold_reason or None],
    )


def site_health(db: Database, since: datetime) -> dict[str, dict[str, Any]]:
    """Per site, how its checks since `since` went: fine, blocked, failed (errors and failed
    extractions), with its current hold."""
    from monitor.store.queries import stamp

    health: dict[str, dict[str, Any]] = {}
    for row in db.query(
        """select articles.site as site,
                  sum(checks.outcome = 'blocked') as blocked,
                  sum(checks.outcome in ('error', 'extraction_failed')) as failed,
                  sum(checks.outcome not in ('blocked', 'error', 'extraction_failed')) as fine
           from checks join articles on articles.id = checks.article_id
           where checks.checked_at >= ? group by articles.site order by articles.site""",
        [stamp(since)],
    ):
        health[row["site"]] = {**row, "hold_until": None, "hold_reason": None}
    for row in db.query("select site, hold_until, hold_reason from sites"):
        entry = health.setdefault(
            row["site"], {"site": row["site"], "blocked": 0, "failed": 0, "fine": 0}
        )
        entry.update(hold_until=row["hold_until"], hold_reason=row["hold_reason"])
    return health
