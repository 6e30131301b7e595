"""The browser fetcher: scrapy-playwright driving the system Chromium, for the requests that ask
for it (`browser_meta`), every other request going through Scrapy's own HTTP handler unchanged.

Installed as the http and https download handler (`DOWNLOAD_HANDLERS`). Nothing of the browser
starts until the first page that needs it: a round without such a page costs nothing. A browser
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

import asyncio
import dataclasses
import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.guard import AddressRefused, PrivateAddressMiddleware
from monitor.fetch.rendering import find_chromium

logger = logging.getLogger(__name__)

try:
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler as _Handler
    from scrapy_playwright.page import PageMethod

    HAVE_PLAYWRIGHT = True
except ImportError:  # the `browser` extra is not installed: static fetches only
    from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler as _Handler

    HAVE_PLAYWRIGHT = False

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
    try:
        await page.wait_for_load_state("networkidle", timeout=SETTLE_SECONDS * 1000)
    except PlaywrightTimeout:  # read the page as it is
        logger.debug("%s still busy after %s s; read as it is", page.url, SETTLE_SECONDS)


class BrowserDownloadHandler(_Handler):  # type: ignore[misc,valid-type]
    """scrapy-playwright's handler, started on first use, bounded and guarded."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        if not HAVE_PLAYWRIGHT:
            return
        settings = crawler.settings
        memory = settings.getint("REDLINE_BROWSER_MEMORY", 512)
        self.config = dataclasses.replace(
            self.config,
            launch_options={
                "executable_path": find_chromium(),  # never a downloaded browser
                "headless": True,
                "args": [
                    f"--js-flags=--max-old-space-size={memory}",
                    "--renderer-process-limit=2",
                    "--disable-dev-shm-usage",
                ],
            },
            max_pages_per_context=settings.getint("REDLINE_BROWSER_PAGES", 2),
            max_contexts=1,
            navigation_timeout_ms=settings.getfloat("REDLINE_BROWSER_TIMEOUT", 20.0) * 1000,
            startup_context_kwargs={},
        )
        self.context_semaphore = asyncio.Semaphore(1)
        self.guard = PrivateAddressMiddleware(crawler)
        self.abort_request = self._aborted
        self._start = asyncio.Lock()
        self._started = False

    # Started on the first page that needs it, not with the engine.
    async def _maybe_launch_in_thread(self) -> None:
        return None

    def _engine_started(self) -> Any:
        return None

    async def _download_request(self, request: Request, spider: Any = None) -> Any:
        async with self._start:
            if not self._started:
                await self._launch()
                self._started = True
        return await super()._download_request(request, spider)

    async def _download_request_with_page(self, request: Request, page: Any, spider: Any) -> Any:
        redirected: list[str] = []
        page.on("request", lambda r: redirected.append(r.url) if r.redirected_from else None)
        response = await super()._download_request_with_page(request, page, spider)
        for url in redirected:
            reason = await self._refusal(url)
            if reason:
                raise AddressRefused(f"{reason} (a redirect inside the browser; page discarded)")
        return response

    async def _create_browser_context(
        self, name: str, context_kwargs: dict[str, Any] | None, spider: Any = None
    ) -> Any:
        """scrapy-playwright's context, with service workers blocked and WebSockets guarded."""
        kwargs = {**(context_kwargs or {}), "service_workers": "block"}
        wrapper = await super()._create_browser_context(name, kwargs, spider)
        await wrapper.context.route_web_socket("**", self._web_socket)
        return wrapper

    async def _web_socket(self, socket: Any) -> None:
        """Playwright's WebSocket route: connected to its server when the guard allows it,
        closed (policy violation) when not."""
        reason = await self._refusal(socket.url)
        if reason:
            logger.warning("browser: WebSocket %s: %s", socket.url, reason)
            self.stats.inc_value("redline/browser_refused")
            await socket.close(code=WEB_SOCKET_REFUSED, reason="refused by the address guard")
            return
        socket.connect_to_server()

    async def _aborted(self, request: Any) -> bool:
        """Playwright's route check: True aborts the request."""
        if request.resource_type in SKIPPED_RESOURCES:
            return True
        reason = await self._refusal(request.url)
        if reason:
            logger.warning("browser: %s", reason)
            self.stats.inc_value("redline/browser_refused")
        return bool(reason)

    async def _refusal(self, url: str) -> str:
        scheme = url.partition(":")[0].lower()
        if scheme in _LOCAL_SCHEMES:
            return ""
        checked = _WEB_SOCKET_SCHEMES.get(scheme, scheme) + url[len(scheme) :]
        if not checked.startswith(("http:", "https:")):
            return f"refused {url:.200}: not http or https"
        try:
            await self.guard.process_request(Request(checked))
        except AddressRefused as error:
            return str(error)
        return ""
