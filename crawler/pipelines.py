"""Hand each fetched page to the monitor, which extracts, compares and stores it.

The reactor's thread only fetches. Everything that touches the database (deciding whether a page
needs extracting, comparing, writing) runs in one writer thread that owns the connection, one page
at a time in arrival order. When `record_page` reaches a page it must extract, the extractor the
pipeline gave it raises `ExtractLater`; the page is extracted in a worker process
(`monitor.extract.pool`), several at once, and recorded again with that extraction. Hashing,
SQLite and the workers release the GIL, so the downloads go on meanwhile; stats and log lines are
written back in the reactor's thread.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.config import CrawlConfig, crawl_config
from crawler.items import LinksItem, PageItem
from monitor import store
from monitor.errors import ExtractionError, RedlineError, StorageError, WorkerStartError
from monitor.extract.article import Article
from monitor.extract.pool import ExtractionPool
from monitor.fetch.addresses import is_private_url
from monitor.record.page import (
    CheckResult,
    ExtractLater,
    Extractor,
    FetchedPage,
    extract_in_process,
    record_page,
)

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, config: CrawlConfig, crawler: Crawler) -> None:
        self.config = config
        self.crawler = crawler
        self.db: Any = None
        self.writer: ThreadPool | None = None  # one thread: the only user of `db`
        self.pool: ExtractionPool | None = None
        self.extractors: ThreadPool | None = None  # one thread per worker process, waiting on it
        self.workers_broken = False  # no worker could start: extract in the writer thread
        # The database could not be written (disk full, read-only, I/O error): the round stops,
        # every page after that is dropped unrecorded, and `scrapy crawl` exits 3.
        self.storage_error: StorageError | None = None
        self.dropped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawl_config(crawler.settings), crawler)

    def open_spider(self) -> None:
        from twisted.internet import reactor  # the one Scrapy installed (importing installs)

        self.db = store.open_db(self.config.db_path)
        self.writer = ThreadPool(1, 1, name="redline-store")
        self.writer.start()
        workers = self.config.extract_workers
        if workers:
            # Workers start on first use: a round of unchanged pages starts none.
            self.pool = ExtractionPool(workers, self.config.extract_timeout)
            self.extractors = ThreadPool(0, workers, name="redline-extract")
            self.extractors.start()
        # A forced shutdown (a second Ctrl-C) skips close_spider; idle threads would then keep
        # the interpreter from exiting, and busy workers would finish pages nobody will record.
        reactor.addSystemEventTrigger("during", "shutdown", self._stop_threads, kill=True)

    def close_spider(self) -> None:
        # Called once every item is processed: nothing is in flight.
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
        self._stop_threads()
        if self.db is not None:
            self.db.close()

    def _stop_threads(self, kill: bool = False) -> None:
        if self.pool is not None:
            self.pool.close(kill=kill)  # queued extractions then fail at once
        for threads in (self.extractors, self.writer):
            if threads is not None:
                threads.stop()
        self.extractors = self.writer = None

    # ------------------------------------------------------------------ items
    def process_item(self, item: Any) -> Any:
        if self.storage_error is not None:
            self.dropped += 1
            raise DropItem(f"not recorded: {self.storage_error}")
        if isinstance(item, LinksItem):
            return (
                self._in_writer(self._record_links, item)
                .addCallback(self._links_recorded, item)
                .addErrback(self._stop_on_storage_error)
            )
        if not isinstance(item, PageItem):
            return item
        page = FetchedPage(**dataclasses.asdict(item))
        recording = self._in_writer(self._record_unless_extracting, page)
        return (
            recording.addCallback(self._extract_then_record, page)
            .addCallback(self._recorded, item, page)
            .addErrback(self._stop_on_storage_error)
        )

    def _in_writer(self, function: Any, *args: Any) -> Deferred[Any]:
        from twisted.internet import reactor

        assert self.writer is not None
        return deferToThreadPool(reactor, self.writer, function, *args)

    def _record_unless_extracting(self, page: FetchedPage) -> CheckResult | None:
        """In the writer thread: record the page now, or None when `record_page` stopped where
        it would extract, and the page goes to a worker first."""
        workers = self.pool is not None and not self.workers_broken
        try:
            return self._record(page, _extract_later if workers else extract_in_process)
        except ExtractLater:
            return None

    def _extract_then_record(
        self, result: CheckResult | None, page: FetchedPage
    ) -> CheckResult | Deferred[CheckResult]:
        if result is not None:
            return result
        from twisted.internet import reactor

        if self.pool is None or self.extractors is None:
            return self._in_writer(self._record, page, extract_in_process)
        extracting: Deferred[Article | ExtractionError] = deferToThreadPool(
            reactor, self.extractors, _extract, self.pool, page
        )
        return extracting.addCallback(self._record_extracted, page)

    def _record_extracted(
        self, done: Article | ExtractionError, page: FetchedPage
    ) -> Deferred[CheckResult]:
        extractor = _ahead(page, done)
        if isinstance(done, WorkerStartError):
            # No worker can start (a broken installation, no processes left): this page and the
            # rest of the round are extracted in the writer thread, as with 0 workers.
            if not self.workers_broken:
                logger.error("%s; extracting in the crawler's process from now on", done)
                self.workers_broken = True
            extractor = extract_in_process
        return self._in_writer(self._record, page, extractor)

    def _stop_on_storage_error(self, failure: Any) -> Any:
        """In the reactor's thread: a storage error stops the round (once) and drops the item;
        any other failure goes on to Scrapy as before."""
        if not failure.check(StorageError):
            return failure
        self.dropped += 1
        if self.storage_error is None:
            self.storage_error = failure.value
            setattr(self.crawler, "redline_storage_error", str(failure.value))  # noqa: B010
            logger.error("storage error: %s; stopping the round", failure.value)
            if self.crawler.engine is not None:
                from scrapy.utils.defer import deferred_from_coro

                deferred_from_coro(
                    self.crawler.engine.close_spider_async(reason="redline_storage_error")
                )
        raise DropItem(f"not recorded: {failure.value}")

    def _record(self, page: FetchedPage, extractor: Extractor) -> CheckResult:
        """In the writer thread."""
        if self.storage_error is not None:
            raise StorageError(str(self.storage_error))
        try:
            return record_page(
                self.db, page, store.utc_now(), self.config.policy, extractor=extractor
            )
        except sqlite3.Error as error:
            if store.is_storage_error(error):
                # Rolled back: nothing of this page was written.
                raise StorageError(f"database {self.config.db_path}: {error}") from error
            raise DropItem(f"could not record {page.url}: {error}") from error
        except RedlineError as error:
            # The transaction was rolled back: nothing half-written. Drop with the reason.
            raise DropItem(f"could not record {page.url}: {error}") from error

    def _recorded(self, result: CheckResult, item: PageItem, page: FetchedPage) -> PageItem:
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"redline/outcome/{result.outcome}")
        if result.summary:
            logger.info("%s: %s (%s)", result.outcome, page.url, result.summary)
        else:
            logger.info("%s: %s %s", result.outcome, page.url, result.reason)
        return item

    def _record_links(self, item: LinksItem) -> int:
        """In the writer thread: track the listed links; returns how many were new."""
        urls = item.urls
        fetch = dict(zip(item.urls, item.fetch_urls, strict=False))
        if not self.config.allow_private:
            refused = [url for url in urls if is_private_url(url)]
            for url in refused:
                logger.warning("refused %s from %s: private address", url, item.source_url)
            urls = [url for url in urls if url not in set(refused)]
        try:
            return store.track_discovered(
                self.db, item.source_id, urls, store.utc_now(), fetch_urls=fetch
            )
        except sqlite3.Error as error:
            if store.is_storage_error(error):
                raise StorageError(f"database {self.config.db_path}: {error}") from error
            raise DropItem(f"could not record links of {item.source_url}: {error}") from error

    def _links_recorded(self, new: int, item: LinksItem) -> LinksItem:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("redline/discovered", new)
        logger.info("%d new article(s) of %d listed by %s", new, len(item.urls), item.source_url)
        return item


def _extract_later(body: bytes, url: str, content_type: str = "") -> Article:
    raise ExtractLater


def _extract(pool: ExtractionPool, page: FetchedPage) -> Article | ExtractionError:
    """In an extraction thread: the page's extraction, or why there is none (kept as a value, so
    the check is recorded either way)."""
    try:
        return pool.extract(page.body, page.final, page.content_type)
    except ExtractionError as error:
        return error
    except Exception as error:  # a bug here must cost one page, not hang the round
        return ExtractionError(f"extraction failed: {type(error).__name__}: {error}")


def _ahead(page: FetchedPage, done: Article | ExtractionError) -> Extractor:
    """An extractor that hands back the extraction made ahead for this page's body and URL, and
    extracts in-process anything else `record_page` asks for."""

    def extractor(body: bytes, url: str, content_type: str = "") -> Article:
        if body is page.body and url == page.final:
            if isinstance(done, ExtractionError):
                raise done
            return done
        return extract_in_process(body, url, content_type)

    return extractor
