"""The alert queue: the `alerts` table Redline fills with messages to send and drains as it
sends them (see `monitor.alerts` for what goes in and when)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from monitor.store.queries import stamp, write_transaction

__all__ = [
    "claim_alerts",
    "digest_exists",
    "due_alerts",
    "due_digests",
    "edits_between",
    "existing_alerts",
    "finish_alert",
    "finish_digest",
    "queue_alerts",
    "queue_digest",
    "recent_edits",
    "sent_since",
]


def recent_edits(db: Database, since: str) -> list[dict[str, Any]]:
    """Rows of the edit feed detected at or after `since`, oldest first."""
    return list(
        db.query("select * from edit_feed where detected_at >= ? order by edit_id", [since])
    )


def existing_alerts(db: Database, change_ids: Sequence[int]) -> set[tuple[int, str]]:
    """(change, target) pairs already queued or sent."""
    rows = db.query(
        "select change_id, target from alerts where change_id in (select value from json_each(?))",
        [json.dumps(list(change_ids))],
    )
    return {(int(r["change_id"]), r["target"]) for r in rows}


def queue_alerts(db: Database, messages: Sequence[dict[str, Any]], now: datetime) -> int:
    """Queue messages ({change_id, target, rules, edit_ids, title, body}); a (change, target)
    pair already queued is skipped. Returns how many were queued."""
    queued = 0
    with write_transaction(db):
        for message in messages:
            cursor = db.execute(
                "insert or ignore into alerts (change_id, target, rules, edit_ids, title, body, "
                "status, attempts, created_at, next_attempt_at) "
                "values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                [
                    message["change_id"],
                    message["target"],
                    ",".join(message["rules"]),
                    json.dumps(list(message["edit_ids"])),
                    message["title"],
                    message["body"],
                    stamp(now),
                    stamp(now),
                ],
            )
            queued += cursor.rowcount
    return queued


def sent_since(db: Database, target: str, since: datetime) -> int:
    """How many messages this target was sent since then."""
    rows = db.query(
        "select count(*) as n from alerts where target = ? and status = 'sent' and sent_at >= ?",
        [target, stamp(since)],
    )
    return int(next(iter(rows))["n"])


def pending_alerts(db: Database, target: str) -> list[dict[str, Any]]:
    """Every pending message of a target, due or waiting for a retry, oldest first."""
    return list(
        db.query(
            "select * from alerts where target = ? and status = 'pending' order by created_at, id",
            [target],
        )
    )


def due_alerts(db: Database, target: str, now: datetime) -> list[dict[str, Any]]:
    """Pending messages of a target whose next attempt is due, oldest first."""
    return list(
        db.query(
            "select * from alerts where target = ? and status = 'pending' and next_attempt_at <= ? "
            "order by created_at, id",
            [target, stamp(now)],
        )
    )


def claim_alerts(
    db: Database, target: str, now: datetime, limit: int, until: datetime
) -> tuple[list[dict[str, Any]], int]:
    """Take up to `limit` due messages for sending (no other sender takes them before `until`);
    also returns how many stay waiting."""
    with write_transaction(db):
        due = due_alerts(db, target, now)
        claimed = due[:limit]
        for row in claimed:
            db.execute(
                "update alerts set next_attempt_at = ? where id = ?", [stamp(until), row["id"]]
            )
    return claimed, len(due) - len(claimed)


def finish_alert(db: Database, alert_id: int, **values: Any) -> None:
    """Record how an attempt ended (status, attempts, sent_at, error, next_attempt_at...)."""
    with write_transaction(db):
        columns = ", ".join(f"{name} = ?" for name in values)
        db.execute(f"update alerts set {columns} where id = ?", [*values.values(), alert_id])


def edits_between(db: Database, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Significant rows of the edit feed detected in [start, end), oldest first."""
    return list(
        db.query(
            "select * from edit_feed where detected_at >= ? and detected_at < ? "
            "and significant = 1 order by edit_id",
            [stamp(start), stamp(end)],
        )
    )


def digest_exists(db: Database, target: str, start: datetime) -> bool:
    """Whether this target's digest of the period starting then is queued or sent."""
    rows = db.query(
        "select 1 from digests where target = ? and period_start = ?", [target, stamp(start)]
    )
    return next(iter(rows), None) is not None


def queue_digest(db: Database, digest: dict[str, Any], now: datetime) -> None:
    """Queue one digest ({target, period_start, period_end, edit_count, title, body})."""
    with write_transaction(db):
        db.execute(
            "insert or ignore into digests (target, period_start, period_end, edit_count, title, "
            "body, status, attempts, created_at) values (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
            [
                digest["target"],
                stamp(digest["period_start"]),
                stamp(digest["period_end"]),
                digest["edit_count"],
                digest["title"],
                digest["body"],
                stamp(now),
            ],
        )


def due_digests(db: Database, target: str) -> list[dict[str, Any]]:
    """A target's digests not sent yet, oldest first."""
    return list(
        db.query(
            "select * from digests where target = ? and status = 'pending' order by period_start",
            [target],
        )
    )


def finish_digest(db: Database, digest_id: int, **values: Any) -> None:
    """Record how a digest's attempt ended (status, attempts, sent_at, error)."""
    with write_transaction(db):
        columns = ", ".join(f"{name} = ?" for name in values)
        db.execute(f"update digests set {columns} where id = ?", [*values.values(), digest_id])
