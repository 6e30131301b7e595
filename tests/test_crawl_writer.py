"""The crawl's writer thread (`crawler.writer`): calls run one at a time in the order handed, and
the grouped calls waiting together run as one (the group commit of known pages)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from crawler.writer import GROUP_MAX, Writer


class _Deliveries:
    """The reactor's part, with no reactor running: deliveries wait for `deliver_now`."""

    def __call__(self, deliver: Callable[[], None]) -> None:
        pass


def _held_writer() -> tuple[Writer, threading.Event]:
    writer = Writer("test-writer", call_from_thread=_Deliveries())
    writer.start()
    hold = threading.Event()
    writer.submit(lambda ok, result: None, hold.wait)  # calls handed now wait together
    return writer, hold


def _taken(writer: Writer) -> None:
    """Until the writer has taken every call handed."""
    deadline = time.monotonic() + 60
    while writer._calls.qsize():
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.parametrize(
    ("handed", "runs"),
    [
        # (group key, or None for a call of its own) in the order handed -> the runs made
        (["a", "a", "a"], [("a", [0, 1, 2])]),
        (["a", "b", "a"], [("a", [0]), ("b", [1]), ("a", [2])]),
        (["a", None, "a", "a"], [("a", [0]), (None, [1]), ("a", [2, 3])]),
        (["a"] * (GROUP_MAX + 1), [("a", list(range(GROUP_MAX))), ("a", [GROUP_MAX])]),
    ],
)
def test_grouped_calls_waiting_together_run_as_one_in_order(
    handed: list[str | None], runs: list[tuple[str | None, list[int]]]
) -> None:
    writer, hold = _held_writer()
    made: list[tuple[str | None, list[int]]] = []
    results: dict[int, tuple[bool, Any]] = {}

    def record(key: str, numbers: list[int]) -> list[tuple[bool, Any]]:
        made.append((key, numbers))
        return [(True, number * 10) for number in numbers]

    def alone(number: int) -> int:
        made.append((None, [number]))
        return number * 10

    for number, key in enumerate(handed):
        then = (lambda n: lambda ok, result: results.__setitem__(n, (ok, result)))(number)
        if key is None:
            writer.submit(then, alone, number)
        else:
            writer.submit_grouped(then, record, key, number)
    hold.set()
    writer.stop()
    writer.deliver_now()
    assert made == runs
    assert results == {n: (True, n * 10) for n in range(len(handed))}  # each to its own


def test_a_group_that_raises_fails_each_of_its_calls_and_not_the_next() -> None:
    writer, hold = _held_writer()
    results: list[tuple[bool, Any]] = []

    def broken(key: str, numbers: list[int]) -> list[tuple[bool, Any]]:
        raise RuntimeError("bug")

    for number in range(3):
        writer.submit_grouped(lambda ok, result: results.append((ok, result)), broken, "a", number)
    writer.submit(lambda ok, result: results.append((ok, result)), lambda: "after")
    hold.set()
    writer.stop()
    writer.deliver_now()
    assert [ok for ok, _ in results] == [False, False, False, True]
    assert all(failure.check(RuntimeError) for _, failure in results[:3])
    assert results[3] == (True, "after")


def test_a_group_waits_for_more_calls_while_the_writer_is_not_hurried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Waits far longer than the test: only `hurry` (the round ending) ends them.
    _patient(monkeypatch)
    writer = Writer("test-writer", call_from_thread=_Deliveries())
    writer.start()
    made: list[list[int]] = []
    ran = threading.Semaphore(0)

    def record(key: str, numbers: list[int]) -> list[tuple[bool, Any]]:
        made.append(numbers)
        ran.release()
        return [(True, number) for number in numbers]

    def hand(*numbers: int) -> None:  # one by one: the first waits for the others
        for number in numbers:
            writer.submit_grouped(lambda ok, result: None, record, "a", number)

    try:
        hand(0, 1, 2)
        writer.hurry()
        assert ran.acquire(timeout=60)
        hand(3)  # no wait while hurried
        assert ran.acquire(timeout=60)
        writer.hurry(False)  # the caller no longer waits: groups wait for more again
        hand(4, 5)
        writer.hurry()
        assert ran.acquire(timeout=60)
        assert made == [[0, 1, 2], [3], [4, 5]]
    finally:
        writer.stop()


