"""A template change within a round: the same edit on many articles of one site is the site's
template (one event, its edits not significant); an editorial act repeated on every article, or
an edit on one article only, is still reported on each."""

from __future__ import annotations

import pytest

from monitor.compare.edit import Edit, make_edit
from monitor.compare.template import (
    TEMPLATE_MIN_ARTICLES,
    RoundEdit,
    compact_page,
    decide_template,
    edit_signatures,
    new_pages_wanted,
    pages_wanted,
    url_section,
)

TEMPLATE = "template"  # a fragment a template can produce
EDITORIAL = "editorial"  # never a template's, on however many articles


@pytest.mark.parametrize(
    ("kind", "field", "old", "new", "expected"),
    [
        ("headline", "title", "Plan approved", "Plan approved | The Ledger", TEMPLATE),
        ("headline", "title", "Plan approved - Old Site", "Plan approved | The Ledger", TEMPLATE),
        ("headline", "title", "Plan approved | Ledger", "Plan rejected | Ledger", EDITORIAL),
        ("byline", "byline", "By Jane Doe", "Jane Doe; City Hall Reporter", TEMPLATE),
        ("byline", "byline", "Jane Doe", "JANE DOE, Politics Correspondent", TEMPLATE),
        ("sentence_changed", "body", "Read it.", "Read it (opens in a new tab).", TEMPLATE),
        ("sentence_changed", "body", "It passed.", "1,204 shares It passed.", TEMPLATE),
        ("sentence_added", "body", "", "Sign up to The Morning Ledger, in your inbox.", TEMPLATE),
        ("sentence_removed", "body", "Most read: storm hits the coast", "", TEMPLATE),
        # the newsroom's acts, even when repeated on every story
        ("byline", "byline", "Jon Doe", "John Doe", EDITORIAL),
        ("name", "body", "Jon Smith", "John Smith", EDITORIAL),
        ("sentence_changed", "body", "Jon Smith said no.", "John Smith said no.", EDITORIAL),
        ("number", "body", "60", "80", EDITORIAL),
        ("sentence_changed", "body", "It rained 60 mm.", "It rained 80 mm.", EDITORIAL),
        ("quote", "body", "will", "should", EDITORIAL),
        ("correction_note", "body", "", "Correction: an earlier version erred.", EDITORIAL),
        ("sentence_added", "body", "", "Editor's note: updated on Monday.", EDITORIAL),
        ("published_date", "published", "2026-11-01", "2026-11-02", EDITORIAL),
    ],
)
def test_which_edits_a_template_can_make(kind, field, old, new, expected) -> None:
    signatures = edit_signatures(make_edit(kind, field, old=old, new=new))
    assert (TEMPLATE if signatures else EDITORIAL) == expected


def test_counters_of_different_values_are_one_fragment() -> None:
    first = edit_signatures(make_edit("sentence_changed", "body", old="A.", new="87 shares A."))
    second = edit_signatures(make_edit("sentence_changed", "body", old="B.", new="1.2K shares B."))
    assert first == second


def _round(edits_per_article: dict[int, list[Edit]]) -> list[RoundEdit]:
    rows, next_id = [], 1
    for article, edits in edits_per_article.items():
        for edit in edits:
            rows.append(RoundEdit(next_id, 100 + article, article, edit))
            next_id += 1
    return rows


def _suffix(article: int) -> Edit:
    return make_edit("headline", "title", old=f"Story {article}", new=f"Story {article} | Ledger")


def _link_label(article: int) -> Edit:
    return make_edit(
        "sentence_changed",
        "body",
        old=f"Read report {article} here.",
        new=f"Read report {article} here (opens in a new tab).",
    )


QUOTE = make_edit("quote", "body", old="will", new="should")
NOTE = make_edit("correction_note", "body", new="Correction: the vote was on Tuesday, not Monday.")
NAME = make_edit("name", "body", old="Jon Smith", new="John Smith")


def _significant(decision, edits: list[RoundEdit]) -> list[tuple[int, str]]:
    downgraded = dict(decision.downgrades)
    return [
        (item.article_id, item.edit.kind)
        for item in edits
        if downgraded.get(item.edit_id, item.edit).significant
    ]


