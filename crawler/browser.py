"""The browser fetcher: scrapy-playwright driving the system Chromium, for the requests that ask
for it (`browser_meta`), every other request going through Scrapy's own HTTP handler unchanged.

Installed as the http and https download handler (`DOWNLOAD_HANDLERS`). Nothing of the browser
starts until the first page that needs it, and Playwright is imported only then
(`crawler.browser_handler`): a round without such a page costs nothing. A browser
request is a Scrapy request like any other on its way out (robots.txt and its Crawl-delay,
the private-address guard, the site's hold, retries, `If-None-Match`/`If-Modified-Since` sent
with the page's own request); inside the browser:

- every request the page makes (scripts, the JSON its script calls, images) is intercepted and
  checked with the guard (`PrivateAddressMiddleware`, the same verdicts) and aborted when refused;
  sounds and videos are not fetched at all (`SKIPPED_RESOURCES`);
- WebSockets, which request routes do not see, are routed through the same guard (the context's
  `route_web_socket`): a refused one is closed before it reaches its server; service workers,
  whose requests page routes do not see either, are blocked (never registered);
- Chromium resolves names itself: the guard checks what a name resolves to when the request is
  routed, but the address Chromium then connects to is not checked again (the static fetcher's
  connect-time check has no counterpart here), so a name re-bound in between (DNS rebinding) is
  not caught inside the browser;
- a redirect the browser follows is not intercepted by Playwright (its route sees the first URL
  only): each is checked once the page is loaded, and a page that went through a refused address
  is thrown away and refused as a whole (the redirected request itself has then been sent);
- bounded: one browser, at most `REDLINE_BROWSER_PAGES` pages at once, `REDLINE_BROWSER_TIMEOUT`
  seconds per page (navigation), a JavaScript heap of `REDLINE_BROWSER_MEMORY` MB per page.

Without scrapy-playwright the handler is Scrapy's own, and the spider never asks for a browser
(`monitor.fetch.rendering.browser_problem` says why).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

logger = logging.getLogger(__name__)


# Resource types never fetched by a rendered page: large, and no part of an article's text.
SKIPPED_RESOURCES = frozenset({"media"})
# Once loaded, a page may keep fetching (the article's JSON, then lazy parts): it is read when the
# network has been quiet for half a second, or after this many seconds whatever it does (a live
# page polls forever).
SETTLE_SECONDS = 5.0
# URL schemes a page may use without the network.
_LOCAL_SCHEMES = ("data", "blob", "about")
# A WebSocket's address is checked as the HTTP URL its opening handshake is sent to.
_WEB_SOCKET_SCHEMES = {"ws": "http", "wss": "https"}
# The close code a refused WebSocket gets: 1008, policy violation (RFC 6455, 7.4.1).
WEB_SOCKET_REFUSED = 1008


# Screenshots (sites and sources with `screenshot` on): the top of the page, at most this many
# CSS pixels wide (Playwright's default viewport) and high (a long read runs to 10,000 and more;
# the headline, the lead and the first screens are what a reader sees), and at most this many
# bytes of PNG (a 1280 x 8000 page of photos runs to 3 or 4 MB): a larger one is not kept.
SCREENSHOT_WIDTH = 1280
SCREENSHOT_MAX_HEIGHT = 8000
SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024


def browser_meta(screenshot: bool = False) -> dict[str, Any]:
    """The request meta that has a page fetched in the browser (and a screenshot taken)."""
    from scrapy_playwright.page import PageMethod

    methods = [PageMethod(_settle)]
    if screenshot:
        methods.append(PageMethod(take_screenshot))
    return {"playwright": True, "playwright_page_methods": methods}


def screenshot_of(meta: dict[str, Any]) -> bytes:
    """The screenshot a browser fetch took (b"" when none was asked for or kept)."""
    for method in meta.get("playwright_page_methods") or ():
        if getattr(method, "method", None) is take_screenshot and isinstance(method.result, bytes):
            return method.result
    return b""


async def take_screenshot(page: Any) -> bytes:
    """A PNG of the rendered page's top, bounded in pixels and bytes (b"" past the bytes)."""
    height = await page.evaluate("document.documentElement.scrollHeight")
    clip = {
        "x": 0,
        "y": 0,
        "width": SCREENSHOT_WIDTH,
        "height": max(1, min(int(height or 0), SCREENSHOT_MAX_HEIGHT)),
    }
    png: bytes = await page.screenshot(type="png", full_page=True, clip=clip)
    if len(png) > SCREENSHOT_MAX_BYTES:
        logger.warning(
            "screenshot of %s not kept: %d bytes (the limit is %d)",
            page.url,
            len(png),
            SCREENSHOT_MAX_BYTES,
        )
        return b""
    return png


async def _settle(page: Any) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    try:
        await page.wait_for_load_state("networkidle", timeout=SETTLE_SECONDS * 1000)
    except PlaywrightTimeout:  # read the page as it is
        logger.debug("%s still busy after %s s; read as it is", page.url, SETTLE_SECONDS)


class BrowserDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's own HTTP handler, and for the requests that ask for the browser the handler of
    `crawler.browser_handler` (scrapy-playwright's, bounded and guarded), made on the first of them:
    a round without such a page does not even import Playwright (about 0.1 s of CPU)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        self.browser: Any = None

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            if self.browser is None:
                from crawler.browser_handler import PlaywrightHandler

                self.browser = PlaywrightHandler.from_crawler(self.crawler)
            response: Response = await self.browser.download_request(request)
            return response
        return await super().download_request(request)

    async def close(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        await super().close()
