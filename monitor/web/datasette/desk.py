"""The watch desk: `redline serve`'s home page for a journalist, and its forms.

`/` (also `/-/redline/desk`): counts, the significant edits per day per site (a server-drawn
SVG, no script), the latest significant edits, the sites with their health, the sources and the
articles watched, every list filtered by `?tag=`; forms to add, tag, pause, resume, remove (a
purge asks first), import and export the watch list (`/-/redline/export.csv|toml|opml`).

Writes are POSTs to `/-/redline/desk/ACTION`, allowed as `access.py` says, applied through
`monitor.watching` (the functions the CLI uses: the same validation, the same errors, shown on
the page) on Datasette's write connection, then redirect back with a message (POST, redirect,
GET).
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import logging
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl, quote

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response
from sqlite_utils import Database

from monitor import store, watching
from monitor.errors import (
    ConfigError,
    DatabaseBusyError,
    InputFileError,
    InvalidURLError,
    RedlineError,
    UnknownArticleError,
)
from monitor.fetch.urls import check_url
from monitor.fetch.watch_list import (
    WatchEntry,
    parse_tags,
    read_watch_list,
    write_watch_list,
)
from monitor.store import desk as store_desk
from monitor.store.queries import BUSY_TIMEOUT_MS
from monitor.store.tags import all_tags
from monitor.web.datasette import DATABASE, readable_database
from monitor.web.datasette.access import (
    check_form_token,
    check_write,
    from_script,
    may_write,
    read_only_reason,
    token_matches,
    write_token,
)
from monitor.web.datasette.cluster_search import search_enabled
from monitor.web.datasette.diffs import word_diff_html
from monitor.web.datasette.errors import MAX_FORM_BYTES

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

logger = logging.getLogger(__name__)


# Lines of a write's outcome shown on the next page at most (they travel in a signed cookie).
MESSAGE_LINES = 8
# The chart's drawing, in SVG units: one row per site, one bar per day.
BAR_WIDTH, BAR_GAP, ROW_HEIGHT, LABEL_WIDTH = 14, 3, 34, 180
# A desk write refused because another writer held the database past the busy timeout: the
# visitor is told to try again after this long (a check round holds the lock for milliseconds a
# page, so a few seconds is enough unless something is stuck).
RETRY_AFTER_S = 5
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "toml": "application/toml; charset=utf-8",
    "opml": "text/x-opml; charset=utf-8",
}


async def read(
    datasette: Any, request: Any, function: Callable[[Database], Any], database: str = DATABASE
) -> Any:
    """`function` over a read connection of a Redline database (after the view checks)."""
    db = await readable_database(datasette, request, "articles", database)
    return await db.execute_fn(lambda conn: function(Database(conn, execute_plugins=False)))


async def _write(
    datasette: Any, function: Callable[[Database], list[str]], atomic: bool = True
) -> list[str]:
    """`function` on Datasette's one write connection, `atomic`ally in one transaction (all of
    it is written, or none of it; else it opens its own); a RedlineError comes back as a value
    (Datasette would print any exception of a write to stderr), SQLite's "database is locked" as
    a DatabaseBusyError."""
    db = datasette.get_database(DATABASE)

    def run(conn: Any) -> list[str] | RedlineError:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        database = Database(conn, execute_plugins=False)
        try:
            if not atomic:
                return function(database)
            with store.write_transaction(database):
                return function(database)
        except RedlineError as error:
            return error
        except sqlite3.OperationalError as error:
            if store.is_busy_error(error):
                return DatabaseBusyError(
                    f"the database is busy with another write ({error}); "
                    f"try again in {RETRY_AFTER_S} s"
                )
            raise

    result = await db.execute_write_fn(run)
    if isinstance(result, RedlineError):
        raise result
    assert isinstance(result, list)
    return result


def _tag_of(request: Any) -> str:
    try:
        tags = parse_tags(request.args.get("tag") or "")
    except ConfigError as error:
        raise BadRequest(str(error)) from error
    return tags[0] if tags else ""


def highlighted(edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each edit with its sentence (or old → new) as an escaped word diff, in a diff worker."""
    shown = []
    for edit in edits:
        old = edit.get("old_sentence") or edit.get("old") or ""
        new = edit.get("new_sentence") or edit.get("new") or ""
        shown.append(edit | {"context_html": word_diff_html(old, new)})
    return shown


