"""Save Page Now: when a change with significant edits is found, ask the Wayback Machine to
save the page, so the evidence also exists outside Redline. Off by default
(`archive.save_significant`); run by the daemon's alerts job. Like an alert: queued once per
change, retried after `alerts.retry_after` (doubled each time) until `alerts.max_attempts`,
edits older than `alerts.max_age` never queued, the changes of a check round still open held
until its close, a save sent only while its change still has significant edits.

The request is `GET <archive>/save/<url>` (the anonymous form of the Save Page Now API); the
archive answers with a redirect to the new capture (`Location`) or with the capture itself
(`Content-Location`), which is kept as the save's memento URL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from sqlite_utils import Database

from monitor.archive.client import ArchiveClient
from monitor.config import Config
from monitor.errors import ArchiveError
from monitor.store import archive_saves
from monitor.store.queries import stamp
from monitor.store.sitememory import held_after_change

__all__ = ["SaveReport", "save_significant", "save_url"]

logger = logging.getLogger(__name__)

# At most this many pages are sent to Save Page Now per round: the anonymous API allows a few
# captures a minute per client; the rest wait for the next round.
MAX_SAVES_PER_ROUND = 5


@dataclass
class SaveReport:
    queued: int = 0
    saved: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"save page now: {self.queued} queued, {self.saved} saved, {self.failed} failed"


def save_url(base: str, url: str) -> str:
    return f"{base.rstrip('/')}/save/{url}"


def _answer_problem(status: int) -> str:
    return "" if status in (200, 301, 302, 303) else f"HTTP {status}"


def save_significant(
    db: Database, config: Config, client: ArchiveClient, now: datetime
) -> SaveReport:
    """Queue the recent changes with significant edits, then send what is due."""
    from monitor.alerts import retry_delay

    report = SaveReport()
    since = now - config.alerts.max_age
    # A round still open may yet find its edits are a site's template change: they wait.
    changes = archive_saves.significant_changes(db, since, held_after_change(db, now))
    report.queued = archive_saves.queue_saves(db, changes, now)
    base = config.archive.base_url
    for row in archive_saves.due_saves(db, now)[:MAX_SAVES_PER_ROUND]:
        attempts = int(row["attempts"]) + 1
        memento = ""
        try:
            answer = client.get(save_url(base, row["url"]))
            problem = _answer_problem(answer.status)
            where = answer.header("Location") or answer.header("Content-Location")
            memento = urljoin(base + "/", where) if where else ""
        except ArchiveError as error:
            problem = str(error)
        if not problem:
            report.saved += 1
            archive_saves.finish_save(
                db,
                int(row["id"]),
                status="saved",
                attempts=attempts,
                last_attempt_at=stamp(now),
                memento_url=memento or None,
                error=None,
            )
            continue
        report.failed += 1
        gave_up = attempts >= config.alerts.max_attempts
        logger.warning("save page now of %s failed (attempt %d): %s", row["url"], attempts, problem)
        archive_saves.finish_save(
            db,
            int(row["id"]),
            status="failed" if gave_up else "pending",
            attempts=attempts,
            last_attempt_at=stamp(now),
            next_attempt_at=stamp(now + retry_delay(config, attempts)),
            error=problem,
        )
    return report
