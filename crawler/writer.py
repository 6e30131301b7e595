"""The crawl's writer: one thread, the only user of the crawl's database connections.

It runs the calls the reactor's thread hands it one at a time, in the order handed, and gives
each result (or failure) back to the reactor as a Deferred's. When results come faster than the
reactor takes them, one wake-up of the reactor delivers all that are ready.

Twisted's `deferToThreadPool` did the same with more work per call on both sides (its thread
pool's coordinator runs in the caller's thread, a context is copied per call, and every result
wakes the reactor on its own): about a tenth of a millisecond a page of the reactor's thread,
which is most of a check round's own time on a page that did not change.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Where a call's result goes: a Deferred (`call`), or a function of (ok, result or Failure) run
# in the reactor's thread (`submit`).
_Then = Callable[[bool, Any], None]
_Done = Deferred[Any] | _Then
_Call = tuple[Callable[..., Any], tuple[Any, ...], _Done]


class Writer:
    def __init__(
        self, name: str, call_from_thread: Callable[[Callable[[], None]], None] | None = None
    ) -> None:
        # How the writer's thread asks for a delivery in the reactor's thread (None: the
        # reactor's `callFromThread`; a caller with no reactor running delivers with
        # `deliver_now`).
        self._call_from_thread = call_from_thread
        # None, handed last, ends the thread once it has run every call handed before.
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._done: list[tuple[_Done, bool, Any]] = []  # results not yet delivered
        self._lock = threading.Lock()  # guards `_done`
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def call(self, function: Callable[..., Any], *args: Any) -> Deferred[Any]:
        """In the reactor's thread: `function(*args)` in the writer's, after every call before."""
        done: Deferred[Any] = Deferred()
        self._calls.put((function, args, done))
        return done

    def submit(self, then: _Then, function: Callable[..., Any], *args: Any) -> None:
        """In the reactor's thread: `function(*args)` in the writer's, after every call before;
        then, in the reactor's thread, `then(True, result)`, or `then(False, failure)` if it
        raised. Nothing is created to be awaited: the cheapest hand-over, for a caller that
        does not wait for the result."""
        self._calls.put((function, args, then))

    def deliver_now(self) -> None:
        """In the reactor's thread (or the caller's, with no reactor running): deliver the
        results ready now, without waiting for the delivery the writer asked for."""
        self._deliver()

    def stop(self, drop: bool = False) -> None:
        """End the thread once it has run every call handed so far (with `drop`, once the call
        it is running returns: the calls still waiting never run, their Deferreds never fire)."""
        if drop:
            try:
                while True:
                    self._calls.get_nowait()
            except queue.Empty:
                pass
        self._calls.put(None)
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        wake = self._call_from_thread
        if wake is None:
            from twisted.internet import reactor

            wake = reactor.callFromThread  # type: ignore[attr-defined]
        while (call := self._calls.get()) is not None:
            function, args, done = call
            try:
                result, ok = function(*args), True
            except BaseException:  # handed back as the Deferred's failure
                result, ok = Failure(), False
            with self._lock:
                self._done.append((done, ok, result))
                ready = len(self._done) == 1  # else a delivery is already on its way
            if ready:
                wake(self._deliver)

    def _deliver(self) -> None:
        """In the reactor's thread: hand every result ready to its Deferred or function, in
        order."""
        with self._lock:
            ready, self._done = self._done, []
        for done, ok, result in ready:
            if isinstance(done, Deferred):
                if ok:
                    done.callback(result)
                else:
                    done.errback(result)
            else:
                try:
                    done(ok, result)
                except Exception:  # a bug in one `then` must not lose the results after it
                    logger.exception("a writer's result could not be handed over")
