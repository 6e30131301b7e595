"""Hand each fetched page to the monitor, which extracts, compares and stores it.

Pages whose bytes changed are first extracted in worker processes (`monitor.pool`), from a thread
pool of the same size, so the reactor keeps downloading and several pages are extracted at once;
the comparison and the write then run in the reactor's thread, one page at a time.
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
from monitor.article import Article
from monitor.errors import ExtractionError, RedlineError
from monitor.pool import ExtractionPool
from monitor.record import (
    Extractor,
    FetchedPage,
    extract_in_process,
    needs_extraction,
    record_page,
)
from monitor.urls import is_private_url

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, config: CrawlConfig, crawler: Crawler) -> None:
        self.config = config
        self.crawler = crawler
        self.db: Any = None
        self.pool: ExtractionPool | None = None
        self.threads: ThreadPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawl_config(crawler.settings), crawler)

    def open_spider(self) -> None:
        self.db = store.open_db(self.config.db_path)
        workers = self.config.extract_workers
        if workers:
            from twisted.internet import reactor  # the one Scrapy installed (importing installs)

            # Workers start on first use: a round of unchanged pages starts none.
            self.pool = ExtractionPool(workers, self.config.extract_timeout)
            self.threads = ThreadPool(0, workers, name="redline-extract")
            self.threads.start()
            # A forced shutdown (a second Ctrl-C) skips close_spider; idle pool threads would
            # then keep the interpreter from exiting.
            reactor.addSystemEventTrigger("during", "shutdown", self._stop_extraction)

    def close_spider(self) -> None:
        # Called once every item is processed: no extraction is in flight.
        if self.pool is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value("redline/extract_workers", self.pool.started)
        self._stop_extraction()
        if self.db is not None:
            self.db.close()

    def _stop_extraction(self) -> None:
        threads, pool, self.threads, self.pool = self.threads, self.pool, None, None
        if threads is not None:
            threads.stop()
        if pool is not None:
            pool.close()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, LinksItem):
            return self._record_links(item)
        if not isinstance(item, PageItem):
            return item
        page = FetchedPage(**dataclasses.asdict(item))
        if self.pool is not None and self.threads is not None and needs_extraction(self.db, page):
            from twisted.internet import reactor

            extracting: Deferred[Article | ExtractionError] = deferToThreadPool(
                reactor, self.threads, _extract, self.pool, page
            )
            return extracting.addCallback(lambda done: self._record(item, page, _ahead(page, done)))
        return self._record(item, page)

    def _record(self, item: PageItem, page: FetchedPage, extractor: Extractor | None = None) -> Any:
        options = {"extractor": extractor} if extractor else {}
        try:
            result = record_page(self.db, page, store.utc_now(), self.config.policy, **options)
        except (RedlineError, sqlite3.Error) as error:
            # The transaction was rolled back: nothing half-written. Drop with the reason.
            raise DropItem(f"could not record {page.url}: {error}") from error
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"redline/outcome/{result.outcome}")
        if result.summary:
            logger.info("%s: %s (%s)", result.outcome, page.url, result.summary)
        else:
            logger.info("%s: %s %s", result.outcome, page.url, result.reason)
        return item

    def _record_links(self, item: LinksItem) -> LinksItem:
        urls = item.urls
        if not self.config.allow_private:
            refused = [url for url in urls if is_private_url(url)]
            for url in refused:
                logger.warning("refused %s from %s: private address", url, item.source_url)
            urls = [url for url in urls if url not in set(refused)]
        try:
            new = store.track_discovered(self.db, item.source_id, urls, store.utc_now())
        except sqlite3.Error as error:
            raise DropItem(f"could not record links of {item.source_url}: {error}") from error
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("redline/discovered", new)
        logger.info("%d new article(s) of %d listed by %s", new, len(item.urls), item.source_url)
        return item


def _extract(pool: ExtractionPool, page: FetchedPage) -> Article | ExtractionError:
    """In a pool thread: the page's extraction, or why there is none (kept as a value, so the
    record is written in the reactor's thread either way)."""
    try:
        return pool.extract(page.body, page.final_url or page.url)
    except ExtractionError as error:
        return error


def _ahead(page: FetchedPage, done: Article | ExtractionError) -> Extractor:
    """An extractor that hands back the extraction made ahead for this page's body and URL, and
    extracts in-process anything else `record_page` asks for."""

    def extractor(body: bytes, url: str) -> Article:
        if body is page.body and url == (page.final_url or page.url):
            if isinstance(done, ExtractionError):
                raise done
            return done
        return extract_in_process(body, url)

    return extractor
