"""`redline worker`: one node of the cluster, two procrastinate workers in one event loop.

- the crawl worker takes `check_shard` and `discover_shard` jobs from the `shards` queue and the
  node's own `node-NAME` queue, up to `shards_per_crawl` at once, and runs them as one crawl at a
  time over all their shard files (`crawls`; a crawl already uses every core: Scrapy in one
  process, extraction in one worker process per core);
- the control worker takes the tick and the rollup from the `control` queue, so that a node busy
  crawling still queues rounds and retries the jobs of dead nodes.

Both send procrastinate heartbeats; a node silent for the cluster's stall timeout is dead and its
running job is queued again by the next tick on a live node. Its crawl dies with it (the crawl is
started with PR_SET_PDEATHSIG), so the retried round never overlaps it.

SIGTERM or SIGINT: stop taking jobs, forward SIGTERM to the running crawl (Scrapy finishes the
pages in flight, and the job ends normally; what was not checked stays due), and exit 0. A crawl
that does not stop within the grace period is killed and its job goes back to the queue.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procrastinate import App

from monitor.cluster import coordination
from monitor.cluster.crawls import DEFAULT_SHARDS_PER_CRAWL, NodeCrawls
from monitor.cluster.tasks import CONTROL_QUEUE, SHARD_QUEUE, Node, make_app
from monitor.crawl import STOP_GRACE_S

logger = logging.getLogger(__name__)

# How much of the stall timeout passes between two heartbeats: a node must miss several before
# it is declared dead.
HEARTBEATS_PER_STALL = 4
# The signals that stop a node (gracefully: see the module's docstring).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass(frozen=True)
class WorkerOptions:
    pg_url: str
    node: str
    directory: Path | None = None
    settings: dict[str, str] = field(default_factory=dict)
    log_file: Path | None = None
    shards_per_crawl: int = DEFAULT_SHARDS_PER_CRAWL


async def run_node(options: WorkerOptions) -> int:
    with coordination.connect(options.pg_url) as conn:
        config = coordination.load_config(conn)
        coordination.create_tables(conn)  # what this version adds to an older cluster
        coordination.register_node(conn, options.node, os.getpid())
    stall = config.stall_timeout.total_seconds()
    heartbeat = stall / HEARTBEATS_PER_STALL
    node = Node(
        pg_url=options.pg_url,
        name=options.node,
        directory=options.directory,
        settings=dict(options.settings),
        crawls=NodeCrawls(options.log_file),
    )
    app = make_app(options.pg_url)
    async with app.open_async():
        workers = _start_workers(
            app, options.node, options.shards_per_crawl, _worker_settings(node, stall, heartbeat)
        )
        seen = asyncio.create_task(_keep_seen(options, heartbeat))
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, _stop, options.node, node, workers, stopping, sig)
        logger.info("node %s started: heartbeat every %.1f s", options.node, heartbeat)
        try:
            results = await asyncio.gather(*workers, return_exceptions=True)
        finally:
            seen.cancel()
            for sig in STOP_SIGNALS:
                loop.remove_signal_handler(sig)
    return _stop_node(options, results, stopping.is_set())


def _worker_settings(node: Node, stall: float, heartbeat: float) -> dict[str, Any]:
    """What both procrastinate workers of a node run with."""
    return {
        "additional_context": {"node": node},
        "install_signal_handlers": False,
        "update_heartbeat_interval": heartbeat,
        "stalled_worker_timeout": stall,
        "delete_jobs": "successful",
        # A crawl gets its own grace period to stop, plus a margin, before the job is aborted.
        "shutdown_graceful_timeout": STOP_GRACE_S + 5,
        "fetch_job_polling_interval": 1.0,
    }


def _start_workers(
    app: App, name: str, shards_per_crawl: int, settings: dict[str, Any]
) -> list[asyncio.Task[None]]:
    """The crawl worker (shards and the node's own queue; up to `shards_per_crawl` jobs at once,
    gathered into one crawl) and the control worker (one job at a time)."""
    return [
        asyncio.create_task(
            app.run_worker_async(
                queues=[SHARD_QUEUE, f"node-{name}"],
                name=f"{name}/crawl",
                concurrency=shards_per_crawl,
                **settings,
            )
        ),
        asyncio.create_task(
            app.run_worker_async(
                queues=[CONTROL_QUEUE],
                name=f"{name}/control",
                concurrency=1,
                **settings,
            )
        ),
    ]


def _stop(
    name: str,
    node: Node,
    workers: list[asyncio.Task[None]],
    stopping: asyncio.Event,
    signum: int,
) -> None:
    """On the first SIGTERM or SIGINT: forward SIGTERM to the running crawls and stop taking
    jobs (a second signal changes nothing)."""
    if stopping.is_set():
        return
    stopping.set()
    logger.info("node %s stopping (signal %s)", name, signum)
    node.crawls.stop()
    for worker in workers:
        worker.cancel()


def _stop_node(options: WorkerOptions, results: list[Any], stopping: bool) -> int:
    """Record the node as stopped; 1 if a worker failed other than by being stopped."""
    failures = [r for r in results if isinstance(r, Exception)]
    with coordination.connect(options.pg_url) as conn:
        coordination.stop_node(conn, options.node)
    for failure in failures:
        logger.error("worker of node %s failed: %r", options.node, failure)
    logger.info("node %s stopped", options.node)
    return 1 if failures and not stopping else 0


async def _keep_seen(options: WorkerOptions, every: float) -> None:
    """Redline's own record of the node (name, host, what it runs) for `cluster status`."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(_touch, options)
        except Exception:  # a loop boundary: a Postgres blip must not stop the node
            logger.exception("could not record node %s as alive", options.node)


def _touch(options: WorkerOptions) -> None:
    with coordination.connect(options.pg_url) as conn:
        coordination.touch_node(conn, options.node)


def run_worker(options: WorkerOptions) -> int:
    return asyncio.run(run_node(options))
