"""monitor.extract.roles: every body line carries where it sits on the page (prose, heading, list
item, quotation, table, dateline or credit, caption, promotion, line of links), read from
trafilatura's XML and the page around the line, without another trafilatura run.

The pages are written for these tests, in several languages.
"""

from __future__ import annotations

import pytest
from lxml import etree
from lxml.html import HtmlElement, fromstring

from monitor.extract.article import ROLES, Article, decode_roles, encode_roles
from monitor.extract.extraction import LEFT_OUT_ROLES, extract_article
from monitor.extract.roles import line_roles

PROSE = {
    "en": [
        "The regional parliament approved the new water plan on Thursday after a debate that "
        "lasted well into the night and divided the governing coalition.",
        "Farmers in the southern valleys had asked for the plan for years, saying that the "
        "drought of the past three summers had ruined much of their harvest.",
        "The plan sets aside money for new reservoirs, for repairs to old canals and for a "
        "system that measures how much water each farm takes from the river.",
        "Opposition members said the measures came too late and would not be enough if the "
        "coming summer turned out as dry as the last one had been.",
        "The minister in charge said work on the first reservoir would begin in the autumn and "
        "that the whole programme should be finished within six years.",
    ],
    "es": [
        "El parlamento regional aprobó el jueves el nuevo plan del agua tras un debate que se "
        "prolongó hasta bien entrada la noche y dividió a la coalición de gobierno.",
        "Los agricultores de los valles del sur llevaban años pidiendo el plan y aseguran que "
        "la sequía de los tres últimos veranos arruinó buena parte de su cosecha.",
        "El plan reserva dinero para nuevos embalses, para reparar los viejos canales y para un "
        "sistema que mida cuánta agua toma cada finca del río.",
        "La oposición afirmó que las medidas llegan tarde y que no bastarán si el próximo verano "
        "resulta tan seco como el anterior.",
        "El consejero responsable dijo que las obras del primer embalse empezarán en otoño y que "
        "todo el programa debería estar terminado en seis años.",
    ],
    "de": [
        "Das Landesparlament hat am Donnerstag nach einer Debatte bis tief in die Nacht den "
        "neuen Wasserplan beschlossen, der die Regierungskoalition gespalten hatte.",
        "Die Landwirte in den südlichen Tälern hatten den Plan seit Jahren gefordert, weil die "
        "Dürre der vergangenen drei Sommer einen großen Teil ihrer Ernte vernichtet hatte.",
        "Der Plan sieht Geld für neue Speicherbecken, für die Reparatur alter Kanäle und für "
        "ein System vor, das misst, wie viel Wasser jeder Hof dem Fluss entnimmt.",
        "Die Opposition erklärte, die Maßnahmen kämen zu spät und würden nicht reichen, wenn der "
        "kommende Sommer so trocken werde wie der letzte.",
        "Der zuständige Minister sagte, die Arbeiten am ersten Becken würden im Herbst beginnen "
        "und das ganze Programm solle in sechs Jahren abgeschlossen sein.",
    ],
}


def page(language: str, extra: str, *, where: int = 2, wrapper: str = "article-body") -> str:
    """An article page in `language` with `extra` HTML among its paragraphs."""
    paragraphs = [f"<p>{text}</p>" for text in PROSE[language]]
    paragraphs.insert(where, extra)
    return (
        f"<html lang='{language}'><head><title>Water plan</title></head><body>"
        "<header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>Water plan</h1><div class='{wrapper}'>{''.join(paragraphs)}</div>"
        "</article></main><footer>Copyright 2026 Example News</footer></body></html>"
    )


def roles_by_line(article: Article) -> dict[str, str]:
    return dict(zip(article.body.split("\n"), article.roles, strict=True))


