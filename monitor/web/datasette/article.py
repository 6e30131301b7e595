"""The article page, `/-/redline/article/ID`: headline, URL, watch state and tags, every version
with the change that made it (its summary, its edits highlighted, links to its diff and captured
page), a picker to compare any two versions, and the evidence as a WARC download
(`/-/redline/article/ID/evidence.warc.gz`, `?version=N` for one version: the records
`redline export --warc` writes). Also `/-/redline/what-counts-as-an-edit`, the README's section
that the edit tables' legend links to.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata
from typing import Any, TypeVar, cast

from datasette import hookimpl as _hookimpl
from datasette.utils.asgi import BadRequest, NotFound, Response
from markupsafe import Markup
from sqlite_utils import Database

from monitor.cli.evidence import evidence_warc
from monitor.errors import RedlineError
from monitor.ids import parse_id
from monitor.store import desk as store_desk
from monitor.web.datasette import DATABASE, chosen_database, page_link, readable_database
from monitor.web.datasette.access import may_write
from monitor.web.datasette.captures import _read
from monitor.web.datasette.desk import highlighted, read
from monitor.web.datasette.plugin import _int

F = TypeVar("F", bound=Callable[..., Any])
hookimpl = cast(Callable[[F], F], _hookimpl)  # datasette has no type hints


EDITS_SECTION = "What counts as an edit"


def _article_id(request: Any) -> int:
    return _int(request, "article_id")


def _version(raw: str, article_id: int) -> int:
    """A version number from the query string: 400 if it is not one, 404 past SQLite's integers
    (no version has it)."""
    seq = parse_id(raw)
    if seq is not None:
        return seq
    if raw.isascii() and raw.isdigit():
        raise NotFound(f"article {article_id} has no version {raw}")
    raise BadRequest("version must be a version number")


def _highlight_timeline(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        change = row.get("change")
        if change is not None:
            change["edits"] = highlighted(change["edits"])
    return rows


async def article_page(datasette: Any, request: Any) -> Response:
    from monitor.web.datasette.plugin import diff_worker

    article_id = _article_id(request)
    database = chosen_database(datasette, request)

    def gather(db: Database) -> tuple[Any, list[dict[str, Any]]]:
        return store_desk.article(db, article_id), store_desk.timeline(db, article_id)

    article, rows = await read(datasette, request, gather, database)
    if article is None:
        raise NotFound(f"no article {article_id}")
    shown = await diff_worker(datasette).run(_highlight_timeline, rows)
    versions = [row for row in rows if row["kind"] == "version"]
    page = await datasette.render_template(
        "redline_article.html",
        {
            "database": database,
            "link": page_link(datasette, database),
            "article": article,
            "rows": shown if shown is not None else rows,
            "highlighted": shown is not None,
            "versions": versions,
            "may_write": database == DATABASE and await may_write(datasette, request),
            "back": request.path,
        },
        request=request,
    )
    return Response.html(page)


async def evidence_download(datasette: Any, request: Any) -> Response:
    """The article's evidence as a gzipped WARC file: every version and captured page, or
    `?version=N` alone."""
    db = await readable_database(
        datasette, request, "versions", chosen_database(datasette, request)
    )
    article_id = _article_id(request)
    raw = request.args.get("version") or ""
    seq = _version(raw, article_id) if raw else None

    def build(conn: Database) -> bytes | RedlineError:
        try:
            return evidence_warc(conn, f"a{article_id}", seq, every=seq is None)
        except RedlineError as error:
            return error

    body = await _read(datasette, db, build)
    if isinstance(body, RedlineError):
        raise NotFound(str(body))
    name = f"redline-a{article_id}" + (f"-v{seq}" if seq else "-all") + ".warc.gz"
    return Response(
        body,
        content_type="application/warc",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


async def compare_pick(datasette: Any, request: Any) -> Response:
    """/-/redline/article/ID/compare?from=N&to=M: the picker's answer, the compare page."""
    article_id = _article_id(request)
    link = page_link(datasette, chosen_database(datasette, request))
    picked = [request.args.get(name) or "" for name in ("from", "to")]
    if not all(picked):
        raise BadRequest("choose two version numbers")
    first, second = sorted(_version(value, article_id) for value in picked)
    return Response.redirect(link(f"/-/redline/compare/{article_id}/{first}/{second}"))


@cache
def _readme() -> str:
    try:
        meta = metadata("redline")
    except PackageNotFoundError:
        return ""
    return str(meta.get_payload() or meta.get("Description") or "")  # type: ignore[attr-defined]


def _inline(text: str) -> Markup:
    """Escaped Markdown text with its `code` spans and [links](#…) to sections kept as text."""
    escaped = html.escape(text)
    escaped = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", escaped)
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def readme_section(readme: str, title: str) -> list[Any]:
    """A README section as paragraphs and tables of escaped text: [("p", Markup)] and
    [("table", header, rows)]."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if match is None:
        return []
    blocks: list[Any] = []
    for chunk in re.split(r"\n\s*\n", match.group(1).strip()):
        lines = chunk.strip().splitlines()
        if lines and all(line.startswith("|") for line in lines):
            cells = [[c.strip() for c in line.strip("|").split("|")] for line in lines]
            body = [row for row in cells[1:] if not all(set(c) <= set("-: ") for c in row)]
            blocks.append(
                ("table", [_inline(c) for c in cells[0]], [[_inline(c) for c in r] for r in body])
            )
        elif lines and not lines[0].startswith("#"):
            blocks.append(("p", _inline(" ".join(lines))))
    return blocks


async def edits_explained(datasette: Any, request: Any) -> Response:
    blocks = readme_section(_readme(), EDITS_SECTION)
    page = await datasette.render_template(
        "redline_help.html",
        {"database": DATABASE, "title": EDITS_SECTION, "blocks": blocks},
        request=request,
    )
    return Response.html(page)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/redline/article/(?P<article_id>\d+)$", article_page),
        (r"^/-/redline/article/(?P<article_id>\d+)/evidence\.warc\.gz$", evidence_download),
        (r"^/-/redline/article/(?P<article_id>\d+)/compare$", compare_pick),
        (r"^/-/redline/what-counts-as-an-edit$", edits_explained),
    ]
