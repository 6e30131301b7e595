"""monitor.extract.consensus: the headline left out of the body's first lines, and the lead the
second extractor has just before the body. Pages and lines written for these tests."""

from __future__ import annotations

import lxml.html
import pytest

from monitor.extract.consensus import (
    headline_lines,
    is_date_line,
    is_headline_line,
    key,
    lead_before_body,
    refine_body,
    shown_as_lead,
    site_lines_at_end,
)
from monitor.extract.extraction import extract_article

TITLE = "Harbour bridge closes to lorries after cracks found"
LEAD = (
    "Engineers found deep cracks in two piers of the old harbour bridge, and the council voted "
    "to close it to heavy traffic from Monday."
)
PARAGRAPHS = [
    "The council of Westbrook voted on Tuesday night to close the old harbour bridge to heavy "
    "traffic after an inspection found corrosion in its supporting piers.",
    "Mayor Helen Ostrander said nearly four thousand lorries cross the bridge every week on "
    "their way to the container terminal, so the decision was not taken lightly.",
    "Local hauliers warned that the detour through the northern ring road would add at least "
    "forty minutes to each journey and asked for a temporary ferry service.",
    "Repairs are expected to start in March and to last about eighteen months, according to the "
    "regional transport authority, which will pay for most of the work.",
]


@pytest.mark.parametrize(
    ("line", "title", "expected"),
    [
        (TITLE, TITLE, True),
        (TITLE.upper() + "!", TITLE, True),  # case and punctuation do not count
        # a kicker or a site suffix set off by a mark
        ("Westbrook: " + TITLE, TITLE, True),
        (TITLE + " | Transport | Gazette | 02.03.2026", TITLE, True),
        ("Gazette - " + TITLE, TITLE, True),
        # the <h1> without the kicker the declared title has
        ("Harbour bridge closes to lorries", "Westbrook - Harbour bridge closes to lorries", True),
        ("Transport » " + TITLE, TITLE, True),
        # a sentence that opens with the headline's words is the article's
        (TITLE + ", the council said on Tuesday.", TITLE, False),
        # ... also with a mark elsewhere than between the headline and the other words: a
        # time's colon, a date's slash, a quotation's guillemet
        (TITLE + " at 10:30 on Tuesday.", TITLE, False),
        (TITLE + " on 2/3, the council said.", TITLE, False),
        ("»Wir schaffen das«, sagte die Kanzlerin.", "Wir schaffen das", False),
        ("« Nous ne céderons pas », a dit le maire.", "Nous ne céderons pas", False),
        (
            TITLE + ": the council, the mayor and the hauliers disagree on what comes next",
            TITLE,
            False,
        ),
        # a heading that shares a word or two with the headline is a section of the article
        ("Cracks found", TITLE, False),
        ("Stammtisch", "Kassel/Stammtisch", False),
        ("", TITLE, False),
        (TITLE, "", False),
    ],
)
def test_is_headline_line(line: str, title: str, expected: bool) -> None:
    assert is_headline_line(line, title) is expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([TITLE, *PARAGRAPHS], [0]),
        (["Transport", "2 March 2026", TITLE, *PARAGRAPHS], [2]),  # after a kicker and a date
        (["Transport", "2 March 2026", "By Jane Roe", TITLE, *PARAGRAPHS], []),  # too far down
        (PARAGRAPHS, []),
    ],
)
def test_headline_lines_are_looked_for_among_the_first_three(
    lines: list[str], expected: list[int]
) -> None:
    assert headline_lines(lines, TITLE) == expected


def _shown(*texts: str):  # type: ignore[no-untyped-def]
    keys = {key(text) for text in texts}
    return lambda line_key: line_key in keys


