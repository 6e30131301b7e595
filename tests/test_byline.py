"""Bylines are compared as the people they name: reformatting is not an edit, a person is."""

from __future__ import annotations

import pytest

from monitor.compare.byline import compare_bylines
from monitor.compare.comparison import compare, discount_known_text
from monitor.extract.article import Article

SAME_PEOPLE = [
    ("en", "Jane Roe", "Jane Roe, Mashable News Fellow"),
    ("en", "Jane Roe", "Jane Roe | Staff Reporter"),
    ("en", "By Jane Roe and Sam Poe", "SAM POE; JANE ROE"),
    ("en", "Jane roe; Jane Roe", "JANE ROE"),
    ("en", "by Jane Roe", "Written by Jane Roe, Senior Correspondent"),
    ("de", "Von Max Muster und Erika Mustermann", "Erika Mustermann, Max Muster (dpa)"),
    ("es", "Por Ana García y Luis Pérez", "Luis Pérez / Ana García, Redacción"),
    ("fr", "Par Jean Dupont et Marie Curie", "Marie Curie, Jean Dupont"),
    ("it", "Di Mario Rossi", "Mario Rossi, Redazione"),
    ("pt", "Por João Silva e Maria Souza", "Maria Souza & João Silva"),
]


@pytest.mark.parametrize(("language", "old", "new"), SAME_PEOPLE)
def test_a_byline_written_another_way_is_not_an_edit(language: str, old: str, new: str) -> None:
    assert [e.kind for e in compare_bylines(old, new)] == ["cosmetic"]


CHANGED_PEOPLE = [
    ("en", "By Jane Roe", "By Jane Roe, Sam Poe and Ann Lee"),
    ("en", "Jane Roe; Sam Poe", "Jane Roe"),
    ("en", "Jane Roe", "Sam Poe"),
    ("de", "Von Max Muster", "Von Max Muster und Erika Mustermann"),
    ("es", "Por Ana García", "Por Luis Pérez"),
    ("fr", "Par Jean Dupont et Marie Curie", "Par Marie Curie"),
]


@pytest.mark.parametrize(("language", "old", "new"), CHANGED_PEOPLE)
def test_a_person_added_or_removed_is_a_byline_edit(language: str, old: str, new: str) -> None:
    [edit] = compare_bylines(old, new)
    assert edit.kind == "byline" and edit.significant


def test_a_byline_found_on_one_side_only_is_not_significant() -> None:
    for old, new in (("", "Jane Roe"), ("By Jane Roe", "")):
        [edit] = compare_bylines(old, new)
        assert edit.kind == "byline" and not edit.significant


def test_a_person_dropped_from_the_byline_but_still_on_the_page_is_discounted() -> None:
    edits = compare(
        Article(byline="Jane Roe; Sam Poe", body="Same."), Article(byline="Jane Roe", body="Same.")
    )
    page = "By Jane Roe and Sam Poe. The story."
    [edit] = discount_known_text(edits, page, page)
    assert edit.kind == "byline" and not edit.significant
