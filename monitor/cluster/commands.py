"""`redline cluster ...` and `redline worker`: the click layer of the cluster.

procrastinate, psycopg and tldextract are imported inside the commands, so the single-machine
commands never load them."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from monitor.cli.crawl_options import crawl_options, crawl_settings, duration
from monitor.cluster.crawls import DEFAULT_SHARDS_PER_CRAWL
from monitor.errors import RedlineError

PG_HELP = "PostgreSQL URL of the cluster, e.g. postgresql://user@host/redline (env REDLINE_PG)."


def _fail(error: RedlineError) -> click.ClickException:
    return click.ClickException(str(error))


@click.group(name="cluster")
@click.option("--pg", "pg_url", envvar="REDLINE_PG", required=True, help=PG_HELP)
@click.pass_context
def cluster_command(ctx: click.Context, pg_url: str) -> None:
    """Run Redline on many machines: PostgreSQL coordinates, SQLite shards store."""
    ctx.ensure_object(dict)
    ctx.obj["pg"] = pg_url


@cluster_command.command(name="init")
@click.option(
    "--dir",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the shard files, reached by every node.",
)
@click.option("--shards", type=click.IntRange(1, 4096), default=64, show_default=True)
@click.option("--check-every", default="5m", show_default=True, callback=duration)
@click.option("--discover-every", default="15m", show_default=True, callback=duration)
@click.option("--crawl-timeout", default="30m", show_default=True, callback=duration)
@click.option("--stall-timeout", default="1m", show_default=True, callback=duration)
@click.option("--rollup-every", default="1m", show_default=True, callback=duration)
@click.option("--revisit", callback=duration, help="One fixed revisit interval for every article.")
@click.pass_context
def init_command(
    ctx: click.Context,
    directory: Path,
    shards: int,
    check_every: timedelta,
    discover_every: timedelta,
    crawl_timeout: timedelta,
    stall_timeout: timedelta,
    rollup_every: timedelta,
    revisit: timedelta | None,
) -> None:
    """Create procrastinate's schema and Redline's tables (again: update the settings)."""
    from monitor.cluster import coordination
    from monitor.cluster.tasks import make_app

    config = coordination.ClusterConfig(
        directory=directory.resolve(),
        shards=shards,
        check_every=check_every,
        discover_every=discover_every,
        crawl_timeout=crawl_timeout,
        stall_timeout=stall_timeout,
        rollup_every=rollup_every,
        revisit=revisit,
    )
    pg_url = ctx.obj["pg"]
    try:
        with coordination.connect(pg_url) as conn:
            fresh = conn.execute("select to_regclass('procrastinate_jobs') as t").fetchone()
            if fresh is not None and fresh["t"] is None:
                asyncio.run(_apply_procrastinate_schema(make_app(pg_url)))
            coordination.create_tables(conn)
            coordination.save_config(conn, config)
        config.directory.mkdir(parents=True, exist_ok=True)
    except RedlineError as error:
        raise _fail(error) from error
    click.echo(f"cluster ready: {shards} shards in {config.directory}")


async def _apply_procrastinate_schema(app: Any) -> None:
    async with app.open_async():
        await app.schema_manager.apply_schema_async()


# URLs one `cluster add` takes, at most (arguments and --from together): a million-line file
# is a mistake, not a batch; 100,000 articles take about a minute.
ADD_LIMIT = 100_000


@cluster_command.command(name="add")
@click.argument("urls", nargs=-1)
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also every URL of this file, one a line ('-': standard input; # comments).",
)
@click.option("--feed", "kind", flag_value="feed", help="The URLs are RSS or Atom feeds.")
@click.option(
    "--sitemap", "kind", flag_value="sitemap", help="The URLs are sitemaps or robots.txt."
)
@click.option(
    "--section", "kind", flag_value="section", help="The URLs are front or section pages."
)
@click.option("--match", default="", help="Regex an article link must match (with --section).")
@click.pass_context
def add_command(
    ctx: click.Context, urls: tuple[str, ...], from_file: Path | None, kind: str | None, match: str
) -> None:
    """Track articles, or add sources, each in the shard of its domain, in one process."""
    listed = [*urls, *(_read_urls(from_file) if from_file is not None else [])]
    if not listed:
        raise click.UsageError("give a URL or --from FILE")
    if len(listed) > ADD_LIMIT:
        raise click.UsageError(f"{len(listed)} URLs: at most {ADD_LIMIT:,} a command")
    click.echo(add_to_cluster(ctx.obj["pg"], listed, kind, match))


def _read_urls(path: Path) -> list[str]:
    """The URLs of a file, one a line; blank lines and # comments skipped."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"cannot read {path}: {error}", param_hint="--from") from error
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def add_to_cluster(pg_url: str, urls: list[str], kind: str | None, match: str) -> str:
    """`redline cluster add` and `redline add --pg`: each article or source goes to its shard;
    returns the line to print. Every URL is checked before anything is written: a bad one is a
    one-line ClickException naming it, and nothing is added."""
    from monitor import store
    from monitor.cluster import coordination, routing
    from monitor.fetch.sources import make_source
    from monitor.fetch.urls import check_url

    if kind is None and match:
        raise click.UsageError("--match goes with --section")
    try:
        if kind is None:
            fetch: dict[str, str] = {}
            for url in urls:
                fetch.setdefault(_checked(check_url, url), url.strip())
            canonical = list(fetch)
        else:
            specs = [_checked(lambda u: make_source(kind, u, match), url) for url in urls]
        with coordination.connect(pg_url) as conn:
            config = coordination.load_config(conn)
            now = store.utc_now()
            if kind is not None:
                added = [routing.add_source(conn, config, spec, now) for spec in specs]
                if len(added) == 1:
                    (shard, is_new), spec = added[0], specs[0]
                    state = "added" if is_new else "already a"
                    return f"{state} {spec.kind} source in shard {shard}: {spec.url}"
                fresh = sum(new for _, new in added)
                return f"{fresh} {kind} source(s) added, {len(added) - fresh} already there"
            created = routing.track_urls(conn, config, canonical, now, fetch)
    except RedlineError as error:
        raise _fail(error) from error
    if len(canonical) == 1:
        (shard, count), *_ = created.items()
        return f"{'tracking' if count else 'already tracked'} in shard {shard}: {canonical[0]}"
    new = sum(created.values())
    return (
        f"tracking {new} new article(s) in {sum(1 for n in created.values() if n)} shard(s); "
        f"{len(canonical) - new} already tracked"
    )


