"""The browser fetcher's handler (see `crawler.browser`): scrapy-playwright's, started on the first
page that needs it, bounded and guarded. Imported only then, with Playwright."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.browser import (
    _LOCAL_SCHEMES,
    _WEB_SOCKET_SCHEMES,
    SKIPPED_RESOURCES,
    WEB_SOCKET_REFUSED,
)
from crawler.guard import AddressRefused, PrivateAddressMiddleware
from monitor.fetch.rendering import find_chromium

logger = logging.getLogger("crawler.browser")


class PlaywrightHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc]
    """scrapy-playwright's handler, started on first use, bounded and guarded."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
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
