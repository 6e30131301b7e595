"""Word-level diff inside one pair of sentences, with rapidfuzz's LCS opcodes (C speed) instead
of difflib, whose autojunk makes long diffs non-minimal. The opcodes keep a bit matrix of old
tokens × new tokens / 8 bytes (60,000 tokens a side: 450 MB), so the part that differs is bounded
(`MAX_WORD_DIFF_CELLS`) and past it reported as one changed run."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Indel

# A word keeps its inner hyphens, apostrophes and dots ("Neumann-Ortiz", "don't", "U.S.", "4.5");
# any other non-space character is a token of its own.
_TOKEN = re.compile(r"\w+(?:[-'.,]\w+)*|[^\w\s]")
# A "word" longer than this is cut into tokens of this many characters. The longest real words,
# hyphenated names and URL slugs stay well below; a 3 MB run of letters would otherwise be one
# token, and the spelling check compares two tokens in time quadratic in their length.
MAX_TOKEN_CHARS = 1_000
# The changed middle of a pair (old tokens × new tokens, after their common start and end) is
# diffed word by word up to this many cells: a 1.25 MB bit matrix and about a millisecond. Any
# sentence within `sentences.MAX_SENTENCE_CHARS` (2,000 characters, so at most 2,000 tokens a
# side) stays below it; past it the middle is one hunk, coarse but complete.
MAX_WORD_DIFF_CELLS = 10_000_000
# A phrase moved inside a sentence ("about Akamai Technologies' coming earnings" → "about the
# coming earnings of Akamai Technologies") comes out of the LCS as two runs on either side of the
# words it moved across: words one run removes reappear in the other's. Two such runs are one
# rewording when at most this many unchanged tokens lie between them (the words moved across: a
# name, "the company's chief executive")...
MOVE_GAP_TOKENS = 8
# ...and a moved word has at least this many characters: a function word ("the", "of", "der",
# "les", "el") moves with any rewording and tells nothing of a move.
MOVED_WORD_MIN_CHARS = 4


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
    tokens = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if end - start <= MAX_TOKEN_CHARS:
            tokens.append(Token(match.group(), start, end))
            continue
        for low in range(start, end, MAX_TOKEN_CHARS):
            high = min(low + MAX_TOKEN_CHARS, end)
            tokens.append(Token(text[low:high], low, high))
    return tokens


def _slice(text: str, tokens: list[Token], start: int, end: int) -> str:
    if start >= end:
        return ""
    return text[tokens[start].start : tokens[end - 1].end]


def diff_words(old: str, new: str, *, moves: bool = False) -> list[Hunk]:
    """The changed runs between two sentences, in order. Adjacent deletions and insertions merge
    into one hunk, so "kills 50" → "kills at least 60" is one hunk "50" → "at least 60". With
    `moves`, two runs that move a phrase across a few words (`_moved`) are one hunk too."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    runs: list[list[int]] = []  # [old_start, old_end, new_start, new_end]
    run: list[int] | None = None
    for op in _token_opcodes([t.text for t in old_tokens], [t.text for t in new_tokens]):
        if op[0] == "equal":
            if run is not None:
                runs.append(run)
                run = None
            continue
        if run is None:
            run = list(op[1:])
        else:
            run[1], run[3] = op[2], op[4]
    if run is not None:
        runs.append(run)
    if moves:
        runs = _join_moves(runs, old_tokens, new_tokens)
    return [_hunk(old, new, old_tokens, new_tokens, *run) for run in runs]


def _join_moves(
    runs: list[list[int]], old_tokens: list[Token], new_tokens: list[Token]
) -> list[list[int]]:
    """The runs with each two neighbours that move a phrase (`_moved`) made one."""
    joined: list[list[int]] = []
    for run in runs:
        if joined and _moved(joined[-1], run, old_tokens, new_tokens):
            joined[-1] = [joined[-1][0], run[1], joined[-1][2], run[3]]
        else:
            joined.append(run)
    return joined


def _moved(
    first: list[int], second: list[int], old_tokens: list[Token], new_tokens: list[Token]
) -> bool:
    """Whether two runs of a sentence are one phrase moved: at most `MOVE_GAP_TOKENS` unchanged
    tokens between them, and a word one run removes written again by the other, of
    `MOVED_WORD_MIN_CHARS` characters at least."""
    if second[0] - first[1] > MOVE_GAP_TOKENS:
        return False
    for removed, added in (
        (_words(old_tokens, *first[:2]), _words(new_tokens, *second[2:])),
        (_words(old_tokens, *second[:2]), _words(new_tokens, *first[2:])),
    ):
        moved = set(removed) & set(added)
        if any(len(word) >= MOVED_WORD_MIN_CHARS for word in moved):
            return True
    return False


def _words(tokens: list[Token], start: int, end: int) -> list[str]:
    """The tokens' words (not their marks), case-folded."""
    return [t.text.casefold() for t in tokens[start:end] if any(c.isalnum() for c in t.text)]


def _token_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """LCS opcodes between two token lists. Past `MAX_WORD_DIFF_CELLS` only the middle between
    their common start and end is diffed, and if that is still too big it is one replaced run."""
    if len(old) * len(new) <= MAX_WORD_DIFF_CELLS:
        return [
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Indel.opcodes(old, new)
        ]
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-tail - 1] == new[-tail - 1]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail
    if (old_end - head) * (new_end - head) > MAX_WORD_DIFF_CELLS:
        middle = [("replace", head, old_end, head, new_end)]
    else:
        middle = [
            (
                op.tag,
                head + op.src_start,
                head + op.src_end,
                head + op.dest_start,
                head + op.dest_end,
            )
            for op in Indel.opcodes(old[head:old_end], new[head:new_end])
        ]
    opcodes = [
        ("equal", 0, head, 0, head),
        *middle,
        ("equal", old_end, len(old), new_end, len(new)),
    ]
    return [op for op in opcodes if op[1] < op[2] or op[3] < op[4]]


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
            deleted = hunk.old
            if not hunk.new and 0 < cut <= len(new) and not new[cut - 1].isspace():
                # A pure deletion sits right after a kept word: its space goes with it, so that
                # "important housing vote" → "important vote" never reads "importanthousing".
                deleted = " " + deleted.lstrip()
            elif not hunk.new and cut == 0 and new[:1].strip():
                deleted = deleted.rstrip() + " "  # deleted at the start: "[Housing ]vote"
            spans.append(Span("delete", deleted))
        if hunk.new:
            if spans and spans[-1].op == "delete":
                spans.append(Span("equal", " "))
            spans.append(Span("insert", hunk.new))
            new_pos = new_tokens[hunk.new_end - 1].end
    if new_pos < len(new):
        spans.append(Span("equal", new[new_pos:]))
    del old_tokens
    return spans
