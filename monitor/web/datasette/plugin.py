"""Redline's Datasette plugin: cell renderers configured per table or view, the diff pages and the
stylesheet. Registered by `monitor.web.serve` (no entry point: it is active only in
`redline serve`).

Cell rendering is configured in the metadata under a table or view, never a database:

    databases.redline.tables.edit_feed.plugins.redline.cells.change:
        {type: word_diff, pairs: [[old_sentence, new_sentence], [old, new]]}

The types are `word_diff` (this cell shows the first pair of columns with any text as a word
diff), `body_diff` (two bodies, changed paragraphs only), `link` (a link to a page of this server
whose path and text are templates over the row), `external_link` (the cell's text linked to the
http(s) URL in another column) and `collapsed` (text folded behind its word count, when it has at
least `min_words`). A `redline` configuration with `cells` at database or instance level is
refused at startup: there it would also apply to arbitrary `?sql=` results. Every renderer
builds its HTML from escaped text only (`diffs.py`).
"""

from __future__ import annotations

import json
import sqlite3
import string
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any, TypeVar, cast
from urllib.parse import quote

from datasette import hookimpl as _hookimpl
from datasette.utils import StartupError
from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup

from monitor import store
from monitor.compare.comparison import compare
from monitor.compare.edit import KINDS, SIGNIFICANT_AT, is_stealth, summarize
from monitor.errors import RedlineError
from monitor.fetch.urls import canonicalize_url
from monitor.ids import parse_id
from monitor.store.views import fts_query
from monitor.web.datasette import DATABASE, chosen_database, page_link, readable_database
from monitor.web.datasette.diffs import Block, body_diff, body_diff_html, word_diff_html
from monitor.web.datasette.queries import canned_cells
from monitor.web.datasette.worker import DIFF_TIMEOUT, TOO_LARGE, DiffWorker
from monitor.web.feed import FEED_ENTRIES, atom_feed, group_changes

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

PLUGIN = "redline"
# Feed links when the server is used in-process (tests, scripts) with neither a public URL nor a
# bound address.
IN_PROCESS_URL = "http://localhost"
CSS_PATH = "/-/redline/redline.css"
# Unchanged paragraphs kept around each change on a diff page when `?context=N` is not given.
PAGE_CONTEXT: int | None = None


def _css() -> str:
    return (
        resources.files("monitor.web.datasette").joinpath("static/redline.css").read_text("utf-8")
    )


# --- cells ---------------------------------------------------------------------------------
def _get(row: Any, column: str) -> Any:
    try:
        return row[column]
    except (IndexError, KeyError):  # the column was left out with ?_col= / ?_nocol=
        return None


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def _fill(template: str, row: Any, *, url: bool) -> str | None:
    values = {}
    for name in _template_fields(template):
        value = _get(row, name)
        if isinstance(value, dict) and "value" in value:  # a foreign key Datasette expanded
            value = value["value"]
        if value is None or value == "":
            return None
        values[name] = quote(str(value), safe="") if url else str(value)
    return template.format_map(values)


def diff_worker(datasette: Any) -> DiffWorker:
    """This server's diff worker (one per Datasette), its time limit from `diff_timeout` in the
    instance-level plugin configuration (`serve.diff_timeout`)."""
    worker = getattr(datasette, "redline_diff_worker", None)
    if worker is None:
        config = datasette.plugin_config(PLUGIN, fallback=False) or {}
        worker = DiffWorker(float(config.get("diff_timeout") or DIFF_TIMEOUT))
        datasette.redline_diff_worker = worker
    assert isinstance(worker, DiffWorker)
    return worker


TOO_LARGE_HTML = Markup('<span class="redline-too-large">{}</span>').format(TOO_LARGE)


def _diff_cell(
    datasette: Any, css: str, function: Callable[..., Markup], old: str, new: str, **options: Any
) -> Callable[[], Any]:
    """A cell whose diff is computed by the diff worker: Datasette awaits it, off its loop."""

    async def cell() -> Markup:
        html = await diff_worker(datasette).run(function, old, new, **options)
        return Markup('<div class="{}">{}</div>').format(
            css, TOO_LARGE_HTML if html is None else html
        )

    return cell


