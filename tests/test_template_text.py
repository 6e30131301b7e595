"""Template text inside the article is furniture (issue 21), in several languages: link labels,
stock quotes, counters, meta lines, related-story lines, agency openers, bylines with roles. A
template adding it changes no sentence; a real word changed beside it is still found."""

from __future__ import annotations

import pytest

from monitor.compare.byline import compare_bylines
from monitor.compare.comparison import compare_bodies
from monitor.compare.normalize import body_paragraphs, is_noise_paragraph, normalize_body

# (language, sentence with {label} where the template puts a link label, the label)
LINK_LABELS = [
    ("en", "The council published {label} its report on Monday.", "(opens in a new tab)"),
    ("en", "The council published {label} its report on Monday.", "(opens in new window)"),
    ("en", "The council published {label} its report on Monday.", "(external link)"),
    ("en", "The council published {label} its report on Monday.", "[link is external]"),
    ("en", "The council published its report{label} on Monday.", ", opens in a new tab"),
    # the link ended with a space, the label sits against the next word
    ("en", "The council said on Sept. 30 {label}that it would publish.", "(opens in a new tab)"),
    (
        "de",
        "Der Rat veröffentlichte {label} seinen Bericht am Montag.",
        "(öffnet in neuem Fenster)",
    ),
    ("de", "Der Rat veröffentlichte {label} seinen Bericht am Montag.", "(externer Link)"),
    ("fr", "Le conseil a publié {label} son rapport lundi.", "(s'ouvre dans un nouvel onglet)"),
    ("fr", "Le conseil a publié {label} son rapport lundi.", "(lien externe)"),
    ("es", "El consejo publicó {label} su informe el lunes.", "(se abre en una nueva pestaña)"),
    ("es", "El consejo publicó {label} su informe el lunes.", "(enlace externo)"),
    (
        "it",
        "Il consiglio ha pubblicato {label} il rapporto lunedì.",
        "(si apre in una nuova finestra)",
    ),
    ("it", "Il consiglio ha pubblicato {label} il rapporto lunedì.", "(link esterno)"),
    ("pt", "O conselho publicou {label} o relatório na segunda.", "(abre em uma nova aba)"),
    ("pt", "O conselho publicou {label} o relatório na segunda.", "(link externo)"),
]


@pytest.mark.parametrize(("language", "sentence", "label"), LINK_LABELS)
def test_a_link_label_leaves_the_sentence_unchanged(
    language: str, sentence: str, label: str
) -> None:
    plain = " ".join(sentence.format(label="").split()).replace(" ,", ",")
    labelled = sentence.format(label=label)
    assert normalize_body(labelled) == normalize_body(plain)
    assert compare_bodies(plain, labelled) == []


@pytest.mark.parametrize(("language", "sentence", "label"), LINK_LABELS)
def test_a_word_changed_beside_a_new_label_is_still_found(
    language: str, sentence: str, label: str
) -> None:
    plain = " ".join(sentence.format(label="").split()).replace(" ,", ",")
    first_word = plain.split()[1]
    edited = sentence.format(label=label).replace(first_word, "Ministry", 1)
    edits = [e for e in compare_bodies(plain, edited) if e.significant]
    assert len(edits) == 1
    assert "Ministry" in edits[0].new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Amazon.com (NASDAQ:AMZN) and Activision Blizzard (NASDAQ:ATVI) are investing.",
         "Amazon.com (AMZN 3.60%) and Activision Blizzard (ATVI -1.25%) are investing."),
        ("Shares of IBM (NYSE: IBM) rose.", "Shares of IBM (IBM +0.50%) rose."),
        ("Siemens (XETRA:SIE) meldete Gewinne.", "Siemens (SIE 1.10%) meldete Gewinne."),
    ],
)  # fmt: skip
def test_a_stock_quote_after_a_ticker_is_not_an_edit(old: str, new: str) -> None:
    assert compare_bodies(old, new) == []


