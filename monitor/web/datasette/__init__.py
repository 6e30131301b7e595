"""Redline's Datasette layer: metadata, templates, the render plugin and the diff pages.

Article text is attacker-controlled: every piece of HTML made here is built from escaped text
(`diffs.py`), and cell rendering is configured per table or view, never per database.
"""

from __future__ import annotations

from typing import Any

# The name `redline serve` gives the database, whatever its file is called: stable URLs.
DATABASE = "redline"


async def readable_database(datasette: Any, request: Any, table: str) -> Any:
    """Redline's database for a page built from `table`, once the visitor may view that table
    (Datasette's own permission checks); a 404 when the server has no such database."""
    from datasette.utils.asgi import NotFound

    try:
        db = datasette.get_database(DATABASE)
    except KeyError as error:
        raise NotFound(f"no database named {DATABASE}") from error
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (DATABASE, table)), ("view-database", DATABASE), "view-instance"],
    )
    return db
