"""How each site or source is read: with a plain HTTP fetch (`static`, the default) or in a
browser (`browser`), set by the user (`redline add --render`, `render = "browser"` in a sources
file) or found by a crawl (a JavaScript shell the browser could read), with the reason shown by
`redline sources`."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from monitor.store.queries import site_of, stamp, write_transaction

__all__ = [
    "add_screenshot",
    "browser_sources",
    "png_size",
    "rendered_sites",
    "screenshot_of_snapshot",
    "screenshot_sites",
    "screenshot_sources",
    "screenshots_of_snapshots",
    "set_screenshots",
    "set_site_render",
    "set_source_render",
    "site_modes",
]


def set_site_render(db: Database, url_or_site: str, mode: str, reason: str, now: datetime) -> None:
    """Read a site (given by one of its URLs, or by its host and port) in `mode`, for `reason`."""
    site = site_of(url_or_site) if "://" in url_or_site else url_or_site
    with write_transaction(db):
        db.execute(
            "insert into sites (site, failures, render, render_reason, render_since) "
            "values (?, 0, ?, ?, ?) on conflict (site) do update set render = excluded.render, "
            "render_reason = excluded.render_reason, render_since = excluded.render_since",
            [site, mode, reason, stamp(now)],
        )


def set_source_render(db: Database, source_id: int, mode: str) -> None:
    with write_transaction(db):
        db.execute("update sources set render = ? where id = ?", [mode, source_id])


def site_modes(db: Database) -> dict[str, str]:
    """The sites whose render mode is set, with it (`static` or `browser`)."""
    return dict(db.execute("select site, render from sites where render is not null").fetchall())


def browser_sources(db: Database) -> frozenset[int]:
    rows = db.execute("select id from sources where render = 'browser'")
    return frozenset(int(r[0]) for r in rows)


def rendered_sites(db: Database) -> list[dict[str, Any]]:
    """The sites read in a browser, with why and since when."""
    return list(
        db.query(
            "select site, render_reason, render_since from sites where render = 'browser' "
            "order by site"
        )
    )


def set_screenshots(db: Database, url: str, source_id: int | None, on: bool) -> None:
    """Take a screenshot with each new version of a source's articles (`source_id`) or of every
    article of `url`'s site."""
    with write_transaction(db):
        if source_id is not None:
            db.execute("update sources set screenshot = ? where id = ?", [int(on), source_id])
            return
        db.execute(
            "insert into sites (site, failures, screenshot) values (?, 0, ?) "
            "on conflict (site) do update set screenshot = excluded.screenshot",
            [site_of(url), int(on)],
        )


def screenshot_sites(db: Database) -> frozenset[str]:
    return frozenset(r[0] for r in db.execute("select site from sites where screenshot = 1"))


def screenshot_sources(db: Database) -> frozenset[int]:
    rows = db.execute("select id from sources where screenshot = 1")
    return frozenset(int(r[0]) for r in rows)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk ((0, 0) when it is not a PNG)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 0, 0
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def add_screenshot(
    db: Database, version_id: int, snapshot_id: int | None, url: str, png: bytes, now: datetime
) -> None:
    """Store a version's screenshot (inside the caller's transaction)."""
    width, height = png_size(png)
    db.execute(
        "insert into screenshots (version_id, snapshot_id, taken_at, url, width, height, size, "
        "sha256, png) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            version_id,
            snapshot_id,
            stamp(now),
            url,
            width,
            height,
            len(png),
            hashlib.sha256(png).hexdigest(),
            png,
        ],
    )


def screenshot_of_snapshot(db: Database, snapshot_id: int) -> dict[str, Any] | None:
    """The latest screenshot taken with a captured page, without its PNG."""
    rows = list(
        db.query(
            "select id, version_id, snapshot_id, taken_at, url, width, height, size, sha256 "
            "from screenshots where snapshot_id = ? order by id desc limit 1",
            [snapshot_id],
        )
    )
    return rows[0] if rows else None


def screenshots_of_snapshots(db: Database, snapshot_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Every screenshot taken with these captured pages, PNG included, oldest first."""
    ids = sorted(set(snapshot_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return list(
        db.query(f"select * from screenshots where snapshot_id in ({marks}) order by id", ids)
    )
