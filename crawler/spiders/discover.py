"""`scrapy crawl discover`: fetch every source (feed, sitemap, section page) and track the
article links it lists; sitemap indexes and robots.txt `Sitemap:` lines are followed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.config import CrawlConfig, crawl_config
from crawler.databases import crawl_databases
from crawler.items import LinksItem
from crawler.middlewares import robots_middleware
from monitor import store
from monitor.store.watch import watched_sources


class DiscoverSpider(scrapy.Spider):
    name = "discover"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config: CrawlConfig | None = None
        self.max_depth = 3

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DiscoverSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.config = crawl_config(crawler.settings)
        spider.max_depth = crawler.settings.getint("REDLINE_SITEMAP_DEPTH", 3)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        databases = crawl_databases(self.crawler)
        if databases.stopped:  # its one line is logged already
            return
        if not databases.paths:
            self.logger.error("nothing discovered: %s", "; ".join(databases.busy))
            return
        sources = []
        for path in databases.paths:
            db = store.open_db(path)
            try:  # not those paused or removed
                sources += [source | {"database": str(path)} for source in watched_sources(db)]
            finally:
                db.close()
        self.logger.info("discovering from %d source(s)", len(sources))
        for source in sources:
            yield self._request(source, source["url"], depth=0)

    def _request(self, source: store.Row, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse,
            errback=self.failed,
            dont_filter=depth == 0,
            meta={"source": source, "depth": depth},
        )

    def parse(self, response: Response) -> Any:
        # Imported here: Scrapy loads every spider module at start-up, and feed parsing (feedparser)
        # is needed only by this spider, which a check round never runs.
        from monitor.fetch.discover import SitemapTooLargeError, parse_source

        source = response.meta["source"]
        try:
            found = parse_source(source["kind"], response.body, response.url, source["match"] or "")
        except SitemapTooLargeError as error:
            self.logger.warning("source %s not read: compressed sitemap %s", response.url, error)
            return
        # robots.txt is asked about the URL that will be fetched, the one the page links to.
        kept = set(
            self._not_refused([link.fetch_url or link.url for link in found.links], response.url)
        )
        links = [link for link in found.links if (link.fetch_url or link.url) in kept]
        if links:
            yield LinksItem(
                source["id"],
                response.url,
                [link.url for link in links],
                [link.fetch_url for link in links],
                source["database"],
            )
        elif not found.links and not found.sitemaps:
            self.logger.warning("source %s listed no article links", response.url)
        depth = response.meta["depth"]
        for url in found.sitemaps:
            if depth < self.max_depth:
                yield self._request(source, url, depth + 1)

    def _not_refused(self, urls: list[str], source_url: str) -> list[str]:
        """The links robots.txt lets Redline fetch: a disallowed link is never tracked. Only
        robots.txt files this crawl has read are consulted (the source's own site, always):
        links elsewhere are tracked, and the check round obeys their site's robots.txt."""
        robots = robots_middleware(self.crawler)
        if robots is None:
            return urls
        refused = {url: why for url in urls if (why := robots.known_refusal(url))}
        for url, why in refused.items():
            self.logger.warning("refused %s from %s: %s", url, source_url, why)
        return [url for url in urls if url not in refused]

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.logger.warning(
            "source %s not fetched: %s",
            request.url,
            failure.getErrorMessage() or failure.type.__name__,
        )
