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
        # HTML reads the entity without its semicolon too (a legacy entity), and so does the parser
        ("en", "Mes&shysag&shying ser&shyvi&shy;ces are no law&shyless space"),
        ("pt", "Os ser&#0173;vi&#x00AD;ços de men&#xAD;sa&#00173;gens não são terra sem lei"),
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
    plain = re.sub(r"&shy;?|\u00ad|&#0*173;|&#x0*[aA][dD];", "", headline)
    assert article.title == plain
    assert article.body.split("\n") == [p.replace("&shy;", "") for p in paragraphs]


# A character reference that only begins like the soft hyphen's is another letter: "&#xAD6D;" is
# the Hangul syllable "국" (U+AD6D), "&#1734;" the Arabic-script letter "ۆ" (U+06C6), "&#xAD0;" the
# Gujarati "ૐ". Dropping its first digits left "6D;", "4;", "0;" in the article's text.
def test_a_reference_that_only_begins_like_the_soft_hyphen_is_kept() -> None:
    paragraph = (
        "The National Assembly (&#xAD6D;&#xD68C;) in Seoul voted on the motion late on Tuesday "
        "night, a spokesman for the Kurdish party (&#1734;) and the Gujarati temple (&#xAD0;) said."
    )
    paragraphs = [
        "Lawmakers in Seoul voted late on Tuesday to lift the martial law the president had "
        "declared only hours earlier, after troops surrounded the parliament building.",
        paragraph,
        "Thousands of protesters gathered outside the building through the night, and the "
        "president withdrew the decree early on Wednesday morning after a cabinet meeting.",
    ]
    html = (
        "<html lang='en'><head><title>Assembly lifts martial law</title></head><body><article>"
        "<h1>Assembly lifts martial law</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    article = extract_article(html.encode("ascii"), url="https://example.org/seoul")
    assert (
        "The National Assembly (\uad6d\ud68c) in Seoul voted on the motion late on Tuesday night, "
        "a spokesman for the Kurdish party (\u06c6) and the Gujarati temple (\u0ad0) said."
    ) in article.body.split("\n")


# Only text reads "&shy" without its semicolon as the soft hyphen: in an attribute it is the
# address's own letters ("?id=7&shyness=2", a query parameter), and the page's canonical address
# is the one it declares.
def test_an_address_holding_shy_keeps_it() -> None:
    paragraphs = [
        "The regional parliament approved the new water plan on Thursday after a debate that "
        "lasted well into the night and divided the governing coalition.",
        "Farmers in the southern valleys had asked for the plan for years, saying that the "
        "drought of the past three summers had ruined much of their harvest.",
    ]
    html = (
        "<html lang='en'><head><title>Water plan</title>"
        "<link rel='canonical' href='https://example.org/story?id=7&shyness=2&shy=1'></head><body>"
        "<article><h1>Water plan</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"
        "</body></html>"
    )
    article = extract_article(html.encode(), url="https://example.org/story?id=7")
    assert article.canonical_url == "https://example.org/story?id=7&shyness=2&shy=1"
    assert article.body.split("\n") == paragraphs
