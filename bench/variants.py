"""Headline variants on the BBC homepage history: tests recognised, rewrites still reported.

    python -m bench.variants --corpus ../shared/corpus [--sweep]

Reads `bbc-homepage-headline-history/headline_changes.jsonl.gz` in place (47,693 headline and
summary changes of 14,748 stories, sampled every 10-20 minutes, 2021-2023) and replays each
story's headline, then its summary, through `monitor.compare.variants.VariantTracker`.

The stories are split by a stable hash of their URL path *before* anything is measured: 30 % are
held out (`held_out`), the thresholds were tuned on the other 70 % (`--sweep` prints that tuning
table again). `make bench-edits` prints both parts with the thresholds in force.

What is counted, per field:
- changes: moves from one wording to another (what Redline reports today, one edit each);
- returns: changes back to a wording the story showed before (A → B → A): the flips a test makes,
  or a revert. "Flips recognised" = returns that are silent (a flip) or open a test (one report);
- flagged: changes the dataset marks `reverted_later_or_ab` (its own A/B candidate flag);
- new wordings: changes to a wording never shown before. "Rewrites still reported" = those that
  are reported (they always are by construction: a wording outside the test ends it);
- reports: what a reader of the edit feed gets with the detector (one per observation that is a
  new wording, a revert, a test start or a test end), against one per change today.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import corpus_dir_or_exit
from monitor.compare.variants import (
    FLIP,
    MAX_VARIANTS,
    NEW_WORDING,
    REVERTED,
    TEST_QUIET,
    TEST_STARTED,
    TEST_WINDOW,
    VariantTracker,
    wording_key,
)

BBC = "bbc-homepage-headline-history"
FILE = "headline_changes.jsonl.gz"
# The held-out share of stories (by hash of the URL path, fixed before any measurement).
HELD_OUT_PERCENT = 30
FIELDS = ("title", "summary")


def held_out(story: str) -> bool:
    """True for the 30 % of stories never used to tune the thresholds."""
    digest = hashlib.sha256(story.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < HELD_OUT_PERCENT


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def load_stories(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows per story (its URL path), oldest first."""
    stories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            stories[row["href"]].append(row)
    for rows in stories.values():
        rows.sort(key=lambda r: (r["seen_new_at"], r["seen_old_at"]))
    return stories


@dataclass(frozen=True)
class Step:
    """One wording of a field as the history shows it: a change when `change` is set."""

    text: str
    at: datetime
    flagged: bool  # the row carries the dataset's reverted_later_or_ab flag
    change: bool  # a change the dataset records (not a wording inferred from a gap)


def field_steps(rows: list[dict[str, Any]], name: str) -> Iterator[Step]:
    """The wordings of one field in order. A row whose old wording is not the last new one (the
    story left the homepage meanwhile) contributes its old wording first, as an uncounted step.
    An empty field is no wording: a summary that disappears and comes back unchanged is no move."""
    current: str | None = None
    for row in rows:
        old, new = row[f"{name}_old"], row[f"{name}_new"]
        if old and wording_key(old) != (current and wording_key(current)):
            yield Step(old, _time(row["seen_old_at"]), False, change=False)
            current = old
        if (
            row[f"{name}_changed"]
            and new
            and wording_key(new) != (current and wording_key(current))
        ):
            yield Step(new, _time(row["seen_new_at"]), bool(row["reverted_later_or_ab"]), True)
            current = new


@dataclass
class Tally:
    changes: int = 0
    returns: int = 0
    returns_recognised: int = 0  # flips or test starts
    flagged: int = 0
    flagged_silent: int = 0
    unflagged: int = 0
    unflagged_silent: int = 0
    new_wordings: int = 0
    new_reported: int = 0
    reverts: int = 0
    tests: int = 0
    flips: int = 0
    tests_ended: int = 0
    reports: int = 0
    stories_with_tests: int = 0
    tested_changes: int = 0  # changes of the stories where a test was recognised
    tested_reports: int = 0  # and what is reported of them with the detector

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def replay(steps: Iterable[Step], tracker: VariantTracker) -> Tally:
    tally = Tally()
    seen: set[str] = set()
    previous: datetime | None = None
    for step in steps:
        key = wording_key(step.text)
        decision = tracker.observe(step.text, step.at, previous)
        previous = step.at
        returning = key in seen
        seen.add(key)
        tally.tests_ended += decision.ended is not None
        if not step.change:
            # A wording inferred across a gap (or the first one): no report of its own, but a
            # test that went quiet before it is reported ended.
            tally.reports += decision.ended is not None
            continue
        # One report per observation: a new wording that ends a test is one message.
        tally.reports += decision.reported
        tally.changes += 1
        silent = decision.outcome == FLIP
        tally.tests += decision.outcome == TEST_STARTED
        tally.flips += silent
        tally.reverts += decision.outcome == REVERTED
        if returning:
            tally.returns += 1
            tally.returns_recognised += decision.outcome in (FLIP, TEST_STARTED)
        else:
            tally.new_wordings += 1
            tally.new_reported += decision.outcome in (NEW_WORDING, REVERTED, TEST_STARTED)
        if step.flagged:
            tally.flagged += 1
            tally.flagged_silent += silent
        else:
            tally.unflagged += 1
            tally.unflagged_silent += silent
    if tally.tests:
        tally.stories_with_tests = 1
        tally.tested_changes, tally.tested_reports = tally.changes, tally.reports
    return tally


