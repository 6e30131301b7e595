"""A line the site stamps anew is furniture only where the stamp is all that changed: a dateline
with the page's stamp ("Madrid - 12 MAR 2024 - 10:32 CET"), a heading that opens like a byline
("By The Numbers"), a byline glued to a quotation ("By Jane Doe | “We will rebuild”"). Its place,
agency, people, quotation and prose stay the article's. Table-driven over the lexicon's six
languages, through the comparison the crawl runs (`compare`, and the version fingerprint) and,
for a few pages, through `redline compare OLD.html NEW.html`."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.compare.comparison import compare
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.extract.article import Article
from monitor.lexicon import byline_line, stamped_dateline
from tests.test_furniture_edits import STORY, compare_command, compared, significant


def fingerprints(*lines: str) -> set[str]:
    """The version fingerprint of the body each line opens (one: no new version)."""
    return {content_hash("", "", body_paragraphs("\n".join((line, *STORY)))) for line in lines}


# --- 1. a dateline with the page's stamp: the stamp is the page's -----------------------------
RESTAMPED_DATELINES = [
    # (language, old line, new line): only the date, time, zone or "Updated" label changed
    (
        "en",
        "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
        "LONDON, March 12 (Reuters) - Updated 11:05 GMT",
    ),
    ("en", "LONDON, March 12 (Reuters)", "LONDON, March 12 (Reuters) - Updated 11:05 GMT"),
    (
        "en",
        "NEW YORK, March 12 (AP) — Updated 10:32 a.m. EDT",
        "NEW YORK, March 13 (AP) — Updated 9:15 a.m. EDT",
    ),
    ("en", "Washington, March 12, 2024, 10:32 a.m. ET", "Washington, March 12, 2024, 1:05 p.m. ET"),
    ("en", "Updated 10:32 GMT - London", "Updated 11:05 GMT - London"),
    ("en", "(Reuters) - Updated 10:32 GMT", "(Reuters) - Updated 11:05 GMT"),
    ("es", "Madrid - 12 MAR 2024 - 10:32 CET", "Madrid - 12 MAR 2024 - 11:05 CET"),
    ("es", "Actualizado: 12/03/2024 10:32 - Madrid", "Actualizado: 12/03/2024 11:05 - Madrid"),
    ("es", "Madrid, 12 de marzo de 2024, 10:32 CET", "Madrid, 12 de marzo de 2024, 11:05 CET"),
    (
        "es",
        "Barcelona, actualizado el 12/03/2024 a las 10:32",
        "Barcelona, actualizado el 13/03/2024 a las 09:15",
    ),
    ("de", "Berlin, 12.03.2024, 10:32 Uhr", "Berlin, 12.03.2024, 11:47 Uhr"),
    (
        "de",
        "Aktualisiert am 12.03.2024, 10:32 Uhr - Berlin",
        "Aktualisiert am 12.03.2024, 11:47 Uhr - Berlin",
    ),
    (
        "de",
        "Frankfurt am Main (dpa) - 12.03.2024, 10:32 Uhr",
        "Frankfurt am Main (dpa) - 12.03.2024, 11:47 Uhr",
    ),
    ("fr", "Paris, mis à jour le 12/03/2024 à 10h32", "Paris, mis à jour le 12/03/2024 à 11h05"),
    (
        "fr",
        "Mis à jour le 12 mars 2024 à 10h32 - Paris",
        "Mis à jour le 12 mars 2024 à 11h05 - Paris",
    ),
    (
        "pt",
        "Lisboa, atualizado em 12/03/2024 às 10h32",
        "Lisboa, atualizado em 12/03/2024 às 11h05",
    ),
    (
        "pt",
        "Atualizado em 12/03/2024 às 10h32 - Rio de Janeiro",
        "Atualizado em 12/03/2024 às 11h05 - Rio de Janeiro",
    ),
    (
        "it",
        "Roma, aggiornato il 12/03/2024 alle 10:32",
        "Roma, aggiornato il 12/03/2024 alle 11:05",
    ),
    (
        "it",
        "Aggiornato il 12 marzo 2024 alle 10:32 - Milano",
        "Aggiornato il 12 marzo 2024 alle 11:05 - Milano",
    ),
    (
        "it",
        "MILANO, 12 marzo (ANSA) - Aggiornato alle 10:32",
        "MILANO, 12 marzo (ANSA) - Aggiornato alle 11:05",
    ),
]


@pytest.mark.parametrize(("language", "old", "new"), RESTAMPED_DATELINES)
def test_a_dateline_stamped_anew_is_no_edit_and_no_new_version(
    language: str, old: str, new: str
) -> None:
    assert compared(old, new) == [], language
    assert len(fingerprints(old, new)) == 1, language


# (language, old line, new line, the significant kind): the place, the agency or the words
# beside the stamp are the article's
DATELINES_EDITED = [
    (
        "en",
        "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
        "PARIS, March 12 (Reuters) - Updated 10:32 GMT",
        "sentence_changed",
    ),
    (
        "en",
        "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
        "LONDON, March 12 (AFP) - Updated 11:05 GMT",
        "sentence_changed",
    ),
    ("en", "(Reuters) - Updated 10:32 GMT", "(AFP) - Updated 10:32 GMT", "sentence_changed"),
    (
        "es",
        "Madrid - 12 MAR 2024 - 10:32 CET",
        "Barcelona - 12 MAR 2024 - 11:05 CET",
        "sentence_changed",
    ),
    (
        "es",
        "Actualizado: 12/03/2024 10:32 - Madrid",
        "Actualizado: 12/03/2024 11:05 - Sevilla",
        "sentence_changed",
    ),
    ("de", "Berlin, 12.03.2024, 10:32 Uhr", "Hamburg, 12.03.2024, 11:47 Uhr", "sentence_changed"),
    (
        "fr",
        "Paris, mis à jour le 12/03/2024 à 10h32",
        "Lyon, mis à jour le 12/03/2024 à 11h05",
        "sentence_changed",
    ),
    (
        "pt",
        "Lisboa, atualizado em 12/03/2024 às 10h32",
        "Porto, atualizado em 12/03/2024 às 10h32",
        "sentence_changed",
    ),
    (
        "it",
        "MILANO, 12 marzo (ANSA) - Aggiornato alle 10:32",
        "MILANO, 12 marzo (Adnkronos) - Aggiornato alle 10:32",
        "sentence_changed",
    ),
    # prose after the dateline: its figures and names
    (
        "en",
        "LONDON, March 12 (Reuters) - The Bank of England raised rates by 0.25 points.",
        "LONDON, March 12 (Reuters) - The Bank of England raised rates by 0.5 points.",
        "number",
    ),
    (
        "en",
        "LONDON, March 12 (Reuters) - The Bank of England raised rates.",
        "LONDON, March 12 (Reuters) - The Bank of Canada raised rates.",
        "name",
    ),
    (
        "de",
        "Berlin, 12.03.2024, 10:32 Uhr - Die Polizei nahm 3 Männer fest",
        "Berlin, 12.03.2024, 10:32 Uhr - Die Polizei nahm 4 Männer fest",
        "number",
    ),
    # a figure beside the stamp that is no date or time
    (
        "es",
        "Madrid - 12 MAR 2024 - 10:32 CET - 3 muertos",
        "Madrid - 12 MAR 2024 - 10:32 CET - 5 muertos",
        "number",
    ),
    (
        "it",
        "Roma, aggiornato il 12/03/2024 alle 10:32 - 2-1",
        "Roma, aggiornato il 12/03/2024 alle 10:32 - 2-2",
        "number",
    ),
]


@pytest.mark.parametrize(("language", "old", "new", "kind"), DATELINES_EDITED)
def test_a_dateline_s_place_agency_or_prose_changed_is_reported(
    language: str, old: str, new: str, kind: str
) -> None:
    assert significant(compared(old, new)) == [kind], language
    assert len(fingerprints(old, new)) == 2, language


@pytest.mark.parametrize(
    "line",
    [
        "LONDON, March 12 (Reuters)",
        "Berlin, 12.03.2024, 10:32 Uhr",
        "Actualizado: 12/03/2024 10:32 - Madrid",
    ],
)
def test_a_stamped_dateline_on_one_side_only_is_not_significant(line: str) -> None:
    assert significant(compared(line, "")) == []
    assert significant(compared("", line)) == []


@pytest.mark.parametrize(
    "line",
    [
        # a date that may be the article's: a place in ordinary case without a time or a label
        "Paris, 3 March",
        "Elections - 12 March 2024",
        # a stamp alone, or a stamp's word where the place would be
        "Monday, 12 March 2024, 10:32",
        "Updated 10:32 - 2-1",
        # two places
        "Madrid, 12/03/2024 10:32 - Barcelona",
    ],
)
def test_a_line_that_is_no_place_and_stamp_is_left_as_it_is(line: str) -> None:
    assert stamped_dateline(line) is None


# --- 2. a heading that opens like a byline is the article's -------------------------------------
HEADINGS_OPENING_LIKE_A_BYLINE = [
    ("en", "By The Numbers", "By The Figures"),
    ("en", "By Land And Sea", "By Land And Air"),
    ("en", "Budget Talks Resume In Brussels", "Budget Talks Resume In Luxembourg"),
    (
        "en",
        "By Jane Doe | Budget Talks Resume In Brussels",
        "By Jane Doe | Budget Talks Resume In Luxembourg",
    ),
    ("de", "Von Brüssel Nach Berlin", "Von Brüssel Nach Paris"),
    ("es", "Por Qué Sube El Pan", "Por Qué Sube La Leche"),
    ("fr", "Par Amour Pour La France", "Par Amour Pour L'Europe"),
    ("pt", "Por Dentro Da Crise Em Brasília", "Por Dentro Da Crise Em Lisboa"),
    ("it", "Di Corsa Verso Il Voto", "Di Corsa Verso Il Ballottaggio"),
]


@pytest.mark.parametrize(("language", "old", "new"), HEADINGS_OPENING_LIKE_A_BYLINE)
def test_a_title_case_heading_is_no_byline(language: str, old: str, new: str) -> None:
    kinds = significant(compared(old, new))
    assert kinds and "byline" not in kinds, language
    assert len(fingerprints(old, new)) == 2, language


# Real bylines stay bylines: their people compared, their stamp the page's.
BYLINES_KEPT = [
    ("en", "By Jane Doe", "By John Smith"),
    ("en", "By Jane Doe for The Times", "By John Smith for The Times"),
    (
        "en",
        "By Jane Doe, City Hall Reporter | Dec 6, 2022",
        "By John Smith, City Hall Reporter | Dec 6, 2022",
    ),
    ("en", "By The Associated Press | Dec 6, 2022", "By Jane Doe | Dec 6, 2022"),
    ("en", "BY JANE DOE AND JOHN SMITH", "BY JANE DOE AND MARY MAJOR"),
    ("en", "By A. J. Smith | Dec 6, 2022", "By A. J. Smyth | Dec 6, 2022"),
    ("de", "Von Anna Müller", "Von Hans Meier"),
    ("de", "Von Ursula Von Der Leyen | 06.12.2022", "Von Olaf Scholz | 06.12.2022"),
    ("es", "Por María García y Juan Pérez", "Por María García y Ana López"),
    ("es", "Por María De La Cruz | 3 de marzo de 2020", "Por Ana De La Cruz | 3 de marzo de 2020"),
    ("fr", "Par Jeanne Dupont et la rédaction", "Par Marie Curie et la rédaction"),
    ("pt", "Por João Silva, correspondente em Lisboa", "Por Maria Souza, correspondente em Lisboa"),
    ("it", "Di Mario Rossi e Luca Bianchi", "Di Mario Rossi e Anna Verdi"),
]


@pytest.mark.parametrize(("language", "old", "new"), BYLINES_KEPT)
def test_a_byline_s_person_changed_is_still_a_byline_edit(
    language: str, old: str, new: str
) -> None:
    assert byline_line(old) is not None, language
    assert significant(compared(old, new)) == ["byline"], language


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("By The Associated Press | Dec 6, 2022", "By The Associated Press | Dec 7, 2022"),
        ("Por María De La Cruz | 3 de marzo de 2020", "Por María De La Cruz | 4 de marzo de 2020"),
        ("BY JANE DOE AND JOHN SMITH | DEC 6, 2022", "BY JANE DOE AND JOHN SMITH | DEC 7, 2022"),
    ],
)
def test_a_byline_s_stamp_stays_the_page_s(old: str, new: str) -> None:
    assert compared(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Jane Doe", "Jane Doe, City Hall Reporter"),
        ("Jane Doe, City Hall Reporter", "By Jane Doe; City Hall Reporter"),
    ],
)
def test_a_byline_field_with_a_role_is_the_same_person(old: str, new: str) -> None:
    edits = compare(
        Article(byline=old, body="\n".join(STORY)), Article(byline=new, body="\n".join(STORY))
    )
    assert edits and significant(edits) == []


def test_a_byline_field_naming_another_person_is_a_byline_edit() -> None:
    old = Article(byline="Jane Doe, City Hall Reporter", body="\n".join(STORY))
    new = Article(byline="John Smith, City Hall Reporter", body="\n".join(STORY))
    assert significant(compare(old, new)) == ["byline"]


# --- 3. a byline glued to a quotation or a teaser: the quotation is the article's --------------
QUOTES_AFTER_A_BYLINE = [
    ("en", "By Jane Doe | “We will rebuild”", "By Jane Doe | “We will rebuild the town”"),
    (
        "de",
        "Von Anna Müller | „Wir bauen wieder auf“",
        "Von Anna Müller | „Wir bauen die Stadt wieder auf“",
    ),
    (
        "fr",
        "Par Jeanne Dupont | « Nous reconstruirons »",
        "Par Jeanne Dupont | « Nous reconstruirons la ville »",
    ),
    (
        "es",
        "Por Juan Pérez | «Vamos a reconstruir»",
        "Por Juan Pérez | «Vamos a reconstruir el pueblo»",
    ),
    ("pt", "Por João Silva · “Vamos reconstruir”", "Por João Silva · “Vamos reconstruir a cidade”"),
    ("it", "Di Mario Rossi | «Ricostruiremo»", "Di Mario Rossi | «Ricostruiremo la città»"),
    (
        "en",
        "By Jane Doe | Dec 6, 2022 | “We will rebuild”",
        "By Jane Doe | Dec 7, 2022 | “We will rebuild the town”",
    ),
]


@pytest.mark.parametrize(("language", "old", "new"), QUOTES_AFTER_A_BYLINE)
def test_a_quotation_after_a_byline_reworded_is_a_quote_edit(
    language: str, old: str, new: str
) -> None:
    assert significant(compared(old, new)) == ["quote"], language


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("By Jane Doe | “We will rebuild”", 'By Jane Doe | "We will rebuild"'),
        ("By Jane Doe | “We will rebuild”", "By Jane Doe | «We will rebuild»"),
        ("Von Anna Müller | „Wir bauen wieder auf“", "Von Anna Müller | »Wir bauen wieder auf«"),
        (
            "Par Jeanne Dupont | « Nous reconstruirons »",
            "Par Jeanne Dupont | “Nous reconstruirons”",
        ),
        (
            "By Jane Doe | Dec 6, 2022 | “We will rebuild”",
            "By Jane Doe | Dec 7, 2022 | «We will rebuild»",
        ),
    ],
)
def test_a_quotation_after_a_byline_restyled_is_not_significant(old: str, new: str) -> None:
    assert significant(compared(old, new)) == []
    assert len(fingerprints(old, new)) == 1


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("By Jane Doe | “We will rebuild”", "By John Smith | “We will rebuild”", "byline"),
        (
            "By Jane Doe | Read the full story of the floods",
            "By Jane Doe | Read the full story of the fires",
            "sentence_changed",
        ),
    ],
)
def test_the_people_and_the_teaser_of_a_glued_byline_are_compared_apart(
    old: str, new: str, kind: str
) -> None:
    assert significant(compared(old, new)) == [kind]


# --- through `redline compare`, the crawl's own path ------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "language"),
    [
        ("Madrid - 12 MAR 2024 - 10:32 CET", "Madrid - 12 MAR 2024 - 11:05 CET", "es"),
        (
            "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
            "LONDON, March 12 (Reuters) - Updated 11:05 GMT",
            "en",
        ),
        ("By Jane Doe | “We will rebuild”", "By Jane Doe | «We will rebuild»", "en"),
    ],
)
def test_redline_compare_stays_quiet_on_a_restamped_line(
    tmp_path: Path, old: str, new: str, language: str
) -> None:
    edits = compare_command(tmp_path, old, new, language)["edits"]
    assert isinstance(edits, list)
    assert [edit for edit in edits if edit["significant"]] == []


@pytest.mark.parametrize(
    ("old", "new", "language", "kind"),
    [
        (
            "Madrid - 12 MAR 2024 - 10:32 CET",
            "Barcelona - 12 MAR 2024 - 10:32 CET",
            "es",
            "sentence_changed",
        ),
        (
            "LONDON, March 12 (Reuters) - Updated 10:32 GMT",
            "PARIS, March 12 (Reuters) - Updated 10:32 GMT",
            "en",
            "sentence_changed",
        ),
        ("Von Brüssel Nach Berlin", "Von Brüssel Nach Paris", "de", "name"),
    ],
)
def test_redline_compare_reports_what_a_restamped_line_carries(
    tmp_path: Path, old: str, new: str, language: str, kind: str
) -> None:
    edits = compare_command(tmp_path, old, new, language)["edits"]
    assert isinstance(edits, list)
    assert kind in [edit["kind"] for edit in edits if edit["significant"]]


# --- every expression reads a long line once -------------------------------------------------
LONG_LINES = [
    "Madrid - " * 8_000 + "12 MAR 2024 - 10:32 CET",
    "12/03/2024 10:32 - " * 4_000 + "Madrid",
    "LONDON, March 12 (Reuters) - Updated " + "10:32 GMT " * 7_000,
    "Actualizado: " + "12 de marzo de " * 5_000 + "2024 - Madrid",
    "By Jane Doe | " + "“We will rebuild” | " * 4_000,
    "By " + "The Numbers And " * 5_000,
    "Berlin, " * 10_000 + "12.03.2024, 10:32 Uhr",
]


@pytest.mark.parametrize("line", LONG_LINES, ids=lambda line: line[:20])
def test_a_long_adversarial_line_is_compared_as_text(line: str) -> None:
    """A line of 60-80 KB that repeats a stamp, a place or a byline's words is the article's text
    (no dateline or byline is that long), and each expression reads it once: a quadratic one
    takes minutes here (bench.pathological measures the time)."""
    assert len(line) > 60_000
    assert stamped_dateline(line) is None
    assert byline_line(line) is None
    assert len(fingerprints(line + " 3 dead", line + " 5 dead")) == 2
    assert "number" in significant(compared(line + " 3 dead", line + " 5 dead"))
