"""`monitor.extract.author.page_author` is trafilatura's `extract_author`: the same value on
every kind of page, at less cost (issue 23)."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura.metadata import extract_author

from monitor.extract.author import WRITTEN_FOR, article_author, expressions_digest, page_author
from monitor.extract.extraction import extract_article, parse_page
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


# Small pages made of the pieces trafilatura's expressions look at: the tags they name and
# others, the attributes they test (most often) and others (upper case, namespaced), values they
# match or nearly match (case, part of a word, look-alike letters), with comments, processing
# instructions, `<rel>` children and tail text around. A page has few elements, so that the one
# deciding its author is often one a wrong candidate search would miss.
_TAGS = (
    *("a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section", "author"),
    *("time", "figure", "li", "article", "em", "td", "AUTHOR", "x:author", "svg"),
)
_TESTED = ("class", "id", "itemprop", "rel", "data-testid", "data-component")
_OTHER_ATTRIBUTES = ("CLASS", "Id", "itemProp", "name", "property", "content", "xml:id", "x:class")
_VALUES = (
    *("author", "Author", "AUTHOR", "aUthor", "author-name", "AuthorName", "authorName"),
    *("author name", "byline", "Byline", "BYLINE", "byl", "BBL", "bbl", "username", "writer"),
    *("screenname", "zuozhe", "bianji", "xiaobian", "channel-name", "submitted-by", "posted-by"),
    *("journalist-name", "AuthorCard", "AuthorURL", "authorcard", "comments", "Comments"),
    *("comment-list", "commentlist", "comments-list", "ProductReviews", "sidebar", "is-hidden"),
    *("quote", "embedly-instagram", "article-share", "article-support", "print", "category"),
    *("meta-date", "meta-reviewer", "Figure", "title", "date", "Title", "me", "", " author "),
    *("\u0430uthor", "auth\u043er", "uthor", "yline", "story"),
)
_TEXTS = (
    *("Jane Whitfield", "Tom Hale", "By Jane Whitfield and Tom Hale", "JW", "王小明", "  "),
    *("https://gazette.example/staff/jane", "Photo: Ann Lee", "Jane " * 30, "Von Hans Müller"),
)
_TEXT = st.sampled_from(_TEXTS)
_VALUE = st.sampled_from(_VALUES) | st.tuples(
    st.sampled_from(_VALUES), st.sampled_from(("-", " ", "_")), st.sampled_from(_VALUES)
).map("".join)
_ATTRIBUTE_LISTS = st.dictionaries(
    st.sampled_from(_TESTED) | st.sampled_from(_OTHER_ATTRIBUTES), _VALUE, max_size=2
).map(lambda found: "".join(f' {name}="{value}"' for name, value in found.items()))
_LEAF = st.one_of(
    _TEXT,
    _TEXT,
    _TEXT.map(lambda text: f"<!-- {text} <div class='author'>x</div> -->"),
    _TEXT.map(lambda text: f"<?pi {text}?>"),
    st.just("<rel>me</rel>"),
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inside, tail: f"<{tag}{attributes}>{inside}</{tag}>{tail}",
        st.sampled_from(_TAGS),
        _ATTRIBUTE_LISTS,
        st.lists(children, min_size=1, max_size=3).map("".join),
        st.sampled_from(("", "", *_TEXTS)),
    )


_PAGES = st.builds(
    lambda html, inside: f"<html{html}><head><title>T</title></head><body>{inside}</body></html>",
    st.sampled_from(("", "", ' class="author"', ' class="Byline sidebar"')),
    st.lists(st.recursive(_LEAF, _element, max_leaves=5), min_size=1, max_size=3).map("".join),
)


@settings(max_examples=300)
@given(_PAGES)
def test_the_author_is_trafilaturas_own_on_generated_pages(html: str) -> None:
    page = parse_page(html)
    assume(page is not None)
    assert page is not None
    before = etree.tostring(page.tree)
    assert page_author(page.tree) == extract_author(page.tree)
    assert etree.tostring(page.tree) == before


# Every string trafilatura's author expressions compare an attribute with, and a string each
# alternative of their regular expressions matches (`author-?name`: both; `[Aa]uthor`: both).
_EXPRESSION_WORDS = (
    *("author", "authorname", "author-name", "AuthorName", "authorName", "author name"),
    *("AuthorCard", "AuthorURL", "Author", "byline", "Byline", "byl", "BBL", "username"),
    *("screenname", "writer", "zuozhe", "bianji", "xiaobian", "channel-name", "submitted-by"),
    *("posted-by", "journalist-name", "comments", "Comments", "title", "date", "comment-list"),
    *("commentlist", "comments-list", "ProductReviews", "sidebar", "is-hidden", "quote"),
    *("embedly-instagram", "article-share", "article-support", "print", "category"),
    *("meta-date", "meta-reviewer", "Figure"),
)


def _spellings(word: str) -> set[str]:
    """`word` in other cases, and inside other words and lists of classes."""
    cases = {word, word.lower(), word.upper(), word.capitalize(), word.swapcase()}
    return {form for case in cases for form in (case, f"x {case}", f"{case}-x", f"x{case}x")}


def test_every_element_trafilaturas_expressions_select_is_a_candidate() -> None:
    """The candidate search (`_MAY_MATCH`) finds a superset of what trafilatura's author and
    pruning expressions select, on one page holding every tag they name (and one they do not)
    with every attribute they test (and others) set to every value they look for, in every
    case and inside other words."""
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    from monitor.extract.author import _candidates

    tags = ("a", "address", "div", "link", "p", "span", "strong", "h3", "h4", "section", "li")
    attributes = ("class", "id", "itemprop", "rel", "data-testid", "data-component", "name")
    values = sorted({form for word in _EXPRESSION_WORDS for form in _spellings(word)})
    probes = "".join(
        f'<{tag} {attribute}="{value}">Jane Whitfield</{tag}>'
        for tag in tags
        for attribute in attributes
        for value in values
    )
    page = parse_page(f"<html><body>{probes}<author>Jane Whitfield</author></body></html>")
    assert page is not None
    elements = list(page.tree.iter(etree.Element))
    candidates = {elements[at] for at in _candidates(page.tree)}
    for expression in (*AUTHOR_XPATHS, AUTHOR_DISCARD_XPATHS[0]):
        selected = expression(page.tree)
        assert selected  # the page holds what each expression looks for
        missed = [etree.tostring(e, with_tail=False) for e in selected if e not in candidates]
        assert missed == [], expression.path


# A name found only inside a comment thread is a reader's, never the article's byline; the
# same name elsewhere on the page still is.
COMMENT_THREADS = {
    "disqus thread": (
        f'{_PROSE}<div id="disqus_thread"><cite><span class="author">bparis</span></cite></div>'
    ),
    "disqus ids only": f'{_PROSE}<ul id="dsq-comments"><li><span id="dsq-author-user-3"'
    ' class="author">bparis</span></li></ul>',
    "comment section class": (
        f'{_PROSE}<section class="article-comments"><p class="byline">Reader One</p></section>'
    ),
    "camel-case comment block": (
        f'{_PROSE}<div class="commentsBlock"><a class="author">Reader One</a></div>'
    ),
    "german comments": f'{_PROSE}<div class="kommentare"><b class="author">Leser</b></div>',
    "french comments": (
        f'{_PROSE}<div id="commentaires-liste"><b class="author">Lecteur Un</b></div>'
    ),
    "spanish comments": (
        f'{_PROSE}<div class="bloque comentarios"><b class="author">Lector Uno</b></div>'
    ),
    "dutch reactions": f'{_PROSE}<div id="reacties"><b class="author">Lezer Een</b></div>',
}
OUTSIDE_COMMENTS = {
    "an opinion section": (
        '<div class="commentary"><p class="byline">Jane Whitfield</p></div>' + _PROSE
    ),
    "a post that has comments": (
        f'<article class="post has-comments"><p class="byline">Jane Whitfield</p>{_PROSE}</article>'
    ),
    "byline before the thread": (
        f'<p class="byline">Jane Whitfield</p>{_PROSE}'
        '<div id="disqus_thread"><span class="author">bparis</span></div>'
    ),
}


@pytest.mark.parametrize("case", sorted(COMMENT_THREADS))
def test_a_name_read_only_in_a_comment_thread_is_no_byline(case: str) -> None:
    page = parse_page(f"<html><body>{COMMENT_THREADS[case]}</body></html>")
    assert page is not None
    assert article_author(page.tree) is None


@pytest.mark.parametrize("case", sorted(OUTSIDE_COMMENTS))
def test_a_byline_outside_comment_threads_is_kept(case: str) -> None:
    page = parse_page(f"<html><body>{OUTSIDE_COMMENTS[case]}</body></html>")
    assert page is not None
    assert article_author(page.tree) == "Jane Whitfield"


def test_the_extracted_byline_is_no_commenters_name() -> None:
    page = f"<html><head><title>A title</title></head><body>{COMMENT_THREADS['disqus thread']}"
    assert extract_article(page + "</body></html>").byline == ""


# A blog's masthead names the blog's author beside the blog's name ("The Huddle: The latest
# word on NFL news", a link to the blog's index, then "by Nate Davis"); the post's byline comes
# with the post. The masthead's name is no byline when the post has one of its own.
def _blog(name: str, blog_author: str, author_box: str, headline: str, byline: str) -> str:
    return (
        f"<html><head><title>{headline} - {name}</title></head><body>"
        f'<div id="masthead"><div id="community-title"><a href="/blog/index"><h1>{name}</h1>'
        f'</a></div><div style="float: right"><div {author_box}>{blog_author}</div></div></div>'
        f'<div class="post"><div id="post-title">{headline}</div>'
        f'<div class="byline">{byline}</div>{_PROSE}</div></body></html>'
    )


MASTHEADS = [
    (
        "The Huddle: The latest word on NFL news, notes and buzz",
        "by Nate Davis",
        'id="community-author"',
        "Favre says he could not give up on one more chance",
        "Sean Leahy",
    ),
    (
        "Das Hauptstadt-Blog: Neues aus dem Regierungsviertel",
        "von Hans Meier",
        'class="blog-author"',
        "Koalition einigt sich auf den Haushalt",
        "Anna Müller",
    ),
    (
        "El blog de economía: lo último de los mercados",
        "por Juan Pérez",
        'class="author"',
        "El Gobierno aprueba el plan del agua",
        "María López",
    ),
    (
        "Le blog politique : les coulisses du pouvoir",
        "par Jean Dupont",
        'id="author"',
        "Le gouvernement adopte le plan de l'eau",
        "Claire Martin",
    ),
]


@pytest.mark.parametrize(("name", "blog_author", "box", "headline", "byline"), MASTHEADS)
def test_the_blogs_author_in_its_masthead_is_not_the_posts_byline(
    name: str, blog_author: str, box: str, headline: str, byline: str
) -> None:
    page = parse_page(_blog(name, blog_author, box, headline, byline))
    assert page is not None
    assert article_author(page.tree) == byline


@pytest.mark.parametrize(("name", "blog_author", "box", "headline", "byline"), MASTHEADS)
def test_a_masthead_author_is_kept_when_the_post_names_no_one(
    name: str, blog_author: str, box: str, headline: str, byline: str
) -> None:
    html = _blog(name, blog_author, box, headline, byline).replace('class="byline"', "")
    page = parse_page(html)
    assert page is not None
    assert article_author(page.tree) == page_author(page.tree)
    assert article_author(page.tree)


def test_a_byline_beside_the_headline_in_a_link_is_kept() -> None:
    headline = "Council closes the old bridge to heavy traffic"
    page = parse_page(
        f"<html><head><title>{headline} | The Daily Example</title></head><body><article>"
        f'<a href="/2024/bridge"><h1>{headline}</h1></a><p class="byline">Jane Whitfield</p>'
        f'{_PROSE}<div class="author-bio">Mary Major</div></article></body></html>'
    )
    assert page is not None
    assert article_author(page.tree) == "Jane Whitfield"


def test_a_byline_in_a_wrapper_that_also_holds_the_blogs_name_is_kept() -> None:
    page = parse_page(
        "<html><head><title>Council closes the old bridge - The Bridge Blog</title></head>"
        '<body><div id="wrap"><div id="header"><a href="/blog"><h1>The Bridge Blog: news of '
        'the river</h1></a></div><div class="post"><h2>Council closes the old bridge</h2>'
        f'<p class="byline">Jane Whitfield</p>{_PROSE}</div></div>'
        '<div class="author-bio">Mary Major</div></body></html>'
    )
    assert page is not None
    assert article_author(page.tree) == "Jane Whitfield"
