"""Page furniture never hides the article's words: a line the comparison ignores as the page's
(a byline's stamp, "Updated 3 hours ago", "an hour ago") carries no name, no figure and no note
that the newsroom wrote. Table-driven over the lexicon's six languages, through the comparison
the crawl runs and, for a few pages, through `redline compare OLD.html NEW.html`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.compare.comparison import compare
from monitor.compare.edit import Edit
from monitor.compare.normalize import body_paragraphs, content_hash, is_noise_paragraph
from monitor.compare.sitememory import furniture_lines, line_key, weigh_site_furniture
from monitor.extract.article import Article

STORY = (
    "The council approved the new budget on Monday after a long debate.",
    "The opposition said the plan would raise local taxes for most families.",
)


def compared(old_line: str, new_line: str) -> list[Edit]:
    """The edits between two bodies that differ by one line before the story ("" for none)."""
    old = "\n".join(line for line in (old_line, *STORY) if line)
    new = "\n".join(line for line in (new_line, *STORY) if line)
    return compare(Article(body=old), Article(body=new))


def significant(edits: list[Edit]) -> list[str]:
    return [edit.kind for edit in edits if edit.significant]


# --- 1. a byline line: its people are the article's, its stamp and counters the page's --------
BYLINE_NAME_CHANGES = [
    ("Von Anna Müller | 06.12.2022", "Von Hans Meier | 06.12.2022"),
    ("By Jane Doe | Dec 6, 2022", "By John Smith | Dec 6, 2022"),
    ("By: Jane Doe | Dec 6, 2022", "By: John Smith | Dec 6, 2022"),
    (
        "By Jane Doe / March 3, 2020 / Leave a comment",
        "By Jane Roe / March 3, 2020 / Leave a comment",
    ),
    ("Par Jeanne Dupont | 3 mars 2020", "Par Marie Curie | 3 mars 2020"),
    ("Por Juan Pérez | 3 de marzo de 2020", "Por Ana García | 3 de marzo de 2020"),
    ("Por João Silva · 03/03/2020", "Por Maria Souza · 03/03/2020"),
    ("Di Mario Rossi | 3 marzo 2020", "Di Luca Bianchi | 3 marzo 2020"),
    ("11/19/2019 by Jane Doe", "11/19/2019 by John Smith"),
    ("2019-11-19 | By Jane Doe; Staff Reporter", "2019-11-19 | By John Smith; Staff Reporter"),
    ("Posted 3 days ago by John Smith", "Posted 3 days ago by Jane Doe"),
    ("Von Anna Müller, 06.12.2022", "Von Hans Meier, 06.12.2022"),
    # a place beside the date is the line's words, not its stamp
    ("Von Anna Müller | Berlin, 06.12.2022", "Von Anna Müller | Hamburg, 06.12.2022"),
    # a person added, or a name's spelling corrected
    ("By Jane Doe | Dec 6, 2022", "By Jane Doe and John Smith | Dec 6, 2022"),
    ("Par Jeanne Dupond | 3 mars 2020", "Par Jeanne Dupont | 3 mars 2020"),
    # other shapes: a dash before the stamp, a title, a middle initial, two authors, a role
    ("Von Anna Müller – 06.12.2022", "Von Hans Meier – 06.12.2022"),
    ("By Jane Doe — Dec 6, 2022", "By John Smith — Dec 6, 2022"),
    ("Von Prof. Anna Müller | 06.12.2022", "Von Prof. Hans Meier | 06.12.2022"),
    ("By Jane Q. Doe | Dec 6, 2022", "By Jane R. Doe | Dec 6, 2022"),
    ("Von Anna Müller und Hans Meier | 06.12.2022", "Von Anna Müller und Eva Schulz | 06.12.2022"),
    ("By Jane Doe and John Smith | Dec 6, 2022", "By Jane Doe and Mary Major | Dec 6, 2022"),
    ("By Jane Doe, Staff Reporter | Dec 6, 2022", "By John Smith, Staff Reporter | Dec 6, 2022"),
    ("Von Ursula von der Leyen | 06.12.2022", "Von Olaf Scholz | 06.12.2022"),
    (
        "Por Juan Pérez, corresponsal en Bogotá | 3 de marzo de 2020",
        "Por Ana García, corresponsal en Bogotá | 3 de marzo de 2020",
    ),
    ("By Mohammed al-Hassan | Dec 6, 2022", "By Ahmed el-Sayed | Dec 6, 2022"),
]


@pytest.mark.parametrize(("old", "new"), BYLINE_NAME_CHANGES)
def test_a_name_changed_in_a_byline_line_is_a_byline_edit(old: str, new: str) -> None:
    assert significant(compared(old, new)) == ["byline"]


BYLINE_STAMP_CHANGES = [
    ("Von Anna Müller | 06.12.2022", "Von Anna Müller | 07.12.2022"),
    ("By Jane Doe | Dec 6, 2022", "By Jane Doe | Dec 7, 2022"),
    ("By Jane Doe / March 3, 2020 / 3 Comments", "By Jane Doe / March 3, 2020 / 4 Comments"),
    ("Par Jeanne Dupont | 3 mars 2020", "Par Jeanne Dupont | 4 mars 2020"),
    ("Por Juan Pérez | 3 de marzo de 2020", "Por Juan Pérez | 4 de marzo de 2020"),
    ("Por João Silva · 03/03/2020", "Por João Silva · 04/03/2020"),
    ("Di Mario Rossi | 3 marzo 2020", "Di Mario Rossi | 4 marzo 2020"),
    ("11/19/2019 by Jane Doe", "11/20/2019 by Jane Doe"),
    ("Posted 3 days ago by John Smith", "Posted 4 days ago by John Smith"),
    ("Posted an hour ago by John Smith", "Posted 2 hours ago by John Smith"),
    ("Von Anna Müller, 06.12.2022", "Von Anna Müller, 07.12.2022"),
    ("Von Anna Müller | Berlin, 06.12.2022", "Von Anna Müller | Berlin, 07.12.2022"),
    ("By Jane Doe on March 3, 2020", "By Jane Doe on March 4, 2020"),
    ("Von Anna Müller am 06.12.2022 um 10:32 Uhr", "Von Anna Müller am 06.12.2022 um 11:05 Uhr"),
    # a dash before the stamp, as many templates print it
    ("By Jane Doe — Dec 6, 2022", "By Jane Doe — Dec 7, 2022"),
    ("By Jane Doe - Dec 6, 2022", "By Jane Doe - Dec 7, 2022"),
    ("Von Anna Müller – 06.12.2022", "Von Anna Müller – 07.12.2022"),
    ("Von Prof. Anna Müller | 06.12.2022", "Von Prof. Anna Müller | 07.12.2022"),
    ("Par Jeanne Dupont, il y a 3 heures", "Par Jeanne Dupont, il y a une heure"),
    (
        "Di Mario Rossi, inviato a Kiev | 3 marzo 2020",
        "Di Mario Rossi, inviato a Kiev | 4 marzo 2020",
    ),
]


@pytest.mark.parametrize(("old", "new"), BYLINE_STAMP_CHANGES)
def test_only_the_stamp_of_a_byline_line_changed_is_no_edit(old: str, new: str) -> None:
    assert compared(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("By Jane Doe", "By Jane Doe, Staff Reporter"),
        ("Von Anna Müller | 06.12.2022", "VON ANNA MÜLLER | 06.12.2022"),
        ("Par Jeanne Dupont | 3 mars 2020", "Par Jeanne Dupont et la rédaction | 3 mars 2020"),
    ],
)
def test_a_byline_line_naming_the_same_people_anew_is_cosmetic(old: str, new: str) -> None:
    edits = compared(old, new)
    assert edits and significant(edits) == []


@pytest.mark.parametrize(
    "line", ["Von Anna Müller | 06.12.2022", "Par Jeanne Dupont | 3 mars 2020", "By Jane Doe"]
)
def test_a_byline_line_on_one_side_only_is_not_significant(line: str) -> None:
    assert significant(compared(line, "")) == []
    assert significant(compared("", line)) == []


# A line that opens with a byline's word and a capital is often the article's own: a heading, a
# sentence, an Italian surname ("Di Maio"). Its date, figure or words changed stay an edit of the
# article and change its fingerprint (a new version), never a byline edit or nothing.
SENTENCES_OPENING_LIKE_A_BYLINE = [
    ("Von Berlin nach Hamburg am 6. Mai", "Von Berlin nach Hamburg am 7. Mai"),
    ("Di Maio si dimette il 3 marzo", "Di Maio si dimette il 4 marzo"),
    ("By Friday, 40 people had died", "By Friday, 40 people had died in the floods"),
    ("By Friday, 40 people had died", "By Friday, 45 people had died"),
    ("By Monday, the news agency counted 40 dead", "By Monday, the news agency counted 45 dead"),
    (
        "Von Januar bis März stiegen die Preise um 3 Prozent",
        "Von Januar bis März stiegen die Preise um 5 Prozent",
    ),
    ("Di Maio lascia il governo", "Di Maio lascia il governo dopo 4 anni"),
    ("Von Berlin nach Hamburg", "Von Berlin nach München"),
]


@pytest.mark.parametrize(("old", "new"), SENTENCES_OPENING_LIKE_A_BYLINE)
def test_a_sentence_opening_like_a_byline_keeps_its_edit(old: str, new: str) -> None:
    kinds = significant(compared(old, new))
    assert kinds and "byline" not in kinds
    fingerprints = {content_hash("", "", body_paragraphs(line)) for line in (old, new)}
    assert len(fingerprints) == 2


# --- 2. a figure after an update label is the article's unless it is a date or a time -----------
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Updated: 40", "Updated: 41"),
        ("Updated: 2-1", "Updated: 2-2"),
        ("Updated 21:45 – 2-1", "Updated 21:45 – 2-2"),
        ("Aktualisiert: 1:0", "Aktualisiert: 2:0"),
        ("Aktualisiert 21.45 Uhr – 2:1", "Aktualisiert 21.45 Uhr – 2:2"),
        ("Mis à jour : 40", "Mis à jour : 41"),
        ("Actualizado: 40", "Actualizado: 41"),
        ("Atualizado: 2 a 1", "Atualizado: 2 a 2"),
        ("Aggiornato: 2-1", "Aggiornato: 2-2"),
    ],
)
def test_a_figure_after_an_update_label_that_is_no_time_is_compared(old: str, new: str) -> None:
    # a label with a colon opens a note (`correction_note`); without one the figure is a `number`
    assert not is_noise_paragraph(old)
    assert significant(compared(old, new)) in (["number"], ["correction_note"])


@pytest.mark.parametrize(
    "line",
    [
        "Updated 21:45",
        "Updated 21:45 – 10:32 ET",
        "Updated: 2024",
        "Updated: 5th March",
        "Published: 2024-03-05T10:32:00Z",
        "Aktualisiert: 06.12.2022, 10:32 Uhr",
        "Mis à jour le 05/03/2024 à 11h00",
        "Actualizado: 12 de marzo de 2024",
        "Atualizado às 10h32",
        "Aggiornato alle 10:32",
    ],
)
def test_a_label_with_a_date_or_a_time_stays_furniture(line: str) -> None:
    assert is_noise_paragraph(line)


# --- 3. a relative time without a figure is furniture like one with a figure -------------------
RELATIVE_TIMES = [
    # a figure, and words for one
    ("3 hours ago", "an hour ago"),
    ("vor 3 Stunden", "vor einer Stunde"),
    ("il y a 3 heures", "il y a une heure"),
    ("hace 3 horas", "hace una hora"),
    ("há 3 horas", "há uma hora"),
    ("3 ore fa", "un'ora fa"),
    ("Updated 3 hours ago", "Updated an hour ago"),
    ("Aktualisiert vor 3 Stunden", "Aktualisiert vor einer Stunde"),
    ("Mis à jour il y a 3 heures", "Mis à jour il y a une heure"),
    ("Actualizado hace 3 horas", "Actualizado hace una hora"),
    ("Atualizado há 3 horas", "Atualizado há uma hora"),
    ("Aggiornato 3 ore fa", "Aggiornato un'ora fa"),
    ("Published 5 minutes ago", "Published a few minutes ago"),
]


@pytest.mark.parametrize(("with_figure", "in_words"), RELATIVE_TIMES)
def test_a_relative_time_in_words_is_furniture_like_its_figure(
    with_figure: str, in_words: str
) -> None:
    assert is_noise_paragraph(with_figure)
    assert is_noise_paragraph(in_words)
    assert compared(in_words, with_figure) == []


@pytest.mark.parametrize(
    "line",
    [
        "An hour ago the council voted to close the plant.",
        "Vor einer Stunde hat der Rat die Schließung beschlossen.",
        "Il y a une heure, le conseil a voté la fermeture.",
    ],
)
def test_a_sentence_opening_with_a_relative_time_stays(line: str) -> None:
    assert not is_noise_paragraph(line)


# --- 4. a short update note is the newsroom's in every language ---------------------------------
SHORT_NOTES = [
    ("en", "Updated: 3 dead"),
    ("de", "Aktualisiert: 3 Tote"),
    ("de", "Nachtrag: 3 Tote"),
    ("fr", "Mis à jour : 3 morts"),
    ("es", "Actualizado: 3 muertos"),
    ("es", "Actualizada: 3 muertos"),
    ("pt", "Atualizado: 3 mortos"),
    ("it", "Aggiornato: 3 morti"),
    ("it", "Aggiornata: 3 morti"),
]


@pytest.mark.parametrize(("language", "note"), SHORT_NOTES)
def test_a_short_update_note_is_a_correction_note_in_every_language(
    language: str, note: str
) -> None:
    edits = compared("", note)
    assert significant(edits) == ["correction_note"], language


# --- through `redline compare`, the crawl's own path ------------------------------------------
def page(line: str, language: str) -> str:
    return (
        f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'>"
        "<title>Council approves budget after long debate</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        "<h1>Council approves budget after long debate</h1>"
        f"<p>{line}</p>"
        "<p>The council approved the budget on Monday after a long debate that ran well into "
        "the night. Members voted 12 to 3 in favour of the plan, drafted over the summer.</p>"
        "<p>The mayor said the plan would cut waiting times at the city's clinics by a third, "
        "and that the savings would go to schools and to the repair of roads in the north.</p>"
        "<p>Opposition members said the figures did not add up and promised to challenge the "
        "budget at the next session of the regional assembly, which meets in March.</p>"
        "</article></body></html>"
    )


def compare_command(tmp_path: Path, old: str, new: str, language: str) -> dict[str, object]:
    (tmp_path / "old.html").write_text(page(old, language), encoding="utf-8")
    (tmp_path / "new.html").write_text(page(new, language), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "x.db"),
            "compare",
            str(tmp_path / "old.html"),
            str(tmp_path / "new.html"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


@pytest.mark.parametrize(
    ("old", "new", "language", "kind"),
    [
        ("Von Anna Müller | 06.12.2022", "Von Hans Meier | 06.12.2022", "de", "byline"),
        ("Par Jeanne Dupont | 3 mars 2020", "Par Marie Curie | 3 mars 2020", "fr", "byline"),
        ("Updated: 40", "Updated: 41", "en", "correction_note"),
        ("Updated 21:45 – 2-1", "Updated 21:45 – 2-2", "en", "number"),
        ("", "Aktualisiert: 3 Tote", "de", "correction_note"),
        ("Von Berlin nach Hamburg am 6. Mai", "Von Berlin nach Hamburg am 7. Mai", "de", "number"),
        ("Di Maio si dimette il 3 marzo", "Di Maio si dimette il 4 marzo", "it", "number"),
    ],
)
def test_redline_compare_reports_what_furniture_used_to_hide(
    tmp_path: Path, old: str, new: str, language: str, kind: str
) -> None:
    result = compare_command(tmp_path, old, new, language)
    edits = result["edits"]
    assert isinstance(edits, list)
    assert kind in [edit["kind"] for edit in edits if edit["significant"]]


@pytest.mark.parametrize(
    ("old", "new", "language"),
    [
        ("Von Anna Müller | 06.12.2022", "Von Anna Müller | 07.12.2022", "de"),
        ("Posted 3 days ago by John Smith", "Posted 4 days ago by John Smith", "en"),
        ("vor einer Stunde", "vor 2 Stunden", "de"),
        ("By Jane Doe — Dec 6, 2022", "By Jane Doe — Dec 7, 2022", "en"),
    ],
)
def test_redline_compare_stays_quiet_on_the_stamp(
    tmp_path: Path, old: str, new: str, language: str
) -> None:
    result = compare_command(tmp_path, old, new, language)
    edits = result["edits"]
    assert isinstance(edits, list)
    assert [edit for edit in edits if edit["significant"]] == []


# --- the same family: a stamp label before the opener, and the site's memory -------------------
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Erstellt von Anna Müller am 6. Mai 2014", "Erstellt von Hans Meier am 6. Mai 2014"),
        ("Publié par Jeanne Dupont le 3 mars 2020", "Publié par Marie Curie le 3 mars 2020"),
        ("Publicado por Juan Pérez el 3 de marzo", "Publicado por Ana García el 3 de marzo"),
    ],
)
def test_a_stamp_naming_its_author_is_a_byline_line(old: str, new: str) -> None:
    assert significant(compared(old, new)) == ["byline"]
    assert compared(old, old.replace("3", "4").replace("6. Mai", "7. Mai")) == []


def test_a_name_changed_in_a_byline_line_counts_when_both_names_are_on_other_articles() -> None:
    # staff bylines are on many articles of a site: the site's memory must not read a byline
    # line's new author as furniture because that author signs other articles too
    old_body = "\n".join(("Von Anna Müller | 06.12.2022", *STORY))
    new_body = "\n".join(("Von Hans Meier | 06.12.2022", *STORY))
    seen = {line_key(line): (1, 2, 3) for line in ("Von Anna Müller", "Von Hans Meier")}
    edits = compare(Article(body=old_body), Article(body=new_body))
    weighed = weigh_site_furniture(
        edits,
        furniture_lines(old_body, seen, article_id=99),
        furniture_lines(new_body, seen, article_id=99),
        "ledger.example",
    )
    assert significant(weighed) == ["byline"]


# --- a broadcast's air date is the page's stamp -------------------------------------------------
# A video page labels its stamp with the broadcast's date ("Air Date: Apr 19, 2016 11:57 PM ET"
# where the earlier capture had "Posted: Apr 20, 2016 12:02 AM ET": pairs17's CBC video page).
@pytest.mark.parametrize(
    "line",
    [
        "Air Date: Apr 19, 2016 11:57 PM ET",
        "Aired: March 3, 2024",
        "Ausgestrahlt am 12.03.2024 um 20:15 Uhr",
        "Diffusé le 3 mars 2024 à 20:00",
        "Emitido: 3 de marzo de 2024",
    ],
)
def test_a_broadcasts_air_date_is_furniture(line: str) -> None:
    assert is_noise_paragraph(line)


@pytest.mark.parametrize(
    "line",
    [
        "Aired: the interview that changed the campaign",
        "Ausgestrahlt wurde das Interview erst nach der Wahl.",
    ],
)
def test_a_sentence_opening_with_an_air_label_stays(line: str) -> None:
    assert not is_noise_paragraph(line)
