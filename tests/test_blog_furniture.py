"""A blog's comment form and post footer are the site's words to its reader
(`lexicon.SITE_LINES`, revision 23): the form's note on the reader's address ("Your email address
will not be published. Required fields are marked *", in WordPress's words in several languages),
the trackback and feed lines, the link to the author's other posts ("View all posts by Jane"),
the tags set after the post's stamp ("Published: May 5, 2012 | Tags: ...") and the author's box
opening its line ("About the Author: ..."); and more of the site's calls and notes opening their
line: to visit it on a network or follow its account, to write to its reporters, to leave an
address for its mailing list, its copyright and its disclaimer on its writers' views. Each is
left out of the body; the article's sentences with the same words stay."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_site_line
from tests.test_roles import PROSE, page

# (language, the line)
LINES = [
    ("en", "Your email address will not be published. Required fields are marked *"),
    ("en", "Mail (will not be published) (required)"),
    ("en", "Your e-mail is never shared."),
    ("en", "TrackBack URL for this entry:"),
    (
        "en",
        "You can follow any responses to this entry through the RSS 2.0 feed. You can leave a "
        "response, or trackback from your own site.",
    ),
    ("en", "blog comments powered by Disqus"),
    ("en", "View all posts by Becky"),
    ("en", "Published: November 7th, 2012 | Tags: Harbour, Bridge, Westbrook Council"),
    ("en", "Gazette Staff | Tags: Harbour, Bridge"),
    ("en", "Posted in Transport, Westbrook | Post a Comment | RSS Feed"),
    ("en", "About the Author: Jane Roe writes about transport and cities for the Gazette."),
    ("en", "Visit the Gazette on Facebook, Flickr, YouTube and Twitter"),
    ("en", "Follow @gazetteworld for breaking news and headlines."),
    ("en", "Write to Jane Roe at jane.roe@gazette.example and John Doe at john@gazette.example"),
    ("en", "If you enjoyed this article, enter your email below to get free updates!"),
    ("en", "(c) 2012 The Westbrook Gazette |"),
    ("en", "Copyright © 2026 Example News. Printed from the website."),
    (
        "en",
        "This blog reflects the personal opinions of individual contributors and does not "
        "represent the views of the Gazette.",
    ),
    ("en", "The views expressed in this article are the author's own."),
    ("de", "Besuchen Sie uns auf Facebook und Instagram!"),
    (
        "de",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
    ),
    ("de", "Alle Beiträge von Anna Muster anzeigen"),
    ("de", "Veröffentlicht am 5. Mai 2012 | Schlagwörter: Wasser, Landtag"),
    ("de", "Über den Autor: Max Muster schreibt seit 2010 über Umwelt und Landwirtschaft."),
    ("es", "Tu dirección de correo electrónico no será publicada."),
    ("es", "Los campos obligatorios están marcados con *"),
    ("es", "Ver todas las entradas de Ana Ruiz"),
    ("fr", "Votre adresse e-mail ne sera pas publiée."),
    ("fr", "Les champs obligatoires sont indiqués avec *"),
    ("fr", "Voir tous les articles de Marie Dupont"),
    ("pt", "O seu endereço de e-mail não será publicado."),
    ("pt", "Campos obrigatórios são marcados com *"),
    ("pt", "Ver todos os posts de João Silva"),
    ("it", "Il tuo indirizzo email non sarà pubblicato."),
    ("it", "I campi obbligatori sono contrassegnati *"),
    ("it", "Visualizza tutti gli articoli di Mario Rossi"),
]
# The article's sentences with the same words: they stay.
SENTENCES = [
    ("en", "The names of the farmers who wrote to the minister will not be published, she said."),
    ("en", "Readers can view all the plans for the new reservoirs at the town hall until Friday."),
    ("en", "The email address of the inspector will be published in the council's minutes."),
    ("en", "About the author of the report, the minister said only that he had worked for her."),
    ("en", "Posted in Brussels since 2019, the ambassador said the plan came too late for them."),
    ("en", "Copyright lawyers said the plan would not change who owns the water rights there."),
    ("en", "Follow the money, the minister said, and you will see who gains from the reservoirs."),
    ("en", "Visitors can visit the dam on Saturday, when the water board opens it to the public."),
    ("en", "The views of the farmers were heard in the regional parliament before the final vote."),
    (
        "de",
        "Die E-Mail-Adresse der Beschwerdestelle wird am Montag auf der Seite des Landtags stehen.",
    ),
    (
        "de",
        "Die Namen der Landwirte werden nicht veröffentlicht, sagte eine Sprecherin des Ministers.",
    ),
]


def body_lines(language: str, line: str, where: int = 2) -> list[str]:
    """The body of an article page in `language` (English for a language without its own
    paragraphs) with `line` as a paragraph of its own at `where`."""
    lang = language if language in PROSE else "en"
    return extract_article(page(lang, f"<p>{line}</p>", where=where)).body.split("\n")


@pytest.mark.parametrize(
    ("language", "line", "site_words"),
    [*((language, line, True) for language, line in LINES), *((*s, False) for s in SENTENCES)],
)
def test_the_blogs_furniture_leaves_the_body_and_the_articles_sentences_stay(
    language: str, line: str, site_words: bool
) -> None:
    assert is_site_line(line) is site_words
    lines = body_lines(language, line)
    assert (line in lines) is not site_words
    assert [body_line for body_line in lines if body_line != line] == PROSE.get(
        language, PROSE["en"]
    )