def _render(spec: Mapping[str, Any], row: Any, value: Any, datasette: Any) -> Any:
    kind = spec.get("type")
    if kind == "word_diff":
        for old_col, new_col in spec.get("pairs", ()):
            old, new = _get(row, old_col) or "", _get(row, new_col) or ""
            if old or new:
                return _diff_cell(datasette, "redline-diff", word_diff_html, str(old), str(new))
        return None
    if kind == "body_diff":
        old, new = _get(row, spec["old"]), _get(row, spec["new"])
        if old is None or new is None:
            return None
        return _diff_cell(
            datasette,
            "redline-diff redline-body",
            body_diff_html,
            str(old),
            str(new),
            context=int(spec.get("context", 0)),
        )
    if kind == "link":
        path = _fill(spec["href"], row, url=True)
        if path is None:
            return None
        text = _fill(spec.get("text", "{" + spec.get("column", "") + "}"), row, url=False)
        if text is None:
            text = _fill(spec.get("fallback", ""), row, url=False) or str(value)
        return Markup('<a href="{}">{}</a>').format(datasette.urls.path(path), text)
    if kind == "external_link":
        href = _get(row, spec["href_column"])
        if not isinstance(href, str) or not href.startswith(("http://", "https://")) or not value:
            return None  # never a javascript: or data: link
        return Markup('<a href="{}">{}</a>').format(href, value)
    if kind == "collapsed":
        if not isinstance(value, str) or not value:
            return None
        words = len(value.split())
        if words < int(spec.get("min_words", 0)):
            return None  # short enough to show as it is
        return Markup(
            '<details class="redline-collapsed"><summary>{} words</summary>'
            '<div class="redline-text">{}</div></details>'
        ).format(f"{words:,}", value)
    return None


def _cells(datasette: Any, database: str, table: str | None) -> Mapping[str, Any]:
    if table is None:  # a canned query's page: its own cells; arbitrary SQL: never rendered
        return canned_cells(datasette, database)
    config = datasette.plugin_config(PLUGIN, database=database, table=table, fallback=False)
    cells: Mapping[str, Any] = (config or {}).get("cells", {})
    return cells


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Any:
    """Markup, None, or (for diffs) an async function Datasette awaits."""
    spec = _cells(datasette, database, table).get(column)
    if spec is None:
        return None
    return _render(spec, row, value, datasette)


@hookimpl
def startup(datasette: Any) -> None:
    """Refuse a render configuration wider than one table: it would reach `?sql=` results."""
    for scope, config in [("instance", datasette.plugin_config(PLUGIN, fallback=False))] + [
        (f"database {name}", datasette.plugin_config(PLUGIN, database=name, fallback=False))
        for name in datasette.databases
    ]:
        if config and "cells" in config:
            raise StartupError(
                f"the {PLUGIN} plugin is configured for the whole {scope}; configure its cell "
                "renderers per table or view only"
            )


def _hide_snapshot_content(action: int, table: str | None, column: str | None, *_: Any) -> int:
    """SQLite authorizer: `snapshots.content` reads as NULL in every query, page and export."""
    if action == sqlite3.SQLITE_READ and table == "snapshots" and column == "content":
        return sqlite3.SQLITE_IGNORE
    return sqlite3.SQLITE_OK


def _canonical_url(url: Any) -> Any:
    """The key a URL is stored under (tracking parameters and fragment dropped), for queries
    that take a URL as a person pasted it; anything that is not a URL comes back as it is."""
    if not isinstance(url, str):
        return url
    try:
        return canonicalize_url(url)
    except RedlineError:
        return url


@hookimpl
def prepare_connection(conn: sqlite3.Connection, datasette: Any) -> None:
    """`redline_fts_query(text)`: a person's words as a safe FTS5 query, for the canned searches;
    `redline_canonical_url(url)`: a pasted URL as stored.
    Raw pages (`snapshots.content`) are not for visitors to download: a tracked page may have
    been anything, a redirect's target included. Every connection of the server reads that
    column as NULL (blob downloads, row pages, JSON and CSV, `?sql=`) unless the owner turned
    `snapshot_downloads` on (`redline serve --snapshot-downloads`)."""
    conn.create_function("redline_fts_query", 1, fts_query, deterministic=True)
    conn.create_function("redline_canonical_url", 1, _canonical_url, deterministic=True)
    config = datasette.plugin_config(PLUGIN, fallback=False) or {}
    if not config.get("snapshot_downloads"):
        conn.set_authorizer(_hide_snapshot_content)


@hookimpl
def extra_css_urls(database: str | None, datasette: Any) -> list[str]:
    del database
    return [datasette.urls.path(CSS_PATH)]