@pytest.mark.parametrize(
    ("second", "shown", "expected"),
    [
        # the second extractor has the lead just before the body's first paragraph
        ([TITLE, LEAD, *PARAGRAPHS], _shown(LEAD), (0, LEAD)),
        # past a short date line and a byline
        ([TITLE, LEAD, "2 March 2026", "By Jane Roe", *PARAGRAPHS], _shown(LEAD), (0, LEAD)),
        # a dek of 20 words or more without its full stop
        (
            [TITLE, LEAD.rstrip(".") + " while the repairs last", *PARAGRAPHS],
            _shown(LEAD.rstrip(".") + " while the repairs last"),
            (0, LEAD.rstrip(".") + " while the repairs last"),
        ),
        # a shorter line without one is a kicker or a caption
        (
            [
                TITLE,
                "Engineers found deep cracks in two piers of the old harbour bridge",
                *PARAGRAPHS,
            ],
            lambda _: True,
            None,
        ),
        # the headline right before the body: no lead
        ([LEAD, TITLE, *PARAGRAPHS], _shown(LEAD), None),
        # not written on the page as a block outside furniture (a caption, a promotion box)
        ([TITLE, LEAD, *PARAGRAPHS], _shown(), None),
        # not prose: a kicker, a caption with its credit, a promotion
        ([TITLE, "Transport news from the harbour", *PARAGRAPHS], _shown(), None),
        (
            [TITLE, LEAD[:-1] + " (Jane Roe / Photoagency.com)", *PARAGRAPHS],
            lambda _: True,
            None,
        ),
        (
            [
                TITLE,
                "Subscribe to our newsletter to get every story about the harbour in your inbox.",
                *PARAGRAPHS,
            ],
            lambda _: True,
            None,
        ),
        # a byline that reads like a sentence
        (
            [
                TITLE,
                "By Jane Roe and John Doe on Monday, 2 March 2026, at 11:08 in the morning.",
                *PARAGRAPHS,
            ],
            lambda _: True,
            None,
        ),
        # ... but a lead that opens with "By" and a lower-case word is a lead
        (
            [
                TITLE,
                "By the end of the year the council expects the bridge to carry lorries again.",
                *PARAGRAPHS,
            ],
            lambda _: True,
            (0, "By the end of the year the council expects the bridge to carry lorries again."),
        ),
        # a block of another kind between the lead and the body
        (
            [TITLE, LEAD, "Read the full inspection report of the bridge here", *PARAGRAPHS],
            _shown(LEAD),
            None,
        ),
        # the first paragraph with a share counter or label the template set before it (the
        # second extractor keeps it, trafilatura does not) is that paragraph, not the lead: the
        # lead above it is (before, the paragraph was added again as the lead)
        (
            [TITLE, LEAD, "2,995 shares " + PARAGRAPHS[0], *PARAGRAPHS[1:]],
            lambda _: True,
            (0, LEAD),
        ),
        (
            [TITLE, "Updated " + PARAGRAPHS[0], *PARAGRAPHS[1:]],
            lambda _: True,
            None,
        ),
        # a row of links with bars between its parts is no lead, however long (revision 23): a
        # blog's links to the posts around it, a list of other posts' titles
        (
            [
                TITLE,
                "« Council sets the budget for the new ferry terminal | Main | Lorries to use the "
                "ring road while the bridge is closed »",
                *PARAGRAPHS,
            ],
            lambda _: True,
            None,
        ),
        (
            [
                TITLE,
                "Ferry fares rise again | Port strike ends after talks | Why the old bridge "
                "matters | Westbrook votes on the harbour plan",
                *PARAGRAPHS,
            ],
            lambda _: True,
            None,
        ),
        # the second extractor does not reach the body's first paragraphs
        ([TITLE, LEAD, *PARAGRAPHS[3:]], _shown(LEAD), None),
        ([], _shown(LEAD), None),
    ],
)
def test_lead_before_body(second, shown, expected) -> None:  # type: ignore[no-untyped-def]
    assert lead_before_body(PARAGRAPHS, second, TITLE, shown) == expected


def test_refine_body_drops_the_headline_and_adds_the_lead_with_its_source() -> None:
    lines, roles = refine_body(
        [TITLE, *PARAGRAPHS],
        ("heading", *["prose"] * len(PARAGRAPHS)),
        TITLE,
        [TITLE, LEAD, *PARAGRAPHS],
        _shown(LEAD),
    )
    assert lines == [LEAD, *PARAGRAPHS]
    assert roles == ("second_extractor", *["prose"] * len(PARAGRAPHS))


def test_a_body_that_is_only_its_headline_keeps_it() -> None:
    assert refine_body([TITLE], ("heading",), TITLE, [], _shown()) == ([TITLE], ("heading",))


def test_the_lead_is_never_looked_for_above_the_headline_with_a_time() -> None:
    # "Headline at 10:30" is not the headline to drop from the body, but the lead is looked for
    # below it, never above
    title = "Harbour bridge closes to lorries"
    second = [LEAD, title + " at 10:30", *PARAGRAPHS]
    assert lead_before_body(PARAGRAPHS, second, title, _shown(LEAD)) is None


