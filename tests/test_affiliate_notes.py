"""The site's note that the page's links earn it a commission ("This post may contain affiliate
links ...", "Dieser Artikel kann Links zu Anbietern enthalten, von denen ... eine Provision
erhält") is the template's words set into many articles: left out of the body wherever it stands.
A sentence of the article about affiliate links or a commission, with no one speaking for the site
or the page, stays (revision 19)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.extract.roles import is_affiliate_note
from tests.test_roles import PROSE, page

# (language, the site's note): left out of the body
NOTES = [
    ("en", "This post may contain affiliate links. If you buy through them, we earn a small "
     "commission at no extra cost to you."),
    ("en", "As an Amazon Associate we earn from qualifying purchases made through our links."),
    ("de", "Dieser Artikel kann Links zu Anbietern enthalten, von denen das Magazin eine "
     "Provision erhält. Diese Links sind mit folgendem Icon gekennzeichnet:"),
    ("de", "Die mit Sternchen (*) gekennzeichneten Links sind sogenannte »Affiliate-Links«. "
     "Wenn du über diesen Link einkaufst, bekommen wir eine kleine Provision. Für dich "
     "verändert sich der Preis nicht."),
    ("es", "Este artículo contiene enlaces de afiliados: si compras a través de ellos, "
     "recibimos una pequeña comisión."),
    ("fr", "Cet article contient des liens affiliés : nous touchons une commission sur les "
     "achats effectués par leur biais."),
    ("pt", "Este artigo contém links de afiliados; recebemos uma comissão sem custo extra para "
     "você."),
    ("it", "Questo articolo contiene link di affiliazione: riceviamo una commissione sugli "
     "acquisti fatti tramite essi."),
]  # fmt: skip
# (language, a sentence of the article's): stays
SENTENCES = [
    ("en", "Amazon cut the commission it pays on affiliate links, the company said on Tuesday."),
    ("de", "Die Bank erhält eine Provision von zwei Prozent, teilte das Institut am Montag mit."),
    ("de", "Viele Händler haben immer wieder interessante Sonderaktionen. Die folgenden Angebote "
     "sind mit Affiliate-Links versehen."),  # the note is not the paragraph's first sentence
    ("es", "La plataforma redujo la comisión que paga por los enlaces de afiliados, informó "
     "la empresa el martes."),
    ("fr", "La plateforme a réduit la commission versée sur les liens affiliés, a annoncé "
     "l'entreprise mardi."),
]  # fmt: skip


@pytest.mark.parametrize(("language", "note"), NOTES)
def test_the_sites_note_on_its_affiliate_links_is_left_out(language: str, note: str) -> None:
    assert is_affiliate_note(note)
    where = language if language in PROSE else "en"
    for at in (2, len(PROSE[where])):  # among the paragraphs and after the last one
        article = extract_article(page(where, f"<p>{note}</p>", where=at))
        assert article.body.split("\n") == PROSE[where]


@pytest.mark.parametrize(("language", "sentence"), SENTENCES)
def test_a_sentence_about_affiliate_links_stays(language: str, sentence: str) -> None:
    assert not is_affiliate_note(sentence)
    where = language if language in PROSE else "en"
    assert sentence in extract_article(page(where, f"<p>{sentence}</p>")).body.split("\n")
