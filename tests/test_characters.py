"""Characters XML forbids (C0 controls but tab, newline and carriage return; U+FFFE; U+FFFF),
raw or as character references, are neutralised before extraction: one of them in an article
must not empty its body and hide its edits from monitoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.extract.characters import xml_safe
from monitor.extract.extraction import extract_article
from tests.conftest import crawl, rows, track
from tests.loopback import serve_pages

pytestmark = pytest.mark.e2e

FORBIDDEN = [
    "&#x8;",
    "&#8;",
    "&#xFFFE;",
    "&#xffff;",
    "&#65535;",
    "&#x8",
    "&#X0B;",
    "\x08",
    "\ufffe",
]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a&#x8;b", "a b"),
        ("a&#8;b", "a b"),
        ("a&#0008;b", "a b"),
        ("a&#xFFFE;b&#xFFFF;c", "a b c"),
        ("a&#x8b", "a&#x8b"),  # U+008B, which XML allows
        ("a&#x9;b&#10;c&#xD;d", "a&#x9;b&#10;c&#xD;d"),  # tab, newline, carriage return
        ("a&#x110000;b", "a b"),  # past the last code point
        ("a\x08b\x1fc\ufffed\x00e", "a b c de"),
        ("a\ud800b\udfffc", "a b c"),  # lone surrogates
        ("a\x0bb\x0cc\x0ed\uffffe", "a b c d e"),
        ("a\tb\nc\rd\u00a0e\u2019f", "a\tb\nc\rd\u00a0e\u2019f"),  # allowed: left alone
        ("caf&#xe9; &amp; &#8217;", "caf&#xe9; &amp; &#8217;"),
        ("&#" + "9" * 5000, "&#" + "9" * 5000),  # no character: left alone, no int() of it
    ],
)
def test_forbidden_characters_and_their_references_become_spaces(text: str, safe: str) -> None:
    assert xml_safe(text) == safe


def story(quote: str, character: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n}: the council voted on Tuesday night to fund the new river bridge in "
        "full, after months of debate over its cost and its route through the old town.</p>"
        for n in range(4)
    )
    return (
        "<html><head><title>Council funds the bridge</title></head><body><article>"
        f"<h1>Council funds the bridge</h1>{paragraphs}<p>The mayor said{character} "
        f'"{quote}" to a crowd outside the town hall on Wednesday morning.</p>'
        "</article></body></html>"
    ).encode()


@pytest.mark.parametrize("character", FORBIDDEN)
def test_one_forbidden_character_leaves_the_body_extracted(character: str) -> None:
    body = extract_article(story("we will build it", character)).body
    assert "we will build it" in body and "Paragraph 3" in body


def test_a_quote_edit_is_found_on_a_page_carrying_a_forbidden_reference(tmp_path: Path) -> None:
    db_path = tmp_path / "redline.db"
    with serve_pages({"/bridge.html": (200, {}, story("we will build it", "&#x8;"))}) as site:
        track(db_path, [site.url("/bridge.html")])
        crawl(db_path, all="true")
        site.routes["/bridge.html"] = (200, {}, story("we might build it one day", "&#x8;"))
        crawl(db_path, all="true")
    outcomes = [row["outcome"] for row in rows(db_path, "select outcome from checks order by id")]
    assert outcomes == ["new_article", "new_version"]
    [version] = rows(db_path, "select body from versions where seq = 1")
    assert "we will build it" in version["body"]
    kinds = {row["kind"] for row in rows(db_path, "select kind from edits")}
    assert "quote" in kinds, kinds
