"""Reads of captured responses: a stored raw page and the fetch that kept it (`monitor.capture`).

A raw page is stored once per distinct content (`snapshots`); each fetch that kept it is a check
with its URL, HTTP status and, since migration m018, its response headers. The first such check
is the capture shown as evidence. A page read from a web archive by `redline backfill` has no
check: its version names the memento it was read from (`versions.memento_url`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from monitor.capture import Capture, capture_from_rows
from monitor.errors import CaptureNotFoundError
from monitor.store.queries import decompress_page

__all__ = [
    "capture_content",
    "capture_of_version",
    "captures_of_article",
    "edits_of_change",
    "find_capture",
]

_FIRST_CHECK = """
select checks.article_id, checks.checked_at, checks.url, checks.http_status,
       checks.response_headers, articles.url as article_url
from checks left join articles on articles.id = checks.article_id
where checks.snapshot_id = ? {and_article}
order by checks.checked_at, checks.id limit 1
"""


def _snapshot_row(db: Database, snapshot_id: int) -> dict[str, Any]:
    rows = list(
        db.query(
            "select id, sha256, size, content_type, first_seen from snapshots where id = ?",
            [snapshot_id],
        )
    )
    if not rows:
        raise CaptureNotFoundError(f"no captured page {snapshot_id}")
    return rows[0]


def find_capture(db: Database, snapshot_id: int, article_id: int | None = None) -> Capture:
    """The capture of raw page `snapshot_id`: its first fetch (by `article_id`, if given)."""
    snapshot = _snapshot_row(db, snapshot_id)
    params: list[Any] = [snapshot_id]
    and_article = ""
    if article_id is not None:
        and_article, params = "and checks.article_id = ?", [snapshot_id, article_id]
    checks = list(db.query(_FIRST_CHECK.format(and_article=and_article), params))
    check = checks[0] if checks else None
    owner = article_id if article_id is not None else (check or {}).get("article_id")
    if owner is None:  # no check kept it: a page read from an archive, named by its version
        named = db.execute(
            "select article_id from versions where snapshot_id = ? order by id limit 1",
            [snapshot_id],
        ).fetchone()
        owner = named[0] if named else None
    versions = list(
        db.query(
            "select seq, captured_at, memento_url from versions where snapshot_id = ? "
            "and article_id = ? order by seq",
            [snapshot_id, owner],
        )
    )
    capture = capture_from_rows(snapshot, check, [int(row["seq"]) for row in versions])
    past = [row for row in versions if row["memento_url"]]
    if check is None and past:  # read from an archive (`redline backfill`), never fetched
        return replace(
            capture, captured_at=past[0]["captured_at"], memento_url=past[0]["memento_url"]
        )
    return capture


def capture_of_version(db: Database, version: dict[str, Any]) -> Capture:
    """The capture a version was extracted from."""
    if not version.get("snapshot_id"):
        raise CaptureNotFoundError(
            f"version {version.get('seq')} has no stored raw page (made before raw pages were kept)"
        )
    return find_capture(db, int(version["snapshot_id"]), int(version["article_id"]))


def capture_content(db: Database, snapshot_id: int) -> bytes:
    """The raw page's bytes, as fetched."""
    rows = list(db.query("select content from snapshots where id = ?", [snapshot_id]))
    if not rows or rows[0]["content"] is None:
        raise CaptureNotFoundError(f"no captured page {snapshot_id}")
    return decompress_page(rows[0]["content"], snapshot_id)


def captures_of_article(db: Database, article_id: int) -> list[Capture]:
    """Every distinct raw page kept for an article, oldest first: those its checks kept and
    those only its versions name (a backfill writes no checks)."""
    ids = [
        int(row["snapshot_id"])
        for row in db.query(
            "select snapshot_id, min(at) as at from (select snapshot_id, checked_at as at "
            "from checks where article_id = :article and snapshot_id is not null union all "
            "select snapshot_id, captured_at as at from versions where article_id = :article "
            "and snapshot_id is not null) group by snapshot_id order by at, snapshot_id",
            {"article": article_id},
        )
    ]
    return [find_capture(db, snapshot_id, article_id) for snapshot_id in ids]


def edits_of_change(db: Database, change_id: int) -> list[dict[str, Any]]:
    """A change's edits in order, as evidence: kinds, texts, scores and reasons (JSON text)."""
    return list(
        db.query(
            "select kind, field, old, new, old_sentence, new_sentence, significant, score, "
            "reasons from edits where change_id = ? order by position",
            [change_id],
        )
    )
