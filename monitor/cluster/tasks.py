"""The procrastinate app and Redline's tasks.

- `redline.tick` (periodic, every TICK_SECONDS, on the control queue): retries the jobs of dead
  nodes, then queues the rounds `coordination.due_rounds` decides and the rollup; one node's
  tick at a time (`coordination.hold_tick`), another node's tick meanwhile skips its turn.
- `redline.check_shard(shard)` and `redline.discover_shard(shard)`: a round of the shard's file in
  a `scrapy crawl` subprocess with a timeout, like the daemon's, shared with the other shards the
  node took at the same time (`crawls`). Both carry the procrastinate lock
  `shard-N` (never two crawls of one file at once) and a queueing lock per task and shard (never
  two waiting), and go to the `shards` queue, or to `node-NAME` for a shard pinned to a node.
- `redline.rollup`: copies recent edits of every shard into the rollup database, and every new
  or re-extracted change with its edits into the edit index (`search`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued, ConnectorException
from procrastinate.jobs import Status

from monitor import store
from monitor.cluster import coordination, routing
from monitor.cluster.coordination import ClusterConfig, Round
from monitor.cluster.crawls import NodeCrawls, RoundInterrupted
from monitor.crawl import BUSY_EXIT, REFUSED_EXIT
from monitor.errors import RedlineError

logger = logging.getLogger(__name__)

CONTROL_QUEUE = "control"
SHARD_QUEUE = "shards"
# The tick is one indexed query on ~64 rows; every 2 s keeps a round's queueing latency small
# beside a crawl's own start-up (~1.7 s) at ~43,000 cheap jobs a day (deleted once done).
TICK_SECONDS = 2
TICK_CRON = f"* * * * * */{TICK_SECONDS}"


class CrawlFailed(RedlineError):
    """`scrapy crawl` exited non-zero or timed out; the job is marked failed."""


@dataclass
class Node:
    """What a node's tasks share: passed as procrastinate's `additional_context`."""

    pg_url: str
    name: str
    directory: Path | None = None  # the shard directory as mounted here, if not the configured one
    settings: dict[str, str] = field(default_factory=dict)  # extra Scrapy settings (-s)
    crawls: NodeCrawls = field(default_factory=NodeCrawls)


def queue_of(node: str | None) -> str:
    return f"node-{node}" if node else SHARD_QUEUE


def make_app(pg_url: str) -> App:
    app = App(connector=PsycopgConnector(conninfo=pg_url))
    tick_task = app.task(
        name="redline.tick", queue=CONTROL_QUEUE, pass_context=True, queueing_lock="tick"
    )(tick)
    app.periodic(cron=TICK_CRON)(tick_task)
    app.task(name="redline.rollup", queue=CONTROL_QUEUE, pass_context=True, lock="rollup")(rollup)
    # A round interrupted by its node's shutdown goes back to the queue; a failed crawl does
    # not (the next tick queues a fresh round, so a broken shard does not loop).
    retry = RetryStrategy(max_attempts=10, retry_exceptions={RoundInterrupted})
    for name, func in (("check_shard", check_shard), ("discover_shard", discover_shard)):
        app.task(name=f"redline.{name}", queue=SHARD_QUEUE, pass_context=True, retry=retry)(func)
    return app


def _node(context: JobContext) -> Node:
    node = context.additional_context["node"]
    assert isinstance(node, Node)
    return node


# --- tick --------------------------------------------------------------------------------------
def _read_state(pg_url: str) -> tuple[ClusterConfig, list[coordination.Row]]:
    with coordination.connect(pg_url) as conn:
        return coordination.load_config(conn), coordination.all_shards(conn)


def _mark(pg_url: str, config: ClusterConfig, rounds: list[Round], now: datetime) -> None:
    lost_before = now - coordination.lost_after(config)
    with coordination.connect(pg_url) as conn:
        for round_ in rounds:
            coordination.mark_queued(conn, round_, now)
            closed = coordination.close_lost_rounds(
                conn, round_, lost_before, "lost: not finished in time; queued again"
            )
            if closed:
                logger.warning("%s round of shard %s lost; queued again", round_.task, round_.shard)


async def tick(context: JobContext, timestamp: int) -> None:
    del timestamp
    node = _node(context)
    held = await asyncio.to_thread(coordination.hold_tick, node.pg_url)
    if held is None:
        return  # another node is ticking: it queues what is due
    try:
        await _tick(context, node)
    finally:
        await asyncio.to_thread(coordination.release_tick, held)


async def _tick(context: JobContext, node: Node) -> None:
    app = context.app
    now = datetime.now(UTC)
    config, shards = await asyncio.to_thread(_read_state, node.pg_url)
    await retry_stalled(app, config, node.pg_url)
    queued = await queue_rounds(
        app, node.pg_url, config, coordination.due_rounds(shards, config, now), now
    )
    if queued:
        logger.info("queued %s", ", ".join(f"{r.task} {r.shard}" for r in queued))
    if await asyncio.to_thread(_rollup_due, node.pg_url, config, now):
        with contextlib.suppress(AlreadyEnqueued):  # one is waiting already
            await app.tasks["redline.rollup"].configure(queueing_lock="rollup").defer_async()


async def queue_rounds(
    app: App, pg_url: str, config: ClusterConfig, rounds: list[Round], now: datetime
) -> list[Round]:
    """Queue the rounds, each with its shard's lock and queueing lock, and mark them queued;
    returns those queued (one already waiting is not queued twice). The caller holds the tick
    lock: the tick and `redline cluster check` both queue through here."""
    queued = []
    for round_ in rounds:
        task = app.tasks[f"redline.{round_.task}_shard"]
        try:
            await task.configure(
                lock=f"shard-{round_.shard}",
                queueing_lock=f"{round_.task}-{round_.shard}",
                queue=queue_of(round_.node),
            ).defer_async(shard=round_.shard)
        except AlreadyEnqueued:
            continue  # one is already waiting: no pile-up
        queued.append(round_)
    await asyncio.to_thread(_mark, pg_url, config, queued, now)
    return queued


async def queue_now(pg_url: str, shards: list[int] | None, wait_s: float) -> tuple[int, int]:
    """`redline cluster check`: a check round of each shard given (None: every shard with
    articles) queued now, under the tick's lock (waiting up to `wait_s` for a running tick);
    returns (queued, already waiting)."""
    deadline = asyncio.get_running_loop().time() + wait_s
    while (held := await asyncio.to_thread(coordination.hold_tick, pg_url)) is None:
        if asyncio.get_running_loop().time() > deadline:
            raise coordination.ClusterError(f"the tick lock stayed held for {wait_s:.0f} s")
        await asyncio.sleep(0.2)
    try:
        config, rows = await asyncio.to_thread(_read_state, pg_url)
        wanted = [
            Round("check", row["shard"], row["node"])
            for row in rows
            if (row["shard"] in shards if shards is not None else row["articles"] > 0)
        ]
        app = make_app(pg_url)
        async with app.open_async():
            queued = await queue_rounds(app, pg_url, config, wanted, datetime.now(UTC))
    finally:
        await asyncio.to_thread(coordination.release_tick, held)
    return len(queued), len(wanted) - len(queued)


def _rollup_due(pg_url: str, config: ClusterConfig, now: datetime) -> bool:
    with coordination.connect(pg_url) as conn:
        return coordination.claim_rollup(conn, config, now)


def _close_rounds(pg_url: str, job_id: int, why: str) -> None:
    with coordination.connect(pg_url) as conn:
        coordination.close_rounds_of_job(conn, job_id, why)


async def retry_stalled(app: App, config: ClusterConfig, pg_url: str) -> list[int]:
    """Put back in the queue the running jobs of nodes silent for the stall timeout, their
    rounds closed in the log with why."""
    retried = []
    stall = config.stall_timeout.total_seconds()
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stall)
    for job in stalled:
        assert job.id is not None
        # Closed first: once queued again, the job may start on another node at once, with a
        # round of its own under the same job id. Either way the round runs again (this job,
        # or the newer one of its shard that waits).
        why = f"node dead: no heartbeat for {stall:.0f} s; round queued again (job {job.id})"
        await asyncio.to_thread(_close_rounds, pg_url, job.id, why)
        try:
            await app.job_manager.retry_job(job)
            retried.append(job.id)
            logger.warning("job %s (%s) of a dead node queued again", job.id, job.call_string)
        except ConnectorException:
            # Another job of the same task and shard is already waiting (its queueing lock):
            # that one does the work, this one is closed as failed.
            await app.job_manager.finish_job_by_id_async(job.id, Status.FAILED, delete_job=False)
            logger.warning("job %s of a dead node closed: a newer one is queued", job.id)
    return retried


# --- rounds ------------------------------------------------------------------------------------
def _begin(node: Node, shard: int, task: str, job_id: int | None) -> tuple[ClusterConfig, int]:
    with coordination.connect(node.pg_url) as conn:
        config = coordination.load_config(conn)
        return config, coordination.start_round(conn, shard, task, node.name, job_id)


def _end(
    node: Node, config: ClusterConfig, spider: str, shard: int, round_id: int, code: int
) -> None:
    now = datetime.now(UTC)
    moved: dict[int, int] = {}
    path = routing.path_of(config, shard, node.directory)
    # A shard the crawl refused (not a database, another application's, a newer Redline's) is
    # not read again here: it would raise, and leave the round open with its node shown running.
    readable = path.is_file() and code != REFUSED_EXIT
    if readable and spider == "discover" and code != BUSY_EXIT:
        moved = routing.reroute_discovered(_local(config, node), shard)
    with coordination.connect(node.pg_url) as conn:
        # The shard's row is locked before its file is read: whoever makes articles due writes
        # the file first, then `mark_due` (which waits for the lock), so an article made due
        # while the round ends is either in the summary or marked after it, never overwritten
        # by a summary read before it (the shard then stayed not due until its old revisit).
        with conn.transaction():
            coordination.lock_shard(conn, shard)
            if code != REFUSED_EXIT:  # a refused file's summary is not known: kept as it was
                summary = routing.summarize_shard(path) if readable else store.ShardSummary(0, None)
                coordination.save_shard_summary(conn, shard, summary.articles, summary.next_due)
        for home, count in moved.items():
            coordination.mark_due(conn, home, count, now)
        if code == BUSY_EXIT:  # left out: another crawl held the file; not a round done
            coordination.give_back_round(conn, round_id, code)
        else:
            coordination.finish_round(conn, round_id, code)


def _local(config: ClusterConfig, node: Node) -> ClusterConfig:
    """The configuration with the shard directory as this node mounts it."""
    return config if node.directory is None else replace(config, directory=node.directory)


def _settings(config: ClusterConfig, node: Node) -> dict[str, str]:
    settings = dict(node.settings)
    if config.revisit is not None:
        settings["REDLINE_REVISIT"] = f"{int(config.revisit.total_seconds())}s"
    return settings


async def run_round(context: JobContext, spider: str, shard: int) -> int:
    """One round of one shard, from this node, in a crawl shared with the other shards this
    node took at the same time (`crawls`); returns scrapy's exit code."""
    node = _node(context)
    job_id = context.job.id
    config, round_id = await asyncio.to_thread(_begin, node, shard, spider, job_id)
    path = routing.path_of(config, shard, node.directory)
    code = 0
    if path.is_file():
        timeout = config.crawl_timeout.total_seconds()
        code = await node.crawls.crawl(spider, path, _settings(config, node), timeout)
    await asyncio.to_thread(_end, node, config, spider, shard, round_id, code)
    if code == BUSY_EXIT:  # not a failure: the round was given back, the next tick queues it
        logger.warning(
            "%s round of shard %s not done: another crawl holds the shard file; queued again "
            "at the next tick", spider, shard,
        )  # fmt: skip
        return code
    if code != 0:
        raise CrawlFailed(f"{spider} round of shard {shard} failed: scrapy exited {code}")
    return code


async def check_shard(context: JobContext, shard: int) -> int:
    return await run_round(context, "check", shard)


async def discover_shard(context: JobContext, shard: int) -> int:
    return await run_round(context, "discover", shard)


# --- rollup ------------------------------------------------------------------------------------
async def rollup(context: JobContext) -> dict[str, Any]:
    from monitor.cluster.rollup import roll_up

    node = _node(context)
    config, _ = await asyncio.to_thread(_read_state, node.pg_url)
    directory = node.directory or config.directory
    stats = await asyncio.to_thread(roll_up, directory)
    indexed = await asyncio.to_thread(index_edits, node.pg_url, directory)
    return {"changes": stats.changes, "shards": stats.shards, "indexed": indexed}


def index_edits(pg_url: str, directory: Path) -> int:
    """Every shard's new and re-extracted changes into the cluster's edit index."""
    from monitor.cluster.search import index_all

    with coordination.connect(pg_url) as conn:
        return index_all(conn, directory, datetime.now(UTC))
