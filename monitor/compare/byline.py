"""Bylines read as people: "By Jane Roe and Sam Poe", "JANE ROE; SAM POE" and "Sam Poe, Jane Roe |
Staff Reporter" name the same two people, so a byline written another way is not an edit; a
person added or removed is.

Pure functions over strings; the words (openers such as "By", joiners such as "and", roles and
outlets such as "Staff Reporter") are per language in `monitor.lexicon`.
"""

from __future__ import annotations

import re

from monitor.compare.edit import Edit, make_edit
from monitor.compare.normalize import comparison_key, normalize_text
from monitor.lexicon import BYLINE_OPENER, BYLINE_ROLE_WORDS, BYLINE_SEPARATOR

# A byline found on one side only is the extraction's doing far more often than the newsroom's
# (the element it was read from came or went): reported, but not significant.
ONE_SIDED_PENALTY = 0.3
_TOKEN = re.compile(r"[\w'’-]+")


def _person(part: str) -> tuple[str, ...]:
    """The name in one byline part, as case-folded words: the words before the first role or
    outlet word ("Jane Roe Mashable News Fellow" → jane roe mashable, which starts with jane roe);
    () when the part is a role or an outlet ("Staff Reporter", "Mashable News Fellow")."""
    part = BYLINE_OPENER.sub("", part.strip())
    words: list[str] = []
    for token in _TOKEN.findall(part):
        if token.casefold() in BYLINE_ROLE_WORDS:
            # one word before a role is an outlet or a title ("Mashable News Fellow")
            return tuple(words) if len(words) >= 2 else ()
        words.append(token.casefold())
    return tuple(words)


def byline_people(byline: str) -> frozenset[tuple[str, ...]]:
    """The people a byline names, each as its case-folded words; case, order, "By", titles,
    outlet names and separators ignored."""
    text = BYLINE_OPENER.sub("", normalize_text(byline))
    people = {_person(part) for part in BYLINE_SEPARATOR.split(text)}
    people.discard(())
    return frozenset(people)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One name is the other, or starts it ("jane roe" and "jane roe mashable")."""
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter and (len(shorter) >= 2 or shorter == longer)


def missing_people(
    people: frozenset[tuple[str, ...]], other: frozenset[tuple[str, ...]]
) -> list[str]:
    """The people of `people` that `other` does not name, as words, sorted."""
    return sorted(
        " ".join(person) for person in people if not any(_same_person(person, o) for o in other)
    )


def compare_bylines(old: str, new: str) -> list[Edit]:
    """A byline edit when a person was added or removed; cosmetic when the same people are
    written another way; not significant when the byline is found on one side only."""
    old, new = normalize_text(old), normalize_text(new)
    if old == new:
        return []
    if not old or not new:
        return [
            make_edit(
                "byline",
                "byline",
                old=old,
                new=new,
                penalty=ONE_SIDED_PENALTY,
                extra=("a byline on one side only: extraction found it on one page",),
            )
        ]
    if comparison_key(old) == comparison_key(new):
        return [make_edit("cosmetic", "byline", old=old, new=new)]
    old_people, new_people = byline_people(old), byline_people(new)
    added, removed = missing_people(new_people, old_people), missing_people(old_people, new_people)
    if not added and not removed:
        return [
            make_edit(
                "cosmetic", "byline", old=old, new=new, extra=("the same people, written anew",)
            )
        ]
    changes = [f"added {name}" for name in added] + [f"removed {name}" for name in removed]
    return [make_edit("byline", "byline", old=old, new=new, extra=("; ".join(changes),))]


def changed_people(edit: Edit) -> list[str]:
    """The people a byline edit added or removed, as written in its bylines' words."""
    old_people, new_people = byline_people(edit.old), byline_people(edit.new)
    return missing_people(new_people, old_people) + missing_people(old_people, new_people)


def old_name_changed(edit: Edit) -> bool:
    """True when neither byline reads as people (then the whole bylines are compared)."""
    return not byline_people(edit.old) or not byline_people(edit.new)