def test_a_template_change_on_every_article_is_one_event_and_the_one_real_edit_stays() -> None:
    articles = {n: [_suffix(n), _link_label(n)] for n in range(12)}
    articles[5].append(QUOTE)
    edits = _round(articles)
    decision = decide_template("ledger.example", edits, checked_articles=12)
    assert decision.event is not None and decision.event.kind == "template_changed"
    assert not decision.event.significant
    assert decision.lead_change == 100
    assert _significant(decision, edits) == [(5, "quote")]
    reasons = [reason for _, edit in decision.downgrades for reason in edit.reasons]
    assert all("template_changed" in r for r in reasons if r.startswith("template change"))


@pytest.mark.parametrize(
    ("name", "repeated"),
    [("the same correction note on every article", NOTE), ("the same name corrected", NAME)],
)
def test_a_site_wide_editorial_act_is_reported_on_each_article(name, repeated) -> None:
    edits = _round({n: [repeated] for n in range(12)})
    decision = decide_template("ledger.example", edits, checked_articles=12)
    assert decision.event is None, name
    assert len(_significant(decision, edits)) == 12


@pytest.mark.parametrize(
    ("articles_changed", "checked", "template"),
    [
        (TEMPLATE_MIN_ARTICLES - 1, TEMPLATE_MIN_ARTICLES - 1, False),  # too few articles
        (TEMPLATE_MIN_ARTICLES, TEMPLATE_MIN_ARTICLES, True),
        (3, 200, False),  # three of the two hundred checked: the newsroom, reported
        (100, 200, True),
        (12, 12, True),
    ],
)
def test_thresholds(articles_changed, checked, template) -> None:
    edits = _round({n: [_suffix(n)] for n in range(articles_changed)})
    decision = decide_template("ledger.example", edits, checked_articles=checked)
    assert (decision.event is not None) is template
    assert (not _significant(decision, edits)) is template


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://x.example/sport/match-report.html", "sport"),
        ("https://x.example/Politik/inland/a-123", "politik"),
        ("https://x.example/story-1.html", ""),
        ("https://x.example/", ""),
    ],
)
def test_the_section_of_an_article(url, section) -> None:
    assert url_section(url) == section


@pytest.mark.parametrize(
    ("in_section", "section_size", "site_size", "template"),
    [
        # a section's own template: enough of that section's articles, however big the site
        (4, 4, 12, True),
        (5, 8, 12, True),
        (3, 5, 200, True),
        (3, 8, 12, False),  # under half of the section (and of the site)
        (TEMPLATE_MIN_ARTICLES - 1, TEMPLATE_MIN_ARTICLES - 1, 12, False),  # too few articles
    ],
)
def test_a_sections_template_is_measured_against_its_section(
    in_section, section_size, site_size, template
) -> None:
    sections = {n: ("sport" if n < section_size else "news") for n in range(site_size)}
    edits = _round({n: [_suffix(n)] for n in range(in_section)})
    decision = decide_template("ledger.example", edits, site_size, sections=sections)
    assert (decision.event is not None) is template
    assert (not _significant(decision, edits)) is template


def test_a_site_wide_editorial_act_in_one_section_is_still_reported() -> None:
    sections = {n: ("sport" if n < 4 else "news") for n in range(12)}
    edits = _round({n: [NAME] for n in range(4)} | {n: [NOTE] for n in range(4, 8)})
    decision = decide_template("ledger.example", edits, 12, sections=sections)
    assert decision.event is None
    assert len(_significant(decision, edits)) == 8


def _inserted(words: str, article: int, place: int) -> Edit:
    return make_edit(
        "sentence_changed",
        "body",
        old=f"Story {article} cites source {place}.",
        new=f"Story {article} cites source {place} {words}.",
    )


@pytest.mark.parametrize(
    ("words", "articles", "times", "template"),
    [
        # a label the lexicon does not know, on every link of the 5 of 12 stories with links
        ("(link is to an outside site)", 5, 2, True),
        ("(PDF)", 3, 3, True),
        ("which opens in another window", 3, 2, True),
        # once per story: the share is needed (5 of 12 is not half)
        ("(link is to an outside site)", 5, 1, False),
        # repeated, but on too few stories
        ("(link is to an outside site)", TEMPLATE_MIN_ARTICLES - 1, 4, False),
        # a plain word added throughout three stories is the newsroom's (a legal edit)
        ("allegedly", 3, 3, False),
    ],
)
def test_a_fragment_repeated_inside_stories_needs_no_share(words, articles, times, template):
    edits = _round(
        {n: [_inserted(words, n, place) for place in range(times)] for n in range(articles)}
    )
    decision = decide_template("ledger.example", edits, checked_articles=12)
    assert (decision.event is not None) is template
    assert (not _significant(decision, edits)) is template


