"""The site pointing to its print issue ("Die aktuelle Ausgabe der L-MAG jetzt an jedem
Bahnhofskiosk ...", "The new issue is on sale now at newsstands") or to its search box ("Search
for articles and topics on ...") is the site's words to its reader (`lexicon.SITE_LINES`): left
out of the body in several languages; the article's sentences about an issue, a kiosk or a
search stay (revision 17)."""

from __future__ import annotations

import pytest

from monitor.extract.extraction import extract_article
from monitor.lexicon import is_site_line
from tests.test_roles import PROSE, page

# (language, the site's line)
LINES = [
    (
        "de",
        "Die aktuelle Ausgabe der L-MAG jetzt an jedem Bahnhofskiosk, im Abo, als e-Paper und "
        "bei Readly erhältlich.",
    ),
    (
        "de",
        "Den kompletten Beitrag lesen Sie in der neuen Juli-Ausgabe der Technology Review (im "
        "gut sortierten Zeitschriftenhandel).",
    ),
    ("de", "Suchen Sie im kath.net Archiv in über 70000 Artikeln"),
    ("en", "The new issue of Example Monthly is on sale now at newsstands."),
    ("en", "Read the full story in the latest issue of Example Monthly."),
    ("en", "Search for articles and topics on Example"),
    ("en", "Search our archive"),
    ("fr", "Le nouveau numéro d'Exemple est en kiosque dès jeudi."),
    ("es", "La nueva edición de Ejemplo ya está en los quioscos."),
    ("pt", "A nova edição da Exemplo já está nas bancas."),
    ("it", "Il nuovo numero di Esempio è in edicola da giovedì."),
]
# Sentences of an article about an issue, a kiosk or a search: they stay.
SENTENCES = [
    "Die aktuelle Ausgabe des Gesetzblatts regelt den Verkauf am Kiosk neu, sagte der Minister.",
    "Suchen Sie im Fenster Installierte Updates nach den Windows-Updates KB3075249.",
    "The new issue of bonds was on sale for two days before the bank withdrew it, traders said.",
    "Search teams found the missing climbers on Sunday after a week in the mountains.",
    "Rescuers searched the archive of the town hall for the original building plans.",
]


@pytest.mark.parametrize(("language", "line"), LINES)
def test_the_sites_print_issue_and_search_lines_are_left_out(language: str, line: str) -> None:
    assert is_site_line(line)
    lang = language if language in PROSE else "en"
    article = extract_article(page(lang, f"<p>{line}</p>"))
    assert article.body.split("\n") == PROSE[lang]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_an_articles_sentence_about_an_issue_or_a_search_stays(sentence: str) -> None:
    assert not is_site_line(sentence)
    assert sentence in extract_article(page("en", f"<p>{sentence}</p>")).body.split("\n")
