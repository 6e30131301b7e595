"""A check round in one line: how many pages were checked, what changed, what failed and why.

Pure values: `monitor.store.rounds` reads them from the rows the round wrote; the daemon logs
`RoundReport.line()` after every round and `redline check` prints its outcome counts and problems.
"""

from __future__ import annotations

from dataclasses import dataclass

# Outcomes that mean the page could not be read as an article.
FAILED = ("error", "extraction_failed")
BLOCKED = "blocked"
# A round line names at most this many (site, reason) groups of problems, then counts the rest.
NAMED_PROBLEMS = 3
# A reason longer than this is cut (exception messages can be long); the checks table keeps it all.
REASON_CHARS = 40


@dataclass(frozen=True)
class RoundMark:
    """The last check and change ids before a round started."""

    last_check: int
    last_change: int


@dataclass(frozen=True)
class Problem:
    """Checks of one site that failed or were blocked for the same reason."""

    site: str
    outcome: str
    status: int
    reason: str
    count: int

    def label(self) -> str:
        """ "example.com 403", "example.com bot wall (…)", with "×N" when it happened N times."""
        if self.status >= 400 and self.reason.startswith("HTTP "):
            why = str(self.status)
        else:
            why = self.reason or self.outcome.replace("_", " ")
            if len(why) > REASON_CHARS:
                why = why[: REASON_CHARS - 1].rstrip() + "…"
        return f"{self.site} {why}" + (f" ×{self.count}" if self.count > 1 else "")


@dataclass(frozen=True)
class RoundReport:
    outcomes: dict[str, int]  # checks by outcome
    edits: int  # edits of the changes the round found
    significant: int  # of which significant
    problems: tuple[Problem, ...]  # failed and blocked checks, most frequent first

    @property
    def checked(self) -> int:
        return sum(self.outcomes.values())

    @property
    def failed(self) -> int:
        return sum(self.outcomes.get(outcome, 0) for outcome in FAILED)

    def line(self) -> str:
        """ "checked 120, 3 new versions, 5 edits (2 significant), 2 blocked, 1 failed: example.com
        403" ("failed" and "blocked" only when some were)."""
        parts = [f"checked {self.checked}"]
        if new := self.outcomes.get("new_article", 0):
            parts.append(f"{new} new article{'s' if new != 1 else ''}")
        versions = self.outcomes.get("new_version", 0)
        parts.append(f"{versions} new version{'s' if versions != 1 else ''}")
        edits = f"{self.edits} edit{'s' if self.edits != 1 else ''}"
        parts.append(edits + (f" ({self.significant} significant)" if self.significant else ""))
        if removed := self.outcomes.get("removed", 0):
            parts.append(f"{removed} removed")
        if blocked := self.outcomes.get(BLOCKED, 0):
            parts.append(f"{blocked} blocked")
        if self.failed:
            parts.append(f"{self.failed} failed")
        line = ", ".join(parts)
        return line + (f": {self.problem_line()}" if self.problems else "")

    def problem_line(self) -> str:
        """The most frequent problems by site and reason: "a.example 403, b.example bot wall"."""
        named = [problem.label() for problem in self.problems[:NAMED_PROBLEMS]]
        shown = sum(problem.count for problem in self.problems[:NAMED_PROBLEMS])
        rest = sum(self.outcomes.get(outcome, 0) for outcome in (*FAILED, BLOCKED)) - shown
        return ", ".join(named) + (f" and {rest} more" if rest > 0 else "")

    def outcome_line(self) -> str:
        """`redline check`'s summary: "checked 3 article(s): error 1, unchanged 2 (error: …)"."""
        counts = ", ".join(f"{name} {count}" for name, count in sorted(self.outcomes.items()))
        line = f"checked {self.checked} article(s)" + (f": {counts}" if counts else "")
        return line + (f" ({self.problem_line()})" if self.problems else "")


# A discovery line names at most this many sites with their new articles, then counts the rest.
NAMED_SITES = 5


@dataclass(frozen=True)
class DiscoveryMark:
    """The last article id and the time before a discovery round started."""

    last_article: int
    started: str


@dataclass(frozen=True)
class DiscoveryReport:
    sources_read: int  # sources whose last reading is this round's
    new_by_site: tuple[tuple[str, int], ...]  # new articles per site, most first

    def line(self) -> str:
        """ "read 3 sources, 7 new articles: a.example 5, b.example 2" (or "no new article")."""
        read = f"read {self.sources_read} source{'s' if self.sources_read != 1 else ''}"
        total = sum(count for _, count in self.new_by_site)
        if not total:
            return read + ", no new article"
        named = ", ".join(f"{site} {count}" for site, count in self.new_by_site[:NAMED_SITES])
        rest = len(self.new_by_site) - NAMED_SITES
        return f"{read}, {total} new article{'s' if total != 1 else ''}: {named}" + (
            f" and {rest} more site{'s' if rest != 1 else ''}" if rest > 0 else ""
        )
