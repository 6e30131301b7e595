"""A punctuation mark fixed is a typo; the same marks in another style are cosmetic; neither is
ever significant. Cases in English, French, German, Spanish and Japanese."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.punctuation import is_punctuation_fix
from monitor.extract.article import Article

FIXES = [
    ("a comma for a full stop", "On Dec. 1. the board met.", "On Dec. 1, the board met."),
    ("a comma inside a quotation", '"We lack a plan." she said.', '"We lack a plan," she said.'),
    ("an apostrophe added", "The council said its over.", "The council said it's over."),
    ("a hyphen added", "A well known author.", "A well-known author."),
    ("words joined", "The walk out began at dawn.", "The walkout began at dawn."),
    ("words split", "Troops reached the frontline.", "Troops reached the front line."),
    ("a comma removed (French)", "Elle a dit, que non.", "Elle a dit que non."),
    ("a comma added (German)", "Er sagte er komme.", "Er sagte, er komme."),
    ("an opening mark added (Spanish)", "Qué pasó?", "¿Qué pasó?"),
    ("a Japanese comma added", "東京で火災が発生した。", "東京で、火災が発生した。"),
]
TYPOGRAPHY = [
    ("curly apostrophe", "Trump won't change.", "Trump won’t change."),
    ("curly quotes", '"Yes," he said.', "“Yes,” he said."),
    ("typewriter dash", "He left -- then came back.", "He left – then came back."),
    ("em dash for en dash", "The 2016–2022 period.", "The 2016—2022 period."),
    ("ellipsis character", "And then...", "And then…"),
    ("space before a comma", "Mr. Putin , the president.", "Mr. Putin, the president."),
    ("French spacing of figures", "Déficit de -3,5% à 12h30.", "Déficit de - 3,5 % à 12 h 30."),
    ("German spacing of an abbreviation", "Zum Beispiel z.B. heute.", "Zum Beispiel z. B. heute."),
    ("guillemets for quotes", "Il a dit « non ».", 'Il a dit "non".'),
    ("case only", "Greeted by the first lady.", "Greeted by the First Lady."),
    ("an emoji dropped", "Great news 🙂 for the town.", "Great news for the town."),
]


@pytest.mark.parametrize(("what", "old", "new"), FIXES)
def test_a_mark_fixed_or_words_joined_is_a_punctuation_fix(what: str, old: str, new: str) -> None:
    assert is_punctuation_fix(old, new), what


@pytest.mark.parametrize(("what", "old", "new"), TYPOGRAPHY)
def test_typography_is_not_a_punctuation_fix(what: str, old: str, new: str) -> None:
    assert not is_punctuation_fix(old, new), what


def test_different_words_are_not_a_punctuation_fix() -> None:
    assert not is_punctuation_fix("The walkout began.", "The strike began.")


STORY = [
    "The council met on Monday to discuss the budget for next year.",
    "Officials said the plan would cut spending on roads by a tenth.",
    "Residents will be able to comment until the end of the month.",
]


def _body(*paragraphs: str) -> Article:
    return Article(body="\n".join(paragraphs))


@pytest.mark.parametrize(("what", "old", "new"), FIXES)
def test_a_punctuation_fix_in_an_article_is_a_typo(what: str, old: str, new: str) -> None:
    edits = compare(_body(STORY[0], old, *STORY[1:]), _body(STORY[0], new, *STORY[1:]))
    assert [e.kind for e in edits] == ["typo"], what
    assert not edits[0].significant


@pytest.mark.parametrize(("what", "old", "new"), TYPOGRAPHY)
def test_typography_in_an_article_is_cosmetic_or_nothing(what: str, old: str, new: str) -> None:
    edits = compare(_body(STORY[0], old, *STORY[1:]), _body(STORY[0], new, *STORY[1:]))
    assert {e.kind for e in edits} <= {"cosmetic"}, what


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        (
            "two sentences joined by a comma",
            "Agents arrived on Dec. 1. The board named her counselor the same day.",
            "Agents arrived on Dec. 1, the board named her counselor the same day.",
        ),
        (
            "one sentence split by a full stop",
            "The mayor spoke first, the council voted after a long debate that evening.",
            "The mayor spoke first. The council voted after a long debate that evening.",
        ),
        (
            "two sentences joined by a semicolon (French)",
            "Le maire a parlé le premier. Le conseil a voté après un long débat.",
            "Le maire a parlé le premier ; le conseil a voté après un long débat.",
        ),
    ],
)
def test_sentences_joined_or_split_by_punctuation_are_one_typo(
    what: str, old: str, new: str
) -> None:
    edits = compare(_body(STORY[0], old, STORY[1]), _body(STORY[0], new, STORY[1]))
    assert [e.kind for e in edits] == ["typo"], what
    assert not edits[0].significant


def test_a_fix_beside_a_reworded_phrase_is_reported_with_it() -> None:
    old = "Officials said the plan would cut spending on roads by a tenth."
    new = "Officials said, the plan would cut spending on bridges by a tenth."
    edits = compare(_body(STORY[0], old), _body(STORY[0], new))
    assert sorted(e.kind for e in edits) == ["sentence_changed", "typo"]


def test_a_punctuation_fix_is_quoted_with_the_words_around_it() -> None:
    old = "At that point that voice can get lost, officials said on Monday."
    new = "At that point, that voice can get lost, officials said on Monday."
    (edit,) = compare(_body(STORY[0], old), _body(STORY[0], new))
    assert (edit.kind, edit.old, edit.new) == ("typo", "point that", "point, that")


def test_a_sentence_split_by_spacing_alone_is_cosmetic() -> None:
    # A reference's spacing tidied ("[PMID:15692073 ]" → "[PMID: 15692073]") makes the sentence
    # splitter cut after the bracket: the same letters, digits and marks, one sentence made two.
    old = "Am J Epidemiol. 2005;161:303-6. [PMID:15692073 ] CrossrefMedlineGoogle Scholar"
    new = "Am J Epidemiol. 2005;161:303-6. [PMID: 15692073] CrossrefMedlineGoogle Scholar"
    edits = compare(_body(STORY[0], old, STORY[1]), _body(STORY[0], new, STORY[1]))
    assert [e.kind for e in edits] == ["cosmetic"]
    assert not edits[0].significant
