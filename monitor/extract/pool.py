"""Extraction in worker processes: `ExtractionPool(size, timeout).extract(body, url, type)`, and
the comparison of two versions: `pool.compare(old, new, old_page, new_page)`.

Extraction is CPU-bound Python: about 50 ms for a typical news page, seconds for a page of
several megabytes. Run in the crawler's own process it would stall every download while it runs
and use one core. The pool runs it in up to `size` long-lived `python -m monitor.extract.pool`
processes, so pages are extracted in parallel on every core while the crawler keeps fetching; a page
that takes longer than `timeout` seconds of the worker's CPU is abandoned (its worker killed and
replaced; on a loaded machine a worker waiting for a core is not charged for the wait, up to
WALL_LIMIT_FACTOR times the limit on the wall clock), and a worker
that dies (lxml on a hostile page, the kernel's OOM killer) costs that page, not the round. Both
raise `ExtractionError`, which the caller records as an extraction failure. A comparison is run
the same way under its own limit, `compare_timeout` (issue 16: a pathological edit must never
hold the round); past it `ComparisonTimeoutError`, and the caller stores the version with a coarse
summary (`monitor.record.versions.compare_timed_out`).

`extract` blocks and is thread-safe: call it from as many threads as there are workers. Workers
start on first use (a round of unchanged pages starts none); the timeout counts from the moment a
worker is ready, its imports done. They exit when their stdin closes or their parent is gone, so
they never outlive the process that started them, even if it is killed mid-page. A worker that
cannot start at all raises `WorkerStartError` (the caller may extract in its own process).

Protocol on the worker's stdin and stdout: an 8-byte big-endian length, then a pickle. Once ready,
the worker sends an empty message. Request: ("extract", body, url, content type), the same with
"extract+read" (the page's reading for the newsroom too, `monitor.record.reading.read_in_process`),
or ("compare", old Article, new Article, old RawPage | None, new RawPage | None). Reply: ("ok",
Article, (Article, PageReading | None) or VersionComparison, log records) or ("error",
message, log records). The log records (level, logger name, message) are re-logged by the
caller, so the worker's warnings land in the crawl's log. Both ends are this module, run from
the same installation.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from monitor.errors import (
    ComparisonError,
    ComparisonTimeoutError,
    ExtractionError,
    ExtractionTimeoutError,
    WorkerStartError,
)
from monitor.extract.article import Article

if TYPE_CHECKING:
    from monitor.record.reading import PageReading, Reader
    from monitor.record.versions import RawPage, VersionComparison

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")
WORKER_COMMAND = (sys.executable, "-m", "monitor.extract.pool")
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Seconds to let a worker exit on its own once its stdin is closed, before it is killed.
STOP_GRACE_S = 2.0
# Seconds a new worker may take to start Python and import the extractor.
START_TIMEOUT_S = 60.0
# How often a worker checks that the process that started it is still there.
PARENT_CHECK_S = 1.0
# A page's and a comparison's time limits are seconds of the worker's CPU (read from Linux's
# /proc), so that a worker starved of CPU by a loaded machine is not abandoned for work it never
# got to do. A worker that has neither answered nor used up its CPU after this many times its
# limit on the wall clock is stuck (stopped, or waiting on something that never comes), not
# slow: it is abandoned too. Ten: a worker sharing a core with nine other busy processes.
WALL_LIMIT_FACTOR = 10
# The shortest wait between two looks at a worker's CPU time.
CPU_POLL_S = 0.005


def default_size() -> int:
    """One worker per core this process may use, at most four."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


class _Lost(Exception):
    """The worker did not answer: too slow, dead, or its pipes broke."""


class _TooSlow(_Lost):
    """The worker did not answer within the time limit."""


