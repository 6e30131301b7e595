"""A list of teaser excerpts (other stories' first words, cut off with an ellipsis) rotating on a
section or topic page is recorded, never significant; the page's own sentences still count."""

from __future__ import annotations

import pytest

from monitor.compare.comparison import compare_bodies
from monitor.compare.excerpts import excerpt_paragraphs

# (language, a heading line, three excerpts the old page lists, an excerpt that replaces the
# first one on the new page, the last excerpt cut further on on the new page)
LISTS = [
    (
        "English",
        "Latest news from Lake Elsinore",
        [
            (
                "Authorities reopened the Ortega Highway between Lake "
                "Elsinore and Orange County at 6 p.m..."
            ),
            (
                "Canyon Lake residents interested in serving the last "
                "two years of a vacant seat have until..."
            ),
            (
                "The city council voted on Tuesday to extend the "
                "moratorium on new warehouses for another…"
            ),
        ],
        (
            "Too often, prospective proprietors trying to open up "
            "businesses in the city have encountered..."
        ),
        (
            "The city council voted on Tuesday to extend the moratorium on new "
            "warehouses for another year, citing traffic on..."
        ),
    ),
    (
        "German",
        "Mehr zum Thema",
        [
            (
                "Es war ein Moment für die Ewigkeit: Am 9. November 1989 "
                "strömten Tausende zur Grenze und verlangten,..."
            ),
            (
                "Junge Arbeitnehmer gelten als innovativ, mutig, "
                "motiviert und kreativ. Alte Arbeitnehmer..."
            ),
            (
                "Der Winterdienst war in der Nacht mit allen "
                "verfügbaren Fahrzeugen im Einsatz, doch..."
            ),
        ],
        (
            "Ost-Berlin im historischen Einheitsjahr 1990. Acht Tage war das "
            "Jahr erst alt. Man sieht eine alte Trambahn..."
        ),
        (
            "Der Winterdienst war in der Nacht mit allen verfügbaren "
            "Fahrzeugen im Einsatz, doch viele Straßen blieben..."
        ),
    ),
    (
        "French",
        "À lire aussi",
        [
            (
                "Le conseil municipal a adopté mardi soir un budget en "
                "hausse de 4 % malgré l'opposition de..."
            ),
            (
                "Les habitants du quartier réclament depuis des mois la "
                "réouverture de la piscine fermée en…"
            ),
            (
                "La préfecture a annoncé la fermeture de deux écoles "
                "après les inondations de la semaine..."
            ),
        ],
        (
            "Un incendie s'est déclaré dans la nuit dans un entrepôt de "
            "la zone industrielle, où les pompiers..."
        ),
        (
            "La préfecture a annoncé la fermeture de deux écoles après les "
            "inondations de la semaine dernière, qui ont..."
        ),
    ),
    (
        "Spanish",
        "Más noticias",
        [
            (
                "El Ayuntamiento aprobó este martes un plan para "
                "renovar el alumbrado de todo el casco..."
            ),
            (
                "Los vecinos del barrio llevan meses pidiendo la "
                "reapertura del centro de salud, cerrado desde…"
            ),
            (
                "La policía detuvo a dos personas tras el robo en una "
                "joyería del centro, que se produjo..."
            ),
        ],
        "Miles de personas se bañaron en el mar el día de Año Nuevo para empezar el año con...",
        (
            "La policía detuvo a dos personas tras el robo en una joyería "
            "del centro, que se produjo el lunes por..."
        ),
    ),
    (
        "Italian",
        "Leggi anche",
        [
            (
                "Il consiglio comunale ha approvato ieri sera il nuovo "
                "piano del traffico per il centro..."
            ),
            (
                "I residenti chiedono da mesi la riapertura della "
                "biblioteca chiusa dopo il terremoto del…"
            ),
            (
                "La polizia ha fermato due persone dopo il furto in una "
                "gioielleria del centro, avvenuto..."
            ),
        ],
        (
            "Migliaia di persone hanno partecipato al tuffo di "
            "Capodanno nel lago per iniziare l'anno..."
        ),
        (
            "La polizia ha fermato due persone dopo il furto in una "
            "gioielleria del centro, avvenuto lunedì sera..."
        ),
    ),
    (
        "Portuguese",
        "Leia também",
        [
            (
                "A câmara municipal aprovou na terça-feira um plano "
                "para renovar a iluminação do centro..."
            ),
            "Os moradores do bairro pedem há meses a reabertura do posto de saúde, fechado desde…",
            (
                "A polícia deteve duas pessoas depois do assalto a "
                "uma joalharia no centro, ocorrido..."
            ),
        ],
        "Milhares de pessoas mergulharam no mar no dia de Ano Novo para começar o ano com...",
        (
            "A polícia deteve duas pessoas depois do assalto a uma "
            "joalharia no centro, ocorrido na segunda-feira à..."
        ),
    ),
]


@pytest.mark.parametrize(("language", "heading", "teasers", "rotated_in", "cut_further"), LISTS)
def test_a_rotating_list_of_cut_excerpts_is_not_significant(
    language: str, heading: str, teasers: list[str], rotated_in: str, cut_further: str
) -> None:
    old = "\n".join([heading, *teasers])
    new = "\n".join([heading, rotated_in, teasers[1], cut_further])
    edits = compare_bodies(old, new)
    assert edits, language
    assert [e for e in edits if e.significant] == [], language
    assert any("teaser's excerpt" in r for e in edits for r in e.reasons), language


STORY = [
    "The city council voted on Tuesday to extend the moratorium on new warehouses.",
    "Residents had asked for a longer pause, citing traffic on the two-lane road.",
]
RELATED = [
    "Authorities reopened the Ortega Highway between Lake Elsinore and Orange County at 6 p.m...",
    "Canyon Lake residents interested in serving the last two years of a vacant seat have until...",
]


def test_the_story_own_sentences_next_to_a_list_of_excerpts_still_count() -> None:
    added = "The mayor said the council would vote again in March on a permanent ban."
    old = "\n".join([*STORY, *RELATED])
    new = "\n".join([STORY[0], added, STORY[1], *RELATED])
    assert [e.kind for e in compare_bodies(old, new) if e.significant] == ["sentence_added"]


@pytest.mark.parametrize(
    ("what", "paragraphs", "excerpts"),
    [
        ("two cut excerpts", [STORY[0], *RELATED], {1, 2}),
        ("one trailing ellipsis is a style, not a list", [STORY[0], RELATED[0]], set()),
        (
            "an ellipsis before a closing quotation mark is a quotation trailing off",
            ['He said: "We will see what happens..."', 'She answered: "Maybe next year..."'],
            set(),
        ),
        (
            "a sentence that ends before the ellipsis is not cut",
            ["The vote was close. ...", "Nobody expected it. ..."],
            set(),
        ),
    ],
)
def test_which_paragraphs_are_cut_excerpts(
    what: str, paragraphs: list[str], excerpts: set[int]
) -> None:
    assert excerpt_paragraphs(paragraphs) == excerpts, what