RIVERBED = "The dry riverbed near the southern town of Alcora last August, seen from the bridge."
BRIEFING = "Get the morning briefing in your inbox every day before seven o'clock."
# (language, HTML put among the article's paragraphs, a body line it gives, that line's role)
CASES = [
    ("en", "<h2>What the plan contains</h2>", "What the plan contains", "heading"),
    ("de", "<h3>Was der Plan vorsieht</h3>", "Was der Plan vorsieht", "heading"),
    (
        "en",
        "<ul><li>Three new reservoirs in the south</li><li>Repairs to the old canals</li></ul>",
        "Three new reservoirs in the south",
        "list_item",
    ),
    (
        "es",
        "<ol><li>Tres embalses nuevos en el sur</li><li>Reparar los canales viejos</li></ol>",
        "Reparar los canales viejos",
        "list_item",
    ),
    (
        "en",
        "<blockquote><p>We have waited for this plan for a very long time.</p></blockquote>",
        "We have waited for this plan for a very long time.",
        "blockquote",
    ),
    (
        "de",
        "<blockquote>Wir haben sehr lange auf diesen Plan gewartet.</blockquote>",
        "Wir haben sehr lange auf diesen Plan gewartet.",
        "blockquote",
    ),
    (
        "en",
        "<table><tr><th>Region</th><th>Budget</th></tr>"
        "<tr><td>South valley</td><td>120 million</td></tr></table>",
        "| South valley | 120 million |",
        "table",
    ),
    ("en", "<p>(Reporting by Ana Ruiz; Editing by Tom Brown)</p>", None, "dateline_credit"),
    ("es", "<p>MADRID (EFE) -</p>", "MADRID (EFE) -", "dateline_credit"),
    ("en", "<p>By Ana Ruiz and Tom Brown</p>", "By Ana Ruiz and Tom Brown", "dateline_credit"),
    (
        "de",
        "<p>Von Anna Müller und Hans Meier</p>",
        "Von Anna Müller und Hans Meier",
        "dateline_credit",
    ),
    # a heading opening with a byline's word names no one ("By The Numbers"): a heading
    ("en", "<h2>By The Numbers</h2>", "By The Numbers", "heading"),
    ("en", "<h2>By the numbers</h2>", "By the numbers", "heading"),
    ("de", "<h2>Von Brüssel Nach Berlin</h2>", "Von Brüssel Nach Berlin", "heading"),
    ("es", "<h2>Por Los Números</h2>", "Por Los Números", "heading"),
    ("de", f"<div class='bildunterschrift'><p>{RIVERBED}</p></div>", RIVERBED, "caption"),
    ("es", f"<div class='pie-de-foto'><p>{RIVERBED}</p></div>", RIVERBED, "caption"),
    ("en", f"<p><span class='didascalia'>{RIVERBED}</span></p>", RIVERBED, "caption"),
    ("en", f"<div class='media-credit-text'><span>{RIVERBED}</span></div>", RIVERBED, "caption"),
    ("en", f"<div class='recommend-box'><p>{BRIEFING}</p></div>", BRIEFING, "promo"),
    ("de", f"<div class='signup'><p>{BRIEFING}</p></div>", BRIEFING, "promo"),
    (
        "en",
        "<p>Sign up for our newsletter to get the briefing every day.</p>",
        "Sign up for our newsletter to get the briefing every day.",
        "promo",
    ),
    (
        "es",
        "<p>Suscríbete a nuestro boletín y recibe las noticias cada mañana.</p>",
        "Suscríbete a nuestro boletín y recibe las noticias cada mañana.",
        "promo",
    ),
    (
        "de",
        "<p>Jetzt abonnieren: unser Newsletter jeden Morgen im Postfach.</p>",
        "Jetzt abonnieren: unser Newsletter jeden Morgen im Postfach.",
        "promo",
    ),
    (
        "en",
        "<p><a href='/a'>Drought leaves reservoirs at their lowest level in decades</a></p>",
        "Drought leaves reservoirs at their lowest level in decades",
        "link_dense",
    ),
    (
        "es",
        "<p><a href='/b'>Protesta de agricultores ante el parlamento</a> <em>(vídeo)</em></p>",
        "Protesta de agricultores ante el parlamento (vídeo)",
        "link_dense",
    ),
    (
        "en",
        "<p>The plan was <a href='/plan'>published</a> by the ministry on its website today.</p>",
        "The plan was published by the ministry on its website today.",
        "prose",
    ),
    (  # a paragraph citing its sources with long links is still prose
        "en",
        "<p>The region <a href='/a'>declared a drought emergency in 2022 for the first time</a>, "
        "prompting <a href='/b'>limits on watering gardens and filling pools</a>. They were "
        "<a href='/c'>lifted in 2023</a>.</p>",
        "The region declared a drought emergency in 2022 for the first time, prompting limits on "
        "watering gardens and filling pools. They were lifted in 2023.",
        "prose",
    ),
    (  # a container flagged as having a caption is not a caption
        "en",
        f"<div class='articleHeader hasCaption'><p>{BRIEFING}</p></div>",
        BRIEFING,
        "prose",
    ),
]


@pytest.mark.parametrize(("language", "extra", "line", "role"), CASES)
def test_each_role_is_recognised(language: str, extra: str, line: str | None, role: str) -> None:
    # a credit line closes the story; everything else sits among its paragraphs
    where = len(PROSE[language]) if role == "dateline_credit" and line is None else 2
    html = page(language, extra, where=where)
    article = extract_article(html)
    line = line or "(Reporting by Ana Ruiz; Editing by Tom Brown)"
    if role in LEFT_OUT_ROLES:  # a caption or a promotion is read as one, and left out
        lines = [*PROSE[language], line]
        assert line_roles(None, lines, fromstring(html))[-1] == role
        assert article.body.split("\n") == PROSE[language]
    else:
        assert roles_by_line(article).get(line) == role, roles_by_line(article)


@pytest.mark.parametrize("language", sorted(PROSE))
def test_plain_paragraphs_are_prose(language: str) -> None:
    article = extract_article(page(language, ""))
    assert article.body.split("\n") == PROSE[language]
    assert article.roles == ("prose",) * len(PROSE[language])


def test_roles_are_aligned_with_the_body_lines() -> None:
    extras = "".join(extra for _, extra, _, _ in CASES)
    article = extract_article(page("en", extras))
    assert len(article.roles) == len(article.body.split("\n"))
    assert set(article.roles) <= set(ROLES)
    assert {"heading", "list_item", "blockquote", "table", "link_dense"} <= set(article.roles)
    assert not LEFT_OUT_ROLES & set(article.roles)


def test_a_page_without_text_has_no_roles() -> None:
    article = extract_article("<html><head><title>Empty</title></head><body></body></html>")
    assert (article.body, article.roles) == ("", ())


# --- line_roles on its own: trafilatura's XML and the page, as plain values ---------------
def xml(text: str) -> etree._Element:
    return etree.fromstring(f"<body>{text}</body>")


def test_a_line_found_nowhere_is_prose() -> None:
    assert line_roles(xml("<p>Other text.</p>"), ["A line found nowhere."]) == ("prose",)


def test_no_lines_no_roles() -> None:
    assert line_roles(xml("<p>Text.</p>"), [], fromstring("<p>Text.</p>")) == ()


