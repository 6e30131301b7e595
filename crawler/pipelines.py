"""Hand each fetched page to the monitor, which extracts, compares and stores it."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.config import CrawlConfig, crawl_config
from crawler.items import LinksItem, PageItem
from monitor import store
from monitor.errors import RedlineError
from monitor.record import FetchedPage, record_page
from monitor.urls import is_private_url

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, config: CrawlConfig, crawler: Crawler) -> None:
        self.config = config
        self.crawler = crawler
        self.db: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawl_config(crawler.settings), crawler)

    def open_spider(self) -> None:
        self.db = store.open_db(self.config.db_path)

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, LinksItem):
            return self._record_links(item)
        if not isinstance(item, PageItem):
            return item
        page = FetchedPage(**dataclasses.asdict(item))
        try:
            result = record_page(self.db, page, store.utc_now(), self.config.policy)
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
