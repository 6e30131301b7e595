"""Where quotations are, in text normalised to straight quotes (“ ” „ « » ‹ › 「 」 become ").

Direction is read from the spacing around each mark: a mark followed by a word and preceded by a
space, a line start or an opening bracket opens a quotation, as does one between an elided article
and a letter (d'"inacceptable"); any other mark closes one. News
quotations often run over several sentences, so the state is carried from one sentence of a
paragraph to the next (`open_at_start`).

Two more styles are read inside one sentence only:

- single quotes ('…', ‘…’, ‚…‘), as British and German papers quote: an opening mark must be
  followed by a letter and closed later in the sentence, and a mark between two letters is an
  apostrophe ("didn't", "O'Brien"), so "the '90s", "'til" or "the students' union" open nothing;
- a dialogue dash opening a sentence, as Spanish and Portuguese papers quote ("— No vamos a
  rendirnos — dijo el ministro."): the words up to the narrator's dash, or to the sentence's end.
"""

from __future__ import annotations

import re
from functools import lru_cache

_BEFORE_OPENING = frozenset(" \t\n([{-—–:/")
# Words whose start a single mark elides in informal English ('til, 'bout, 'em, 'tis): the mark
# stands for the letters left out and opens no quotation, unless the next mark closes one beyond
# doubt (`_elides`): 'Cause of death unknown,' and the 'cause' of a fire are quotations.
ELIDED_STARTS = ("til", "bout", "em", "tis", "twas", "nuff", "cause", "cuz")
_ELIDED_START = re.compile(rf"(?i:{'|'.join(ELIDED_STARTS)})\b")
# A closing mark after these is no apostrophe (a plural possessive follows an "s": players').
_BEFORE_SURE_CLOSING = frozenset(".,;:!?")
QUOTATION_MARKS = frozenset("\"'—–")
_DIALOGUE = re.compile(r"^\s*[—–―]\s*(?=\w)")
_NARRATOR_DASH = re.compile(r"\s[—–―]\s|\s[—–―]$|[,;]\s*[—–―]\s")
# The signature line of an embedded post opens with a dash too ("— Hertha BSC (@HerthaBSC)
# June 1, 2017"): a handle in parentheses makes the line an attribution, not dialogue.
_POST_SIGNATURE = re.compile(r"\(@\w{1,30}\)")

Spans = tuple[tuple[int, int], ...]


def _opens(text: str, position: int) -> bool:
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if before == "'" and position > 1 and text[position - 2].isalpha():
        return after.isalpha()  # an article elided before it: d'"inacceptable", l'"affaire"
    return before in _BEFORE_OPENING and not after.isspace()


@lru_cache(maxsize=8192)
def quote_scan(text: str, open_at_start: bool = False) -> tuple[Spans, bool]:
    """The character ranges inside quotation marks, and whether a quotation is still open at the
    end. A quotation open at the start (from an earlier sentence) begins at 0; a closing mark with
    nothing open means the same; one left open runs to the end. An opening mark inside an open
    quotation opens a quotation within it, whose closing mark does not end the outer one."""
    spans, start, nested = _double_quote_scan(text, open_at_start, nest=True)
    if nested:  # a quotation within never closed: its opening mark was a closing one ("… ".)
        spans, start, _ = _double_quote_scan(text, open_at_start, nest=False)
    if start is not None:
        spans.append((start, len(text)))
    others = [*_single_quote_spans(text), *_dialogue_spans(text)]
    spans += [(a, b) for a, b in others if not any(s < b and a < e for s, e in spans)]
    return tuple(sorted(spans)), start is not None


def _double_quote_scan(
    text: str, open_at_start: bool, nest: bool
) -> tuple[list[tuple[int, int]], int | None, int]:
    """The closed quotations in double quotes, where the one still open starts (or None), and
    how many quotations opened within it are still open (`nest`: an opening mark inside an open
    quotation opens one within it; else it closes the open one)."""
    spans: list[tuple[int, int]] = []
    start: int | None = 0 if open_at_start else None
    nested = 0  # quotations opened inside the open one („…” inside "…", all " once normalised)
    position = -1
    while (position := text.find('"', position + 1)) != -1:
        if start is None:
            if _opens(text, position):
                start = position
            elif not spans:
                spans.append((0, position + 1))  # began in an earlier sentence
        elif position == 0 and _opens(text, position):
            continue  # the quotation from an earlier sentence ended there: a new one opens
        elif nest and _opens(text, position):
            nested += 1
        elif nested:
            nested -= 1
        else:
            spans.append((start, position + 1))
            start = None
    return spans, start, nested


def _single_quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in single quotes closed within `text`; apostrophes and elisions open nothing."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    position = -1
    while (position := text.find("'", position + 1)) != -1:
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        if start is None:
            if before in _BEFORE_OPENING and after.isalpha() and not _elides(text, position):
                start = position
        elif not before.isspace() and not after.isalnum():
            spans.append((start, position + 1))
            start = None
    return spans


def _elides(text: str, position: int) -> bool:
    """Whether the single mark at `position` elides the start of the word after it ('til, 'em):
    one of ELIDED_STARTS, and the next mark (apostrophes inside words aside) closes no quotation
    beyond doubt, right after that word ('cause') or after punctuation ('Cause I said so,')."""
    word = _ELIDED_START.match(text, position + 1)
    if word is None:
        return False
    mark = word.end() - 1
    while (mark := text.find("'", mark + 1)) != -1:
        before, after = text[mark - 1], text[mark + 1 : mark + 2] or " "
        if before.isalnum() and after.isalnum():
            continue  # an apostrophe inside a word
        closes = not before.isspace() and not after.isalnum()
        return not (closes and (mark == word.end() or before in _BEFORE_SURE_CLOSING))
    return True


def _dialogue_spans(text: str) -> list[tuple[int, int]]:
    """The spoken words of a sentence opened by a dialogue dash."""
    opening = _DIALOGUE.match(text)
    if opening is None or _POST_SIGNATURE.search(text, opening.end()):
        return []
    narrator = _NARRATOR_DASH.search(text, opening.end())
    return [(opening.start(), narrator.start() + 1 if narrator else len(text))]


def quote_spans(text: str, open_at_start: bool = False) -> Spans:
    return quote_scan(text, open_at_start)[0]


def ends_open(text: str, open_at_start: bool = False) -> bool:
    """Whether a quotation is still open after `text` (it continues into the next sentence)."""
    return quote_scan(text, open_at_start)[1]
