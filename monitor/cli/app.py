"""`redline`: a thin click layer over the library. Library errors become one line and exit 1."""

from __future__ import annotations

import dataclasses
import importlib
import json
import logging
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from sqlite_utils import Database

from monitor import store, watching
from monitor.cli import render
from monitor.cli.crawl_options import DURATION_HELP, crawl_options, crawl_settings, duration
from monitor.cli.rendering import rendered_lines, set_render, set_screenshot
from monitor.compare.edit import KINDS, Edit, is_stealth, summarize
from monitor.crawl import (
    ROUND_OUTCOMES_LINE,
    STORAGE_ERROR_EXIT,
    STORAGE_ERROR_LINE,
    UNCHANGED_SO_FAR_LINE,
)
from monitor.errors import (
    ConfigError,
    DatabaseError,
    InputFileError,
    RedlineError,
    StorageError,
)
from monitor.escapes import escape_logs
from monitor.extract.article import Article
from monitor.fetch.policy import parse_duration
from monitor.fetch.rendering import RENDER_MODES
from monitor.fetch.sources import load_sources
from monitor.fetch.urls import check_url
from monitor.fetch.watch_list import WatchEntry, load_watch_list, parse_tags, write_watch_list
from monitor.ids import MAX_ID
from monitor.store import tags as store_tags
from monitor.store import watch as store_watch
from monitor.store.lookup import find_target

DEFAULT_DB = "data/redline.db"
F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn Redline's typed errors into one clear line and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RedlineError as error:
            raise click.ClickException(str(error)) from error

    return wrapper  # type: ignore[return-value]


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _since(value: str) -> datetime:
    """`--since`: an ISO 8601 date or time, or a duration back from now (`1d`, `12h`)."""
    try:
        return _as_utc(datetime.fromisoformat(value))
    except ValueError:
        pass
    try:
        return store.utc_now() - parse_duration(value)
    except ConfigError as error:
        raise click.BadParameter(
            f"not an ISO 8601 date or time, nor a duration such as 1d: {value!r}",
            param_hint="--since",
        ) from error


# Width of output that is not a terminal: wide enough that URLs and marked diffs are never cut
# (rich's default is 80 columns, where a table's text column was 12 characters wide).
PIPE_WIDTH = 400


def _console() -> Console:
    """Piped output gets a wide line instead of rich's 80-column default; `--no-color` (or
    NO_COLOR) turns colour off."""
    ctx = click.get_current_context(silent=True)
    no_color = bool(ctx and (ctx.find_root().obj or {}).get("no_color"))
    width = None if sys.stdout.isatty() else PIPE_WIDTH
    if no_color:
        return Console(highlight=False, width=width, color_system=None)
    return Console(highlight=False, width=width)


def _marks(console: Console) -> bool:
    return render.wants_marks(console)


def _zone() -> tzinfo:
    """The zone times are shown in (`--tz`, else TZ, else UTC)."""
    ctx = click.get_current_context(silent=True)
    zone = (ctx.find_root().obj or {}).get("zone") if ctx else None
    return zone if isinstance(zone, tzinfo) else UTC


def _db_path(ctx: click.Context) -> Path:
    """The database's path; a directory given with --db must exist already (a typo in a path is
    not a request to create directories)."""
    path = Path(ctx.find_root().obj["db"])
    if str(path) != DEFAULT_DB and not path.parent.is_dir():
        raise DatabaseError(f"no directory {path.parent} for the database {path.name}")
    return path


def _open(ctx: click.Context) -> Any:
    """The database, created if need be (see `_db_path`)."""
    return store.open_db(_db_path(ctx))


def _open_existing(ctx: click.Context) -> Any:
    """For commands that only read or change what is tracked: a missing file is a mistake (a
    typo in --db), not a new empty database."""
    path = Path(ctx.obj["db"])
    if not path.is_file():
        raise DatabaseError(f"no database at {path} (create one with `redline init`)")
    return store.open_db(path)


