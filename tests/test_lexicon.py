"""monitor.lexicon: one table of a page's words per language, used by extraction, normalisation,
classification and recording alike."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.compare.classify import is_correction_note
from monitor.compare.comparison import compare
from monitor.compare.normalize import is_noise_paragraph
from monitor.extract.article import Article
from monitor.lexicon import (
    CONSENT,
    CONSENT_WORD,
    CORRECTION_LABELS,
    CORRECTION_PHRASES,
    EDGE_NOTICE,
    LANGUAGES,
    SITE_LINE,
    SITE_LINE_ANYWHERE,
    SITE_LINE_START,
    _branches_at_top,
    is_site_line,
)

STORY = [
    "The council approved the new budget on Monday after a long debate.",
    "The opposition said the plan would raise local taxes for most families.",
]

# One correction note of our own per language and form: a label line and a phrase in a sentence.
NOTES = {
    "en": [
        "Correction: An earlier version of this article misstated the vote.",
        "This article has been corrected to give the right date.",
    ],
    "es": [
        "Corrección: la votación fue el martes, no el lunes.",
        "Una versión anterior de este artículo daba otra cifra.",
    ],
    "de": [
        "Korrektur: In einer früheren Version hieß es, die Abstimmung sei am Montag gewesen.",
        "Dieser Artikel wurde korrigiert, weil die Zahl der Stimmen falsch war.",
    ],
    "fr": [
        "Rectificatif : la séance a eu lieu mardi et non lundi.",
        "Cet article a été modifié pour corriger le nom du maire.",
    ],
    "pt": [
        "Correção: a votação aconteceu na terça-feira, não na segunda.",
        "Este texto foi corrigido para indicar o nome certo do vereador.",
    ],
    "it": [
        "Rettifica: la seduta si è svolta martedì e non lunedì.",
        "Questo articolo è stato corretto per indicare il nome giusto del sindaco.",
    ],
}


def test_every_language_has_labels_phrases_and_test_notes() -> None:
    for language in LANGUAGES:
        assert CORRECTION_LABELS[language], language
        assert CORRECTION_PHRASES[language], language
        assert len(NOTES[language]) == 2, language


@pytest.mark.parametrize(
    ("language", "note"), [(lang, note) for lang, notes in NOTES.items() for note in notes]
)
def test_a_correction_note_is_classified_in_every_language(language: str, note: str) -> None:
    assert is_correction_note(note)
    edits = compare(Article(body="\n".join(STORY)), Article(body="\n".join([*STORY, note])))
    assert [e.kind for e in edits] == ["correction_note"], language
    assert edits[0].significant


@pytest.mark.parametrize(
    "note",
    [
        "Korrektur: In einer früheren Version hieß es, die Abstimmung sei am Montag gewesen.",
        "Rectificatif : la séance a eu lieu mardi et non lundi.",
        "Reporting by Ana Ruiz; Editing by Tom Berg",
    ],
)
def test_extraction_keeps_the_same_notes_at_an_article_edge(note: str) -> None:
    assert EDGE_NOTICE.search(note)


@pytest.mark.parametrize(
    "sentence",
    [
        "The committee will publish an update on Friday.",
        "Die Korrekturen am Haushalt betreffen vor allem die Schulen.",
        "Le maire a demandé une mise à jour du plan de circulation.",
    ],
)
def test_ordinary_sentences_mentioning_corrections_are_not_notes(sentence: str) -> None:
    assert not is_correction_note(sentence)


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to improve your experience.",
        "Wir verwenden Cookies, um unsere Website zu verbessern.",
        "Nous utilisons des cookies pour mesurer l'audience.",
        "Utilizziamo i cookie per personalizzare i contenuti.",
        "Advertisement",
        "Updated 3 minutes ago at 14:02",
    ],
)
def test_consent_banners_and_furniture_lines_are_noise(line: str) -> None:
    assert is_noise_paragraph(line)


LIST_ITEMS = [
    ("- First point of the plan", "First point of the plan"),
    ("1. First point of the plan", "First point of the plan"),
    ("12) Twelfth point", "Twelfth point"),
    ("(3) Third point", "Third point"),
    ("a) Erster Punkt", "Erster Punkt"),
    ("• Premier point", "Premier point"),
    ("- • Punto primero", "Punto primero"),
    ("▪ Primeiro ponto", "Primeiro ponto"),
    ("1) Primo punto", "Primo punto"),
    ("・第一のポイント", "第一のポイント"),
    ("・ 第一のポイント", "第一のポイント"),
    ("①第一のポイント", "第一のポイント"),
    ("② 第二のポイント", "第二のポイント"),
    ("1.5 metres of snow fell", "1.5 metres of snow fell"),
    ("A. Smith said so", "A. Smith said so"),
    ("2024 was a hard year", "2024 was a hard year"),
    ("3.", ""),
    # dates, not markers: a change of the day is an edit
    ("21. November 2022 in Berlin", "21. November 2022 in Berlin"),
    ("(21. November 2022) Die Regierung", "(21. November 2022) Die Regierung"),
    ("3. Mai: Kundgebung", "3. Mai: Kundgebung"),
    ("1er. mars", "1er. mars"),
    ("12. März 2024", "12. März 2024"),
    ("4. mar. 2024: the vote", "4. mar. 2024: the vote"),
    ("2) Mar-a-Lago raid", "Mar-a-Lago raid"),
    ("a) set of tools", "set of tools"),
    ("3) Mai-Kundgebung in Berlin", "Mai-Kundgebung in Berlin"),
]


@pytest.mark.parametrize(("line", "text"), LIST_ITEMS)
def test_list_markers_are_not_text(line: str, text: str) -> None:
    from monitor.lexicon import LIST_MARKER

    assert LIST_MARKER.sub("", line) == text


def test_every_consent_pattern_names_the_word_the_cheap_test_looks_for() -> None:
    for language, patterns in CONSENT.items():
        for pattern in patterns:
            assert CONSENT_WORD in pattern, (language, pattern)


def test_an_expression_compiles_on_first_use_and_then_reads_as_compiled() -> None:
    import re

    from monitor.lexicon import _lazy

    expression = _lazy(r"^sign up\b", re.IGNORECASE)
    assert expression.pattern == r"^sign up\b"  # readable without compiling
    assert expression._compiled is None  # type: ignore[attr-defined]
    compiled = re.compile(r"^sign up\b", re.IGNORECASE)
    for line in ("Sign up for our newsletter", "Please sign up", ""):
        assert bool(expression.match(line)) == bool(compiled.match(line))
    assert expression.sub("", "SIGN UP now") == compiled.sub("", "SIGN UP now")
    assert expression.flags == compiled.flags


# `is_site_line` searches SITE_LINE in two parts (its alternatives anchored at the line's start,
# then the others): a line is the site's words in exactly the same lines as with SITE_LINE whole.
SITE_PHRASES = [
    "Follow us on Twitter",
    "Sign up for our daily newsletter",
    "Photo credits: Jane Roe",
    "Tags: politics, budget",
    "All rights reserved.",
    "© 2024 Gazette",
    "Síguenos en Twitter",
    "Todos los derechos reservados",
    "Support independent journalism",
]


@pytest.mark.parametrize(
    ("pattern", "branches"),
    [
        ("^a|b", True),
        ("^(?:a|b)c", False),
        ("^[|]a", False),
        (r"^\|a", False),
        ("^[]|]a", False),
        ("^[^]|]a", False),
        (r"^[\]|]a", False),
        ("^[a]|b", True),
        (r"^[\[]|x", True),
    ],
)
def test_an_alternative_at_the_top_of_an_expression_is_found_outside_groups_and_classes(
    pattern: str, branches: bool
) -> None:
    assert _branches_at_top(pattern) is branches


@pytest.mark.parametrize("phrase", SITE_PHRASES)
@pytest.mark.parametrize("where", ["alone", "after a sentence", "inside a sentence", "quoted"])
def test_a_site_line_is_found_as_the_whole_expression_finds_it(phrase: str, where: str) -> None:
    line = {
        "alone": phrase,
        "after a sentence": f"The council met on Monday. {phrase}",
        "inside a sentence": f"She said that {phrase.lower()} was the message.",
        "quoted": f"“{phrase}”",
    }[where]
    whole = not line.lstrip().startswith(("“", '"')) and bool(SITE_LINE.search(line))
    assert is_site_line(line) == whole


@given(
    st.lists(
        st.sampled_from([*SITE_PHRASES, "The council met.", " ", ". ", "—", ":", "x", "\n"]),
        max_size=6,
    ).map("".join)
)
def test_the_two_parts_find_the_sites_words_in_the_lines_the_whole_expression_does(
    line: str,
) -> None:
    parts = SITE_LINE_START.match(line) or SITE_LINE_ANYWHERE.search(line)
    assert bool(parts) == bool(SITE_LINE.search(line))