# --- pages ---------------------------------------------------------------------------------
async def _rows(db: Any, sql: str, params: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


def _int(request: Any, name: str) -> int:
    found = parse_id(request.url_vars.get(name, ""))
    if found is None:  # not digits, or past SQLite's integers: no such row either way
        raise NotFound(f"no such {name}")
    return found


def _context(request: Any) -> int | None:
    raw = request.args.get("context")
    if raw is None or raw == "all":
        return PAGE_CONTEXT
    try:
        return max(0, int(raw))
    except ValueError:
        return PAGE_CONTEXT


async def _version(db: Any, version_id: int | None) -> dict[str, Any] | None:
    if version_id is None:
        return None
    rows = await _rows(db, "select * from versions where id = ?", [version_id])
    return rows[0] if rows else None


def _edit_rows(edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = []
    for edit in edits:
        old_sentence, new_sentence = edit.get("old_sentence") or "", edit.get("new_sentence") or ""
        if old_sentence or new_sentence:
            context = word_diff_html(old_sentence, new_sentence)
        else:
            context = word_diff_html(edit.get("old") or "", edit.get("new") or "")
        shown.append(edit | {"context_html": context})
    return shown


def _plain_edit_rows(edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The edits as stored, old → new, without computing any diff."""
    return [
        edit
        | {
            "context_html": Markup("<del>{}</del> → <ins>{}</ins>").format(
                edit.get("old") or "", edit.get("new") or ""
            )
        }
        for edit in edits
    ]


PairParts = tuple[list[Block], list[dict[str, Any]]]


def _pair_parts(
    old_body: str, new_body: str, *, removed: bool, edits: list[dict[str, Any]], context: int | None
) -> PairParts:
    """In a diff worker: the body's blocks and the edits with their sentences highlighted."""
    if removed:  # the last version, struck through
        return body_diff(old_body, "", None), _edit_rows(edits)
    return body_diff(old_body, new_body, context), _edit_rows(edits)


def _compared_parts(
    old_body: str, new_body: str, *, old: dict[str, Any], new: dict[str, Any], context: int | None
) -> tuple[PairParts, dict[str, Any]]:
    """In a diff worker: compare two versions afresh, then the page's parts and its summary."""
    found = compare(store.article_from_row(old), store.article_from_row(new))
    edits = [
        {
            "kind": e.kind,
            "field": e.field,
            "old": e.old,
            "new": e.new,
            "old_sentence": e.old_sentence,
            "new_sentence": e.new_sentence,
            "significant": int(e.significant),
            "score": e.score,
        }
        for e in found
    ]
    change = {
        "id": None,
        "summary": summarize(found) if found else "no edits",
        "stealth": int(is_stealth(found)),
        "detected_at": None,
    }
    return _pair_parts(old_body, new_body, removed=False, edits=edits, context=context), change


async def _render_pair(
    datasette: Any,
    request: Any,
    *,
    article: dict[str, Any],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    parts: PairParts | None,
    edits: list[dict[str, Any]],
    change: dict[str, Any] | None,
    neighbours: dict[str, Any],
    database: str = DATABASE,
) -> Response:
    """The diff page; `parts` None when the diff was too large to compute here."""
    blocks, shown = parts if parts is not None else ([], _plain_edit_rows(edits))
    page = await datasette.render_template(
        "redline_diff.html",
        {
            "database": database,
            "link": page_link(datasette, database),
            "here": request.path,
            "article": article,
            "old": old,
            "new": new,
            "change": change,
            "edits": shown,
            "blocks": blocks,
            "too_large": parts is None,
            "context": _context(request),
            "neighbours": neighbours,
            "significant": sum(1 for e in edits if e.get("significant")),
        },
        request=request,
    )
    return Response.html(page)


async def change_page(datasette: Any, request: Any) -> Response:
    """/-/redline/diff/{change_id}: what one change did, edits listed and the body highlighted;
    `?db=shard-NN` for a change of a cluster's shard."""
    database = chosen_database(datasette, request)
    db = await readable_database(datasette, request, "version_diffs", database)
    change_id = _int(request, "change_id")
    changes = await _rows(db, "select * from changes where id = ?", [change_id])
    if not changes:
        raise NotFound(f"no change {change_id}")
    change = changes[0]
    article = (await _rows(db, "select * from articles where id = ?", [change["article_id"]]))[0]
    old = await _version(db, change["old_version_id"])
    new = await _version(db, change["new_version_id"])
    edits = await _rows(
        db, "select * from edits where change_id = ? order by position", [change_id]
    )
    around = await _rows(
        db,
        "select (select max(id) from changes where article_id = :a and id < :c) as previous, "
        "(select min(id) from changes where article_id = :a and id > :c) as next",
        {"a": change["article_id"], "c": change_id},
    )
    parts: PairParts | None = ([], _edit_rows(edits)) if old is None else None
    if old is not None:
        parts = await diff_worker(datasette).run(
            _pair_parts,
            old["body"] or "",
            (new or {}).get("body") or "",
            removed=new is None,
            edits=edits,
            context=_context(request),
        )
    return await _render_pair(
        datasette,
        request,
        article=article,
        old=old,
        new=new,
        parts=parts,
        edits=edits,
        change=change,
        neighbours=around[0],
        database=database,
    )


async def compare_page(datasette: Any, request: Any) -> Response:
    """/-/redline/compare/{article_id}/{from}/{to}: any two versions, edits computed afresh (in
    a diff worker, within its size cap and time limit); `?db=` as on the diff page."""
    database = chosen_database(datasette, request)
    db = await readable_database(datasette, request, "version_diffs", database)
    article_id = _int(request, "article_id")
    articles = await _rows(db, "select * from articles where id = ?", [article_id])
    if not articles:
        raise NotFound(f"no article {article_id}")
    pair = []
    for name in ("from_seq", "to_seq"):
        seq = _int(request, name)
        rows = await _rows(
            db, "select * from versions where article_id = ? and seq = ?", [article_id, seq]
        )
        if not rows:
            raise NotFound(f"no version {seq} of article {article_id}")
        pair.append(rows[0])
    old, new = pair
    computed = await diff_worker(datasette).run(
        _compared_parts,
        old["body"] or "",
        new["body"] or "",
        old=old,
        new=new,
        context=_context(request),
    )
    parts, change = computed if computed is not None else (None, None)
    if change is None:
        change = {"id": None, "summary": "not compared", "stealth": 0, "detected_at": None}
    return await _render_pair(
        datasette,
        request,
        article=articles[0],
        old=old,
        new=new,
        parts=parts,
        edits=[],
        change=change,
        neighbours={},
        database=database,
    )


FEED_SQL = """
with matching as (
  select * from edit_feed
  -- a site's template change is one entry, never significant (`monitor.compare.template`)
  where (score >= :min_score or kind = 'template_changed')
    and (:site = '' or site = :site)
    and (:kinds = '[]' or kind in (select value from json_each(:kinds)))
),
latest as (
  select change_id, max(detected_at) as at from matching
  group by change_id order by at desc, change_id desc limit :limit
)
select matching.* from matching
where change_id in (select change_id from latest)
order by detected_at desc, change_id desc, edit_id
"""


async def feed_page(datasette: Any, request: Any) -> Response:
    """/-/redline/feed.atom: significant edits as Atom, one entry per change, newest first, and
    each site's template changes (`template_changed`, one entry per site and round).
    Parameters: site, kind (repeatable), min_score (default 0.5, the significance threshold)."""
    db = await readable_database(datasette, request, "version_diffs")
    try:
        min_score = float(request.args.get("min_score") or SIGNIFICANT_AT)
    except ValueError:
        min_score = -1.0
    if not 0 <= min_score <= 1:
        raise BadRequest("min_score must be a number from 0 to 1")
    kinds = request.args.getlist("kind")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise BadRequest(f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(KINDS)}")
    rows = await _rows(
        db,
        FEED_SQL,
        {
            "min_score": min_score,
            "site": request.args.get("site") or "",
            "kinds": json.dumps(kinds),
            "limit": FEED_ENTRIES,
        },
    )
    base = _public_url(datasette)
    changes = group_changes(
        rows, base + "/-/redline/diff/{change_id}", base + "/-/redline/article/{article_id}"
    )
    title = "Redline: significant edits"
    if request.args.get("site"):
        title += f" on {request.args['site']}"
    if kinds:
        title += f" ({', '.join(kinds)})"
    self_url = base + request.full_path
    alternate = base + datasette.urls.table(DATABASE, "edit_feed")
    # Each entry highlights its edits' sentences: work for the diff worker, off the loop.
    body = await diff_worker(datasette).run(atom_feed, title, self_url, alternate, changes=changes)
    if body is None:
        return Response.text("the feed is too large to build now; try fewer kinds or a site", 503)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _public_url(datasette: Any) -> str:
    """Where readers reach this server: `public_url` from the instance-level plugin
    configuration (behind a proxy), else the address the server is bound to (`bound_url`),
    never the request's Host header, which any client can set to plant links of its choice."""
    config = datasette.plugin_config(PLUGIN, fallback=False) or {}
    return str(config.get("public_url") or config.get("bound_url") or IN_PROCESS_URL).rstrip("/")


async def stylesheet(datasette: Any, request: Any) -> Response:
    del datasette, request
    return Response(
        _css(), content_type="text/css; charset=utf-8", headers={"Cache-Control": "max-age=3600"}
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/redline/diff/(?P<change_id>\d+)$", change_page),
        (
            r"^/-/redline/compare/(?P<article_id>\d+)/(?P<from_seq>\d+)/(?P<to_seq>\d+)$",
            compare_page,
        ),
        (r"^/-/redline/feed\.atom$", feed_page),
        (r"^/-/redline/redline\.css$", stylesheet),
    ]
