"""What a re-capture writes anew around the article's first words is no edit, and what it
credits is: an agency in a dateline (one rule whether the dateline opens prose or is a line of
its own with the page's stamp), a byline naming two people joined by a conjunction in Title Case
("By Jane Doe And John Smith"), a drop cap set apart by the template ("T he president" for "The
president"). Table-driven over the lexicon's six languages, through the comparison the crawl runs
(`compare`, and the version fingerprint)."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.credits import dateline_agencies
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.extract.article import Article
from monitor.lexicon import byline_line
from monitor.record.versions import compare_versions
from tests.test_furniture_edits import STORY, compared, significant

# --- 1. an agency in a dateline: one rule for a dateline opening prose and a stamped one -------
# (language, a dateline opening prose, a line of a dateline and the page's stamp): "{agency}"
# stands for the agency as written, "" for none.
DATELINE_SHAPES = [
    (
        "en",
        "NEW YORK{agency} — Stocks rose on Monday after a long week of losses.",
        "NEW YORK, March 12{agency} - Updated 10:32 GMT",
    ),
    (
        "es",
        "MADRID{agency} - El Gobierno aprobó el plan tras un largo debate.",
        "Madrid{agency} - 12 MAR 2024 - 10:32 CET",
    ),
    (
        "de",
        "BERLIN{agency} - Die Regierung hat den Plan nach langer Debatte gebilligt.",
        "Berlin{agency}, 12.03.2024, 10:32 Uhr",
    ),
    (
        "fr",
        "PARIS{agency} - Le gouvernement a adopté le plan après un long débat.",
        "Paris{agency}, mis à jour le 12/03/2024 à 10h32",
    ),
    (
        "pt",
        "LISBOA{agency} - O governo aprovou o plano depois de um longo debate.",
        "Lisboa{agency}, atualizado em 12/03/2024 às 10h32",
    ),
    (
        "it",
        "ROMA{agency} - Il governo ha approvato il piano dopo un lungo dibattito.",
        "Roma{agency}, aggiornato il 12/03/2024 alle 10:32",
    ),
]
# (language, old agency, new agency, significant kinds)
AGENCIES = [
    # another agency in place of the one named: the credit changed
    ("en", "Reuters", "AP", ["sentence_changed"]),
    ("es", "EFE", "Europa Press", ["sentence_changed"]),
    ("de", "dpa", "AFP", ["sentence_changed"]),
    ("fr", "AFP", "Belga", ["sentence_changed"]),
    ("pt", "Lusa", "ANSA", ["sentence_changed"]),
    ("it", "ANSA", "Adnkronos", ["sentence_changed"]),
    # an agency added, dropped, restyled or written another way: the template's
    ("en", "Reuters", "", []),
    ("en", "", "AP", []),
    ("en", "REUTERS", "Reuters", []),
    ("es", "EP", "Europa Press", []),
    ("es", "Télam", "TELAM", []),
    ("de", "AFP/dpa", "dpa", []),
    ("de", "dpa", "dpa/AFP", []),
    ("de", "Reuters/dpa", "dpa/AFP", []),
    ("it", "ANSA", "", []),
]
CASES = [
    (language, shape, old, new, kinds)
    for language, old, new, kinds in AGENCIES
    for shape_language, *shapes in DATELINE_SHAPES
    if shape_language == language
    for shape in shapes
]


def _with(shape: str, agency: str) -> str:
    return shape.format(agency=f" ({agency})" if agency else "")


@pytest.mark.parametrize(("language", "shape", "old", "new", "kinds"), CASES)
def test_an_agency_in_a_dateline_follows_one_rule_whatever_the_dateline(
    language: str, shape: str, old: str, new: str, kinds: list[str]
) -> None:
    edits = compared(_with(shape, old), _with(shape, new))
    assert significant(edits) == kinds, language
    assert edits, language  # restyled or not, the dateline was written anew


def test_another_agency_says_why() -> None:
    old, new = "NEW YORK, Nov 30 (Reuters) - Stocks rose.", "NEW YORK (AP) — Stocks rose."
    (edit,) = compared(old, new)
    assert edit.significant and "the dateline names another agency" in edit.reasons


@pytest.mark.parametrize(
    ("old", "new", "kinds"),
    [
        # an agency alone opening the paragraph
        ("(CNN)Trump won the vote.", "(Reuters) - Trump won the vote.", ["sentence_changed"]),
        ("(CNN)Trump won the vote.", "Trump won the vote.", []),
        ("(Reuters) - Updated 10:32 GMT", "(AFP) - Updated 11:05 GMT", ["sentence_changed"]),
        ("(dpa/AFP) - 12.03.2024, 10:32 Uhr", "(AFP) - 12.03.2024, 11:47 Uhr", []),
    ],
)  # fmt: skip
def test_an_agency_without_a_place_follows_the_same_rule(
    old: str, new: str, kinds: list[str]
) -> None:
    assert significant(compared(old, new)) == kinds


@pytest.mark.parametrize(
    ("text", "agencies"),
    [
        ("MADRID (EP) -", {"europapress"}),
        ("MADRID (Europa Press) -", {"europapress"}),
        ("BERLIN (AFP/dpa) -", {"afp", "dpa"}),
        ("Buenos Aires (Télam) —", {"telam"}),
        ("NEW YORK —", set()),
    ],
)
def test_a_dateline_names_each_agency_one_way(text: str, agencies: set[str]) -> None:
    assert dateline_agencies(text) == agencies


def test_the_story_re_sourced_from_another_wire_is_reported_beside_the_dateline() -> None:
    old = "NEW YORK (Reuters) - Stocks rose 2 percent on Monday."
    new = "NEW YORK (AP) - Stocks rose 3 percent on Monday."
    assert sorted(significant(compared(old, new))) == ["number", "sentence_changed"]


def test_the_rest_of_the_story_is_compared_as_usual() -> None:
    old = Article(body="\n".join(("MADRID (EFE) - El Gobierno aprobó el plan.", *STORY)))
    new = Article(body="\n".join(("MADRID (EFE) - El Gobierno aprobó el plan.", *STORY[:1])))
    assert significant(compare(old, new)) == ["sentence_removed"]


# --- 2. a byline naming people joined by a conjunction in Title Case stays a byline --------------
def fingerprints(*lines: str) -> set[str]:
    """The version fingerprint of the body each line opens (one: no new version)."""
    return {content_hash("", "", body_paragraphs("\n".join((line, *STORY)))) for line in lines}


# (language, old line, new line): one person replaced
TITLED_BYLINES_OF_PEOPLE = [
    ("en", "By Jane Doe And John Smith", "By Jane Doe And Mary Major"),
    ("en", "By Jane Doe, John Smith And Mary Major", "By Jane Doe, John Smith And Ann Lee"),
    ("en", "By Jane Doe With John Smith", "By Jane Doe With Mary Major"),
    ("en", "By Jane Doe And John Smith | Dec 6, 2022", "By Jane Doe And Mary Major | Dec 6, 2022"),
    ("de", "Von Anna Müller Und Hans Meier", "Von Anna Müller Und Olaf Scholz"),
    ("de", "Von Ursula Von Der Leyen Und Olaf Scholz", "Von Ursula Von Der Leyen Und Hans Meier"),
    ("fr", "Par Jeanne Dupont Et Marie Curie", "Par Jeanne Dupont Et Anne Martin"),
    ("es", "Por María De La Cruz Y Juan Pérez", "Por María De La Cruz Y Ana López"),
    ("pt", "Por João Silva E Maria Souza", "Por João Silva E Ana Costa"),
    ("it", "Di Mario Rossi E Luca Bianchi", "Di Mario Rossi E Anna Verdi"),
]


@pytest.mark.parametrize(("language", "old", "new"), TITLED_BYLINES_OF_PEOPLE)
def test_people_joined_in_title_case_are_a_byline(language: str, old: str, new: str) -> None:
    assert byline_line(old) is not None, language
    assert significant(compared(old, new)) == ["byline"], language


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("By Jane Doe And John Smith", "By Jane Doe and John Smith"),
        ("By Jane Doe And John Smith", "By John Smith And Jane Doe"),
        ("By Jane Doe And John Smith | Dec 6, 2022", "By Jane Doe And John Smith | Dec 7, 2022"),
        ("Von Anna Müller Und Hans Meier", "Von Anna Müller und Hans Meier"),
        ("Par Jeanne Dupont Et Marie Curie", "Par Jeanne Dupont et Marie Curie"),
    ],
)
def test_people_joined_in_title_case_restyled_are_not_significant(old: str, new: str) -> None:
    assert significant(compared(old, new)) == []


# Headings that join words, not people, stay headings: their words are the article's.
HEADINGS_JOINING_WORDS = [
    ("en", "By The Numbers", "By The Figures"),
    ("en", "By Land And Sea", "By Land And Air"),
    ("en", "By The Numbers And The Figures", "By The Numbers And The Facts"),
    ("en", "By Sea And Air Power", "By Sea And Land Power"),
    ("de", "Von Brüssel Und Berlin", "Von Brüssel Und Paris"),
    ("de", "Von Brüssel Nach Berlin Und Paris", "Von Brüssel Nach Berlin Und Rom"),
    ("fr", "Par Amour Et Pour La France", "Par Amour Et Pour L'Europe"),
]


@pytest.mark.parametrize(("language", "old", "new"), HEADINGS_JOINING_WORDS)
def test_a_heading_joining_words_stays_a_heading(language: str, old: str, new: str) -> None:
    assert byline_line(old) is None, language
    kinds = significant(compared(old, new))
    assert kinds and "byline" not in kinds, language
    assert len(fingerprints(old, new)) == 2, language


# --- 3. a drop cap: the first letter set apart by the template is the same word ---------------
# (language, the paragraph with its first letter set apart, as another capture reads it)
DROP_CAPS = [
    ("en", "T he president signed the bill on Monday.", "The president signed the bill on Monday."),
    ("en", "“T he end is near,” he said.", "“The end is near,” he said."),
    (
        "en",
        "W ASHINGTON — The president signed the bill.",
        "WASHINGTON — The president signed the bill.",
    ),
    (
        "en",
        "A fter the vote, the council met after dark.",
        "After the vote, the council met after dark.",
    ),
    ("en", "I t was late, and it was cold.", "It was late, and it was cold."),
    ("de", "N a endlich! Die Brücke ist fertig.", "Na endlich! Die Brücke ist fertig."),
    (
        "de",
        "Ü ber die Brücke fahren nun täglich 3000 Autos über den Fluss.",
        "Über die Brücke fahren nun täglich 3000 Autos über den Fluss.",
    ),
    ("es", "E l Gobierno aprobó el plan el lunes.", "El Gobierno aprobó el plan el lunes."),
    ("fr", "L e gouvernement a adopté le plan lundi.", "Le gouvernement a adopté le plan lundi."),
    (
        "pt",
        "E m Lisboa, o governo aprovou o plano em março.",
        "Em Lisboa, o governo aprovou o plano em março.",
    ),
    ("it", "I l governo ha approvato il piano lunedì.", "Il governo ha approvato il piano lunedì."),
]


@pytest.mark.parametrize(("language", "apart", "joined"), DROP_CAPS)
def test_a_drop_cap_across_a_re_capture_is_no_edit(language: str, apart: str, joined: str) -> None:
    assert compared(apart, joined) == [], language
    assert compared(joined, apart) == [], language
    old = Article(body="\n".join((apart, *STORY)))
    new = Article(body="\n".join((joined, *STORY)))
    assert compare_versions(old, new).rehash, language  # no new version: the latest is re-hashed


@pytest.mark.parametrize(
    ("apart", "joined", "kinds"),
    [
        # the words after the drop cap edited: reported as ever
        ("T he president signed the bill.", "The president vetoed the bill.", ["sentence_changed"]),
        ("T he council approved 12 bills.", "The council approved 14 bills.", ["number"]),
    ],
)
def test_an_edit_beside_a_drop_cap_is_still_found(
    apart: str, joined: str, kinds: list[str]
) -> None:
    edits = compared(apart, joined)
    assert significant(edits) == kinds
    assert all("T he" not in edit.old for edit in edits)


# A drop cap whose paragraph's second word is edited: the paragraph is the same one (its first
# word joined and its words after the second agree); the edit reads the words, not "T he".
# (language, the paragraph with its drop cap, the other capture's, old word → new word)
DROP_CAPS_SECOND_WORD_EDITED = [
    (
        "en",
        "T he president signed the bill on Monday.",
        "The governor signed the bill on Monday.",
        ("president", "governor"),
    ),
    (
        "es",
        "E l presidente firmó la ley el lunes por la tarde.",
        "El gobernador firmó la ley el lunes por la tarde.",
        ("presidente", "gobernador"),
    ),
    (
        "de",
        "D er Bürgermeister unterschrieb das Gesetz am Montag.",
        "Der Landrat unterschrieb das Gesetz am Montag.",
        ("Bürgermeister", "Landrat"),
    ),
    (
        "fr",
        "L e président a signé la loi lundi soir.",
        "Le ministre a signé la loi lundi soir.",
        ("président", "ministre"),
    ),
    (
        "it",
        "I l presidente ha firmato il decreto lunedì sera.",
        "Il sindaco ha firmato il decreto lunedì sera.",
        ("presidente", "sindaco"),
    ),
]


@pytest.mark.parametrize(("language", "apart", "other", "words"), DROP_CAPS_SECOND_WORD_EDITED)
def test_a_drop_cap_beside_an_edited_second_word_is_joined(
    language: str, apart: str, other: str, words: tuple[str, str]
) -> None:
    for old, new, (old_word, new_word) in ((apart, other, words), (other, apart, words[::-1])):
        edits = [edit for edit in compared(old, new) if edit.significant]
        assert [(edit.old, edit.new) for edit in edits] == [(old_word, new_word)], language


# A drop cap on a line of a dateline and the page's stamp: joined, the line is the dateline
# ("M adrid - 12 MAR 2024 - 10:32 CET" is "Madrid —"): re-stamped, no edit; another place, the
# dateline's edit. (language, the line with its drop cap, re-stamped, another place re-stamped,
# the two datelines as compared)
STAMPED_DROP_CAPS = [
    (
        "en",
        "L ONDON, March 12 (Reuters) - Updated 10:32 GMT",
        "LONDON, March 12 (Reuters) - Updated 11:05 GMT",
        "PARIS, March 12 (Reuters) - Updated 11:05 GMT",
        ("LONDON (Reuters) —", "PARIS (Reuters) —"),
    ),
    (
        "es",
        "M adrid - 12 MAR 2024 - 10:32 CET",
        "Madrid - 12 MAR 2024 - 10:58 CET",
        "Sevilla - 12 MAR 2024 - 10:58 CET",
        ("Madrid —", "Sevilla —"),
    ),
    (
        "de",
        "B erlin, 12.03.2024, 10:32 Uhr",
        "Berlin, 12.03.2024, 11:15 Uhr",
        "Hamburg, 12.03.2024, 11:15 Uhr",
        ("Berlin —", "Hamburg —"),
    ),
    (
        "fr",
        "P aris, mis à jour le 12/03/2024 à 10h32",
        "Paris, mis à jour le 12/03/2024 à 11h05",
        "Lyon, mis à jour le 12/03/2024 à 11h05",
        ("Paris —", "Lyon —"),
    ),
    (
        "pt",
        "L isboa, 12/03/2024 10:32",
        "Lisboa, 12/03/2024 11:05",
        "Porto, 12/03/2024 11:05",
        ("Lisboa —", "Porto —"),
    ),
    (
        "it",
        "R oma, 12/03/2024 10:32",
        "Roma, 12/03/2024 11:05",
        "Milano, 12/03/2024 11:05",
        ("Roma —", "Milano —"),
    ),
]


@pytest.mark.parametrize(
    ("language", "apart", "restamped", "moved", "datelines"), STAMPED_DROP_CAPS
)
def test_a_drop_cap_on_a_stamped_dateline_is_joined(
    language: str, apart: str, restamped: str, moved: str, datelines: tuple[str, str]
) -> None:
    assert compared(apart, restamped) == [], language
    assert compared(restamped, apart) == [], language
    old = Article(body="\n".join((apart, *STORY)))
    new = Article(body="\n".join((restamped, *STORY)))
    assert compare_versions(old, new).rehash, language  # no new version: the latest is re-hashed
    for old_line, new_line, pair in ((apart, moved, datelines), (moved, apart, datelines[::-1])):
        edits = compared(old_line, new_line)
        assert [(edit.kind, edit.old, edit.new) for edit in edits if edit.significant] == [
            ("sentence_changed", *pair)
        ], language


# A letter that is a word of its own is no drop cap: "A man" is not "Aman".
ONE_LETTER_WORDS_KEPT = [
    ("en", "A man was arrested on Monday.", "Aman was arrested on Monday."),
    ("en", "I am not leaving, the mayor said.", "Iam not leaving, the mayor said."),
    ("en", "A MAN WAS ARRESTED", "AMAN WAS ARRESTED"),
    ("es", "Y ahora el Gobierno aprobó el plan.", "Yahora el Gobierno aprobó el plan."),
    ("es", "A Madrid llegó el lunes.", "AMadrid llegó el lunes."),
    (
        "fr",
        "À Paris, le gouvernement a adopté le plan.",
        "ÀParis, le gouvernement a adopté le plan.",
    ),
    ("pt", "E o governo aprovou o plano.", "Eo governo aprovou o plano."),
    ("it", "E poi il governo ha approvato il piano.", "Epoi il governo ha approvato il piano."),
    ("it", "I ministri hanno approvato il piano.", "Iministri hanno approvato il piano."),
]


@pytest.mark.parametrize(("language", "words", "glued"), ONE_LETTER_WORDS_KEPT)
def test_a_one_letter_word_is_not_glued_to_the_next(language: str, words: str, glued: str) -> None:
    assert compared(words, glued) != [], language
    assert compared(glued, words) != [], language
    old = Article(body="\n".join((words, *STORY)))
    new = Article(body="\n".join((glued, *STORY)))
    assert not compare_versions(old, new).rehash, language


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a letter apart inside a paragraph, or a paragraph the other side does not open with
        ("The vote: T he end.", "The vote: The end."),
        ("T he president signed it.", "Then the president signed it."),
        (
            "T cells attack the virus, the study found.",
            "The cells attack the virus, the study found.",
        ),
        # the letter apart on both sides: as it was
        ("T he president signed the bill.", "T he president vetoed the bill."),
    ],
)
def test_only_a_paragraph_s_first_word_the_other_side_has_is_joined(old: str, new: str) -> None:
    assert compared(old, new) != []


def test_a_long_paragraph_opening_with_a_letter_apart_is_read_once() -> None:
    """A 90 KB paragraph of words after a letter apart: each expression reads it once."""
    apart, joined = "T " + "he " * 30_000, "The " + "he " * 29_999
    assert compared(apart + "3 dead", joined + "3 dead") == []
    assert "number" in significant(compared(apart + "3 dead", joined + "5 dead"))