def _checked(check: Any, url: str) -> Any:
    """`check(url)`, its error naming the URL when several are given."""
    try:
        return check(url)
    except RedlineError as error:
        raise RedlineError(f"{error} (nothing added)") from error


@cluster_command.command(name="sources")
@click.option(
    "--load",
    "load_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Add the sources declared in this TOML file first, each to its shard.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def sources_command(ctx: click.Context, load_file: Path | None, as_json: bool) -> None:
    """List the cluster's sources and their shards."""
    show_cluster_sources(ctx.obj["pg"], load_file, as_json)


def show_cluster_sources(pg_url: str, load_file: Path | None, as_json: bool) -> None:
    """`redline cluster sources` and `redline sources --pg`: load a sources file, each source to
    its shard, then list the cluster's sources."""
    from monitor import store
    from monitor.cluster import coordination, routing
    from monitor.cluster.status import as_json as jsonable
    from monitor.fetch.sources import load_sources

    try:
        with coordination.connect(pg_url) as conn:
            config = coordination.load_config(conn)
            if load_file is not None:
                specs = load_sources(load_file)
                refuse_rendering([(s.url, bool(s.render or s.screenshot)) for s in specs])
                now = store.utc_now()
                added = sum(routing.add_source(conn, config, s, now)[1] for s in specs)
                click.echo(f"{added} source(s) added from {load_file}", err=as_json)
            rows = coordination.all_sources(conn)
    except RedlineError as error:
        raise _fail(error) from error
    if as_json:
        click.echo(json.dumps(jsonable(rows), ensure_ascii=False, indent=2))
        return
    table = Table("shard", "kind", "url", "match")
    for row in rows:
        table.add_row(str(row["shard"]), row["kind"], row["url"], row["match"] or "")
    Console(highlight=False).print(table, markup=False) if rows else click.echo("no sources")


def refuse_rendering(sources: list[tuple[str, bool]]) -> None:
    """Refuse, before anything is written, a source (`(url, asks)` each) asking to be read in
    a browser or screenshotted: a cluster keeps neither setting, which would be lost silently."""
    for url, asks in sources:
        if asks:
            raise click.UsageError(f"render and screenshot are not available with --pg: {url}")


# How long `cluster check` waits for a node's tick to release the tick lock (a tick takes
# milliseconds; a tick stuck longer is a problem to report, not to wait out).
CHECK_LOCK_WAIT_S = 30


@cluster_command.command(name="check")
@click.option("--shard", "shard", type=int, help="Queue a check round of this shard.")
@click.option("--site", "site", help="Queue a check round of the shard of this host.")
@click.option("--all", "every", is_flag=True, help="Queue a check round of every shard.")
@click.pass_context
def check_command(ctx: click.Context, shard: int | None, site: str | None, every: bool) -> None:
    """Queue check rounds now (they check the articles due: new ones are due at once)."""
    from monitor.cluster import coordination
    from monitor.cluster.shards import shard_of
    from monitor.cluster.tasks import queue_now

    if sum((shard is not None, site is not None, every)) != 1:
        raise click.UsageError("give one of --shard N, --site HOST, --all")
    try:
        with coordination.connect(ctx.obj["pg"]) as conn:
            config = coordination.load_config(conn)
        if site is not None:
            if not site.strip() or "/" in site:
                raise click.BadParameter(f"not a host name: {site!r}", param_hint="--site")
            shard = shard_of(f"http://{site.strip()}/", config.shards)
        if shard is not None and not 0 <= shard < config.shards:
            raise click.BadParameter(
                f"no shard {shard}: this cluster has 0 to {config.shards - 1}", param_hint="--shard"
            )
        shards = None if every else [shard] if shard is not None else []
        queued, waiting = asyncio.run(queue_now(ctx.obj["pg"], shards, CHECK_LOCK_WAIT_S))
    except RedlineError as error:
        raise _fail(error) from error
    click.echo(f"{queued} check round(s) queued, {waiting} already waiting")


@cluster_command.command(name="pin")
@click.argument("shard", type=int)
@click.argument("node", required=False)
@click.pass_context
def pin_command(ctx: click.Context, shard: int, node: str | None) -> None:
    """Run SHARD's rounds only on NODE (its own queue); without NODE, on any node again."""
    from monitor.cluster import coordination

    try:
        with coordination.connect(ctx.obj["pg"]) as conn:
            coordination.pin_shard(conn, shard, node)
    except RedlineError as error:
        raise _fail(error) from error
    click.echo(f"shard {shard} runs on {node or 'any node'}")


@cluster_command.command(name="rollup")
@click.pass_context
def rollup_command(ctx: click.Context) -> None:
    """Copy the shards' recent edits into the rollup database, and index every new edit, now
    (workers do it periodically)."""
    from monitor.cluster import coordination
    from monitor.cluster.rollup import roll_up
    from monitor.cluster.tasks import index_edits

    try:
        with coordination.connect(ctx.obj["pg"]) as conn:
            config = coordination.load_config(conn)
        stats = roll_up(config.directory)
        indexed = index_edits(ctx.obj["pg"], config.directory)
    except RedlineError as error:
        raise _fail(error) from error
    click.echo(
        f"{stats.changes} change(s) rolled up from {stats.shards} shard(s); "
        f"{indexed} change(s) indexed for search"
    )


# A search query's length, at most: a few words or a phrase, not a pasted article.
MAX_QUERY_CHARS = 500


@cluster_command.command(name="search")
@click.argument("query")
@click.option("--site", help="Only edits of this site (host, or host:port).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def search_command(
    ctx: click.Context, query: str, site: str | None, limit: int, as_json: bool
) -> None:
    """Every edit ever made in the cluster whose text matches QUERY (words, "a phrase", -word,
    or), newest first, each with its shard file, the path of its diff page there, and its diff
    page and change row's page under `redline serve --cluster`."""
    from dataclasses import asdict

    from monitor.cli import render
    from monitor.cluster import coordination, search
    from monitor.cluster.shards import shard_name
    from monitor.cluster.status import as_json as jsonable

    if not query.strip():
        raise click.UsageError("QUERY is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise click.UsageError(f"QUERY is longer than {MAX_QUERY_CHARS} characters")
    try:
        with coordination.connect(ctx.obj["pg"]) as conn:
            config = coordination.load_config(conn)
            hits = search.search(conn, query, limit, site)
    except RedlineError as error:
        raise _fail(error) from error
    rows = [
        asdict(hit)
        | {
            "shard_file": f"{shard_name(hit.shard, config.shards)}.db",
            "diff_page": f"/-/redline/diff/{hit.change_id}",
            "change_page": f"/{shard_name(hit.shard, config.shards)}/changes/{hit.change_id}",
            "cluster_diff_page": f"/-/redline/diff/{hit.change_id}"
            f"?db={shard_name(hit.shard, config.shards)}",
        }
        for hit in hits
    ]
    if as_json:
        click.echo(json.dumps(jsonable(rows), ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no edit matches")
        return
    table = Table("when", "shard file", "diff page", "kind", "old → new", "url")
    for row in rows:
        table.add_row(
            _when(row["detected_at"]),
            row["shard_file"],
            row["diff_page"],
            row["kind"],
            render.edit_change(row["old"] or "", row["new"] or "", marks=not sys.stdout.isatty()),
            render.plain(render.short_url(row["url"])),
        )
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)


@cluster_command.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Nodes alive; per shard: jobs queued, running and failed, articles, last rounds."""
    from monitor.cluster import coordination
    from monitor.cluster.status import as_json as jsonable
    from monitor.cluster.status import cluster_status

    try:
        with coordination.connect(ctx.obj["pg"]) as conn:
            status = cluster_status(conn)
    except RedlineError as error:
        raise _fail(error) from error
    if as_json:
        click.echo(json.dumps(jsonable(status), ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 140)
    jobs = status["jobs"]
    console.print(
        f"{status['nodes_alive']} node(s) alive, {status['articles']} article(s) in "
        f"{status['shards']} shards ({status['directory']}); jobs: {jobs['queued']} queued, "
        f"{jobs['running']} running, {jobs['failed']} failed",
        markup=False,
    )
    nodes = Table("node", "host", "state", "last seen", "running")
    for node in status["nodes"]:
        nodes.add_row(
            node["name"],
            node["host"],
            node["state"],
            _when(node["last_seen"]),
            node["running"] or "",
        )
    console.print(nodes, markup=False)
    shards = Table("shard", "articles", "sources", "queued", "running", "failed", "last check")
    for row in status["per_shard"]:
        counts = row["jobs"]
        if not (row["articles"] or row["sources"] or any(counts.values())):
            continue  # an empty shard: nothing to say
        last = _when(row["last_check_at"])
        if row["last_check_at"] is not None:
            last += f" by {row['last_check_node']} (exit {row['last_check_exit']})"
        shards.add_row(
            str(row["shard"]),
            str(row["articles"]),
            str(row["sources"]),
            str(counts["queued"]),
            str(counts["running"]),
            str(counts["failed"]),
            last,
        )
    console.print(shards, markup=False)


def _when(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "never"


@click.command(name="worker")
@click.option("--pg", "pg_url", envvar="REDLINE_PG", required=True, help=PG_HELP)
@click.option("--node", help="This node's name (default: the host name).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shard directory as mounted on this node (default: the cluster's).",
)
@crawl_options
@click.option(
    "--shards-per-crawl",
    type=click.IntRange(1, 4096),
    default=DEFAULT_SHARDS_PER_CRAWL,
    show_default=True,
    help="Shard rounds this node takes at once and runs in one crawl.",
)
def worker_command(
    pg_url: str,
    node: str | None,
    directory: Path | None,
    log_file: Path | None,
    allow_private: bool,
    shards_per_crawl: int,
    extra: tuple[str, ...],
) -> None:
    """Run one node of the cluster until SIGTERM or Ctrl-C."""
    from monitor.cluster import coordination
    from monitor.cluster.worker import WorkerOptions, run_worker

    settings = crawl_settings(extra, allow_private)
    logging.getLogger().setLevel(logging.INFO)
    # procrastinate logs every job at INFO (a tick every 2 s): its warnings are enough.
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    options = WorkerOptions(
        pg_url=pg_url,
        node=node or coordination.default_node_name(),
        directory=directory.resolve() if directory else None,
        settings=settings,
        log_file=log_file,
        shards_per_crawl=shards_per_crawl,
    )
    try:
        code = run_worker(options)
    except RedlineError as error:
        raise _fail(error) from error
    sys.exit(code)
