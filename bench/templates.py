"""Template swaps: the same article moved into another page's template, for measuring whether a
redesign makes `compare` raise edits (see `bench.recaptures`).

`swap_template(article_html, template_html, ...)` finds the element holding the article's body
in each page (the deepest element holding most of the extracted paragraphs), puts the article's
element in place of the template's, gives the template page the article's headline, and writes
the byline in another format; numbered lists may be renumbered on the way. The article text
itself is untouched, so any significant edit found between the two extractions is noise.

Pure functions over strings (lxml inside): no I/O, no clock; choices come from the
`random.Random` passed in.
"""

from __future__ import annotations

import random
import re
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement, document_fromstring, tostring

from monitor.compare.normalize import comparison_key
from monitor.extract.article import Article

# Paragraphs shorter than this match by accident and do not locate the article.
_MIN_PARAGRAPH = 40
# The article's element must hold at least this share of the located paragraph text.
_COVERAGE = 0.95
_BLOCKS = ("p", "li", "h2", "h3", "blockquote")
_BYLINE_CLASS = re.compile(r"byline|author|contributor|writer", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪●■–-])\s+")


def _body_keys(article: Article) -> set[str]:
    lines = {comparison_key(line) for line in article.body.split("\n")}
    lines.discard("")
    return lines


def _article_element(tree: HtmlElement, article: Article) -> HtmlElement | None:
    lines = _body_keys(article)
    weights: dict[HtmlElement, int] = {}
    total = 0
    for block in tree.iter(*_BLOCKS):
        text = comparison_key(block.text_content())
        if len(text) < _MIN_PARAGRAPH or text not in lines:
            continue
        total += len(text)
        for ancestor in block.iterancestors():
            weights[ancestor] = weights.get(ancestor, 0) + len(text)
    if not total:
        return None
    holding = [e for e, w in weights.items() if w >= _COVERAGE * total and e.tag != "html"]
    if not holding:
        return None
    return max(holding, key=lambda e: sum(1 for _ in e.iterancestors()))


def reformat_byline(byline: str, rng: random.Random) -> str:
    """The same people written another way: "A, B" → "By A and B", "BY A", "A | Staff"."""
    names = [n.strip() for n in re.split(r",|;|\band\b|&|\|", byline) if n.strip()]
    names = [re.sub(r"^(?:by)\s+", "", n, flags=re.IGNORECASE) for n in names]
    if not names:
        return byline
    style = rng.randrange(4)
    if style == 0:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"By {joined}"
    if style == 1:
        return "BY " + " AND ".join(n.upper() for n in names)
    if style == 2:
        return "; ".join(names)
    return ", ".join(names) + " | Staff Reporter"


def _renumber(element: HtmlElement, rng: random.Random) -> bool:
    """Number list items that were not, or drop the numbers of those that were."""
    changed = False
    for lst in element.iter("ol", "ul"):
        items = [li for li in lst if isinstance(li.tag, str) and li.tag == "li"]
        if len(items) < 2:
            continue
        for number, item in enumerate(items, rng.choice((1, 1, 0))):
            text = item.text or ""
            if _LIST_MARKER.match(text):
                item.text = _LIST_MARKER.sub("", text, count=1)
            else:
                item.text = f"{number}. {text}"
            changed = True
    return changed


def _set_title(tree: HtmlElement, title: str) -> None:
    for element in tree.iter("title", "h1"):
        for child in list(element):
            element.remove(child)
        element.text = title
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:title", "twitter:title", "title", "headline"):
            meta.set("content", title)


def _set_byline(tree: HtmlElement, byline: str, keep: HtmlElement) -> None:
    """Template bylines out (not the article's element or its ancestors), the new one in."""
    head = tree.find("head")
    spared = {keep, *keep.iterancestors()}
    for meta in list(tree.iter("meta")):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if "author" in key or key in ("byl", "dc.creator", "sailthru.author", "parsely-author"):
            meta.getparent().remove(meta)
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        css = " ".join(element.get(name) or "" for name in ("class", "rel", "itemprop"))
        parent = element.getparent()
        if parent is not None and element not in spared and _BYLINE_CLASS.search(css):
            parent.remove(element)
    if head is not None and byline:
        meta = etree.SubElement(head, "meta")
        meta.set("name", "author")
        meta.set("content", byline)


def swap_template(
    article_html: str,
    article: Article,
    template_html: str,
    template: Article,
    rng: random.Random,
) -> tuple[str, tuple[str, ...]] | None:
    """The article page's story inside the template page; None when either article cannot be
    located. Returns the new page and what was done."""
    try:
        source = document_fromstring(article_html)
        target = document_fromstring(template_html)
    except (etree.ParserError, ValueError):
        return None
    moved, replaced = _article_element(source, article), _article_element(target, template)
    if moved is None or replaced is None or replaced.getparent() is None:
        return None
    for script in list(target.iter("script")):
        if (script.get("type") or "").lower() == "application/ld+json":
            script.getparent().remove(script)
    body = deepcopy(moved)
    applied = ["template swapped"]
    if _renumber(body, rng):
        applied.append("lists renumbered")
    body.tail = replaced.tail
    replaced.getparent().replace(replaced, body)
    # the template's own story, where some of it stood outside the replaced element
    leftovers = _body_keys(template) - _body_keys(article)
    for block in list(target.iter(*_BLOCKS)):
        parent = block.getparent()
        inside = body in block.iterancestors() or block is body
        if parent is not None and not inside and comparison_key(block.text_content()) in leftovers:
            parent.remove(block)
    _set_title(target, article.title)
    if article.byline:
        _set_byline(target, reformat_byline(article.byline, rng), body)
        applied.append("byline reformatted")
    return tostring(target, encoding="unicode"), tuple(applied)