# The commands other modules define, each imported when it is named (`redline serve` then loads
# neither the cluster's commands nor the archive's) or when every command is listed (`--help`).
OTHER_COMMANDS = {
    "serve": "monitor.web.serve:serve_command",
    "alerts": "monitor.cli.admin:alerts_command",
    "config": "monitor.cli.admin:config_command",
    "cluster": "monitor.cluster.commands:cluster_command",
    "worker": "monitor.cluster.commands:worker_command",
    "show": "monitor.cli.evidence:show_command",
    "export": "monitor.cli.evidence:export_command",
    "remove": "monitor.cli.watchlist:remove_command",
    "pause": "monitor.cli.watchlist:pause_command",
    "resume": "monitor.cli.watchlist:resume_command",
    "backfill": "monitor.archive.command:backfill_command",
}


class CommandGroup(click.Group):
    """`redline`'s group: its own commands, and those of `OTHER_COMMANDS` loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *OTHER_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in OTHER_COMMANDS and cmd_name not in self.commands:
            module, name = OTHER_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup)
@click.option(
    "--db",
    envvar="REDLINE_DB",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite database file (env REDLINE_DB).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.option(
    "--no-color",
    is_flag=True,
    help="No colour; word diffs marked [-old-]{+new+} (also when output is not a terminal).",
)
@click.option(
    "--config",
    "config_path",
    envvar="REDLINE_CONFIG",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML configuration file: alert rules and targets, serve options (env REDLINE_CONFIG).",
)
@click.option(
    "--tz",
    "tz_name",
    envvar="TZ",
    help="Show times in this zone: UTC (default), local, or a name such as Europe/Paris (env TZ).",
)
@click.version_option(package_name="redline")
@click.pass_context
def cli(
    ctx: click.Context,
    db: Path,
    verbose: bool,
    no_color: bool,
    config_path: Path | None,
    tz_name: str | None,
) -> None:
    """Redline: watch news articles and say exactly what the newsroom changed."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    escape_logs()  # a site's text in a log line: escaped, on one line
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["config"] = config_path
    ctx.obj["no_color"] = no_color
    try:
        ctx.obj["zone"] = render.zone_named(tz_name)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--tz") from error


@cli.command()
@click.pass_context
@friendly
def init(ctx: click.Context) -> None:
    """Create the database (or bring its schema up to date)."""
    _open(ctx).close()
    click.echo(f"database ready: {ctx.obj['db']}")


CLUSTER_HELP = (
    "PostgreSQL URL of a Redline cluster: work there instead, each article or source in the "
    "shard of its domain (as `redline cluster add` and `cluster sources`)."
)


def _not_both_db_and_pg(ctx: click.Context) -> None:
    if ctx.find_root().get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--db and --pg: a database file or a cluster, not both")


