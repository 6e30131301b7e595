"""Hand each fetched page to the monitor, which extracts, compares and stores it.

The reactor's thread only fetches. Everything that touches the database (deciding whether a page
needs extracting, comparing, writing) runs in one writer thread that owns the connection, one page
at a time in arrival order. When `record_page` reaches a page it must extract, the extractor the
pipeline gave it raises `ExtractLater`; the page is extracted in a worker process
(`monitor.extract.pool`), several at once, and recorded again with that extraction. Likewise when
it reaches a comparison (the content changed): the comparer raises `CompareLater`, the two
versions are compared in a worker under REDLINE_COMPARE_TIMEOUT (past it, or if the worker dies,
the version gets a coarse summary and is marked capped) and the page is recorded again. Hashing,
SQLite and the workers release the GIL, so the downloads go on meanwhile; stats and log lines are
written back in the reactor's thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import sqlite3
from collections import Counter, deque
from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.failure import Failure
from twisted.python.threadpool import ThreadPool

from crawler.config import CrawlConfig, crawl_config
from crawler.databases import crawl_databases
from crawler.items import LinksItem, PageItem
from crawler.logs import writes_debug
from crawler.writer import Writer
from monitor import store
from monitor.crawl import UNCHANGED_PROGRESS_EVERY, UNCHANGED_SO_FAR
from monitor.errors import (
    ComparisonError,
    ComparisonTimeoutError,
    ExtractionError,
    RedlineError,
    StorageError,
    WorkerStartError,
)
from monitor.extract.article import Article
from monitor.extract.pool import ExtractionPool
from monitor.fetch.addresses import is_private_url
from monitor.record.page import (
    CheckResult,
    CompareLater,
    Comparer,
    ExtractLater,
    Extractor,
    FetchedPage,
    PageReading,
    Reader,
    extract_in_process,
    read_in_process,
    record_page,
)
from monitor.record.versions import (
    RawPage,
    VersionComparison,
    compare_abandoned,
    compare_versions,
)
from monitor.store import sitememory as sitememory_store

logger = logging.getLogger(__name__)

# Known pages on their way (RECORDS_IN_FLIGHT, `crawler.config`) hold at most this many bytes of
# their bodies, whatever their number (a page larger on its own
# still goes when none is on its way). Scrapy's bound on the responses it holds for the spider
# (SCRAPER_SLOT_MAX_ACTIVE_SIZE) no longer sees a page once it is handed over: without this, 64
# pages of up to DOWNLOAD_MAXSIZE (10 MB) could wait at once while the writer waits for another
# writer's lock. 16 MB: 64 pages of 256 kB.
RECORDS_IN_FLIGHT_BYTES = 16 * 1024 * 1024
# The crawl's connections copy the write-ahead log back into the database file once it holds
# this many pages (SQLite's default is 1,000), and when the last connection closes. A check of
# an unchanged page writes 4 to 5 pages, mostly the same ones page after page: a checkpoint
# every ~800 checks instead of every ~200 copies fewer pages (0.33 -> 0.28 ms of the writer's
# CPU a check, issue 23) for a log of at most ~16 MB. Every check stays its own transaction.
WAL_CHECKPOINT_PAGES = 4000


class RoundHeap:
    """The objects alive when a round opens (Scrapy, Twisted, SQLite's wrappers, Redline's
    modules: most of the crawl's heap) moved out of the garbage collector's reach for the
    round (`gc.freeze`), and back at its end. A full collection traverses every object it
    tracks: in a 1,000-page round of 304s one to two came during the round, 0.1-0.5 s of the
    reactor's thread in all (issue 23, rounds8), against 0.00-0.05 s frozen. What the round
    makes is collected as before; a cycle among the frozen objects waits for the round's end."""

    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        # Not when the collector is off, nor when someone else froze objects (theirs to thaw).
        if not self.frozen and gc.isenabled() and not gc.get_freeze_count():
            gc.freeze()
            self.frozen = True

    def thaw(self) -> None:
        """Back in reach (a process running several rounds, such as the tests', collects them
        again), once, and only after `freeze` froze them."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False


class StorePipeline:
    def __init__(self, config: CrawlConfig, crawler: Crawler) -> None:
        self.config = config
        self.crawler = crawler
        self.dbs: dict[str, Any] = {}  # database file -> its connection, used by `writer` only
        self.rounds: dict[str, int] = {}  # database file -> its check round (`check_rounds`)
        self.writer: Writer | None = None  # one thread: the only user of `db`
        self.pool: ExtractionPool | None = None
        self.extractors: ThreadPool | None = None  # one thread per worker process, waiting on it
        self.workers_broken = False  # no worker could start: extract in the writer thread
        # The database could not be written (disk full, read-only, I/O error): the round stops,
        # every page after that is dropped unrecorded, and `scrapy crawl` exits 3.
        self.storage_error: StorageError | None = None
        self.dropped = 0
        self.outcomes: Counter[str] = Counter()  # checks recorded this round, by outcome
        # Known pages handed to the writer by `record_later` and not yet recorded, and the spider
        # waiting for room among them, oldest first (reactor's thread only).
        self.in_flight = 0
        self.bytes_in_flight = 0  # their bodies' length
        self.waiting: deque[_Waiter] = deque()
        # Waits woken for room and not yet resumed, and their pages' bytes: the room they were
        # woken for is theirs (a group's outcomes land together; each wake counts the others).
        self.woken = 0
        self.woken_bytes = 0
        self.heap = RoundHeap()
        # Each unchanged page's own line (DEBUG) is made only when the log keeps it: the
        # record would be built for every page of most rounds and dropped (issue 23). With no
        # crawler (a pipeline driven by hand), they are.
        settings = getattr(crawler, "settings", None)
        self.page_lines = settings is None or writes_debug(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawl_config(crawler.settings), crawler)

    def open_spider(self) -> None:
        from twisted.internet import reactor  # the one Scrapy installed (importing installs)

        for path in crawl_databases(self.crawler).paths:
            db = self.dbs[str(path)] = store.open_db(path)
            db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            try:
                self.rounds[str(path)] = sitememory_store.open_round(db, store.utc_now())
            except sqlite3.Error as error:
                # The pages are still recorded (and the write fails there with its reason if
                # the file cannot be written); only this round's template decision is lost.
                logger.error("could not open a check round in %s: %s", path, error)
        # The check spider hands a page it knows to be unchanged straight to `record_later`.
        setattr(self.crawler, "redline_store", self)  # noqa: B010
        self.writer = Writer(name="redline-store")
        self.writer.start()
        workers = self.config.extract_workers
        if workers:
            # Workers start on first use: a round of unchanged pages starts none.
            self.pool = ExtractionPool(
                workers, self.config.extract_timeout, self.config.compare_timeout
            )
            self.extractors = ThreadPool(0, workers, name="redline-extract")
            self.extractors.start()
        # A forced shutdown (a second Ctrl-C) skips close_spider; idle threads would then keep
        # the interpreter from exiting, and busy workers would finish pages nobody will record.
        reactor.addSystemEventTrigger("during", "shutdown", self._stop_threads, kill=True)
        self.heap.freeze()  # last: everything the round needs is imported and opened

    def expect_extraction(self) -> None:
        """The round has pages never read (the spider says so): they will be extracted, so the
        extraction workers' zygote starts now rather than with the first of them."""
        if self.pool is not None:
            self.pool.start_early()

    async def close_spider(self) -> None:
        # Called once every item is processed; the known pages the spider did not wait for may
        # still be on their way: every one is recorded (or dropped) before the round ends,
        # the last of them without waiting for more to group with (`room` hurries the writer).
        await self.room(bound=1)
        if self.outcomes:
            counts = ", ".join(f"{n} {outcome}" for outcome, n in self.outcomes.most_common())
            logger.info("%d page(s) recorded: %s", self.outcomes.total(), counts)
            for outcome, n in self.outcomes.items():
                if self.crawler.stats is not None:
                    self.crawler.stats.set_value(f"redline/outcome/{outcome}", n)
        if self.storage_error is not None:
            logger.error(
                "storage error: %s; the round stopped, %d fetched page(s) not recorded",
                self.storage_error,
                self.dropped,
            )
            if self.crawler.stats is not None:
                self.crawler.stats.set_value("redline/dropped", self.dropped)
        if self.pool is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value("redline/extract_workers", self.pool.started)
            self.crawler.stats.set_value("redline/extract_zygotes", self.pool.zygotes)
        self._stop_threads()
        if self.storage_error is None:
            self._close_rounds()
        for db in self.dbs.values():
            db.close()
        crawl_databases(self.crawler).release()
        self.heap.thaw()

    def _close_rounds(self) -> None:
        """Decide each database's round: the same change on many articles of a site is one
        `template_changed` event, its edits no longer significant (`monitor.compare.template`).
        Runs once every page of the round is recorded (the writer thread has stopped)."""
        for path, round_id in self.rounds.items():
            try:
                events = sitememory_store.close_round(self.dbs[path], round_id, store.utc_now())
            except sqlite3.Error as error:
                # The round's edits stay as recorded; the next round does not re-decide it.
                logger.error("could not decide the round's template changes in %s: %s", path, error)
                continue
            if events:
                logger.info("%d site template change(s) this round in %s", events, path)
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("redline/template_changes", events)

    def _stop_threads(self, kill: bool = False) -> None:
        if self.pool is not None:
            self.pool.close(kill=kill)  # queued extractions then fail at once
        if self.extractors is not None:
            self.extractors.stop()
        if self.writer is not None:
            self.writer.stop(drop=kill)
            if not kill:
                self.writer.deliver_now()  # nothing it recorded goes uncounted
        self.extractors, self.writer = None, None

    # ------------------------------------------------------------------ items
    async def process_item(self, item: Any) -> Any:
        if self.storage_error is not None:
            self.dropped += 1
            raise DropItem(f"not recorded: {self.storage_error}")
        if isinstance(item, LinksItem):
            done = (
                self._in_writer(self._record_links, item)
                .addCallback(self._links_recorded, item)
                .addErrback(self._stop_on_storage_error)
            )
        elif isinstance(item, PageItem):
            state = _handed(item)
            done = (
                self._in_writer(self._try_record, state)
                .addCallback(self._hand_over, state)
                .addErrback(self._stop_on_storage_error)
            )
        else:
            return item
        # Scrapy 2.19 deprecates a pipeline returning a Deferred: awaited here instead.
        return await maybe_deferred_to_future(done)

    def record_later(self, item: PageItem) -> bool:
        """Record a known page (a 304, or the last page read again, its hash in `sha256`) as
        `process_item` does, without waiting for it to be recorded, for a spider that does not
        yield it as an item (Scrapy's other pipelines, stats and signals do not see it). False,
        and nothing done, while REDLINE_RECORDS_IN_FLIGHT pages are on their way already (await
        `room`, then hand it again). A dropped page is logged as Scrapy logs a dropped item, and not
        counted as checked."""
        if not self._has_room(len(item.body)):
            return False
        if self.storage_error is not None:
            self.dropped += 1
            logger.warning("Dropped: not recorded: %s", self.storage_error)
            # Woken for room it does not take: the next page waiting has its turn, or it waits
            # for a page landing that may never come (every page on its way dropped already).
            self._wake()
            return True
        state = _handed(item)
        assert self.writer is not None
        self.in_flight += 1
        self.bytes_in_flight += len(item.body)
        then = partial(self._recorded_later, state)
        self.writer.submit_grouped(then, self._record_group, item.database, state)
        return True

    def _has_room(self, size: int, bound: int | None = None) -> bool:
        """Whether another page of `size` bytes fits among those on their way (fewer than
        `bound` of them; None: REDLINE_RECORDS_IN_FLIGHT)."""
        limit = self.config.records_in_flight if bound is None else bound
        return _fits(self.in_flight, self.bytes_in_flight, size, limit)

    async def room(self, size: int = 0, bound: int | None = None) -> None:
        """Until a page of `size` bytes fits among the pages handed to `record_later` and on
        their way, fewer than `bound` of them. The waits end in the order they began, each
        once there is room for it (`_wake`)."""
        first = True
        limit = self.config.records_in_flight if bound is None else bound
        while not self._has_room(size, limit):
            waiter = _Waiter(asyncio.get_running_loop().create_future(), size, limit)
            if first:
                self.waiting.append(waiter)
                first = False
            else:  # woken, and the room taken meanwhile by a page that did not wait
                self.waiting.appendleft(waiter)  # first in line again
            if self.writer is not None:  # no more pages come until these land: record them now
                self.writer.hurry()
            try:
                await waiter.ready
            except asyncio.CancelledError:
                if waiter.ready.done() and not waiter.ready.cancelled():  # woken, room unused
                    self._resumed(waiter)
                    self._wake()
                raise
            self._resumed(waiter)

    def _resumed(self, waiter: _Waiter) -> None:
        """A wait woken for room has resumed: its page takes the room now, or waits again."""
        self.woken -= 1
        self.woken_bytes -= waiter.size

    def _wake(self) -> None:
        """Wake the waits for room, oldest first, as far as the room there is now reaches: each
        page landed wakes about one, not every one (hundreds wait when the writer falls behind
        on a round of 304s, and waking them all at every page cost milliseconds a page)."""
        if not self.waiting:
            return
        count, size = self.in_flight + self.woken, self.bytes_in_flight + self.woken_bytes
        while self.waiting:
            waiter = self.waiting[0]
            if waiter.ready.done():  # cancelled (the round was stopped)
                self.waiting.popleft()
                continue
            if not _fits(count, size, waiter.size, waiter.bound):
                return
            self.waiting.popleft().ready.set_result(None)
            self.woken += 1
            self.woken_bytes += waiter.size
            count, size = count + 1, size + waiter.size
        if self.writer is not None:  # no page waits for room: a group may wait for more again
            self.writer.hurry(False)

    def _recorded_later(self, state: _Handed, ok: bool, outcome: Any) -> None:
        """In the reactor's thread: the writer's outcome for a page of `record_later`."""
        if not ok:
            self._landed(outcome, state)
            return
        try:
            done = self._hand_over(outcome, state)
        except Exception:  # the failure is logged like the writer's own (`_landed`)
            self._landed(Failure(), state)
            return
        if isinstance(done, Deferred):  # extracted or compared in a worker first
            done.addErrback(self._stop_on_storage_error).addBoth(self._landed, state)
        else:
            self._landed(None, state)

    def _landed(self, failure: Any, state: _Handed) -> None:
        """A page of `record_later` is recorded, or dropped with `failure`'s reason, once."""
        self.in_flight -= 1
        self.bytes_in_flight -= len(state.item.body)
        self._wake()
        if not isinstance(failure, Failure):
            return
        if failure.check(DropItem):
            logger.warning("Dropped: %s", failure.value)
        elif failure.check(StorageError):
            logger.warning("Dropped: %s", self._stopped_by(failure.value))
        else:  # a bug: the page is lost, the round goes on (as Scrapy does with a spider error)
            logger.error(
                "could not record %s: %s",
                state.page.url,
                failure.value,
                exc_info=(failure.type, failure.value, failure.getTracebackObject()),
            )

    def _in_writer(self, function: Any, *args: Any) -> Deferred[Any]:
        assert self.writer is not None
        return self.writer.call(function, *args)

    def _workers(self) -> bool:
        return self.pool is not None and self.extractors is not None and not self.workers_broken

    def _record_group(self, database: str, states: list[_Handed]) -> list[tuple[bool, Any]]:
        """In the writer thread: the known pages of one database waiting together, recorded in
        one transaction (group commit: one BEGIN and one COMMIT for them all, and no savepoint
        around a quiet check; each hand-over of SQLite's GIL back and forth with the reactor's
        thread costs more than the statement, issue 23). Each page is decided and its plan
        checked on its own: a stale plan is decided again, as alone. A page to extract or
        compare is recorded after the group, on its own (never a version in a group). Any other
        failure rolls the whole group back, and every page of it is recorded again on its own,
        as if never grouped: nothing is half-written, a crash loses the group's checks only."""
        if len(states) == 1 or self.storage_error is not None or database not in self.dbs:
            return [_outcome(self._try_record, state) for state in states]
        db = self.dbs[database]
        alone = self._record_alone
        results: list[tuple[bool, Any] | None] = []
        try:
            with store.write_transaction(db):
                for state in states:
                    try:
                        results.append((True, self._try_record(state, grouped=True)))
                    except _Alone:
                        results.append(None)  # after the group, on its own
        except sqlite3.Error as error:
            if not store.is_storage_error(error):
                return [alone(state) for state in states]
            failure = Failure(StorageError(f"database {database}: {error}"))
            return [(False, failure)] * len(states)
        except StorageError:
            failure = Failure()
            return [(False, failure)] * len(states)
        except Exception:  # rolled back: each on its own, with its own outcome
            return [alone(state) for state in states]
        return [
            done if done is not None else alone(state)
            for done, state in zip(results, states, strict=True)
        ]

    def _record_alone(self, state: _Handed) -> tuple[bool, Any]:
        """In the writer thread: a page of a group recorded on its own, after the group; not
        after a forced stop (`Writer.stop(drop=True)`: the group was the call running, and
        these pages, extracted in this thread with no workers, could take minutes)."""
        if self.writer is not None and self.writer.dropping:
            return False, Failure(
                DropItem(f"not recorded: the crawl was stopped: {state.page.url}")
            )
        return _outcome(self._try_record, state)

    def _try_record(
        self, state: _Handed, grouped: bool = False
    ) -> CheckResult | ExtractLater | CompareLater:
        """In the writer thread: record the page, or the hand-over where `record_page` stopped
        (to extract, or to compare, in a worker first). `grouped`: in a group's transaction,
        where nothing is extracted or compared (`_Alone` is raised instead)."""
        workers = self._workers()
        in_process: Extractor = _extract_alone if grouped else extract_in_process
        extractor = _ahead(state.extracted, _extract_later if workers else in_process, state.page)
        comparer: Comparer = compare_versions
        if state.compared is not None:
            comparer = _compared(*state.compared)
        elif workers:
            comparer = _compare_later
        elif grouped:
            comparer = _compare_alone
        reader = _read_ahead(state.read, state.page)
        try:
            return self._record(state.page, state.item.database, extractor, comparer, reader)
        except (ExtractLater, CompareLater) as later:
            return later

    def _hand_over(
        self, outcome: CheckResult | ExtractLater | CompareLater, state: _Handed
    ) -> CheckResult | Deferred[Any]:
        """In the reactor's thread: done, or run the step handed over in an extraction thread
        and record the page again (each step at most once per page)."""
        from twisted.internet import reactor

        if isinstance(outcome, CheckResult):
            return self._recorded(outcome, state)
        assert self.pool is not None and self.extractors is not None
        if isinstance(outcome, ExtractLater):
            # The fetched page is read for the newsroom in the same worker (not the latest
            # version's raw page, re-extracted after an upgrade).
            read = outcome.body is state.page.body and outcome.url == state.page.final
            step: Deferred[Any] = deferToThreadPool(
                reactor, self.extractors, _extract, self.pool, outcome, read
            )
            step.addCallback(self._extracted, state, outcome)
        else:
            step = deferToThreadPool(
                reactor, self.extractors, _compare, self.pool, outcome, state.page.url
            )
            step.addCallback(self._compared, state, outcome)
        return step.addCallback(lambda _: self._in_writer(self._try_record, state)).addCallback(
            self._hand_over, state
        )

    def _extracted(
        self,
        done: tuple[Article, PageReading | None] | ExtractionError,
        state: _Handed,
        later: ExtractLater,
    ) -> None:
        if isinstance(done, WorkerStartError):
            # No worker can start (a broken installation, no processes left): this page and the
            # rest of the round are extracted and compared in the writer thread, as with 0
            # workers, when the page is recorded again.
            self._workers_broke(done)
            return
        key = _key(later.body, later.url, state.page)
        if isinstance(done, ExtractionError):
            state.extracted[key] = done
            return
        state.extracted[key], reading = done
        if reading is not None:
            state.read[key] = reading

    def _compared(
        self, done: VersionComparison | WorkerStartError, state: _Handed, later: CompareLater
    ) -> None:
        if isinstance(done, WorkerStartError):
            self._workers_broke(done)
            return  # compared in the writer thread when the page is recorded again
        if done.capped and self.crawler.stats is not None:
            self.crawler.stats.inc_value("redline/comparison_capped")
        state.compared = (later, done)

    def _workers_broke(self, error: WorkerStartError) -> None:
        if not self.workers_broken:
            logger.error("%s; extracting in the crawler's process from now on", error)
            self.workers_broken = True

    def _stop_on_storage_error(self, failure: Any) -> Any:
        """In the reactor's thread: a storage error stops the round (once) and drops the item;
        any other failure goes on to Scrapy as before."""
        if not failure.check(StorageError):
            return failure
        raise self._stopped_by(failure.value)

    def _stopped_by(self, error: StorageError) -> DropItem:
        """The round stops (once) on a storage error; the page is dropped, with this reason."""
        self.dropped += 1
        if self.storage_error is None:
            self.storage_error = error
            setattr(self.crawler, "redline_storage_error", str(error))  # noqa: B010
            logger.error("storage error: %s; stopping the round", error)
            if self.crawler.engine is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="redline_storage_error")
                )
        return DropItem(f"not recorded: {error}")

    def _db(self, database: str) -> tuple[Any, str]:
        """The connection of one of the crawl's databases ("": the first) and its path."""
        path = database or next(iter(self.dbs), "")
        if path not in self.dbs:
            raise DropItem(f"not a database of this crawl: {database or '(none)'}")
        return self.dbs[path], path

    def _record(
        self,
        page: FetchedPage,
        database: str,
        extractor: Extractor,
        comparer: Comparer = compare_versions,
        reader: Reader = read_in_process,
    ) -> CheckResult:
        """In the writer thread."""
        if self.storage_error is not None:
            raise StorageError(str(self.storage_error))
        db, path = self._db(database)
        try:
            return record_page(
                db,
                page,
                store.utc_now(),
                self.config.policy,
                extractor=extractor,
                comparer=comparer,
                reader=reader,
            )
        except sqlite3.Error as error:
            if store.is_storage_error(error):
                # Rolled back: nothing of this page was written.
                raise StorageError(f"database {path}: {error}") from error
            raise DropItem(f"could not record {page.url}: {error}") from error
        except RedlineError as error:
            # The transaction was rolled back: nothing half-written. Drop with the reason.
            raise DropItem(f"could not record {page.url}: {error}") from error

    def _recorded(self, result: CheckResult, state: _Handed) -> PageItem:
        page = state.page
        self.outcomes[result.outcome] += 1  # in Scrapy's stats at the round's end
        if result.summary:
            logger.info("%s: %s (%s)", result.outcome, page.url, result.summary)
        elif result.outcome == "unchanged":  # most pages of most rounds: the round's summary
            if self.page_lines:
                logger.debug("%s: %s %s", result.outcome, page.url, result.reason)
            if self.outcomes["unchanged"] % UNCHANGED_PROGRESS_EVERY == 0:
                logger.info(UNCHANGED_SO_FAR, self.outcomes["unchanged"])  # `redline check`'s bar
        else:
            logger.info("%s: %s %s", result.outcome, page.url, result.reason)
        return state.item

    def _record_links(self, item: LinksItem) -> int:
        """In the writer thread: track the listed links; returns how many were new."""
        urls = item.urls
        fetch = dict(zip(item.urls, item.fetch_urls, strict=False))
        if not self.config.allow_private:
            refused = [url for url in urls if is_private_url(url)]
            for url in refused:
                logger.warning("refused %s from %s: private address", url, item.source_url)
            urls = [url for url in urls if url not in set(refused)]
        db, path = self._db(item.database)
        try:
            return store.track_discovered(
                db, item.source_id, urls, store.utc_now(), fetch_urls=fetch
            )
        except sqlite3.Error as error:
            if store.is_storage_error(error):
                raise StorageError(f"database {path}: {error}") from error
            raise DropItem(f"could not record links of {item.source_url}: {error}") from error

    def _links_recorded(self, new: int, item: LinksItem) -> LinksItem:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("redline/discovered", new)
        logger.info("%d new article(s) of %d listed by %s", new, len(item.urls), item.source_url)
        return item


