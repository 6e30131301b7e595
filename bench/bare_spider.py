"""A bare Scrapy spider: fetch a list of URLs and do nothing with the pages (the benchmark's floor).

    python -m scrapy runspider bench/bare_spider.py -a urls=URLS.json [-a extract=true]

Run from the repository root like `scrapy crawl check`, so that it gets the same project settings
(robots.txt middleware, user agent, timeouts, the same `-s` overrides); only Redline's store
pipeline is switched off. `URLS.json` is a list of URLs, or an object {url: etag} to send
`If-None-Match` as Redline does. With `extract=true` each page also goes through one
`trafilatura.bare_extraction` (metadata on, comments off): "bare fetch + trafilatura alone".
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.settings import BaseSettings


class BareSpider(scrapy.Spider):
    name = "bare"

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        settings.set("ITEM_PIPELINES", {}, priority="spider")  # no store: fetching only

    def __init__(self, urls: str = "", extract: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        listed = json.loads(Path(urls).read_text())
        self.etags: dict[str, str] = (
            listed if isinstance(listed, dict) else dict.fromkeys(listed, "")
        )
        self.extract = extract.lower() in {"1", "true", "yes"}

    async def start(self) -> AsyncIterator[Any]:
        for url, etag in self.etags.items():
            yield scrapy.Request(
                url,
                headers={"If-None-Match": etag} if etag else {},
                callback=self.parse,
                dont_filter=True,
                meta={"handle_httpstatus_list": [304]},
            )

    def parse(self, response: Response) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"bare/status/{response.status}")
        if self.extract and response.status == 200:
            import trafilatura  # imported on first use, as Redline's pipeline imports it at start

            document = trafilatura.bare_extraction(
                response.body, url=response.url, with_metadata=True, include_comments=False
            )
            if getattr(document, "text", None):
                stats.inc_value("bare/extracted")