@cli.command()
@click.argument("urls", metavar="URL...", nargs=-1)
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also add the URLs of this watch list: one URL a line, a CSV with url, kind, match and "
    "tags columns, a TOML of [[article]] and [[source]] tables, or OPML feeds.",
)
@click.option(
    "--feed",
    "kind",
    flag_value="feed",
    help="Each URL is an RSS or Atom feed to discover articles from.",
)
@click.option(
    "--sitemap",
    "kind",
    flag_value="sitemap",
    help="Each URL is a sitemap, sitemap index, Google News sitemap or robots.txt.",
)
@click.option(
    "--section",
    "kind",
    flag_value="section",
    help="Each URL is a front or section page; links matching --match are articles.",
)
@click.option("--match", default="", help="Regex an article link must match (with --section).")
@click.option(
    "--render",
    "render_mode",
    type=click.Choice(RENDER_MODES),
    help="Read the article's site, or the source's articles, in a browser (or static again).",
)
@click.option(
    "--screenshot/--no-screenshot",
    default=None,
    help="Keep a screenshot of the rendered page with each new version (site or source).",
)
@click.option("--tag", "tags", default="", help="Comma-separated tags for what is added.")
@click.option("--pg", "pg_url", metavar="URL", help=CLUSTER_HELP)
@click.pass_context
@friendly
def add(
    ctx: click.Context,
    urls: tuple[str, ...],
    from_file: Path | None,
    kind: str | None,
    match: str,
    tags: str,
    render_mode: str | None,
    screenshot: bool | None,
    pg_url: str | None,
) -> None:
    """Track article URLs, or add sources of articles (--feed, --sitemap, --section); all or
    nothing: one bad URL and none is added."""
    if pg_url and (render_mode or screenshot is not None or tags):
        raise click.UsageError("--render, --screenshot and --tag are not available with --pg")
    if pg_url:
        _not_both_db_and_pg(ctx)
    if not urls and from_file is None:
        raise click.UsageError("give at least one URL, or --from FILE")
    if match and kind != "section":
        raise click.UsageError("--match goes with --section")
    given = parse_tags(tags)
    entries = [WatchEntry(url, kind or "article", match, given) for url in urls]
    if from_file is not None:
        entries += [
            dataclasses.replace(e, tags=tuple(dict.fromkeys(e.tags + given)))
            for e in load_watch_list(from_file)
        ]
    if pg_url:
        for line in _add_to_cluster(pg_url, entries):
            click.echo(line)
        return
    db = _open(ctx)
    try:
        for line in watching.add_entries(db, entries, store.utc_now()):
            click.echo(line)
        if render_mode or screenshot is not None:
            for line in _set_rendering(db, entries, render_mode, screenshot):
                click.echo(line)
    finally:
        db.close()


def _add_to_cluster(pg_url: str, entries: list[WatchEntry]) -> list[str]:
    """`add --pg`: every entry checked first (all or nothing), then each group of one kind and
    match pattern added to the cluster, a line each. The cluster keeps no tags."""
    from monitor.cluster.commands import add_to_cluster, refuse_rendering

    for entry in entries:
        if entry.tags:
            raise click.UsageError(f"tags are not available with --pg (tagged: {entry.url})")
    refuse_rendering([(e.url, bool(e.render or e.screenshot)) for e in entries])
    watching.check_entries(entries)
    groups: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        groups.setdefault((entry.kind, entry.match), []).append(entry.url)
    return [
        add_to_cluster(pg_url, group, None if kind == "article" else kind, match)
        for (kind, match), group in groups.items()
    ]


def _set_rendering(
    db: Database, entries: list[WatchEntry], render_mode: str | None, screenshot: bool | None
) -> list[str]:
    """`add --render/--screenshot`: the site of each article, or each source's articles."""
    lines = []
    for item in watching.check_entries(entries):
        source_id = None
        url = item.key
        if item.entry.kind != "article":
            source_id = int(store_watch.find_source(db, url)["id"])
        if render_mode:
            lines.append(set_render(db, url, source_id, render_mode))
        if screenshot is not None:
            lines.append(set_screenshot(db, url, source_id, screenshot))
    return lines


@cli.command()
@click.option("--tag", "tag_name", default="", help="Only what carries this tag.")
@click.option(
    "--state",
    type=click.Choice(["on", "paused", "removed"]),
    help="Only articles in this state (on: watched).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--export",
    "export_format",
    type=click.Choice(["csv", "toml", "opml"]),
    help="Print the watch list instead (what is watched or paused, sources and articles, with "
    "their tags), as `redline add --from FILE` reads it; opml: the feeds.",
)
@click.pass_context
@friendly
def articles(
    ctx: click.Context, tag_name: str, state: str | None, as_json: bool, export_format: str | None
) -> None:
    """List the tracked articles, newest first: id, state, site, tags, last check, versions."""
    db = _open_existing(ctx)
    try:
        tag_name = ",".join(parse_tags(tag_name))
        if export_format is not None:
            entries = watching.export_entries(db, tag_name)
            click.echo(write_watch_list(entries, export_format), nl=False)
            return
        rows = store_tags.watch_listing(db, tag=tag_name, state=state or "")
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no articles" + (" with that tag or state" if tag_name or state else ""))
        return
    console = _console()
    console.print(render.articles_table(rows, _zone(), marks=_marks(console)))


