"""Datelines and wire credit lines: page furniture written into the text.

"WASHINGTON -" becoming "WASHINGTON (Reuters) -", or "MADRID, 3 nov (EFE).-" becoming "MADRID (EFE)
-", is the template or the wire desk, not the newsroom changing the story; nor is "(Reporting by
Jane Roe; Editing by Sam Poe)" losing its brackets. Both are taken out of the paragraphs before they
are compared and compared on their own:

- a dateline naming the same place (date, case and dash aside; an agency added or dropped), or
  found on one side only, is `cosmetic`; a dateline naming another place, or another agency in
  place of the one it named, is a significant `sentence_changed` (one rule for datelines opening
  prose and for lines that are only a dateline and the page's stamp: `_AGENCY_RULE`);
- a credit line is read as people, like a byline (`monitor.compare.byline`): the same people
  credited another way is `cosmetic`; a person added or removed is a `byline` edit (field "body"),
  significant; credit lines on one side only are a `byline` edit that is not significant (the
  extraction kept the line on one page only far more often than the wire added one);
- a byline line in the body ("Von Anna Müller", which `normalize.normalize_body` made of "Von Anna
  Müller | 06.12.2022": `lexicon.byline_line`) is read as people the same way; a quotation or a
  teaser glued to it ("By Jane Doe | “We will rebuild”") stays in the body, compared as text.

Pure functions over normalised paragraphs; the words (agencies, credit roles per language) are in
`monitor.lexicon`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from rapidfuzz.distance import OSA

from monitor.compare.byline import ONE_SIDED_PENALTY, byline_people, missing_people
from monitor.compare.edit import Edit, make_edit
from monitor.lexicon import (
    CORRECTION_NOTE,
    CREDIT,
    CREDIT_PLACE,
    CREDIT_ROLE,
    CREDIT_ROLES,
    DATELINE,
    DATELINE_AGENCY,
    DATELINE_AGENCY_NAMES,
    DATELINE_DASH,
    STAMPED_DATELINE_KEY,
    byline_parts,
)

# Datelines open the story: only the first paragraphs are looked at (a standfirst or a caption
# may come before the first paragraph of text).
DATELINE_PARAGRAPHS = 3
# Only a paragraph's start is read for a dateline (place, date and agency fit in far less).
DATELINE_MAX_CHARS = 160
# A credit line is one short line; a longer paragraph starting "Reporting by" is prose.
CREDIT_MAX_CHARS = 300
# A credit role misspelt on one side ("Edting by", "Infromación de") is still a role, not part of
# a person's name: its words are this similar to a known role's (one or two letters off).
ROLE_SIMILARITY = 0.8
# Roles by their number of words and first letter: a misspelling keeps the first letter far more
# often than not, and the few candidates keep the check cheap on every paragraph.
_ROLES_BY_START: dict[tuple[int, str], tuple[str, ...]] = {}
for _phrase in sorted({phrase for phrases in CREDIT_ROLES.values() for phrase in phrases}):
    _key = (_phrase.count(" ") + 1, _phrase[0])
    _ROLES_BY_START[_key] = (*_ROLES_BY_START.get(_key, ()), _phrase)
_ROLE_SIZES = sorted({size for size, _ in _ROLES_BY_START})
_ROLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_KEY_DROP = re.compile(r"[\W_]+")
_TRAILING_CREDIT = re.compile(rf"\s*\(([^()]{{5,{CREDIT_MAX_CHARS}}})\)\s*$")
_BRACKETS = re.compile(r"^\s*[(\[]\s*|\s*[)\]]\s*\.?\s*$")
_DATE_AND_DASH = r"(?:,\s*[^,()\n\-–—:]{1,30}?)?\s*(?:\([^()]{1,30}\))?" + DATELINE_DASH + r"(?=\S)"


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off the start of a paragraph: the text as written, and its place."""

    paragraph: int
    text: str
    place: str


@dataclass(frozen=True)
class Furniture:
    """A body's paragraphs with datelines and credit lines taken out, and what was taken."""

    paragraphs: list[str]
    dateline: Dateline | None
    credits: tuple[str, ...]
    bylines: tuple[str, ...] = ()
    stamped: tuple[Dateline, ...] = ()


def _place_key(place: str) -> str:
    return _KEY_DROP.sub("", place).casefold()