def _fits(count: int, size: int, more: int, bound: int) -> bool:
    """Whether a page of `more` bytes fits beside `count` pages of `size` bytes on their way,
    fewer than `bound` of them (a page too large on its own goes when none is on its way)."""
    return count == 0 or (count < bound and size + more <= RECORDS_IN_FLIGHT_BYTES)


@dataclasses.dataclass(frozen=True)
class _Waiter:
    """A wait for room for a page of `size` bytes among fewer than `bound` pages."""

    ready: asyncio.Future[None]
    size: int
    bound: int


@dataclasses.dataclass
class _Handed:
    """One page on its way through the writer thread and the workers: what was done ahead."""

    item: PageItem
    page: FetchedPage
    # extractions made ahead, by (SHA-256 of the page, URL): the fetched page, and after an
    # extractor upgrade the latest version's raw page
    extracted: dict[tuple[str, str], Article | ExtractionError] = dataclasses.field(
        default_factory=dict
    )
    # the fetched page's reading for the newsroom, made in the worker with its extraction
    read: dict[tuple[str, str], PageReading] = dataclasses.field(default_factory=dict)
    compared: tuple[CompareLater, VersionComparison] | None = None


def _handed(item: PageItem) -> _Handed:
    """The page of `item` on its way: every field of the item but `database` (which file, not
    what was fetched), shallow (each is a string, a number or the body). Named one by one: a
    dictionary of `getattr`s built for every page cost about as much again on the reactor's
    thread (tests/test_known_page_work.py checks that no field is left out)."""
    return _Handed(
        item,
        FetchedPage(
            url=item.url,
            status=item.status,
            body=item.body,
            final_url=item.final_url,
            etag=item.etag,
            last_modified=item.last_modified,
            content_type=item.content_type,
            error=item.error,
            requested_url=item.requested_url,
            retry_after=item.retry_after,
            headers=item.headers,
            screenshot=item.screenshot,
            sha256=item.sha256,
            conditional=item.conditional,
        ),
    )