def measure(
    stories: dict[str, list[dict[str, Any]]],
    name: str,
    *,
    window: timedelta = TEST_WINDOW,
    max_variants: int = MAX_VARIANTS,
    quiet: timedelta = TEST_QUIET,
) -> Tally:
    total = Tally()
    for rows in stories.values():
        tracker = VariantTracker(window=window, max_variants=max_variants, quiet=quiet)
        total.add(replay(field_steps(rows, name), tracker))
    return total


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:g} h"


def _pct(part: int, whole: int) -> str:
    return f"{part:,}/{whole:,} ({100 * part / whole:.1f} %)" if whole else "-"


def report(label: str, stories: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    rows = []
    for name in FIELDS:
        t = measure(stories, name)
        rows.append(
            [
                f"{label}: {name}",
                f"{len(stories):,}",
                f"{t.changes:,}",
                _pct(t.returns_recognised, t.returns),
                _pct(t.new_reported, t.new_wordings),
                _pct(t.flagged_silent, t.flagged),
                _pct(t.unflagged_silent, t.unflagged),
                f"{t.tests:,} on {t.stories_with_tests:,}",
                f"{t.tests_ended:,}",
                f"{t.reverts:,}",
                f"{t.changes:,} → {t.reports:,}",
                f"{t.tested_changes:,} → {t.tested_reports:,}",
            ]
        )
    return rows


HEADERS = [
    "part: field",
    "stories",
    "changes",
    "flips recognised",
    "rewrites reported",
    "flagged silenced",
    "unflagged silenced",
    "tests (stories)",
    "ended",
    "reverts",
    "reports: today → now",
    "of tested stories",
]


def sweep(stories: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    """The development-part tuning table: each threshold varied around its chosen value."""
    rows = []
    grid: list[tuple[str, dict[str, Any]]] = [("chosen", {})]
    grid += [(f"window {h} h", {"window": timedelta(hours=h)}) for h in (2, 6, 12, 48, 168)]
    grid += [(f"max variants {n}", {"max_variants": n}) for n in (2, 3, 6)]
    grid += [(f"quiet {h} h", {"quiet": timedelta(hours=h)}) for h in (1, 3, 12, 24)]
    for label, options in grid:
        t = measure(stories, "title", **options)
        rows.append(
            [
                label,
                _pct(t.returns_recognised, t.returns),
                _pct(t.flagged_silent, t.flagged),
                _pct(t.unflagged_silent, t.unflagged),
                f"{t.tests:,}",
                f"{t.tests_ended:,}",
                f"{t.reverts:,}",
                f"{t.reports:,}",
            ]
        )
    return rows


def run_variants(root: Path, *, tuning: bool = False) -> None:
    """The section `bench.edits` prints (and `python -m bench.variants` alone)."""
    from bench.edits import heading, table

    heading(f"6. Headline variants: A/B tests on the BBC homepage history ({BBC})")
    path = root / BBC / FILE
    if not path.is_file():
        print("  not found, skipped")
        return
    stories = load_stories(path)
    development = {k: v for k, v in stories.items() if not held_out(k)}
    held = {k: v for k, v in stories.items() if held_out(k)}
    print(
        f"  thresholds: a return within {_hours(TEST_WINDOW)} of the wording's last showing, across"
        f" at\n  most {MAX_VARIANTS} wordings, starts a test; a test with no flip for"
        f" {_hours(TEST_QUIET)} is over.\n  Split by SHA-256 of the story's URL path:"
        f" {len(development):,} development stories (tuned on),"
        f" {len(held):,} held out ({HELD_OUT_PERCENT} %)."
    )
    rows = report("development", development) + report("held out", held)
    print(table(HEADERS, rows))
    print(
        "  flips recognised = returns to an earlier wording that are silent or open a test;\n"
        "  rewrites reported = changes to a never-seen wording that are reported; flagged =\n"
        "  the dataset's reverted_later_or_ab flag; reports = changes reported today → new\n"
        "  wordings + reverts + test starts + test ends with the detector."
    )
    if tuning:
        print("\n  Tuning on the development part (titles), one threshold varied at a time:")
        print(
            table(
                [
                    "setting",
                    "flips recognised",
                    "flagged silenced",
                    "unflagged silenced",
                    "tests",
                    "ended",
                    "reverts",
                    "reports",
                ],
                sweep(development),
            )
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.variants", description=__doc__)
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    parser.add_argument("--sweep", action="store_true", help="also print the tuning table")
    args = parser.parse_args(argv)
    run_variants(corpus_dir_or_exit(args.corpus), tuning=args.sweep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
