"""Headline variants: tell an A/B test (a headline moving among a few wordings) from an edit.

Newsrooms test headlines against each other: the page shows wording A, then B, then A again, for
hours. Compared version by version, every flip is a `headline` edit and every return a `reverted`
one. This module looks at the history of one field (the headline, or the standfirst) instead:

- a wording never seen before is a **new wording**: an edit, reported as usual;
- a return to a wording seen shortly before, with few wordings in between, **starts a test** of
  the wordings since then (reported once: "headline test: 2 variants since 14:02");
- while the test runs, a move to one of its variants is a **flip**: recorded, never reported;
- the test **ends** when no flip has happened for `TEST_QUIET` (settled on one of its variants:
  reported once), or when a wording that was never one of its variants appears (reported as the
  new wording it is, and the test is over);
- a return too long after, or across too many wordings, is a **revert**: an edit, as today.

Pure: the history comes in as plain `Run`s (a wording and when it appeared), the clock as an
argument; the store keeps the runs (`monitor.store`). Thresholds were tuned on the development
part of the BBC homepage history (`python -m bench.variants`), and are reported on its held-out
part by `make bench-edits`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.compare.normalize import normalize_text

# A return to an earlier wording starts a test only if that wording was last shown at most this
# long ago. On the BBC history (development part) half of all returns come within 2.5 hours of the
# wording being replaced and 90 % within 17 hours; past a day a return is rare (5 %) and looks
# like an editor undoing a rewrite (a revert, reported) rather than a test.
TEST_WINDOW = timedelta(hours=24)
# A return across more distinct wordings than this is not a test: BBC tests are A/B (82 % of
# returns on the development part) or A/B/C (11 %); four covers 96 %, and a story rewritten five
# times that lands on its first headline again is a revert worth reporting.
MAX_VARIANTS = 4
# A test with no flip for this long is over: it settled on the wording shown. BBC flips follow
# each other at the homepage's 10-20 minute sampling while a test runs; after six quiet hours
# the next change of a tested story is, on the development part, mostly a new wording.
TEST_QUIET = timedelta(hours=6)
# Only the most recent runs of a field are replayed: a bound on the history read per check (a
# test flipping every ten minutes for a day is 144 runs).
MAX_RUNS = 300

# Outcomes of `decide_variant`, and whether each is reported as an edit or event.
UNCHANGED = "unchanged"  # the wording shown before (the test, if any, goes on)
NEW_WORDING = "new_wording"  # never seen: an edit
REVERTED = "reverted"  # an earlier wording, but not a test: an edit
TEST_STARTED = "test_started"  # an earlier wording, recently shown: the test is reported once
FLIP = "flip"  # one of the running test's variants: silent
OUTCOMES = (UNCHANGED, NEW_WORDING, REVERTED, TEST_STARTED, FLIP)
REPORTED = frozenset({NEW_WORDING, REVERTED, TEST_STARTED})


@dataclass(frozen=True)
class Run:
    """A wording of the field, shown from `at` until the next run (or until now).

    `with_body`: the article's text changed with it. A return that brings the body back too is
    the whole article reverted, never the start of a headline test."""

    text: str
    at: datetime
    with_body: bool = False


@dataclass(frozen=True)
class Variant:
    """One wording of a test: when it was first and last put up, and how many times."""

    text: str
    first_seen: datetime
    last_seen: datetime
    times: int


@dataclass(frozen=True)
class Test:
    """A headline (or standfirst) test: its variants in order of first appearance."""

    since: datetime  # when the first of its variants was put up
    last_flip: datetime  # when the last move among its variants happened
    variants: tuple[Variant, ...]

    def describe(self, field_label: str = "headline") -> str:
        """ "headline test: 3 variants since 14:02" (UTC)."""
        count = len(self.variants)
        return f"{field_label} test: {count} variants since {self.since:%H:%M}"

    def texts(self) -> tuple[str, ...]:
        return tuple(variant.text for variant in self.variants)


@dataclass(frozen=True)
class VariantDecision:
    """What one observed wording means, given the field's history.

    `test` is the test running after this observation (None when none runs); `ended` is a test
    that ended at or before this observation and was not reported ended yet: it settled on its
    last wording when `outcome` is UNCHANGED or FLIP, and it ended on a wording never in it
    when `outcome` is NEW_WORDING or REVERTED."""

    outcome: str
    wording: str
    test: Test | None = None
    ended: Test | None = None

    @property
    def reported(self) -> bool:
        """Whether this observation is news for a reader of the edit feed."""
        return self.outcome in REPORTED or self.ended is not None


@dataclass
class _Open:
    since: datetime
    last_flip: datetime
    variants: dict[str, Variant] = field(default_factory=dict)

    def frozen(self) -> Test:
        ordered = sorted(self.variants.values(), key=lambda v: v.first_seen)
        return Test(since=self.since, last_flip=self.last_flip, variants=tuple(ordered))


def wording_key(text: str) -> str:
    """Two wordings are the same variant when they normalise alike (quote style, spaces)."""
    return normalize_text(text)


class VariantTracker:
    """Replays a field's wordings in order and decides each one; `decide_variant` wraps it.

    Mutable on purpose (the benchmark replays 47,000 changes through it); it holds only the
    runs it was given, no clock, no I/O."""

    def __init__(
        self,
        *,
        window: timedelta = TEST_WINDOW,
        max_variants: int = MAX_VARIANTS,
        quiet: timedelta = TEST_QUIET,
    ) -> None:
        self.window = window
        self.max_variants = max_variants
        self.quiet = quiet
        self._runs: list[tuple[str, str, datetime]] = []  # key, text, at
        self._last_index: dict[str, int] = {}
        self._open: _Open | None = None

    @property
    def current(self) -> str | None:
        return self._runs[-1][1] if self._runs else None

    def observe(
        self,
        text: str,
        at: datetime,
        previous_check: datetime | None = None,
        with_body: bool = False,
    ) -> VariantDecision:
        """Decide the wording `text` seen at `at`. `previous_check` is when the field was last
        looked at (default: when it last changed); a test that went quiet between then and `at`
        is reported ended now, one that went quiet before then was reported already.
        `with_body`: the article's text changed too (a return is then a revert, not a test)."""
        key = wording_key(text)
        ended = self._close_if_quiet(at, previous_check)
        if self._runs and key == self._runs[-1][0]:
            return VariantDecision(UNCHANGED, text, test=self._test(), ended=ended)
        opened = self._open
        if opened is not None and key in opened.variants:
            variant = opened.variants[key]
            opened.variants[key] = Variant(variant.text, variant.first_seen, at, variant.times + 1)
            opened.last_flip = at
            self._append(key, text, at)
            return VariantDecision(FLIP, text, test=opened.frozen(), ended=ended)
        if opened is not None:
            # A wording that was never one of the variants: the test is over, and this is news.
            ended = opened.frozen()
            self._open = None
        outcome = self._outcome_without_test(key, at)
        if outcome == TEST_STARTED and with_body:
            outcome = REVERTED
        if outcome == TEST_STARTED:
            self._open = self._start(key, text, at)
        self._append(key, text, at)
        return VariantDecision(outcome, text, test=self._test(), ended=ended)

    def _test(self) -> Test | None:
        return self._open.frozen() if self._open is not None else None

    def _close_if_quiet(self, at: datetime, previous_check: datetime | None) -> Test | None:
        opened = self._open
        if opened is None or at - opened.last_flip < self.quiet:
            return None
        self._open = None
        quiet_since = opened.last_flip + self.quiet
        if previous_check is not None and previous_check >= quiet_since:
            return None  # it went quiet before the last look: reported then
        return opened.frozen()

    def _outcome_without_test(self, key: str, at: datetime) -> str:
        earlier = self._last_index.get(key)
        if earlier is None:
            return NEW_WORDING
        replaced_at = self._runs[earlier + 1][2]  # when that wording was last taken down
        between = {run_key for run_key, _, _ in self._runs[earlier:]}
        if at - replaced_at <= self.window and len(between) <= self.max_variants:
            return TEST_STARTED
        return REVERTED

    def _start(self, key: str, text: str, at: datetime) -> _Open:
        earlier = self._last_index[key]
        runs = self._runs[earlier:]
        variants: dict[str, Variant] = {}
        for run_key, run_text, run_at in runs:
            seen = variants.get(run_key)
            if seen is None:
                variants[run_key] = Variant(run_text, run_at, run_at, 1)
            else:
                variants[run_key] = Variant(seen.text, seen.first_seen, run_at, seen.times + 1)
        back = variants[key]
        variants[key] = Variant(back.text, back.first_seen, at, back.times + 1)
        return _Open(since=runs[0][2], last_flip=at, variants=variants)

    def _append(self, key: str, text: str, at: datetime) -> None:
        self._last_index[key] = len(self._runs)
        self._runs.append((key, text, at))

    def replay(self, runs: Iterable[Run]) -> None:
        """Feed a history, oldest first, without deciding anything for the caller."""
        previous: datetime | None = None
        for run in runs:
            self.observe(run.text, run.at, previous, run.with_body)
            previous = run.at


def decide_variant(
    runs: Sequence[Run],
    wording: str,
    now: datetime,
    previous_check: datetime | None = None,
    with_body: bool = False,
    *,
    window: timedelta = TEST_WINDOW,
    max_variants: int = MAX_VARIANTS,
    quiet: timedelta = TEST_QUIET,
) -> VariantDecision:
    """Decide `wording`, seen `now`, against the field's earlier runs (oldest first).

    Only the last `MAX_RUNS` runs are replayed. `previous_check` is when the page was last
    looked at: with it, a test that went quiet since then is reported ended exactly once."""
    tracker = VariantTracker(window=window, max_variants=max_variants, quiet=quiet)
    tracker.replay(runs[-MAX_RUNS:])
    return tracker.observe(wording, now, previous_check, with_body)
