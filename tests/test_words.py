"""Word diffs are minimal, keep original spacing, and group a change into one run."""

import pytest

from monitor.compare.words import diff_words, tokenize, word_spans


@pytest.mark.parametrize(
    ("old", "new", "hunks"),
    [
        ("kills 50 people", "kills at least 60 people", [("50", "at least 60")]),
        ("Mr. Zeid said", "Mr. al-Hussein said", [("Zeid", "al-Hussein")]),
        ("a b c d", "a x c y", [("b", "x"), ("d", "y")]),
        ("same text", "same text", []),
        ("costs $4.5m now", "costs $5m now", [("4.5m", "5m")]),
    ],
)
def test_diff_words(old: str, new: str, hunks: list[tuple[str, str]]) -> None:
    assert [(h.old, h.new) for h in diff_words(old, new)] == hunks


def test_tokens_keep_hyphenated_names_and_decimals_whole() -> None:
    assert [t.text for t in tokenize("Neumann-Ortiz paid 4.5 U.S. dollars")] == [
        "Neumann-Ortiz",
        "paid",
        "4.5",
        "U.S",
        ".",
        "dollars",
    ]


def test_word_spans_rebuild_the_new_sentence() -> None:
    old, new = "The fire killed 12 people.", "The fire killed at least 15 people."
    spans = word_spans(old, new)
    assert "".join(s.text for s in spans if s.op != "delete").replace("  ", " ") == new
    assert [s.text for s in spans if s.op == "delete"] == ["12"]
    assert [s.text for s in spans if s.op == "insert"] == ["at least 15"]


def test_a_long_sentence_pair_diffs_quickly_and_minimally() -> None:
    words = [f"word{i}" for i in range(5000)]
    old = " ".join(words)
    new = " ".join([*words[:2500], "inserted", *words[2500:]])
    hunks = diff_words(old, new)
    assert [(h.old, h.new) for h in hunks] == [("", "inserted")]
