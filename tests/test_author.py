"""`monitor.extract.author.page_author` is trafilatura's `extract_author`: the same value on
every kind of page, at less cost (issue 23)."""

from __future__ import annotations

import gzip

import pytest
from trafilatura.metadata import extract_author

from monitor.extract.author import WRITTEN_FOR, expressions_digest, page_author
from monitor.extract.extraction import parse_page
from tests.conftest import corpus_path

_PROSE = "<p>The council voted on Tuesday to close the old bridge to heavy traffic.</p>" * 3

# Each kind of element trafilatura's expressions select or prune, alone and together.
CASES = {
    "no candidate at all": f"<html><body><article>{_PROSE}</article></body></html>",
    "class author": f'<div class="author">Jane Whitfield</div>{_PROSE}',
    "author-name class": f'<span class="article__author-name">Jane Whitfield</span>{_PROSE}',
    "rel author link": f'<p>By <a rel="author" href="/j">Jane Whitfield</a></p>{_PROSE}',
    "itemprop author": f'<span itemprop="author">Jane Whitfield</span>{_PROSE}',
    "data-testid": f'<div data-testid="AuthorCard">Jane Whitfield</div>{_PROSE}',
    "byline class": f'<p class="byline">By Jane Whitfield and Tom Hale</p>{_PROSE}',
    "byline component": f'<section data-component="Byline">Jane Whitfield</section>{_PROSE}',
    "writer class, any element": f'<li class="story-writer">Jane Whitfield</li>{_PROSE}',
    "id author, any element": f'<li id="Author-box">Jane Whitfield</li>{_PROSE}',
    "chinese editor id": f'<div id="zuozhe">王小明</div>{_PROSE}',
    "author element": f"<author>Jane Whitfield</author>{_PROSE}",
    "too short, then another": '<div class="author">JW</div><p class="byline">Tom Hale</p>',
    "too long": '<div class="author">' + "Jane Whitfield " * 10 + "</div>",
    "an address": "<p class='author'>https://gazette.example/staff/jane</p>",
    "only in comments": f'{_PROSE}<div id="comments"><span class="author">Reader One</span></div>',
    "comment list id": f'{_PROSE}<div id="comment-list"><a class="author">Reader</a></div>',
    "in a sidebar, then the byline": (
        '<div class="sidebar"><p class="byline">Ed Other</p></div>'
        f'<p class="byline">Jane Whitfield</p>{_PROSE}'
    ),
    "pruned date inside, tail kept": (
        '<div class="author">By <span class="date">2 May</span>Jane<time>x</time> Whitfield</div>'
    ),
    "pruned first child, tail moved to parent": (
        '<div class="author"><span class="title">Ed.</span> Jane Whitfield</div>'
    ),
    "pruned figure": '<figure><span class="author">Photo: Ann Lee</span></figure><p>x</p>',
    "nested candidates": '<div class="author"><div class="author-name">Jane Whitfield</div></div>',
    "print class pruned around": (
        '<div class="print-only"><p class="byline">Jane Whitfield</p></div>'
        '<p class="byline">Tom Hale</p>'
    ),
    "rel child element": "<div><rel>me</rel>Jane Whitfield</div>",
    "uppercase class": f'<div class="Author">Jane Whitfield</div>{_PROSE}',
    "escaped name": '<span class="author">Jos&amp;#233; Garc&amp;#237;a</span>',
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_author_is_trafilaturas_own_on_each_kind_of_page(case: str) -> None:
    page = parse_page(f"<html><head><title>T</title></head><body>{CASES[case]}</body></html>")
    assert page is not None
    assert page_author(page.tree) == extract_author(page.tree)


def test_reading_the_author_leaves_the_tree_as_it_was() -> None:
    from lxml import etree

    page = parse_page(f"<html><body>{CASES['pruned date inside, tail kept']}</body></html>")
    assert page is not None
    before = etree.tostring(page.tree)
    page_author(page.tree)
    assert etree.tostring(page.tree) == before


def test_trafilaturas_expressions_are_those_the_candidate_search_was_written_for() -> None:
    """An upgrade of trafilatura that changes its author expressions fails here: check that
    `_MAY_MATCH` still finds every value they match, then update `WRITTEN_FOR`."""
    assert expressions_digest() == WRITTEN_FOR


@pytest.mark.corpus
def test_the_author_is_trafilaturas_own_on_real_pages() -> None:
    """Every sixth page of the article benchmark and of trafilatura's evaluation data (~200
    pages; all 1,220 corpus pages agreed when this was written)."""
    files = [
        *sorted(corpus_path("article-extraction-benchmark", "html").glob("*.html.gz")),
        *sorted(corpus_path("trafilatura-evaldata").rglob("*.html.gz")),
    ][::6]
    assert len(files) > 150
    found = 0
    for path in files:
        page = parse_page(gzip.decompress(path.read_bytes()))
        if page is None:
            continue
        theirs = extract_author(page.tree)
        assert page_author(page.tree) == theirs, path.name
        found += theirs is not None
    assert found > 50  # the pages where an author is found, not only those without