def find_dateline(paragraph: str) -> tuple[str, str] | None:
    """(the dateline with its dash, its place) when `paragraph` opens with one."""
    head = paragraph[:DATELINE_MAX_CHARS]
    if CORRECTION_NOTE.match(head):
        return None
    match = DATELINE.match(head) or AGENCY_OPENER.match(head)
    if match is None:
        return None
    if match.re is AGENCY_OPENER:
        return match.group(), ""
    place = match.group("caps") or match.group("place") or match.group("dated") or ""
    return match.group(), DATELINE_AGENCY.sub("", place).strip()


def _dateline_of_place(paragraph: str, place: str) -> str | None:
    """The dateline opening `paragraph` when it names `place`, written any way ("Berlin –" for
    a "BERLIN (dpa) -" on the other side)."""
    match = re.match(re.escape(place) + _DATE_AND_DASH, paragraph, re.IGNORECASE)
    return match.group() if match else None


def misspelt_role(part: str, min_words: int = 1) -> int:
    """Where a misspelt credit role of at least `min_words` words opening `part` ends ("Edting by
    Jane Roe" → 9); 0 when none. The role must be followed by a capitalised word (the person:
    "Waiting by the door" is prose)."""
    words = list(_ROLE_WORD.finditer(part[: CREDIT_MAX_CHARS // 4]))
    if not words or part[: words[0].start()].strip(" (["):
        return 0
    for size in _ROLE_SIZES:
        if size < min_words or len(words) <= size or not words[size].group()[0].isupper():
            continue
        written = " ".join(word.group() for word in words[:size]).casefold()
        for phrase in _ROLES_BY_START.get((size, written[0]), ()):
            if OSA.normalized_similarity(written, phrase) >= ROLE_SIMILARITY:
                return words[size - 1].end()
    return 0


def _opens_with_role(text: str) -> bool:
    """A credit role opens `text`, as listed or misspelt. Misspelt only in a line that looks like
    credits (in brackets, or parts split by ";") and with two words at least ("Edting by"): one
    word like a role opens prose too ("Redaction of the report..."), and the check stays cheap
    on ordinary paragraphs."""
    if CREDIT.match(text):
        return True
    if not (text.lstrip().startswith(("(", "[")) or ";" in text):
        return False
    return misspelt_role(text, min_words=2) > 0


def credit_line(paragraph: str) -> str | None:
    """The credit line a paragraph is or ends with ("(Reporting by ...; Editing by ...)")."""
    if len(paragraph) <= CREDIT_MAX_CHARS and _opens_with_role(paragraph):
        return paragraph
    tail = paragraph[-(CREDIT_MAX_CHARS + 8) :]  # the bracket and spaces around the credit
    trailing = _TRAILING_CREDIT.search(tail)
    if trailing and _opens_with_role(trailing.group(1)):
        return trailing.group()
    return None


def _without_role(part: str) -> str:
    """A credit line's part without its role, listed ("Reporting by") or misspelt."""
    bare = CREDIT_ROLE.sub("", part)
    if bare != part:
        return bare
    return part[misspelt_role(part) :]


def credited_people(line: str) -> frozenset[tuple[str, ...]]:
    """The people a credit line names: roles ("Reporting by", misspelt or not), places ("in
    Kyiv") and brackets left out."""
    text = _BRACKETS.sub("", line.strip())
    parts = [CREDIT_PLACE.sub("", _without_role(part)) for part in re.split(r"[;,]", text)]
    return byline_people("; ".join(part for part in parts if part.strip()))


def _take_dateline(
    paragraphs: list[str], place: str | None = None
) -> tuple[list[str], Dateline | None]:
    """The first dateline among the first paragraphs; or, given the `place` of the other side's
    dateline, that place's dateline in any paragraph (extraction may have put captions or a
    standfirst before it on this side)."""
    candidates = paragraphs if place is not None else paragraphs[:DATELINE_PARAGRAPHS]
    for index, paragraph in enumerate(candidates):
        if place is not None:
            if paragraph[: len(place)].casefold() != place.casefold():
                continue
            text = _dateline_of_place(paragraph, place)
            found = (text, place) if text else None
        else:
            found = find_dateline(paragraph)
        if found:
            text, where = found
            rest = paragraphs.copy()
            rest[index] = paragraph[len(text) :]
            return rest, Dateline(index, text.strip(), where)
    return paragraphs, None


def _take_credits(paragraphs: list[str]) -> tuple[list[str], tuple[str, ...]]:
    kept: list[str] = []
    credits: list[str] = []
    for paragraph in paragraphs:
        line = credit_line(paragraph)
        if line is None:
            kept.append(paragraph)
            continue
        credits.append(line.strip())
        rest = paragraph[: len(paragraph) - len(line)].rstrip()
        if rest:
            kept.append(rest)
    return kept, tuple(credits)


def _take_bylines(paragraphs: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Byline lines out of the paragraphs, as their people; the article's words glued to one (a
    quotation or a teaser after its separator: "By Jane Doe | “We will rebuild”") stay in its
    place, compared as text."""
    kept: list[str] = []
    bylines: list[str] = []
    for paragraph in paragraphs:  # each line read once (`byline_parts` splits and weighs it)
        parts = byline_parts(paragraph)
        if parts is None:
            kept.append(paragraph)
            continue
        people, text = parts
        bylines.append(people)
        if text:
            kept.append(text)
    return kept, tuple(bylines)


# A stamped dateline as `normalize.normalize_body` keeps it ("Madrid —") is a short line.
STAMPED_DATELINE_CHARS = 120


def _take_stamped_datelines(paragraphs: list[str]) -> tuple[list[str], tuple[Dateline, ...]]:
    """The lines that were a place and the page's stamp ("Madrid - 12 MAR 2024 - 10:32 CET",
    kept as "Madrid —": `lexicon.stamped_dateline`), out of the paragraphs."""
    kept: list[str] = []
    stamped: list[Dateline] = []
    for paragraph in paragraphs:
        found = (
            STAMPED_DATELINE_KEY.match(paragraph)
            if len(paragraph) <= STAMPED_DATELINE_CHARS and paragraph.endswith(" —")
            else None
        )
        if found is None:
            kept.append(paragraph)
        else:
            stamped.append(Dateline(len(kept), paragraph, found["place"] or ""))
    return kept, tuple(stamped)


def separate_furniture(old: list[str], new: list[str]) -> tuple[Furniture, Furniture]:
    """Both bodies without their datelines (with the page's stamp or opening a paragraph),
    credit lines and byline lines. A dateline found on one side is looked for on the other by
    its place, however that side writes it."""
    old, old_stamped = _take_stamped_datelines(old)
    new, new_stamped = _take_stamped_datelines(new)
    old_rest, old_dateline = _take_dateline(old)
    new_rest, new_dateline = _take_dateline(new)
    if old_dateline and not new_dateline:
        new_rest, new_dateline = _take_dateline(new, old_dateline.place)
    elif new_dateline and not old_dateline:
        old_rest, old_dateline = _take_dateline(old, new_dateline.place)
    old_rest, old_credits = _take_credits(old_rest)
    new_rest, new_credits = _take_credits(new_rest)
    old_rest, old_bylines = _take_bylines(old_rest)
    new_rest, new_bylines = _take_bylines(new_rest)
    return Furniture(old_rest, old_dateline, old_credits, old_bylines, old_stamped), Furniture(
        new_rest, new_dateline, new_credits, new_bylines, new_stamped
    )


# Why another agency in place of the one named is significant, where an agency added or dropped is
# not (session 15, on the development pairs): in recaptures-hard the one agency that changed across
# a re-capture was CNN's template dropping "(CNN)" (labelled `cosmetic`); no pair, and none of
# NewsEdits' AP sentence pairs (their "LONDON (AP) --" stays across versions), swaps one agency
# for another. A template adds, drops or restyles the credit; it does not name another agency. A
# story re-sourced from another wire is rewritten, and its other edits are found anyway; the same
# words credited to another agency are the credit corrected, as NewsEdits labels a credit line's
# people changed (`credit_line_change`) and as a byline naming another person or agency is a
# `byline` edit. So one rule for every dateline.
_AGENCY_RULE = "the dateline names another agency"


def compare_datelines(old: Dateline | None, new: Dateline | None) -> list[Edit]:
    """Cosmetic unless the dateline names another place, or another agency in place of the one
    it named (`_AGENCY_RULE`; an agency added or dropped, or written another way, is cosmetic)."""
    if old is None and new is None:
        return []
    where: dict[str, Any] = {
        "old": old.text if old else "",
        "new": new.text if new else "",
        "old_sentence": old.text if old else "",
        "new_sentence": new.text if new else "",
        "old_paragraph": old.paragraph if old else -1,
        "new_paragraph": new.paragraph if new else -1,
    }
    if old is None or new is None:
        return [make_edit("cosmetic", "body", extra=("a dateline on one side only",), **where)]
    if old.text == new.text:
        return []
    if old.place and new.place and _place_key(old.place) != _place_key(new.place):
        return [
            make_edit(
                "sentence_changed", "body", extra=("the dateline names another place",), **where
            )
        ]
    old_agencies, new_agencies = dateline_agencies(old.text), dateline_agencies(new.text)
    if old_agencies and new_agencies and not old_agencies & new_agencies:
        return [make_edit("sentence_changed", "body", extra=(_AGENCY_RULE,), **where)]
    return [make_edit("cosmetic", "body", extra=("the same dateline, written anew",), **where)]


def dateline_agencies(text: str) -> frozenset[str]:
    """The agencies a dateline names, each one way: "(AFP/dpa)" names two, "(EP)" is Europa
    Press, "(Télam)" and "(TELAM)" are one (`lexicon.DATELINE_AGENCY_NAMES`)."""
    names: set[str] = set()
    for agency in DATELINE_AGENCY.finditer(text):
        for name in agency.group().strip("() ").split("/"):
            key = _place_key(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
            names.add(DATELINE_AGENCY_NAMES.get(key, key))
    return frozenset(names)


def compare_stamped_datelines(old: tuple[Dateline, ...], new: tuple[Dateline, ...]) -> list[Edit]:
    """Datelines with the page's stamp, in order, as `compare_datelines` (the stamp is gone
    already: the same place and agency is no edit, another place or agency is significant, a
    dateline on one side only or an agency added or dropped is `cosmetic`)."""
    edits: list[Edit] = []
    for old_line, new_line in zip_longest(old, new):
        edits += compare_datelines(old_line, new_line)
    return edits


# An agency alone opening a paragraph, without a place: "(CNN)Donald Trump...", "(Reuters) -
# Stocks rose". A dateline without a place (it is compared as one, never as another place).
AGENCY_OPENER = re.compile(
    r"^" + DATELINE_AGENCY.pattern + r"\s*(?:[-–—]+\s*)?(?=[A-ZÀ-ÖØ-Þ\"“])", re.IGNORECASE
)


def compare_credits(old: tuple[str, ...], new: tuple[str, ...]) -> list[Edit]:
    """Credit lines read as people: a person added or removed is a `byline` edit."""
    return _compare_people(old, new, "credit line", credited_people)


_POSTED = re.compile(r"^\s*posted\s+", re.IGNORECASE)


def _byline_line_people(line: str) -> frozenset[tuple[str, ...]]:
    return byline_people(_POSTED.sub("", line))


def compare_byline_lines(old: tuple[str, ...], new: tuple[str, ...]) -> list[Edit]:
    """Byline lines in the body read as people: a person added or removed (a name corrected or
    replaced) is a `byline` edit; the same people written anew are `cosmetic`; byline lines on
    one side only are not significant."""
    return _compare_people(old, new, "byline line", _byline_line_people)


def _compare_people(
    old: tuple[str, ...],
    new: tuple[str, ...],
    what: str,
    people: Callable[[str], frozenset[tuple[str, ...]]],
) -> list[Edit]:
    if old == new:
        return []
    old_text, new_text = " ".join(old), " ".join(new)
    values: dict[str, Any] = {
        "old": old_text,
        "new": new_text,
        "old_sentence": old_text,
        "new_sentence": new_text,
    }
    if not old or not new:
        return [
            make_edit(
                "byline",
                "body",
                penalty=ONE_SIDED_PENALTY,
                extra=(f"a {what} on one side only",),
                **values,
            )
        ]
    old_people = frozenset().union(*(people(line) for line in old))
    new_people = frozenset().union(*(people(line) for line in new))
    added = missing_people(new_people, old_people)
    removed = missing_people(old_people, new_people)
    if not added and not removed:
        return [
            make_edit(
                "cosmetic", "body", extra=("the same people credited, written anew",), **values
            )
        ]
    changes = [f"added {name}" for name in added] + [f"removed {name}" for name in removed]
    return [make_edit("byline", "body", extra=(f"{what}: " + "; ".join(changes),), **values)]
