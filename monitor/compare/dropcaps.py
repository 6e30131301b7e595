"""Drop caps: the first letter of a paragraph that a template sets apart ("T he president…" for
"The president…", "N a endlich!" for "Na endlich!", "W ASHINGTON —" for "WASHINGTON —").

Extraction keeps the letter's element apart from the rest of the word, so one capture of a page
reads "T he" where another, without the drop cap, reads "The": the same words, no edit. A
paragraph on one side is read with its first word joined only where the other side has a
paragraph opening with the joined word and the word after it: a paragraph that reads the same
on both sides, the letter aside.

A letter that is a word of its own ("A man", "I am", "Y ahora", "E poi": `lexicon.ONE_LETTER_WORDS`)
is joined only to the rest of a word in lower case, and only when the joined word is an ordinary
word of either text (written in lower case somewhere: "A fter" is "After" where "after" is read
elsewhere; "A man" is never "Aman"). Pure functions over normalised paragraphs.
"""

from __future__ import annotations

import re

from monitor.lexicon import ONE_LETTER_WORDS

# A paragraph opening with a capital letter alone, after an optional opening mark, then a space
# and the rest of a word: "T he", "“T he", "N a", "W ASHINGTON". Each part is bounded: a word of
# a paragraph's first is never longer.
_SPLIT_LETTER = re.compile(r"^([\"'(\[]?)([^\W\d_]) ([^\W\d_][\w'-]{0,40})(?![\w'-])")
_WORD = re.compile(r"[^\W\d_]+")
_SPACE = re.compile(r"\s+")


def _lead(paragraph: str) -> str:
    """A paragraph's first two words as written (the key a drop cap's paragraph is matched by)."""
    return " ".join(_SPACE.split(paragraph, maxsplit=2)[:2])


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
    ordinary: frozenset[str] | None = None
    result = side.copy()
    for index, (joined, word) in candidates.items():
        if _lead(side[index]) in other_leads or _lead(joined) not in other_leads:
            continue  # the other side has the letter apart too, or not this paragraph
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