def _page(lead_block: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(
        f"<html><body><article><header><h1>{TITLE}</h1>{lead_block}</header>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></body></html>"
    )


@pytest.mark.parametrize(
    ("lead_block", "expected"),
    [
        (f"<p>{LEAD}</p>", True),  # in the article's header
        (f'<div class="article-summary"><p>{LEAD}</p></div>', True),
        (f"<figure><figcaption>{LEAD}</figcaption></figure>", False),
        (f'<div class="newsletter-box"><p>{LEAD}</p></div>', False),
        (f'<a href="/other-story"><p>{LEAD}</p></a>', False),
        ("", False),
    ],
)
def test_shown_as_lead(lead_block: str, expected: bool) -> None:
    assert shown_as_lead(_page(lead_block), key(LEAD)) is expected


def test_extraction_leaves_a_kickered_headline_out_of_the_body() -> None:
    page = (
        f"<html><head><title>{TITLE} | Gazette</title></head><body><main><article>"
        f"<h1>{TITLE}</h1><div class='story'><p>Transport</p><h2>Westbrook: {TITLE}</h2>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</div></article></main></body></html>"
    )
    article = extract_article(page)
    assert article.title == TITLE
    assert PARAGRAPHS[0] in article.body
    assert TITLE not in article.body


def test_extraction_keeps_a_first_paragraph_that_quotes_the_headline() -> None:
    quoted = "»Wir schaffen das«, sagte die Kanzlerin."
    paragraphs = [
        quoted,
        "Die Bundeskanzlerin äußerte sich am Montag in Berlin vor Journalisten zur Lage der "
        "Flüchtlinge an den Grenzen und in den Kommunen.",
        "Mehrere Landräte hatten zuvor gewarnt, dass die Unterkünfte in ihren Landkreisen "
        "bereits jetzt voll belegt seien und neue Plätze fehlten.",
        "Die Opposition forderte eine Sondersitzung des Bundestages, um über die Verteilung der "
        "Kosten zwischen Bund und Ländern zu beraten.",
    ]
    page = (
        "<html><head><title>Wir schaffen das</title></head><body><main><article>"
        "<h1>Wir schaffen das</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></main></body></html>"
    )
    article = extract_article(page)
    assert article.title == "Wir schaffen das"
    assert article.body.split("\n")[0] == quoted


@pytest.mark.parametrize(
    ("lead_block", "expected"),
    [
        # boxes that never hold the lead, however their class is written (revision 12)
        (f'<div class="InlineImage-imageEmbedCaption">{LEAD}</div>', False),
        (f'<div class="contrib"><div class="short-bio">{LEAD}</div></div>', False),
        (f'<div class="fb-send-to-messenger"><p>{LEAD}</p></div>', False),
        (f'<div class="hatnote navigation-not-searchable">{LEAD}</div>', False),
        (f'<div class="slideshow"><div class="slide"><p>{LEAD}</p></div></div>', False),
        # a bare wrapper above such a box is not a place of its own
        (f'<div><div><div class="eltdf-bio-text"><p>{LEAD}</p></div></div></div>', False),
        # the names where leads sit stay readable, wrapped or not, also inside an article
        # wrapper named for its author
        (f'<div class="node-by-author-12"><p class="lead">{LEAD}</p></div>', True),
        (f'<div class="article-lead"><div><p>{LEAD}</p></div></div>', True),
        (f'<div class="c-page-intro__copy">{LEAD}</div>', True),
        (f'<p class="post__title__excerpt">{LEAD}</p>', True),
        # a block the page's markup leaves open holds the article after its lead
        (f'<h2 class="excerpt">{LEAD}<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></h2>', True),
        (f'<div class="slide">{LEAD}<p>{PARAGRAPHS[0]}</p></div>', False),
        # a blog's sidebar widget (the blogger's "My name is ..." in the side column) and a
        # sidebar hold no lead (revision 23); a page builder's widget wraps the article
        (
            f'<div class="widget widget_text"><div class="textwidget"><p>{LEAD}</p></div></div>',
            False,
        ),
        (f'<td id="sidebar"><div><p>{LEAD}</p></div></td>', False),
        (f'<div class="elementor-widget-container"><p>{LEAD}</p></div>', True),
        (f'<div class="content-with-sidebar"><p>{LEAD}</p></div>', True),
    ],
)
def test_shown_as_lead_outside_boxes(lead_block: str, expected: bool) -> None:
    assert shown_as_lead(_page(lead_block), key(LEAD)) is expected


# The site speaking to its reader after the article, in several languages, at any length.
FOLLOW = (
    "Follow The Gazette on Twitter and Instagram @WestbrookGazette and on Facebook. Send us a "
    "message on WhatsApp at 555-0199 or email us at newsroom@gazette.example, and tell us "
    "what you saw: our reporters read every message, and we may contact you for a story."
)
SIGN_UP = (
    "Get the latest updates right in your inbox every morning, with the stories our editors "
    "picked for you, the weather and the traffic: subscribe to our newsletters, it is free."
)
SUIVEZ = (
    "Suivez-nous sur Facebook, Instagram et LinkedIn pour ne rien manquer de l'actualité de la "
    "région, et retrouvez chaque semaine notre sélection d'articles dans votre boîte aux "
    "lettres électronique, avec les rendez-vous culturels et sportifs du week-end à venir."
)
FOLGEN = (
    "Folgen Sie uns auf Facebook und Instagram, um keine Nachricht aus der Region zu verpassen, "
    "und abonnieren Sie unseren Newsletter mit den wichtigsten Meldungen des Tages, den "
    "Terminen des Wochenendes und den Tipps unserer Redaktion für Ausflüge in die Umgebung."
)


@pytest.mark.parametrize(
    ("tail", "dropped"),
    [
        ([FOLLOW], [len(PARAGRAPHS)]),
        ([SIGN_UP, "Reporting by Jane Roe; Editing by Sam Poe"], [len(PARAGRAPHS)]),
        # two sentences that open like a promotion, without the site's own words
        (
            ["Get the latest updates right in your inbox. Subscribe to The Gazette's newsletters."],
            [len(PARAGRAPHS)],
        ),
        ([SUIVEZ], [len(PARAGRAPHS)]),
        ([FOLGEN], [len(PARAGRAPHS)]),
        # the article's own last words that mention following or subscribing stay
        (
            [
                "Critics who follow Musk on X said the post was deleted an hour later, and the "
                "company did not answer questions about it on Tuesday."
            ],
            [],
        ),
        (
            [
                "Readers who subscribe to the newsletter will get the inspection report in full, "
                "the council said."
            ],
            [],
        ),
        # a correction note and a paywall's prompt stay wherever they stand
        (
            [
                "Correction: an earlier version of this story said the bridge would close on "
                "Tuesday. Follow us on Twitter for updates."
            ],
            [],
        ),
        (["Already a subscriber? Log in to read the full story. Follow us on Facebook."], []),
    ],
)
def test_site_lines_at_end(tail: list[str], dropped: list[int]) -> None:
    assert site_lines_at_end([*PARAGRAPHS, *tail]) == dropped


# The article's last paragraph, longer than a promotion line, with the site's call written after
# it in the same block (review of revision 12): the reporting is the article's, and an edit in
# it must be seen, so the line stays.
REPORTING_THEN_CALL = [
    "The council will meet again on Friday to decide whether the ferry service the hauliers "
    "asked for can run from the old quay, and the mayor said she expected a vote before the "
    "summer holidays. Follow us on Twitter for the latest news.",
    "Der Stadtrat will am Freitag entscheiden, ob die von den Spediteuren geforderte Fähre vom "
    "alten Kai aus fahren kann, und die Bürgermeisterin rechnet mit einer Abstimmung vor den "
    "Sommerferien. Folgen Sie uns auf Twitter.",
    "Le conseil se réunira vendredi pour décider si le service de ferry demandé par les "
    "transporteurs peut partir de l'ancien quai, et la maire s'attend à un vote avant les "
    "vacances d'été. Suivez-nous sur Twitter.",
    "El pleno decidirá el viernes si el servicio de ferri que pidieron los transportistas puede "
    "salir del antiguo muelle, y la alcaldesa espera una votación antes de las vacaciones de "
    "verano. Síguenos en Twitter.",
]


@pytest.mark.parametrize("line", REPORTING_THEN_CALL)
def test_the_articles_last_paragraph_with_the_sites_call_after_it_stays(line: str) -> None:
    assert site_lines_at_end([*PARAGRAPHS, line]) == []


# A sentence of the article's that only opens like a promotion, with none of the site's words,
# stays at the body's end as it does inside the body (`extraction._left_out`).
PROMO_OPENED_SENTENCES = [
    "Read more about the inspection in the report the agency released on Tuesday.",
    "Te recomendamos acudir al médico si los síntomas persisten más de tres días.",
    "Auch interessant ist, dass der Landkreis die Kosten trägt, sagte der Sprecher.",
]


@pytest.mark.parametrize("line", PROMO_OPENED_SENTENCES)
def test_a_sentence_that_opens_like_a_promotion_stays_at_the_end(line: str) -> None:
    assert site_lines_at_end([*PARAGRAPHS, line]) == []


def test_site_lines_are_looked_for_only_at_the_end_of_a_long_enough_body() -> None:
    assert site_lines_at_end([FOLLOW, *PARAGRAPHS]) == []  # not among the last lines
    assert site_lines_at_end([PARAGRAPHS[0], FOLLOW]) == []  # a body of TAIL_LINES or fewer


def test_refine_body_leaves_the_site_lines_at_the_end_out() -> None:
    lines, roles = refine_body(
        [*PARAGRAPHS, FOLLOW], ("prose",) * (len(PARAGRAPHS) + 1), TITLE, [], _shown()
    )
    assert lines == PARAGRAPHS
    assert roles == ("prose",) * len(PARAGRAPHS)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("23.10.2018", True),
        ("03.03.2011, 14:17", True),
        ("2022-01-26", True),
        ("May 06, 2022", True),
        ("Published 12/03/2021", True),
        ("Montag, 2. März 2026 um 10:30 Uhr", True),
        ("19. November 2021", True),
        ("12 de marzo de 2021", True),
        ("3 mars 2026 à 10h30", True),
        # a sentence holding a date, a date without its year, a longer line: the article's
        ("Am 23.10.2018 stieg der Pegel des Stausees um vier Meter.", False),
        ("19. November 2021 wurde der neue Vorstand gewählt.", False),
        ("On May 6, 2022, the council voted to close the bridge.", False),
        ("3 March", False),
        ("May 2022", False),
        # the page's dates with their labels (revision 14), in several languages and forms
        ("Veröffentlicht am 06.12.2022", True),
        ("Aktualisiert am 19.02.2020", True),
        ("Datum: 31/08/2019", True),
        ("Data: 28-04-2021, 09:29", True),
        ("Stand des Artikels: 26. Februar 2020, 12:30 Uhr.", True),
        ("Erstellt am Dienstag 6. Mai 2014", True),
        ("Posted on May 3, 2022", True),
        ("Last updated 12/03/2021 at 10:22", True),
        ("Publicado el 12 de marzo de 2021", True),
        ("Mis à jour le 3 mars 2026 à 10h30", True),
        ("Ultimo aggiornamento: 12/03/2021 alle 10:30", True),
        ("Última atualização em 3 de maio de 2022", True),
        ("Letzte Aktualisierung: 03.05.2022", True),
        ("News date : 04/21/2022 Category : Press Releases", True),
        ("Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm", True),
        # an update note is the article's; a stamp followed by words is a sentence
        ("Updated: May 3, 2022", False),
        ("Veröffentlicht am 06.12.2022 in der Fachzeitschrift Nature.", False),
        ("Published on May 3, 2022, the report found that rents rose by 12 percent.", False),
        ("Die Daten vom 12.03.2020", False),
        ("Stand: 12.03.2022 waren 40 Fälle gemeldet", False),
        # a stamp that names its author is a byline line: a name corrected there is the
        # article's edit (revision 13 reported it), and a field's name is not an author
        ("Erstellt von Fabian am Dienstag 6. Mai 2014", False),
        ("Posted by Jane Roe on May 3, 2022", False),
        ("Publicado por Juan Pérez el 12 de marzo de 2021", False),
        ("Data di nascita: 12/03/1950", False),
    ],
)
def test_is_date_line(line: str, expected: bool) -> None:
    assert is_date_line(line) is expected


