"""The benchmark's known edits (`bench.mutations`) work on non-English pages: German „…“ and
Swiss «…» quotations, names, figures with comma decimals; a mutation that cannot apply skips with
a reason; and a target may be a visible paragraph of the article that extraction leaves out."""

from __future__ import annotations

import random

import pytest

from bench.mutations import (
    MUTATIONS,
    Mutation,
    Page,
    Skip,
    visible_paragraphs,
    with_visible,
)
from bench.mutations import quotations as quotations_of
from monitor.compare.normalize import comparison_key
from monitor.extract.article import Article


def page_of(*paragraphs: str, title: str = "Neue Regeln für den Stadtrat", extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{body}{extra}</article><footer><p>Impressum</p></footer></body></html>"
    )


def article_of(*paragraphs: str, title: str = "Neue Regeln für den Stadtrat") -> Article:
    return Article(title=title, body="\n".join(paragraphs))


GERMAN_QUOTE = (
    "Der Bürgermeister Hans Gruber sagte am Abend: „Wir haben die ganze Woche darüber "
    "gesprochen und sind jetzt zufrieden mit dem Ergebnis.“"
)
SWISS_QUOTE = (
    "Die Gemeinderätin Ursula Keller erklärte: «Die neuen Regeln gelten bereits ab dem "
    "kommenden Montag für alle Betriebe.»"
)
FIGURE = "Die Steuer steigt nach dem Beschluss der Versammlung um 3,5 Prozent auf 1.200 Euro."
NAME = "Nach der Sitzung traf sich der Ausschuss mit Vertretern von Siemens in der Stadthalle."
PLAIN = "Die Stadt hat am Dienstag einen neuen Haushalt für das kommende Jahr vorgelegt."


@pytest.mark.parametrize(
    ("kind", "paragraphs", "changed_in"),
    [
        ("quote", (GERMAN_QUOTE, PLAIN), GERMAN_QUOTE),
        ("quote", (SWISS_QUOTE, PLAIN), SWISS_QUOTE),
        ("number", (FIGURE, PLAIN), FIGURE),
        ("name", (NAME,), NAME),
        ("sentence_removed", (PLAIN + " " + NAME,), PLAIN + " " + NAME),
    ],
)
def test_a_mutation_edits_the_german_page_where_it_says(
    kind: str, paragraphs: tuple[str, ...], changed_in: str
) -> None:
    html = page_of(*paragraphs)
    result = MUTATIONS[kind](Page(html), article_of(*paragraphs), random.Random(kind))
    assert isinstance(result, Mutation), result
    assert result.html != html
    # The edit is in the paragraph it names, and only there.
    assert result.target and comparison_key(result.target) in comparison_key(changed_in)
    for present in result.expect_present:
        assert comparison_key(present) in comparison_key(result.html)
    if result.old and kind != "sentence_removed":
        assert result.old in changed_in and result.new not in changed_in


@pytest.mark.parametrize(
    ("paragraph", "before", "after"),
    [
        ("Der Preis stieg um 3,5 Prozent im letzten Jahr deutlich an.", "3,5", "4,5"),
        ("Rund 1.000 Menschen kamen am Wochenende zum Fest.", "1.000", "2.000"),
        ("The council spent 2,000 dollars on the new roof last year.", "2,000", "3,000"),
    ],
)
def test_a_figure_keeps_its_decimal_comma_or_thousands_point(
    paragraph: str, before: str, after: str
) -> None:
    result = MUTATIONS["number"](Page(page_of(paragraph)), article_of(paragraph), random.Random(1))
    assert isinstance(result, Mutation)
    assert (result.old, result.new) == (before, after)


@pytest.mark.parametrize(
    ("kind", "paragraphs", "reason"),
    [
        ("quote", (PLAIN,), "no quotation of 3+ words in the body"),
        ("number", (NAME,), "no figure outside quotations in the body"),
        ("name", ("Am Montag im März.",), "no capitalised word inside a sentence"),
    ],
)
def test_a_mutation_that_cannot_apply_skips_with_its_reason(
    kind: str, paragraphs: tuple[str, ...], reason: str
) -> None:
    result = MUTATIONS[kind](Page(page_of(*paragraphs)), article_of(*paragraphs), random.Random(2))
    assert isinstance(result, Skip)
    assert result.reason.startswith(reason)


