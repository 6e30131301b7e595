"""Known pages (a 304, or the last page read again) recorded without the spider waiting for the
writer: none is lost when the spider closes, at most RECORDS_IN_FLIGHT are on their way at once,
and a page the store could not record is dropped once and not counted as checked."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.config import crawl_config
from crawler.items import PageItem
from crawler.pipelines import RECORDS_IN_FLIGHT, StorePipeline
from crawler.writer import Writer
from monitor import store
from monitor.crawl import run_crawl
from tests.conftest import FAST, rows, track
from tests.loopback import serve_pages

# More pages than may be on their way at once, so that a round fills the bound.
PAGES = RECORDS_IN_FLIGHT + 16


def _story(number: int) -> str:
    paragraph = f"<p>The council of district {number} voted on Tuesday to approve the budget.</p>"
    return f"<html><head><title>Story {number}</title></head><body><article>" + (
        f"<h1>Story {number}</h1>{paragraph * 8}</article></body></html>"
    )


def _etag(number: int) -> str:
    return f'"story-{number}-v1"'


@pytest.mark.e2e
@pytest.mark.parametrize(
    "second_answer",
    [
        "the same bytes",  # no validator honoured: a 200, byte for byte the last page read
        "304",  # the server answers the stored ETag with 304 Not Modified
    ],
)
def test_a_round_of_known_pages_records_every_one_before_it_ends(
    tmp_path: Path, second_answer: str
) -> None:
    routes = {f"/s{n}.html": (200, {"ETag": _etag(n)}, _story(n)) for n in range(PAGES)}
    settings = {**FAST, "REDLINE_EXTRACT_WORKERS": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}
    db_path = tmp_path / "redline.db"
    with serve_pages(routes) as site:
        track(db_path, [site.url(path) for path in routes])
        first = run_crawl("check", db_path, {"all": "true"}, settings)
        assert first.returncode == 0, first.stdout[-4000:]
        if second_answer == "304":
            for n in range(PAGES):
                site.routes[f"/s{n}.html"] = (304, {"ETag": _etag(n)}, b"")
        second = run_crawl("check", db_path, {"all": "true"}, settings)
    assert second.returncode == 0, second.stdout[-4000:]
    assert "Traceback" not in second.stdout, second.stdout[-4000:]
    # every page of the round is recorded once, and counted, though the spider never waited
    assert f"{PAGES} page(s) recorded: {PAGES} unchanged" in second.stdout, second.stdout[-4000:]
    checks = rows(db_path, "select article_id, count(*) as n from checks group by article_id")
    assert len(checks) == PAGES
    assert {row["n"] for row in checks} == {2}
    reason = "304 not modified" if second_answer == "304" else "identical page"
    (unchanged,) = rows(db_path, "select count(*) as n from checks where reason = ?", [reason])
    assert unchanged["n"] == PAGES


class _Deliveries:
    """The reactor's part, with no reactor running: the deliveries the writer asks for, run
    when the test says."""

    def __init__(self) -> None:
        self.asked: list[Callable[[], None]] = []

    def __call__(self, deliver: Callable[[], None]) -> None:
        self.asked.append(deliver)


@pytest.fixture
def pipeline(tmp_path: Path) -> Iterator[tuple[StorePipeline, Path]]:
    """The store pipeline on a real database of PAGES + 1 tracked articles, its writer thread
    started, without a crawl around it (the writer's deliveries wait for `deliver_now`)."""
    db_path = tmp_path / "redline.db"
    track(db_path, [f"http://127.0.0.1:9/s{n}.html" for n in range(PAGES + 1)])
    settings = Settings()
    settings.setmodule(project_settings)
    settings.set("REDLINE_DB", str(db_path))
    store_pipeline = StorePipeline(crawl_config(settings), crawler=None)  # type: ignore[arg-type]
    store_pipeline.dbs[str(db_path)] = store.open_db(db_path)
    store_pipeline.writer = Writer("test-store", call_from_thread=_Deliveries())
    store_pipeline.writer.start()
    try:
        yield store_pipeline, db_path
    finally:
        store_pipeline.writer.stop()
        store_pipeline.dbs[str(db_path)].close()


def _not_modified(number: int, db_path: Path) -> PageItem:
    url = f"http://127.0.0.1:9/s{number}.html"
    return PageItem(url=url, status=304, requested_url=url, database=str(db_path), conditional=True)


def test_no_more_than_records_in_flight_pages_wait_for_the_writer(
    pipeline: tuple[StorePipeline, Path],
) -> None:
    store_pipeline, db_path = pipeline
    writer = store_pipeline.writer
    assert writer is not None
    busy = threading.Event()  # the writer is held on a call until the test lets it go
    writer.submit(lambda ok, result: None, busy.wait)
    handed = [store_pipeline.record_later(_not_modified(n, db_path)) for n in range(PAGES)]
    # the first RECORDS_IN_FLIGHT are taken; the rest are refused (the spider waits for room)
    assert handed == [True] * RECORDS_IN_FLIGHT + [False] * (PAGES - RECORDS_IN_FLIGHT)
    assert store_pipeline.in_flight == RECORDS_IN_FLIGHT
    busy.set()
    writer.stop()  # every call handed is run
    writer.deliver_now()
    assert store_pipeline.in_flight == 0
    assert store_pipeline.outcomes == {"unchanged": RECORDS_IN_FLIGHT}
    (checks,) = rows(db_path, "select count(*) as n from checks")
    assert checks["n"] == RECORDS_IN_FLIGHT


def test_a_page_the_store_cannot_record_is_dropped_once_and_not_counted(
    pipeline: tuple[StorePipeline, Path], caplog: pytest.LogCaptureFixture
) -> None:
    store_pipeline, db_path = pipeline
    writer = store_pipeline.writer
    assert writer is not None
    # a check of an article this database does not track... in a database not of this crawl
    stranger = PageItem(url="http://127.0.0.1:9/other.html", status=304, database="/elsewhere.db")
    with caplog.at_level(logging.WARNING, logger="crawler.pipelines"):
        assert store_pipeline.record_later(stranger)
        assert store_pipeline.record_later(_not_modified(0, db_path))
        writer.stop()
        writer.deliver_now()
    dropped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Dropped")]
    assert dropped == ["Dropped: not a database of this crawl: /elsewhere.db"]
    assert store_pipeline.outcomes == {"unchanged": 1}  # the dropped page is not counted
    assert store_pipeline.in_flight == 0
