"""The site's note on how it writes or checks its articles, set under each one ("Our Standards:
The Thomson Reuters Trust Principles.", "Medically reviewed by ...", the medical sites' "Dieser
Text entspricht den Vorgaben der ärztlichen Fachliteratur ..."), and the syndication note under
a republished story ("This article originally appeared on The Conversation", revision 23) are
the site's words to its reader (`lexicon.SITE_LINES`): left out of the body in several
languages; the article's sentences with the same words stay (revision 17)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_site_line
from tests.test_roles import PROSE, page

# (language, the site's note)
NOTES = [
    ("en", "Our Standards: The Thomson Reuters Trust Principles."),
    ("en", "Our editorial standards: every article is checked by two editors."),
    ("en", "Medically reviewed by Jane Roe, MD"),
    ("en", "Fact-checked by John Doe"),
    ("es", "Nuestras normas: Los principios de confianza de Thomson Reuters."),
    ("es", "Revisado médicamente por la Dra. Ana Ruiz"),
    (
        "de",
        "Dieser Text entspricht den Vorgaben der ärztlichen Fachliteratur, medizinischen "
        "Leitlinien sowie aktuellen Studien und wurde von Medizinern geprüft.",
    ),
    ("de", "Unsere Standards: Die Thomson Reuters Trust Principles."),
    ("de", "Medizinisch geprüft von Dr. Max Muster"),
    ("fr", "Nos standards : les principes de confiance de Thomson Reuters."),
    ("pt", "Nossos padrões: Os princípios de confiança da Thomson Reuters."),
    ("it", "I nostri standard: i principi di fiducia di Thomson Reuters."),
]
# The syndication note under a republished story (revision 23), likewise.
SYNDICATION = [
    ("en", "This article originally appeared on The Conversation, an independent news source."),
    ("en", "This story was originally published by ProPublica."),
    ("en", "This article is republished from The Conversation under a Creative Commons license."),
    ("en", "Republished with permission from Grist."),
    ("es", "Este artículo fue publicado originalmente en The Conversation."),
    ("es", "Este artículo es republicado de The Conversation bajo una licencia Creative Commons."),
    ("de", "Dieser Artikel erschien zuerst auf The Conversation."),
    ("de", "Dieser Beitrag ist ursprünglich bei Spektrum erschienen."),
    ("fr", "Cet article a été initialement publié sur The Conversation."),
    ("fr", "Cet article est republié à partir de The Conversation sous licence Creative Commons."),
    ("pt", "Este artigo foi publicado originalmente no The Conversation."),
    ("it", "Questo articolo è stato pubblicato originariamente su The Conversation."),
]
# Sentences of an article with the same words: they stay.
SENTENCES = [
    "Our standards are higher than the regulator's, the chief executive told shareholders.",
    "The report was fact-checked by an independent panel before it was published in May.",
    "Dieser Text entspricht den Vorgaben des Gesetzes, sagte die Ministerin am Montag.",
    "Die Kommission hat die Trust Principles der Agentur am Dienstag erneut geprüft.",
    "Los principios de confianza de la agencia fueron revisados por su consejo en marzo.",
]


# ... and with the syndication note's words.
SYNDICATED_SENTENCES = [
    "The article originally said the mayor had resigned, which was not true, the court heard.",
    "The story first appeared in a local paper in 1998, when the mine was still open.",
    "Her essay was republished in three languages after the election.",
    "Der Artikel erschien am Montag, zwei Tage vor der Wahl, in der Zeitung.",
]


@pytest.mark.parametrize(("language", "line"), NOTES + SYNDICATION)
def test_the_sites_standards_note_is_left_out(language: str, line: str) -> None:
    assert is_site_line(line)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, f"<p>{line}</p>"))
    assert article.body.split("\n") == PROSE[lang]


@pytest.mark.parametrize("sentence", SENTENCES + SYNDICATED_SENTENCES)
def test_an_articles_sentence_with_the_same_words_stays(sentence: str) -> None:
    assert not is_site_line(sentence)
    assert sentence in extract_article(page("en", f"<p>{sentence}</p>")).body.split("\n")
