"""Quotations in the styles of other languages, and names corrected inside them."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.extract.article import Article


def kinds(old: str, new: str) -> list[str]:
    return [e.kind for e in compare(Article(body=old), Article(body=new))]


QUOTE_STYLES = [
    ("en", '"We did everything we could," the mayor said.', "everything", "nearly everything"),
    ("de", "„Wir haben alles getan“, sagte der Bürgermeister.", "alles", "fast alles"),
    ("fr", "« Nous avons tout fait », a dit le maire.", "tout", "presque tout"),
    ("fr", "‹Nous avons tout fait›, dit le maire.", "tout", "presque tout"),
    ("es", "«Hemos hecho todo lo posible», dijo el alcalde.", "todo", "casi todo"),
    ("ja", "「私たちはできることを全部した」と市長は言った。", "全部", "ほとんど"),
]


@pytest.mark.parametrize(("language", "sentence", "old", "new"), QUOTE_STYLES)
def test_words_changed_inside_a_quotation_of_any_style_are_a_quote_edit(
    language: str, sentence: str, old: str, new: str
) -> None:
    assert kinds(sentence, sentence.replace(old, new, 1)) == ["quote"]


NAMES_IN_QUOTES = [
    ("en", '"We thank Jon Smiht for his work," she said.', "Smiht", "Smith"),
    ("de", "„Wir danken Herrn Müler für seine Arbeit“, sagte sie.", "Müler", "Müller"),
    ("fr", "« Nous remercions Jean Dupond pour son travail », a-t-elle dit.", "Dupond", "Dupont"),
    ("it", "«Ringraziamo Marco Rosi per il lavoro», ha detto.", "Rosi", "Rossi"),
]


@pytest.mark.parametrize(("language", "sentence", "old", "new"), NAMES_IN_QUOTES)
def test_a_name_corrected_inside_a_quotation_is_a_name_edit(
    language: str, sentence: str, old: str, new: str
) -> None:
    assert kinds(sentence, sentence.replace(old, new)) == ["name"]
