"""`redline`: a thin click layer over the library. Library errors become one line and exit 1."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from monitor import render, store
from monitor.compare.comparison import compare
from monitor.compare.edit import KINDS, Edit, is_stealth, summarize
from monitor.crawl import STORAGE_ERROR_LINE
from monitor.crawl_options import DURATION_HELP, crawl_options, duration
from monitor.errors import ConfigError, DatabaseError, InputFileError, RedlineError
from monitor.extract.extraction import Article, extract_article
from monitor.fetch.policy import parse_duration
from monitor.fetch.sources import load_sources, make_source
from monitor.fetch.urls import check_url
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


def _console() -> Console:
    """Piped output gets a readable width instead of rich's 80-column default; `--no-color` (or
    NO_COLOR) turns colour off."""
    ctx = click.get_current_context(silent=True)
    no_color = bool(ctx and (ctx.find_root().obj or {}).get("no_color"))
    if no_color:
        return Console(
            highlight=False, width=None if sys.stdout.isatty() else 140, color_system=None
        )
    return Console(highlight=False, width=None if sys.stdout.isatty() else 140)


def _marks(console: Console) -> bool:
    """Word diffs spelled with `[-old-]{+new+}`: when the output is not a terminal, or has no
    colour, strike-through and colours would be lost and old and new words run together."""
    return not console.is_terminal or console.no_color or console.color_system is None


def _open(ctx: click.Context) -> Any:
    return store.open_db(ctx.obj["db"])


def _open_existing(ctx: click.Context) -> Any:
    """For commands that only read or change what is tracked: a missing file is a mistake (a
    typo in --db), not a new empty database."""
    path = Path(ctx.obj["db"])
    if not path.is_file():
        raise DatabaseError(f"no database at {path} (create one with `redline init`)")
    return store.open_db(path)


@click.group()
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
@click.version_option(package_name="redline")
@click.pass_context
def cli(
    ctx: click.Context, db: Path, verbose: bool, no_color: bool, config_path: Path | None
) -> None:
    """Redline: watch news articles and say exactly what the newsroom changed."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["config"] = config_path
    ctx.obj["no_color"] = no_color


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
@click.argument("url")
@click.option(
    "--feed",
    "kind",
    flag_value="feed",
    help="URL is an RSS or Atom feed to discover articles from.",
)
@click.option(
    "--sitemap",
    "kind",
    flag_value="sitemap",
    help="URL is a sitemap, sitemap index, Google News sitemap or robots.txt.",
)
@click.option(
    "--section",
    "kind",
    flag_value="section",
    help="URL is a front or section page; links matching --match are articles.",
)
@click.option("--match", default="", help="Regex an article link must match (with --section).")
@click.option("--pg", "pg_url", metavar="URL", help=CLUSTER_HELP)
@click.pass_context
@friendly
def add(ctx: click.Context, url: str, kind: str | None, match: str, pg_url: str | None) -> None:
    """Track one article URL, or add a source of articles (--feed, --sitemap, --section)."""
    if pg_url:
        from monitor.cluster.commands import add_to_cluster

        _not_both_db_and_pg(ctx)
        click.echo(add_to_cluster(pg_url, url, kind, match))
        return
    db = _open(ctx)
    if kind is None:
        if match:
            raise click.UsageError("--match goes with --section")
        canonical = check_url(url)
        # The canonical form is the key; the URL is fetched as given (servers may answer the
        # canonical form, parameters sorted or re-encoded, with another page).
        _, created = store.track_article(db, canonical, store.utc_now(), fetch_url=url.strip())
        click.echo(f"{'tracking' if created else 'already tracked'}: {canonical}")
        return
    spec = make_source(kind, url, match)
    _, created = store.add_source(db, spec.kind, spec.url, spec.match, store.utc_now())
    click.echo(f"{'added' if created else 'already a'} {spec.kind} source: {spec.url}")


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
        added = sum(store.add_source(db, s.kind, s.url, s.match, store.utc_now())[1] for s in specs)
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
        _console().print(render.sources_table(rows))
    if health:
        _console().print(render.site_health_table(health.values()))
    stopped = store_watch.stopped_summary(db)
    if stopped:
        click.echo(stopped)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror or error}") from error


def _is_html(raw: bytes) -> bool:
    head = raw[:2048].lower()
    return b"<html" in head or b"<!doctype" in head or b"<body" in head or b"<p>" in head


