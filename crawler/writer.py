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
import time
from collections.abc import Callable, Hashable
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Where a call's result goes: a Deferred (`call`), or a function of (ok, result or Failure) run
# in the reactor's thread (`submit`).
_Then = Callable[[bool, Any], None]
_Done = Deferred[Any] | _Then
# (function, its arguments, where its result goes, its group: None, or a key with which the
# calls of `submit_grouped` waiting together are run as one)
_Call = tuple[Callable[..., Any], tuple[Any, ...], _Done, Hashable | None]
# At most this many calls run as one group: what RECORDS_IN_FLIGHT (crawler.config) lets wait at
# once.
GROUP_MAX = 1024
# A group waits for more calls while they keep coming: it runs once GROUP_IDLE_S passes with none
# handed, or it holds GROUP_MAX, or it has waited GROUP_WAIT_S in all, or the writer is hurried
# (`hurry`: a caller waits for the calls handed, the spider for room or the round's end). A
# writer that keeps up with the spider otherwise runs a group for every page, and the COMMIT is
# most of an unchanged page's check (0.19 of 0.25 ms of the writer's CPU a page, issue 23).
# Until session 18 a group waited 50 ms in all and ran at 32 calls: a 1,000-page loopback round
# of 304s ran ~31 groups beside the reactor's thread, each taking the GIL and a core from it and
# from the site; recorded in a group or two at the round's end, the round ran at 0.96x the bare
# spider's rate against 0.78x (quiet, session 19). A real site's pages come far apart (a
# download delay of a second, a few in flight): 50 ms without one and the group runs, so its
# checks are recorded as they came; a busy round's are at most GROUP_WAIT_S late, and a crash
# loses at most those of the group waiting (never half of one).
GROUP_IDLE_S = 0.050
GROUP_WAIT_S = 2.0
_NOTHING: Any = object()  # no call taken ahead of its turn


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
        self._dropping = False  # `stop(drop=True)`: no call waiting runs any more
        self._hurry = False  # `hurry`: no group waits for more calls
        # While a group waits for more calls: its function, key and size. The calls handed to
        # it do not wake the writer's thread one by one (each wake-up takes the interpreter
        # lock from the reactor's thread and gives it back): only what ends the wait sets
        # `_ready` (the group full, another call, `hurry`, `stop`).
        self._gathering: tuple[Callable[..., Any], Hashable, int] | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        self._thread.start()

    @property
    def dropping(self) -> bool:
        """Whether `stop(drop=True)` was called: what is left of the call running is not done."""
        return self._dropping

    def call(self, function: Callable[..., Any], *args: Any) -> Deferred[Any]:
        """In the reactor's thread: `function(*args)` in the writer's, after every call before."""
        done: Deferred[Any] = Deferred()
        self._calls.put((function, args, done, None))
        self._end_wait()
        return done

    def submit(self, then: _Then, function: Callable[..., Any], *args: Any) -> None:
        """In the reactor's thread: `function(*args)` in the writer's, after every call before;
        then, in the reactor's thread, `then(True, result)`, or `then(False, failure)` if it
        raised. Nothing is created to be awaited: the cheapest hand-over, for a caller that
        does not wait for the result."""
        self._calls.put((function, args, then, None))
        self._end_wait()

    def submit_grouped(
        self,
        then: _Then,
        function: Callable[[Any, list[Any]], list[tuple[bool, Any]]],
        key: Hashable,
        arg: Any,
    ) -> None:
        """As `submit`, for a call that may run with others: the calls of the same `function`
        and `key` that wait one after the other in the queue, or are handed while the group
        waits for more (none handed for GROUP_IDLE_S, or GROUP_WAIT_S in all, ends the wait;
        so do GROUP_MAX calls and `hurry`), run as one,
        `function(key, [arg, ...])` (at most GROUP_MAX), which returns one (ok, result or
        Failure) for each, in order; each goes to its own `then`. A call that raises fails
        every call of its group."""
        self._calls.put((function, (arg,), then, key))
        waiting = self._gathering
        if waiting is not None and (
            waiting[0] != function
            or waiting[1] != key
            or waiting[2] + self._calls.qsize() >= GROUP_MAX
        ):
            self._ready.set()

    def hurry(self, hurry: bool = True) -> None:
        """In the reactor's thread: whether the caller waits for the calls handed so far (the
        spider for room among the pages on their way, the round's end for the last of them),
        so no more are coming soon: while it does, no group waits for more, the
        one waiting now included."""
        was, self._hurry = self._hurry, hurry
        # Set before `_gathering` is read here, and `_gathering` before `_hurry` is read in
        # `_more`: either that wait sees `_hurry`, or this wakes it.
        if hurry and not was:
            self._end_wait()

    def _end_wait(self) -> None:
        """In the reactor's thread: a group waiting for more calls runs now."""
        if self._gathering is not None:
            self._ready.set()

    def deliver_now(self) -> None:
        """In the reactor's thread (or the caller's, with no reactor running): deliver the
        results ready now, without waiting for the delivery the writer asked for."""
        self._deliver()

    def stop(self, drop: bool = False) -> None:
        """End the thread once it has run every call handed so far (with `drop`, once the call
        it is running returns: the calls still waiting, a group waiting for more among them,
        never run, their Deferreds never fire)."""
        if drop:
            self._dropping = True  # a call taken ahead of its turn (`_run`) does not run either
            try:
                while True:
                    self._calls.get_nowait()
            except queue.Empty:
                pass
        self._calls.put(None)
        self._ready.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        ahead = _NOTHING  # a call taken from the queue while gathering a group
        while True:
            call, ahead = (self._calls.get() if ahead is _NOTHING else ahead), _NOTHING
            if call is None or self._dropping:
                break
            function, args, done, key = call
            if key is None:
                try:
                    result, ok = function(*args), True
                except BaseException:  # handed back as the Deferred's failure
                    result, ok = Failure(), False
                self._hand_back([(done, ok, result)])
                continue
            group = [call]
            deadline = time.monotonic() + GROUP_WAIT_S
            while len(group) < GROUP_MAX:
                try:
                    more = self._calls.get_nowait()
                except queue.Empty:
                    more = self._more(function, key, len(group), deadline)
                    if more is _NOTHING:
                        break
                if more is None or more[0] != function or more[3] != key:
                    ahead = more
                    break
                group.append(more)
            if self._dropping:  # stopped while the group waited for more: it never runs
                break
            try:
                results = function(key, [args[0] for _, args, _, _ in group])
            except BaseException:
                failure = Failure()
                results = [(False, failure)] * len(group)
            self._hand_back(
                [
                    (done, ok, result)
                    for (_, _, done, _), (ok, result) in zip(group, results, strict=True)
                ],
            )

    def _more(self, function: Callable[..., Any], key: Hashable, size: int, deadline: float) -> Any:
        """The next call, once the group of `size` calls of `function` and `key` waiting for
        more is full (GROUP_MAX), a call it cannot take is handed, the writer is hurried,
        GROUP_IDLE_S passes or `deadline` does; _NOTHING when none came. The calls handed
        meanwhile wait in the queue without waking this thread: past GROUP_IDLE_S, the group
        takes them and waits again, until a wait ends with none handed."""
        if size >= GROUP_MAX or self._dropping:
            return _NOTHING
        self._ready.clear()
        self._gathering = (function, key, size)  # from now on, what ends the wait sets `_ready`
        try:
            # Anything handed before `_gathering` was set did not look at it: taken now.
            left = deadline - time.monotonic()
            if not self._calls.qsize() and left > 0 and not self._hurry:
                self._ready.wait(min(left, GROUP_IDLE_S))
        finally:
            self._gathering = None
        try:
            return self._calls.get_nowait()
        except queue.Empty:
            return _NOTHING

    def _hand_back(self, results: list[tuple[_Done, bool, Any]]) -> None:
        """In the writer's thread: results ready, delivered in the reactor's thread."""
        wake = self._call_from_thread
        if wake is None:
            from twisted.internet import reactor

            wake = reactor.callFromThread  # type: ignore[attr-defined]
        with self._lock:
            self._done.extend(results)
            ready = len(self._done) == len(results)  # else a delivery is already on its way
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
