"""The site's box after the article: a heading about the site, the series or the author, or the
press contact ("Über diese Reihe", "Pressekontakt", "About the author"), and the lines after it,
are left out of the body; a section of the article's own with a near heading stays, and so does a
correction note in the box (revision 13, `consensus.box_at_end`)."""

from __future__ import annotations

import pytest

from monitor.extract.consensus import TAIL_BOX_LINES, box_at_end
from monitor.extract.extraction import extract_article
from tests.test_roles import PROSE, page

# (language, the box's heading, its lines)
BOXES = [
    (
        "de",
        "Pressekontakt",
        ["Pressesprecherin Anna Muster", "Tel.: (030) 12 34 56", "E-Mail: presse@example.org"],
    ),
    (
        "de",
        "Über diese Reihe",
        ["Die Stiftung ist in rund 110 Ländern mit einem eigenen Büro vertreten."],
    ),
    (
        "de",
        "Ansprechpartnerin zum Thema:",
        ["Telefon +49 (0)40 / 12 34 56", "anna.muster@example.org"],
    ),
    (
        "en",
        "About the author",
        ["Jane Roe covers water and farming for the paper from its southern bureau."],
    ),
    ("en", "Media contact", ["Press office", "press@example.org"]),
    ("fr", "Contact presse", ["Service de presse", "presse@example.org"]),
    ("es", "Sobre la autora", ["Ana Pérez cubre el agua y el campo para el diario desde el sur."]),
    ("it", "Ufficio stampa", ["ufficiostampa@example.org"]),
]


@pytest.mark.parametrize(("language", "heading", "box"), BOXES)
def test_the_sites_box_after_the_article_is_left_out(
    language: str, heading: str, box: list[str]
) -> None:
    prose = PROSE.get(language, PROSE["en"])
    html = f"<h2>{heading}</h2>" + "".join(f"<p>{line}</p>" for line in box)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, html, where=len(PROSE[lang])))
    assert article.body.split("\n") == prose


# Headings of the article's own sections that open like a box's: they stay, with their text.
SECTIONS = [
    (
        "en",
        "About the study",
        "The study followed two hundred farms in the southern valleys for six years.",
    ),
    (
        "de",
        "Kontakt zur Mutter",
        "Die Behörden hatten den Kontakt zur Mutter des Jungen am Montag aufgenommen.",
    ),
]


@pytest.mark.parametrize(("language", "heading", "text"), SECTIONS)
def test_a_section_of_the_article_stays(language: str, heading: str, text: str) -> None:
    html = f"<h2>{heading}</h2><p>{text}</p>"
    lines = extract_article(page(language, html, where=len(PROSE[language]))).body.split("\n")
    assert heading in lines
    assert text in lines


def test_a_correction_in_the_box_stays() -> None:
    lines = ["The article's paragraph.", "About us", "Since 1850.", "Correction: the date."]
    roles = ("prose", "heading", "prose", "prose")
    assert box_at_end(lines, roles) == [1, 2]


def test_the_article_after_the_box_stays() -> None:
    # a review's sections: "About the author" is one of them, the verdict after it is the article's
    lines = [
        "The article's paragraph.",
        "About the author",
        "Jane Roe wrote four novels.",
        "Our verdict",
        "The book is a triumph.",
        "Contact",
        "books@example.org",
    ]
    roles = ("prose", "heading", "prose", "heading", "prose", "heading", "prose")
    assert box_at_end(lines, roles) == [1, 2, 5, 6]


def test_the_box_heading_is_looked_for_only_near_the_end() -> None:
    lines = ["Kontakt", *[f"Paragraph {n} of the article." for n in range(TAIL_BOX_LINES)]]
    roles = ("heading", *["prose"] * TAIL_BOX_LINES)
    assert box_at_end(lines, roles) == []


def test_a_body_that_is_only_the_box_keeps_it() -> None:
    assert box_at_end(["Pressekontakt", "presse@example.org"], ("heading", "prose")) == []
