"""The commands that decide what is watched: `redline remove`, `redline pause`, `redline resume`.

An edge of the program over `monitor.watching` (which the watch desk uses too): articles (by
URL or id), sources (`--source`, by id or URL) and whole sites (`--site`, pause and resume
only). Removing stops the checks and keeps the history; `--purge` deletes an article's history
too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from monitor import store, watching
from monitor.errors import DatabaseError, RedlineError
from monitor.store.lookup import REF_HELP


def _db(ctx: click.Context) -> Any:
    path = Path(ctx.find_root().obj["db"])
    if not path.is_file():
        raise DatabaseError(f"no database at {path} (create one with `redline init`)")
    return store.open_db(path)


def _apply(
    ctx: click.Context,
    ref: str | None,
    source: str | None,
    site: str | None,
    state: str,
    purge: bool,
) -> None:
    if len([x for x in (ref, source, site) if x]) != 1:
        raise click.UsageError("give one of URL|ID, --source or --site")
    db = _db(ctx)
    try:
        lines = watching.set_state(
            db, state, ref=ref or "", source=source or "", site=site or "", purge=purge
        )
    finally:
        db.close()
    for line in lines:
        click.echo(line)


def _options(func: Any) -> Any:
    func = click.option("--source", help="A source, by its id (`redline sources`) or URL.")(func)
    func = click.argument("ref", metavar="[URL|ID]", required=False)(func)
    return func


@click.command(
    name="remove",
    help=f"Stop watching an article (URL|ID: {REF_HELP}) or a source "
    "and the articles it found; the history is kept unless --purge.",
)
@_options
@click.option(
    "--purge", is_flag=True, help="Also delete the stored history (versions, edits, raw pages)."
)
@click.pass_context
def remove_command(ctx: click.Context, ref: str | None, source: str | None, purge: bool) -> None:
    try:
        _apply(ctx, ref, source, None, "removed", purge)
    except RedlineError as error:
        raise click.ClickException(str(error)) from error


@click.command(
    name="pause",
    help=f"Stop checking an article (URL|ID: {REF_HELP}), a source and "
    "its articles, or a whole site, until `redline resume`.",
)
@_options
@click.option("--site", help="A site: a host name (any port) or host:port.")
@click.pass_context
def pause_command(
    ctx: click.Context, ref: str | None, source: str | None, site: str | None
) -> None:
    try:
        _apply(ctx, ref, source, site, "paused", False)
    except RedlineError as error:
        raise click.ClickException(str(error)) from error


@click.command(name="resume", help="Watch again what `redline pause` or `redline remove` stopped.")
@_options
@click.option("--site", help="A site: a host name (any port) or host:port.")
@click.pass_context
def resume_command(
    ctx: click.Context, ref: str | None, source: str | None, site: str | None
) -> None:
    try:
        _apply(ctx, ref, source, site, "on", False)
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