@cli.command()
@click.argument("tags")
@click.argument("ref", metavar="[URL|ID]", required=False)
@click.option("--source", help="Tag a source instead, by its id (`redline sources`) or URL.")
@click.option("--remove", is_flag=True, help="Take the tags off instead.")
@click.pass_context
@friendly
def tag(ctx: click.Context, tags: str, ref: str | None, source: str | None, remove: bool) -> None:
    """Tag an article (URL|ID: a URL, a change id or an article id such as a3) or a source
    (--source) with comma-separated TAGS: `redline tag council a3`; `redline articles --tag
    council` lists what carries one."""
    if source and ref:
        raise click.UsageError("give URL|ID or --source, not both")
    db = _open_existing(ctx)
    try:
        for line in watching.tag(db, tags, ref=ref or "", source=source or "", remove=remove):
            click.echo(line)
    finally:
        db.close()


# How far back `redline sources` counts each site's checks.
SITE_HEALTH_WINDOW = timedelta(days=1)


@cli.command()
@click.option(
    "--load",
    "load_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Add the sources declared in this TOML file first.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--pg", "pg_url", metavar="URL", help=CLUSTER_HELP)
@click.pass_context
@friendly
def sources(ctx: click.Context, load_file: Path | None, as_json: bool, pg_url: str | None) -> None:
    """List the sources articles are discovered from, what is paused or removed, and per site
    how its last day of checks went."""
    if pg_url:
        from monitor.cluster.commands import show_cluster_sources

        _not_both_db_and_pg(ctx)
        show_cluster_sources(pg_url, load_file, as_json)
        return
    db = _open(ctx) if load_file is not None else _open_existing(ctx)
    if load_file is not None:
        specs = load_sources(load_file)
        added = 0
        for spec in specs:
            source, created = store.add_source(db, spec.kind, spec.url, spec.match, store.utc_now())
            added += created
            if spec.render:
                set_render(db, spec.url, int(source["id"]), spec.render)
            if spec.screenshot:
                set_screenshot(db, spec.url, int(source["id"]), True)
        click.echo(f"{added} source(s) added from {load_file}", err=as_json)
    rows = store.all_sources(db)
    # Per site, how the last day's checks went: a site that stops serving us shows here.
    health = store.site_health(db, store.utc_now() - SITE_HEALTH_WINDOW)
    if as_json:
        for row in rows:
            row["site_checks"] = health.get(store.site_of(row["url"]))
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no sources (add one with `redline add URL --feed`)")
    else:
        _console().print(render.sources_table(rows, _zone()))
    if health:
        _console().print(render.site_health_table(health.values(), _zone()))
    stopped = store_watch.stopped_summary(db)
    if stopped:
        click.echo(stopped)
    for line in rendered_lines(db):
        click.echo(line)


