"""A node's crawls: the shard rounds its jobs ask for, gathered into one `scrapy crawl`.

A crawl costs a fixed ~3.9 CPU-s to start (Scrapy, its extraction workers), whatever it fetches,
so a node does not start one per shard. Its crawl worker takes up to `shards_per_crawl` jobs at
once (procrastinate's concurrency); jobs of one spider that arrive within GATHER_S of each other
(the tick queues every due shard at once) share one crawl over all their shard files
(REDLINE_DATABASES): the spider interleaves the shards' due articles, the pipeline records each
page in its own file. A node runs one crawl at a time; jobs arriving meanwhile gather for the
next. Every job keeps its own procrastinate lock, queueing lock, round record and retry, so what
held for one crawl per shard holds unchanged: a shard is in one running crawl at most (and the
crawl itself holds each shard file's lock, `monitor.store.lock`), a job of a dead node is
retried alone. A shard file the crawl left out because another crawl held it (the crawl names
it in its REDLINE_LEFT_OUT file) gets BUSY_EXIT for its job even when the crawl exits 0: its
round was not done. A shard file the crawl refused (marked so in that file: not a database, or
migrated by a newer Redline) gets REFUSED_EXIT for its job, and the shards crawled with it 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from monitor.crawl import BUSY_EXIT, REFUSED_EXIT, REFUSED_MARK, start_crawl, stop_crawl
from monitor.errors import RedlineError

logger = logging.getLogger(__name__)

# Jobs arriving this close together share a crawl: the crawl worker fetches a tick's jobs within
# milliseconds; a quarter of a second is nothing beside a crawl's start-up and a round's length.
GATHER_S = 0.25
# Shard rounds a node takes at once into one crawl (`redline worker --shards-per-crawl`): a
# crawl's start-up (2-4 CPU-s) is paid once for all of them. 64 shards on 8 nodes: one crawl a
# node per round.
DEFAULT_SHARDS_PER_CRAWL = 8
# How often a running crawl is looked at.
POLL_S = 0.2


class RoundInterrupted(RedlineError):
    """The node stopped before the crawl could finish; the job goes back to the queue."""


@dataclass
class Batch:
    spider: str
    paths: list[Path]
    done: asyncio.Future[int]
    settings: Mapping[str, str] = field(default_factory=dict)
    child: subprocess.Popen[bytes] | None = None
    left_out: frozenset[Path] = frozenset()  # the files the crawl left out: another crawl held them
    refused: frozenset[Path] = frozenset()  # the files the crawl refused (it exited REFUSED_EXIT)


class NodeCrawls:
    """The crawls of one node: one at a time, each over the shards of the jobs gathered for it."""

    def __init__(self, log_file: Path | None = None) -> None:
        self.log_file = log_file
        self.stopping = False
        self.running: Batch | None = None
        self._waiting: dict[str, Batch] = {}  # spider -> the batch gathering for the next crawl
        self._one_at_a_time = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def crawl(
        self, spider: str, path: Path, settings: Mapping[str, str], timeout_s: float
    ) -> int:
        """Crawl one shard file, in a crawl shared with the jobs gathered with this one; returns
        the crawl's exit code."""
        if self.stopping:
            raise RoundInterrupted(f"{spider} of {path}: the node is stopping")
        batch = self._waiting.get(spider)
        if batch is None:
            batch = Batch(spider, [], asyncio.get_running_loop().create_future(), settings)
            self._waiting[spider] = batch
            task = asyncio.create_task(self._run(batch, timeout_s))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        batch.paths.append(path)
        try:
            code = await asyncio.shield(batch.done)
            if path in batch.refused:
                return REFUSED_EXIT
            return BUSY_EXIT if path in batch.left_out else code
        except asyncio.CancelledError:
            # The node is stopping and its grace period is over: leave the batch, or stop its
            # crawl if it started; the job goes back to the queue.
            if batch.child is None:
                batch.paths.remove(path)
            else:
                await asyncio.to_thread(stop_crawl, batch.child)
            why = f"{spider} of {path} interrupted by the node's shutdown"
            raise RoundInterrupted(why) from None

    async def _run(self, batch: Batch, timeout_s: float) -> None:
        try:
            await asyncio.sleep(GATHER_S)
            async with self._one_at_a_time:
                if self._waiting.get(batch.spider) is batch:
                    del self._waiting[batch.spider]
                if self.stopping or not batch.paths:
                    raise RoundInterrupted(f"{batch.spider}: the node stopped before the crawl")
                batch.done.set_result(await self._crawl(batch, timeout_s))
        except BaseException as error:  # handed to every job of the batch
            if not batch.done.done() and not batch.paths:
                batch.done.cancel()  # every job left the batch: nobody to hand it to
            elif not batch.done.done():
                failed = error if isinstance(error, Exception) else RoundInterrupted(str(error))
                batch.done.set_exception(failed)
            if not isinstance(error, Exception):
                raise

    async def _crawl(self, batch: Batch, timeout_s: float) -> int:
        with tempfile.TemporaryDirectory(prefix="redline-crawl-") as directory:
            report = Path(directory) / "left-out"  # written by the crawl
            code = await self._run_crawl(batch, timeout_s, report)
            if code in (0, REFUSED_EXIT):
                batch.left_out, batch.refused = _left_out(report, batch.paths)
                if code == REFUSED_EXIT and batch.refused:  # the others were crawled
                    code = 0
        return code

    async def _run_crawl(self, batch: Batch, timeout_s: float, report: Path) -> int:
        settings = {
            **batch.settings,
            "REDLINE_DATABASES": os.pathsep.join(map(str, batch.paths)),
            "REDLINE_LEFT_OUT": str(report),
        }
        # Started from the event loop's thread, which lives as long as the node: the crawl is
        # killed with the node (PR_SET_PDEATHSIG), never left running on shards it gave back.
        child = start_crawl(
            batch.spider, batch.paths[0], {}, settings, self.log_file, die_with_parent=True
        )
        batch.child, self.running = child, batch
        logger.info("%s of %d shard(s) started: pid %s", batch.spider, len(batch.paths), child.pid)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        try:
            while child.poll() is None:
                if loop.time() > deadline:
                    logger.error("%s of %s timed out after %.0f s", batch.spider, batch.paths,
                                 timeout_s)  # fmt: skip
                    await asyncio.to_thread(stop_crawl, child)
                    break
                await asyncio.sleep(POLL_S)
        finally:
            self.running = None
        return int(child.returncode if child.returncode is not None else -1)

    def stop(self) -> None:
        """The node is stopping: no new crawl starts; the running one gets SIGTERM (Scrapy
        finishes the pages in flight and exits; what was not checked stays due)."""
        self.stopping = True
        if self.running is not None and self.running.child is not None:
            self.running.child.send_signal(signal.SIGTERM)


def _left_out(report: Path, paths: list[Path]) -> tuple[frozenset[Path], frozenset[Path]]:
    """The files a crawl says it left out, and those of them it refused (`REFUSED_MARK`); all of
    them left out if it wrote no report (it never opened its databases: none of its rounds is
    known to be done)."""
    try:
        lines = report.read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset(paths), frozenset()
    named = {Path(line.removeprefix(REFUSED_MARK)) for line in lines if line}
    refused = {
        Path(line.removeprefix(REFUSED_MARK)) for line in lines if line.startswith(REFUSED_MARK)
    }
    return (
        frozenset(path for path in paths if path in named),
        frozenset(path for path in paths if path in refused),
    )
