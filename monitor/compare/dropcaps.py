"""Drop caps: the first letter of a paragraph that a template sets apart ("T he president…" for
"The president…", "N a endlich!" for "Na endlich!", "W ASHINGTON —" for "WASHINGTON —").

Extraction keeps the letter's element apart from the rest of the word, so one capture of a page
reads "T he" where another, without the drop cap, reads "The": the same words, no edit. A
paragraph on one side is read with its first word joined only where the other side has a
paragraph opening with the joined word and either the word after it or the words after those
(`TAIL_WORDS`): the same paragraph, the letter aside, its second word edited or not ("T he
president signed" and "The governor signed" are one paragraph, "president" edited). A joined line
is read as the comparison reads every line (`normalize.without_stamp`): "M adrid - 12 MAR 2024 -
10:32 CET" joined is the stamped dateline "Madrid —", and is joined where the other side has a
stamped dateline too (its place, edited or not, is compared as a dateline's).

A letter that is a word of its own ("A man", "I am", "Y ahora", "E poi": `lexicon.ONE_LETTER_WORDS`)
is joined only to the rest of a word in lower case, and only when the joined word is an ordinary
word of either text (written in lower case somewhere: "A fter" is "After" where "after" is read
elsewhere; "A man" is never "Aman"). Pure functions over normalised paragraphs.
"""

from __future__ import annotations

import re

from monitor.compare.normalize import without_stamp
from monitor.lexicon import ONE_LETTER_WORDS, STAMPED_DATELINE_KEY

# A paragraph opening with a capital letter alone, after an optional opening mark, then a space
# and the rest of a word: "T he", "“T he", "N a", "W ASHINGTON". Each part is bounded: a word of
# a paragraph's first is never longer.
_SPLIT_LETTER = re.compile(r"^([\"'(\[]?)([^\W\d_]) ([^\W\d_][\w'-]{0,40})(?![\w'-])")
_WORD = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s+")


# The words after a paragraph's second that match a drop cap's paragraph to the other side's
# when its second word differs: enough to tell paragraphs apart, few enough that an edit later
# in a long paragraph leaves the key as it was.
TAIL_WORDS = 6


def _lead(paragraph: str) -> str:
    """A paragraph's first two words as written (the key a drop cap's paragraph is matched by)."""
    return " ".join(_SPACE.split(paragraph, maxsplit=2)[:2])


def _tail(paragraph: str) -> tuple[str, ...] | None:
    """A paragraph's first word and the `TAIL_WORDS` words after its second (the key a drop
    cap's paragraph is matched by when its second word is edited); None for a paragraph of two
    words or fewer."""
    words = _SPACE.split(paragraph, maxsplit=TAIL_WORDS + 2)[: TAIL_WORDS + 2]
    return (words[0], *words[2:]) if len(words) > 2 else None


def _joined(paragraph: str) -> tuple[str, str] | None:
    """The paragraph with its first letter joined to the rest of its word, and that word, when
    it opens with a capital letter set apart; None otherwise."""
    found = _SPLIT_LETTER.match(paragraph)
    if found is None:
        return None
    mark, letter, rest = found.groups()
    if not letter.isupper() or not (rest[0].islower() or (rest.isupper() and len(rest) > 1)):
        return None
    if letter.casefold() in ONE_LETTER_WORDS and not rest[0].islower():
        return None  # "A TLANTA" or "A MAN": nothing tells them apart
    return f"{mark}{letter}{rest}{paragraph[found.end() :]}", letter + rest


def _ordinary_words(*bodies: list[str]) -> frozenset[str]:
    """The words written in lower case in the bodies."""
    return frozenset(
        word
        for body in bodies
        for paragraph in body
        for word in _WORD.findall(paragraph)
        if word.islower()
    )


def _join_side(side: list[str], other: list[str], bodies: tuple[list[str], list[str]]) -> list[str]:
    """`side` with each drop cap joined where `other` opens a paragraph with the joined words."""
    candidates = {
        index: found for index, paragraph in enumerate(side) if (found := _joined(paragraph))
    }
    if not candidates:
        return side  # most bodies: one anchored match a paragraph
    other_leads = {_lead(paragraph) for paragraph in other}
    other_tails = {_tail(paragraph) for paragraph in other} - {None}
    other_stamped = any(STAMPED_DATELINE_KEY.match(paragraph) for paragraph in other)
    ordinary: frozenset[str] | None = None
    result = side.copy()
    for index, (written, word) in candidates.items():
        if _lead(side[index]) in other_leads:
            continue  # the other side has the letter apart too
        joined = without_stamp(written)
        if joined != written:  # the joined words read as a byline's people or a dateline
            stamped = other_stamped and STAMPED_DATELINE_KEY.match(joined)
            if _lead(joined) not in other_leads and not stamped:
                continue
        elif _lead(joined) not in other_leads and _tail(joined) not in other_tails:
            continue  # not this paragraph
        if word[0].casefold() in ONE_LETTER_WORDS:
            if ordinary is None:
                ordinary = _ordinary_words(*bodies)
            if word.casefold() not in ordinary:
                continue
        result[index] = joined
    return result


def join_drop_caps(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Both bodies' paragraphs with a drop cap's letter joined to its word where the other body
    reads the joined word there (see the module's docstring); the lists as they are otherwise."""
    return _join_side(old, new, (old, new)), _join_side(new, old, (old, new))
