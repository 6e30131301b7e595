"""Headline variants: an A/B test is recognised once, its flips are silent, news is still news."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from monitor.compare.variants import (
    FLIP,
    MAX_RUNS,
    NEW_WORDING,
    REVERTED,
    TEST_QUIET,
    TEST_STARTED,
    TEST_WINDOW,
    UNCHANGED,
    Run,
    VariantTracker,
    decide_variant,
)

T0 = datetime(2026, 11, 4, 14, 2, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def outcomes(wordings: Sequence[str], step_minutes: float = 10) -> list[str]:
    """Replay one-letter wordings ("ABAB") every `step_minutes`; the outcome of each."""
    tracker = VariantTracker()
    return [tracker.observe(w, at(i * step_minutes)).outcome for i, w in enumerate(wordings)]


@pytest.mark.parametrize(
    ("wordings", "expected"),
    [
        ("A", [NEW_WORDING]),
        ("AA", [NEW_WORDING, UNCHANGED]),
        ("AB", [NEW_WORDING, NEW_WORDING]),
        ("ABC", [NEW_WORDING] * 3),
        # The first return opens the test (reported once); the moves after it are flips.
        ("ABA", [NEW_WORDING, NEW_WORDING, TEST_STARTED]),
        ("ABABAB", [NEW_WORDING, NEW_WORDING, TEST_STARTED, FLIP, FLIP, FLIP]),
        ("ABCABC", [NEW_WORDING] * 3 + [TEST_STARTED, FLIP, FLIP]),
        # A wording that was never a variant is news, and the test is over.
        ("ABABC", [NEW_WORDING, NEW_WORDING, TEST_STARTED, FLIP, NEW_WORDING]),
        # Back to a wording across more than MAX_VARIANTS wordings: a revert, not a test.
        ("ABCDEA", [NEW_WORDING] * 5 + [REVERTED]),
    ],
)
def test_outcome_of_each_wording(wordings: str, expected: list[str]) -> None:
    assert outcomes(wordings) == expected


def test_a_return_long_after_the_wording_was_taken_down_is_a_revert() -> None:
    tracker = VariantTracker()
    tracker.observe("A", at(0))
    tracker.observe("B", at(10))
    late = at(10) + TEST_WINDOW + timedelta(minutes=1)
    assert tracker.observe("A", late).outcome == REVERTED


def test_the_test_lists_every_variant_with_when_it_was_seen() -> None:
    tracker = VariantTracker()
    for i, wording in enumerate(
        ["Mayor quits", "Mayor resigns", "Mayor steps down", "Mayor quits"]
    ):
        decision = tracker.observe(wording, at(10 * i))
    assert decision.outcome == TEST_STARTED
    assert decision.test is not None
    assert decision.test.describe() == "headline test: 3 variants since 14:02"
    first = decision.test.variants[0]
    assert (first.text, first.first_seen, first.last_seen, first.times) == (
        "Mayor quits",
        at(0),
        at(30),
        2,
    )
    assert decision.test.texts() == ("Mayor quits", "Mayor resigns", "Mayor steps down")


def test_variants_differing_only_in_quote_style_are_one_wording() -> None:
    assert outcomes(["Mayor 'sorry'", "Mayor \u2018sorry\u2019"]) == [NEW_WORDING, UNCHANGED]


def test_a_quiet_test_is_reported_ended_once_on_its_last_variant() -> None:
    runs = [Run("A", at(0)), Run("B", at(10)), Run("A", at(20))]
    last_flip = at(20)
    before = decide_variant(runs, "A", last_flip + TEST_QUIET - timedelta(minutes=1), at(20))
    assert before.outcome == UNCHANGED and before.ended is None and before.test is not None
    first_look_after = decide_variant(
        runs,
        "A",
        last_flip + TEST_QUIET + timedelta(minutes=5),
        last_flip + TEST_QUIET - timedelta(minutes=5),
    )
    assert first_look_after.ended is not None and first_look_after.test is None
    assert first_look_after.reported
    next_look = decide_variant(
        runs,
        "A",
        last_flip + TEST_QUIET + timedelta(minutes=15),
        last_flip + TEST_QUIET + timedelta(minutes=5),
    )
    assert next_look.ended is None and not next_look.reported


def test_a_test_ending_on_a_new_wording_reports_both() -> None:
    runs = [Run("A", at(0)), Run("B", at(10)), Run("A", at(20)), Run("B", at(30))]
    decision = decide_variant(runs, "C", at(40), at(30))
    assert decision.outcome == NEW_WORDING
    assert decision.ended is not None and decision.ended.texts() == ("A", "B")
    assert decision.test is None


def test_flips_are_not_reported() -> None:
    runs = [Run("A", at(0)), Run("B", at(10)), Run("A", at(20))]
    decision = decide_variant(runs, "B", at(30), at(20))
    assert decision.outcome == FLIP and not decision.reported
    assert decision.test is not None and decision.test.variants[1].times == 2


def test_only_the_last_runs_are_replayed() -> None:
    # An old wording beyond the bound is forgotten: seeing it again is a new wording.
    runs = [Run("old", at(0))] + [Run(f"w{i}", at(10 + i)) for i in range(MAX_RUNS)]
    assert decide_variant(runs, "old", at(10 + MAX_RUNS)).outcome == NEW_WORDING


def test_a_return_that_brings_the_body_back_too_is_a_revert_not_a_test() -> None:
    runs = [Run("A", at(0)), Run("B", at(10), with_body=True)]
    assert decide_variant(runs, "A", at(20), at(10), with_body=True).outcome == REVERTED
    # and a replayed revert does not open a test for the next move either
    replayed = [*runs, Run("A", at(20), with_body=True)]
    assert decide_variant(replayed, "B", at(30), at(20), with_body=True).outcome == REVERTED
