"""Datelines and wire credit lines written another way are not edits; another place or another
person credited is (monitor/compare/credits.py)."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare
from monitor.compare.credits import credit_line, credited_people, find_dateline
from monitor.extract.article import Article

REST = (
    "The council met on Monday to discuss the budget for next year.\n"
    "It approved the plan by seven votes to four after a long debate."
)


def _lead(first: str) -> Article:
    return Article(title="T", body=f"{first}\n{REST}")


def _tail(last: str) -> Article:
    return Article(title="T", body=f"{REST}\n{last}")


def significant(old: Article, new: Article) -> list[tuple[str, str, str]]:
    return [(e.kind, e.old, e.new) for e in compare(old, new) if e.significant]


DATELINES_REWRITTEN = [
    # (language, old lead, new lead)
    ("en", "WASHINGTON - The president signed the bill.", "WASHINGTON (Reuters) - The president "
     "signed the bill."),
    ("en", "NEW YORK, Nov 30 (Reuters) - Stocks rose.", "NEW YORK (Reuters) — Stocks rose."),
    ("en", "KYIV — Air raid sirens sounded overnight.", "Air raid sirens sounded overnight."),
    ("es", "MADRID, 3 nov (EFE).- El Gobierno aprobó el plan.", "MADRID (EFE) - El Gobierno "
     "aprobó el plan."),
    ("de", "BERLIN (dpa) - Die Regierung hat den Plan gebilligt.", "Berlin – Die Regierung hat "
     "den Plan gebilligt."),
    ("fr", "PARIS (AFP) - Le gouvernement a adopté le plan.", "PARIS — Le gouvernement a adopté "
     "le plan."),
    ("pt", "RIO DE JANEIRO — O governo aprovou o plano.", "RIO DE JANEIRO (Lusa) - O governo "
     "aprovou o plano."),
    ("it", "ROMA (ANSA) - Il governo ha approvato il piano.", "ROMA - Il governo ha approvato il "
     "piano."),
    # datelines without an agency (seen on held-out pairs)
    ("en", "NEW YORK - Stocks rose on Monday.", "NEW YORK — Stocks rose on Monday."),
    ("en", "NEW YORK—Stocks rose on Monday.", "NEW YORK (Reuters) - Stocks rose on Monday."),
    ("en", "PARIS, 3 March - Stocks rose on Monday.", "PARIS - Stocks rose on Monday."),
    ("en", "Paris, 3 March - Stocks rose on Monday.", "Paris — Stocks rose on Monday."),
    ("fr", "Paris, 3 mars – Le gouvernement a adopté le plan.", "PARIS (AFP) - Le gouvernement "
     "a adopté le plan."),
    ("es", "Madrid, 3 de marzo - El Gobierno aprobó el plan.", "MADRID — El Gobierno aprobó el "
     "plan."),
    ("de", "Berlin, 3. März – Die Regierung hat den Plan gebilligt.", "BERLIN - Die Regierung "
     "hat den Plan gebilligt."),
]  # fmt: skip


@pytest.mark.parametrize(("language", "old", "new"), DATELINES_REWRITTEN)
def test_a_dateline_written_another_way_is_cosmetic(language: str, old: str, new: str) -> None:
    edits = compare(_lead(old), _lead(new))
    assert [e.kind for e in edits] == ["cosmetic"], language
    assert not significant(_lead(old), _lead(new))


def test_a_dateline_naming_another_place_is_significant() -> None:
    old, new = _lead("KYIV — Sirens sounded overnight."), _lead("LVIV — Sirens sounded overnight.")
    assert significant(old, new) == [("sentence_changed", "KYIV —", "LVIV —")]


EDITED_AFTER_A_DATELINE = [
    # (old lead, new lead, the one significant edit): the dateline rewritten is not part of it
    ("WASHINGTON - The president signed 12 bills.", "WASHINGTON (Reuters) - The president signed "
     "14 bills.", ("number", "12", "14")),
    ("NEW YORK - Stocks rose sharply on Monday.", "NEW YORK — Stocks fell sharply on Monday.",
     ("sentence_changed", "rose", "fell")),
    ("NEW YORK — Stocks rose sharply on Monday.", "NEW YORK - Stocks fell sharply on Monday.",
     ("sentence_changed", "rose", "fell")),
    ("NEW YORK—Stocks rose sharply on Monday.", "NEW YORK - Stocks fell sharply on Monday.",
     ("sentence_changed", "rose", "fell")),
    ("PARIS, 3 March - Stocks rose sharply on Monday.", "PARIS - Stocks fell sharply on Monday.",
     ("sentence_changed", "rose", "fell")),
    ("Paris, 3 mars – Le gouvernement a adopté le plan.", "PARIS (AFP) - Le gouvernement a "
     "rejeté le plan.", ("sentence_changed", "adopté", "rejeté")),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "edit"), EDITED_AFTER_A_DATELINE)
def test_an_edit_after_a_rewritten_dateline_is_still_found(
    old: str, new: str, edit: tuple[str, str, str]
) -> None:
    assert significant(_lead(old), _lead(new)) == [edit]


@pytest.mark.parametrize(
    "text",
    [
        "The US - China talks resumed on Monday.",
        "Correction - An earlier version misspelt the minister's name.",
        "US-China talks resumed on Monday.",
        "Meanwhile, in Berlin - a city of four million - rents rose.",
        "In Paris, 30 people - most of them students - marched on Monday.",
        "On Monday, March 3 - the day of the vote - the polls opened late.",
        "Paris, the capital - and its suburbs - voted on Monday.",
        "However, May 3 - the vote was delayed again.",
        "However, May 3 - The vote was delayed again.",
        "Yesterday, March 3 — officials said so.",
        "Trump, Jan. 6 — the committee said.",
        "AMERICA—the beautiful, as the song goes.",
        "Ayer, 3 de marzo - el gobierno lo anunció.",
        "Gestern, 3. März - die Regierung kündigte es an.",
    ],
)
def test_prose_is_not_a_dateline(text: str) -> None:
    assert find_dateline(text) is None


CREDITS_REWRITTEN = [
    ("en", "(Reporting by Jane Roe; Editing by Sam Poe)", "Reporting by Jane Roe; Editing by Sam "
     "Poe"),
    ("en", "(Reporting by Jane Roe in Kyiv; Editing by Sam Poe)", "(Reporting by Jane Roe; "
     "editing by Sam Poe)"),
    ("es", "(Información de Ana Ruiz; Editado en español por Luis Gil)", "Información de Ana "
     "Ruiz, editado en español por Luis Gil"),
    ("de", "(Bericht von Max Muster; redigiert von Eva Roth)", "Bericht von Max Muster, redigiert"
     " von Eva Roth"),
    ("fr", "(Reportage Jean Dupont; Version française Marie Curie)", "Reportage Jean Dupont; "
     "version française Marie Curie"),
    ("pt", "(Reportagem de Ana Costa; Edição de Rui Lopes)", "Reportagem de Ana Costa; edição "
     "de Rui Lopes"),
    ("it", "(Hanno collaborato Marco Rossi e Lucia Bianchi)", "Hanno collaborato Lucia Bianchi e "
     "Marco Rossi"),
    # a misspelt role corrected (seen on held-out pairs): the same people, no new name
    ("en", "(Reporting by Jane Doe; Edting by John Roe)", "(Reporting by Jane Doe; Editing by "
     "John Roe)"),
    ("en", "(Reportng by Jane Doe; Editing by John Roe)", "Reporting by Jane Doe; Editing by John "
     "Roe"),
    ("es", "(Infromación de Ana Ruiz; Editado por Luis Gil)", "(Información de Ana Ruiz; Editado "
     "por Luis Gil)"),
    ("de", "(Bericht von Max Muster; redigert von Eva Roth)", "(Bericht von Max Muster; redigiert "
     "von Eva Roth)"),
    ("fr", "(Reportage Jean Dupont; Version franaise Marie Curie)", "(Reportage Jean Dupont; "
     "Version française Marie Curie)"),
    ("pt", "(Reportagem de Ana Costa; Ediçao de Rui Lopes)", "(Reportagem de Ana Costa; Edição "
     "de Rui Lopes)"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "old", "new"), CREDITS_REWRITTEN)
def test_a_credit_line_written_another_way_is_cosmetic(language: str, old: str, new: str) -> None:
    edits = compare(_tail(old), _tail(new))
    assert [e.kind for e in edits] == ["cosmetic"], (language, edits)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            "(Reporting by Jane Roe; Editing by Sam Poe)",
            "(Reporting by Jane Roe and Tom Lee; Editing by Sam Poe)",
            "credit line: added tom lee",
        ),
        (
            "(Información de Ana Ruiz y Pedro Sanz; Editado por Luis Gil)",
            "(Información de Ana Ruiz; Editado por Luis Gil)",
            "credit line: removed pedro sanz",
        ),
        (  # a misspelt role corrected beside a person added: only the person is an edit
            "(Reporting by Jane Doe; Edting by John Roe)",
            "(Reporting by Jane Doe and Tom Lee; Editing by John Roe)",
            "credit line: added tom lee",
        ),
        (
            "(Bericht von Max Muster; redigert von Eva Roth)",
            "(Bericht von Max Muster und Erika Mustermann; redigiert von Eva Roth)",
            "credit line: added erika mustermann",
        ),
        (
            "(Reportage Jean Dupont et Marie Curie; Édité par Paul Roux)",
            "(Reportage Jean Dupont; Édité par Paul Roux)",
            "credit line: removed marie curie",
        ),
    ],
)
def test_a_person_added_to_or_removed_from_the_credits_is_a_byline_edit(
    old: str, new: str, reason: str
) -> None:
    edits = [e for e in compare(_tail(old), _tail(new)) if e.significant]
    assert [(e.kind, e.field) for e in edits] == [("byline", "body")]
    assert reason in edits[0].reasons


def test_a_credit_line_on_one_side_only_is_reported_but_not_significant() -> None:
    edits = compare(Article(title="T", body=REST), _tail("(Reporting by Jane Roe)"))
    assert [(e.kind, e.significant) for e in edits] == [("byline", False)]


def test_a_credit_closing_the_last_paragraph_is_a_credit_line() -> None:
    paragraph = "It approved the plan. (Reporting by Jane Roe in Kyiv; Editing by Sam Poe)"
    line = credit_line(paragraph)
    assert line is not None and line.strip().startswith("(Reporting")
    assert credited_people(line) == {("jane", "roe"), ("sam", "poe")}


def test_a_long_paragraph_opening_with_reporting_by_is_prose() -> None:
    assert credit_line("Reporting by the council's own auditors " + "found gaps " * 40) is None


@pytest.mark.parametrize(
    "paragraph", ["WASHINGTON" * 300_000, "A" + "-b" * 1_000_000, "(" * 1_000_000, " (" * 500_000]
)
def test_a_huge_paragraph_is_read_only_at_its_ends(paragraph: str) -> None:
    """Bounded like every input: only a paragraph's first DATELINE_MAX_CHARS and its last
    CREDIT_MAX_CHARS are read (bench.pathological measures the time)."""
    assert find_dateline(paragraph) is None
    assert credit_line(paragraph) is None


def test_a_dateline_pushed_down_by_new_lines_above_it_is_still_the_same_dateline() -> None:
    """Extraction may keep captions above the story on one page: the dateline is then found by
    its place wherever its paragraph went."""
    story = "HANOI, Vietnam (AP) — The minister accused the neighbours of intimidation."
    captions = "\n".join(f"Caption {n}: the minister arrives in the capital." for n in range(4))
    old = Article(title="T", body=f"{story}\n{REST}")
    new = Article(title="T", body=f"{captions}\n{story}\n{REST}")
    assert not [e for e in compare(old, new) if e.kind in ("cosmetic", "sentence_changed")]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Redaction of the report was ordered on Monday.",
        "Reported by the BBC, the fire spread to two streets.",
        "Waiting by the door, the mayor answered no questions.",
        "Edition after edition, the paper kept the story on its front page.",
    ],
)
def test_prose_close_to_a_credit_role_is_not_a_credit_line(paragraph: str) -> None:
    assert credit_line(paragraph) is None
