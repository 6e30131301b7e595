"""Every comparison is bounded: repeated text aligns in linear passes, and past a limit the body
is one coarse, significant edit that says how much changed; a limit never hides a change.

The limits are lowered here so that small inputs cross them; `bench.pathological` measures the
full-size shapes with the real limits."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.compare import align, sentences, words
from monitor.compare import comparison as edits
from monitor.compare.comparison import compare, compare_bounded
from monitor.compare.edit import KINDS, summarize
from monitor.compare.normalize import body_paragraphs
from monitor.compare.sentences import cut_long
from monitor.compare.words import diff_words, tokenize, word_spans
from monitor.extract.article import Article


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Limits small enough for inputs of a few kilobytes to cross them."""
    monkeypatch.setattr(align, "EXACT_MAX_CELLS", 100)
    monkeypatch.setattr(edits, "MAX_SPLIT_CHARS", 100_000)
    monkeypatch.setattr(edits, "MAX_CHANGED_SENTENCES", 40)
    monkeypatch.setattr(edits, "MAX_CHANGED_CHARS", 4_000)
    monkeypatch.setattr(sentences, "MAX_SENTENCE_CHARS", 200)
    yield


def body(*paragraphs: str) -> str:
    return "\n".join(paragraphs)


def with_changes(units: list[str], changes: dict[int, str]) -> list[str]:
    return [changes.get(i, unit) for i, unit in enumerate(units)]


ALTERNATING = ["The council met on Monday.", "Residents were not consulted."] * 300
YES = ["Yes."] * 1_000
SENTENCES = ["The council met again on Monday."] * 400
PROSE = [f"Paragraph {i} says the river rose by {i} metres overnight." for i in range(120)]
OTHER = [f"Unrelated item {i} about the election of a new council member." for i in range(120)]
WORDS = " ".join(f"word{i % 37} plain{i % 11}" for i in range(3_000))  # no sentence punctuation

