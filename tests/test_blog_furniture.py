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
    "The names of the farmers who wrote to the minister will not be published, her office said.",
    "Readers can view all the plans for the new reservoirs at the town hall until Friday.",
    "The email address of the inspector will be published in the council's minutes next week.",
    "About the author of the report, the minister said only that he had worked for her before.",
    "Posted in Brussels since 2019, the ambassador said the plan came too late for the farmers.",
    "Copyright lawyers said the plan would not change who owns the water rights in the valley.",
    "Follow the money, the minister said, and you will see who gains from the new reservoirs.",
    "Visitors can visit the dam on Saturday, when the water board opens it to the public.",
    "The views of the farmers were heard in the regional parliament before the final vote.",
    "Die E-Mail-Adresse der Beschwerdestelle wird am Montag auf der Seite des Landtags stehen.",
    "Die Namen der Landwirte werden nicht veröffentlicht, sagte eine Sprecherin des Ministeriums.",
]


@pytest.mark.parametrize(("language", "line"), LINES)
def test_the_blogs_comment_form_and_post_footer_are_left_out(language: str, line: str) -> None:
    assert is_site_line(line)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, f"<p>{line}</p>"))
    assert article.body.split("\n") == PROSE[lang]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_an_articles_sentence_with_the_same_words_stays(sentence: str) -> None:
    assert not is_site_line(sentence)
    lang = "de" if "Landtag" in sentence or "Ministeriums" in sentence else "en"
    assert sentence in extract_article(page(lang, f"<p>{sentence}</p>")).body.split("\n")