def _load_article(path: Path, raw: bytes | None = None) -> Article:
    """An HTML file is extracted; anything else is plain text: first line the headline."""
    raw = _read(path) if raw is None else raw
    if _is_html(raw):
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
    console.print(article.body, markup=False)


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
        render.history_table(article["url"], versions, changes, article_id=int(article["id"]))
    )


@cli.command()
@click.argument("url", metavar="URL|ID")
@click.option(
    "--from", "from_seq", type=int, help="Older version number (default: the one before --to)."
)
@click.option("--to", "to_seq", type=int, help="Newer version number (default: the latest).")
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
@click.option(
    "--all", "include_minor", is_flag=True, help="Include minor edits (cosmetic, typos, moves)."
)
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@friendly
def edits(
    ctx: click.Context,
    since: str | None,
    kinds: tuple[str, ...],
    site: str | None,
    url: str | None,
    include_minor: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List detected edits, newest first (significant ones unless --all or --kind)."""
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
    console.print(render.edits_table(rows, marks=_marks(console)))


@cli.command()
@click.option("--all", "check_all", is_flag=True, help="Check every tracked article, due or not.")
@click.option("--url", help="Check this one URL (tracked first if new).")
@click.pass_context
@friendly
def check(ctx: click.Context, check_all: bool, url: str | None) -> None:
    """Run one check round now (`scrapy crawl check` in a subprocess), with a progress bar."""
    from monitor.crawl import BUSY_EXIT, follow_crawl
    from monitor.store.rounds import round_mark, round_report

    args = {"all": "true"} if check_all else {}
    if url:
        args["url"] = check_url(url)
    db = _open(ctx)
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
            elif match := _OUTCOME.search(line):
                outcomes[match.group(1)] += 1
                progress.update(
                    task,
                    advance=1,
                    description=", ".join(
                        f"{name} {count}" for name, count in sorted(outcomes.items())
                    ),
                )
    if code == BUSY_EXIT:  # a shard file another crawl holds: one line saying who
        busy = next((m.group(1) for line in tail if (m := _BUSY.search(line))), "")
        raise click.ClickException(busy or "the database is being crawled by another process")
    # The summary counts the rows the round wrote (the progress bar reads the log as it comes).
    click.echo(round_report(db, mark).outcome_line())
    if stopped is not None:  # one clear line: what SQLite said, how many pages were lost
        raise click.ClickException(
            f"the round stopped: {stopped.group(1)}; "
            f"{stopped.group(2)} fetched page(s) dropped, not recorded"
        )
    if code != 0:
        click.echo("\n".join(tail), err=True)
        raise click.ClickException(f"the crawl failed (exit {code})")


# Lines of the crawl's log that the progress display reads (spider and pipeline messages).
_ROUND_SIZE = re.compile(r"\bchecking (\d+) article\(s\)")
_OUTCOME = re.compile(r"\[crawler\.pipelines\] INFO: ([a-z_]+): ")
_STORAGE_ERROR = STORAGE_ERROR_LINE
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
    click.echo(
        f"{stats.checked} stale version(s): {stats.reextracted} re-extracted, "
        f"{stats.text_changed} with different text, {stats.changes_recomputed} change(s) "
        f"recomputed, {stats.skipped_no_snapshot} without a raw page"
        + (f", {stats.capped_kept} capped change(s) kept" if stats.capped_kept else "")
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
    settings = {}
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-s")
        settings[name] = value
    if allow_private:
        settings["REDLINE_ALLOW_PRIVATE"] = "True"
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


from monitor.admin import alerts_command, config_command  # noqa: E402  (other modules)
from monitor.cluster.commands import cluster_command, worker_command  # noqa: E402
from monitor.evidence import export_command, show_command  # noqa: E402
from monitor.watchlist import pause_command, remove_command, resume_command  # noqa: E402
from monitor.web.serve import serve_command  # noqa: E402

cli.add_command(serve_command)
cli.add_command(alerts_command)
cli.add_command(config_command)
cli.add_command(cluster_command)
cli.add_command(worker_command)
cli.add_command(show_command)
cli.add_command(export_command)
cli.add_command(remove_command)
cli.add_command(pause_command)
cli.add_command(resume_command)


def main() -> None:
    cli(prog_name="redline")