# name, old body, new body, expected kinds, capped?
SHAPES = [
    (
        "alternating paragraphs, one changed",
        body(*ALTERNATING),
        body(*with_changes(ALTERNATING, {300: "The council met on Tuesday."})),
        ["name"],
        False,
    ),
    (
        "alternating paragraphs, both ends changed",
        body(*ALTERNATING),
        body(*with_changes(ALTERNATING, {0: "A new first one here.", 599: "A new last one."})),
        ["sentence_added", "sentence_removed", "sentence_added", "sentence_removed"],
        False,
    ),
    (
        '"Yes." paragraphs, both ends changed',
        body(*YES),
        body(*with_changes(YES, {0: "No.", 999: "Maybe."})),
        ["sentence_added", "sentence_removed", "sentence_added", "sentence_removed"],
        False,
    ),
    (
        "identical sentences in one paragraph, one changed",
        " ".join(SENTENCES),
        " ".join(with_changes(SENTENCES, {200: "The council met again on Friday."})),
        ["name"],
        False,
    ),
    (
        "a long unpunctuated paragraph, one word added",
        WORDS,
        WORDS.replace("word5 plain5", "word5 inserted plain5", 1),
        ["sentence_changed"],
        False,
    ),
    (
        "a huge single word, one letter changed",
        "x" * 60_000,
        "x" * 30_000 + "y" + "x" * 29_999,
        ["too_many_changes"],
        True,
    ),
    (
        "an unpunctuated rewrite",
        WORDS,
        WORDS.replace("word", "term"),
        ["too_many_changes"],
        True,
    ),
    (
        "unrelated texts",
        body(*PROSE),
        body(*OTHER),
        ["too_many_changes"],
        True,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected", "capped"),
    [shape[1:] for shape in SHAPES],
    ids=[shape[0] for shape in SHAPES],
)
@pytest.mark.usefixtures("small_limits")
def test_pathological_shapes_give_a_bounded_honest_result(
    old: str, new: str, expected: list[str], capped: bool
) -> None:
    result = compare_bounded(Article(body=old), Article(body=new))
    assert sorted(e.kind for e in result.edits) == sorted(expected)
    assert bool(result.capped) is capped
    if capped:
        assert all(e.significant for e in result.edits)


@pytest.mark.usefixtures("small_limits")
def test_the_coarse_edit_says_how_many_paragraphs_changed() -> None:
    old, new = body(*PROSE), body(*PROSE[:60], *OTHER[:60])
    result = compare_bounded(Article(body=old), Article(body=new))
    (edit,) = result.edits
    assert edit.kind == "too_many_changes" and edit.significant
    assert summarize(result.edits) == "too many changes to classify: 60 paragraphs changed"
    assert edit.old_paragraph == edit.new_paragraph == 60
    assert edit.old.startswith(PROSE[60][:20]) and edit.new.startswith(OTHER[0][:20])
    assert "limit" in result.capped


@pytest.mark.usefixtures("small_limits")
def test_title_byline_and_dates_are_compared_in_full_past_a_body_limit() -> None:
    old = Article(title="Fire kills 12", byline="Ann Lee", body=body(*PROSE))
    new = Article(title="Fire kills 15", byline="Ann Leigh", body=body(*OTHER))
    kinds = [e.kind for e in compare_bounded(old, new).edits]
    assert kinds == ["number", "byline", "too_many_changes"]


@pytest.mark.usefixtures("small_limits")
def test_only_cosmetic_changes_past_a_limit_stay_cosmetic() -> None:
    old = body(*PROSE * 20)  # past MAX_SPLIT_CHARS
    new = body(*(p.replace("river", "River").replace(" says", ", says") for p in PROSE * 20))
    result = compare_bounded(Article(body=old), Article(body=new))
    assert [e.kind for e in result.edits] == ["cosmetic"]
    assert result.capped and not result.edits[0].significant


def test_normal_articles_are_compared_in_full() -> None:
    old = body(*PROSE[:30])
    new = body(*with_changes(PROSE[:30], {12: PROSE[12].replace("12 metres", "15 metres")}))
    result = compare_bounded(Article(body=old), Article(body=new))
    assert result.capped == ""
    assert [e.kind for e in result.edits] == ["number"]
    assert list(result.edits) == compare(Article(body=old), Article(body=new))


paragraph = st.sampled_from(
    ["Yes.", "No.", "The council met on Monday.", "Residents were not consulted.", "A."]
)


@settings(max_examples=150, deadline=None)
@given(old=st.lists(paragraph, max_size=60), new=st.lists(paragraph, max_size=60))
def test_a_limit_never_hides_a_change(old: list[str], new: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(align, "EXACT_MAX_CELLS", 20)
        patch.setattr(edits, "MAX_CHANGED_SENTENCES", 5)
        result = compare_bounded(Article(body=body(*old)), Article(body=body(*new)))
    assert all(e.kind in KINDS for e in result.edits)
    if body_paragraphs(body(*old)) != body_paragraphs(body(*new)):
        assert result.edits
    else:
        assert not result.edits
    if result.capped:
        assert [e.kind for e in result.edits] in (["too_many_changes"], ["cosmetic"])


items = st.lists(st.sampled_from("abcdeXY"), max_size=80)


def _check_opcodes(opcodes: list[align.Opcode], old: list[str], new: list[str]) -> None:
    """Opcodes that tile both sequences in order, with equal runs truly equal."""
    i = j = 0
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (i, j)
        assert tag in ("equal", "replace", "delete", "insert")
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2] and i2 > i1
        i, j = i2, j2
    assert (i, j) == (len(old), len(new))


@settings(max_examples=300, deadline=None)
@given(old=items, new=items)
def test_bounded_alignment_covers_both_sides_exactly(old: list[str], new: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(align, "EXACT_MAX_CELLS", 4)
        patch.setattr(align, "MAX_BANDED_DISTANCE", 3)
        opcodes = align.diff_sequences(old, new)
    _check_opcodes(opcodes, old, new)
    if old == new:
        assert all(op[0] == "equal" for op in opcodes)


@settings(max_examples=200, deadline=None)
@given(old=items, new=items)
def test_small_inputs_align_exactly_as_difflib(old: list[str], new: list[str]) -> None:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    assert align.diff_sequences(old, new) == matcher.get_opcodes()


def test_repeats_with_one_change_align_on_the_change_alone() -> None:
    old = ["A", "B"] * 20_000
    new = with_changes(old, {20_001: "C"})
    assert align.changed_paragraphs(old, new) == [(range(20_001, 20_002), range(20_001, 20_002))]


def test_a_region_without_anchors_stays_one_unmatched_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(align, "EXACT_MAX_CELLS", 4)
    monkeypatch.setattr(align, "MAX_BANDED_DISTANCE", 1)
    old, new = ["a", "b"] * 10, ["b", "a"] * 10
    assert align.diff_sequences(old, new) == [("replace", 0, 20, 0, 20)]


# --- sentences and words ---------------------------------------------------------------------
def test_an_over_long_sentence_is_cut_at_spaces_within_the_limit() -> None:
    text = " ".join(f"word{i}" for i in range(2_000))
    pieces = cut_long(text, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert " ".join(pieces) == text


def test_cuts_depend_on_the_text_so_an_insertion_moves_only_nearby_pieces() -> None:
    text = " ".join(f"word{i}" for i in range(4_000))
    old, new = cut_long(text, 500), cut_long("inserted " + text, 500)
    assert len(set(old) - set(new)) <= 2


def test_a_single_huge_word_is_cut_hard() -> None:
    assert [len(p) for p in cut_long("x" * 1_050, 500)] == [500, 500, 50]


def test_an_over_long_token_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words, "MAX_TOKEN_CHARS", 10)
    assert [(t.text, t.start, t.end) for t in tokenize("ab " + "x" * 25)] == [
        ("ab", 0, 2),
        ("x" * 10, 3, 13),
        ("x" * 10, 13, 23),
        ("x" * 5, 23, 28),
    ]


@pytest.mark.parametrize(
    ("old", "new", "hunks"),
    [
        ("a b c d e f g h", "a b X d e Y g h", [("c d e f", "X d e Y")]),
        ("a b c d e f g h", "a b c d e f g h i", [("", "i")]),
        ("a b c d e f g h", "Z b c d e f g h", [("a", "Z")]),
    ],
)
def test_a_word_diff_past_its_limit_is_one_run_between_the_common_ends(
    monkeypatch: pytest.MonkeyPatch, old: str, new: str, hunks: list[tuple[str, str]]
) -> None:
    monkeypatch.setattr(words, "MAX_WORD_DIFF_CELLS", 8)
    assert [(h.old, h.new) for h in diff_words(old, new)] == hunks
    spans = word_spans(old, new)
    kept = "".join(s.text for s in spans if s.op != "delete")
    assert kept.replace("  ", " ").strip() == new