def test_a_figure_in_prose_brackets_is_still_an_edit() -> None:
    edits = compare_bodies(
        "Growth was slow (GDP 3.5%) this year.", "Growth was slow (GDP 2.5%) this year."
    )
    assert [e.kind for e in edits] == ["number"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The council met on Monday.", "1.2K shares The council met on Monday."),
        ("The council met on Monday.", "The council met on Monday. 12 comments"),
        ("Der Rat tagte am Montag.", "Der Rat tagte am Montag. 34 Kommentare"),
        ("Le conseil s'est réuni lundi.", "Le conseil s'est réuni lundi. 5 commentaires"),
        ("El consejo se reunió el lunes.", "El consejo se reunió el lunes. 7 comentarios"),
        ("Il consiglio si è riunito lunedì.", "Il consiglio si è riunito lunedì. 9 commenti"),
        ("O conselho reuniu-se na segunda.", "O conselho reuniu-se na segunda. 3 comentários"),
        # before a meta line's date, an agency, a quotation
        ("11/19/2019 by Jane Doe", "1,758 shares 11/19/2019 by Jane Doe"),
        ("(CNN) The council met on Monday.", "1.2K shares (CNN) The council met on Monday."),
        ("«Oui», a dit le maire lundi.", "87 partages «Oui», a dit le maire lundi."),
        ("'Yes,' the mayor said on Monday.", "3,470 shares 'Yes,' the mayor said on Monday."),
    ],
)
def test_a_counter_at_a_paragraph_edge_is_not_an_edit(old: str, new: str) -> None:
    assert compare_bodies(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("The company issued 500 shares", "The company issued 600 shares"),
        ("They got 500 shares 11/19/2019 by noon.", "They got 600 shares 11/19/2019 by noon."),
        ("500 shares were sold on Monday.", "600 shares were sold on Monday."),
    ],
)
def test_shares_in_prose_stay_prose(old: str, new: str) -> None:
    assert [e.kind for e in compare_bodies(old, new)] == ["number"]


@pytest.mark.parametrize(
    "line",
    [
        "Posted by admin | 3 Comments",
        "Sign up to our newsletter",
        "Sign up to The Ledger newsletter: the top stories in your inbox every morning, free.",
        "Abonnez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité.",
        "Leave a comment",
        "Kommentar schreiben",
        "Laisser un commentaire",
        "Deja un comentario",
        "Lascia un commento",
        "Deixe um comentário",
        "1.2K shares",
        "12 Comments",
        "Related Story",
        "Related Stories",
        "You may also like",
        "(CNN)",
        "(Reuters)",
    ],
)
def test_template_lines_are_furniture(line: str) -> None:
    assert is_noise_paragraph(line)


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("By Jane Doe / March 3, 2020 / Leave a comment", "By Jane Doe"),
        ("Von Max Muster | 3. März 2020", "Von Max Muster"),
        ("11/19/2019 by Jane Doe", "by Jane Doe"),
        ("2019-11-19 | By Jane Doe; Staff Reporter", "By Jane Doe; Staff Reporter"),
        ("Par Jeanne Dupont | 3 mars 2020", "Par Jeanne Dupont"),
    ],
)
def test_a_meta_line_naming_its_author_is_compared_as_its_people(line: str, people: str) -> None:
    # session 12 and before ignored the whole line, so a name replaced in it was no edit
    assert not is_noise_paragraph(line)
    assert body_paragraphs(line) == [people]


@pytest.mark.parametrize(
    "line",
    [
        "On 11/19/2019 the council voted by a wide margin to close the plant.",
        "Subscribers to the newsletter were told on Monday that the paper would close, " * 3,
    ],
)
def test_prose_near_template_lines_stays(line: str) -> None:
    assert not is_noise_paragraph(line)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("(CNN)Trump will not change, aides say.", "Trump will not change, aides say."),
        ("(Reuters) - Stocks rose on Monday.", "WASHINGTON (Reuters) - Stocks rose on Monday."),
    ],
)  # fmt: skip
def test_an_agency_opening_a_paragraph_is_a_dateline(old: str, new: str) -> None:
    assert [e for e in compare_bodies(old, new) if e.significant] == []