def test_a_paragraph_a_teaser_repeats_stays_prose() -> None:
    lead = "The council closed the bridge to lorries after engineers found cracks in it."
    other = "Repairs will start in March and last about eighteen months, the council said."
    html = fromstring(
        f"<div><div class='story'><p>{lead}</p><p>{other}</p></div>"
        f"<div class='related-stories'><p>{lead}</p></div></div>"
    )
    assert line_roles(xml(f"<p>{lead}</p><p>{other}</p>"), [lead, other], html) == (
        "prose",
        "prose",
    )


def test_a_wrapper_that_would_make_most_of_the_body_furniture_is_ignored() -> None:
    lines = [
        "The council closed the bridge to lorries after engineers found cracks in it.",
        "Repairs will start in March and last about eighteen months, the council said.",
    ]
    html = fromstring(
        "<div class='promo-story'><div><p>" + "</p><p>".join(lines) + "</p></div></div>"
    )
    assert line_roles(xml(""), lines, html) == ("prose", "prose")


@pytest.mark.parametrize(
    "box", ["paywall subscriber-content", "c-promoted-content", "article-credits-and-more"]
)
def test_paragraphs_in_a_box_named_like_furniture_but_not_furniture_stay_prose(box: str) -> None:
    free, *paywalled = PROSE["en"]
    html = fromstring(
        f"<div><div class='story'><p>{free}</p></div><div class='{box}'><p>"
        + "</p><p>".join(paywalled)
        + "</p></div></div>"
    )
    roles = line_roles(xml(""), PROSE["en"], html)
    assert roles == ("prose",) * len(PROSE["en"])


def test_a_box_of_several_paragraphs_is_the_article_whatever_its_name() -> None:
    free, boxed = PROSE["en"] + PROSE["es"][:1], PROSE["es"][1:4]
    html = fromstring(
        "<div><div class='story'><p>" + "</p><p>".join(free) + "</p></div>"
        "<div class='promo-box'><p>" + "</p><p>".join(boxed) + "</p></div></div>"
    )
    assert line_roles(xml(""), [*free, *boxed], html) == ("prose",) * 9
    # the same box with one line in it is a promotion box
    one = fromstring(
        "<div><div class='story'><p>" + "</p><p>".join(free) + "</p></div>"
        f"<div class='promo-box'><p>{BRIEFING}</p></div></div>"
    )
    assert line_roles(xml(""), [*free, BRIEFING], one) == ("prose",) * 6 + ("promo",)


def test_a_long_paragraph_in_a_promotion_box_stays_prose() -> None:
    lines = [*PROSE["en"][:3], " ".join(PROSE["en"][3:])]
    html = fromstring(
        "<div><div class='story'><p>" + "</p><p>".join(lines[:3]) + "</p></div>"
        f"<div class='subscribe-box'><p>{BRIEFING}</p><p>{lines[3]}</p></div></div>"
    )
    roles = line_roles(xml(""), [*lines, BRIEFING], html)
    assert roles == ("prose", "prose", "prose", "prose", "promo")


def test_a_paragraph_with_a_few_links_is_prose() -> None:
    line = "The mayor said the bridge would reopen in spring, after the repairs."
    html = fromstring(
        "<p>The mayor said the <a href='/b'>bridge</a> would reopen in spring, "
        "after the repairs.</p>"
    )
    assert line_roles(None, [line], html) == ("prose",)


# --- storage form -------------------------------------------------------------------------
def test_roles_are_stored_as_one_letter_per_line() -> None:
    roles = ROLES
    body = "\n".join(f"line {n}" for n in range(len(roles)))
    codes = encode_roles(roles)
    assert len(codes) == len(roles) and len(set(codes)) == len(roles)
    assert decode_roles(codes, body) == roles


@pytest.mark.parametrize(
    ("codes", "body"),
    [(None, "one\ntwo"), ("", "one\ntwo"), ("p", "one\ntwo"), ("px", "one\ntwo"), ("pp", "")],
)
def test_roles_that_do_not_fit_the_body_are_unknown(codes: str | None, body: str) -> None:
    assert decode_roles(codes, body) == ()


# --- the site's words to its reader, left out of the body ---------------------------------------
# (language, a line a site's template writes among the article's paragraphs)
SITE_LINES = [
    ("en", "Follow us on Twitter, Facebook and Instagram for the latest news."),
    ("en", "Follow us"),
    ("en", "To read the full story, subscribe from one dollar a week."),
    ("en", "For breaking news alerts, download our free app for iPhone and Android."),
    ("en", "Never miss a story by signing up to our daily newsletter."),
    ("en", "Copyright 2026 Example News Ltd. All rights reserved."),
    ("en", "© Example News / Jane Roe"),
    ("en", "We want to hear from you. Submit a letter to the editor."),
    ("es", "Síguenos en Telegram y recibe las noticias al instante."),
    ("es", "¿Tienes Telegram? Únete a nuestro canal de Telegram."),
    ("es", "Hazte socio y disfruta de beneficios exclusivos"),
    ("es", "Créditos de foto: Ana Ruiz"),
    ("de", "Folgen Sie uns auf Facebook und Instagram!"),
    ("de", "Jetzt zum Newsletter anmelden"),
    ("de", "Sie sind aktuell nicht eingeloggt."),
    ("de", "Das könnte Sie auch interessieren:"),
    ("de", "Weitere aktuelle Themen aus der Region"),
    ("de", "Bildquelle: Max Muster"),
    ("de", "© 2026 Beispiel-Verlag. Alle Rechte vorbehalten."),
    ("fr", "Suivez-nous sur Facebook et Instagram."),
    ("fr", "Pour lire la suite, abonnez-vous à partir de 1 €."),
    ("fr", "Crédits photos : Jean Dupont"),
    ("pt", "Siga-nos no Instagram e no Facebook."),
    ("it", "Seguici su Facebook e Instagram."),
    ("pl", "Zapraszamy też do subskrypcji naszego tygodnika."),
    ("en", "Table of contents"),
    ("en", "Tags: drought, water, farming"),
    ("de", "Anzeige - Jetzt den Sommer im Süden buchen!"),
    ("de", "Schlagwörter: Dürre, Wasser, Landwirtschaft"),
    ("fr", "Mots-clés : sécheresse, eau"),
    ("en", "This article contains affiliate links: we may earn a commission."),
    ("de", "Der ausgetrocknete Stausee im August. © AFP / Max Muster"),
]