def _patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups wait for more calls far longer than the test, in all and with none handed."""
    monkeypatch.setattr("crawler.writer.GROUP_WAIT_S", 600.0)
    monkeypatch.setattr("crawler.writer.GROUP_IDLE_S", 600.0)


def _patient_writer(monkeypatch: pytest.MonkeyPatch) -> Writer:
    """A writer started, whose groups wait for more calls far longer than the test: only
    another call, `hurry` or `stop` ends the wait."""
    _patient(monkeypatch)
    writer = Writer("test-writer", call_from_thread=_Deliveries())
    writer.start()
    return writer


def _recording(runs: list[Any]) -> Callable[[str, list[int]], list[tuple[bool, Any]]]:
    """A grouped call that appends the numbers of each run to `runs`."""

    def record(key: str, numbers: list[int]) -> list[tuple[bool, Any]]:
        runs.append(numbers)
        return [(True, number) for number in numbers]

    return record


def test_a_forced_stop_ends_a_group_waiting_for_more_calls_without_running_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A second Ctrl-C: the calls still waiting never run. A group waiting for more calls is
    # not running yet: it does not run either (its pages could take long, extracted alone).
    writer = _patient_writer(monkeypatch)
    made: list[list[int]] = []
    record = _recording(made)

    writer.submit_grouped(lambda ok, result: None, record, "a", 0)
    _taken(writer)  # the group waits for more
    writer.stop(drop=True)
    assert made == []


def test_a_call_of_its_own_handed_while_a_group_waits_ends_the_wait_and_runs_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A page to extract, or a call the reactor awaits (the round's start, a page's record), is
    # not held up by a group of known pages waiting for more: the group runs at once, then it.
    writer = _patient_writer(monkeypatch)
    runs: list[object] = []
    record = _recording(runs)

    try:
        writer.submit_grouped(lambda ok, result: None, record, "a", 0)
        _taken(writer)  # the group waits for more
        writer.submit(lambda ok, result: None, runs.append, "alone")
        deadline = time.monotonic() + 60
        while len(runs) < 2:
            assert time.monotonic() < deadline, runs
            time.sleep(0.01)
        assert runs == [[0], "alone"]
    finally:
        writer.stop()


def _until(runs: list[Any], count: int) -> None:
    """Until `runs` holds `count` runs (a minute at most)."""
    deadline = time.monotonic() + 60
    while len(runs) < count:
        assert time.monotonic() < deadline, runs
        time.sleep(0.01)


def test_a_group_waiting_for_more_runs_as_soon_as_it_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The calls handed to a waiting group do not end its wait one by one: the group runs once
    # GROUP_MAX calls wait, all of them together, without being hurried.
    writer = _patient_writer(monkeypatch)
    runs: list[Any] = []
    record = _recording(runs)

    try:
        writer.submit_grouped(lambda ok, result: None, record, "a", 0)
        _taken(writer)  # the group waits for more
        for number in range(1, GROUP_MAX):
            writer.submit_grouped(lambda ok, result: None, record, "a", number)
        _until(runs, 1)
        assert runs == [list(range(GROUP_MAX))]
    finally:
        writer.stop()


def test_a_group_runs_once_no_call_is_handed_for_a_while_without_being_hurried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A real site's pages come seconds apart: a group whose calls stopped coming (GROUP_IDLE_S
    # with none handed) is recorded then, not when the round ends.
    monkeypatch.setattr("crawler.writer.GROUP_WAIT_S", 600.0)
    monkeypatch.setattr("crawler.writer.GROUP_IDLE_S", 0.05)
    writer = Writer("test-writer", call_from_thread=_Deliveries())
    writer.start()
    runs: list[Any] = []
    record = _recording(runs)

    try:
        for number in range(3):
            writer.submit_grouped(lambda ok, result: None, record, "a", number)
        deadline = time.monotonic() + 60
        while sum(map(len, runs)) < 3:  # neither hurried nor stopped
            assert time.monotonic() < deadline, runs
            time.sleep(0.01)
        assert [number for run in runs for number in run] == [0, 1, 2]
    finally:
        writer.stop()


def test_a_group_whose_calls_keep_coming_runs_once_it_has_waited_long_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A busy round hands a page every millisecond or so: never idle, its group still runs
    # within GROUP_WAIT_S (a crash loses at most those checks), while the calls keep coming.
    monkeypatch.setattr("crawler.writer.GROUP_WAIT_S", 0.2)
    monkeypatch.setattr("crawler.writer.GROUP_IDLE_S", 600.0)  # only the wait in all ends it
    writer = Writer("test-writer", call_from_thread=_Deliveries())
    writer.start()
    runs: list[Any] = []
    record = _recording(runs)

    try:
        number, deadline = 0, time.monotonic() + 60
        while not runs:  # until a group ran, unhurried, though calls never stopped coming
            assert time.monotonic() < deadline, "a group waited for calls that kept coming"
            writer.submit_grouped(lambda ok, result: None, record, "a", number)
            number += 1
            time.sleep(0.005)
        writer.hurry()
        deadline = time.monotonic() + 60
        while sum(map(len, runs)) < number:
            assert time.monotonic() < deadline, runs
            time.sleep(0.01)
        assert [n for run in runs for n in run] == list(range(number))
    finally:
        writer.stop()


def test_a_grouped_call_of_another_database_ends_the_wait_and_runs_in_its_own_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Known pages of another database file (a cluster's shards) are not recorded in the
    # waiting group's transaction: that group runs at once, and theirs waits for more in turn.
    writer = _patient_writer(monkeypatch)
    runs: list[Any] = []
    record = _recording(runs)

    try:
        writer.submit_grouped(lambda ok, result: None, record, "a", 0)
        _taken(writer)
        writer.submit_grouped(lambda ok, result: None, record, "b", 1)
        _until(runs, 1)
        writer.hurry()
        _until(runs, 2)
        assert runs == [[0], [1]]
    finally:
        writer.stop()


def test_a_call_awaited_handed_while_a_group_waits_ends_the_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As `submit`, for `call` (the reactor awaits it: a page to record, the links of a page):
    # the group waiting for more runs at once, then the call.
    writer = _patient_writer(monkeypatch)
    runs: list[Any] = []
    record = _recording(runs)

    try:
        writer.submit_grouped(lambda ok, result: None, record, "a", 0)
        _taken(writer)  # the group waits for more
        writer.call(runs.append, "awaited")
        _until(runs, 2)
        assert runs == [[0], "awaited"]
    finally:
        writer.stop()


def test_a_call_handed_as_the_group_begins_to_wait_is_not_left_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The lost wake-up: a call handed after the writer found the queue empty and before it
    # says what its group waits for (no one to wake yet) is seen before the wait begins.
    _patient(monkeypatch)
    at_wait, go_on = threading.Event(), threading.Event()

    def pause_at_wait(frame: Any, event: str, arg: Any) -> None:  # in the writer's thread
        if event == "call" and frame.f_code.co_name == "_more" and not at_wait.is_set():
            at_wait.set()
            go_on.wait(60)

    threading.setprofile(pause_at_wait)  # for the threads started from now: the writer's
    try:
        writer = Writer("test-writer", call_from_thread=_Deliveries())
        writer.start()
    finally:
        threading.setprofile(None)
    runs: list[Any] = []
    record = _recording(runs)

    try:
        writer.submit_grouped(lambda ok, result: None, record, "a", 0)
        assert at_wait.wait(60)  # the writer found no more calls, and is about to wait
        writer.submit(lambda ok, result: None, runs.append, "alone")
        go_on.set()
        _until(runs, 2)
        assert runs == [[0], "alone"]
    finally:
        go_on.set()
        writer.stop()
