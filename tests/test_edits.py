"""compare(old, new) names each edit the way a journalist would, and stays quiet on noise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.compare.comparison import compare
from monitor.compare.edit import Edit, is_stealth, summarize
from monitor.extract.extraction import Article

STORY = [
    "The fire in Springfield killed 12 people, officials said on Monday.",
    'Dr. Anna Neimann-Ortiz, who led the response, said: "We did everything we could."',
    "The mayor, Mr. Zeid, promised an inquiry into the causes of the blaze.",
    "Residents were allowed back into their homes late on Tuesday evening.",
]


def body(*paragraphs: str) -> str:
    return "\n".join(paragraphs)


def kinds(edits: list[Edit]) -> list[str]:
    return [e.kind for e in edits]


def story_with(index: int, sentence: str) -> str:
    return body(*[sentence if i == index else s for i, s in enumerate(STORY)])


@pytest.mark.parametrize(
    ("index", "new_sentence", "kind", "old", "new"),
    [
        # quote: words inside a quotation changed
        (
            1,
            'Dr. Anna Neimann-Ortiz, who led the response, said: "We did all we could."',
            "quote",
            "everything",
            "all",
        ),
        # name: a proper name corrected
        (
            1,
            'Dr. Anna Neumann-Ortiz, who led the response, said: "We did everything we could."',
            "name",
            "Neimann-Ortiz",
            "Neumann-Ortiz",
        ),
        # name replaced after an honorific, even in lower case ("al-")
        (
            2,
            "The mayor, Mr. al-Hussein, promised an inquiry into the causes of the blaze.",
            "name",
            "Zeid",
            "al-Hussein",
        ),
        # number: a figure changed, words around it included
        (
            0,
            "The fire in Springfield killed at least 15 people, officials said on Monday.",
            "number",
            "12",
            "at least 15",
        ),
        # typo: an ordinary word's spelling fixed
        (
            3,
            "Residents were allowed back into their homes late on Tuesday evenning.",
            "typo",
            "evening",
            "evenning",
        ),
        # sentence_changed: no more specific kind fits
        (
            3,
            "Residents were allowed back into their homes early on Tuesday evening.",
            "sentence_changed",
            "late",
            "early",
        ),
    ],
)
def test_one_edit_in_a_sentence_is_named(index, new_sentence, kind, old, new) -> None:
    edits = compare(Article(body=body(*STORY)), Article(body=story_with(index, new_sentence)))
    assert kinds(edits) == [kind]
    assert (edits[0].old, edits[0].new) == (old, new)
    assert edits[0].old_sentence == STORY[index]
    assert edits[0].new_sentence == new_sentence


def test_seed_case_name_corrected_and_quote_gains_a_word() -> None:
    old = Article(
        title="Fire kills 12 in Springfield",
        body=body(
            "Dr. Anna Neimann-Ortiz led the response on Monday night.",
            'The chief said: "We did everything we could."',
        ),
    )
    new = Article(
        title="Fire kills 12 in Springfield",
        body=body(
            "Dr. Anna Neumann-Ortiz led the response on Monday night.",
            'The chief said: "We really did everything we could."',
        ),
    )
    edits = compare(old, new)
    assert sorted(kinds(edits)) == ["name", "quote"]
    assert summarize(edits) in ("quote changed; name corrected", "name corrected; quote changed")


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("Fire kills 50 in port city", "Fire kills at least 60 in port city", "number"),
        ("Two dead after storm", "Three dead after storm", "number"),
        ("Mayor admits budget error", "Mayor says budget error was made", "headline"),
    ],
)
def test_headline_edits(old: str, new: str, kind: str) -> None:
    edits = compare(Article(title=old, body="Same."), Article(title=new, body="Same."))
    assert kinds(edits) == [kind]
    assert edits[0].field == "title"
    assert edits[0].significant


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Mayor admits budget error", "Mayor Admits Budget Error"),
        ("Mayor admits budget error", "Mayor admits budget error."),
        ("'Chaos' at the border", "\u2018Chaos\u2019 at the border"),
    ],
)
def test_headline_case_punctuation_and_quote_style_are_cosmetic_or_nothing(old, new) -> None:
    edits = compare(Article(title=old, body="Same."), Article(title=new, body="Same."))
    assert all(e.kind == "cosmetic" and not e.significant for e in edits)


def test_byline_and_published_date() -> None:
    old = Article(byline="By Jane Roe", published="2026-11-01", body="Same.")
    new = Article(byline="By Jane Roe and Sam Poe", published="2026-11-02", body="Same.")
    assert kinds(compare(old, new)) == ["byline", "published_date"]


def test_modified_date_alone_is_not_significant() -> None:
    edits = compare(
        Article(modified="2026-11-01", body="Same."), Article(modified="2026-11-02", body="Same.")
    )
    assert kinds(edits) == ["published_date"]
    assert not edits[0].significant


@pytest.mark.parametrize(
    "note",
    [
        "Correction: An earlier version of this article misstated the toll.",
        "An earlier version of this story gave the wrong date for the vote.",
        "Editor's note: This article has been updated with comment from the council.",
        "This story was updated to include the final count.",
        "Fe de erratas: Una versión anterior de este artículo indicaba tres heridos.",
        "Una versión anterior de esta noticia atribuía la cita al alcalde.",
        "Corrección: el accidente ocurrió el martes, no el lunes.",
    ],
)
def test_correction_notes_in_english_and_spanish(note: str) -> None:
    edits = compare(Article(body=body(*STORY)), Article(body=body(*STORY, note)))
    assert kinds(edits) == ["correction_note"]
    assert edits[0].significant


@pytest.mark.parametrize(
    "note",
    [
        "Updated: death toll rises to 40",
        "Actualizado: el número de muertos sube a 40",
    ],
)
def test_a_short_update_note_with_a_figure_is_reported_not_taken_for_a_stamp(note: str) -> None:
    # a label and a figure alone ("Updated 3 hours ago") is the page's furniture; a label and
    # what changed is the newsroom's note
    edits = compare(Article(body=body(*STORY)), Article(body=body(*STORY, note)))
    assert [edit.new for edit in edits if edit.significant] == [note]


@pytest.mark.parametrize(
    ("before", "after", "figures"),
    [
        ("Updated at 21:45: 1-1", "Updated at 21:50: 2-1", ("1-1", "2-1")),
        ("Aktualisiert um 21.45 Uhr: 1:1", "Aktualisiert um 21.50 Uhr: 2:1", ("1", "2")),
        ("Mis à jour à 10h32 : 1 200", "Mis à jour à 11h05 : 1 350", ("200", "350")),
    ],
)
def test_a_note_of_figures_after_its_time_is_reported(
    before: str, after: str, figures: tuple[str, str]
) -> None:
    # a live score or a count after the time and a colon is what the newsroom updated, not the
    # page's stamp (revisions 15 and 16 took the whole line for "Updated" and its time)
    edits = compare(Article(body=body(*STORY, before)), Article(body=body(*STORY, after)))
    assert figures in [(edit.old, edit.new) for edit in edits if edit.significant]


def test_a_label_with_only_its_time_added_is_no_edit() -> None:
    edits = compare(Article(body=body(*STORY)), Article(body=body(*STORY, "Updated 3 hours ago")))
    assert not [edit for edit in edits if edit.significant]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Updated 3h ago", "Updated 4h ago"),
        ("Aktualisiert vor 3 Stunden", "Aktualisiert vor 4 Stunden"),
        ("Mis à jour il y a 3 heures", "Mis à jour il y a 4 heures"),
        ("Aggiornato 3 ore fa", "Aggiornato 4 ore fa"),
        ("Atualizado há 3 horas", "Atualizado há 4 horas"),
        ("Published 2 hours ago · 3 min read", "Published 3 hours ago · 3 min read"),
    ],
)
def test_a_relative_time_that_moves_on_between_rounds_is_no_edit(before: str, after: str) -> None:
    edits = compare(Article(body=body(*STORY, before)), Article(body=body(*STORY, after)))
    assert not [edit for edit in edits if edit.significant]


@pytest.mark.parametrize(
    "note",
    [
        "Aktualisiert: 3 Tote in Köln",
        "Mis à jour : 3 morts à Lyon",
        "Atualizado: 3 mortos em Lisboa",
    ],
)
def test_a_short_update_note_in_other_languages_is_reported(note: str) -> None:
    edits = compare(Article(body=body(*STORY)), Article(body=body(*STORY, note)))
    assert [edit.new for edit in edits if edit.significant] == [note]


def test_a_correction_paragraph_of_several_sentences_is_one_note() -> None:
    note = "Correction: An earlier version misstated the toll. It was 15, not 12."
    edits = compare(Article(body=body(*STORY)), Article(body=body(*STORY, note)))
    assert kinds(edits) == ["correction_note"]
    assert edits[0].new == note


def test_stealth_means_significant_edits_without_a_note() -> None:
    changed = story_with(0, "The fire in Springfield killed 15 people, officials said on Monday.")
    silent = compare(Article(body=body(*STORY)), Article(body=changed))
    noted = compare(
        Article(body=body(*STORY)),
        Article(body=body(changed, "Correction: The toll was 15, not 12.")),
    )
    assert is_stealth(silent)
    assert not is_stealth(noted)


def test_sentences_added_removed_and_moved() -> None:
    added = compare(
        Article(body=body(*STORY)),
        Article(body=body(*STORY, "Investigators have not yet found the cause.")),
    )
    removed = compare(Article(body=body(*STORY)), Article(body=body(*STORY[:3])))
    moved = compare(Article(body=body(*STORY)), Article(body=body(STORY[3], *STORY[:3])))
    assert kinds(added) == ["sentence_added"]
    assert kinds(removed) == ["sentence_removed"]
    assert kinds(moved) == ["sentence_moved"]


def test_added_and_removed_quotations() -> None:
    quote = '"We will rebuild every home on this street," the mayor told reporters.'
    assert kinds(compare(Article(body=body(*STORY)), Article(body=body(*STORY, quote)))) == [
        "quote_added"
    ]
    assert kinds(compare(Article(body=body(*STORY, quote)), Article(body=body(*STORY)))) == [
        "quote_removed"
    ]


@pytest.mark.parametrize(
    "new_sentence",
    [
        "The fire in Springfield killed 12 people , officials said on Monday .",  # spacing
        "The Fire in Springfield killed 12 people, officials said on Monday.",  # case
    ],
)
def test_cosmetic_only_changes_are_not_significant(new_sentence: str) -> None:
    edits = compare(Article(body=body(*STORY)), Article(body=story_with(0, new_sentence)))
    assert kinds(edits) == ["cosmetic"]
    assert not edits[0].significant


def test_quote_style_whitespace_and_furniture_are_no_edit_at_all() -> None:
    new = body(
        STORY[0].replace("  ", " "),
        STORY[1].replace('"We', "\u201cWe").replace('could."', "could.\u201d"),
        "Advertisement",
        STORY[2].replace(" ", "\u00a0", 3),
        "Updated 5 minutes ago",
        STORY[3],
    )
    assert compare(Article(body=body(*STORY)), Article(body=new)) == []


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        (
            "El accidente dejó tres heridos, según la policía.",
            "El accidente dejó cinco heridos, según la policía.",
            "number",
        ),
        (
            '"No vamos a cerrar la fábrica", dijo la Sra. García ayer.',
            '"No vamos a cerrar nunca la fábrica", dijo la Sra. García ayer.',
            "quote",
        ),
        (
            "La alcaldesa, Sra. Gómez, anunció el plan el lunes por la tarde.",
            "La alcaldesa, Sra. Gámez, anunció el plan el lunes por la tarde.",
            "name",
        ),
    ],
)
def test_spanish_edits(old: str, new: str, kind: str) -> None:
    context = "El tráfico estuvo cortado durante casi tres horas en la avenida Central."
    edits = compare(Article(body=body(old, context)), Article(body=body(new, context)))
    assert kinds(edits) == [kind]


def test_duplicated_word_removed_is_a_typo() -> None:
    edits = compare(
        Article(body="The council met on the the Monday after the storm."),
        Article(body="The council met on the Monday after the storm."),
    )
    assert kinds(edits) == ["typo"]
    assert not edits[0].significant


def test_a_rewritten_sentence_is_one_edit() -> None:
    old = "The council approved the plan by a narrow margin after a long debate on Tuesday."
    new = "After hours of heated argument, councillors narrowly backed the proposal on Tuesday."
    edits = compare(Article(body=body(STORY[0], old)), Article(body=body(STORY[0], new)))
    assert len(edits) <= 2  # one rewrite, or one removal plus one addition
    assert set(kinds(edits)) <= {"sentence_changed", "sentence_added", "sentence_removed"}


def test_every_edit_carries_a_score_and_reasons() -> None:
    edits = compare(
        Article(title="A", body=body(*STORY)),
        Article(title="B", body=story_with(0, "Nothing like it.")),
    )
    for edit in edits:
        assert 0.0 <= edit.score <= 1.0
        assert edit.reasons
        assert edit.significant == (edit.score >= 0.5)


texts = st.lists(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    max_size=8,
).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=40), text=texts)
def test_comparing_a_text_with_itself_yields_nothing(title: str, text: str) -> None:
    article = Article(title=title, body=text)
    assert compare(article, article) == []


@settings(max_examples=150, deadline=None)
@given(old=texts, new=texts)
def test_compare_never_raises_and_edits_use_known_kinds(old: str, new: str) -> None:
    from monitor.compare.edit import KINDS

    for edit in compare(Article(body=old), Article(body=new)):
        assert edit.kind in KINDS


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        # the same figure, moved: a rewrite, not a figure change
        (
            "4,000 sheep rescued from flooded valley farm",
            "Flooded valley farm: rescuers save 4,000 sheep",
            "headline",
        ),
        # ordinals are words, not figures
        (
            "Harbour Lights sweeps the regional film awards",
            "Mara Olsen becomes first Nordic best director winner",
            "headline",
        ),
        # digits inside a word that did not change their value
        ("Divers find 300-year wreck", "Divers find 300-year-old wreck", "headline"),
        (
            "Brewer to pay $212.5 m in pricing probe",
            "Brewer to pay $212.5m in pricing probe",
            "cosmetic",
        ),
        (
            "Navy to retire its P3 patrol planes",
            "Navy to retire its P-3 patrol planes",
            "cosmetic",
        ),
        ("Storm surge spills onto promenade", "Storm surge spills on to promenade", "cosmetic"),
    ],
)
def test_headline_figures_and_spacing_rules(old: str, new: str, kind: str) -> None:
    edits = compare(Article(title=old, body="Same."), Article(title=new, body="Same."))
    assert kinds(edits) == [kind]


def test_words_split_in_the_body_are_typos_never_significant() -> None:
    old = "Troops reached the frontline after an airstrike on Tuesday."
    new = "Troops reached the front line after an air strike on Tuesday."
    edits = compare(Article(body=body(STORY[0], old)), Article(body=body(STORY[0], new)))
    assert kinds(edits) == ["typo", "typo"]
    assert not any(e.significant for e in edits)


def test_the_middle_sentence_of_a_long_quotation_is_a_quote() -> None:
    old = '"We did everything. We tried all night to save them. Nobody slept," he said.'
    new = '"We did everything. We worked all night to save them. Nobody slept," he said.'
    edits = compare(Article(body=body(STORY[0], old)), Article(body=body(STORY[0], new)))
    assert kinds(edits) == ["quote"]


def test_a_closing_mark_at_the_start_of_a_sentence_opens_nothing() -> None:
    old = '" Protests played out around the country from Atlanta to Los Angeles on Friday night.'
    new = '" Protests played out around the country from Atlanta to Boston on Friday night.'
    edits = compare(Article(body=old), Article(body=new))
    assert "quote" not in kinds(edits)


def test_a_repeated_phrase_removed_is_a_typo() -> None:
    old = "The captain laid out the laid out the dire situation aboard the ship."
    new = "The captain laid out the dire situation aboard the ship."
    assert kinds(compare(Article(body=old), Article(body=new))) == ["typo"]


def test_a_byline_taken_from_another_element_is_discounted() -> None:
    from monitor.compare.comparison import discount_known_text

    edits = compare(Article(byline="Вера", body="Same."), Article(byline="Вася", body="Same."))
    page = "Вера wrote this story. Related: a story by Вася."
    [edit] = discount_known_text(edits, page, page)
    assert edit.kind == "byline" and not edit.significant
    [real] = discount_known_text(edits, "Вера wrote this story.", "Вася wrote this story.")
    assert real.significant


def test_a_date_found_on_one_side_only_is_not_an_edit() -> None:
    assert compare(Article(modified="2026-11-04", body="Same."), Article(body="Same.")) == []
    assert compare(Article(body="Same."), Article(published="2026-11-04", body="Same.")) == []
