"""Sentences are aligned so that an edit is an edit, a move a move, and nothing is lost."""

import pytest

from monitor.compare.align import align_sentences, changed_paragraphs
from monitor.compare.sentences import Sentence, split_paragraph


def sentences(*texts: str) -> list[Sentence]:
    return [Sentence(text=t, paragraph=0, index=i) for i, t in enumerate(texts)]


def ops(alignments) -> list[str]:
    return [a.op for a in alignments]


def test_identical_lists_align_as_equal() -> None:
    same = sentences("One sentence here.", "Another one there.")
    assert ops(align_sentences(same, same)) == ["equal", "equal"]


def test_an_edited_sentence_pairs_with_its_old_self() -> None:
    old = sentences("The fire killed 12 people on Monday.", "Residents returned on Tuesday.")
    new = sentences(
        "The fire killed at least 15 people on Monday.", "Residents returned on Tuesday."
    )
    result = align_sentences(old, new)
    assert ops(result) == ["changed", "equal"]
    assert result[0].old == old[0] and result[0].new == new[0]


def test_a_moved_sentence_is_a_move() -> None:
    old = sentences("Alpha sentence one.", "Beta sentence two.", "Gamma sentence three.")
    new = sentences("Gamma sentence three.", "Alpha sentence one.", "Beta sentence two.")
    assert sorted(ops(align_sentences(old, new))) == ["equal", "equal", "moved"]


def test_unrelated_sentences_are_added_and_removed_not_paired() -> None:
    old = sentences("The council approved the budget.")
    new = sentences("Heavy snow is expected across the north tonight.")
    assert sorted(ops(align_sentences(old, new))) == ["added", "removed"]


def test_every_sentence_appears_exactly_once() -> None:
    old = sentences("A one.", "B two.", "C three.", "D four.")
    new = sentences("B two!", "X new.", "A one.", "D four, changed.")
    result = align_sentences(old, new)
    assert sorted(a.old.index for a in result if a.old) == [0, 1, 2, 3]
    assert sorted(a.new.index for a in result if a.new) == [0, 1, 2, 3]


def test_changed_paragraphs_are_the_runs_outside_identical_ones() -> None:
    runs = changed_paragraphs(["a", "b", "c"], ["a", "B", "c", "d"])
    assert [(list(o), list(n)) for o, n in runs] == [([1], [1]), ([], [3])]


def test_sentence_splitting_knows_abbreviations() -> None:
    text = "Mr. Smith reached the U.S. at 9 a.m. on Monday. He left."
    assert split_paragraph(text) == ("Mr. Smith reached the U.S. at 9 a.m. on Monday.", "He left.")


def test_sentence_splitting_handles_spanish_and_quotes() -> None:
    text = '"¿Dónde está?" preguntó la Sra. García. Nadie respondió.'
    assert split_paragraph(text) == ('"¿Dónde está?" preguntó la Sra. García.', "Nadie respondió.")


# A sentence replaced in place by one that restates it (a shared run of four words, one of them
# four letters or more) is one rewritten sentence; an unrelated replacement stays a removal and an
# addition, and so does a restatement when the block has another sentence left on either side.
RESTATED = [
    (
        "And being a mother of four is no longer seen as a hindrance for Conway.",
        "Conway says she does not consider being a mother of four a dealbreaker for the job.",
        "changed",
    ),
    (
        "Laut Polizei wurde niemand verletzt, als der Wagen gegen die Mauer prallte.",
        "Die Ermittler betonen inzwischen, dass bei dem Unfall am Freitag gegen die Mauer prallte,"
        " niemand zu Schaden kam, auch nicht der Fahrer des Lieferwagens.",
        "changed",
    ),
    (
        "La mairie a confirmé la fermeture de la piscine municipale lundi.",
        "Selon un porte-parole interrogé mardi matin par notre rédaction, la fermeture de la"
        " piscine municipale ne durera que deux semaines au plus tard.",
        "changed",
    ),
    (
        "El gobierno aprobó el presupuesto el martes por la noche.",
        "Las lluvias de la semana dejaron tres carreteras cortadas en el norte.",
        "split",
    ),
    # Four short words in common ("it is in the") are no restatement.
    (
        "Officials said it is in the interest of residents to leave the valley before the storm.",
        "Police found that it is in the river where the car went down.",
        "split",
    ),
]


@pytest.mark.parametrize(("old_text", "new_text", "expected"), RESTATED)
def test_a_sentence_replaced_by_a_restatement_is_one_change(
    old_text: str, new_text: str, expected: str
) -> None:
    before, after = "The meeting opened at nine.", "It closed at noon."
    result = align_sentences(sentences(before, old_text, after), sentences(before, new_text, after))
    middle = sorted(ops(result)[1:-1])
    assert middle == (["changed"] if expected == "changed" else ["added", "removed"])


def test_a_restatement_among_other_replaced_sentences_is_left_apart() -> None:
    old = sentences(
        "The meeting opened at nine.",
        "And being a mother of four is no longer seen as a hindrance for Conway.",
        "Heavy snow is expected across the north tonight.",
    )
    new = sentences(
        "The meeting opened at nine.",
        "Conway says she does not consider being a mother of four a dealbreaker for the job.",
    )
    assert sorted(ops(align_sentences(old, new))) == ["added", "equal", "removed", "removed"]
