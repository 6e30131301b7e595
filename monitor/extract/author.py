"""trafilatura's `extract_author` (the byline it reads from the page's elements when the page
declares no author in its metadata), the same value at half the cost.

trafilatura copies the tree, prunes comment, sidebar, date and figure elements from the copy
(`AUTHOR_DISCARD_XPATHS`), then takes the first author-like element's text (`AUTHOR_XPATHS`).
Its expressions test every element's classes and ids, with EXSLT regular expressions: ~15 ms
on a news page, a tenth of extraction's CPU on the pages that reach it (issue 23). Here one
pass in Python finds the few elements those expressions could select (`_MAY_MATCH`, a
superset), and trafilatura's own expressions, made relative (`self::*[...]`), test only those:
the elements found, their order, the pruning and the text read are trafilatura's. A page where
none of them is an author element is answered without copying the tree. `tests/test_author.py`
checks the value against `extract_author`, and that trafilatura's expressions are still those
`_MAY_MATCH` was written for (`WRITTEN_FOR`). Extraction reads `article_author`: the same, but
never a name found inside a comment thread (a commenter is no byline).
"""

from __future__ import annotations

import hashlib
import re
from copy import deepcopy
from functools import cache

from lxml import etree
from lxml.etree import XPath
from lxml.html import HtmlElement
from trafilatura.xml import delete_element

# The attributes trafilatura's expressions test, and a search that finds, in any of their
# values, every value they match (a superset): each string an expression compares an attribute
# with, or that every alternative of one of its regular expressions contains. Written for
# trafilatura 2.3's `AUTHOR_XPATHS` and `AUTHOR_DISCARD_XPATHS`, whose text has this digest
# (`expressions_digest`): an upgrade that changes them fails `tests/test_author.py` until
# `_MAY_MATCH` is checked against them again.
WRITTEN_FOR = "bd5f280624916a83"
_TESTED_ATTRIBUTES = frozenset(("class", "id", "itemprop", "rel", "data-testid", "data-component"))
_MAY_MATCH = re.compile(
    r"uthor|zuozhe|bianji|xiaobian|channel-name|submitted-by|posted-by|journalist-name|byl|BBL"
    r"|username|screenname|writer|yline|omment|ProductReviews|sidebar|is-hidden|quote"
    r"|embedly-instagram|article-s|print|category|meta-date|meta-reviewer|Figure|title|date"
).search
# `<author>` elements are found by name. trafilatura's first expression also takes an element
# whose child `<rel>` reads "me"; a page with a `<rel>` element is left to trafilatura.
_AUTHOR_TAG = "author"
_REL_TAG = "rel"
# The page-wide searches, made relative to one element: "//*[...]" and ".//*[...]" become
# "self::*[...]", "//author" "self::author".
_RELATIVE = re.compile(r"\.?//(\*|author)")
_NAMESPACES = {"re": "http://exslt.org/regular-expressions"}


def _candidates(tree: HtmlElement) -> list[int]:
    """The positions, in document order (`tree.iter(etree.Element)`), of the elements that
    trafilatura's expressions could select."""
    found = []
    for position, element in enumerate(tree.iter(etree.Element)):
        if element.tag == _AUTHOR_TAG:
            found.append(position)
        elif element.attrib:
            for name, value in element.items():
                if name in _TESTED_ATTRIBUTES and _MAY_MATCH(value):
                    found.append(position)
                    break
    return found