# A caption's numbered label, in several languages (revision 12).
FIGURE_LABELS = [
    ("en", "Figure 2: The reservoir at its lowest level, photographed from the dam."),
    ("en", "Table 1. Water levels of the southern reservoirs since 2010"),
    ("de", "Abbildung 4: klassische Schwachschicht. Der Unterschied ist klar ersichtlich."),
    ("de", "Abb. 3 - Der ausgetrocknete Stausee im August"),
    ("fr", "Tableau 2 : niveaux d'eau des réservoirs du sud"),
    ("es", "Figura 1: El embalse en su nivel más bajo"),
    ("pt", "Tabela 3 – Níveis de água dos reservatórios"),
    ("it", "Figura 5: Il lago artificiale ad agosto"),
]
# Sentences that open with the same words and stay: no mark after the number.
FIGURE_SENTENCES = [
    "Figure 1 shows the reservoir at its lowest level since records began, the agency said.",
    "Table 2 of the report lists every reservoir that fell below a third of its capacity.",
    "Abbildung 3 zeigt den Stausee im August, als der Pegel um vier Meter gefallen war.",
]


@pytest.mark.parametrize(("language", "line"), FIGURE_LABELS)
def test_a_numbered_figure_label_is_a_caption_left_out(language: str, line: str) -> None:
    prose = PROSE.get(language, PROSE["en"])
    article = extract_article(page(language if language in PROSE else "en", f"<p>{line}</p>"))
    assert article.body.split("\n") == prose


@pytest.mark.parametrize("sentence", FIGURE_SENTENCES)
def test_a_sentence_about_a_figure_stays(sentence: str) -> None:
    article = extract_article(page("en", f"<p>{sentence}</p>"))
    assert sentence in article.body.split("\n")


@pytest.mark.parametrize(("language", "line"), SITE_LINES)
def test_the_sites_words_to_its_reader_are_left_out(language: str, line: str) -> None:
    prose = PROSE.get(language, PROSE["en"])
    article = extract_article(page(language if language in PROSE else "en", f"<p>{line}</p>"))
    assert article.body.split("\n") == prose


# Sentences of an article that use the same words, and stay.
ARTICLE_SENTENCES = [
    "Investors will follow the company's results on Thursday closely, analysts said.",
    "The club said it would download the footage and hand it to the police on Monday.",
    "Der Minister sagte, die Opposition werde dem Plan nicht folgen, und verließ den Saal.",
    "La ministra pidió a los vecinos que se unan a la campaña de ahorro de agua este verano.",
    "Le journal a publié un rectificatif et présenté ses excuses à ses lecteurs mardi.",
    "Correction: an earlier version of this article misstated the reservoir's capacity. "
    "All rights reserved by the reservoir's operator were also misstated.",
    # a site line's words inside an article's own sentence or quotation (review2)
    "Die Polizei folgt uns seit Tagen auf Schritt und Tritt, sagte der Aktivist am Montag.",
    "Mehr als zwanzig Themen standen am Dienstag auf der Tagesordnung des Landtags.",
    "Millions of farmers download the app every month to check the water levels, it said.",
    "Regulators fined the site for hiding affiliate links from its readers last year.",
    "Critics who follow Musk on X said the post was deleted within an hour, the paper said.",
    "Los manifestantes gritaban \u00fanete a nosotros frente al parlamento el martes.",
    "The editor was unable to read the full story before it went to print, she said.",
    "Readers who subscribe to the newsletter received the wrong date, the paper said.",
    "El ministro anunci\u00f3 su dimisi\u00f3n en su canal de Telegram el martes por la noche.",
    "Il était déjà abonné au journal depuis vingt ans, a raconté son fils mardi.",
    "Ele j\u00e1 \u00e9 assinante do jornal h\u00e1 mais de vinte anos, contou o filho.",
    "\u201cAll rights reserved,\u201d read the sign on the gate, and the farmers turned back.",
    "\u00ab Suivez-nous ! \u00bb, a lanc\u00e9 le policier aux journalistes devant la mairie.",
]


@pytest.mark.parametrize("sentence", ARTICLE_SENTENCES)
def test_article_sentences_with_the_same_words_stay(sentence: str) -> None:
    article = extract_article(page("en", f"<p>{sentence}</p>"))
    assert sentence in article.body.split("\n")


# A line of links that reads as a teaser for another article is left out; other link lines stay.
TEASERS = [
    (
        "es",
        "<p><strong>Más:</strong> <a href='/b'>Protesta de agricultores ante el parlamento</a></p>",
    ),
    ("en", "<p>Read: <a href='/c'>The drought that emptied the southern reservoirs</a></p>"),
    ("de", "<p>Lesetipp: <a href='/d'>Wie die Dürre die Ernte im Süden vernichtet hat</a></p>"),
    ("de", "<p><a href='/e'>&gt;&gt; Bauern protestieren vor dem Landtag &lt;&lt;</a></p>"),
]
LINK_LINES_THAT_STAY = [
    "<p><a href='/f'>Drought leaves reservoirs at their lowest level in decades</a></p>",
    "<p>Quelle: <a href='https://example.org/plan'>https://example.org/plan</a></p>",
]


