"""UTF-8 read as windows-1252 ("ByÂ Ed Hornick", "itâ€™s"): a page declared iso-8859-1 whose
CMS wrote UTF-8 shows these letters, and a re-save that fixed or broke the declaration must not
read as an edit of the byline or the text. Only sequences no language writes are repaired."""

from __future__ import annotations

import pytest

from monitor.extract.characters import without_mojibake
from monitor.extract.extraction import extract_article
from monitor.record.pair import compare_pages
from monitor.record.versions import RawPage


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("ByÂ\u00a0Ed Hornick", "By\u00a0Ed Hornick"),
        ("itâ€™s", "it’s"),
        ("â€œQuotedâ€\u009d", "“Quotedâ€\u009d"),  # the closing mark's byte is ambiguous
        ("1990â€“2000 â€” a decadeâ€¦", "1990–2000 — a decade…"),
        ("â€˜singleâ€™", "‘single’"),
        # what languages write is kept: a Romanian or Vietnamese capital, a Portuguese one
        ("ROMÂNIA and CÂU", "ROMÂNIA and CÂU"),
        ("SÃO PAULO Ã©", "SÃO PAULO Ã©"),
        ("Â la carte", "Â la carte"),
        ("plain text", "plain text"),
    ],
)
def test_unambiguous_mojibake_is_repaired(text: str, repaired: str) -> None:
    assert without_mojibake(text) == repaired


def story(author: bytes) -> bytes:
    sentences = " ".join(
        f"Democrats said on day {n} that they would defend the program against any cuts."
        for n in range(1, 9)
    )
    return (
        b'<html><head><meta http-equiv="content-type" content="text/html; charset=iso-8859-1">'
        b'<meta name="AUTHOR" content="' + author + b'"><title>Democrats and Social Security'
        b"</title></head><body><article><h1>Democrats and Social Security</h1><p>"
        + sentences.encode()
        + b"</p><p>"
        + sentences.replace("Democrats", "Republicans").encode()
        + b"</p></article></body></html>"
    )


def test_a_utf8_no_break_space_in_a_latin1_page_reads_as_a_space() -> None:
    byline = extract_article(story(b"By\xc2\xa0 Ed Hornick, CNN")).byline
    assert "Â" not in byline
    assert "Ed Hornick" in byline


def test_a_byline_re_saved_with_utf8_bytes_in_a_latin1_page_is_not_an_edit() -> None:
    old = RawPage(story(b"By  Ed Hornick, CNN"), "text/html")
    new = RawPage(story(b"By\xc2\xa0 Ed Hornick, CNN"), "text/html")
    edits = compare_pages(old, new).edits
    assert [edit for edit in edits if edit.significant] == []
