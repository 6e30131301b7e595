"""What a known page (a 304, an unchanged page) costs beyond what is stored: nothing is made for
it that the store or the log would throw away (issue 23)."""

from __future__ import annotations

import dataclasses
import logging
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.config import crawl_config
from crawler.items import PageItem
from crawler.logs import writes_debug
from crawler.pipelines import StorePipeline, _handed
from crawler.spiders.check import CheckSpider
from monitor.record.page import CheckResult

URL = "https://news.example/story"
HEADERS = {"ETag": '"v1"', "Server": "test", "X-Cache": "HIT"}


def _settings(level: str) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings)
    settings.set("LOG_LEVEL", level)
    return settings


@pytest.mark.parametrize(
    ("level", "kept"),
    [("DEBUG", True), ("INFO", False), ("WARNING", False), (logging.DEBUG, True), ("", True)],
)
def test_the_log_keeps_debug_records_only_at_debug(level, kept) -> None:
    assert writes_debug(_settings(level)) is kept


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_an_unchanged_page_makes_a_debug_record_only_when_the_log_keeps_it(caplog, level) -> None:
    settings = _settings(level)
    crawler = SimpleNamespace(settings=settings)  # all the pipeline reads of it here
    pipeline = StorePipeline(crawl_config(settings), crawler)  # type: ignore[arg-type]
    state = _handed(PageItem(url=URL, status=304))
    # Scrapy leaves the loggers at NOTSET: a handler below DEBUG sees every record made.
    with caplog.at_level(logging.DEBUG, logger="crawler.pipelines"):
        pipeline._recorded(CheckResult("unchanged", "304 not modified"), state)
    made = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert made == ([f"unchanged: {URL} 304 not modified"] if level == "DEBUG" else [])
    assert pipeline.outcomes["unchanged"] == 1


def _response(status: int) -> Response:
    request = Request(URL, meta={"redline_url": URL}, headers={"If-None-Match": '"v1"'})
    body = b"" if status == 304 else b"<html><body><p>Story</p></body></html>"
    return HtmlResponse(URL, status=status, headers=HEADERS, body=body, request=request)


@pytest.mark.parametrize(
    ("status", "headers_kept"),
    [
        (304, False),  # no page to keep: its headers are never stored
        (200, True),  # a page that may be kept (a new version), its headers with it
    ],
)
def test_a_304_carries_no_headers_to_the_store(status, headers_kept) -> None:
    spider = CheckSpider()
    spider.crawler = SimpleNamespace()  # no store: the item is handed back  # type: ignore[assignment]
    (item,) = spider.parse(_response(status))  # type: ignore[misc]
    assert item.conditional is True and item.etag == '"v1"'
    assert bool(item.headers) is headers_kept
    if headers_kept:
        assert '"X-Cache", "HIT"' in item.headers


def test_a_page_handed_to_the_store_carries_every_field_of_its_item_but_its_database() -> None:
    # A value unlike any default for each field, so that a field left out shows.
    values = {
        field.name: (
            index
            if field.type == "int"
            else True
            if "bool" in str(field.type)
            else str(index).encode()
            if field.type == "bytes"
            else f"value {index}"
        )
        for index, field in enumerate(dataclasses.fields(PageItem), start=1)
    }
    page = _handed(PageItem(**values)).page
    carried = {name for name in values if name != "database"}
    assert {field.name for field in dataclasses.fields(page)} == carried
    assert {name: getattr(page, name) for name in carried} == {
        name: values[name] for name in carried
    }
