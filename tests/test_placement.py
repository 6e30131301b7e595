"""An edit's significance depends on where it sits: changes confined to captions, promotion lines
and lines of links are recorded and never significant; prose, headings, quotations, lists and
tables count as before, and a real edit of the story is still reported on the same check."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare, discount_known_text
from monitor.compare.edit import Edit
from monitor.compare.normalize import body_paragraphs
from monitor.compare.placement import follow_paragraphs, paragraphs_with_roles
from monitor.extract.article import Article
from monitor.extract.extraction import extract_article, page_text
from tests.test_roles import PROSE

OPENING = "The council approved the budget on Monday after a long debate in the chamber."
CLOSING = "The new budget comes into force in January and runs for two full years."
OLD_LINE = "Photo shows the mayor speaking to reporters outside the town hall on Monday."
NEW_LINE = "Photo shows the deputy mayor speaking to journalists outside the old town hall."
OLD_PROSE = "The opposition said the plan would raise taxes for most families in the town."
NEW_PROSE = "The opposition said the plan would raise taxes for all families in the town."


def pair(role: str, *, old: str = OLD_LINE, new: str = NEW_LINE) -> tuple[Article, Article]:
    """Two versions whose line in the middle, of `role`, changed."""
    roles = ("prose", role, "prose")
    return (
        Article(body="\n".join([OPENING, old, CLOSING]), roles=roles),
        Article(body="\n".join([OPENING, new, CLOSING]), roles=roles),
    )


def significant(edits: list[Edit]) -> list[Edit]:
    return [e for e in edits if e.significant]


@pytest.mark.parametrize(
    ("role", "counts"),
    [
        ("prose", True),
        ("heading", True),
        ("blockquote", True),
        ("list_item", True),
        ("table", True),
        ("caption", False),
        ("link_dense", False),
        ("promo", False),
    ],
)
def test_a_sentence_edit_counts_by_the_role_of_its_line(role: str, counts: bool) -> None:
    edits = compare(*pair(role))
    assert edits, "the edit is recorded whatever the role"
    assert bool(significant(edits)) is counts


@pytest.mark.parametrize("role", ["caption", "link_dense", "promo"])
def test_a_furniture_edit_says_why_it_is_not_significant(role: str) -> None:
    [edit] = compare(*pair(role))
    assert not edit.significant and edit.score < 0.5
    assert f"page furniture: in a {role.replace('_', ' ')} line" in edit.reasons


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (OLD_LINE, OLD_LINE + " A second caption sentence was added to it."),
        (
            "Our morning briefing, in your inbox.",
            "Our morning briefing, in your inbox. It comes every weekday at six.",
        ),
    ],
)
def test_sentences_added_to_a_furniture_line_are_not_significant(old: str, new: str) -> None:
    edits = compare(*pair("promo", old=old, new=new))
    assert [e.kind for e in edits] == ["sentence_added"] and not significant(edits)


def test_a_prose_edit_is_reported_beside_a_furniture_edit_in_the_same_pair() -> None:
    roles = ("prose", "caption", "prose", "link_dense", "prose")
    old = Article(
        body="\n".join([OPENING, OLD_LINE, OLD_PROSE, "Budget vote: what happens next", CLOSING]),
        roles=roles,
    )
    new = Article(
        body="\n".join([OPENING, NEW_LINE, NEW_PROSE, "Tax rises: what you will pay", CLOSING]),
        roles=roles,
    )
    edits = compare(old, new)
    assert [(e.old, e.new) for e in significant(edits)] == [("most", "all")]
    assert len(edits) > 1  # the furniture edits are kept


def test_a_correction_note_counts_even_in_a_promo_line() -> None:
    note = "Correction: An earlier version of this article gave the wrong date for the vote."
    edits = compare(*pair("promo", old="Sign up for our newsletter.", new=note))
    assert any(e.kind == "correction_note" and e.significant for e in edits)


def test_a_line_furniture_on_one_side_only_counts() -> None:
    old, new = pair("caption")
    new = Article(body=new.body, roles=("prose", "prose", "prose"))
    assert significant(compare(old, new))


@pytest.mark.parametrize("roles", [(), ("caption",), ("caption", "caption", "caption", "prose")])
def test_unknown_or_misfitting_roles_read_as_prose(roles: tuple[str, ...]) -> None:
    old, new = pair("caption")
    assert significant(compare(Article(body=old.body, roles=roles), new))


def test_roles_follow_the_paragraphs_past_noise_lines_and_credit_lines() -> None:
    lines = [OPENING, "Advertisement", "(Reporting by Ana Ruiz; Editing by Tom Brown)", OLD_LINE]
    roles = ("prose", "promo", "dateline_credit", "caption")
    old = Article(body="\n".join([*lines, OLD_PROSE]), roles=(*roles, "prose"))
    new = Article(body="\n".join([*lines[:-1], NEW_LINE, NEW_PROSE]), roles=(*roles, "prose"))
    edits = compare(old, new)
    assert [(e.old, e.new) for e in significant(edits)] == [("most", "all")]


# --- end to end: real pages, extraction and the crawl's comparison ------------------------
# The water-plan story of the role tests, four paragraphs in each language.
STORIES = {language: lines[:4] for language, lines in PROSE.items()}
# (language, the story's sentence edited: old word, new word)
PROSE_EDITS = {
    "en": ("Thursday", "Friday"),
    "es": ("jueves", "viernes"),
    "de": ("Donnerstag", "Freitag"),
}


def news_page(language: str, story: list[str], furniture: dict[str, str], menu: str) -> str:
    caption, promo, related = furniture["caption"], furniture["promo"], furniture["related"]
    paragraphs = [f"<p>{text}</p>" for text in story]
    paragraphs[1:1] = [f"<div class='image-caption'><p>{caption}</p></div>"]
    paragraphs[3:3] = [f"<p>{promo}</p>", f"<p><a href='/related'>{related}</a></p>"]
    links = "".join(f"<li><a href='/{n}'>{menu} {n}</a></li>" for n in range(12))
    return (
        f"<html lang='{language}'><head><title>Water plan</title></head><body>"
        f"<header><ul>{links}</ul></header><main><article><h1>Water plan</h1>"
        f"<div class='article-body'>{''.join(paragraphs)}</div></article></main>"
        f"<footer>{menu} footer, all rights reserved</footer></body></html>"
    )


FURNITURE = {
    "en": (
        {
            "caption": "The dry riverbed near the town of Alcora last August, seen from a bridge.",
            "promo": "Sign up for our newsletter to get the morning briefing every day.",
            "related": "Drought leaves reservoirs at their lowest level in decades",
        },
        {
            "caption": "Farmers inspect a dried-up canal near the town of Alcora in September.",
            "promo": "Subscribe today and read every story on our site without limits.",
            "related": "Water prices rise for a third year running across the region",
        },
    ),
    "es": (
        {
            "caption": "El cauce seco del río cerca de Alcora el pasado agosto, desde el puente.",
            "promo": "Suscríbete a nuestro boletín para recibir las noticias cada mañana.",
            "related": "La sequía deja los embalses del sur en mínimos históricos",
        },
        {
            "caption": "Agricultores revisan un canal seco cerca de Alcora en septiembre.",
            "promo": "Suscríbete hoy y lee todas las noticias de la web sin límites.",
            "related": "El precio del agua sube por tercer año consecutivo",
        },
    ),
    "de": (
        {
            "caption": "Das ausgetrocknete Flussbett bei Alcora im vergangenen August.",
            "promo": "Abonnieren Sie unseren Newsletter für die wichtigsten Nachrichten am Morgen.",
            "related": "Die Dürre leert die Speicherbecken im Süden",
        },
        {
            "caption": "Landwirte prüfen im September einen trockenen Kanal bei Alcora.",
            "promo": "Jetzt abonnieren und alle Artikel ohne Grenzen lesen.",
            "related": "Der Wasserpreis steigt das dritte Jahr in Folge",
        },
    ),
}


def crawl_edits(old_html: str, new_html: str) -> list[Edit]:
    """What a crawl records between two captures: compare, then the boundary discount."""
    edits = compare(extract_article(old_html), extract_article(new_html))
    return discount_known_text(edits, page_text(old_html), page_text(new_html))


@pytest.mark.parametrize("language", sorted(STORIES))
@pytest.mark.parametrize("redesigned", [False, True])
def test_only_the_story_edit_is_significant_when_caption_promo_and_links_change(
    language: str, redesigned: bool
) -> None:
    story = STORIES[language]
    old_word, new_word = PROSE_EDITS[language]
    edited = [story[0].replace(old_word, new_word), *story[1:]]
    old_furniture, new_furniture = FURNITURE[language]
    old_html = news_page(language, story, old_furniture, "Menu")
    new_html = news_page(language, edited, new_furniture, "Sections" if redesigned else "Menu")
    edits = crawl_edits(old_html, new_html)
    assert [(e.old, e.new) for e in significant(edits)] == [(old_word, new_word)]
    assert ("page_redesigned" in [e.kind for e in edits]) is redesigned
    # the related links are recorded as page furniture; the captions are left out of the body
    # (extraction revision 9), so they make no edit at all
    assert sum("page furniture" in " ".join(e.reasons) for e in edits) >= 2
    captions = (old_furniture["caption"], new_furniture["caption"])
    assert not any(caption in f"{e.old} {e.new}" for e in edits for caption in captions)


@pytest.mark.parametrize("language", sorted(STORIES))
def test_furniture_changing_alone_gives_no_significant_edit(language: str) -> None:
    old_furniture, new_furniture = FURNITURE[language]
    story = STORIES[language]
    edits = crawl_edits(
        news_page(language, story, old_furniture, "Menu"),
        news_page(language, story, new_furniture, "Menu"),
    )
    assert edits and not significant(edits)


@pytest.mark.parametrize(
    "body",
    [
        "One line.",
        "A “quoted” line.\nAdvertisement\nUpdated 3 minutes ago\nThe  end\u00a0here.",
        "Un « autre » texte.\n» Suite du texte",  # normalising joins these lines: roles unknown
        "We accept cookies to improve your experience. Accept all cookies\nThe story.",
    ],
)
def test_roles_cost_no_second_reading_of_the_paragraphs(body: str) -> None:
    roles = ("prose",) * (body.count("\n") + 1)
    paragraphs, kept = paragraphs_with_roles(body, roles)
    assert paragraphs == body_paragraphs(body)
    assert kept in ([], ["prose"] * len(paragraphs))


@pytest.mark.parametrize(
    ("before", "after", "roles", "expected"),
    [
        # a dateline or credit taken off keeps the paragraph's role
        (
            ["PARIS - Stocks rose.", "Bonds fell."],
            ["Stocks rose.", "Bonds fell."],
            ["p", "c"],
            ["p", "c"],
        ),
        # a paragraph that was only a credit line is gone, the next keeps its own role
        (["Reporting by Jane Roe; Editing by Tom Doe", "Tom Doe"], ["Tom Doe"], ["d", "c"], ["c"]),
        # roles that cannot be followed are unknown
        (["One.", "Two."], ["Three."], ["p", "p"], []),
    ],
)
def test_roles_follow_paragraphs_through_datelines_and_credits(
    before: list[str], after: list[str], roles: list[str], expected: list[str]
) -> None:
    assert follow_paragraphs(before, after, roles) == expected