def expressions_digest() -> str:
    """The first 16 hex digits of the SHA-256 of trafilatura's author expressions' text."""
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    text = "\n".join(x.path for x in (*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _tests() -> tuple[list[XPath], XPath]:
    """trafilatura's author expressions and its first pruning one, each made relative."""
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    def relative(expression: XPath) -> XPath:
        return XPath(_RELATIVE.sub(r"self::\1", expression.path), namespaces=_NAMESPACES)

    return [relative(x) for x in AUTHOR_XPATHS], relative(AUTHOR_DISCARD_XPATHS[0])


def page_author(tree: HtmlElement) -> str | None:
    """`trafilatura.metadata.extract_author(tree)`: the same value. Reads the tree without
    changing it."""
    return _author(tree, outside_comments=False)


def article_author(tree: HtmlElement) -> str | None:
    """`page_author`, but never a name read inside a comment thread (`in_comment_thread`): a
    page whose byline trafilatura does not find otherwise gave a Disqus commenter's name
    ("bparis" in `<span id="dsq-author-user-314">` within `#disqus_thread`), and the byline
    changed with each new comment. Nor, when another author element remains, one in the page's
    masthead beside the site's or blog's name (`in_masthead`). Reads the tree without changing
    it."""
    return _author(tree, outside_comments=True)


# An element's class or id naming a comment thread, in the lexicon's languages: Disqus's
# ("disqus_thread", "dsq-comment-314"), a value that starts with the word ("comments",
# "comment-list", "commentsBlock", "kommentare", "commentaires", "comentarios", "reacties") or
# one that ends with it as a last part ("article-comments", "fb_comments"). "commentary", an
# opinion section, is not one; neither is "comments-open" on `<body>`, whose whole page is never
# read as a thread (`_PAGE_TAGS`).
_COMMENT_WORDS = (
    r"comments?|kommentare|commentaires?|commenti|comentarios?|coment[aá]rios?|reacties|reageren"
)
_COMMENT_THREAD = re.compile(
    rf"(?:^|\s)(?:(?:disqus|dsq)(?=[-_\s]|$)|(?i:{_COMMENT_WORDS})(?=[-_A-Z0-9\s]|$)"
    rf"|\S*[-_](?i:{_COMMENT_WORDS})(?=\s|$))"
)
# Elements that hold the whole article: a comment-like class on them says nothing of a byline.
_PAGE_TAGS = frozenset(("html", "body", "article", "main"))


def in_comment_thread(element: HtmlElement) -> bool:
    """Whether `element` or one of its ancestors (below `_PAGE_TAGS`) is a comment thread."""
    for current in (element, *element.iterancestors()):
        if current.tag in _PAGE_TAGS:
            return False
        for name in ("id", "class"):
            value = current.get(name)
            if value and _COMMENT_THREAD.search(value):
                return True
    return False


# How many levels above an author element are read for the masthead it sits in: the name's
# element, its box, the box's wrapper, the masthead ("a.personality" in "div#community-author"
# in a "div" in "div#community-info" beside "div#community-title").
MASTHEAD_LEVELS = 4


def in_masthead(element: HtmlElement) -> bool:
    """Whether `element` sits in a page's masthead beside the site's or blog's name: an ancestor
    within `MASTHEAD_LEVELS` (below `_PAGE_TAGS`) holds an `<h1>` inside a link (`headline.
    logo_h1s`) that does not open the page's `<title>` as a headline does ("The Huddle: The
    latest word on NFL news" linking to the blog's index, "by Nate Davis" beside it: the blog's
    author, not the post's byline)."""
    from monitor.extract.headline import logo_h1s, opens_title

    title = element.getroottree().find(".//title")
    declared = " ".join(title.text_content().split()) if title is not None else ""
    for level, ancestor in enumerate(element.iterancestors()):
        if level >= MASTHEAD_LEVELS or ancestor.tag in _PAGE_TAGS:
            return False
        if any(not opens_title(h1, declared) for h1 in logo_h1s(ancestor)):
            return not _holds_prose(ancestor)  # a masthead holds no paragraph of the article
    return False


# Paragraphs of this many characters in all are an article's text: a masthead's lines (a name,
# a tagline, a menu) are fewer and shorter; two sentences of a story are more.
PROSE_CHARS = 200


def _holds_prose(element: HtmlElement) -> bool:
    total = 0
    for paragraph in element.iter("p"):
        total += len(paragraph.text_content())
        if total >= PROSE_CHARS:
            return True
    return False


def _author(tree: HtmlElement, outside_comments: bool) -> str | None:
    from trafilatura.metadata import extract_author
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

    if next(tree.iter(_REL_TAG), None) is not None:
        return extract_author(tree)
    authors, discard = _tests()
    positions = _candidates(tree)
    if not positions:
        return None
    elements = list(tree.iter(etree.Element))
    if not any(test(elements[at]) for at in positions for test in authors):
        # Pruning only removes elements and moves text, never changes an attribute: no element
        # matches in the page, none in the pruned copy, and trafilatura finds no author.
        return None
    # trafilatura's `prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS)`, in its order
    copy = deepcopy(tree)
    elements = list(copy.iter(etree.Element))  # the copy's, in the same order
    candidates = [elements[at] for at in positions]
    for element in [e for e in candidates if e is not copy and discard(e)]:
        delete_element(element)
    for element in AUTHOR_DISCARD_XPATHS[1](copy):
        delete_element(element)
    kept = [e for e in candidates if e is copy or _within(e, copy)]
    if outside_comments:
        kept = [e for e in kept if not in_comment_thread(e)]
        # a masthead's name only when the page names no author elsewhere
        found = _first_author(authors, [e for e in kept if not in_masthead(e)])
        return found if found is not None else _first_author(authors, kept)
    return _first_author(authors, kept)


def _first_author(authors: list[XPath], kept: list[HtmlElement]) -> str | None:
    """trafilatura's `extract_metainfo(copy, AUTHOR_XPATHS, len_limit=120)` over `kept`."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim

    for test in authors:
        for element in kept:
            if test(element):
                content = trim(" ".join(element.itertext()))
                if content and 2 < len(content) < AUTHOR_MAX_CHARS:
                    return normalize_authors(None, content)
    return None


# trafilatura's `len_limit` for an author's text (its characters, exclusive).
AUTHOR_MAX_CHARS = 120


def _within(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether `element` is still in `root`'s tree (not in a subtree pruned from it)."""
    top = None
    for top in element.iterancestors():  # noqa: B007 (the last one is wanted)
        continue
    return top is root
