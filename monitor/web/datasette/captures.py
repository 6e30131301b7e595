"""The captured page in `redline serve`: `/-/redline/snapshot/ID` shows a stored raw page as it
was fetched (capture time, URL, HTTP status, response headers, SHA-256) and the page itself in a
sandboxed iframe; `/-/redline/snapshot/ID/page` is that page, cleaned by `monitor.capture.safe_html`
and served with `CAPTURE_CSP`, so nothing in it can run or load anything.

Raw pages stay closed to downloads (`snapshots.content` reads as NULL on the server's
connections unless `--snapshot-downloads`): these pages read the bytes through the connection
with its authorizer lifted for that one query, and only ever send the cleaned rendering.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import NotFound, Response
from sqlite_utils import Database

from monitor.capture import CAPTURE_CSP, NO_HEADERS, Capture, safe_html, text_page
from monitor.errors import CaptureNotFoundError
from monitor.ids import parse_id
from monitor.store import captures, rendering
from monitor.web.datasette import chosen_database, page_link, readable_database

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

# A captured page larger than this is described, not rendered (the crawler keeps at most 10 MB).
RENDER_LIMIT = 10 * 1024 * 1024
TOO_LARGE_PAGE = "<!DOCTYPE html><meta charset=utf-8><p>This page is too large to show here.</p>"


def _snapshot_id(request: Any) -> int:
    found = parse_id(request.url_vars.get("snapshot_id", ""))
    if found is None:  # not digits, or past SQLite's integers
        raise NotFound("not a captured page id")
    return found


async def _read(datasette: Any, db: Any, function: Callable[[Database], Any]) -> Any:
    """`function` on a sqlite-utils view of one of the server's read connections, with the
    authorizer that hides raw pages lifted for that call only (the call runs alone on it)."""
    from monitor.web.datasette.plugin import PLUGIN, _hide_snapshot_content

    hidden = not (datasette.plugin_config(PLUGIN, fallback=False) or {}).get("snapshot_downloads")

    def run(conn: sqlite3.Connection) -> Any:
        conn.set_authorizer(None)
        try:
            return function(Database(conn))
        except CaptureNotFoundError as error:
            return error
        finally:
            if hidden:
                conn.set_authorizer(_hide_snapshot_content)

    found = await db.execute_fn(run)
    if isinstance(found, CaptureNotFoundError):
        raise NotFound(str(found))
    return found


async def capture_page(datasette: Any, request: Any) -> Response:
    """/-/redline/snapshot/{id}: the capture's facts and the page in a sandboxed frame."""
    database = chosen_database(datasette, request)
    db = await readable_database(datasette, request, "versions", database)
    snapshot_id = _snapshot_id(request)
    capture: Capture = await _read(
        datasette, db, lambda conn: captures.find_capture(conn, snapshot_id)
    )
    screenshot = await _read(
        datasette, db, lambda conn: rendering.screenshot_of_snapshot(conn, snapshot_id)
    )
    page = await datasette.render_template(
        "redline_capture.html",
        {
            "database": database,
            "link": page_link(datasette, database),
            "capture": capture,
            "screenshot": screenshot,
            "no_headers": NO_HEADERS,
            "renderable": capture.is_text and capture.size <= RENDER_LIMIT,
        },
        request=request,
    )
    return Response.html(page)


def _rendering(raw: bytes, content_type: str, html: bool) -> str:
    return safe_html(raw, content_type) if html else text_page(raw, content_type)


async def captured_document(datasette: Any, request: Any) -> Response:
    """/-/redline/snapshot/{id}/page: the cleaned page, under a CSP that loads and runs nothing."""
    from monitor.web.datasette.plugin import diff_worker

    database = chosen_database(datasette, request)
    db = await readable_database(datasette, request, "versions", database)
    snapshot_id = _snapshot_id(request)
    capture: Capture = await _read(
        datasette, db, lambda conn: captures.find_capture(conn, snapshot_id)
    )
    if not capture.is_text:
        raise NotFound(f"captured page {snapshot_id} is {capture.content_type}, not a page")
    body = TOO_LARGE_PAGE
    if capture.size <= RENDER_LIMIT:
        raw = await _read(datasette, db, lambda conn: captures.capture_content(conn, snapshot_id))
        # Cleaning a large page is Python work: done off the loop, within the page time limit.
        cleaned = await diff_worker(datasette).run(
            _rendering, raw=raw, content_type=capture.content_type, html=capture.is_html
        )
        body = TOO_LARGE_PAGE if cleaned is None else cleaned
    return Response(
        body,
        content_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": CAPTURE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "private, max-age=300",
        },
    )


async def captured_screenshot(datasette: Any, request: Any) -> Response:
    """/-/redline/snapshot/{id}/screenshot.png: the screenshot taken with the captured page."""
    database = chosen_database(datasette, request)
    db = await readable_database(datasette, request, "versions", database)
    snapshot_id = _snapshot_id(request)
    rows = await db.execute(
        "select png from screenshots where snapshot_id = ? order by id desc limit 1", [snapshot_id]
    )
    found = rows.first()
    if found is None:
        raise NotFound(f"no screenshot was taken with captured page {snapshot_id}")
    return Response(
        bytes(found[0]),
        content_type="image/png",
        headers={
            "Content-Security-Policy": "default-src 'none'",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=300",
        },
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/redline/snapshot/(?P<snapshot_id>\d+)$", capture_page),
        (r"^/-/redline/snapshot/(?P<snapshot_id>\d+)/page$", captured_document),
        (r"^/-/redline/snapshot/(?P<snapshot_id>\d+)/screenshot\.png$", captured_screenshot),
    ]
