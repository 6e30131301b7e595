"""A number and a stop opening a sentence ("20. Jahrhundert", "12. März", "2024. The year") is
the sentence's first word, not a sentence of its own: the splitters leave it with the words after
it, so a changed number is a figure edit in its sentence, not an unmatched fragment too short to
report."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare_bodies
from monitor.compare.sentences import split_paragraph, split_paragraph_fast

# (paragraph, its sentences)
SPLITS = [
    ("20. Jahrhundert: Das Haus war ein Museum.", ("20. Jahrhundert: Das Haus war ein Museum.",)),
    ("12. März: Die Polizei nimmt den Mann fest.", ("12. März: Die Polizei nimmt den Mann fest.",)),
    ("2024. The year began badly.", ("2024. The year began badly.",)),
    ("Er kam. 20. Jahrhundert war es.", ("Er kam.", "20. Jahrhundert war es.")),
    ("Es war 2024. Dann kam der Winter.", ("Es war 2024.", "Dann kam der Winter.")),
    ("Seite 20.", ("Seite 20.",)),
]


@pytest.mark.parametrize(("paragraph", "sentences"), SPLITS)
@pytest.mark.parametrize("split", [split_paragraph, split_paragraph_fast])
def test_a_leading_number_stays_with_its_sentence(split, paragraph: str, sentences) -> None:
    assert split(paragraph) == sentences


# (old line, new line) in a chronology or a history: the number changed is the edit
DATED_LINES = [
    ("12. März: Die Polizei nimmt den Mann fest.", "13. März: Die Polizei nimmt den Mann fest."),
    ("20. Jahrhundert: Das Haus war ein Museum.", "19. Jahrhundert: Das Haus war ein Museum."),
    ("Er kam. 20. Jahrhundert war es.", "Er kam. 19. Jahrhundert war es."),
]


@pytest.mark.parametrize(("old", "new"), DATED_LINES)
def test_a_changed_leading_number_is_a_significant_edit(old: str, new: str) -> None:
    intro = "Der Verein hat am Samstag gespielt und verloren, sagte der Trainer am Abend."
    edits = compare_bodies(f"{intro}\n{old}", f"{intro}\n{new}")
    assert [edit.kind for edit in edits if edit.significant] == ["number"]