def test_refine_body_leaves_date_lines_out_but_never_empties_the_body() -> None:
    lines, roles = refine_body(
        ["23.10.2018", *PARAGRAPHS], ("prose",) * (len(PARAGRAPHS) + 1), TITLE, [], _shown()
    )
    assert lines == PARAGRAPHS
    assert roles == ("prose",) * len(PARAGRAPHS)
    assert refine_body(["23.10.2018"], ("prose",), TITLE, [], _shown())[0] == ["23.10.2018"]


# A chronology's headings that are only a date are the article's (review of revision 12): a date
# corrected there ("3 March" -> "4 March") is an edit a reader is told about, not a page stamp.
TIMELINE = [
    (
        "en",
        "May 6, 2022",
        "The council voted to close the bridge to lorries after the inspection found cracks.",
    ),
    (
        "de",
        "19. November 2021",
        "Der Stadtrat beschloss, die Brücke für Lastwagen zu sperren, nachdem Risse gefunden "
        "wurden.",
    ),
    (
        "es",
        "12 de marzo de 2021",
        "El ayuntamiento votó cerrar el puente a los camiones después de que la inspección "
        "encontrara grietas.",
    ),
    (
        "fr",
        "3 mars 2026",
        "Le conseil municipal a voté la fermeture du pont aux camions après la découverte de "
        "fissures.",
    ),
]


