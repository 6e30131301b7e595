"""A promotional phrase set off by a mark from the words after it is a link's label ("À lire
aussi » ...", "Read more: ..."): left out of the body even when a question or a sentence follows
it. A sentence that only opens with the same words stays (revision 13)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import PROMO_LABEL
from tests.test_roles import PROSE, page

# (language, a label and the teaser after it): left out
LABELS = [
    ("fr", "À lire aussi » Ballonnements, lourdeurs... Quel est votre profil digestif ?"),
    ("fr", "Lire aussi : Pourquoi les réservoirs du sud se vident-ils si vite cette année ?"),
    ("en", "Read more: How the regional parliament voted on the new water plan this week."),
    ("en", "See also › The drought that emptied the southern reservoirs last summer."),
    ("de", "Weiterlesen: Kein Getreide mehr: Ist glutenfreie Ernährung wirklich gesünder?"),
    ("de", "Lesen Sie auch | Wie die Dürre die Ernte im Süden vernichtet hat, sagen Bauern."),
    ("es", "Lee también → Los agricultores protestan ante el parlamento por el agua."),
    ("pt", "Leia também: Por que os reservatórios do sul estão secando tão rápido?"),
    ("it", "Leggi anche – Perché i bacini del sud si svuotano così in fretta?"),
]
# Sentences that open with the same words and stay: no mark after the phrase.
SENTENCES = [
    "Read more about the inspection in the report the agency published on Monday, she said.",
    "Subscribe and pay later, the company told its customers in a letter sent on Friday.",
    # a quotation that opens with the words: the speaker's, not a label
    '"Read more: that is all I ask of my students," the headteacher said on Monday.',
    "„Weiterlesen: Das sage ich meinen Schülern jeden Tag“, sagte die Schulleiterin.",
]


@pytest.mark.parametrize(("language", "line"), LABELS)
def test_a_promotional_label_before_a_teaser_is_left_out(language: str, line: str) -> None:
    assert PROMO_LABEL.match(line)
    prose = PROSE.get(language, PROSE["en"])
    article = extract_article(page(language if language in PROSE else "en", f"<p>{line}</p>"))
    assert article.body.split("\n") == prose


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_sentence_opening_with_the_same_words_stays(sentence: str) -> None:
    assert not PROMO_LABEL.match(sentence)
    assert sentence in extract_article(page("en", f"<p>{sentence}</p>")).body.split("\n")
