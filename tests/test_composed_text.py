"""Extracted text is in Unicode's composed form (NFC), whichever form the page writes its
letters in: "geprüft" written as "u" and a combining diaeresis reads as "geprüft" (revision 13)."""

from __future__ import annotations

import unicodedata

import pytest

from monitor.extract.characters import composed
from monitor.extract.extraction import extract_article

# (language, a word as the page may write it, composed)
WORDS = [
    ("de", "gepru\u0308ft", "geprüft"),
    ("fr", "e\u0301te\u0301", "été"),
    ("es", "an\u0303o", "año"),
    ("pt", "informac\u0327a\u0303o", "informação"),
    ("pl", "z\u0307o\u0142nierz", "żołnierz"),
    ("vi", "Vie\u0323\u0302t", "Việt"),
    ("en", "already composed: geprüft, été", "already composed: geprüft, été"),
]


@pytest.mark.parametrize(("language", "written", "shown"), WORDS)
def test_text_is_composed(language: str, written: str, shown: str) -> None:
    assert composed(written) == shown


def test_composed_text_is_returned_as_it_is() -> None:
    text = "Die Gurtlänge wurde geprüft."
    assert composed(text) is text


def test_the_body_and_title_of_a_page_written_decomposed_are_composed() -> None:
    sentence = (
        "Besonders bei Babyschalen sollte gepru\u0308ft werden, ob die Gurtla\u0308nge im "
        "Fahrzeug ausreicht, um den Sitz sicher anschnallen zu ko\u0308nnen."
    )
    other = (
        "Im aktuellen Test wurden achtzehn Kindersitze in puncto Sicherheit, Bedienung, "
        "Ergonomie und Schadstoffgehalt gepru\u0308ft, und vier davon fielen durch."
    )
    html = (
        "<html lang='de'><head><title>Kindersitze im Test: vier fallen durch</title></head><body>"
        "<article><h1>Kindersitze gepru\u0308ft</h1>"
        f"<p>{other}</p><p>{sentence}</p><p>{other.replace('achtzehn', 'zwanzig')}</p>"
        "</article></body></html>"
    )
    article = extract_article(html.encode(), url="https://example.org/kindersitze")
    assert unicodedata.normalize("NFC", sentence) in article.body.split("\n")
    assert unicodedata.is_normalized("NFC", article.body)
    assert unicodedata.is_normalized("NFC", article.title)
