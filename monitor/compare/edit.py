"""An edit: one thing the newsroom changed, its kind, its significance score, and what a change
amounts to in a journalist's words. The vocabulary shared by the comparison
(`monitor.compare.comparison`), the store and the views; light on purpose, so a round of unchanged
pages never loads the comparison.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

KINDS = (
    "headline",
    "byline",
    "published_date",
    "quote",
    "quote_added",
    "quote_removed",
    "name",
    "number",
    "correction_note",
    "typo",
    "sentence_added",
    "sentence_removed",
    "sentence_moved",
    "sentence_changed",
    # The body changed past the comparison's limits (`monitor.edits.compare_bounded`): one
    # coarse edit saying how much, instead of one per sentence.
    "too_many_changes",
    "cosmetic",
    "page_redesigned",
    # The same change on many articles of a site in one round (`monitor.compare.template`).
    "template_changed",
    # Lifecycle events, recorded by the store rather than found by `compare`.
    "removed",
    "restored",
    "redirected",
    "reverted",
    # Newsroom behaviours that look like edits and are not (`monitor.compare.variants`,
    # `monitor.compare.posts`): reported once per test, and a new post only if a rule asks.
    "headline_test_started",
    "headline_test_ended",
    "live_post_added",
)

# Base significance of each kind, 0-1: how much a reader of the story should care.
BASE_SCORE = {
    "correction_note": 0.9,  # the newsroom itself says the story changed
    "removed": 0.9,
    "quote": 0.85,  # words put in someone's mouth changed
    "quote_removed": 0.8,
    "name": 0.8,
    "number": 0.8,
    "reverted": 0.8,
    "quote_added": 0.75,
    # Anything may hide in a change too big to classify, removals included: as a removed sentence.
    "too_many_changes": 0.6,
    "headline": 0.7,
    "restored": 0.7,
    "sentence_removed": 0.6,
    "byline": 0.5,
    "sentence_added": 0.5,
    "sentence_changed": 0.5,
    "redirected": 0.5,
    "published_date": 0.4,
    "sentence_moved": 0.15,
    "typo": 0.15,
    "cosmetic": 0.0,
    "page_redesigned": 0.1,  # the template changed: worth a line in the timeline, not an alert
    # the site's template changed on many articles in one round: one line, never an alert
    "template_changed": 0.1,
    # A headline test starting or ending is reported once each (its flips never are); both
    # just reach significance, below any real edit of the text.
    "headline_test_started": 0.6,
    "headline_test_ended": 0.5,
    # A new post on a live page is the page doing its job: recorded, never significant; a rule
    # with `kinds = ["live_post_added"]` and `min_score = 0` asks for them.
    "live_post_added": 0.1,
}
# An edit at or above this score is significant: it counts for alerts and for the stealth flag.
SIGNIFICANT_AT = 0.5


@dataclass(frozen=True)
class Edit:
    """One thing the newsroom changed, old → new, with the sentences around it."""

    kind: str
    field: str  # "title", "byline", "published", "modified", "body" or "page"
    old: str = ""
    new: str = ""
    old_sentence: str = ""
    new_sentence: str = ""
    significant: bool = False
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    old_paragraph: int = -1
    new_paragraph: int = -1


def make_edit(
    kind: str,
    field_name: str,
    *,
    extra: Iterable[str] = (),
    penalty: float = 0.0,
    **values: Any,
) -> Edit:
    """An edit of `kind` with its significance score and the reasons for it."""
    score = max(0.0, min(1.0, BASE_SCORE[kind] - penalty))
    reasons = (f"{kind}: base {BASE_SCORE[kind]:.2f}", *extra)
    return Edit(
        kind=kind,
        field=field_name,
        significant=score >= SIGNIFICANT_AT,
        score=round(score, 2),
        reasons=reasons,
        **values,
    )


def weigh_down(edit: Edit, penalty: float, reason: str) -> Edit:
    """The same edit scored `penalty` below its kind's base, its reasons kept and `reason` added
    (how a redesigned page's edges and page furniture lose significance)."""
    return make_edit(
        edit.kind,
        edit.field,
        penalty=penalty,
        extra=(*edit.reasons[1:], reason),
        **{name: getattr(edit, name) for name in ("old", "new", "old_sentence", "new_sentence")},
        old_paragraph=edit.old_paragraph,
        new_paragraph=edit.new_paragraph,
    )


LIFECYCLE = frozenset({"removed", "restored", "redirected", "reverted"})


# --- what a change amounts to --------------------------------------------------------------
LABELS = {
    "headline": ("headline changed", "headline changed"),
    "byline": ("byline changed", "byline changed"),
    "published_date": ("date changed", "dates changed"),
    "quote": ("quote changed", "{n} quotes changed"),
    "quote_added": ("quote added", "{n} quotes added"),
    "quote_removed": ("quote removed", "{n} quotes removed"),
    "name": ("name corrected", "{n} names corrected"),
    "number": ("figure updated", "{n} figures updated"),
    "correction_note": ("correction note added", "correction notes added"),
    "typo": ("typo fixed", "{n} typos fixed"),
    "sentence_added": ("sentence added", "{n} sentences added"),
    "sentence_removed": ("sentence removed", "{n} sentences removed"),
    "sentence_moved": ("sentence moved", "{n} sentences moved"),
    "sentence_changed": ("sentence reworded", "{n} sentences reworded"),
    "too_many_changes": ("too many changes to classify", "too many changes to classify"),
    "cosmetic": ("cosmetic changes only", "cosmetic changes"),
    "page_redesigned": ("page redesigned", "page redesigned"),
    "template_changed": ("site template changed", "site template changed"),
    "removed": ("article removed", "article removed"),
    "restored": ("article restored", "article restored"),
    "redirected": ("article redirected", "article redirected"),
    "reverted": ("reverted to an earlier version", "reverted to an earlier version"),
    "headline_test_started": ("headline test started", "headline tests started"),
    "headline_test_ended": ("headline test ended", "headline tests ended"),
    "live_post_added": ("live post added", "{n} live posts added"),
}


def summarize(edits: Iterable[Edit]) -> str:
    """One line in a journalist's words, most significant first: "quote changed; name corrected"."""
    edits = list(edits)
    counts = Counter(e.kind for e in edits)
    best = {kind: max(e.score for e in edits if e.kind == kind) for kind in counts}
    # Lifecycle events lead: "article restored" matters before what changed inside it.
    order = sorted(counts, key=lambda k: (k not in LIFECYCLE, -best[k], KINDS.index(k)))
    if any(k != "cosmetic" for k in order):
        order = [k for k in order if k != "cosmetic"]
    parts = []
    for kind in order:
        one, many = LABELS[kind]
        part = one if counts[kind] == 1 else many.format(n=counts[kind])
        if kind == "too_many_changes":
            # How much changed is that edit's first reason after its base ("3 paragraphs changed").
            details = [e.reasons[1] for e in edits if e.kind == kind and len(e.reasons) > 1]
            part = f"{part}: {details[0]}" if details else part
        parts.append(part)
    return "; ".join(parts) if parts else "no edits"


# Events about how a page is published, not edits of its text: never "stealth".
NEWSROOM_EVENTS = frozenset({"headline_test_started", "headline_test_ended", "live_post_added"})


def is_stealth(edits: Iterable[Edit]) -> bool:
    """Significant edits and no correction note: changed without the newsroom saying so. A
    headline test starting or ending is not an edit made without saying so."""
    edits = list(edits)
    return any(e.significant and e.kind not in NEWSROOM_EVENTS for e in edits) and not any(
        e.kind == "correction_note" for e in edits
    )
