"""Cell renderers for canned queries, and only for them.

Datasette 0.65 calls `render_cell` with `table=None` for a canned query and for arbitrary `?sql=`
alike, and passes neither the query's name nor the request. Arbitrary SQL must never be rendered
(its columns can be named anything, its text is attacker-controlled), so the plugin learns which
page it is rendering from the request itself: an ASGI wrapper notes, for the length of each
request, the canned query its path names (`/redline/quote_changes`: Datasette runs the query's own
SQL there and ignores `?sql=`); a path that names none (`/redline?sql=…`) renders nothing.

The cells of each canned query are configured by its name, under the database's plugin
configuration, beside (not inside) the per-table `cells`:

    databases.redline.plugins.redline.queries.quote_changes.cells.change: {type: word_diff, …}
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from datasette import hookimpl as _hookimpl

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

PLUGIN = "redline"
ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]

# (database, canned query) of the request being served, or None on any other page.
_CANNED: ContextVar[tuple[str, str] | None] = ContextVar("redline_canned_query", default=None)


def canned_query_of(datasette: Any, path: str) -> tuple[str, str] | None:
    """(database, query) when `path` is a canned query's HTML page with configured cells."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    database, name = (unquote(part) for part in parts)
    if name not in query_configs(datasette, database):
        return None
    return database, name


def query_configs(datasette: Any, database: str) -> Mapping[str, Any]:
    config = datasette.plugin_config(PLUGIN, database=database, fallback=False) or {}
    queries: Mapping[str, Any] = config.get("queries", {})
    return queries


def canned_cells(datasette: Any, database: str) -> Mapping[str, Any]:
    """The cells of the canned query this request shows, if it is one of `database`."""
    canned = _CANNED.get()
    if canned is None or canned[0] != database:
        return {}
    cells: Mapping[str, Any] = (
        query_configs(datasette, database).get(canned[1], {}).get("cells", {})
    )
    return cells


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    def wrap(app: ASGIApp) -> ASGIApp:
        async def note_canned_query(scope: dict[str, Any], receive: Any, send: Any) -> None:
            canned = None
            if scope.get("type") == "http":
                canned = canned_query_of(datasette, scope.get("path", ""))
            token = _CANNED.set(canned)
            try:
                await app(scope, receive, send)
            finally:
                _CANNED.reset(token)

        return note_canned_query

    return wrap