def test_a_visible_paragraph_extraction_left_out_becomes_a_target() -> None:
    left_out = "Dieser Absatz steht im Artikel, aber die Extraktion hat ihn nicht übernommen."
    html = page_of(
        PLAIN,
        left_out,
        extra="<p>Zu kurz.</p><p>Corona Stadtrat Haushalt Steuer Regeln Gemeinde Bau Amt</p>",
    )
    extracted = article_of(PLAIN)
    # Not the short one, not the list of tags, not the footer.
    assert visible_paragraphs(html) == [PLAIN, left_out]
    widened = with_visible(Page(html), extracted)
    assert widened.body.split("\n") == [PLAIN, left_out]
    assert with_visible(Page(page_of(PLAIN)), extracted) is extracted


@pytest.mark.parametrize(
    ("paragraph", "quotations"),
    [
        ('Er sagte: "Wir kommen morgen wieder zurück."', ["Wir kommen morgen wieder zurück."]),
        # Between two quoted words is no quotation (` oder `).
        (
            'Sagen Sie lieber "aktuell" oder "aussergewöhnlich" statt anderer Wörter.',
            ["aussergewöhnlich"],
        ),
        # Attributes written out in the text are not quotations.
        ('Unter <a href="http://www.example.org" target="_blank">www.example.org</a>', []),
        (
            "Sie sagte: „Das ist eine gute Nachricht für alle.“",
            ["Das ist eine gute Nachricht für alle."],
        ),
        (
            "Er meinte: «Das gilt ab sofort für alle Betriebe.»",
            ["Das gilt ab sofort für alle Betriebe."],
        ),
        # German guillemets face inwards: nothing between »Jaegers Grenze« and »Sagen, was ist.«
        (
            "Er gesteht, »Jaegers Grenze« erfunden zu haben. Dort steht: »Sagen, was ist.«",
            ["Jaegers Grenze", "Sagen, was ist."],
        ),
    ],
)
def test_a_quotation_opens_and_closes_at_word_boundaries(
    paragraph: str, quotations: list[str]
) -> None:
    assert [paragraph[low:high] for low, high in quotations_of(paragraph)] == quotations


@pytest.mark.parametrize(
    "box",
    [
        '<div id="comments"><p>{}</p></div>',
        '<form action="/post"><p>{}</p></form>',
        '<div class="newsletter-signup"><p>{}</p></div>',
        "<aside><p>{}</p></aside>",
        # A teaser of another story: inside its link, mostly link text, or in an embedded box.
        '<a href="/other"><p>{}</p></a>',
        '<p><a href="/other">{}</a></p>',
        '<div class="post-include-body"><p>{}</p></div>',
        '<div class="article-item"><p>{}</p></div>',
    ],
)
def test_a_paragraph_in_a_comment_form_or_promo_box_is_not_article_text(box: str) -> None:
    boxed = "Trage deine Daten unten ein oder klicke auf eines der Symbole, um dich einzuloggen."
    assert visible_paragraphs(page_of(PLAIN, boxed)) == [PLAIN, boxed]
    html = page_of(PLAIN, extra=box.format(boxed))
    assert visible_paragraphs(html) == [PLAIN]


def test_a_headline_rewritten_on_the_page_leaves_the_metadata_as_it_was() -> None:
    title = "Neue Regeln für den Stadtrat"
    html = page_of(PLAIN, title=title).replace(
        "</title>", '</title><meta property="og:title" content="Neue Regeln für den Stadtrat">'
    )
    result = MUTATIONS["headline_on_page"](Page(html), article_of(PLAIN), random.Random(3))
    assert isinstance(result, Mutation) and result.kind == "headline"
    assert f"<title>{title}</title>" in result.html  # the metadata stays
    assert f'content="{title}"' in result.html
    assert f"<h1>{title}</h1>" not in result.html and result.old in title


@pytest.mark.parametrize(
    ("h1", "reason"),
    [
        ("", "no one <h1> showing the headline"),
        ("<h1>Stadtnachrichten</h1>", "no one <h1> showing the headline"),  # a section name
    ],
)
def test_a_headline_on_the_page_skips_without_the_headline_in_an_h1(h1: str, reason: str) -> None:
    html = f"<html><head><title>Neue Regeln</title></head><body>{h1}<p>{PLAIN}</p></body></html>"
    result = MUTATIONS["headline_on_page"](Page(html), article_of(PLAIN), random.Random(4))
    assert result == Skip(reason)
