"""A phrase moved inside a sentence ("about Akamai Technologies' coming earnings" → "about the
coming earnings of Akamai Technologies") is one rewording of that sentence: one edit, not an
insertion and a deletion on either side of the words it moved across
(`compare.words.diff_words(moves=True)`). Edits that share no word, or only a function word, or
lie far apart in the sentence stay apart. Table-driven in six languages, through `compare`."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.edit import Edit
from monitor.compare.words import diff_words
from monitor.extract.article import Article
from tests.test_furniture_edits import STORY


def compared(old: str, new: str) -> list[Edit]:
    """The edits between two bodies that differ by their first sentence."""
    return compare(Article(body="\n".join((old, *STORY))), Article(body="\n".join((new, *STORY))))


# (language, a sentence, the sentence with a phrase moved, the phrase)
MOVED = [
    (
        "en",
        "Chiesi told him about Akamai Technologies' coming earnings on Monday.",
        "Chiesi told him about the coming earnings of Akamai Technologies on Monday.",
        "coming earnings",
    ),
    (
        "de",
        "Die Ministerin hat gestern in Berlin den Plan vorgestellt.",
        "Die Ministerin hat den Plan gestern in Berlin vorgestellt.",
        "gestern in Berlin",
    ),
    (
        "de",
        "Der Bürgermeister und die Ministerin haben den Plan am Montag vorgestellt.",
        "Die Ministerin und der Bürgermeister haben den Plan am Montag vorgestellt.",
        "Ministerin",
    ),
    (
        "fr",
        "Le gouvernement a présenté hier à Paris son nouveau plan.",
        "Le gouvernement a présenté son nouveau plan hier à Paris.",
        "hier à Paris",
    ),
    (
        "es",
        "El Gobierno aprobó ayer por la tarde el nuevo plan del agua.",
        "El Gobierno aprobó el nuevo plan del agua ayer por la tarde.",
        "ayer por la tarde",
    ),
    (
        "it",
        "Il sindaco ha presentato ieri a Roma il nuovo piano.",
        "Il sindaco ha presentato il nuovo piano ieri a Roma.",
        "ieri a Roma",
    ),
    (
        "pt",
        "O governo aprovou ontem em Lisboa o novo plano.",
        "O governo aprovou o novo plano ontem em Lisboa.",
        "ontem em Lisboa",
    ),
]


@pytest.mark.parametrize(("language", "sentence", "moved", "phrase"), MOVED)
def test_a_phrase_moved_in_a_sentence_is_one_edit(
    language: str, sentence: str, moved: str, phrase: str
) -> None:
    for old, new in ((sentence, moved), (moved, sentence)):
        edits = compared(old, new)
        assert [edit.kind for edit in edits] == ["sentence_changed"], (language, edits)
        assert edits[0].significant, language
        assert phrase in edits[0].old and phrase in edits[0].new, language


# (language, a sentence, the sentence with two edits that move nothing)
APART = [
    (  # no word in common
        "en",
        "The mayor signed the bill on Monday in Boston.",
        "The governor signed the bill on Tuesday in Boston.",
    ),
    (  # only a function word in common
        "en",
        "He said the plan was approved by council members.",
        "He said plan was approved by the council members.",
    ),
    (  # far apart in the sentence
        "en",
        "Yesterday the council of the northern port city of Hamburg finally approved the plan.",
        "The council of the northern port city of Hamburg finally approved the plan yesterday.",
    ),
    (
        "de",
        "Die Ministerin hat den Plan am Montag in Berlin vorgestellt.",
        "Die Senatorin hat den Plan am Dienstag in Berlin vorgestellt.",
    ),
    (
        "es",
        "El Gobierno aprobó el plan de la sequía el lunes en Madrid.",
        "El Gobierno aprobó el plan del agua el martes en Madrid.",
    ),
]


@pytest.mark.parametrize(("language", "old", "new"), APART)
def test_edits_that_move_nothing_stay_apart(language: str, old: str, new: str) -> None:
    assert len(compared(old, new)) == 2, language
    assert len(compared(new, old)) == 2, language


def test_a_word_diff_without_moves_is_the_plain_one() -> None:
    old, new = MOVED[0][1], MOVED[0][2]
    assert len(diff_words(old, new)) == 2  # the coloured diff shows the words as they went
    assert len(diff_words(old, new, moves=True)) == 1