@pytest.mark.parametrize(("language", "date", "event"), TIMELINE)
def test_a_chronologys_date_heading_stays_in_the_body(language: str, date: str, event: str) -> None:
    entries = "".join(
        f"<h3>{heading}</h3><p>{text}</p>"
        for heading, text in ((date, event), *((f"{p[:40]}", p) for p in PARAGRAPHS[:2]))
    )
    html = (
        f"<html lang='{language}'><head><title>{TITLE}</title></head><body><article>"
        f"<h1>{TITLE}</h1><div class='article-body'>{entries}"
        f"{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[2:])}</div></article></body></html>"
    )
    article = extract_article(html)
    lines = article.body.split("\n")
    assert date in lines
    assert article.roles[lines.index(date)] == "heading"


def test_refine_body_keeps_a_date_heading_and_leaves_a_date_stamp_out() -> None:
    lines, roles = refine_body(
        ["23.10.2018", *PARAGRAPHS, "May 6, 2022", PARAGRAPHS[0]],
        ("prose", *("prose",) * len(PARAGRAPHS), "heading", "prose"),
        TITLE,
        [],
        _shown(),
    )
    assert lines == [*PARAGRAPHS, "May 6, 2022", PARAGRAPHS[0]]
    assert roles[len(PARAGRAPHS)] == "heading"


