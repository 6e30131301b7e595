"""monitor.extract.pool: extraction in real worker processes, the same result as in-process, and a
slow or dead worker costs one page, never the caller."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from monitor.demo import articles
from monitor.demo.pages import render_page
from monitor.errors import ExtractionError, WorkerStartError
from monitor.extract import pool as pool_module
from monitor.extract.extraction import extract_article
from monitor.extract.pool import ExtractionPool, default_size
from tests.conftest import ROOT

URL = "http://127.0.0.1:8000/news/story.html"
# Paragraphs of a page that keeps a worker busy for several seconds of CPU (about 6 s here), long
# after a test has killed it or its parent.
SLOW_PARAGRAPHS = 20_000
# Seconds for a worker to exit once its parent is gone: a deadline to fail on a leak, not a
# timing claim.
EXIT_DEADLINE_S = 30


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


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
@pytest.mark.parametrize("forked", [True, False], ids=["forked", "started alone"])
def test_a_worker_takes_a_whole_page_in_one_write_and_answers_in_one(monkeypatch, forked) -> None:
    """A news page (most are over the system's default 64 KiB a pipe) reaches its worker whole,
    without waiting for the worker to read part of it first, and the reply comes back whole."""
    if forked and not pool_module._CAN_FORK:
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(pool_module, "_CAN_FORK", forked)
    page = big_page(2_000)
    assert 64 * 1024 < len(page) < pool_module.PIPE_BYTES
    with ExtractionPool(1, timeout=60) as pool:
        assert pool.extract(page, URL).body
        (worker,) = pool._idle
        assert worker.process.stdin is not None and worker.process.stdout is not None
        for pipe in (worker.process.stdin, worker.process.stdout):
            assert fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ) >= pool_module.PIPE_BYTES
        assert pool.zygotes == (1 if forked else 0)


def big_page(paragraphs: int) -> bytes:
    """A real-looking article long enough to keep a worker busy for a while."""
    text = "".join(
        f"<p>Paragraph {n}: the council met again on Tuesday and the mayor said the budget "
        f"would fund {n} new projects across the northern districts this year.</p>"
        for n in range(paragraphs)
    )
    head = "<html><head><title>Long read</title></head>"
    return f"{head}<body><article>{text}</article></body></html>".encode()


def test_a_page_slower_than_the_timeout_is_an_extraction_error_and_the_pool_goes_on() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=0.001) as pool:
        # the timeout counts once the worker is ready: no extraction of a page takes 1 ms
        with pytest.raises(ExtractionError, match=r"extraction took longer than 0\.001 s"):
            pool.extract(page, URL)
        pool.timeout = 60
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        assert pool.started == 2  # the slow worker was killed and replaced


@pytest.mark.skipif(not os.path.exists("/proc/self/schedstat"), reason="no /proc CPU times")
def test_the_timeout_counts_the_workers_cpu_not_its_wait_for_a_core() -> None:
    """A worker that gets no CPU for longer than its limit (stopped here, starved on a loaded
    machine) still answers: its page never had the time the limit grants."""
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=0.5) as pool:
        pool.extract(page, URL)
        (worker,) = pool._idle
        worker.process.send_signal(signal.SIGSTOP)
        resume = threading.Timer(1.0, worker.process.send_signal, [signal.SIGCONT])
        resume.start()
        try:
            assert pool.extract(page, URL) == extract_article(page, url=URL)
        finally:
            resume.join()
        assert pool.started == 1


@pytest.mark.skipif(not os.path.exists("/proc/self/schedstat"), reason="no /proc CPU times")
def test_an_answer_over_its_cpu_limit_is_too_slow_even_when_it_is_read_late() -> None:
    """On a loaded machine the crawl may look at a worker only once its answer is there: a page
    that used more of the worker's CPU than its limit is still too slow, the same outcome on a
    busy machine as on an idle one (a round's outcomes must not depend on the load)."""
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(page, URL)
        (worker,) = pool._idle
        payload = pickle.dumps(("extract", page, URL, ""), protocol=pickle.HIGHEST_PROTOCOL)
        started = worker.cpu_seconds()
        pool_module._write_all(
            worker.process.stdin, pool_module._HEADER.pack(len(payload)) + payload
        )
        select.select([worker.process.stdout], [], [])  # answered before anyone looked
        with pytest.raises(pool_module._TooSlow, match=r"extraction took longer than 0\.001 s"):
            worker._receive(0.001, "extraction", started)


def test_a_worker_that_neither_answers_nor_works_is_abandoned_on_the_wall_clock() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(page, URL)
        pool.timeout = 0.05
        (worker,) = pool._idle
        worker.process.send_signal(signal.SIGSTOP)  # never resumed: killed when abandoned
        with pytest.raises(ExtractionError, match=r"extraction took longer than 0\.05 s"):
            pool.extract(page, URL)
        pool.timeout = 60
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        assert pool.started == 2


def test_a_worker_that_dies_mid_page_costs_that_page_and_is_replaced() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool, ThreadPoolExecutor(1) as threads:
        pool.extract(page, URL)
        # Seconds of CPU for the worker (big_page(4000) took 1.3 s: a test thread descheduled on
        # a loaded machine could see it finish before the kill).
        slow = threads.submit(pool.extract, big_page(SLOW_PARAGRAPHS), URL)
        deadline = time.monotonic() + 30
        while not pool._busy and time.monotonic() < deadline:
            time.sleep(0.01)
        (worker,) = pool._busy
        worker.process.kill()
        with pytest.raises(ExtractionError, match=r"extraction worker died \(signal 9\)"):
            slow.result(timeout=30)
        assert pool.extract(page, URL).body
        assert pool.started == 2


def test_a_worker_that_died_while_idle_is_replaced_without_failing_a_page() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(page, URL)
        (worker,) = pool._idle
        worker.process.kill()
        worker.process.wait()
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        assert pool.started == 2


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().split(")")[-1].split()[1])


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_workers_fork_from_one_warm_zygote_that_exits_with_the_pool() -> None:
    pages = demo_pages()
    with ExtractionPool(2, timeout=60) as pool, ThreadPoolExecutor(2) as threads:
        pooled = list(threads.map(pool.extract, pages, [URL] * len(pages)))
        zygote = pool._zygote
        assert zygote is not None and len(pool._idle) == 2
        assert {_parent(worker.process.pid) for worker in pool._idle} == {zygote.process.pid}
        workers = [worker.process.pid for worker in pool._idle]
    assert pooled == [extract_article(page, url=URL) for page in pages]
    # closed: the zygote has reaped its workers and been reaped (their CPU counts as ours)
    assert zygote.process.returncode == 0
    assert not any(_alive(pid) for pid in workers)


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_forked_worker_is_signalled_through_the_zygotes_pidfd_of_it() -> None:
    """The zygote opens each worker's pidfd before it can reap it and sends it with the pid: a
    signal always reaches that worker, never a process that got its pid after it exited (a
    pidfd opened by the pool from the pid alone could name such a process)."""
    with ExtractionPool(2, timeout=60) as pool, ThreadPoolExecutor(2) as threads:
        list(threads.map(pool.extract, demo_pages()[:2], [URL] * 2))
        for worker in pool._idle:
            pidfd = worker.process._pidfd
            assert pidfd is not None
            with open(f"/proc/self/fdinfo/{pidfd}") as info:
                named = [line.split()[1] for line in info if line.startswith("Pid:")]
            assert named == [str(worker.process.pid)]
        victim = pool._idle[0].process
        victim.kill()
        assert victim.wait(timeout=60) == -signal.SIGKILL  # the zygote reaped it and said so
        victim.kill()  # after the reap: nothing to signal, no error


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_the_zygote_forks_with_no_other_thread_running() -> None:
    """fork() copies only the calling thread: a lock another thread held stays held forever in
    the worker (Python 3.12 warns on every such fork). The zygote watches its parent from its
    own loop, not from a thread; its workers have their own watching thread."""
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(demo_pages()[0], URL)
        assert pool._zygote is not None
        threads = os.listdir(f"/proc/{pool._zygote.process.pid}/task")
        (worker,) = pool._idle
        assert len(threads) == 1
        assert len(os.listdir(f"/proc/{worker.process.pid}/task")) == 2


def test_the_warm_up_loads_what_extraction_loads_on_a_later_page() -> None:
    """jusText's stop words (trafilatura's fallback on some pages) and the lexicon's
    expressions are loaded in the zygote, once, not in every worker on its first such page."""
    code = textwrap.dedent(
        """
        import trafilatura.external as external
        from justext.core import define_stoplist
        from monitor import lexicon
        from monitor.extract import pool
        pool._warm_up()
        lazy = [v for v in vars(lexicon).values() if isinstance(v, lexicon._LazyPattern)]
        print(len(lazy), sum(v._compiled is None for v in lazy))
        print(len(external.JT_STOPLIST or ()), define_stoplist.cache_info().currsize)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    (patterns, uncompiled), (stop_words, stoplists) = (
        map(int, line.split()) for line in done.stdout.splitlines()
    )
    assert patterns > 0 and uncompiled == 0
    assert stop_words > 1000 and stoplists == 1


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_dead_zygote_is_replaced_without_failing_a_page() -> None:
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.extract(page, URL)
        assert pool._zygote is not None
        pool._zygote.process.kill()  # the OOM killer, say
        (worker,) = pool._idle
        worker.process.kill()  # the next page needs a new worker
        worker.process.wait()
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        assert pool.started == 2


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_zygote_started_early_serves_the_first_page_and_exits_with_the_pool() -> None:
    """`start_early` (a round with pages never read) starts the zygote before any page; the
    first page's worker forks from it, and it ends with the pool."""
    page = demo_pages()[0]
    with ExtractionPool(1, timeout=60) as pool:
        pool.start_early()
        deadline = time.monotonic() + 60
        while pool._zygote is None and time.monotonic() < deadline:
            time.sleep(0.005)
        zygote = pool._zygote
        assert zygote is not None and pool.started == 0  # no worker yet
        pool.start_early()  # once started, not again
        assert pool.extract(page, URL) == extract_article(page, url=URL)
        (worker,) = pool._idle
        assert _parent(worker.process.pid) == zygote.process.pid
        assert pool.zygotes == 1
    assert zygote.process.returncode == 0
    assert _zygotes_of(os.getpid()) == []


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
@pytest.mark.parametrize("kill", [False, True])
def test_a_pool_closed_while_its_zygote_starts_early_leaves_none_running(kill: bool) -> None:
    pool = ExtractionPool(1, timeout=60)
    pool.start_early()
    deadline = time.monotonic() + 60
    while not _zygotes_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert _zygotes_of(os.getpid()), "no zygote started"
    pool.close(kill=kill)
    deadline = time.monotonic() + 60
    while _zygotes_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _zygotes_of(os.getpid()) == []
    assert pool._zygote is None
    with pytest.raises(ExtractionError):
        pool.extract(demo_pages()[0], URL)


def test_a_closed_pool_starts_no_zygote_early() -> None:
    pool = ExtractionPool(1, timeout=60)
    pool.close()
    pool.start_early()
    for thread in threading.enumerate():  # started before start_early returned
        if thread.name == "redline-zygote":
            thread.join(60)
    assert pool.zygotes == 0 and _zygotes_of(os.getpid()) == []


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_closing_a_pool_with_no_page_does_not_wait_for_a_zygote_starting_early(monkeypatch) -> None:
    """A round that ends before any page needs a worker (its new pages all failed to download,
    say) closes the pool at once: the zygote still starting is stopped, not waited for (the
    crawl's close runs on Scrapy's reactor thread)."""
    monkeypatch.setattr(
        pool_module, "WORKER_COMMAND", (sys.executable, "-c", "import time; time.sleep(3600)")
    )
    monkeypatch.setattr(pool_module, "START_TIMEOUT_S", 3600.0)  # a zygote that never gets ready
    pool = ExtractionPool(1, timeout=60)
    pool.start_early()
    deadline = time.monotonic() + 60
    while not (_zygotes_of(os.getpid()) and pool._warming) and time.monotonic() < deadline:
        time.sleep(0.005)
    (zygote,) = _zygotes_of(os.getpid())
    closing = threading.Thread(target=pool.close)
    closing.start()
    try:
        closing.join(EXIT_DEADLINE_S)  # a deadline to fail on a wait for the zygote, not a timing
        assert not closing.is_alive(), "close() waits for the zygote to start"
        deadline = time.monotonic() + EXIT_DEADLINE_S
        while _zygotes_of(os.getpid()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _zygotes_of(os.getpid()) == []
        assert pool._zygote is None and pool.zygotes == 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(zygote, signal.SIGKILL)  # ours: unblocks the old code's close
        closing.join()


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_zygote_that_cannot_be_started_early_is_met_by_the_first_page(
    monkeypatch, tmp_path
) -> None:
    """The system refuses to start the zygote (no such program here; no process or descriptor
    left, in a crawl): starting it early raises nothing in its thread, and the first page meets
    the failure as a WorkerStartError (the crawl then extracts in its own process)."""
    monkeypatch.setattr(pool_module, "WORKER_COMMAND", (str(tmp_path / "no-python"),))
    unhandled: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", unhandled.append)
    with ExtractionPool(1, timeout=60) as pool:
        pool.start_early()
        for thread in threading.enumerate():
            if thread.name == "redline-zygote":
                thread.join()
        assert [args.exc_value for args in unhandled] == []
        with pytest.raises(WorkerStartError, match="could not start an extraction worker"):
            pool.extract(demo_pages()[0], URL)
        assert pool._count == 0


def _zygotes_of(pid: int) -> list[int]:
    """The extraction zygotes `pid` has started that are still running."""
    children = (
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()  # children of any of its threads
        for child in _read(task / "children").split()
    )
    return [
        child
        for child in children
        if pool_module.ZYGOTE_FLAG.encode() in _read(Path(f"/proc/{child}/cmdline")).encode()
        and _alive(child)
    ]


def _read(path: Path) -> str:
    """A /proc file's text; empty when its process or thread is gone."""
    try:
        return path.read_bytes().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_pool_killed_while_its_zygote_starts_fails_the_page_and_starts_no_other() -> None:
    """close(kill=True) fails the pages in hand at once, a page whose worker is still starting
    (its zygote warming up) included: no zygote is started, nor page extracted, after it."""
    pool = ExtractionPool(1, timeout=60)
    outcome: list[object] = []

    def extract() -> None:
        try:
            outcome.append(pool.extract(demo_pages()[0], URL))
        except ExtractionError as error:
            outcome.append(error)

    thread = threading.Thread(target=extract)
    thread.start()
    deadline = time.monotonic() + 60
    while not _zygotes_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert _zygotes_of(os.getpid()), "no zygote started"
    pool.close(kill=True)
    thread.join(60)
    assert not thread.is_alive()
    (result,) = outcome
    assert isinstance(result, ExtractionError) and not isinstance(result, WorkerStartError)
    assert _zygotes_of(os.getpid()) == []
    assert pool._zygote is None


def test_a_worker_that_cannot_start_is_a_worker_start_error(monkeypatch) -> None:
    monkeypatch.setattr(
        pool_module, "WORKER_COMMAND", (sys.executable, "-c", "raise SystemExit(3)")
    )
    with ExtractionPool(1, timeout=60) as pool:
        with pytest.raises(WorkerStartError, match=r"did not start: .*exited \(status 3\)"):
            pool.extract(demo_pages()[0], URL)
        assert pool._count == 0  # the slot is free again: the next call tries a new worker


@pytest.mark.parametrize("timeout", [0, -1, float("inf"), float("nan")])
def test_a_pool_needs_a_finite_positive_timeout(timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout"):
        ExtractionPool(1, timeout=timeout)


def test_a_closed_pool_refuses_work_and_its_workers_have_exited() -> None:
    pool = ExtractionPool(1, timeout=60)
    pool.extract(demo_pages()[0], URL)
    (worker,) = pool._idle
    pool.close()
    assert worker.process.poll() == 0
    with pytest.raises(ExtractionError, match="closed"):
        pool.extract(demo_pages()[0], URL)


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "mid-page"])
def test_workers_do_not_outlive_a_killed_parent(busy: bool) -> None:
    """A crawl killed with SIGKILL: an idle worker sees its stdin close, a busy one sees its
    parent gone within a second; neither lingers, nor does the zygote they forked from."""
    script = textwrap.dedent(
        f"""
        import threading, time
        from monitor.extract.pool import ExtractionPool
        from tests.test_pool import big_page
        pool = ExtractionPool(1, timeout=600)
        pool.extract(b"<html><body><p>{"word " * 50}</p></body></html>", "http://127.0.0.1/")
        if {busy}:
            page = big_page({SLOW_PARAGRAPHS})
            threading.Thread(target=pool.extract, args=(page, "http://127.0.0.1/"),
                             daemon=True).start()
            while not pool._busy:
                time.sleep(0.01)
            worker = next(iter(pool._busy))
        else:
            worker = pool._idle[0]
        zygote = pool._zygote.process.pid if pool._zygote is not None else worker.process.pid
        print(worker.process.pid, zygote, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]  # the worker, the zygote
    assert all(_alive(pid) for pid in pids)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + EXIT_DEADLINE_S
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)


@pytest.mark.skipif(not pool_module._CAN_FORK, reason="workers fork from a zygote on Linux only")
def test_a_ctrl_c_as_the_round_opens_does_not_reach_the_zygote_starting(tmp_path) -> None:
    """Ctrl-C in a terminal signals the whole foreground process group. A crawl shuts down
    gracefully, finishing the pages in hand; the zygote it started early (as the round opened,
    `start_early`) is not yet ignoring the signal while Python starts and imports: it must not
    die of a KeyboardInterrupt (a traceback in the crawl's log, and a second zygote to start)."""
    held, release = tmp_path / "held", tmp_path / "release"
    script = textwrap.dedent(
        f"""
        import signal, sys
        from monitor.extract import pool as pool_module
        from monitor.extract.pool import ExtractionPool
        signal.signal(signal.SIGINT, lambda *_: print("interrupted", flush=True))  # as Scrapy
        # the zygote held as it starts, before it can ignore Ctrl-C, until the test releases it
        pool_module.WORKER_COMMAND = (sys.executable, "-c", (
            "import os, runpy, time\\n"
            "open({str(held)!r}, 'w').close()\\n"
            "while not os.path.exists({str(release)!r}): time.sleep(0.01)\\n"
            "runpy.run_module('monitor.extract.pool', run_name='__main__')"
        ))
        pool = ExtractionPool(1, timeout=60)
        pool.start_early()
        article = pool.extract(b"<html><body><p>{"word " * 50}</p></body></html>", "http://x/")
        print(bool(article.body), pool.zygotes, flush=True)
        pool.close()
        """
    )
    crawl = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a crawl in a terminal has
    )
    assert crawl.stdout is not None
    try:
        deadline = time.monotonic() + 60
        while not held.exists() and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert held.exists(), "no zygote started"
        os.killpg(crawl.pid, signal.SIGINT)  # the terminal's Ctrl-C
        assert crawl.stdout.readline() == "interrupted\n"
        release.touch()
        extracted, zygotes = crawl.stdout.readline().split()
        _, errors = crawl.communicate(timeout=60)
    finally:
        release.touch()
        if crawl.poll() is None:
            crawl.kill()
        crawl.wait()
    assert "KeyboardInterrupt" not in errors
    assert (extracted, zygotes) == ("True", "1")


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for its (dead) parent to be reaped by init."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_default_size_is_one_worker_per_usable_core_up_to_four() -> None:
    cores = len(os.sched_getaffinity(0))
    assert 1 <= default_size() <= 4
    assert default_size() == cores or (cores > 4 and default_size() == 4)


def test_a_pool_needs_a_worker() -> None:
    with pytest.raises(ValueError, match="at least one worker"):
        ExtractionPool(0, timeout=60)