def _extract_later(body: bytes, url: str, content_type: str = "") -> Article:
    raise ExtractLater(body, url, content_type)


class _Alone(Exception):
    """A page of a group that must be extracted or compared in the writer's thread: recorded
    after the group, in a transaction of its own (the group's write lock is not held for it)."""


def _extract_alone(body: bytes, url: str, content_type: str = "") -> Article:
    raise _Alone(url)


def _compare_alone(
    old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
) -> VersionComparison:
    raise _Alone("compare")


def _outcome(function: Any, *args: Any) -> tuple[bool, Any]:
    """(True, what `function(*args)` returned), or (False, the Failure it raised)."""
    try:
        return True, function(*args)
    except Exception:
        return False, Failure()


def _key(body: bytes, url: str, page: FetchedPage) -> tuple[str, str]:
    """An extraction's key: the SHA-256 of `body` (the fetched page's, hashed once, when it is
    that page's body) and the URL."""
    return (page.digest if body is page.body else store.page_hash(body)), url


def _compare_later(
    old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
) -> VersionComparison:
    raise CompareLater(old, new, old_page, new_page)


def _compared(later: CompareLater, done: VersionComparison) -> Comparer:
    """A comparer that hands back the comparison made ahead for these versions, and compares
    in-process anything else `record_page` asks for (another writer stored a version meanwhile)."""

    def comparer(
        old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
    ) -> VersionComparison:
        if (old, new, old_page, new_page) == (later.old, later.new, later.old_page, later.new_page):
            return done
        return compare_versions(old, new, old_page, new_page)

    return comparer