def _beside_link_labels(*odd: Edit) -> list[tuple[int, str]]:
    """The significant edits when article 9's `odd` edits come in a round where six articles
    gained "(opens in a new tab)" labels."""
    edits = _round({n: [_link_label(n)] for n in range(6)})
    edits += [RoundEdit(90 + i, 109, 9, edit) for i, edit in enumerate(odd)]
    return _significant(decide_template("ledger.example", edits, checked_articles=7), edits)


def test_an_edit_with_a_template_fragment_and_a_real_one_stays_significant() -> None:
    mixed = make_edit(
        "sentence_changed",
        "body",
        old="Read report 9 here, the mayor said.",
        new="Read report 9 here (opens in a new tab), the governor said.",
    )
    assert _beside_link_labels(mixed) == [(9, "sentence_changed")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("MacBooks", "MacBook (opens in a new tab)s"),  # a label inside a linked word
        ("expanded", "expand (opens in a new tab)ed (opens in a new tab)"),
    ],
)
def test_an_edit_that_is_only_the_templates_words_once_they_are_taken_out(old, new) -> None:
    odd = make_edit("sentence_changed", "body", old=old, new=new)
    assert _beside_link_labels(odd) == []


def test_a_sentence_split_across_two_edits_is_read_together() -> None:
    removed = make_edit(
        "sentence_changed",
        "body",
        old=". Follow her on Twitter or on Facebook",
        new="(opens in a new tab)",
    )
    added = make_edit(
        "sentence_added", "body", new="Follow her on Twitter (opens in a new tab) or on Facebook."
    )
    assert _beside_link_labels(removed, added) == []


SENTENCE = "He sent the file to the court on Monday."
LABELLED = "He sent the file (opens in a new tab) to the court on Monday."


@pytest.mark.parametrize(
    ("old", "new", "new_sentence", "significant"),
    [
        # two halves of a label the word diff cut apart: the sentence is unchanged but for it
        ("", "(opens", LABELLED, []),
        ("", "a new tab) in", LABELLED, []),
        # the same halves in a sentence that also changed a word: reported
        ("", "(opens", LABELLED.replace("Monday", "Friday"), [(9, "sentence_changed")]),
    ],
)
def test_a_label_split_in_two_around_a_shared_word(old, new, new_sentence, significant) -> None:
    split = make_edit(
        "sentence_changed", "body", old=old, new=new, old_sentence=SENTENCE,
        new_sentence=new_sentence,
    )  # fmt: skip
    assert _beside_link_labels(split) == significant


TWEET = "The Browns' highest-graded player on defense was Joe Schobert."


FOLLOW = "Follow the Ledger on Facebook, Twitter and Instagram."
LABELLED_FOLLOW = (
    "Follow the Ledger on Facebook (opens in a new tab), Twitter (opens in a new tab) "
    "and Instagram (opens in a new tab)."
)
ADDED = make_edit(
    "sentence_added", "body", new=TWEET.replace("Browns'", "Browns' (opens in a new tab)")
)
REMOVED = make_edit("sentence_removed", "body", old=FOLLOW)


@pytest.mark.parametrize(
    ("edit", "side", "page", "significant"),
    [
        # "added", already on the old page: the extraction took it in with the template
        (ADDED, "old", f"Menu\n{TWEET}\nFooter", []),
        (ADDED, "old", "Menu\nFooter", [(9, "sentence_added")]),  # newly written: reported
        # "removed", still on the new page with the template's labels in it: left out
        (REMOVED, "new", LABELLED_FOLLOW, []),
        (REMOVED, "new", "Menu\nFooter", [(9, "sentence_removed")]),  # gone: reported
    ],
)
def test_text_the_extraction_boundary_moved_with_the_template(edit, side, page, significant):
    edits = [*_round({n: [_link_label(n)] for n in range(6)}), RoundEdit(99, 109, 9, edit)]
    first = decide_template("ledger.example", edits, checked_articles=7)
    wanted = {"old": pages_wanted, "new": new_pages_wanted}[side]
    assert wanted(edits, first) == [109]
    pages = {f"{side}_pages": {109: compact_page(page)}}
    decision = decide_template("ledger.example", edits, checked_articles=7, **pages)
    assert _significant(decision, edits) == significant
