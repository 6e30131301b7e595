"""The syndication note under a republished story ("This article originally appeared on The
Conversation") is the site's words to its reader (`lexicon.SITE_OPENERS`): left out of the body
in several languages, so a template that adds it to every story changes no article; the
article's sentences with the same words stay (revision 23)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_site_line
from tests.test_roles import PROSE, page

# (language, the site's note)
NOTES = [
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
    "The article originally said the mayor had resigned, which was not true, the court heard.",
    "The story first appeared in a local paper in 1998, when the mine was still open.",
    "Her essay was republished in three languages after the election.",
    "Der Artikel erschien am Montag, zwei Tage vor der Wahl, in der Zeitung.",
]


@pytest.mark.parametrize(("language", "line"), NOTES)
def test_the_syndication_note_is_left_out(language: str, line: str) -> None:
    assert is_site_line(line)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, f"<p>{line}</p>"))
    assert article.body.split("\n") == PROSE[lang]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_an_articles_sentence_with_the_same_words_stays(sentence: str) -> None:
    assert not is_site_line(sentence)
