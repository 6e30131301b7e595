"""Scrapy's per-page log records, made only when they are written.

Scrapy builds a DEBUG record for every response ("Crawled (200) <GET ...>") and every item
("Scraped from ..."), whatever LOG_LEVEL says: the handler drops them afterwards. At the default
INFO that is two records a page made for nothing (about a twentieth of an unchanged round's
reactor time). Below DEBUG they are not made; at DEBUG they are as before. Redline logs each
page's outcome itself (`crawler.pipelines`).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter, LogFormatterResult
from scrapy.settings import BaseSettings


def writes_debug(settings: BaseSettings) -> bool:
    """Whether the crawl's log keeps DEBUG records (LOG_LEVEL). Scrapy leaves the loggers at
    NOTSET and drops records below LOG_LEVEL in its handler: `logger.isEnabledFor(DEBUG)` is
    True whatever LOG_LEVEL says, and a DEBUG record is built (its caller looked up) for
    nothing."""
    level = settings.get("LOG_LEVEL") or "DEBUG"
    number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    return not isinstance(number, int) or number <= logging.DEBUG


class QuietLogFormatter(LogFormatter):
    def __init__(self, debug: bool = True) -> None:
        super().__init__()
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogFormatter:
        return cls(debug=writes_debug(crawler.settings))

    # Scrapy writes nothing for a method returning None.
    def crawled(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().crawled(*args, **kwargs) if self.debug else None

    def scraped(self, *args: Any, **kwargs: Any) -> LogFormatterResult | None:  # type: ignore[override]
        return super().scraped(*args, **kwargs) if self.debug else None
