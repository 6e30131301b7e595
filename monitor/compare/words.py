"""Word-level diff inside one pair of sentences, with rapidfuzz's LCS opcodes (linear memory,
C speed) instead of difflib, whose autojunk makes long diffs non-minimal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

# A word keeps its inner hyphens, apostrophes and dots ("Neumann-Ortiz", "don't", "U.S.", "4.5");
# any other non-space character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[-'.,]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Hunk:
    """A run of changed words: tokens [old_start, old_end) of the old sentence became
    [new_start, new_end) of the new one. Texts are the original slices, spacing included."""

    old: str
    new: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_tokens: tuple[str, ...]
    new_tokens: tuple[str, ...]
    old_chars: tuple[int, int] = (0, 0)  # character range in the old sentence (empty: the point)
    new_chars: tuple[int, int] = (0, 0)
    before: str = ""  # the old sentence's token just before the hunk
    after: str = ""  # and just after it


@dataclass(frozen=True)
class Span:
    """A piece of a word diff for display: kept, deleted or inserted text."""

    op: Literal["equal", "delete", "insert"]
    text: str


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks with their character offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _slice(text: str, tokens: list[Token], start: int, end: int) -> str:
    if start >= end:
        return ""
    return text[tokens[start].start : tokens[end - 1].end]


def diff_words(old: str, new: str) -> list[Hunk]:
    """The changed runs between two sentences, in order. Adjacent deletions and insertions merge
    into one hunk, so "kills 50" → "kills at least 60" is one hunk "50" → "at least 60"."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    opcodes = Indel.opcodes([t.text for t in old_tokens], [t.text for t in new_tokens])
    hunks: list[Hunk] = []
    run: list[int] | None = None  # [old_start, old_end, new_start, new_end]
    for op in opcodes:
        if op.tag == "equal":
            if run is not None:
                hunks.append(_hunk(old, new, old_tokens, new_tokens, *run))
                run = None
            continue
        if run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run is not None:
        hunks.append(_hunk(old, new, old_tokens, new_tokens, *run))
    return hunks


def _chars(text: str, tokens: list[Token], start: int, end: int) -> tuple[int, int]:
    if start < end:
        return tokens[start].start, tokens[end - 1].end
    point = tokens[start].start if start < len(tokens) else len(text)
    return point, point


def _hunk(
    old: str,
    new: str,
    old_tokens: list[Token],
    new_tokens: list[Token],
    i1: int,
    i2: int,
    j1: int,
    j2: int,
) -> Hunk:
    return Hunk(
        old=_slice(old, old_tokens, i1, i2),
        new=_slice(new, new_tokens, j1, j2),
        old_start=i1,
        old_end=i2,
        new_start=j1,
        new_end=j2,
        old_tokens=tuple(t.text for t in old_tokens[i1:i2]),
        new_tokens=tuple(t.text for t in new_tokens[j1:j2]),
        old_chars=_chars(old, old_tokens, i1, i2),
        new_chars=_chars(new, new_tokens, j1, j2),
        before=old_tokens[i1 - 1].text if i1 > 0 else "",
        after=old_tokens[i2].text if i2 < len(old_tokens) else "",
    )


def word_spans(old: str, new: str) -> list[Span]:
    """The whole new sentence as kept / deleted / inserted pieces, for a coloured diff."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    spans: list[Span] = []
    new_pos = 0
    for hunk in diff_words(old, new):
        cut = new_tokens[hunk.new_start].start if hunk.new_start < len(new_tokens) else len(new)
        if hunk.new_start == hunk.new_end and hunk.new_start > 0:
            # Pure deletion: show it right after the previous kept token.
            cut = new_tokens[hunk.new_start - 1].end
        if cut > new_pos:
            spans.append(Span("equal", new[new_pos:cut]))
            new_pos = cut
        if hunk.old:
            spans.append(Span("delete", hunk.old))
        if hunk.new:
            if spans and spans[-1].op == "delete":
                spans.append(Span("equal", " "))
            spans.append(Span("insert", hunk.new))
            new_pos = new_tokens[hunk.new_end - 1].end
    if new_pos < len(new):
        spans.append(Span("equal", new[new_pos:]))
    del old_tokens
    return spans