# Article wrappers whose names hold a box's name as part of a topic (review of revision 12): a
# WordPress post's tag and category classes ("tag-landslide", "category-bio") say what the
# article is about, and "bio-science" is a subject; the lead and the paragraphs in them are read.
TOPIC_WRAPPERS = [
    "post-12 post type-post category-news tag-landslide",
    "post-12 post type-post category-bio tag-research",
    "post-12 post type-post tag-facebook-messenger",
    "post-12 post type-post category-testimonials",
    "article-body bio-science",
    "article-body wow slideInUp",  # an animation's class (WOW.js, animate.css)
    "article-body slide-up",
]


@pytest.mark.parametrize("wrapper", TOPIC_WRAPPERS)
def test_a_lead_in_an_article_wrapper_named_for_its_topic_is_read(wrapper: str) -> None:
    page = lxml.html.fromstring(
        f'<html><body><div class="{wrapper}"><article><h1>{TITLE}</h1>'
        f'<p class="lead">{LEAD}</p>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article></div></body></html>"
    )
    assert shown_as_lead(page, key(LEAD))
    # the boxes themselves stay boxes, wherever their name is written
    box = lxml.html.fromstring(
        f'<html><body><div class="{wrapper}"><article><h1>{TITLE}</h1>'
        f'<div class="author-bio"><p>{LEAD}</p></div></article></div></body></html>'
    )
    assert not shown_as_lead(box, key(LEAD))


# A page recorded by revision 13 (its stamp line "Veröffentlicht am ..." kept in the body),
# checked again after the upgrade: no version, no change, whether or not the stored version's
# raw page is kept.
STAMP = "Veröffentlicht am 06.12.2022"


