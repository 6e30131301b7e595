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
worker is ready, its imports done. On Linux the first use starts a zygote (`_Zygote`), a worker
that imports the extractor, extracts one page and then forks the pool's workers: each starts
warm, in milliseconds, instead of paying half a second of CPU for its imports and first page
(issue 23). The zygote reaps its workers and reports their exit status; it exits with the pool,
and the pool reaps it, so a round's CPU time counts its workers. Workers exit when their stdin
closes or their parent (the zygote, or the pool's process) is gone, so they never outlive the
process that started them, even if it is killed mid-page. A worker that cannot start at all
raises `WorkerStartError` (the caller may extract in its own process).

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
import fcntl
import gc
import logging
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
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
_PID = struct.Struct("!i")  # the zygote's reply: a new worker's pid
_STATUS = struct.Struct("!i")  # its exit code, as subprocess gives it (-N: killed by signal N)
_READY = b"r"
ZYGOTE_FLAG = "--zygote"
# Workers fork from a zygote where the system lets this process signal and pass pipes to a
# process it did not start (Linux's pidfds, descriptors over a Unix socket).
_CAN_FORK = hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")
WORKER_COMMAND = (sys.executable, "-m", "monitor.extract.pool")
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Seconds to let a worker exit on its own once its stdin is closed, before it is killed.
STOP_GRACE_S = 2.0
# Seconds a new worker may take to start Python and import the extractor.
START_TIMEOUT_S = 60.0
# Bytes a worker's request and reply pipes hold (Linux's F_SETPIPE_SZ; 1 MiB is its default
# pipe-max-size, the most an unprivileged process may ask). At the default 64 KiB most news pages
# (median 115 KB in the article benchmark, 138 of its 181 pages over 64 KiB) reached their
# worker in pieces, each write waiting until the worker had been scheduled and had read the last
# one: on a loaded machine the hand-over of a page blocked ~16 ms (issue 23). Whole, it is one
# write, and the worker reads it in one go.
PIPE_BYTES = 1 << 20
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


def _widen(*pipes: int) -> None:
    """Let each pipe hold PIPE_BYTES where the system allows it; else it keeps its size (another
    system, a lower pipe-max-size, or the user's pipe quota spent): only slower, never wrong."""
    resize = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if resize is None:
        return
    for pipe in pipes:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe, resize, PIPE_BYTES)


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


