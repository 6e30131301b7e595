"""Where quotations are, in text normalised to straight double quotes.

Direction is read from the spacing around each mark: a mark followed by a word and preceded by a
space, a line start or an opening bracket opens a quotation; any other mark closes one. News
quotations often run over several sentences, so the state is carried from one sentence of a
paragraph to the next (`open_at_start`).
"""

from __future__ import annotations

from functools import lru_cache

_BEFORE_OPENING = frozenset(" \t\n([{-—–:/")

Spans = tuple[tuple[int, int], ...]


def _opens(text: str, position: int) -> bool:
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return before in _BEFORE_OPENING and not after.isspace()


@lru_cache(maxsize=8192)
def quote_scan(text: str, open_at_start: bool = False) -> tuple[Spans, bool]:
    """The character ranges inside quotation marks, and whether a quotation is still open at the
    end. A quotation open at the start (from an earlier sentence) begins at 0; a closing mark with
    nothing open means the same; one left open runs to the end."""
    spans: list[tuple[int, int]] = []
    start: int | None = 0 if open_at_start else None
    position = -1
    while (position := text.find('"', position + 1)) != -1:
        if start is None:
            if _opens(text, position):
                start = position
            elif not spans:
                spans.append((0, position + 1))  # began in an earlier sentence
        else:
            spans.append((start, position + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return tuple(spans), start is not None


def quote_spans(text: str, open_at_start: bool = False) -> Spans:
    return quote_scan(text, open_at_start)[0]


def ends_open(text: str, open_at_start: bool = False) -> bool:
    """Whether a quotation is still open after `text` (it continues into the next sentence)."""
    return quote_scan(text, open_at_start)[1]
