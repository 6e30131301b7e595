"""Error pages of `redline serve`: Datasette's own 404/400/500 page for every failure, and one log
line per expected error.

Datasette 0.65's default handler prints every exception, a plain 404 included, with rich's
traceback and all local variables (100–200 lines and up to a second per request), and when no
exception is being handled (a path no route matches) that print itself fails, so the visitor gets
a bare "Internal Server Error". This module replaces that handler (`monitor.web.serve` swaps it in
for Datasette's `datasette.handle_exception`): a bad id or URL is logged as one line and answered
with Datasette's error template; anything else is a real bug, logged once with its traceback and
answered with a 500 page that carries no details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints

logger = logging.getLogger(__name__)

# What a visitor is told of an unexpected failure (the details go to the log only).
SERVER_ERROR = "Something went wrong on the server; it has been logged."
NOT_FOUND = "No page here: check the id or the address."


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