def _environment() -> dict[str, str]:
    """The worker imports this package from where the caller did, whatever its directory."""
    path = os.pathsep.join(filter(None, (str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH"))))
    return {**os.environ, "PYTHONPATH": path}


class _Forked:
    """A worker forked by the zygote, driven as a `subprocess.Popen` is (`pid`, `stdin`,
    `stdout`, `poll`, `wait`, `send_signal`, `kill`, `returncode`). It is the zygote's child, not
    ours: it is signalled through a pidfd (never another process that got its pid later), and
    its exit status comes on a pipe from the zygote, which reaps it."""

    def __init__(self, pid: int, stdin: int, stdout: int, status: int, pidfd: int) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = os.fdopen(stdin, "wb", buffering=0)
        self.stdout: IO[bytes] | None = os.fdopen(stdout, "rb", buffering=0)
        self.returncode: int | None = None
        self._status = status
        # The zygote's own pidfd of the worker, opened before it could reap it: never another
        # process that got the pid later, as one opened here from the pid could be.
        self._pidfd: int | None = pidfd

    def poll(self) -> int | None:
        return self._wait_status(0)

    def wait(self, timeout: float | None = None) -> int:
        code = self._wait_status(timeout)
        if code is None:
            raise subprocess.TimeoutExpired(WORKER_COMMAND, timeout or 0)
        return code

    def _wait_status(self, timeout: float | None) -> int | None:
        if self.returncode is not None:
            return self.returncode
        waiting = select.poll()
        waiting.register(self._status, select.POLLIN)
        if not waiting.poll(None if timeout is None else timeout * 1000):
            return None
        data = os.read(self._status, _STATUS.size)
        if len(data) == _STATUS.size:
            (self.returncode,) = _STATUS.unpack(data)
        else:  # the zygote died before it could say: the worker follows it (`_exit_with`)
            self.send_signal(signal.SIGKILL)
            self.returncode = -signal.SIGKILL
        os.close(self._status)
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None
        return self.returncode

    def send_signal(self, number: int) -> None:
        if self._pidfd is not None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, number)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class _Zygote:
    """A worker process that has imported the extractor and extracted a page once, and forks
    the pool's workers on request: each starts warm, without paying for its imports and first
    page again (about half a second of CPU a worker a round).

    Requests come on a Unix socket: one byte with the three descriptors of a new worker (its
    requests' read end, its replies' write end, the write end on which the zygote sends its exit
    status once it has reaped it); the reply is the worker's pid. The zygote exits once the
    socket is closed and its last worker has exited, or when its parent is gone."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                (*WORKER_COMMAND, ZYGOTE_FLAG, str(theirs.fileno())),
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                env=_environment(),
                # A session of its own: a Ctrl-C in a terminal signals the whole foreground
                # process group. The crawl shuts down gracefully, then closes the pool; the
                # zygote ignores the signal (`serve`), but only once Python has started and
                # imported this module, and one starting as the round opens (`start_early`)
                # died of it, a traceback in the crawl's log. It still ends with the crawl (its
                # socket closes, its parent is gone), and whoever stops a crawl signals its
                # process, never its group (`monitor.crawl`, the daemon).
                start_new_session=True,
            )
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self.control = ours
        self._lock = threading.Lock()

    def wait_ready(self) -> None:
        """Wait for the zygote's ready byte; `WorkerStartError` if it never comes."""
        if self._receive(START_TIMEOUT_S, 1) != _READY:
            self.stop(kill=True)
            raise WorkerStartError(
                "extraction worker did not start: "
                + (_exit_reason(self.process) or "no ready message")
            )

    def fork(self) -> _Forked:
        """A new worker; `_Lost` when the zygote does not answer (it is gone)."""
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        status_read, status_write = os.pipe()
        _widen(requests_write, replies_read)
        theirs = (requests_read, replies_write, status_write)
        try:
            with self._lock:
                try:
                    socket.send_fds(self.control, [b"f"], list(theirs))
                except OSError as error:
                    raise _Lost(f"extraction zygote unreachable: {error}") from None
                reply, pidfds = self._receive_pid()
        except BaseException:
            for descriptor in (requests_write, replies_read, status_read):
                os.close(descriptor)
            raise
        finally:
            for descriptor in theirs:
                os.close(descriptor)
        if len(reply) != _PID.size or len(pidfds) != 1:
            for descriptor in (requests_write, replies_read, status_read, *pidfds):
                os.close(descriptor)
            raise _Lost(_exit_reason(self.process) or "extraction zygote did not answer")
        (pid,) = _PID.unpack(reply)
        return _Forked(pid, requests_write, replies_read, status_read, pidfds[0])

    def _receive_pid(self) -> tuple[bytes, list[int]]:
        """The zygote's answer to a fork: the worker's pid and its pidfd (one message)."""
        waiting = select.poll()
        waiting.register(self.control, select.POLLIN)
        if not waiting.poll(START_TIMEOUT_S * 1000):
            return b"", []
        try:
            reply, pidfds, _, _ = socket.recv_fds(self.control, _PID.size, 1)
        except OSError:
            return b"", []
        if 0 < len(reply) < _PID.size:  # a stream may cut the bytes, never before the pidfd
            reply += self._receive(START_TIMEOUT_S, _PID.size - len(reply))
        return reply, pidfds

    def _receive(self, timeout: float, size: int) -> bytes:
        waiting = select.poll()
        waiting.register(self.control, select.POLLIN)
        data = b""
        deadline = time.monotonic() + timeout
        while len(data) < size:
            if not waiting.poll(max(deadline - time.monotonic(), 0) * 1000):
                break
            try:
                chunk = self.control.recv(size - len(data))
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        return data

    def stop(self, kill: bool = False) -> None:
        """Close the zygote's socket and reap it: it exits once its last worker is gone."""
        self.control.close()
        _end(self.process, kill)


def _end(process: subprocess.Popen[bytes] | _Forked, kill: bool) -> None:
    """Wait STOP_GRACE_S seconds for a process told to exit (at once with `kill`), then kill
    it; reap it."""
    if not kill:
        try:
            process.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            kill = True
    if kill:
        process.kill()
        process.wait()


def _exit_reason(process: subprocess.Popen[bytes]) -> str:
    try:
        code = process.wait(timeout=1)
    except subprocess.TimeoutExpired:
        return ""
    return f"the extraction zygote exited (status {code})"


class _Worker:
    """One worker process and its pipes (unbuffered, so `poll` sees what is unread): forked by
    the pool's zygote, or started on its own where the system cannot fork it (`_CAN_FORK`)."""

    def __init__(self, forked: _Forked | None = None) -> None:
        self.process: subprocess.Popen[bytes] | _Forked
        if forked is not None:
            self.process = forked
            return
        self.process = subprocess.Popen(
            WORKER_COMMAND,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env=_environment(),
            start_new_session=True,  # as the zygote's (`_Zygote`)
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        _widen(self.process.stdin.fileno(), self.process.stdout.fileno())

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
            answered = bool(waiting.poll(max(wait, 0) * 1000))
            used = self.cpu_seconds()
            if used is None:  # gone: its closed output says how
                return True
            left = timeout - (used - cpu_started)
            # An answer is judged by the CPU it took, not by when this thread looked: on a
            # loaded machine it may look only after a page over its limit has been answered.
            if answered or left <= 0 or time.monotonic() >= wall_limit:
                return answered and left >= 0

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
        _end(self.process, kill)
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
        self._killed = False  # closed with kill: pages in hand, or whose worker starts, fail
        self.started = 0  # workers started over the pool's life (replacements included)
        self.zygotes = 0  # zygotes started over the pool's life (a dead one is replaced)
        self._zygote: _Zygote | None = None  # started with the first worker
        self._zygote_lock = threading.Lock()
        self._warming: _Zygote | None = None  # a zygote started, not yet ready

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
            self._killed = self._killed or kill
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            busy = list(self._busy) if kill else []
            # A zygote still starting: its page fails at once, not once the zygote is ready, or
            # with no page in hand (started early, `start_early`) none needs it and close()
            # does not wait for it. One not yet seen here is killed as it starts (`_ready_zygote`).
            warming = self._warming if self._unneeded() else None
            self._free.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.process.kill()
        if warming is not None:
            warming.process.kill()
        with self._free:
            done = kill or self._count == 0
        if done:  # else the last busy worker stops it (`_release`)
            self._stop_zygote()

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
            worker = self._new_worker()
        except ExtractionError:  # WorkerStartError, or the pool killed meanwhile
            self._release(None, lost=True)
            raise
        except OSError as error:
            self._release(None, lost=True)
            raise WorkerStartError(f"could not start an extraction worker: {error}") from error
        try:
            worker.wait_ready()
        except WorkerStartError:
            self._release(None, lost=True)
            raise
        with self._free:
            if not self._killed:
                self._busy.add(worker)
                return worker
        worker.stop(kill=True)  # started as the pool was killed
        self._release(worker, lost=True)
        raise ExtractionError("the extraction pool is closed")

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
            last = self._closed and self._count == 0
            self._free.notify()
        if stop:
            assert worker is not None
            worker.stop()
        if last:
            self._stop_zygote()

    def _new_worker(self) -> _Worker:
        """A worker forked from the zygote (started, warm, with the first worker), or one
        started on its own where workers cannot be forked. A zygote that is gone is replaced
        once; `WorkerStartError` when no worker can start."""
        if not _CAN_FORK:
            return _Worker()
        for attempt in range(2):
            zygote = self._ready_zygote()
            try:
                return _Worker(zygote.fork())
            except _Lost as lost:
                with self._zygote_lock:
                    if self._zygote is zygote:
                        self._zygote = None
                zygote.stop(kill=True)
                if attempt:
                    raise WorkerStartError(
                        f"could not start an extraction worker: {lost}"
                    ) from None
        raise AssertionError("unreachable")

    def _ready_zygote(self) -> _Zygote:
        """The zygote, started and waited for if there is none yet; `ExtractionError` once the
        pool is killed, or closed with no page in hand, `WorkerStartError` when it cannot
        start."""
        with self._zygote_lock:
            with self._free:
                if self._killed or (self._zygote is None and self._unneeded()):
                    raise ExtractionError("the extraction pool is closed")
            if self._zygote is None:
                zygote = _Zygote()
                self.zygotes += 1
                with self._free:
                    self._warming = zygote
                    unneeded = self._unneeded()
                if unneeded:  # closed as it started, by a close() that could not see it
                    zygote.process.kill()
                try:
                    zygote.wait_ready()
                except WorkerStartError:
                    with self._free:
                        if self._unneeded():
                            raise ExtractionError("the extraction pool is closed") from None
                    raise
                finally:
                    with self._free:
                        self._warming = None
                self._zygote = zygote
            return self._zygote

    def _unneeded(self) -> bool:
        """Whether no page will need a zygote: the pool is killed, or closed with no page in
        hand (none is let in once it is closed). Called holding `_free`."""
        return self._killed or (self._closed and self._count == 0)

    def start_early(self) -> None:
        """Start the zygote now, in a thread, for a round that will extract (one with pages never
        read): its start-up (imports, a warm-up page, ~0.5 s of CPU) then runs beside the
        spider's instead of before the first page's extraction (issue 23). Nothing where workers
        are not forked, once the pool is closed, or when the zygote is started already. Should
        it fail to start, the first page starts it again and meets the failure there."""
        if not _CAN_FORK:
            return
        threading.Thread(target=self._start_early, name="redline-zygote", daemon=True).start()

    def _start_early(self) -> None:
        with self._free:
            if self._closed:
                return
        try:
            self._ready_zygote()
        except (ExtractionError, OSError) as error:  # it cannot start, or the pool closed
            # the first page starts it again and meets the failure there (`_acquire`)
            logger.debug("the extraction zygote did not start early: %s", error)
            return
        with self._free:
            closed, idle = self._closed, self._count == 0
        if closed and idle:  # closed while it started: no worker will stop it
            self._stop_zygote()

    def _stop_zygote(self) -> None:
        with self._zygote_lock:
            zygote, self._zygote = self._zygote, None
        if zygote is not None:
            zygote.stop()


# ------------------------------------------------------------------ the worker process


class _Collect(logging.Handler):
    """Keeps the log records of one extraction, to send back with the reply."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.name, record.getMessage()))


def serve() -> None:
    """The worker's loop: read a request, extract, reply; exit when stdin closes. With
    `ZYGOTE_FLAG` and a socket's descriptor: the zygote (`_Zygote`), which forks workers."""
    # Ctrl-C or a SIGTERM to the process group is for the crawl, which shuts down cleanly and
    # then closes our stdin; dying first would turn the pages in hand into extraction failures.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    zygote = sys.argv[1:2] == [ZYGOTE_FLAG]
    if not zygote:
        # The protocol gets its own copy of stdout; fd 1 then points at stderr, so nothing a
        # library prints can corrupt a reply.
        requests = os.fdopen(os.dup(0), "rb", buffering=0)
        replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    parent = os.getppid()
    if zygote:
        # no thread watches its parent: fork() would copy only the forking thread, and any lock
        # the other held would stay held in the worker; its loop does (`_fork_workers`)
        control = socket.socket(fileno=int(sys.argv[2]))
        _warm_up()
        _fork_workers(control, parent)
    else:
        _exit_with(parent)
        _serve(requests, replies)


def _serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """Answer requests until `requests` closes."""
    # Imported before the worker says it is ready: the time limits count from then, and a
    # first comparison must not pay for loading syntok and rapidfuzz.
    import monitor.compare.comparison  # noqa: F401
    from monitor.extract import liveblog, standfirst  # noqa: F401  (read_in_process's readers)
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


# A page like those the workers read (a headline, a byline, a date, JSON-LD, paragraphs): the
# zygote extracts it once, so that what extraction loads or compiles on its first page is
# loaded in every worker it forks.
_WARM_UP_PARAGRAPH = (
    "<p>The council voted on Tuesday to close the old bridge to heavy traffic after engineers "
    "found cracks in two of its piers, the mayor said in a statement.</p>"
)
_WARM_UP_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Council closes the old '
    'bridge | Gazette</title><meta property="article:published_time" content="2026-03-02T08:15'
    ':00+00:00"><meta name="author" content="Jane Whitfield"><script type="application/ld+json">'
    '{"@type": "NewsArticle", "headline": "Council closes the old bridge", "articleBody": "The '
    'council voted."}</script></head><body><nav><a href="/">Home</a></nav><article><h1>Council '
    'closes the old bridge</h1><p class="byline">By Jane Whitfield</p><time datetime="2026-03-02'
    '">2 March 2026</time>' + _WARM_UP_PARAGRAPH * 6 + "</article><footer>Copyright 2026 Gazette"
    "</footer></body></html>"
).encode()


def _warm_up() -> None:
    """Import what a worker uses, extract and read one page, and load what extraction loads
    only on the first page that needs it (`_load_on_first_use`)."""
    import monitor.compare.comparison  # noqa: F401
    from monitor.extract.extraction import extract_article, parse_page
    from monitor.record.reading import read_in_process

    url = "http://127.0.0.1/news/bridge.html"
    page = parse_page(_WARM_UP_PAGE)
    extract_article(_WARM_UP_PAGE, url=url, page=page)
    _read(
        partial(read_in_process, tree=page.tree if page is not None else None), _WARM_UP_PAGE, url
    )
    _load_on_first_use()


def _load_on_first_use() -> None:
    """Load what extraction loads on the first page that needs it, which the warm-up page
    does not: loaded in the zygote, it is loaded once a round instead of once in every worker
    (issue 23: ~0.2 s of CPU a worker). Each is a cache that holds the same value whoever
    fills it, so extraction's output is the same. (dateparser, ~0.25 s on the first date only
    it reads, stays lazy: about one page in 150 has such a date, and the zygote's time delays
    every worker's first page.)"""
    from justext.core import define_stoplist
    from trafilatura.external import JT_STOPLIST, jt_stoplist_init

    from monitor import lexicon

    # trafilatura's fallback to jusText on a page with no language (~0.15 s, about one page in
    # twenty): every language's stop words in one tuple, and jusText's lower-cased set of it
    define_stoplist(JT_STOPLIST or jt_stoplist_init())
    for value in vars(lexicon).values():  # ~30 ms: its expressions, compiled on first use
        if isinstance(value, lexicon._LazyPattern):
            value.search  # noqa: B018 (compiles it)


def _fork_workers(control: socket.socket, parent: int) -> None:
    """The zygote's loop: fork a worker for each request on `control`, reap each worker that
    exits and send its exit code; return once `control` is closed and every worker is gone,
    exit within PARENT_CHECK_S seconds once `parent` (the pool's process) is gone."""
    children: dict[int, tuple[int, int]] = {}  # pidfd: (pid, exit status pipe)
    waiting = select.poll()
    waiting.register(control, select.POLLIN)
    listening = True
    # What the zygote has made lives as long as its workers: moved out of the collector's
    # reach, a worker's collections do not traverse it (nor copy the memory pages it is in).
    gc.freeze()
    with contextlib.suppress(OSError):  # the pool's process died while we warmed up
        control.sendall(_READY)
    while listening or children:
        if os.getppid() != parent:  # the pool's process is gone: its workers follow us
            os._exit(0)
        for descriptor, _ in waiting.poll(PARENT_CHECK_S * 1000):
            if descriptor in children:
                _reap(children.pop(descriptor))
                waiting.unregister(descriptor)
                os.close(descriptor)
                continue
            try:
                message, descriptors, _, _ = socket.recv_fds(control, 1, 3)
            except OSError:
                message, descriptors = b"", []
            if len(descriptors) != 3:
                for unused in descriptors:
                    os.close(unused)
                if not message:  # the pool is closing
                    listening = False
                    waiting.unregister(control)
                continue
            pid = _fork(control, children, *descriptors)
            os.close(descriptors[0])
            os.close(descriptors[1])
            pidfd = os.pidfd_open(pid)
            children[pidfd] = (pid, descriptors[2])
            waiting.register(pidfd, select.POLLIN)
            # The pidfd goes with the pid: opened before this loop can reap the worker, it
            # names that worker even if it has exited by the time the pool signals it.
            with contextlib.suppress(OSError):
                socket.send_fds(control, [_PID.pack(pid)], [pidfd])


def _fork(
    control: socket.socket,
    children: dict[int, tuple[int, int]],
    requests: int,
    replies: int,
    status: int,
) -> int:
    """In the zygote: fork a worker that answers on these pipes; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:  # the worker: nothing of the zygote's but its warm modules
        control.close()
        for pidfd, (_, sibling_status) in children.items():
            os.close(pidfd)
            os.close(sibling_status)
        os.close(status)
        _exit_with(os.getppid())
        _serve(os.fdopen(requests, "rb", buffering=0), os.fdopen(replies, "wb", buffering=0))
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _reap(child: tuple[int, int]) -> None:
    """In the zygote: wait for a worker that exited and send its exit code to the pool."""
    pid, status = child
    _, wait_status = os.waitpid(pid, 0)
    with contextlib.suppress(OSError):  # the pool no longer listens
        os.write(status, _STATUS.pack(os.waitstatus_to_exitcode(wait_status)))
    os.close(status)


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