@pytest.mark.parametrize(("language", "teaser"), TEASERS)
def test_a_teaser_line_of_links_is_left_out(language: str, teaser: str) -> None:
    assert extract_article(page(language, teaser)).body.split("\n") == PROSE[language]


@pytest.mark.parametrize("links", LINK_LINES_THAT_STAY)
def test_other_lines_of_links_stay(links: str) -> None:
    article = extract_article(page("en", links))
    assert len(article.body.split("\n")) == len(PROSE["en"]) + 1


def test_a_paywall_prompt_stays_for_recording_to_read() -> None:
    # recording tells a paywall from the article by these words (`record.plan.interstitial_reason`)
    prompt = "Subscribe to continue reading. Already a subscriber? Log in."
    assert prompt in extract_article(page("en", f"<p>{prompt}</p>")).body.split("\n")


def test_a_page_that_is_all_promotion_keeps_its_lines() -> None:
    lines = ["Sign up for our newsletter", "Follow us on Twitter and Facebook"]
    html = (
        "<html><head><title>Newsletter</title></head><body><main><article>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + "</article></main></body></html>"
    )
    assert extract_article(html).body.split("\n") == lines


# An update or a correction note the site's template followed with its call to follow or
# subscribe, at the body's end (review of revision 12): the note is the article's, whatever the
# label ("Update:", "Aktualisierung:", "Mise à jour :") and whether the line is short (a
# promotion line) or long (the site's words at the body's end).
_CALL = {
    "en": "Follow us on Twitter for the latest news.",
    "de": "Folgen Sie uns auf Twitter.",
    "fr": "Suivez-nous sur Twitter.",
    "es": "Síguenos en Twitter.",
    "pt": "Siga-nos no Twitter.",
    "it": "Seguici su Twitter.",
}
_LONG = (
    " The road stays closed to lorries until the repairs to the bridge's eastern pillar are"
    " finished, which the council expects by the end of the month, and buses take the old"
    " road through the village in the meantime, the council said in a statement on Monday."
)
UPDATE_NOTES = [
    ("en", "Update: Police reopened the road on Monday evening."),
    ("en", "Update (5 p.m.): Police reopened the road on Monday evening."),
    ("en", "Clarification: the road was closed by the council, not the police."),
    ("de", "Aktualisierung: Die Polizei hat die Straße am Montagabend wieder freigegeben."),
    ("de", "Transparenzhinweis: Die Straße wurde vom Landkreis gesperrt, nicht von der Stadt."),
    ("fr", "Mise à jour : la police a rouvert la route lundi soir."),
    ("fr", "Précision : la route a été fermée par le département, pas par la ville."),
    ("es", "Actualización: la policía reabrió la carretera el lunes por la noche."),
    ("es", "Aclaración: la carretera la cerró el ayuntamiento, no la policía."),
    ("pt", "Atualização: a polícia reabriu a estrada na segunda-feira à noite."),
    ("pt", "Esclarecimento: a estrada foi fechada pela prefeitura, não pela polícia."),
    ("it", "Aggiornamento: la polizia ha riaperto la strada lunedì sera."),
    ("it", "Precisazione: la strada è stata chiusa dal comune, non dalla polizia."),
]


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
@pytest.mark.parametrize(("language", "note"), UPDATE_NOTES)
def test_an_update_note_before_the_sites_call_stays_at_the_end(
    language: str, note: str, long: bool
) -> None:
    line = f"{note}{_LONG if long else ''} {_CALL[language]}"
    prose = PROSE.get(language, PROSE["en"])
    html = page(language if language in PROSE else "en", f"<p>{line}</p>", where=len(prose))
    assert extract_article(html).body.split("\n") == [*prose, line]


# A rail of links under a heading naming related or more stories, each item a label and a link:
# furniture, though nothing in the container's class says so (revision 15).
RAIL_ITEMS = [
    # (heading markup, item markup, line)
    (
        "<h3 class='sectionHeader'>Related</h3>",
        "<h6><a href='/a'>News Analysis: Obama Nuclear Agenda Only Gets Harder</a>"
        " (December 22, 2010)</h6>",
        "News Analysis: Obama Nuclear Agenda Only Gets Harder (December 22, 2010)",
    ),
    (
        "<h3>Related</h3>",
        "<h6>Times Topic: <a href='/t'>New Start Treaty</a></h6>",
        "Times Topic: New Start Treaty",
    ),
    (
        "<h2><a href='/mm/'>Top multimedia</a></h2>",
        "<h3><span>Infographics: </span><a href='/i'>Fairytale Map of Russia</a></h3>",
        "Infographics: Fairytale Map of Russia",
    ),
    (
        "<h4>Mehr zum Thema</h4>",
        "Bildergalerie: <a href='/b'>Die Hochwasser im Ahrtal</a>",
        "Bildergalerie: Die Hochwasser im Ahrtal",
    ),
    (
        "<h4>Sur le même sujet</h4>",
        "Notre reportage vidéo : <a href='/v'>la crue de la Seine</a>",
        "Notre reportage vidéo : la crue de la Seine",
    ),
    (
        "<h4>Noticias relacionadas</h4>",
        "Galería: <a href='/g'>Las inundaciones en Valencia</a>",
        "Galería: Las inundaciones en Valencia",
    ),
    (
        "<h4>Leia também</h4>",
        "Vídeo: <a href='/v'>A cheia do rio Tejo</a>",
        "Vídeo: A cheia do rio Tejo",
    ),
    (
        "<h4>Articoli correlati</h4>",
        "Foto: <a href='/f'>L'alluvione in Emilia-Romagna</a>",
        "Foto: L'alluvione in Emilia-Romagna",
    ),
]


