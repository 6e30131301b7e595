"""Site memory: lines a site prints on several other articles are furniture; the affixes its
titles share are not headline edits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.compare.edit import make_edit
from monitor.compare.sitememory import (
    FURNITURE_ARTICLES,
    PAGE_LINES,
    TEASER_MAX_WORDS,
    furniture_lines,
    headline_forms,
    line_key,
    lookup_keys,
    plan_memory,
    shared_title_affixes,
    strip_site_affixes,
    title_affixes,
    weigh_site_furniture,
    weigh_title_affixes,
)
from monitor.extract.article import Article

PITCH = "Sign up to The Morning Ledger, the day's headlines in your inbox."
STORY = "The council approved the riverside housing plan on Tuesday night."


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sign up: 87 comments today", "sign up 1204 comments today", True),
        (PITCH, PITCH.upper(), True),
        (PITCH, STORY, False),
    ],
)
def test_line_keys_ignore_case_punctuation_and_figures(a, b, same) -> None:
    assert (line_key(a) == line_key(b)) is same


@pytest.mark.parametrize(
    ("others", "furniture"),
    [
        (FURNITURE_ARTICLES - 1, False),  # a follow-up quoting its first story: still the story's
        (FURNITURE_ARTICLES, True),
    ],
)
def test_a_line_on_enough_other_articles_is_furniture(others, furniture) -> None:
    body = f"{STORY}\n{PITCH}"
    seen = {line_key(PITCH): (*range(1, others + 1), 99)}  # 99: this article itself
    assert (PITCH in furniture_lines(body, seen, article_id=99)) is furniture
    assert STORY not in furniture_lines(body, seen, article_id=99)


@pytest.mark.parametrize(
    ("edit", "significant"),
    [
        (make_edit("sentence_added", "body", new=PITCH), False),
        (make_edit("sentence_added", "body", new=STORY), True),
        # a correction note counts wherever it stands, by kind or by its words
        (make_edit("correction_note", "body", new=PITCH), True),
        (make_edit("sentence_added", "body", new="Editor's note: " + PITCH), True),
    ],
)
def test_edits_confined_to_site_furniture_are_not_significant(edit, significant) -> None:
    furniture = frozenset({PITCH, "Editor's note: " + PITCH})
    [weighed] = weigh_site_furniture([edit], frozenset(), furniture, "ledger.example")
    assert weighed.significant is significant
    if not significant:
        assert any("site furniture" in reason for reason in weighed.reasons)


@pytest.mark.parametrize(
    ("title", "affixes"),
    [
        ("Storm hits coast | Millbrook Ledger", ("Storm hits coast", "Millbrook Ledger")),
        ("Millbrook Ledger - Storm hits coast", ("Millbrook Ledger", "Storm hits coast")),
        ("Storm hits coast", ("", "")),
        (
            "A storm hits the whole coast of the bay after a long week of warnings | Ledger",
            ("", "Ledger"),
        ),
    ],
)
def test_title_affixes(title, affixes) -> None:
    assert title_affixes(title) == affixes


def test_shared_title_affixes_need_several_articles() -> None:
    counts = {("suffix", "Millbrook Ledger"): 9, ("suffix", "Opinion"): FURNITURE_ARTICLES - 1}
    assert shared_title_affixes(counts) == ("Millbrook Ledger",)


@pytest.mark.parametrize(
    ("old", "new", "significant"),
    [
        ("Storm hits coast", "Storm hits coast | Millbrook Ledger", False),
        ("Millbrook Ledger: Storm hits coast", "Storm hits coast", False),
        ("Storm hits coast", "Storm batters coast | Millbrook Ledger", True),
    ],
)
def test_a_shared_title_affix_is_no_headline_edit(old, new, significant) -> None:
    edit = make_edit("headline", "title", old=old, new=new)
    [weighed] = weigh_title_affixes([edit], ("Millbrook Ledger",), "ledger.example")
    assert weighed.significant is significant


def test_strip_site_affixes_keeps_a_title_that_is_only_the_affix() -> None:
    assert strip_site_affixes("Millbrook Ledger", ("Millbrook Ledger",)) == "Millbrook Ledger"


def test_a_page_is_remembered_within_its_bound() -> None:
    words = ("".join(chr(97 + int(d)) for d in str(n)) for n in range(PAGE_LINES * 2))
    body = "\n".join(f"Line {word} of a very long page" for word in words)
    update = plan_memory("ledger.example", 1, Article(title="A | B", body=body), datetime.now(UTC))
    assert sum(s.kind == "line" for s in update.sightings) == PAGE_LINES
    assert {s.kind for s in update.sightings} == {"line", "prefix", "suffix"}  # "A": too short


@pytest.mark.parametrize(
    ("title", "forms"),
    [
        ("Storm hits the coast | Millbrook Ledger", ("Storm hits the coast | Millbrook Ledger",
                                                     "Storm hits the coast")),
        ("Ledger - Storm hits the coast", ("Ledger - Storm hits the coast",
                                           "Storm hits the coast")),
        ("Storm hits the coast", ("Storm hits the coast",)),
        ("Opinion | Ledger", ()),  # too few words to be told from a label
    ],
)  # fmt: skip
def test_the_forms_a_link_prints_a_headline_in(title, forms) -> None:
    assert headline_forms(title) == forms


TEASER = "Storm hits the coast of the bay"


@pytest.mark.parametrize(
    ("line", "headline_of", "furniture"),
    [
        (TEASER, (7,), True),  # another article's headline: a link to that story
        (TEASER, (99,), False),  # this article's own headline repeated in its body
        (TEASER, (), False),
        ("Opinion: the mayor", (7,), False),  # too few words to tell
    ],
)
def test_another_articles_headline_in_the_body_is_furniture(line, headline_of, furniture) -> None:
    body = f"{STORY}\n{line}"
    headlines = {line_key(line): headline_of}
    found = furniture_lines(body, {}, 99, headlines)
    assert (line in found) is furniture
    assert STORY not in found


# A teaser line: another article's headline wrapped in the template's label and note, in the
# languages sites print them in (labels the lexicon knows, "Read more:", "Lee también:", are noise
# lines already: these are labels it does not know).
SIBLING = "Storm hits the coast of the bay"


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        (f"Watch: {SIBLING} (2:31)", True),
        (f"WATCH | {SIBLING}", True),
        (f"Video: {SIBLING} (2:31)", True),
        (f"{SIBLING} [video]", True),
        (f"{SIBLING} - 3 min read", True),
        (f"Ver también: {SIBLING}", True),
        (f"Bildergalerie: {SIBLING}", True),
        (f"Podcast – {SIBLING}", True),
        (f"Galería: {SIBLING} (24 fotos)", True),
        # a sentence of the story that mentions the headline is the story's
        (f"The mayor told reporters on Monday that {SIBLING} was the wrong headline.", False),
        (f"Watch: {SIBLING.replace('bay', 'river')}", False),  # no article's headline
    ],
)
def test_a_teaser_wrapping_another_articles_headline_is_furniture(line, furniture) -> None:
    body = f"{STORY}\n{line}"
    headlines = {line_key(SIBLING): (7,)}
    found = furniture_lines(body, {}, 99, headlines)
    assert (line in found) is furniture
    assert STORY not in found


def test_a_teaser_of_this_articles_own_headline_is_not_furniture() -> None:
    line = f"Watch: {SIBLING}"
    found = furniture_lines(f"{STORY}\n{line}", {}, 99, {line_key(SIBLING): (99,)})
    assert line not in found


def test_the_teasers_headlines_are_looked_up() -> None:
    article = Article(title="T", body=f"{STORY}\nWatch: {SIBLING} (2:31)")
    assert line_key(SIBLING) in lookup_keys(article)


def test_a_line_past_the_teaser_bound_is_not_read_as_a_teaser() -> None:
    long_headline = " ".join(f"word{n}" for n in range(TEASER_MAX_WORDS))
    line = f"Watch: {long_headline}"
    found = furniture_lines(f"{STORY}\n{line}", {}, 99, {line_key(long_headline): (7,)})
    assert line not in found
    shorter = " ".join(long_headline.split()[:-1])
    found = furniture_lines(f"{STORY}\nWatch: {shorter}", {}, 99, {line_key(shorter): (7,)})
    assert f"Watch: {shorter}" in found
