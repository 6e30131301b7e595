"""robots.txt with its Crawl-delay applied: Scrapy parses Crawl-delay but does not use it
(scrapy#892). This subclass of Scrapy's RobotsTxtMiddleware raises the download slot's delay of
each site to its Crawl-delay without jitter, on every request, and tells AutoThrottle not to
adjust it for those requests."""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


class _OneLine(logging.Filter):
    """A robots.txt that cannot be downloaded (site down, refused) is an everyday network event;
    Scrapy logs it with a traceback. Keep the one line that says what happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _OneLine) for f in robots_logger.filters):
            robots_logger.addFilter(_OneLine())
        # A site asking for more than this is asking not to be monitored; we still cap the wait
        # so one site cannot stall a whole round.
        self.max_delay = crawler.settings.getfloat("REDLINE_MAX_CRAWL_DELAY", 60.0)
        self.applied: dict[str, float] = {}

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)  # raises IgnoreRequest when disallowed
        if rp is None:
            return
        agent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        delay = rp.crawl_delay(agent or b"*")
        if not delay or self.crawler.engine is None:
            return
        delay = min(float(delay), self.max_delay)
        # AutoThrottle would otherwise average the slot's delay down after fast responses.
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot_settings = downloader.per_slot_settings.setdefault(key, {})
        slot_settings["delay"] = max(float(slot_settings.get("delay", 0.0)), delay)
        # Scrapy varies delays by ±50 % by default; a Crawl-delay is a minimum, so no jitter.
        slot_settings["jitter"] = 0.0
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        if self.applied.get(key) != delay:
            self.applied[key] = delay
            logger.info("applying robots.txt Crawl-delay of %.1f s to %s", delay, key)