def chart_bars(chart: store_desk.Chart) -> dict[str, Any]:
    """The chart as rectangles: each site a row, each day a bar scaled to the busiest day."""
    peak = max(chart.peak, 1)
    bar_room = ROW_HEIGHT - 12
    rows = []
    for index, (site, days) in enumerate(chart.counts.items()):
        top = index * ROW_HEIGHT
        bars = []
        for day_index, count in enumerate(days):
            height = round(bar_room * count / peak) if count else 0
            bars.append(
                {
                    "x": LABEL_WIDTH + day_index * (BAR_WIDTH + BAR_GAP),
                    "y": top + bar_room - height + 4,
                    "height": max(height, 1 if count else 0),
                    "count": count,
                    "day": chart.days[day_index],
                }
            )
        rows.append(
            {"site": site, "y": top + ROW_HEIGHT // 2 + 4, "bars": bars, "total": sum(days)}
        )
    return {
        "rows": rows,
        "width": LABEL_WIDTH + len(chart.days) * (BAR_WIDTH + BAR_GAP) + 40,
        "height": max(len(rows), 1) * ROW_HEIGHT + 20,
        "days": chart.days,
        "bar_width": BAR_WIDTH,
        "axis_y": max(len(rows), 1) * ROW_HEIGHT + 14,
        "peak": chart.peak,
    }


async def desk_page(datasette: Any, request: Any) -> Response:
    """/: the watch desk."""
    tag = _tag_of(request)
    now = store.utc_now()

    def gather(db: Database) -> dict[str, Any]:
        return {
            "counts": store_desk.counts(db, now - store_desk.HEALTH_WINDOW * 7, tag),
            "chart": chart_bars(store_desk.chart(db, now, tag)),
            "edits": store_desk.latest_edits(db, tag),
            "sites": store_desk.sites(db, now - store_desk.HEALTH_WINDOW),
            "sources": store_desk.sources(db, tag),
            "articles": store_desk.articles(db, tag, request.args.get("state") or ""),
            "tags": all_tags(db),
        }

    from monitor.web.datasette.plugin import diff_worker

    context = await read(datasette, request, gather)
    shown = await diff_worker(datasette).run(highlighted, context["edits"])
    context["edits"] = shown if shown is not None else context["edits"]
    page = await datasette.render_template(
        "redline_desk.html",
        context
        | {
            "database": DATABASE,
            "tag": tag,
            "state": request.args.get("state") or "",
            "may_write": await may_write(datasette, request),
            "read_only": read_only_reason(datasette),
            "needs_token": bool(write_token(datasette)),
            "cluster_search": search_enabled(datasette),
            "listed": store_desk.DESK_ARTICLES,
            "back": request.full_path,
        },
        request=request,
    )
    return Response.html(page)


# --- writes ----------------------------------------------------------------------------------
def _back(form: dict[str, str]) -> str:
    """Where to go after a write: a path of this server, never another site. Browsers read a
    backslash as a slash and drop tabs and newlines (`/\\evil.com` and `/<tab>/evil.com` lead to
    `//evil.com`), so a path with a backslash, a space or a control character goes home."""
    back = form.get("back") or "/"
    plain = all(char != "\\" and char.isprintable() and not char.isspace() for char in back)
    return back if plain and back.startswith("/") and not back.startswith("//") else "/"


def _entries(form: dict[str, str]) -> list[WatchEntry]:
    kind = form.get("kind") or "article"
    tags = parse_tags(form.get("tags") or "")
    urls = [line.strip() for line in (form.get("urls") or "").split() if line.strip()]
    if not urls:
        raise ConfigError("no URL given")
    return [WatchEntry(url, kind, form.get("match") or "", tags) for url in urls]


def _state_action(state: str) -> Callable[[Database, dict[str, str]], list[str]]:
    def act(db: Database, form: dict[str, str]) -> list[str]:
        return watching.set_state(
            db,
            state,
            ref=form.get("ref") or "",
            source=form.get("source") or "",
            site=form.get("site") or "",
            purge=state == "removed" and form.get("purge") == "1",
        )

    return act


ACTIONS: dict[str, Callable[[Database, dict[str, str]], list[str]]] = {
    "add": lambda db, form: watching.add_entries(db, _entries(form), store.utc_now()),
    "pause": _state_action("paused"),
    "resume": _state_action("on"),
    "remove": _state_action("removed"),
    "tag": lambda db, form: watching.tag(
        db, form.get("tags") or "", ref=form.get("ref") or "", source=form.get("source") or ""
    ),
    "untag": lambda db, form: watching.tag(
        db,
        form.get("tags") or "",
        ref=form.get("ref") or "",
        source=form.get("source") or "",
        remove=True,
    ),
}


def _message_lines(lines: list[str]) -> list[str]:
    if len(lines) <= MESSAGE_LINES:
        return lines
    return [*lines[: MESSAGE_LINES - 1], f"… and {len(lines) - MESSAGE_LINES + 1} more"]


async def _form(datasette: Any, request: Any) -> dict[str, str]:
    """The POST's fields: url-encoded, or multipart with one file at most (an import)."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise BadRequest("a form needs a Content-Length")
    if int(length) > MAX_FORM_BYTES:
        raise BadRequest(f"the form is larger than {MAX_FORM_BYTES:,} bytes")
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        try:  # Datasette's `post_vars` would raise a UnicodeDecodeError: a 500
            text = (await request.post_body()).decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRequest("the form is not UTF-8 text") from error
        return dict(parse_qsl(text, keep_blank_values=True))
    body = await request.post_body()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True) or b""
        if not isinstance(payload, bytes):  # a nested multipart: not a field of this form
            continue
        try:
            text = payload.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise BadRequest(f"{name}: not UTF-8 text") from error
        fields[name] = text
        filename = part.get_filename()
        if filename:
            fields[f"{name}_filename"] = filename
    check_form_token(datasette, request, fields.get("csrftoken", ""))
    return fields


def _import(db: Database, form: dict[str, str]) -> list[str]:
    text = form.get("file") or form.get("text") or ""
    if not text.strip():
        raise ConfigError("no watch list given: choose a file or paste one")
    name = form.get("file_filename") or "pasted list"
    extra = parse_tags(form.get("tags") or "")
    entries = [
        dataclasses.replace(e, tags=tuple(dict.fromkeys(e.tags + extra)))
        for e in read_watch_list(text, name)
    ]
    return watching.add_entries(db, entries, store.utc_now())


async def desk_action(datasette: Any, request: Any) -> Response:
    """POST /-/redline/desk/{action}: one write, then back to the page it came from."""
    if request.method != "POST":
        raise BadRequest("this address takes a form (POST)")
    action = request.url_vars["action"]
    await check_write(datasette, request)
    form = await _form(datasette, request)
    if action == "remove" and form.get("purge") == "1" and form.get("confirm") != "yes":
        return await _confirm_purge(datasette, request, form)
    function = _import if action == "import" else ACTIONS.get(action)
    if function is None:
        raise NotFound(f"no desk action {action}")
    try:
        # Adding looks every host up first, then writes in one transaction of its own: the
        # look-ups are not made holding the write lock.
        atomic = action not in ("add", "import")
        lines = await _write(datasette, lambda db: function(db, form), atomic)
        for line in _message_lines(lines):
            datasette.add_message(request, line, datasette.INFO)
    except DatabaseBusyError as error:  # nothing was written: the same form works again later
        logger.warning("503 POST %s: %s", request.path, error)
        return Response.text(f"{error}\n", status=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    except RedlineError as error:
        if from_script(request):  # no page to show it on: the status and one line say it
            if isinstance(error, UnknownArticleError):
                raise NotFound(str(error)) from error
            if isinstance(error, (ConfigError, InvalidURLError, InputFileError)):
                raise BadRequest(str(error)) from error
            raise  # not the request's fault: a 500, logged
        datasette.add_message(request, str(error), datasette.ERROR)
    return Response.redirect(datasette.urls.path(_back(form)))


async def _confirm_purge(datasette: Any, request: Any, form: dict[str, str]) -> Response:
    page = await datasette.render_template(
        "redline_confirm.html",
        {"database": DATABASE, "form": form, "back": _back(form)},
        request=request,
    )
    return Response.html(page)


# --- reads: export, find, sign in ------------------------------------------------------------
async def export_list(datasette: Any, request: Any) -> Response:
    """/-/redline/export.{csv,toml,opml}: the watch list (what is watched or paused)."""
    fmt = request.url_vars["format"]
    tag = _tag_of(request)
    entries = await read(datasette, request, lambda db: watching.export_entries(db, tag))
    name = "redline-watch-list" + (f"-{tag.replace(' ', '-')}" if tag else "") + f".{fmt}"
    return Response(
        write_watch_list(entries, fmt),
        content_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{quote(name)}"'},
    )


async def find_page(datasette: Any, request: Any) -> Response:
    """/-/redline/find?url=…: the article of a URL as shared (tracking parameters, fragment and
    all: its canonical form is the key)."""
    given = (request.args.get("url") or "").strip()
    if not given:
        raise BadRequest("give a url")
    try:
        canonical = check_url(given)
    except RedlineError as error:
        raise BadRequest(str(error)) from error
    rows = await read(
        datasette,
        request,
        lambda db: list(db.query("select id from articles where url = ?", [canonical])),
    )
    if not rows:
        raise NotFound(f"not tracked: {canonical}")
    return Response.redirect(datasette.urls.path(f"/-/redline/article/{rows[0]['id']}"))


async def login_page(datasette: Any, request: Any) -> Response:
    """/-/redline/login: sign in with the operator's write token (Datasette's actor cookie)."""
    error = ""
    if request.method == "POST":
        form = await _form(datasette, request)
        if token_matches(datasette, form.get("token") or ""):
            response = Response.redirect(datasette.urls.path(_back(form)))
            response.set_cookie(
                "ds_actor",
                datasette.sign({"a": {"id": "redline-editor"}}, "actor"),
                httponly=True,
                samesite="lax",
            )
            return response
        error = "wrong token" if write_token(datasette) else "no write token is set on this server"
    page = await datasette.render_template(
        "redline_login.html",
        {
            "database": DATABASE,
            "error": error,
            "needs_token": bool(write_token(datasette)),
            "may_write": await may_write(datasette, request),
            "read_only": read_only_reason(datasette),
            "back": _back(dict(request.args)),
        },
        request=request,
    )
    return Response.html(page, status=403 if error else 200)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/$", desk_page),
        (r"^/-/redline/desk$", desk_page),
        (r"^/-/redline/desk/(?P<action>[a-z]+)$", desk_action),
        (r"^/-/redline/export\.(?P<format>csv|toml|opml)$", export_list),
        (r"^/-/redline/find$", find_page),
        (r"^/-/redline/login$", login_page),
    ]
