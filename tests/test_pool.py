"""monitor.pool: extraction in real worker processes, the same result as in-process, and a slow or
dead worker costs one page, never the caller."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from monitor.demo import articles
from monitor.demo.pages import render_page
from monitor.errors import ExtractionError
from monitor.extract import extract_article
from monitor.pool import ExtractionPool, default_size
from tests.conftest import ROOT

URL = "http://127.0.0.1:8000/news/story.html"


def demo_pages() -> list[bytes]:
    """The demo site's articles as first published."""
    base = "http://127.0.0.1:8000"
    paths = [articles.article_path(slug, 1) for slug in articles.current_slugs(1)]
    return [render_page(path, 1, base).body for path in paths if path]


def test_workers_extract_exactly_what_the_crawler_process_would() -> None:
    pages = demo_pages()
    with ExtractionPool(2, timeout=60) as pool, ThreadPoolExecutor(2) as threads:
        pooled = list(threads.map(pool.extract, pages, [URL] * len(pages)))
    assert pooled == [extract_article(page, url=URL) for page in pages]
    assert all(article.body for article in pooled)


def test_workers_start_on_first_use_and_never_exceed_the_size() -> None:
    pages = demo_pages() * 2
    with ExtractionPool(2, timeout=60) as pool:
        assert pool.started == 0
        with ThreadPoolExecutor(4) as threads:
            list(threads.map(pool.extract, pages, [URL] * len(pages)))
        assert pool.started == 2


def test_a_page_slower_than_the_timeout_is_an_extraction_error_and_the_pool_goes_on() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=0.01) as pool:
        # a fresh worker first imports trafilatura (a few hundred ms): far past 10 ms
        with pytest.raises(ExtractionError, match=r"extraction took longer than 0\.01 s"):
            pool.extract(page, URL)
        pool.timeout = 60
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        assert pool.started == 2  # the slow worker was killed and replaced


def test_a_worker_that_dies_costs_one_page_and_is_replaced() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(page, URL)
        (worker,) = pool._idle
        worker.process.kill()
        worker.process.wait()
        with pytest.raises(ExtractionError, match=r"extraction worker (died|unreachable)"):
            pool.extract(page, URL)
        assert pool.extract(page, URL).body
        assert pool.started == 2


def test_a_closed_pool_refuses_work_and_its_workers_have_exited() -> None:
    pool = ExtractionPool(1, timeout=60)
    pool.extract(demo_pages()[0], URL)
    (worker,) = pool._idle
    pool.close()
    assert worker.process.poll() == 0
    with pytest.raises(ExtractionError, match="closed"):
        pool.extract(demo_pages()[0], URL)


def test_workers_do_not_outlive_a_killed_parent() -> None:
    """A crawl killed with SIGKILL closes its workers' stdin; they exit instead of lingering."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from monitor.pool import ExtractionPool
        pool = ExtractionPool(1, timeout=60)
        pool.extract(b"<html><body><p>{"word " * 50}</p></body></html>", "http://127.0.0.1/")
        print(pool._idle[0].process.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    worker_pid = int(parent.stdout.readline())
    assert _alive(worker_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker_pid)


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for its (dead) parent to be reaped by init."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_default_size_is_one_worker_per_usable_core_up_to_four() -> None:
    assert default_size() == max(1, min(len(os.sched_getaffinity(0)), 4))


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        ExtractionPool(0, timeout=60)