def _write_all(stream: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = stream.write(view)
        view = view[written or 0 :]


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            break
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


class _Worker:
    """One worker process and its pipes (unbuffered, so `poll` sees what is unread)."""

    def __init__(self) -> None:
        # The worker imports this package from where the caller did, whatever its directory.
        path = os.pathsep.join(filter(None, (str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH"))))
        self.process = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env={**os.environ, "PYTHONPATH": path},
        )

    def wait_ready(self) -> None:
        """Wait for the worker's ready message; `WorkerStartError` if it never comes."""
        try:
            if self._receive(START_TIMEOUT_S) != b"":
                raise _Lost("extraction worker sent something before it was ready")
        except _Lost as lost:
            self.stop(kill=True)
            raise WorkerStartError(f"extraction worker did not start: {lost}") from None

    def exchange(self, payload: bytes, timeout: float, work: str = "extraction") -> bytes:
        """Send one request and return the reply, once the worker has answered within `timeout`
        seconds of its CPU (`_TooSlow` otherwise)."""
        stdin = self.process.stdin
        assert stdin is not None
        started = self.cpu_seconds()
        try:
            _write_all(stdin, _HEADER.pack(len(payload)) + payload)
        except OSError as error:
            raise _Lost(self._death() or f"extraction worker unreachable: {error}") from error
        return self._receive(timeout, work, started)

    def cpu_seconds(self) -> float | None:
        """The CPU time the worker has used (its main thread, where the work runs), or None
        where Linux's /proc does not say (another system, or the worker is gone)."""
        try:
            with open(f"/proc/{self.process.pid}/schedstat", "rb") as schedstat:
                return int(schedstat.read().split()[0]) / 1e9  # nanoseconds on a CPU
        except (OSError, ValueError, IndexError):
            return None

    def _answered(self, waiting: select.poll, timeout: float, cpu_started: float | None) -> bool:
        """Whether the worker answers before it has used `timeout` seconds of CPU since
        `cpu_started` (wall-clock seconds where its CPU time is unknown), and before
        WALL_LIMIT_FACTOR times `timeout` on the wall clock."""
        if cpu_started is None:
            return bool(waiting.poll(timeout * 1000))
        wall_limit = time.monotonic() + timeout * WALL_LIMIT_FACTOR
        left = timeout
        while True:
            wait = min(max(left, CPU_POLL_S), wall_limit - time.monotonic())
            if waiting.poll(max(wait, 0) * 1000):
                return True
            used = self.cpu_seconds()
            if used is None:  # gone: its closed output says how
                return True
            left = timeout - (used - cpu_started)
            if left <= 0 or time.monotonic() >= wall_limit:
                return False

    def _receive(
        self, timeout: float, work: str = "extraction", cpu_started: float | None = None
    ) -> bytes:
        """The next reply; `_TooSlow` past `timeout` seconds of the worker's CPU counted from
        `cpu_started` (None: `timeout` seconds on the wall clock)."""
        stdout = self.process.stdout
        assert stdout is not None
        waiting = select.poll()  # not select.select: a crawl may hold more than 1024 descriptors
        waiting.register(stdout, select.POLLIN)
        if not self._answered(waiting, timeout, cpu_started):
            raise _TooSlow(f"{work} took longer than {timeout:g} s")
        header = _read_exactly(stdout, _HEADER.size)
        if len(header) < _HEADER.size:
            raise _Lost(self._death() or "extraction worker closed its output")
        (size,) = _HEADER.unpack(header)
        reply = _read_exactly(stdout, size)  # written in one go once the header is there
        if len(reply) < size:
            raise _Lost(self._death() or "extraction worker sent a truncated reply")
        return reply

    def _death(self) -> str:
        try:
            code = self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return ""
        if code < 0:
            return f"extraction worker died (signal {-code})"
        return f"extraction worker exited (status {code})"

    def stop(self, kill: bool = False) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        if not kill:
            try:
                self.process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                kill = True
        if kill:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class ExtractionPool:
    """Up to `size` worker processes; `extract` blocks until one is free and has answered."""

    def __init__(self, size: int, timeout: float, compare_timeout: float | None = None) -> None:
        if size < 1:
            raise ValueError("an extraction pool needs at least one worker")
        compare_timeout = timeout if compare_timeout is None else compare_timeout
        for limit in (timeout, compare_timeout):
            if not 0 < limit < float("inf"):
                raise ValueError(f"a worker's timeout must be a number of seconds, not {limit}")
        self.size = size
        self.timeout = timeout
        self.compare_timeout = compare_timeout
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._count = 0  # slots taken: workers idle, busy or starting
        self._free = threading.Condition()
        self._closed = False
        self.started = 0  # workers started over the pool's life (replacements included)

    def extract(self, body: bytes, url: str, content_type: str = "") -> Article:
        value = self._extract(("extract", body, url, content_type))
        assert isinstance(value, Article)
        return value

    def extract_and_read(
        self, body: bytes, url: str, content_type: str = ""
    ) -> tuple[Article, PageReading | None]:
        """`extract`, and the page's reading for the newsroom (`monitor.record.reading.Reader`)
        made in the same worker, under the same time limit: None when reading failed (the
        caller then reads the page itself)."""
        article, reading = self._extract(("extract+read", body, url, content_type))
        assert isinstance(article, Article)
        return article, reading

    def _extract(self, request: tuple[Any, ...]) -> Any:
        try:
            return self._run(request, self.timeout, "extraction")
        except _TooSlow as error:
            raise ExtractionTimeoutError(str(error)) from None
        except _Lost as error:
            raise ExtractionError(str(error)) from None

    def compare(
        self,
        old: Article,
        new: Article,
        old_page: RawPage | None = None,
        new_page: RawPage | None = None,
    ) -> VersionComparison:
        """`compare_versions(old, new, old_page, new_page)` in a worker, within
        `compare_timeout` seconds (else `ComparisonTimeoutError`; a worker that died or failed:
        `ComparisonError`). `WorkerStartError` when no worker can start."""
        request = ("compare", old, new, old_page, new_page)
        try:
            value = self._run(request, self.compare_timeout, "comparison")
        except _TooSlow as error:
            raise ComparisonTimeoutError(str(error)) from None
        except (_Lost, ExtractionError) as error:
            if isinstance(error, WorkerStartError):
                raise
            raise ComparisonError(str(error)) from None
        return value  # type: ignore[no-any-return]

    def _run(self, request: tuple[Any, ...], timeout: float, work: str) -> Any:
        """Send one request to a free worker and return its value; `_TooSlow` or `_Lost` when
        the worker did not answer (it is then killed), `ExtractionError` when it failed."""
        payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        worker = self._acquire()
        try:
            reply = worker.exchange(payload, timeout, work)
        except BaseException:  # the worker's state is unknown: never reuse it
            worker.stop(kill=True)
            self._release(worker, lost=True)
            raise
        self._release(worker)
        status, value, records = pickle.loads(reply)
        for level, name, message in records:
            logging.getLogger(name).log(level, "%s", message)
        if status != "ok":
            raise ExtractionError(value)
        return value

    def close(self, kill: bool = False) -> None:
        """Stop the idle workers now; busy ones stop when they have answered, or at once with
        `kill` (their pages then fail with an `ExtractionError`)."""
        with self._free:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = list(self._busy) if kill else []
            self._free.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.process.kill()

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _acquire(self) -> _Worker:
        with self._free:
            while True:
                if self._closed:
                    raise ExtractionError("the extraction pool is closed")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.poll() is None:
                        self._busy.add(worker)
                        return worker
                    # died while idle (the OOM killer, say): not this page's fault
                    self._count -= 1
                    worker.stop(kill=True)
                if self._count < self.size:
                    self._count += 1
                    self.started += 1
                    break
                self._free.wait()
        try:
            worker = _Worker()
        except OSError as error:
            self._release(None, lost=True)
            raise WorkerStartError(f"could not start an extraction worker: {error}") from error
        try:
            worker.wait_ready()
        except WorkerStartError:
            self._release(None, lost=True)
            raise
        with self._free:
            self._busy.add(worker)
        return worker

    def _release(self, worker: _Worker | None, lost: bool = False) -> None:
        stop = False
        with self._free:
            if worker is not None:
                self._busy.discard(worker)
            if worker is None or lost or self._closed:
                self._count -= 1
                stop = worker is not None and not lost
            else:
                self._idle.append(worker)
            self._free.notify()
        if stop:
            assert worker is not None
            worker.stop()


# ------------------------------------------------------------------ the worker process


class _Collect(logging.Handler):
    """Keeps the log records of one extraction, to send back with the reply."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.name, record.getMessage()))


def serve() -> None:
    """The worker's loop: read a request, extract, reply; exit when stdin closes."""
    # Ctrl-C or a SIGTERM to the process group is for the crawl, which shuts down cleanly and
    # then closes our stdin; dying first would turn the pages in hand into extraction failures.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # The protocol gets its own copy of stdout; fd 1 then points at stderr, so nothing a library
    # prints can corrupt a reply.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    _exit_with(os.getppid())
    # Imported before the worker says it is ready: the time limits count from then, and a
    # first comparison must not pay for loading syntok and rapidfuzz.
    import monitor.compare.comparison  # noqa: F401
    from monitor.extract.extraction import extract_article, parse_page
    from monitor.record.reading import read_in_process
    from monitor.record.versions import compare_versions

    collect = _Collect()
    logging.getLogger().addHandler(collect)
    logging.getLogger().setLevel(logging.INFO)
    _write_all(replies, _HEADER.pack(0))  # ready
    while True:
        header = _read_exactly(requests, _HEADER.size)
        if len(header) < _HEADER.size:
            return
        (size,) = _HEADER.unpack(header)
        work, *arguments = pickle.loads(_read_exactly(requests, size))
        collect.records = []
        reply: tuple[Any, ...]
        try:
            if work == "compare":
                reply = ("ok", compare_versions(*arguments))
            else:
                body, url, content_type = arguments
                page = parse_page(body, content_type)  # parsed once for both readings
                article = extract_article(body, url=url, content_type=content_type, page=page)
                if work == "extract+read":
                    tree = page.tree if page is not None else None
                    reading = _read(partial(read_in_process, tree=tree), body, url)
                    reply = ("ok", (article, reading))
                else:
                    reply = ("ok", article)
        except Exception as error:  # neither should raise; never lose the worker
            label = "comparison" if work == "compare" else "extraction"
            reply = ("error", f"{label} failed: {type(error).__name__}: {error}")
        data = pickle.dumps((*reply, collect.records), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write_all(replies, _HEADER.pack(len(data)) + data)
        except BrokenPipeError:
            return  # the caller is gone


def _read(reader: Reader, body: bytes, url: str) -> PageReading | None:
    """In a worker: the page's reading, or None when it failed (the caller reads it again and
    meets the failure where it would have without workers)."""
    try:
        return reader(body, url)
    except Exception:  # a bug in reading must not cost the extraction
        logging.getLogger(__name__).debug("reading %s failed", url, exc_info=True)
        return None


def _exit_with(parent: int) -> None:
    """Exit as soon as the process that started this one is gone, even in the middle of a page
    (a closed stdin is only seen between pages)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="redline-parent-watch", daemon=True).start()


if __name__ == "__main__":
    serve()
