"""`redline serve`: Datasette 0.65 on the database, read-only for the public, with Redline's views,
canned queries, diff pages and Atom feed.

The database is opened mutable (never immutable: a crawl may be writing it) through Datasette's
read-only connections (`?mode=ro`), and no canned query writes, so visitors can read but never
change anything. Arbitrary SQL is allowed unless `--no-allow-sql` / `serve.allow_sql = false`.
The metadata, templates and plugin ship inside the package (`monitor/web/datasette/`).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import signal
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click
import yaml

from monitor import store
from monitor.config import load_config
from monitor.errors import ConfigError, DatabaseError, RedlineError
from monitor.web.datasette import DATABASE
from monitor.web.datasette.worker import DIFF_TIMEOUT

if TYPE_CHECKING:
    from datasette.app import Datasette

logger = logging.getLogger(__name__)

PLUGIN = "redline"
PACKAGE = resources.files("monitor.web.datasette")
# Datasette's own limits, kept at its defaults except where a public news archive needs more:
# cells are truncated past this many characters on table pages (bodies are folded anyway).
SETTINGS = {
    "truncate_cells_html": 600,
    "default_page_size": 50,
    "sql_time_limit_ms": 2000,  # full-text searches over a large archive need more than 1 s
    "suggest_facets": False,  # costly on a large archive, and noise on pages made for reading
}


@cache
def _base_metadata() -> dict[str, Any]:
    loaded = yaml.safe_load(PACKAGE.joinpath("metadata.yml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# Why `serve --cluster` changes nothing from the desk: the database it serves as `redline` is the
# rollup, rebuilt from the shards (an article added there would never be checked, a pause would be
# overwritten by the next copy).
CLUSTER_READ_ONLY = (
    "this is a cluster's rollup, rebuilt from its shards: add with `redline add --pg`, and "
    "pause, remove or tag on a shard (`redline --db DIR/shard-NN.db …`)"
)


def build_metadata(
    *,
    allow_sql: bool = True,
    public_url: str = "",
    bound_url: str = "",
    diff_timeout: float = DIFF_TIMEOUT,
    snapshot_downloads: bool = False,
) -> dict[str, Any]:
    """The shipped metadata, plus the choices made at start: SQL or not, the public URL (else
    the bound address) for the feed's links, the diffs' time limit, raw-page downloads or not."""
    metadata = copy.deepcopy(_base_metadata())
    if not allow_sql:
        metadata["allow_sql"] = False
    plugin: dict[str, Any] = {"diff_timeout": diff_timeout}
    if public_url:
        plugin["public_url"] = public_url
    if bound_url:
        plugin["bound_url"] = bound_url
    if snapshot_downloads:
        plugin["snapshot_downloads"] = True
    metadata.setdefault("plugins", {})[PLUGIN] = plugin
    return metadata


def register_plugin() -> None:
    """Load Redline's Datasette plugin into this process (once), and its error handler in place
    of Datasette's (which prints a rich traceback with local variables for every 404)."""
    from datasette.plugins import pm

    from monitor.web.datasette import (
        access,
        article,
        captures,
        cluster_search,
        desk,
        errors,
        plugin,
        queries,
    )

    for module, name in (
        (access, "redline.access"),
        (desk, "redline.desk"),
        (article, "redline.article"),
        (cluster_search, "redline.search"),
    ):
        if not pm.is_registered(module):
            pm.register(module, name=name)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="redline")
    if not pm.is_registered(queries):
        pm.register(queries, name="redline.queries")
    if not pm.is_registered(captures):
        pm.register(captures, name="redline.captures")
    if not pm.is_registered(errors):
        default = pm.get_plugin("datasette.handle_exception")
        if default is not None:
            pm.unregister(default)
        pm.register(errors, name="redline.errors")


def make_datasette(
    db_path: Path | str,
    *,
    allow_sql: bool = True,
    shards: Sequence[Path] = (),
    write_token: str = "",
    read_only: str = "",
    pg_url: str = "",
    **choices: Any,
) -> Datasette:
    """A Datasette on `db_path` named "redline", mutable, with Redline's metadata and plugin;
    `choices` are `build_metadata`'s; `shards` (a cluster's shard files) are added beside it, each
    named after its file. `write_token` lets its holder change the watch list from the desk
    (kept on the object, never in the metadata, which `/-/metadata` publishes); `read_only`, when
    given, says why nobody may. `pg_url`, a cluster's PostgreSQL (kept on the object too: it may
    hold a password), turns the cluster's search page on."""
    from datasette.app import Datasette
    from datasette.database import Database as DatasetteDatabase

    path = Path(db_path)
    if not path.is_file():
        raise DatabaseError(f"no database at {path} (create one with `redline init`)")
    register_plugin()
    settings: dict[str, Any] = dict(SETTINGS)
    if not allow_sql:
        settings["default_allow_sql"] = False
    datasette = Datasette(
        files=[],
        metadata=build_metadata(allow_sql=allow_sql, **choices),
        template_dir=str(PACKAGE.joinpath("templates")),
        settings=settings,
    )
    # No files= above: Datasette would name the database after the file. The fixed name keeps
    # the metadata keys and every URL the same whatever the file is called. Without files=
    # Datasette also adds an in-memory database; visitors have no use for it.
    datasette.redline_write_token = write_token
    datasette.redline_read_only = read_only
    datasette.redline_pg = pg_url
    datasette.redline_databases = (DATABASE, *(shard.stem for shard in shards))
    if "_memory" in datasette.databases:
        datasette.remove_database("_memory")
    datasette.add_database(
        DatasetteDatabase(datasette, path=str(path.resolve()), is_mutable=True), name=DATABASE
    )
    for shard in shards:
        datasette.add_database(
            DatasetteDatabase(datasette, path=str(shard.resolve()), is_mutable=True),
            name=shard.stem,
        )
    return datasette


