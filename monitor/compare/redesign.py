"""A page redesigned: when the template around the article changed a lot, say so once and ask for
stronger evidence at the article's edges, where a new template moves furniture (newsletter boxes,
promos, related lists, bios, captions) in or out of the extracted body.

Pure functions over the page texts (`monitor.extract.extraction.page_text`) and edits. Edits in
the middle of the story are left as they are, so a real edit made on the same check is still
reported.
"""

from __future__ import annotations

from monitor.compare.edit import Edit, make_edit, weigh_down
from monitor.compare.normalize import compact_key

# Share of the text lines of the two pages (as sets) that both have. Two captures of the same
# page in the same template share 0.73-1.00 of their lines on the development re-captures (a
# live page re-crawled months later is the low end); the same article in another site's
# template shares 0.02-0.33. Below this, the page counts as redesigned.
REDESIGN_SIMILARITY = 0.5
# Lines this short ("Home", "•") are shared by any two pages and prove nothing.
_MIN_LINE_CHARS = 3
# A page with fewer text lines than this (a stub, a test page) is never called redesigned.
MIN_PAGE_LINES = 10
# An edge edit of a redesigned page loses this much score (sentence_added 0.5 → 0.1): it is
# still recorded, it no longer alerts.
EDGE_PENALTY = 0.4
AT_EDGE = "at the article's edge (before or after every unchanged paragraph)"
_EDGE_KINDS = frozenset({"sentence_added", "sentence_removed", "quote_added", "quote_removed"})


def _lines(page_text: str) -> set[str]:
    keys = (compact_key(line) for line in page_text.split("\n"))
    return {key for key in keys if len(key) >= _MIN_LINE_CHARS}


def template_similarity(old_page_text: str, new_page_text: str) -> float:
    """Jaccard similarity of the two pages' text lines: 1.0 for the same page."""
    old, new = _lines(old_page_text), _lines(new_page_text)
    if not old and not new:
        return 1.0
    return len(old & new) / len(old | new)


def is_redesign(old_page_text: str, new_page_text: str) -> bool:
    old, new = _lines(old_page_text), _lines(new_page_text)
    if min(len(old), len(new)) < MIN_PAGE_LINES:
        return False
    return len(old & new) / len(old | new) < REDESIGN_SIMILARITY


def weigh_redesign(edits: list[Edit], old_page_text: str, new_page_text: str) -> list[Edit]:
    """On a redesigned page: one `page_redesigned` event first, and sentences or quotations added
    or removed at the article's edges no longer significant. Otherwise the edits unchanged."""
    if not edits or not is_redesign(old_page_text, new_page_text):
        return edits
    similarity = template_similarity(old_page_text, new_page_text)
    event = make_edit(
        "page_redesigned",
        "page",
        extra=(f"the pages share {similarity:.0%} of their text lines",),
    )
    weighed = [event]
    for edit in edits:
        if edit.kind in _EDGE_KINDS and AT_EDGE in edit.reasons and edit.significant:
            edit = weigh_down(
                edit, EDGE_PENALTY, "the page was redesigned: edges need stronger evidence"
            )
        weighed.append(edit)
    return weighed
