"""Fuzzing the pipeline with hypothesis: arbitrary HTML and text in, no exception out, and the
properties that must hold whatever the input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.compare.comparison import compare
from monitor.compare.edit import KINDS
from monitor.extract.extraction import Article, extract_article, page_text

TAGS = ["p", "div", "article", "h1", "script", "style", "a", "span", "table", "td", "nav", "br"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Tag soup: real tags, unbalanced nesting, attributes, entities, stray brackets and text."""
    parts = ["<html><head><title>", draw(text), "</title></head><body>"]
    for _ in range(draw(st.integers(0, 25))):
        choice = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(TAGS))
        if choice == 0:
            parts.append(f"<{tag} class='{draw(text)[:20]}'>")
        elif choice == 1:
            parts.append(f"</{tag}>")
        elif choice == 2:
            parts.append(
                draw(
                    st.sampled_from(
                        ["&amp;", "&#0;", "&#xD800;", "&bogus;", "<", ">", "<!--", "]]>"]
                    )
                )
            )
        else:
            parts.append(draw(text))
    return "".join(parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=html_documents())
def test_extraction_never_raises_and_returns_text(document: str) -> None:
    for page in (
        document,
        document.encode("utf-8", "surrogatepass"),
        document.encode("latin-1", "replace"),
    ):
        article = extract_article(page)
        assert isinstance(article, Article)
        assert "\x00" not in article.body
        assert isinstance(page_text(page), str)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=html_documents(), new=html_documents())
def test_extract_then_compare_never_raises(old: str, new: str) -> None:
    before, after = extract_article(old), extract_article(new)
    edits = compare(before, after)
    assert all(edit.kind in KINDS for edit in edits)
    assert compare(after, after) == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_are_not_an_article_error(raw: bytes) -> None:
    article = extract_article(raw)
    assert isinstance(article.body, str)
