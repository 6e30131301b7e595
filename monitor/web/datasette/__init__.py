"""Redline's Datasette layer: metadata, templates, the render plugin and the diff pages.

Article text is attacker-controlled: every piece of HTML made here is built from escaped text
(`diffs.py`), and cell rendering is configured per table or view, never per database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

# The name `redline serve` gives the database, whatever its file is called: stable URLs.
DATABASE = "redline"
# The query parameter that names another of the server's Redline databases on a page (a cluster's
# shard under `redline serve --cluster`: `/-/redline/diff/ID?db=shard-07`).
DB_PARAMETER = "db"


def redline_databases(datasette: Any) -> tuple[str, ...]:
    """The databases of this server with Redline's schema: `redline`, and a cluster's shards."""
    return tuple(getattr(datasette, "redline_databases", (DATABASE,)))


def chosen_database(datasette: Any, request: Any) -> str:
    """The database a page reads: `?db=NAME` when NAME is one of the server's Redline databases
    (a 404 for any other name, mounted or not), else `redline`."""
    from datasette.utils.asgi import NotFound

    name = request.args.get(DB_PARAMETER)
    if name is None:
        return DATABASE
    if name not in redline_databases(datasette) or name not in datasette.databases:
        raise NotFound(f"no database named {name}")
    return str(name)


def page_link(datasette: Any, database: str) -> Callable[..., str]:
    """`link(path, **args)` for templates: a path of this server with its query string, naming
    `database` when it is not `redline` (so a shard's pages link to the same shard)."""

    def link(path: str, **args: Any) -> str:
        query = {k: v for k, v in args.items() if v is not None}
        if database != DATABASE:
            query[DB_PARAMETER] = database
        return str(datasette.urls.path(path)) + (f"?{urlencode(query)}" if query else "")

    return link


async def readable_database(
    datasette: Any, request: Any, table: str, database: str = DATABASE
) -> Any:
    """The Redline database `database` for a page built from `table`, once the visitor may view
    that table (Datasette's own permission checks); a 404 when the server has no such database."""
    from datasette.utils.asgi import NotFound

    try:
        db = datasette.get_database(database)
    except KeyError as error:
        raise NotFound(f"no database named {database}") from error
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (database, table)), ("view-database", database), "view-instance"],
    )
    return db
