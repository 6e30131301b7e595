"""Edits as a list shows them, readable without colour: `[-old-]{+new+}` word diffs, and an
insertion or deletion with a few words around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.compare.snippet import make_snippet, marked, marked_diff
from monitor.compare.words import word_spans


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("Neimann-Ortiz said", "Neumann-Ortiz said", "[-Neimann-Ortiz-] {+Neumann-Ortiz+} said"),
        ("cost $45 million", "cost $52 million", "cost $[-45-] {+52+} million"),
        (
            "the most important vote",
            "the most important housing vote",
            "the most important {+housing+} vote",
        ),
        (
            "the most important housing vote",
            "the most important vote",
            "the most important [-housing-] vote",
        ),
        ("Housing vote here", "vote here", "[-Housing-] vote here"),
    ],
)
def test_a_word_diff_without_colour_marks_old_and_new(old: str, new: str, shown: str) -> None:
    assert marked_diff(old, new) == shown


@pytest.mark.parametrize(
    ("old", "new"),
    [("the most important housing vote", "the most important vote"), ("Housing vote", "vote")],
)
def test_a_deletion_never_glues_two_words_together(old: str, new: str) -> None:
    shown = "".join(span.text for span in word_spans(old, new))
    assert "importanthousing" not in shown and "Housingvote" not in shown
    kept = "".join(span.text for span in word_spans(old, new) if span.op != "delete")
    assert kept == new  # the new text, exactly, once deletions are left out


SENTENCE = '"This is the most important housing vote this council has taken in a decade," he said.'


@pytest.mark.parametrize(
    ("old", "new", "old_sentence", "new_sentence", "shown"),
    [
        ("", "housing", "", SENTENCE, "…is the most important {+housing+} vote this council has…"),
        ("housing", "", SENTENCE, "", "…is the most important [-housing-] vote this council has…"),
        ("12", "at least 15", "", "", "[-12-] → {+at least 15+}"),
        ("", "A whole new sentence.", "", "A whole new sentence.", "{+A whole new sentence.+}"),
    ],
)
def test_an_insertion_or_deletion_shows_a_few_words_around_it(
    old: str, new: str, old_sentence: str, new_sentence: str, shown: str
) -> None:
    assert marked(make_snippet(old, new, old_sentence, new_sentence)) == shown


def _two_versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("Vote\nCouncillor Neimann-Ortiz said the plan costs $45 million.\n")
    new.write_text("Vote\nCouncillor Neumann-Ortiz said the plan costs $52 million.\n")
    return old, new


def test_piped_compare_marks_old_and_new_words(tmp_path: Path) -> None:
    old, new = _two_versions(tmp_path)
    result = CliRunner().invoke(cli, ["compare", str(old), str(new)])
    assert result.exit_code == 0
    assert "[-Neimann-Ortiz-] {+Neumann-Ortiz+}" in result.output
    assert "$[-45-] {+52+} million" in result.output


def test_no_color_marks_words_even_on_a_terminal(tmp_path: Path) -> None:
    old, new = _two_versions(tmp_path)
    result = CliRunner().invoke(
        cli,
        ["--no-color", "compare", str(old), str(new)],
        env={"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1"},
    )
    assert result.exit_code == 0
    assert "\x1b[" not in result.output
    assert "[-Neimann-Ortiz-] {+Neumann-Ortiz+}" in result.output
