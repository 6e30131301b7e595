"""A Scrapy extension for tests (`-s EXTENSIONS={"tests.modules_seen.ModulesSeen": 0}`): when the
spider closes (the round recorded, the store's pipeline closed), whether each module of `WATCHED`
was ever imported by the crawl, in its stats as `test/loaded/NAME` (1 or 0)."""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.crawler import Crawler

EXTENSION = "tests.modules_seen.ModulesSeen"
# What a round of known pages should not need: the comparison and the extraction (and the
# libraries under them), the newsroom's decisions and the site memory's; with one module every
# round needs, so that a stat of 0 is known to be read from a crawl that imported what it used.
NOT_FOR_KNOWN_PAGES = (
    "monitor.compare.comparison",
    "monitor.compare.align",
    "monitor.compare.normalize",
    "monitor.compare.sitememory",
    "monitor.compare.template",
    "monitor.compare.variants",
    "monitor.compare.posts",
    "monitor.record.newsroom",
    "monitor.store.newsroom",
    "monitor.extract.extraction",
    "monitor.extract.liveblog",
    "trafilatura",
    "syntok",
    "rapidfuzz",
)
# The lexicon's patterns: a 200 is searched for a bot wall's title, a 304 needs none of them.
NOT_FOR_304S = ("monitor.lexicon",)
EVERY_ROUND = "monitor.record.page"
WATCHED = (*NOT_FOR_KNOWN_PAGES, *NOT_FOR_304S, EVERY_ROUND)


class ModulesSeen:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ModulesSeen:
        extension = cls(crawler)
        # A bound method of an object the crawler keeps (signals hold handlers weakly).
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def closed(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for name in WATCHED:
            stats.set_value(f"test/loaded/{name}", int(name in sys.modules))