def rail_page(heading: str, item: str, wrapped: bool) -> HtmlElement:
    items = f"<ul><li>{item}</li><li>Video: <a href='/x'>Another story</a></li></ul>"
    rail = f"{heading}<div class='ovf'>{items}</div>" if wrapped else f"{heading}{items}"
    return fromstring(
        "<div><div class='story'><p>" + "</p><p>".join(PROSE["en"]) + "</p></div>"
        f"<div class='columnGroup'>{rail}</div></div>"
    )


@pytest.mark.parametrize("wrapped", [False, True])
@pytest.mark.parametrize(("heading", "item", "line"), RAIL_ITEMS)
def test_a_labelled_link_in_a_rail_of_related_stories_is_furniture(
    heading: str, item: str, line: str, wrapped: bool
) -> None:
    lines = [*PROSE["en"], line]
    body = xml("<p>" + "</p><p>".join(PROSE["en"]) + f"</p><list><item>{line}</item></list>")
    roles = line_roles(body, lines, rail_page(heading, item, wrapped))
    assert roles == ("prose",) * len(PROSE["en"]) + ("promo",)


# Real lists keep their role: an article's own heading over labelled links, a rail item whose
# label is followed by words of its own, a list under no heading.
REAL_LISTS = [
    (
        "<h3>What the plan includes</h3>",
        "Reservoirs: <a href='/r'>three new ones in the south</a>",
        "Reservoirs: three new ones in the south",
    ),
    (
        "<h3>Related</h3>",
        "Farmers: <a href='/f'>the union</a> says the plan comes years too late for the valleys",
        "Farmers: the union says the plan comes years too late for the valleys",
    ),
    ("", "Canals: <a href='/c'>repairs to old canals</a>", "Canals: repairs to old canals"),
    (
        "<h3>Related</h3>",
        "Repairs to <a href='/c'>old canals</a> and new gauges",
        "Repairs to old canals and new gauges",
    ),
]


@pytest.mark.parametrize(("heading", "item", "line"), REAL_LISTS)
def test_a_list_that_is_no_rail_of_related_stories_stays_a_list(
    heading: str, item: str, line: str
) -> None:
    lines = [*PROSE["en"], line]
    body = xml("<p>" + "</p><p>".join(PROSE["en"]) + f"</p><list><item>{line}</item></list>")
    roles = line_roles(body, lines, rail_page(heading, item, wrapped=False))
    assert roles[-1] == "list_item"


# A label and a list of links is a line of links (tags, topics, photo galleries), left out of
# the body as a teaser is, however long its label: "See photos of: NFL, Brett Favre, ...". A
# sentence that opens with the same words, or a label before one link inside prose, stays.
LABELLED_LINKS = [
    (
        "en",
        "<p>See photos of: <a href='/g/nfl'>NFL</a>, <a href='/g/favre'>Brett Favre</a>, "
        "<a href='/g/vikings'>Minnesota Vikings</a></p>",
        "See photos of: NFL, Brett Favre, Minnesota Vikings",
    ),
    (
        "de",
        "<p>Fotos zum Thema: <a href='/b/berlin'>Berlin</a>, <a href='/b/verkehr'>Verkehr"
        "</a> und <a href='/b/bahn'>Deutsche Bahn</a></p>",
        "Fotos zum Thema: Berlin, Verkehr und Deutsche Bahn",
    ),
    (
        "es",
        "<p>Ver fotos de: <a href='/f/madrid'>Madrid</a> | <a href='/f/sequia'>Sequía</a> | "
        "<a href='/f/campo'>Agricultura</a></p>",
        "Ver fotos de: Madrid | Sequía | Agricultura",
    ),
]


@pytest.mark.parametrize(("language", "extra", "line"), LABELLED_LINKS)
def test_a_label_before_a_list_of_links_is_a_line_of_links(
    language: str, extra: str, line: str
) -> None:
    html = page(language, extra)
    assert line_roles(None, [*PROSE[language], line], fromstring(html))[-1] == "link_dense"
    assert extract_article(html).body.split("\n") == PROSE[language]


STILL_PROSE = [
    (
        "en",
        "<p>See photos of the flooded valley, taken by <a href='/r'>residents</a> on Sunday "
        "morning, in our gallery.</p>",
        "See photos of the flooded valley, taken by residents on Sunday morning, in our gallery.",
    ),
    (
        "de",
        "<p>Die Bilder zeigen es: <a href='/t'>das Tal</a> und <a href='/b'>die Brücke</a> "
        "stehen seit Sonntag unter Wasser, sagte der Bürgermeister.</p>",
        "Die Bilder zeigen es: das Tal und die Brücke stehen seit Sonntag unter Wasser, sagte der "
        "Bürgermeister.",
    ),
]


@pytest.mark.parametrize(("language", "extra", "line"), STILL_PROSE)
def test_a_sentence_with_a_label_or_a_link_stays_prose(
    language: str, extra: str, line: str
) -> None:
    html = page(language, extra)
    assert line_roles(None, [*PROSE[language], line], fromstring(html))[-1] == "prose"


