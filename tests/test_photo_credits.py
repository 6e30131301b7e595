"""The page's credit for its pictures, a label and a name ("Beitragsbild via Unsplash.",
"featured image: Tetbir Salim via Unsplash", "Fotocredit: Ilze Kitshoff", "Crédit photo : Jean
Dupont") is a caption's words, not the article's: left out of the body wherever it stands. A
sentence of the article that names such a picture stays, and so does a label before a description
of the picture longer than a credit (revision 19)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_furniture_line
from tests.test_roles import PROSE, page

# (language of the page, the credit line): left out
CREDITS = [
    ("en", "featured image: Tetbir Salim via Unsplash"),
    ("en", "Image credits: NASA/JPL-Caltech"),
    ("en", "Header photo: Maria Lopez for the Gazette"),
    ("de", "Beitragsbild via Unsplash."),
    ("de", "Fotocredit: Ilze Kitshoff © 2021 CTMG, Inc. All Rights Reserved"),
    ("de", "Bildnachweis: Stadtwerke Musterstadt"),
    ("de", "Photocredits MYMARINI: Christin Schwarzer"),
    ("es", "Foto de portada: Archivo municipal"),
    ("en", "Crédit photo : Jean Dupont"),
    ("en", "Crédito da foto: Agência Brasil"),
    ("en", "Credito fotografico: Comune di Roma"),
]
# Sentences of the article that name a picture: they stay
SENTENCES = [
    ("de", "Das Titelbild zeigt den Bürgermeister bei der Eröffnung des neuen Rathauses."),
    ("de", "Bildnachweise müssen nach dem Urteil des Gerichts künftig im Impressum stehen."),
    ("en", "The featured image of the exhibition shows the harbour at dawn, the curator said."),
    # a description of the picture, longer than a name and its agency, is the article's caption
    # (the article benchmark's truth keeps it)
    (
        "en",
        "Cover image: artist’s impression of the lighting installation by Peter Koros Design "
        "at the 7th Amsterdam Light Festival",
    ),
]


@pytest.mark.parametrize(("language", "credit"), CREDITS)
def test_a_picture_credit_is_left_out(language: str, credit: str) -> None:
    assert is_furniture_line(credit)
    for at in (2, len(PROSE[language])):  # among the paragraphs and after the last one
        article = extract_article(page(language, f"<p>{credit}</p>", where=at))
        assert article.body.split("\n") == PROSE[language]


@pytest.mark.parametrize(("language", "sentence"), SENTENCES)
def test_a_sentence_naming_a_picture_stays(language: str, sentence: str) -> None:
    assert not is_furniture_line(sentence)
    assert sentence in extract_article(page(language, f"<p>{sentence}</p>")).body.split("\n")