@pytest.mark.parametrize("snapshot", [True, False])
def test_a_stamp_line_left_out_is_no_edit_after_the_upgrade(tmp_path, snapshot: bool) -> None:
    from datetime import timedelta

    from monitor import store
    from monitor.compare.normalize import body_paragraphs, content_hash, normalize_text
    from monitor.record.page import record_page
    from tests.test_record import PARAGRAPHS, T0, html, ok

    db = store.open_db(tmp_path / "redline.db")
    page = html((STAMP, *PARAGRAPHS))
    record_page(db, ok(page), T0)
    version = next(db.query("select * from versions"))
    assert STAMP not in version["body"]  # revision 14 leaves it out
    old_body = f"{STAMP}\n{version['body']}"  # as revision 13 stored it
    # revision 13's hash: its comparison kept the stamp line (today's leaves it out)
    old_paragraphs = [normalize_text(STAMP), *body_paragraphs(version["body"])]
    old_hash = content_hash(version["title"], version["byline"], old_paragraphs)
    assert old_hash != content_hash(version["title"], version["byline"], body_paragraphs(old_body))
    db.execute(
        "update versions set body = ?, content_hash = ?, roles = ?, extractor_version = '0.0.1'"
        + ("" if snapshot else ", snapshot_id = null"),
        [old_body, old_hash, "p" + (version["roles"] or "")],
    )
    db.conn.commit()
    result = record_page(db, ok(page + b"<!-- new bytes -->"), T0 + timedelta(hours=1))
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from versions"))["n"] == 1
    assert next(db.query("select count(*) as n from changes"))["n"] == 0


# A line that looks like a stamp but carries the article's words: an author's name (a byline
# line), a date that is a field of the story. Changed, it is an edit, as it was in revision 13
# (a byline line's people are compared as a byline's since session 13: a `byline` edit).
@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (
            "Erstellt von Anna Müller am 6. Mai 2014",
            "Erstellt von Eva Kern am 6. Mai 2014",
            "byline",
        ),
        (
            "Publié par Jean Dupont le 3 mars 2026",
            "Publié par Marie Martin le 3 mars 2026",
            "byline",
        ),
        ("Data di nascita: 12/03/1950", "Data di nascita: 12/03/1951", "number"),
    ],
)
def test_a_line_that_only_looks_like_a_stamp_changed_is_an_edit(
    tmp_path, before: str, after: str, kind: str
) -> None:
    from datetime import timedelta

    from monitor import store
    from monitor.record.page import record_page
    from tests.test_record import PARAGRAPHS, T0, html, ok

    db = store.open_db(tmp_path / "redline.db")
    record_page(db, ok(html((before, *PARAGRAPHS))), T0)
    result = record_page(db, ok(html((after, *PARAGRAPHS))), T0 + timedelta(hours=1))
    assert result.outcome == "new_version"
    changes = list(db.query("select kinds, significant from changes"))
    assert [(c["kinds"], bool(c["significant"])) for c in changes] == [(kind, True)]


# A page recorded by revision 15, whose comparison kept a dated label in German ("Aktualisiert
# vor 3 Stunden"), checked after the upgrade to 16 an hour later ("vor 4 Stunden"): no version,
# no change, whether or not the stored version's raw page is kept.
@pytest.mark.parametrize("snapshot", [True, False])
def test_a_relative_time_compared_by_revision_15_is_no_edit_after_the_upgrade(
    tmp_path, snapshot: bool
) -> None:
    from datetime import timedelta

    from monitor import store
    from monitor.compare.normalize import body_paragraphs, content_hash, normalize_text
    from monitor.record.page import record_page
    from tests.test_record import PARAGRAPHS, T0, html, ok

    before, after = "Aktualisiert vor 3 Stunden", "Aktualisiert vor 4 Stunden"
    db = store.open_db(tmp_path / "redline.db")
    record_page(db, ok(html((before, *PARAGRAPHS))), T0)
    version = next(db.query("select * from versions"))
    rest = "\n".join(line for line in version["body"].split("\n") if line != before)
    old_body = f"{before}\n{rest}"  # as revision 15 stored it
    # revision 15's hash: its comparison kept the line (today's leaves it out)
    old_paragraphs = [normalize_text(before), *body_paragraphs(rest)]
    old_hash = content_hash(version["title"], version["byline"], old_paragraphs)
    assert old_hash != content_hash(version["title"], version["byline"], body_paragraphs(old_body))
    db.execute(
        "update versions set body = ?, content_hash = ?, roles = ?, extractor_version = '0.0.1'"
        + ("" if snapshot else ", snapshot_id = null"),
        [old_body, old_hash, "p" * len(old_body.split("\n"))],
    )
    db.conn.commit()
    result = record_page(db, ok(html((after, *PARAGRAPHS))), T0 + timedelta(hours=1))
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from versions"))["n"] == 1
    assert next(db.query("select count(*) as n from changes"))["n"] == 0
