"""How each site or source is read: with a plain HTTP fetch (`static`, the default) or in a
browser (`browser`), set by the user (`redline add --render`, `render = "browser"` in a sources
file) or found by a crawl (a JavaScript shell the browser could read), with the reason shown by
`redline sources`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from monitor.store.queries import site_of, stamp, write_transaction

__all__ = [
    "browser_sources",
    "rendered_sites",
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
