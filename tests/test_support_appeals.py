"""The site asking its readers for support, or pointing them to its own tools, is the site's
words to its reader (`lexicon.SITE_LINES`): left out of the body in several languages; the
article's sentences with the same verbs stay (revision 13)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_site_line
from tests.test_roles import PROSE, page

# (language, the site's appeal)
APPEALS = [
    ("de", "Unterstützen Sie unabhängigen Journalismus!"),
    ("de", "Unterstütze RosaMag bereits mit 2,50!"),
    ("de", "Kennt ihr schon unseren Brandfinder? Ihr sucht noch mehr faire Mode?"),
    ("de", "Kennen Sie schon unsere Podcasts?"),
    ("en", "Support our journalism: become a member today."),
    ("en", "Have you tried our new puzzle app?"),
    ("es", "Apoya nuestro periodismo."),
    ("fr", "Soutenez notre rédaction en vous abonnant."),
]
# Sentences of an article that open with the same verbs: they stay.
SENTENCES = [
    "Unterstützen Sie die Ukraine, forderte der Minister am Montag in Berlin vor dem Parlament.",
    "Die Regierung unterstützt uns nicht, sagte der Bürgermeister am Dienstag vor dem Rathaus.",
    "Supporters of the plan said the council had ignored the farmers for years, she said.",
    # a charity's appeal reported in the article, and an appeal the article quotes
    "Unterstützen Sie die Flutopfer mit 20 Euro per SMS an die Nummer 81190.",
    "Unterstützen Sie uns, appellierte der Bürgermeister am Montag an die Landesregierung.",
    "Support our work, the charity's director told the council on Monday evening.",
]


@pytest.mark.parametrize(("language", "line"), APPEALS)
def test_the_sites_appeal_is_left_out(language: str, line: str) -> None:
    assert is_site_line(line)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, f"<p>{line}</p>"))
    assert article.body.split("\n") == PROSE[lang]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_an_articles_sentence_with_the_same_verb_stays(sentence: str) -> None:
    assert not is_site_line(sentence)
    assert sentence in extract_article(page("en", f"<p>{sentence}</p>")).body.split("\n")
