"""A site that asks us to wait is left alone for the rest of the round, not only from the next.

A 429 or 503 with a readable Retry-After holds its site (`monitor.store.sites` keeps the hold
for later rounds once the check is recorded). This middleware also holds it inside the round:
the response is not retried (Scrapy's RetryMiddleware would ask again at once), and every later
request to that site is dropped before it is sent, until the moment Retry-After named: those
that reach this middleware later, and those already waiting in the downloader's queue for the
site's slot (up to CONCURRENT_REQUESTS have passed the middlewares at any time; they are taken
out of Scrapy's `Downloader.slots[...].queue`, the one internal this relies on, checked by
tests/test_crawl_correctness.py). A dropped request records nothing: its article stays due, and
the stored hold decides when it is next fetched. Sits closer to the downloader than
RetryMiddleware (550), so it sees responses first.
"""

from __future__ import annotations

import logging
from datetime import datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from monitor import store
from monitor.fetch.policy import parse_retry_after

logger = logging.getLogger(__name__)

HELD = "site asked us to wait (Retry-After)"  # the IgnoreRequest message the check spider knows
_ASKING = (429, 503)


class SiteHoldMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.holds: dict[str, datetime] = {}  # site -> until when (UTC)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteHoldMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        site = store.site_of(request.url)
        until = self.holds.get(site)
        if until is None:
            return
        if store.utc_now() >= until:
            del self.holds[site]
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("redline/held_in_round")
        raise IgnoreRequest(HELD)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in _ASKING:
            return response
        value = response.headers.get(b"Retry-After")
        until = parse_retry_after(value.decode("latin-1") if value else "", store.utc_now())
        if until is None:
            return response
        site = store.site_of(request.url)
        if site not in self.holds:
            logger.info(
                "%s answered HTTP %s with Retry-After: its other requests wait until %s",
                site,
                response.status,
                store.stamp(until),
            )
        self.holds[site] = max(until, self.holds.get(site, until))
        request.meta["dont_retry"] = True  # asking again at once is what the site refused
        self._drop_queued(site)
        return response

    def _drop_queued(self, site: str) -> None:
        """Fail the requests to `site` already waiting for a download slot with IgnoreRequest."""
        engine = self.crawler.engine
        slots = getattr(engine.downloader, "slots", {}) if engine is not None else {}
        for slot in list(slots.values()):
            queue = getattr(slot, "queue", None)
            if not queue:
                continue
            held = [(r, d) for r, d in queue if store.site_of(r.url) == site]
            for entry in held:
                queue.remove(entry)
            for _, waiting in held:
                if self.crawler.stats is not None:
                    self.crawler.stats.inc_value("redline/held_in_round")
                waiting.errback(IgnoreRequest(HELD))
