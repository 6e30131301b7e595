"""Diffs computed off Datasette's event loop, with a cap on their input and a time limit.

Datasette serves every page from one asyncio loop, and its SQL time limit does not cover Python
work done in a page or a cell renderer: one diff of two huge texts computed in the loop stops
every other visitor (a hostile page can make its text as large as the crawler allows). So the
server computes each highlighted diff in a worker thread of its own, never on texts longer than
`DIFF_INPUT_LIMIT`, and waits at most `timeout` seconds (`serve.diff_timeout`); past either, the
page says the diff is too large to show there and points to `redline diff`. The loop stays free
meanwhile. A thread cannot be stopped: a diff past its time limit finishes in the background,
which the input cap keeps bounded, and the worker threads are few, so that at most
`DIFF_THREADS` run at once whatever the number of visitors; a diff that waits for a thread
longer than the time limit is given up before it starts.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# Characters per text a page will diff: 20 times a long article (a long read is ~25,000), so
# every real article is shown, and the worst case stays a few seconds of work.
DIFF_INPUT_LIMIT = 500_000
# Seconds a page waits for its diffs (the default of `serve.diff_timeout`).
DIFF_TIMEOUT = 5.0
# Diffs computed at once: the rest queue (and give up past the time limit).
DIFF_THREADS = 2
TOO_LARGE = "too large to show here; see `redline diff`"


class DiffWorker:
    """Runs diff functions in its own threads, within a size cap and a time limit."""

    def __init__(
        self,
        timeout: float = DIFF_TIMEOUT,
        max_chars: int = DIFF_INPUT_LIMIT,
        threads: int = DIFF_THREADS,
    ) -> None:
        self.timeout = timeout
        self.max_chars = max_chars
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="redline-diff")
        # A test hook: when set to an unset Event, each diff waits for it before starting, so a
        # test can hold a diff "in progress" as long as it likes.
        self.gate: threading.Event | None = None
        self.running = 0  # diffs started and not finished (including those past their limit)
        self._lock = threading.Lock()

    def fits(self, *texts: str) -> bool:
        return all(len(text) <= self.max_chars for text in texts)

    async def run(self, function: Callable[..., T], *texts: str, **options: Any) -> T | None:
        """`function(*texts, **options)` computed in a worker thread, or None when a text is
        longer than the cap or the result is not ready within the time limit."""
        if not self.fits(*texts):
            return None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.executor, self._call, function, texts, options)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            return None

    def _call(self, function: Callable[..., T], texts: tuple[str, ...], options: Any) -> T:
        with self._lock:
            self.running += 1
        try:
            if self.gate is not None:
                self.gate.wait()
            return function(*texts, **options)
        finally:
            with self._lock:
                self.running -= 1

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
