"""The Save Page Now queue (`archive_saves`): one row per change with significant edits whose
page is to be saved in the Wayback Machine, with its attempts, like an alert's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from monitor.store.queries import stamp, write_transaction

__all__ = ["due_saves", "finish_save", "queue_saves", "significant_changes"]


def significant_changes(
    db: Database, since: datetime, held_after: int | None = None
) -> list[dict[str, Any]]:
    """Changes with significant edits detected since `since` that are not queued yet, each with
    the URL its new version was read from (versions read from an archive left out). With
    `held_after` (`sitememory.held_after_change`), the changes after it (a round still open,
    whose template decision may take their significance away) wait, as alerts do."""
    return list(
        db.query(
            """select changes.id as change_id, new_v.url as url from changes
               join versions new_v on new_v.id = changes.new_version_id
               where changes.significant > 0 and changes.detected_at >= ?
                 and (? is null or changes.id <= ?)
                 and new_v.memento_url is null
                 and not exists (select 1 from archive_saves where change_id = changes.id)
               order by changes.id""",
            [stamp(since), held_after, held_after],
        )
    )


def queue_saves(db: Database, changes: Sequence[dict[str, Any]], now: datetime) -> int:
    with write_transaction(db):
        for change in changes:
            db.execute(
                "insert or ignore into archive_saves (change_id, url, status, attempts, "
                "created_at, next_attempt_at) values (?, ?, 'pending', 0, ?, ?)",
                [change["change_id"], change["url"], stamp(now), stamp(now)],
            )
    return len(changes)


def due_saves(db: Database, now: datetime) -> list[dict[str, Any]]:
    """Pending saves whose next attempt is due and whose change still has significant edits (a
    round's template decision, or `redline reextract`, may have taken them away since it was
    queued: such a save waits, and goes if the change becomes significant again)."""
    return list(
        db.query(
            "select archive_saves.* from archive_saves join changes "
            "on changes.id = archive_saves.change_id where archive_saves.status = 'pending' "
            "and archive_saves.next_attempt_at <= ? and changes.significant > 0 "
            "order by archive_saves.id",
            [stamp(now)],
        )
    )


def finish_save(db: Database, save_id: int, **values: Any) -> None:
    columns = ", ".join(f"{name} = ?" for name in values)
    with write_transaction(db):
        db.execute(f"update archive_saves set {columns} where id = ?", [*values.values(), save_id])