def _compare(
    pool: ExtractionPool, later: CompareLater, url: str
) -> VersionComparison | WorkerStartError:
    """In an extraction thread: the comparison, or a coarse one when it ran out of time or its
    worker died (never an error: the version is stored either way)."""
    try:
        return pool.compare(later.old, later.new, later.old_page, later.new_page)
    except WorkerStartError as error:
        return error
    except ComparisonTimeoutError:
        why = f"timed out after {pool.compare_timeout:g} s"
    except ComparisonError as error:
        why = f"failed ({error})"
    except Exception as error:  # a bug here must cost one comparison, not hang the round
        why = f"failed ({type(error).__name__}: {error})"
    logger.warning("comparison of a new version of %s %s", url, why)
    return compare_abandoned(later.old, later.new, why)


def _extract(
    pool: ExtractionPool, later: ExtractLater, read: bool
) -> tuple[Article, PageReading | None] | ExtractionError:
    """In an extraction thread: the page's extraction (and with `read` its reading), or why
    there is none (kept as a value, so the check is recorded either way)."""
    try:
        if read:
            return pool.extract_and_read(later.body, later.url, later.content_type)
        return pool.extract(later.body, later.url, later.content_type), None
    except ExtractionError as error:
        return error
    except Exception as error:  # a bug here must cost one page, not hang the round
        return ExtractionError(f"extraction failed: {type(error).__name__}: {error}")


def _read_ahead(read: dict[tuple[str, str], PageReading], page: FetchedPage) -> Reader:
    """A reader that hands back the reading made ahead in a worker, and reads in this process
    anything else (the page was extracted here, or its reading failed in the worker)."""

    def reader(body: bytes, url: str) -> PageReading:
        done = read.get(_key(body, url, page)) if read else None
        return done if done is not None else read_in_process(body, url)

    return reader


def _ahead(
    extracted: dict[tuple[str, str], Article | ExtractionError],
    otherwise: Extractor,
    page: FetchedPage,
) -> Extractor:
    """An extractor that hands back the extractions made ahead (by body and URL), and calls
    `otherwise` for anything else `record_page` asks for."""

    def extractor(body: bytes, url: str, content_type: str = "") -> Article:
        done = extracted.get(_key(body, url, page)) if extracted else None
        if done is None:
            return otherwise(body, url, content_type)
        if isinstance(done, ExtractionError):
            raise done
        return done

    return extractor