def _stopped(signum: int, frame: FrameType | None) -> None:
    del frame
    logger.info("stopped by signal %s", signum)
    raise SystemExit(0)


def bound_url(host: str, port: int) -> str:
    """The address a server bound to `host`:`port` answers at, for links when no public URL is
    set (an IPv6 address in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def desk_writers(host: str, public_url: str, write_token: str, read_only: str = "") -> str:
    """Who may change the watch list from the desk (as `access.py` decides), in words."""
    from monitor.web.datasette.access import is_loopback

    if read_only:
        return f"read-only ({read_only})"
    if is_loopback(host) and not public_url:
        return "changes allowed from this machine" + (
            " and with the write token" if write_token else ""
        )
    if write_token:
        return "changes need the write token (sign in at /-/redline/login)"
    return "read-only (set serve.write_token to allow changes)"


def serve(
    db_path: Path,
    host: str,
    port: int,
    *,
    allow_sql: bool,
    shards: Sequence[Path] = (),
    **choices: Any,
) -> None:
    """Run the server until SIGTERM or Ctrl-C, then exit 0 like `redline daemon`. (uvicorn shuts
    down gracefully, then re-raises the signal to the handlers it found: these.)"""
    import uvicorn
    from datasette.utils import StartupError

    datasette = make_datasette(
        db_path, allow_sql=allow_sql, bound_url=bound_url(host, port), shards=shards, **choices
    )
    try:  # startup checks fail now, with one line, not at the first request
        asyncio.run(datasette.invoke_startup())
    except StartupError as error:
        raise ConfigError(f"cannot serve: {error}") from error
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _stopped)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")


@click.command(name="serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1; env REDLINE_SERVE_HOST).")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    help="Port to listen on (default 8001; env REDLINE_SERVE_PORT).",
)
@click.option(
    "--allow-sql/--no-allow-sql",
    default=None,
    help="Let visitors run their own read-only SQL (default: allowed).",
)
@click.option("--public-url", help="Address readers reach this server at, for feed links.")
@click.option(
    "--snapshot-downloads/--no-snapshot-downloads",
    default=None,
    help="Let visitors download the raw pages in `snapshots` (default: not allowed).",
)
@click.option(
    "--cluster",
    "cluster_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A cluster's shard directory: every shard, and its rollup as `redline`.",
)
@click.option(
    "--pg",
    "pg_url",
    envvar="REDLINE_PG",
    help="With --cluster: the cluster's PostgreSQL URL, for the search page (env REDLINE_PG).",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    allow_sql: bool | None,
    public_url: str | None,
    snapshot_downloads: bool | None,
    cluster_dir: Path | None,
    pg_url: str | None,
) -> None:
    """Browse the database in Datasette: edit feed, timelines, diffs, searches, Atom feed."""
    try:
        config = load_config(ctx.obj.get("config"))
        host = host or config.serve.host
        port = config.serve.port if port is None else port
        allow_sql = config.serve.allow_sql if allow_sql is None else allow_sql
        if snapshot_downloads is None:
            snapshot_downloads = config.serve.snapshot_downloads
        public_url = (public_url or config.serve.public_url).rstrip("/")
        if public_url and not public_url.startswith(("http://", "https://")):
            raise click.BadParameter("expected an http or https URL", param_hint="--public-url")
        if pg_url and cluster_dir is None:
            if ctx.get_parameter_source("pg_url") == click.core.ParameterSource.COMMANDLINE:
                raise click.UsageError("--pg needs --cluster DIR")
            pg_url = None  # REDLINE_PG set for the cluster commands: no use to one database
        db_path = Path(ctx.obj["db"])
        shards: list[Path] = []
        if cluster_dir is not None:  # the rollup (created empty if need be) and every shard
            from monitor.cluster.shards import ROLLUP_FILE, shard_files

            db_path, shards = cluster_dir / ROLLUP_FILE, shard_files(cluster_dir)
            for shard in shards:  # else every request to it would be a 500, once serving
                try:
                    store.check_readable(shard)
                except DatabaseError as error:
                    reason = error.__cause__ or error  # SQLite's words, or the refusal's
                    raise DatabaseError(f"cannot serve shard {shard}: {reason}") from None
            store.open_db(db_path).close()
        if not db_path.is_file():
            raise DatabaseError(
                f"no database at {db_path} (create one with `redline init` or `redline demo`)"
            )
        store.open_db(db_path).close()  # brings the schema (views, search indexes) up to date
        click.echo(
            f"serving {db_path}{f' and {len(shards)} shard(s)' if cluster_dir else ''} "
            f"at http://{host}:{port}/ "
            f"({'SQL allowed' if allow_sql else 'no arbitrary SQL'}; Ctrl-C stops)"
        )
        read_only = CLUSTER_READ_ONLY if cluster_dir else ""
        if cluster_dir is not None:
            click.echo(
                "cluster search: "
                + ("/-/redline/search" if pg_url else "off (give --pg URL to turn it on)")
            )
        click.echo(
            f"watch desk: {desk_writers(host, public_url, config.serve.write_token, read_only)}"
        )
        if not public_url and host in ("0.0.0.0", "::"):
            click.echo(
                f"note: feed links will point to {bound_url(host, port)}; "
                "set --public-url to the address readers use",
                err=True,
            )
        serve(
            db_path,
            host,
            port,
            allow_sql=allow_sql,
            public_url=public_url,
            diff_timeout=config.serve.diff_timeout.total_seconds(),
            snapshot_downloads=snapshot_downloads,
            shards=shards,
            write_token=config.serve.write_token,
            read_only=read_only,
            pg_url=pg_url or "",
        )
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