# A label and one link to another article of the site, set between the article's paragraphs: a
# teaser in any language, whatever the share of its letters the link holds (the label may be
# long: "FUNDA OLUNYE UDABA LAPHA |"), in a paragraph or a list item, the label in bold or ending
# in a mark. (page language, teaser)
LABELLED_TEASERS = [
    (
        "en",  # Zulu: "read another story here"
        "<p><strong>FUNDA OLUNYE UDABA LAPHA |</strong> "
        "<a href='https://example.com/119057/kuboshwe/'>Kuboshwe abahlanu besolwa ngokugwaza "
        "umfundi</a></p>",
    ),
    (
        "de",
        "<ul><li>Zum Artikel: <a href='https://www.example.com/nachrichten/tarifrunde,VGlx'>"
        "Tarifrunde im ÖPNV: Das wird verhandelt</a></li></ul>",
    ),
    (
        "de",
        "<ul><li><strong>Kinderschutz als Vorwand? </strong><a href='/politik/article4095'>Warum "
        "Neonazis Kinderschützer spielen</a></li></ul>",
    ),
    (
        "es",
        "<p><b>Nota relacionada |</b> <a href='/politica/n2999'>La sequía vacía los embalses del "
        "sur</a></p>",
    ),
    (
        "en",  # Norwegian
        "<p><strong>Les også denne saken:</strong> <a href='/nyheter/solskjaer/81'>Solskjær "
        "kan bli manager igjen</a></p>",
    ),
    (
        "en",  # French, the label set off by »
        "<p>Notre dossier » <a href='/dossier/eau'>Sécheresse, les réservoirs du sud à sec</a></p>",
    ),
]
# A link after a label that leaves the site, lists a dated source, carries a sentence on or is
# no headline stays the article's.
LABELLED_LINKS_THAT_STAY = [
    "<p><strong>The study by the university:</strong> <a href='https://journals.example.org/dry'>"
    "Drought and harvest losses</a></p>",
    "<p>8 December 2019: <a href='/press/liberation'>Article in Libération on the strike "
    "fund</a></p>",
    "<p><strong>Officials said</strong> <a href='/report'>the full report on the reservoirs</a> "
    "would be published on Monday.</p>",
    "<p><strong>Map:</strong> <a href='/map'>Reservoirs</a></p>",
]
CANONICAL = "<head><link rel='canonical' href='https://www.example.com/water-plan'>"


@pytest.mark.parametrize(("language", "teaser"), LABELLED_TEASERS)
def test_a_label_and_a_link_to_another_article_is_left_out(language: str, teaser: str) -> None:
    html = page(language, teaser).replace("<head>", CANONICAL)
    assert extract_article(html).body.split("\n") == PROSE[language]


@pytest.mark.parametrize("links", LABELLED_LINKS_THAT_STAY)
def test_a_label_and_a_link_that_is_no_teaser_stays(links: str) -> None:
    article = extract_article(page("en", links).replace("<head>", CANONICAL))
    assert len(article.body.split("\n")) == len(PROSE["en"]) + 1


# A video page: its own text is one paragraph; the rest of what trafilatura reads is teaser
# cards, each wrapped in its own link (title, running time, deck), named like promotions or not,
# most of the body (pairs17's CBC video page: the rails read as the body). Each card is furniture
# however much of the body the cards are; a link the page left open around the whole article is
# no card.
VIDEO_DESCRIPTION = (
    "The leader of the provincial party speaks to reporters after losing her own seat in the "
    "election, and says she will stay on until the party chooses her successor."
)
CARDS = [
    ("Video shows fire at a work camp", "0:35", "A viewer's video captures flames and smoke."),
    ("Couple marries among a thousand cats", "1:12", "They flew across the country to do it."),
    ("Torchbearer's remarkable journey", "2:03", "Homeless two years ago, he lit the cauldron."),
    ("Reunion with the rescuers", "3:41", "There were hugs and tears on the beach."),
]


def video_page(cards: str) -> HtmlElement:
    return fromstring(
        f"<div><div class='story-primary'><p>{VIDEO_DESCRIPTION}</p></div>"
        f"<div class='story-secondary'>{cards}</div></div>"
    )


@pytest.mark.parametrize("title_class", ["promo-title", "headline"])
def test_teaser_cards_each_in_its_own_link_are_furniture_however_much_of_the_body(
    title_class: str,
) -> None:
    cards = "".join(
        f"<div class='card'><a href='/video/{i}'><p class='{title_class}'>{title}</p>"
        f"<p class='runtime'>{time}</p><p class='deck'>{deck}</p></a></div>"
        for i, (title, time, deck) in enumerate(CARDS)
    )
    lines = [VIDEO_DESCRIPTION, *(line for card in CARDS for line in card)]
    roles = line_roles(xml(""), lines, video_page(cards))
    assert roles[0] == "prose"
    assert all(role in ("link_dense", "promo") for role in roles[1:]), roles


def test_the_article_inside_a_link_left_open_stays_prose() -> None:
    lines = PROSE["en"]
    html = fromstring(
        "<div><a href='/'>Home<div class='story'><p>"
        + "</p><p>".join(lines)
        + "</p></div></a></div>"
    )
    assert line_roles(xml(""), lines, html) == ("prose",) * len(lines)


def test_a_headline_in_a_promotion_box_and_in_a_rails_link_is_furniture() -> None:
    # the same teaser in a carousel of promotions and in a list of links: furniture in both
    # places, whichever each says
    lead = PROSE["en"][:3]
    teaser = "Accused thought the staff were trying to poison him, court hears"
    html = fromstring(
        "<div><div class='story'><p>" + "</p><p>".join(lead) + "</p></div>"
        f"<ul class='lineup'><li><a href='/news/1'>{teaser}</a></li></ul>"
        f"<div class='carousel'><a href='/news/1'><p class='promo-title'>{teaser}</p></a></div>"
        "</div>"
    )
    roles = line_roles(xml(""), [*lead, teaser], html)
    assert roles[:3] == ("prose",) * 3
    assert roles[3] in ("link_dense", "promo")


