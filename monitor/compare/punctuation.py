"""Punctuation fixes and typography: which changes of marks an editor would call a typo fixed.

Two versions that differ only in punctuation, case or spacing are either

- **typography** (`cosmetic`): the same marks written in another style. Straight or curly quotes
  and apostrophes, `--` or `–` or `—`, `...` or `…`, spaces around marks or between a figure and
  its unit (French "- 3,5 %" and "12 h 30"), and case ("the first lady" → "the First Lady");
- **a punctuation fix** (`typo`): a mark added, removed or replaced inside the words' sequence
  ("On Dec. 1." → "On Dec. 1,", "plan." → "plan,", "its" → "it's", "well known" →
  "well-known"), or words joined or split ("walk out" → "walkout", "every day" → "everyday").

Both stay below significance; the difference is what the timeline tells a reader. Pure functions
over short strings (a hunk's two sides, or two sentences).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from monitor.compare.align import Alignment
from monitor.compare.normalize import compact_key, normalize_text

# Every dash and minus sign, alone or doubled ("--" is a typewriter's em dash), is one mark.
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58]+")
# A run of letters (any script; digits and marks excluded): the words a reader spells.
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _marks_and_letters(text: str) -> str:
    """Letters, digits and punctuation marks in order, case folded, in one style (quotes and
    ellipses by `normalize_text`, dashes here); spaces, symbols and emoji left out."""
    folded = _DASHES.sub("-", normalize_text(text).casefold())
    return "".join(c for c in folded if c.isalnum() or unicodedata.category(c).startswith("P"))


def is_punctuation_fix(old: str, new: str) -> bool:
    """True when two texts with the same letters and digits (`compact_key`) differ by a mark
    added, removed or replaced, or by words joined or split; False for typography only (quote,
    dash and ellipsis styles, spacing around marks, case) and for texts whose words differ."""
    if compact_key(old) != compact_key(new):
        return False
    if _marks_and_letters(old) != _marks_and_letters(new):
        return True
    return _LETTER_RUN.findall(old.casefold()) != _LETTER_RUN.findall(new.casefold())


@dataclass(frozen=True)
class Join:
    """A changed pair and the one-sided sentence next to it that punctuation alone split off or
    joined on: together they are one sentence re-punctuated."""

    changed: Alignment
    neighbour: Alignment
    old: str
    new: str


def find_joins(pairs: list[Alignment]) -> list[Join]:
    """Sentences joined or split by punctuation or spacing alone: "On Dec. 1." and "Trump named
    her." → "On Dec. 1, Trump named her." (a removed sentence just before or after a changed
    pair's old sentence), or the reverse (an added one next to its new sentence); also one
    sentence the splitter cuts in two after a change of typography only ("[PMID:1 ] Crossref" →
    "[PMID: 1]" and "Crossref"). Linear in `pairs`."""
    removed = {p.old.index: p for p in pairs if p.op == "removed" and p.old is not None}
    added = {p.new.index: p for p in pairs if p.op == "added" and p.new is not None}
    joins: list[Join] = []
    used: set[int] = set()
    for pair in pairs:
        if pair.op != "changed" or pair.old is None or pair.new is None:
            continue
        old, new = pair.old, pair.new
        for side, index, pool in ((0, old.index, removed), (1, new.index, added)):
            for offset in (-1, 1):
                neighbour = pool.get(index + offset)
                if neighbour is None or id(neighbour) in used:
                    continue
                other = neighbour.old if side == 0 else neighbour.new
                assert other is not None
                joined = _join(other.text, old.text if side == 0 else new.text, offset)
                before, after = (joined, new.text) if side == 0 else (old.text, joined)
                if compact_key(before) == compact_key(after):
                    joins.append(Join(pair, neighbour, before, after))
                    used.add(id(neighbour))
                    break
            else:
                continue
            break
    return joins


def _join(neighbour: str, sentence: str, offset: int) -> str:
    return f"{neighbour} {sentence}" if offset < 0 else f"{sentence} {neighbour}"


def with_neighbours(sentence: str, span: tuple[int, int]) -> str:
    """The characters `span` of `sentence` with the word on each side: a mark alone ("," → "")
    says nothing in a timeline, "point, that" → "point that" does."""
    low, high = span
    while low > 0 and sentence[low - 1].isspace():
        low -= 1
    while low > 0 and not sentence[low - 1].isspace():
        low -= 1
    while high < len(sentence) and sentence[high].isspace():
        high += 1
    while high < len(sentence) and not sentence[high].isspace():
        high += 1
    return sentence[low:high].strip()
