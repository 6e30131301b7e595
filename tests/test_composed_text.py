"""Extracted text is in Unicode's composed form (NFC), whichever form the page writes its
letters in: "geprüft" written as "u" and a combining diaeresis reads as "geprüft" (revision 13)."""

from __future__ import annotations

import re
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


# Soft hyphens ("&shy;") a page writes into its words are no letters: the title and the body read
# without them, and a headline written with them is still the headline, not a body line
# (revision 16; trafilatura dropped them from the body but not from the title).
@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("de", "Mes&shy;sen&shy;ger&shy;diens&shy;te sind kein rechts&shy;frei&shy;er Raum"),
        ("fr", "Les mes\u00adsa\u00adge\u00adries ne sont pas une zone de non-droit"),
        ("en", "Mes&shy;sag&shy;ing ser&shy;vices are no law&shy;less space"),
        (
            "it",
            "I ser&#173;vi&#173;zi di mes&#xAD;sag&#xad;gi&#173;sti&#173;ca non sono zona franca",
        ),
    ],
)
def test_soft_hyphens_are_dropped_from_the_title_and_the_body(language: str, headline: str) -> None:
    paragraphs = [
        "Bedrohungen, Beleidigungen und Mordaufrufe: Der Dienst entwickelt sich nach Einschätzung "
        "der Behörden zunehmend zu einem Medium der Radi&shy;kali&shy;sierung.",
        "Die neue Taskforce des Bundeskriminalamtes soll Straftaten auf dem Dienst "
        "konsequent verfolgen und die Verantwortlichen ermitteln.",
        "Der Präsident des Amtes sagte, der Rechtsstaat müsse dieser Entwicklung entschlossen "
        "begegnen, auch wenn der Dienst nicht kooperiere.",
    ]
    html = (
        f"<html lang='{language}'><head><title>{headline}</title></head><body>"
        f"<article><h1>{headline}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"
        "</body></html>"
    )
    article = extract_article(html.encode(), url="https://example.org/telegram")
    plain = re.sub(r"&shy;|\u00ad|&#173;|&#x[aA][dD];", "", headline)
    assert article.title == plain
    assert article.body.split("\n") == [p.replace("&shy;", "") for p in paragraphs]