@pytest.mark.parametrize(
    ("old", "new", "edit"),
    [
        ("Jane Doe", "Jane Doe; City Hall Reporter", False),
        ("Jane Doe", "Jane Doe, Reuters", False),
        ("Jane Doe", "Jane Doe | Deputy Politics Editor", False),
        ("Jane Hall", "Jane Hall, Staff Writer", False),
        ("Max Muster", "Max Muster, Reporterin", False),
        ("Jeanne Dupont", "Jeanne Dupont, rédactrice", False),
        ("Juana Pérez", "Juana Pérez, reportera", False),
        ("Maria Rossi", "Maria Rossi, redattrice", False),
        ("Ana Souza", "Ana Souza, repórter", False),
        # the people change: an edit
        ("Jane Doe", "Jane Doe and Sam Poe", True),
        ("Jane Doe", "Sam Poe, City Hall Reporter", True),
    ],
)
def test_a_byline_edit_only_when_the_people_change(old: str, new: str, edit: bool) -> None:
    edits = compare_bylines(old, new)
    assert any(e.kind == "byline" and e.significant for e in edits) is edit


def test_normalising_a_body_twice_changes_nothing() -> None:
    text = "Amazon (AMZN 3.60%) said (opens in a new tab) it would.\n12 comments"
    assert normalize_body(normalize_body(text)) == normalize_body(text)


STORY = (
    "The council met on Monday to discuss the budget for next year.\n"
    "The vote was seven to three in favour of the plan."
)


@pytest.mark.parametrize(
    "bio",
    [
        "Emma Grey Ellis is a staff writer at WIRED, where she covers internet culture.",
        "Max Muster ist Redakteurin im Ressort Politik.",
        "Jeanne Dupont est journaliste au Monde.",
        "Juan Pérez es periodista de El País.",
        "Maria Rossi è giornalista per il Corriere.",
        "Ana Souza é repórter da Folha.",
        # a list of roles, "who's been at", "has been" (revision 15)
        "Nate Davis is a reporter, blogger and editor who's been at USA TODAY since 2000.",
        "Jane Roe has been a correspondent for the BBC since 2010.",
        "Max Muster ist Reporter, Autor und Redakteur bei der Zeit.",
        "Jeanne Dupont est reporter, chroniqueuse et rédactrice au Monde.",
        "Juan Pérez es periodista, columnista y editor de El País.",
        "Maria Rossi è giornalista, redattrice e inviata per il Corriere.",
        "Ana Souza é jornalista, colunista e repórter da Folha.",
    ],
)
def test_an_author_bio_added_at_the_end_is_not_significant(bio: str) -> None:
    edits = compare_bodies(STORY, f"{STORY}\n{bio}")
    assert [(e.kind, e.significant) for e in edits] == [("sentence_added", False)]
    assert "an author's biography" in edits[0].reasons


@pytest.mark.parametrize(
    ("where", "sentence"),
    [
        # in the middle of the story, a bio-like sentence is the story
        ("middle", "Emma Grey Ellis is a staff writer at WIRED, where she covers culture."),
        # at the end, a sentence about a reporter that is not a bio
        ("end", "Jane Doe is a reporter who was arrested in Minsk on Monday."),
        ("end", "Jane Doe is a reporter, a mother and a runner who lives in Minsk."),
        ("end", "Jane Doe has been a reporter, she said on Monday in Minsk."),
    ],
)
def test_a_sentence_about_a_reporter_still_counts(where: str, sentence: str) -> None:
    first, second = STORY.split("\n")
    new = f"{first}\n{sentence}\n{second}" if where == "middle" else f"{STORY}\n{sentence}"
    edits = compare_bodies(STORY, new)
    assert [(e.kind, e.significant) for e in edits] == [("sentence_added", True)]


BIO_BOX = (
    "Nate Davis is a reporter, blogger and editor who's been at USA TODAY since 2000. "
    "He has covered the NFL since 2005. No, he did not play quarterback for Ball State."
)


@pytest.mark.parametrize("where", ["added", "removed"])
def test_the_rest_of_an_author_box_at_the_end_is_not_significant(where: str) -> None:
    old, new = (STORY, f"{STORY}\n{BIO_BOX}")[:: 1 if where == "added" else -1]
    edits = compare_bodies(old, new)
    assert len(edits) == 3
    assert not [e for e in edits if e.significant]
    assert all("an author's biography" in e.reasons for e in edits)


def test_a_paragraph_after_an_author_box_still_counts() -> None:
    added = "The council will vote on the plan again in May."
    edits = compare_bodies(STORY, f"{STORY}\n{BIO_BOX}\n{added}")
    assert [e.new for e in edits if e.significant] == [added]