def _read(path: Path) -> bytes:
    """A page file named on the command line, refused past `store.MAX_PAGE_BYTES` before it is
    read: a bigger page could be stored but never read back (nor should it fill the memory)."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            raw = b"" if size > store.MAX_PAGE_BYTES else file.read(store.MAX_PAGE_BYTES + 1)
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror or error}") from error
    if max(size, len(raw)) > store.MAX_PAGE_BYTES:  # `len`: a pipe or a file that grew
        raise InputFileError(
            f"{path} is over {store.MAX_PAGE_BYTES // 2**20} MiB, the most a stored page holds: "
            "not read"
        )
    return raw


def _is_html(raw: bytes) -> bool:
    head = raw[:2048].lower()
    return b"<html" in head or b"<!doctype" in head or b"<body" in head or b"<p>" in head


def _load_article(path: Path, raw: bytes | None = None) -> Article:
    """An HTML file is extracted; anything else is plain text: first line the headline."""
    raw = _read(path) if raw is None else raw
    if _is_html(raw):
        from monitor.extract.extraction import extract_article  # the extractor: its commands only

        return extract_article(raw, url=None)
    text = raw.decode("utf-8", errors="replace")
    title, _, body = text.partition("\n")
    if path.suffix.lower() in (".txt", ".text", "") and body.strip():
        return Article(title=title.strip(), body=body.strip())
    return Article(body=text.strip())


PATH = click.Path(path_type=Path, dir_okay=False)


@cli.command()
@click.argument("file", type=PATH)
@click.option("--url", help="The page's URL (helps metadata extraction).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def extract(file: Path, url: str | None, as_json: bool) -> None:
    """Extract the article from a saved HTML FILE."""
    from monitor.extract.extraction import extract_article

    article = extract_article(_read(file), url=url)
    if article.is_empty():
        raise InputFileError(f"no article found in {file} (is it a saved HTML page?)")
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(article), ensure_ascii=False, indent=2))
        return
    console = _console()
    console.print(render.plain(article.title, "bold"))
    if article.byline:
        console.print(render.plain(f"by {article.byline}"))
    if article.published:
        console.print(
            render.plain(f"published {article.published}  modified {article.modified or '-'}")
        )
    console.print()
    console.print(render.plain(article.body))


@cli.command(name="compare")
@click.argument("old", type=PATH)
@click.argument("new", type=PATH)
@click.option("--url", help="The page's URL, as a crawl would have fetched it (HTML files).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@friendly
def compare_command(old: Path, new: Path, url: str | None, as_json: bool) -> None:
    """Compare two versions (HTML or plain-text files; a text file's first line is the headline).
    Two HTML files are compared exactly as the crawl compares a page with its last version."""
    outcome, edits = _compare_files(old, new, url)
    if as_json:
        payload = {
            "outcome": outcome,
            "changed": bool(edits),
            "summary": summarize(edits) if edits else "",
            "stealth": is_stealth(edits),
            "edits": [dataclasses.asdict(e) for e in edits],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console = _console()
    if not edits:
        console.print("no edits" + (f" ({outcome})" if outcome not in ("", "new_version") else ""))
        return
    console.print(
        f"[bold]{summarize(edits)}[/bold]"
        + ("  [yellow](stealth)[/yellow]" if is_stealth(edits) else "")
    )
    console.print(render.compare_table(edits, _marks(console)))


def _compare_files(old: Path, new: Path, url: str | None) -> tuple[str, list[Edit]]:
    """The check outcome ("" for text files) and the edits from OLD to NEW. Two HTML files go
    through the crawl's own path (`monitor.record.pair`); a text file has no page to check."""
    old_raw, new_raw = _read(old), _read(new)
    if not (_is_html(old_raw) and _is_html(new_raw)):
        from monitor.compare.comparison import compare

        return "", compare(_load_article(old, old_raw), _load_article(new, new_raw))
    from monitor.record.pair import compare_pages
    from monitor.record.versions import RawPage

    pair = compare_pages(RawPage(old_raw), RawPage(new_raw), url or "")
    if pair.first_outcome != "new_article":
        raise InputFileError(f"no article found in {old}: {pair.first_outcome}")
    if pair.outcome in ("error", "blocked", "extraction_failed"):
        raise InputFileError(f"no article compared in {new}: {pair.outcome}: {pair.reason}")
    return pair.outcome, list(pair.edits)


@cli.command()
@click.argument("url", metavar="URL|ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def history(ctx: click.Context, url: str, as_json: bool) -> None:
    """List the stored versions of an article and what changed in each (URL|ID: a URL, a
    change id such as 12, or an article id such as a3)."""
    db = _open_existing(ctx)
    article = find_target(db, url).article
    versions = store.versions_of(db, article["id"])
    changes = store.changes_of(db, article["id"])
    if as_json:
        payload = {
            "article_id": article["id"],
            "url": article["url"],
            "status": article["status"],
            "versions": [
                {k: v for k, v in version.items() if k not in ("body",)}
                | {"words": len((version["body"] or "").split())}
                for version in versions
            ],
            "changes": changes,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        return
    _console().print(
        render.history_table(
            article["url"], versions, changes, article_id=int(article["id"]), zone=_zone()
        )
    )


@cli.command()
@click.argument("url", metavar="URL|ID")
@click.option(
    "--from",
    "from_seq",
    type=click.IntRange(1, MAX_ID),
    help="Older version number (default: the one before --to).",
)
@click.option(
    "--to",
    "to_seq",
    type=click.IntRange(1, MAX_ID),
    help="Newer version number (default: the latest).",
)
@click.pass_context
@friendly
def diff(ctx: click.Context, url: str, from_seq: int | None, to_seq: int | None) -> None:
    """Show a word diff between two versions of an article (URL|ID: a URL, a change id such as
    12, that change's two versions, or an article id such as a3)."""
    db = _open_existing(ctx)
    target = find_target(db, url)
    article = target.article
    latest = store.latest_version(db, article["id"])
    if latest is None:
        raise click.ClickException(f"no version of {article['url']} stored yet")
    if target.change is not None and from_seq is None and to_seq is None:
        from_seq = target.change["old_seq"] or target.change["new_seq"]
        to_seq = target.change["new_seq"] or target.change["old_seq"]
    to_seq = int(latest["seq"]) if to_seq is None else to_seq
    from_seq = max(1, to_seq - 1) if from_seq is None else from_seq
    old = store.get_version(db, article["id"], from_seq)
    new = store.get_version(db, article["id"], to_seq)
    from monitor.compare.comparison import compare

    edits = compare(store.article_from_row(old), store.article_from_row(new))
    console = _console()
    marks = _marks(console)
    console.print(render.plain(article["url"], "bold"), f" version {from_seq} → {to_seq}")
    if not edits:
        console.print("no edits")
        return
    console.print(
        f"{summarize(edits)}" + ("  [yellow](stealth)[/yellow]" if is_stealth(edits) else "")
    )
    shown: set[tuple[str, str]] = set()
    for edit in edits:
        key = (edit.old_sentence or edit.old, edit.new_sentence or edit.new)
        if key in shown:
            continue
        shown.add(key)
        console.print()
        console.print(render.plain(edit.kind, "cyan"), render.plain(f"({edit.field})"))
        if key[0] and key[1]:
            console.print(render.diff_text(key[0], key[1], marks))
        elif key[0]:
            console.print(
                render.diff_text(key[0], "", True) if marks else render.plain(key[0], "red strike")
            )
        else:
            console.print(
                render.diff_text("", key[1], True) if marks else render.plain(key[1], "green")
            )


@cli.command()
@click.option(
    "--since",
    help="Only edits detected at or after this time (ISO 8601, e.g. 2026-11-01) or this long "
    "ago (a duration: 1d, 12h).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KINDS),
    help="Only these kinds (repeatable).",
)
@click.option(
    "--site", help="Only this site (host name, e.g. www.example.com; any port unless given)."
)
@click.option("--url", help="Only this article.")
@click.option("--tag", "tag_name", default="", help="Only articles with this tag (`redline tag`).")
@click.option(
    "--all", "include_minor", is_flag=True, help="Include minor edits (cosmetic, typos, moves)."
)
@click.option("--limit", type=click.IntRange(1, MAX_ID), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def edits(
    ctx: click.Context,
    since: str | None,
    kinds: tuple[str, ...],
    site: str | None,
    url: str | None,
    tag_name: str,
    include_minor: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List detected edits, newest first (significant ones unless --all or --kind)."""
    tag_name = ",".join(parse_tags(tag_name))
    if since is not None:
        since = store.stamp(_since(since))
    db = _open_existing(ctx)
    rows = store.list_edits(
        db,
        since=since,
        kinds=kinds,
        site=site,
        url=check_url(url) if url else None,
        significant_only=not include_minor and not kinds,
        limit=limit,
        tag=tag_name,
    )
    if as_json:
        for row in rows:
            row["reasons"] = json.loads(row["reasons"] or "[]")
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no edits found")
        return
    console = _console()
    console.print(render.edits_table(rows, marks=_marks(console), zone=_zone()))


@cli.command()
@click.option("--all", "check_all", is_flag=True, help="Check every tracked article, due or not.")
@click.option("--url", help="Check this one URL (tracked first if new).")
@click.pass_context
@friendly
def check(ctx: click.Context, check_all: bool, url: str | None) -> None:
    """Run one check round now (`scrapy crawl check` in a subprocess), with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from monitor.crawl import BUSY_EXIT, REFUSED_EXIT, REFUSED_LINE, follow_crawl
    from monitor.store.rounds import round_mark, round_report

    args = {"all": "true"} if check_all else {}
    if url:
        args["url"] = check_url(url)
    try:
        db = store.open_db_for_round(_db_path(ctx))
    except StorageError as error:  # the crawl's reason for it, and its exit status
        raise RoundStopped(
            f"the round stopped: {error}; 0 fetched page(s) dropped, not recorded"
        ) from None
    mark = round_mark(db)
    outcomes: Counter[str] = Counter()
    tail: list[str] = []
    stopped: re.Match[str] | None = None
    lines = follow_crawl("check", ctx.obj["db"], args)
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("", total=None)
        code = 0
        while True:
            try:
                line = next(lines)
            except StopIteration as done:
                code = int(done.value or 0)
                break
            tail = [*tail[-30:], line.rstrip()]
            if match := _STORAGE_ERROR.search(line):
                stopped = match
            elif match := _ROUND_SIZE.search(line):
                progress.update(task, total=int(match.group(1)))
            elif count_outcomes(line, outcomes):
                progress.update(
                    task,
                    completed=outcomes.total(),
                    description=", ".join(
                        f"{name} {count}" for name, count in sorted(outcomes.items())
                    ),
                )
    if code == BUSY_EXIT:  # a shard file another crawl holds: one line saying who
        busy = next((m.group(1) for line in tail if (m := _BUSY.search(line))), "")
        raise click.ClickException(busy or "the database is being crawled by another process")
    refused = next((m.group(1) for line in tail if (m := REFUSED_LINE.search(line))), "")
    if code == REFUSED_EXIT and refused:  # refused since the open above (a newer Redline...)
        raise click.ClickException(refused)
    # The summary counts the rows the round wrote (the progress bar reads the log as it comes).
    click.echo(round_report(db, mark).outcome_line())
    if stopped is not None:  # one clear line: what SQLite said, how many pages were lost
        raise RoundStopped(
            f"the round stopped: {stopped.group(1)}; "
            f"{stopped.group(2)} fetched page(s) dropped, not recorded"
        )
    if code != 0:
        click.echo("\n".join(tail), err=True)
        raise click.ClickException(f"the crawl failed (exit {code})")


class RoundStopped(click.ClickException):
    """A storage error stopped the round: one line, and `scrapy crawl`'s own exit status for it."""

    exit_code = STORAGE_ERROR_EXIT


# Lines of the crawl's log that the progress display reads (spider and pipeline messages).
_ROUND_SIZE = re.compile(r"\bchecking (\d+) article\(s\)")
_OUTCOME = re.compile(r"\[crawler\.pipelines\] INFO: ([a-z_]+): ")
_STORAGE_ERROR = STORAGE_ERROR_LINE


def count_outcomes(line: str, outcomes: Counter[str]) -> bool:
    """Count the pages a line of the crawl's log reports by outcome (whether it reports any): a
    page's own line, the unchanged pages so far (logged at DEBUG one by one), the round's end."""
    if match := _OUTCOME.search(line):
        outcomes[match.group(1)] += 1
    elif match := UNCHANGED_SO_FAR_LINE.search(line):
        outcomes["unchanged"] = int(match.group(1))
    elif match := ROUND_OUTCOMES_LINE.search(line):
        outcomes.clear()
        for count in match.group(1).split(", "):
            n, _, outcome = count.partition(" ")
            outcomes[outcome] = int(n)
    else:
        return False
    return True


_BUSY = re.compile(r"ERROR: nothing checked: (.*)")


@cli.command()
@click.option("--url", help="Only this article.")
@click.pass_context
@friendly
def reextract(ctx: click.Context, url: str | None) -> None:
    """Re-extract versions made by an older extractor from their raw pages (also automatic)."""
    from monitor.record.reextract import reextract_all

    db = _open(ctx)
    article_id = int(store.require_article(db, check_url(url))["id"]) if url else None
    stats = reextract_all(db, article_id=article_id)
    for line in stats.damaged:  # each one skipped, named; the others were re-extracted
        click.echo(line, err=True)
    click.echo(
        f"{stats.checked} stale version(s): {stats.reextracted} re-extracted, "
        f"{stats.text_changed} with different text, {stats.changes_recomputed} change(s) "
        f"recomputed, {stats.skipped_no_snapshot} without a raw page"
        + (f", {stats.capped_kept} capped change(s) kept" if stats.capped_kept else "")
        + (f", {len(stats.damaged)} skipped (damaged)" if stats.damaged else "")
    )
    if stats.damaged:
        raise click.ClickException(
            f"{len(stats.damaged)} version(s) skipped: their stored page cannot be read"
        )


@cli.command()
@click.option(
    "--check-every",
    default="5m",
    show_default=True,
    callback=duration,
    help="How often a check round runs. " + DURATION_HELP,
)
@click.option(
    "--discover-every",
    default="15m",
    show_default=True,
    callback=duration,
    help="How often sources are read for new articles. " + DURATION_HELP,
)
@click.option(
    "--revisit",
    callback=duration,
    help="Check every article at this fixed interval instead of the age-based tiers.",
)
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="TOML sources file, re-read before every discovery round.",
)
@click.option(
    "--crawl-timeout",
    default="30m",
    show_default=True,
    callback=duration,
    help="Stop a round's crawl after this long.",
)
@crawl_options
@click.pass_context
@friendly
def daemon(
    ctx: click.Context,
    check_every: timedelta,
    discover_every: timedelta,
    revisit: timedelta | None,
    sources_file: Path | None,
    crawl_timeout: timedelta,
    log_file: Path | None,
    allow_private: bool,
    extra: tuple[str, ...],
) -> None:
    """Run discovery and check rounds on a schedule until SIGTERM or Ctrl-C."""
    from monitor.daemon import Daemon, DaemonConfig

    if sources_file is not None:
        load_sources(sources_file)  # fail now, with one line, rather than at the first round
    settings = crawl_settings(extra, allow_private)
    _open(ctx).close()
    logging.getLogger().setLevel(logging.INFO)
    if not ctx.find_root().params.get("verbose"):
        # APScheduler logs "Running job…" and "executed successfully" at INFO for every job of
        # every round; its warnings and errors (missed or failed rounds) still show.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    config = DaemonConfig(
        db_path=ctx.obj["db"],
        check_every=check_every,
        discover_every=discover_every,
        revisit=revisit,
        sources_file=sources_file,
        crawl_timeout=crawl_timeout,
        log_file=log_file,
        settings=settings,
        config_path=ctx.obj.get("config"),
    )
    sys.exit(Daemon(config).run())


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port for the demo site (0: any free port).",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Only serve the demo site, in the foreground until Ctrl-C (for a daemon to watch).",
)
@click.option(
    "--next-edition-every",
    callback=duration,
    help="With --serve: publish the site's next edition this often (editions 2 to 4). "
    + DURATION_HELP,
)
@click.pass_context
@friendly
def demo(ctx: click.Context, port: int, serve: bool, next_edition_every: timedelta | None) -> None:
    """Crawl the embedded demo news site twice and show the edits found (or, with --serve, only
    serve the site)."""
    from monitor.demo.job import run_demo

    if serve:
        from monitor.demo.live import serve_demo

        sys.exit(serve_demo(port, next_edition_every, lambda line: click.echo(line)))
    if next_edition_every is not None:
        raise click.UsageError("--next-edition-every needs --serve")
    sys.exit(run_demo(ctx.obj["db"], port=port, console=_console()))


def main() -> None:
    cli(prog_name="redline")
