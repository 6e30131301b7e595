"""The cluster's search page, `/-/redline/search?q=…&site=…`, under `redline serve --cluster DIR
--pg URL`: every edit the cluster ever recorded whose old or new text matches (the index of
`monitor.cluster.search`, as `redline cluster search` reads it), newest first, SEARCH_PAGE a page
(`&page=N`, up to SEARCH_PAGES), each linked to its diff page in its shard
(`/-/redline/diff/ID?db=shard-NN`).

The PostgreSQL URL stays on the Datasette object (it may hold a password), never in the
metadata that `/-/metadata` publishes. The query runs on a worker thread, on its own connection,
within SEARCH_TIMEOUT_MS.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import NotFound, Response

from monitor.errors import RedlineError
from monitor.ids import parse_id
from monitor.web.datasette import DATABASE, page_link, redline_databases

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints
logger = logging.getLogger(__name__)

# Hits listed on a page, newest first, with links to the next and previous pages.
SEARCH_PAGE = 50
# Pages a search reaches at most (1,000 hits, as many as `redline cluster search --limit`): each
# page further makes PostgreSQL sort more matches to skip them; an older edit needs more words.
SEARCH_PAGES = 20
# PostgreSQL's time for one search, at most: a GIN lookup takes milliseconds; a query matching
# millions of edits must not hold a connection for long.
SEARCH_TIMEOUT_MS = 5000


def search_enabled(datasette: Any) -> bool:
    return bool(getattr(datasette, "redline_pg", ""))


def _shard_databases(datasette: Any) -> dict[int, str]:
    """The shard number of each mounted shard database (`shard-07` is shard 7)."""
    from monitor.cluster.search import shard_number

    return {
        shard_number(Path(name)): name for name in redline_databases(datasette) if name != DATABASE
    }


def page_number(text: str | None) -> int:
    """`?page=`: 1 when absent; a ValueError naming the range for anything but 1…SEARCH_PAGES."""
    page = parse_id(text) if text is not None else 1
    if page is None or not 1 <= page <= SEARCH_PAGES:
        raise ValueError(
            f"the page is a number from 1 to {SEARCH_PAGES} (add words to find older edits)"
        )
    return page


def _search(pg_url: str, query: str, site: str | None, page: int) -> list[Any]:
    """The hits of `page`, and the first of the next page if there is one; or a RedlineError
    whose words a visitor may read (the server's log has the cause: it may name the database's
    host)."""
    import psycopg

    from monitor.cluster import coordination, search

    try:
        with coordination.connect(pg_url) as conn:
            conn.execute(f"set statement_timeout = {SEARCH_TIMEOUT_MS}")
            offset = (page - 1) * SEARCH_PAGE
            return search.search(conn, query, SEARCH_PAGE + 1, site, offset)
    except (RedlineError, psycopg.Error) as error:
        logger.warning("cluster search failed: %s", error)
        raise RedlineError("the search index cannot answer now; try again later") from error


def _hit_row(datasette: Any, hit: Any, shards: dict[int, str]) -> dict[str, Any]:
    database = shards.get(hit.shard)
    return {
        "hit": hit,
        "when": hit.detected_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        "database": database,
        # a link out only to a web page, never a javascript: or data: address
        "url": hit.url if hit.url.startswith(("http://", "https://")) else None,
        "diff": page_link(datasette, database)(f"/-/redline/diff/{hit.change_id}")
        if database
        else None,
    }


async def search_page(datasette: Any, request: Any) -> Response:
    """/-/redline/search?q=WORDS[&site=HOST]: the box, and the matching edits."""
    from monitor.cluster.commands import MAX_QUERY_CHARS

    if not search_enabled(datasette):
        raise NotFound("search needs a cluster: `redline serve --cluster DIR --pg URL`")
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    query = (request.args.get("q") or "").strip()
    site = (request.args.get("site") or "").strip() or None
    error, rows, status, more, page = "", [], 200, False, 1
    try:
        page = page_number(request.args.get("page"))
        if max(len(query), len(site or "")) > MAX_QUERY_CHARS:
            raise ValueError(f"the search is longer than {MAX_QUERY_CHARS} characters")
    except ValueError as bad:
        error, status = str(bad), 400
    if query and not error:
        try:
            hits = await asyncio.to_thread(_search, datasette.redline_pg, query, site, page)
        except RedlineError as failure:
            error, status = str(failure), 503
        else:
            shards = _shard_databases(datasette)
            rows = [_hit_row(datasette, hit, shards) for hit in hits[:SEARCH_PAGE]]
            more = len(hits) > SEARCH_PAGE

    def link(number: int) -> str:
        return page_link(datasette, DATABASE)("/-/redline/search", q=query, site=site, page=number)

    first = (page - 1) * SEARCH_PAGE + 1
    rendered = await datasette.render_template(
        "redline_search.html",
        {
            "database": DATABASE,
            "query": query,
            "site": site or "",
            "rows": rows,
            "error": error,
            "first": first,
            "last": first + len(rows) - 1,
            "previous": link(page - 1) if page > 1 and query and not error else None,
            "next": link(page + 1) if more and page < SEARCH_PAGES else None,
            "at_bound": more and page == SEARCH_PAGES,
        },
        request=request,
    )
    return Response.html(rendered, status=status)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/redline/search$", search_page)]
