"""When to look at an article again: a pure function of its age and of its last change.

Fresh and recently edited articles are checked often, quiet ones rarely, and none after
`max_age`. The clock is passed in, so the policy is tested without waiting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.errors import ConfigError

# (while the article is younger than / was edited less than this, check it every ...).
# News is edited most in its first hours (NewsEdits: most versions come within a day), so the
# first tier is tight and the intervals then grow roughly fourfold per tier.
DEFAULT_TIERS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(hours=3), timedelta(minutes=10)),
    (timedelta(hours=24), timedelta(minutes=30)),
    (timedelta(days=3), timedelta(hours=2)),
    (timedelta(days=7), timedelta(hours=6)),
    (timedelta(days=365_000), timedelta(hours=24)),
)
DEFAULT_MAX_AGE = timedelta(days=30)
# After a failed or blocked fetch try again after this long, doubled after each further failure in
# a row (30 min, 1 h, 2 h, ...) up to MAX_ERROR_RETRY: a bot wall answering every 30 minutes for
# weeks is impolite and tells us nothing new.
DEFAULT_ERROR_RETRY = timedelta(minutes=30)
MAX_ERROR_RETRY = timedelta(days=1)
# A site whose last this many checks in a row all failed is held as a site (none of its articles
# is due) for the same doubling delay, counted from this many failures.
SITE_FAILURES_BEFORE_HOLD = 5
# A Retry-After longer than this is read as this: a site cannot park the monitor for months.
MAX_RETRY_AFTER = timedelta(days=1)

_UNIT = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "week", "weeks"), 604800),
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$", re.IGNORECASE)

# Live pages (live blogs) change every few minutes while they run: they are checked this often as
# long as they changed within LIVE_QUIET, then fall back to the age-based tiers. Five minutes
# is half the BBC homepage's sampling interval, and a round of unchanged live pages costs a 304.
DEFAULT_LIVE_INTERVAL = timedelta(minutes=5)
LIVE_QUIET = timedelta(hours=6)


def parse_duration(text: str) -> timedelta:
    """ "30s", "15m", "2h", "1d", "1w" → timedelta; anything else is a ConfigError."""
    match = _DURATION.match(text)
    if not match or match.group(2).lower() not in _UNIT:
        raise ConfigError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h, 1d)")
    seconds = float(match.group(1)) * _UNIT[match.group(2).lower()]
    if seconds <= 0:
        raise ConfigError(f"a duration must be positive: {text!r}")
    try:
        return timedelta(seconds=seconds)
    except OverflowError as error:
        raise ConfigError(f"duration too long: {text!r}") from error


@dataclass(frozen=True)
class RevisitPolicy:
    tiers: tuple[tuple[timedelta, timedelta], ...] = DEFAULT_TIERS
    max_age: timedelta = DEFAULT_MAX_AGE
    fixed: timedelta | None = None  # `--revisit`: one interval for every article
    error_retry: timedelta = DEFAULT_ERROR_RETRY
    live_interval: timedelta = DEFAULT_LIVE_INTERVAL  # the live tier (see `next_live_check`)


def retry_delay(policy: RevisitPolicy, failures: int) -> timedelta:
    """How long to wait after `failures` (at least 1) failed checks in a row."""
    doublings = min(max(failures, 1) - 1, 20)  # 2**20 half-hours is past any cap
    delay: timedelta = policy.error_retry * 2**doublings
    return min(delay, MAX_ERROR_RETRY)


def next_retry(
    policy: RevisitPolicy, now: datetime, first_seen: datetime, failures: int
) -> datetime | None:
    """When to try a failing article again; None once it is older than the maximum age, whatever
    happened last."""
    if now - first_seen >= policy.max_age:
        return None
    return now + retry_delay(policy, failures)


def site_hold(policy: RevisitPolicy, now: datetime, site_failures: int) -> datetime | None:
    """Until when a site whose checks failed `site_failures` times in a row is held, if at all."""
    if site_failures < SITE_FAILURES_BEFORE_HOLD:
        return None
    return now + retry_delay(policy, site_failures - SITE_FAILURES_BEFORE_HOLD + 1)


def parse_retry_after(value: str, now: datetime) -> datetime | None:
    """A Retry-After header (seconds, or an HTTP date) as a moment, capped at MAX_RETRY_AFTER;
    None when absent or unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # not `²`, which is a digit int() refuses
        cap = int(MAX_RETRY_AFTER.total_seconds())
        wait = timedelta(seconds=cap if len(value) > len(str(cap)) else min(int(value), cap))
        return now + wait
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return min(max(when, now), now + MAX_RETRY_AFTER)


def next_check(
    policy: RevisitPolicy, now: datetime, first_seen: datetime, last_changed: datetime | None
) -> datetime | None:
    """When to check next; None once the article is older than the policy's maximum age."""
    age = now - first_seen
    if age >= policy.max_age:
        return None
    if policy.fixed is not None:
        return now + policy.fixed
    quiet = now - last_changed if last_changed is not None else age
    recency = min(age, quiet)
    for below, interval in policy.tiers:
        if recency < below:
            return now + interval
    return now + policy.tiers[-1][1]


def next_live_check(
    policy: RevisitPolicy, now: datetime, first_seen: datetime, last_changed: datetime | None
) -> datetime | None:
    """When to check a live page next: every `live_interval` while it changed within
    `LIVE_QUIET` (unless one fixed interval is set), else as any article."""
    quiet = now - last_changed if last_changed is not None else now - first_seen
    if policy.fixed is None and quiet < LIVE_QUIET and now - first_seen < policy.max_age:
        return now + policy.live_interval
    return next_check(policy, now, first_seen, last_changed)