# A video page's "latest" rail: cards opening with a heading that is wholly a link to another
# video, the deck a paragraph of its own, unlinked (pairs16's cricket.com.au page: the decks read
# as the body). The deck is the card's, however much of the body the cards are; a short article
# whose heading links to the page itself, and the article's paragraphs under a linked
# subheading, stay the article's.
def card_page(cards: list[tuple[str, str]], head: str = "") -> HtmlElement:
    return fromstring(
        f"<html><head>{head}</head><body><div class='video'><p>{VIDEO_DESCRIPTION}</p></div>"
        + "".join(
            f"<div class='latest'><h3><a href='/video/{i}'>{title}</a></h3>"
            f"<div class='text'><p>{deck}</p></div><div class='info'><span>2h</span></div></div>"
            for i, (title, deck) in enumerate(cards)
        )
        + "</body></html>"
    )


def test_a_decks_card_opening_with_a_link_to_another_page_is_furniture() -> None:
    cards = [(title, deck) for title, _, deck in CARDS]
    lines = [VIDEO_DESCRIPTION, *(deck for _, deck in cards)]
    roles = line_roles(xml(""), lines, card_page(cards))
    assert roles == ("prose",) + ("promo",) * len(cards)


def test_a_decks_card_beside_the_videos_own_paragraph_is_furniture() -> None:
    # the one paragraph describing the video beside the rail's cards: no article's body
    cards = [(title, deck) for title, _, deck in CARDS]
    html = card_page(cards)
    video = html.find(".//div[@class='video']")
    video.getparent().replace(video, video[0])
    lines = [VIDEO_DESCRIPTION, *(deck for _, deck in cards)]
    assert line_roles(xml(""), lines, html) == ("prose",) + ("promo",) * len(cards)


def test_a_short_article_whose_heading_links_to_itself_stays_prose() -> None:
    deck = "The council closed the bridge to lorries after engineers found cracks in it."
    html = fromstring(
        "<html><head><link rel='canonical' href='https://news.example/2024/bridge'></head><body>"
        "<div class='story'><h2><a href='https://news.example/2024/bridge'>Bridge closed to "
        f"lorries</a></h2><p>{deck}</p></div></body></html>"
    )
    assert line_roles(xml(""), [deck], html) == ("prose",)


def test_paragraphs_under_a_linked_subheading_in_the_article_stay_prose() -> None:
    lines = PROSE["en"]
    html = fromstring(
        "<div class='story'><h3><a href='/topics/water'>The water plan</a></h3><p>"
        + "</p><p>".join(lines)
        + "</p></div>"
    )
    assert line_roles(xml(""), lines, html) == ("prose",) * len(lines)


# What a reader would call the article's own text though it sits near a link to another page of
# the site: none of it is a teaser card's deck. Each case: the HTML set among the article's
# paragraphs, and its lines.
ROE = (
    "Jane Roe, 54, a former teacher from Alcora, runs for the Greens on a promise to finish the "
    "reservoirs."
)
CASTILLO = (
    "Mary Ann Castillo, 61, has farmed in the southern valleys all her life and leads the "
    "farmers' union."
)
SPEECH = (
    "The minister first promised the plan <a href='/news/2025/water-plan-promised'>in a speech "
    "last spring</a>, when the reservoirs stood at a third of their capacity."
)
NEXT_STEP = "Engineers will survey the three sites this winter and publish their choice in March."
NOT_TEASERS = {
    "a paragraph linking to another article of the site": (
        f"<p>{SPEECH}</p>",
        ["The minister first promised the plan in a speech last spring, when the reservoirs "
         "stood at a third of their capacity."],
    ),
    "an election guide's boxes: a candidate's linked name and a short bio": (
        f"<div class='candidate'><h3><a href='/people/jane-roe'>Jane Roe</a></h3><p>{ROE}</p></div>"
        "<div class='candidate'><h3><a href='/people/mary-ann-castillo'>Mary Ann Castillo</a>"
        f"</h3><p>{CASTILLO}</p></div>",
        [ROE, CASTILLO],
    ),
    "an explainer's short section under a heading linking to a topic page": (
        "<section><h3><a href='/topics/reservoirs'>The new reservoirs</a></h3>"
        f"<p>{NEXT_STEP}</p></section>",
        [NEXT_STEP],
    ),
}  # fmt: skip


def guide_page(extra: str) -> HtmlElement:
    head = "<link rel='canonical' href='https://news.example/2026/water-plan'>"
    paragraphs = [f"<p>{text}</p>" for text in PROSE["en"]]
    paragraphs.insert(2, extra)
    return fromstring(
        f"<html><head>{head}</head><body><main><article><h1>Water plan</h1>"
        f"<div class='article-body'>{''.join(paragraphs)}</div></article></main></body></html>"
    )


@pytest.mark.parametrize("extra, lines", NOT_TEASERS.values(), ids=NOT_TEASERS.keys())
def test_the_articles_own_text_beside_a_link_to_the_site_is_no_teaser(
    extra: str, lines: list[str]
) -> None:
    body = [*PROSE["en"][:2], *lines, *PROSE["en"][2:]]
    roles = line_roles(xml(""), body, guide_page(extra))
    assert roles == ("prose",) * len(body)


def test_a_related_line_among_the_paragraphs_is_furniture() -> None:
    related = "Related: Drought ruins the harvest in the southern valleys"
    extra = (
        "<p><strong>Related:</strong> <a href='/news/2025/drought-ruins-harvest'>Drought ruins "
        "the harvest in the southern valleys</a></p>"
    )
    body = [*PROSE["en"][:2], related, *PROSE["en"][2:]]
    roles = line_roles(xml(""), body, guide_page(extra))
    assert roles == ("prose", "prose", "promo", "prose", "prose", "prose")
