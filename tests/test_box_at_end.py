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
    # an "about" heading: the article's own section (a rule that left such boxes out was tried
    # in revision 16 and dropped, held out)
    ("en", "About The Study", "The study followed two hundred farms for six years."),
    ("en", "About the US election", "The election is held every four years in November."),
    ("de", "Über die Studie", "Die Studie begleitete zweihundert Höfe sechs Jahre lang."),
    ("de", "Über Bayer", "Der Konzern hatte die Übernahme im Jahr 2018 abgeschlossen."),
    ("es", "Sobre el estudio", "El estudio siguió a doscientas fincas durante seis años."),
    # the organisation or the medium the article is about, named by a bare word for it: a local
    # club's story, a citizens' initiative's, an insolvent firm's, a dig's, a magazine's closing
    ("de", "Über den Verein", "Der TSV wurde 1921 gegründet und hat heute 800 Mitglieder."),
    ("de", "Über die Initiative", "Die Initiative sammelte bis Freitag 4.000 Unterschriften."),
    ("de", "Über das Unternehmen", "Die Firma beschäftigte zuletzt 340 Menschen am Standort."),
    ("en", "About the site", "The dig lies two kilometres north of the village, on a hill."),
    ("en", "About the magazine", "The magazine, founded in 1953, prints its last issue in March."),
    ("en", "About the podcast", "Smith started the podcast in 2019 in her garage in Leeds."),
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


# An edit in an article's own closing section, whose heading names the organisation it is about
# by a bare word ("About the site" of a dig), is an edit of the article: reported.
def test_an_edit_in_a_closing_section_about_the_articles_subject_is_reported(tmp_path) -> None:
    from datetime import timedelta

    from monitor import store
    from monitor.record.page import record_page
    from tests.test_record import PARAGRAPHS, T0, html, ok

    section = (
        "The site lies two kilometres north of the village and was first surveyed in 1952 by a "
        "team from the university, which found coins and pottery there."
    )
    before = (*PARAGRAPHS, "<h2>About the site</h2>", section)
    after = (*PARAGRAPHS, "<h2>About the site</h2>", section.replace("1952", "1925"))
    db = store.open_db(tmp_path / "redline.db")
    record_page(db, ok(_unwrapped(html(before))), T0)
    result = record_page(db, ok(_unwrapped(html(after))), T0 + timedelta(hours=1))
    assert result.outcome == "new_version"
    edits = [(row["old"], row["new"]) for row in db.query("select old, new from edits")]
    assert ("1952", "1925") in edits


def _unwrapped(page: bytes) -> bytes:
    """The page with its <h2> out of the <p> the test page wraps every body line in."""
    return page.replace(b"<p><h2>", b"<h2>").replace(b"</h2></p>", b"</h2>")


# A heading naming an organisation is no box's: the section under it is the article's (an extraction
# rule that left such boxes out was tried in revision 16 and dropped: held-out pages lost edits to
# it), kept with every line, and an edit in it is reported.
ACME_SECTION = [
    "Acme was founded in 1921 as a maker of brass taps in the north of the county.",
    "By the 1990s it employed more than two thousand people in four factories.",
    "The collapse began when its largest customer cancelled a contract in March.",
    "Banks refused to extend its credit line a month later, the administrators said.",
    "Its last factory closed on Friday, and the remaining staff were sent home.",
]


def test_a_long_section_under_an_organisations_heading_stays() -> None:
    html = "<h2>About Acme Ltd</h2>" + "".join(f"<p>{line}</p>" for line in ACME_SECTION)
    article = extract_article(page("en", html, where=len(PROSE["en"])))
    assert article.body.split("\n") == [*PROSE["en"], "About Acme Ltd", *ACME_SECTION]


def test_an_organisations_heading_written_in_bold_early_in_a_short_article_keeps_the_rest() -> None:
    html = "<p><strong>Über die Müller GmbH</strong></p>"
    article = extract_article(page("de", html, where=1))
    assert article.body.split("\n") == [PROSE["de"][0], "Über die Müller GmbH", *PROSE["de"][1:]]


# A section about a firm, followed by another of the article's ("Wie es weitergeht"), is the
# article's own.
def test_a_section_about_a_firm_followed_by_the_articles_next_section_stays() -> None:
    section = [
        "Die Müller GmbH wurde 1921 gegründet und beschäftigte zuletzt 340 Menschen.",
        "Der Insolvenzverwalter sucht seit dem Frühjahr einen Käufer für das Werk.",
    ]
    html = (
        "<h2>Über die Müller GmbH</h2>"
        + "".join(f"<p>{line}</p>" for line in section)
        + "<h2>Wie es weitergeht</h2><p>Die Gläubiger treffen sich am 12. Mai im Rathaus.</p>"
    )
    article = extract_article(page("de", html, where=len(PROSE["de"])))
    assert article.body.split("\n") == [
        *PROSE["de"],
        "Über die Müller GmbH",
        *section,
        "Wie es weitergeht",
        "Die Gläubiger treffen sich am 12. Mai im Rathaus.",
    ]


def test_a_section_about_a_firm_stays_and_the_press_contact_after_it_is_left_out() -> None:
    lines = [
        "The article's paragraph, longer than the boxes after it: " + "its words. " * 12,
        "About Acme Ltd",
        "Acme makes water meters.",
        "Press contact",
        "press@acme.example",
    ]
    roles = ("prose", "heading", "prose", "heading", "prose")
    assert box_at_end(lines, roles) == [3, 4]
