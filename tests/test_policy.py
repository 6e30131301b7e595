"""monitor.fetch.policy: durations from config text, and when to look at an article again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import ConfigError
from monitor.fetch.policy import DEFAULT_MAX_AGE, RevisitPolicy, next_check, parse_duration

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLICY = RevisitPolicy()


def interval(
    age: timedelta, quiet: timedelta | None = None, policy: RevisitPolicy = POLICY
) -> timedelta | None:
    """How long until the next check of an article `age` old, last changed `quiet` ago."""
    last_changed = NOW - quiet if quiet is not None else None
    when = next_check(policy, NOW, NOW - age, last_changed)
    return None if when is None else when - NOW


# --- parse_duration ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1w", timedelta(weeks=1)),
        ("90sec", timedelta(seconds=90)),
        ("10min", timedelta(minutes=10)),
        ("10mins", timedelta(minutes=10)),
        ("3hr", timedelta(hours=3)),
        ("2days", timedelta(days=2)),
        ("1.5h", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
        ("2 h", timedelta(hours=2)),
    ],
)
def test_parse_duration_reads(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "h",
        "2",
        "2x",
        "2 hours ago",
        "-1h",
        "0s",
        "0.0h",
        "1y",
        "1,5h",
        "one day",
        "1h30m",
        "h2",
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


def test_parse_duration_rejects_milliseconds() -> None:
    with pytest.raises(ConfigError):
        parse_duration("500ms")


def test_parse_duration_rejects_a_duration_too_large_to_represent() -> None:
    with pytest.raises(ConfigError):
        parse_duration("9999999999d")


def test_parse_duration_error_names_the_bad_text() -> None:
    with pytest.raises(ConfigError, match="'fortnight'"):
        parse_duration("fortnight")


# --- next_check ----------------------------------------------------------------------------
def test_a_fresh_article_is_checked_again_in_ten_minutes() -> None:
    assert interval(age=timedelta(0)) == timedelta(minutes=10)


def test_a_recently_edited_old_article_is_checked_often() -> None:
    assert interval(age=timedelta(days=10), quiet=timedelta(hours=1)) == timedelta(minutes=10)


def test_a_quiet_old_article_is_checked_once_a_day() -> None:
    assert interval(age=timedelta(days=10), quiet=timedelta(days=9)) == timedelta(hours=24)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(hours=1), timedelta(minutes=10)),
        (timedelta(hours=12), timedelta(minutes=30)),
        (timedelta(days=2), timedelta(hours=2)),
        (timedelta(days=5), timedelta(hours=6)),
        (timedelta(days=20), timedelta(hours=24)),
    ],
)
def test_a_never_edited_article_is_checked_by_its_age(age: timedelta, expected: timedelta) -> None:
    assert interval(age=age) == expected


def test_an_article_older_than_max_age_is_not_checked_again() -> None:
    assert interval(age=DEFAULT_MAX_AGE) is None
    assert interval(age=DEFAULT_MAX_AGE + timedelta(days=1), quiet=timedelta(minutes=1)) is None


def test_max_age_comes_from_the_policy() -> None:
    short = RevisitPolicy(max_age=timedelta(days=2))
    assert interval(age=timedelta(days=3), policy=short) is None
    assert interval(age=timedelta(hours=12), policy=short) == timedelta(minutes=30)


def test_a_fixed_interval_overrides_the_tiers() -> None:
    fixed = RevisitPolicy(fixed=timedelta(minutes=5))
    assert interval(age=timedelta(0), policy=fixed) == timedelta(minutes=5)
    assert interval(age=timedelta(days=20), quiet=timedelta(days=19), policy=fixed) == timedelta(
        minutes=5
    )


def test_a_fixed_interval_still_stops_at_max_age() -> None:
    fixed = RevisitPolicy(fixed=timedelta(minutes=5))
    assert interval(age=DEFAULT_MAX_AGE, policy=fixed) is None


def test_next_check_is_counted_from_now() -> None:
    assert next_check(POLICY, NOW, NOW, None) == NOW + timedelta(minutes=10)


AGES = st.timedeltas(min_value=timedelta(0), max_value=DEFAULT_MAX_AGE - timedelta(seconds=1))


@given(
    age=AGES,
    quiet=st.timedeltas(min_value=timedelta(0), max_value=DEFAULT_MAX_AGE),
    more=st.timedeltas(min_value=timedelta(0), max_value=DEFAULT_MAX_AGE),
)
def test_intervals_never_shrink_as_the_article_gets_quieter(
    age: timedelta, quiet: timedelta, more: timedelta
) -> None:
    quiet = min(quiet, age)
    quieter = min(quiet + more, age)
    sooner, later = interval(age, quiet), interval(age, quieter)
    assert sooner is not None and later is not None
    assert later >= sooner


@given(age=AGES, older=st.timedeltas(min_value=timedelta(0), max_value=DEFAULT_MAX_AGE))
def test_intervals_never_shrink_as_a_never_edited_article_ages(
    age: timedelta, older: timedelta
) -> None:
    later_age = min(age + older, DEFAULT_MAX_AGE - timedelta(seconds=1))
    sooner, later = interval(age), interval(later_age)
    assert sooner is not None and later is not None
    assert later >= sooner


def test_intervals_grow_tier_by_tier_over_a_month_of_hours() -> None:
    hours = range(0, 30 * 24)
    intervals = [interval(timedelta(hours=h)) for h in hours]
    assert all(i is not None for i in intervals)
    assert intervals == sorted(intervals)  # type: ignore[type-var]


def test_live_pages_are_checked_every_five_minutes_while_they_change() -> None:
    from monitor.fetch.policy import DEFAULT_LIVE_INTERVAL, LIVE_QUIET, next_live_check

    policy = RevisitPolicy()
    start = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)
    now = start + timedelta(hours=30)
    changed = now - timedelta(minutes=20)
    assert next_live_check(policy, now, start, changed) == now + DEFAULT_LIVE_INTERVAL
    quiet = now - LIVE_QUIET
    assert next_live_check(policy, now, start, quiet) == next_check(policy, now, start, quiet)
    fixed = RevisitPolicy(fixed=timedelta(hours=1))
    assert next_live_check(fixed, now, start, changed) == now + timedelta(hours=1)
    assert next_live_check(policy, start + policy.max_age, start, changed) is None
