"""robots.txt obeyed for every request, with its Crawl-delay applied.

Scrapy's RobotsTxtMiddleware is not enough on its own:

- Scrapy 2.19 hands the requests that wait for a site's robots.txt one shared Deferred and awaits
  it as an asyncio Future, which consumes its result: the first waiter gets the parser, every
  later one gets None, which means "no robots.txt, fetch anything". A check round with three or
  more due articles on a site fetched the third and later ones whatever robots.txt said. Here
  each waiter reads the parser from the cache once it is settled.
- A robots.txt that cannot be read (5xx or 429 after retries, timeout, refused) made Scrapy fetch
  everything; RFC 9309 §2.3.1.4 says to assume a complete disallow, so nothing is fetched from
  that site this round (the articles get an error check and are retried later).
- A rule is checked against the URL as written and as a server resolves its path (dot segments,
  repeated slashes, encoded dots and slashes, path parameters), so `/news/../private/x` or
  `//private/x` does not slip past `Disallow: /private/`.
- Scrapy parses Crawl-delay but does not use it (scrapy#892): the download slot's delay of each
  site is raised to its Crawl-delay, without jitter, and AutoThrottle is told not to lower it.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

FORBIDDEN = "Forbidden by robots.txt"  # Scrapy's own wording, which the check spider recognises
UNREACHABLE = "robots.txt unreachable"


class Unreachable(RobotParser):
    """The robots.txt of a site that could not be read: every URL of the site is disallowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Unreachable:
        return cls("")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


def as_served(url: str) -> str:
    """The URL with its path as a server most likely resolves it: %2E and %2F decoded, path
    parameters (`;jsessionid=…`) dropped, repeated slashes merged, dot segments removed."""
    parts = urlsplit(url)
    path = re.sub(r"%2[eE]", ".", re.sub(r"%2[fF]", "/", parts.path))
    path = re.sub(r"/{2,}", "/", re.sub(r";[^/]*", "", path))
    path = urlsplit(urljoin("http://host/", path or "/")).path  # RFC 3986 dot-segment removal
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # A site asking for more than this is asking not to be monitored; we still cap the wait
        # so one site cannot stall a whole round.
        self.max_delay = crawler.settings.getfloat("REDLINE_MAX_CRAWL_DELAY", 60.0)
        self.applied: dict[str, float] = {}
        self.robots: dict[str, RobotParser | None] = {}  # by netloc, once read (None: allow all)
        self.waiting: dict[str, list[Deferred[None]]] = {}  # by netloc, while it is being read

    # --- reading robots.txt, once per site and crawl ----------------------------------------
    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        key = url.netloc.lower()
        if key in self.robots:
            return self.robots[key]
        if key in self.waiting:
            ready: Deferred[None] = Deferred()  # one per waiter: nothing to consume
            self.waiting[key].append(ready)
            await maybe_deferred_to_future(ready)
            return self.robots[key]
        self.waiting[key] = []
        parser: RobotParser | None = Unreachable("not read")
        try:
            parser = await self._read(url.scheme, url.netloc, request)
        finally:
            self.robots[key] = parser
            for ready in self.waiting.pop(key):
                ready.callback(None)
        return parser

    async def _read(self, scheme: str, netloc: str, request: Request) -> RobotParser | None:
        assert self.crawler.engine is not None
        robots_request = Request(
            f"{scheme}://{netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception as error:  # network error or timeout, after retries
            self._stats.inc_value(f"robotstxt/exception_count/{type(error)}")
            return self._unreachable(netloc, f"{type(error).__name__}: {error}")
        status = response.status
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{status}")
        if status == 429 or not 200 <= status < 500:
            return self._unreachable(netloc, f"HTTP {status}")
        # RFC 9309: a 4xx robots.txt means there is none, whatever page the site sends instead.
        body = response.body if status < 300 else b""
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=request
        )
        return parser

    def _unreachable(self, netloc: str, reason: str) -> Unreachable:
        logger.warning("robots.txt of %s unreachable (%s): nothing fetched from it", netloc, reason)
        return Unreachable(reason)

    # --- deciding -----------------------------------------------------------------------------
    def refusal(self, parser: RobotParser | None, url: str, agent: Any) -> str:
        """Why robots.txt forbids fetching `url`, or "" when it allows it."""
        if isinstance(parser, Unreachable):
            return f"{UNREACHABLE} ({parser.reason})"
        if parser is None:
            return ""
        if parser.allowed(url, agent) and parser.allowed(as_served(url), agent):
            return ""
        return FORBIDDEN

    def known_refusal(self, url: str) -> str | None:
        """Why robots.txt forbids `url`, "" when it allows it, None when this crawl has not read
        the robots.txt of its site (nothing is fetched to find out)."""
        key = urlsplit(url).netloc.lower()
        if key not in self.robots:
            return None
        return self.refusal(self.robots[key], url, self._agent(None))

    def _agent(self, request: Request | None) -> Any:
        if self._robotstxt_useragent:
            return self._robotstxt_useragent
        if request is None:
            return self._default_useragent
        return request.headers.get(b"User-Agent", self._default_useragent)

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        refusal = self.refusal(rp, request.url, self._agent(request))
        if refusal:
            logger.debug("%s: %s", refusal, request)
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(refusal)
        if rp is not None:
            self._apply_crawl_delay(rp, request)

    def _apply_crawl_delay(self, rp: RobotParser, request: Request) -> None:
        delay = rp.crawl_delay(self._agent(request) or b"*")
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


def robots_middleware(crawler: Crawler) -> RobotsCrawlDelayMiddleware | None:
    """The crawl's robots.txt middleware, or None when robots.txt is not obeyed."""
    if crawler.engine is None:
        return None
    for middleware in crawler.engine.downloader.middleware.middlewares:
        if isinstance(middleware, RobotsCrawlDelayMiddleware):
            return middleware
    return None
