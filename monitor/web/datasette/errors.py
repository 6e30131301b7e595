"""Error pages of `redline serve`: Datasette's own 404/400/500 page for every failure, and one log
line per expected error.

Datasette 0.65's default handler prints every exception, a plain 404 included, with rich's
traceback and all local variables (100–200 lines and up to a second per request), and when no
exception is being handled (a path no route matches) that print itself fails, so the visitor gets
a bare "Internal Server Error". This module replaces that handler (`monitor.web.serve` swaps it in
for Datasette's `datasette.handle_exception`): a bad id or URL is logged as one line and answered
with Datasette's error template; anything else is a real bug, logged once with its traceback and
answered with a 500 page that carries no details.

A form body is read whole by asgi-csrf, in front of every page, before any page sees it: one that
is not UTF-8 text made its parsing raise outside Datasette's handler, a bare 500 with a
traceback. `asgi_wrapper` reads such a body first (up to `MAX_FORM_BYTES`) and answers a body
that is too large or not UTF-8 with one line and a 413 or 400, and a multipart form anywhere but
the desk's writes with a 415 (`MULTIPART_TYPE`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

from monitor.fetch.watch_list import MAX_LIST_BYTES
from monitor.web.datasette.access import DESK_WRITES

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

logger = logging.getLogger(__name__)

# What a visitor is told of an unexpected failure (the details go to the log only).
SERVER_ERROR = "Something went wrong on the server; it has been logged."
NOT_FOUND = "No page here: check the id or the address."
# A form body larger than this is refused before it is read: the largest form is a watch list
# imported from the desk (`MAX_LIST_BYTES`) with its other fields.
MAX_FORM_BYTES = MAX_LIST_BYTES + 64 * 1024
FORM_TYPE = b"application/x-www-form-urlencoded"
# Only the desk's writes take a multipart form (a watch list file); anywhere else asgi-csrf 0.11
# would read it with python-multipart, whose parser no longer takes the `FileClass` it passes (a
# 500 to any such request carrying a cookie): refused first, with one line and a 415.
MULTIPART_TYPE = b"multipart/form-data"
# The methods whose form asgi-csrf does not read (it reads every other method's, not only a POST's).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def classify(exception: BaseException) -> tuple[int, str, str | None, bool]:
    """(status, message, title, expected) for an exception: a `Base400` or a `DatasetteError` is
    the visitor's mistake (a bad id, a missing table, a refused query, a sort by no column),
    anything else a bug of ours."""
    if isinstance(exception, Base400):
        message = str(exception.args[0]) if exception.args else ""
        if message in ("", str(exception.status)):  # Datasette's bare NotFound("404")
            message = NOT_FOUND if exception.status == 404 else "Bad request"
        return exception.status, message, None, True
    if isinstance(exception, DatasetteError):
        text: str = exception.message
        if exception.message_is_html:
            text = Markup(text)
        # Datasette raises it bare (status 500) only for what the visitor asked: `_sort` by a
        # column that does not exist, a bad `_through`... A 400, not a bug of ours.
        status = 400 if exception.status == 500 else exception.status
        return status, text, exception.title, True
    return 500, SERVER_ERROR, None, False


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    async def inner() -> Response:
        status, message, title, expected = classify(exception)
        where = f"{request.method} {request.path}"
        if expected:
            logger.warning("%s %s: %s", status, where, message)
        else:
            logger.error(
                "%s %s failed: %s",
                status,
                where,
                exception,
                exc_info=(type(exception), exception, exception.__traceback__),
            )
        info: dict[str, Any] = {"ok": False, "error": message, "status": status, "title": title}
        if isinstance(exception, DatasetteError) and expected:
            info = {**exception.error_dict, **info}
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        page = await template.render_async(
            dict(
                info,
                urls=datasette.urls,
                app_css_hash=datasette.app_css_hash(),
                menu_links=lambda: [],
            )
        )
        return Response.html(page, status=status)

    return inner


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[ASGIApp], ASGIApp]:
    del datasette

    def wrap(app: ASGIApp) -> ASGIApp:
        async def read_forms(scope: Scope, receive: Receive, send: Send) -> None:
            headers = dict(scope.get("headers") or []) if scope.get("type") == "http" else {}
            content_type = headers.get(b"content-type", b"").lower()
            form = content_type.startswith(FORM_TYPE)
            if (
                scope.get("method") not in SAFE_METHODS
                and content_type.startswith(MULTIPART_TYPE)
                and not str(scope.get("path", "")).startswith(DESK_WRITES)
            ):
                line = "this address takes no multipart form"
                logger.warning("415 %s %s: %s", scope["method"], scope["path"], line)
                await _answer(send, 415, line)
                return
            if scope.get("method") in SAFE_METHODS or not form:
                await app(scope, receive, send)
                return
            messages, size, problem = [], 0, ""
            while True:
                message = await receive()
                messages.append(message)
                size += len(message.get("body", b""))
                if size > MAX_FORM_BYTES:
                    problem = f"413 the form is larger than {MAX_FORM_BYTES:,} bytes"
                    break
                if message["type"] != "http.request" or not message.get("more_body"):
                    break
            body = b"".join(m.get("body", b"") for m in messages)
            if not problem:
                try:
                    body.decode("utf-8")
                except UnicodeDecodeError:
                    problem = "400 the form is not UTF-8 text"
            if problem:
                status, _, line = problem.partition(" ")
                logger.warning("%s %s %s: %s", status, scope["method"], scope["path"], line)
                await _answer(send, int(status), line)
                return

            async def replay() -> MutableMapping[str, Any]:
                return messages.pop(0) if messages else await receive()

            await app(scope, replay, send)

        return read_forms

    return wrap


async def _answer(send: Send, status: int, line: str) -> None:
    body = f"{line}\n".encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", b"%d" % len(body)),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
