"""The article's first paragraph written as loose text, which trafilatura leaves out.

Older templates (and some newer ones) put the first paragraph straight into the article's
container, before the first <p> or between `<br>`s: `<div class="articleBody"><span></span>
WASHINGTON -- NASA's plan ...<p>NASA has scheduled ...`. trafilatura keeps the paragraphs and
drops that text: on 2008 news pages (L3S-GN1) it was the largest share of the first paragraphs
missed. `loose_lead` finds the body's first paragraph on the page as a text node, reads back the
text that runs up to it in the same container without crossing a block, and returns it when it
reads as a paragraph the body does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice

from lxml.html import HtmlElement

from monitor.extract.standfirst import (
    _SENTENCE_END,
    ANCHOR_LINES,
    MAX_COVERED_SHARE,
    MIN_WORDS,
    Shown,
    _key,
    _reads_as_prose,
)

# Text nodes of the page read before the body's first paragraph is found (bounds the work).
MAX_TEXT_NODES = 20_000
# Words of the body's first paragraph a text node must open with to be that paragraph (fewer
# when the paragraph opens with a bold dateline of three words).
ANCHOR_WORDS = 5
MIN_ANCHOR_WORDS = 3
# A loose paragraph is at most this long (a longer run is a block of furniture or a page dump).
MAX_LEAD_CHARS = 1_500
# Its container holds the body's first paragraph at most this many levels up.
MAX_LEVELS = 3
# At most this share of its words are link text (a run of links is navigation).
MAX_LINK_SHARE = 0.3

# Elements that start and end a block of text; anything else is read through (inline).
_BLOCKS = frozenset(
    "address article aside blockquote body dd div dl dt fieldset figcaption figure footer form h1"
    " h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody td tfoot th thead"
    " tr ul br".split()
)
_HIDDEN = frozenset({"script", "style", "noscript", "template", "select", "option", "button"})


def loose_lead(page: HtmlElement, lines: Sequence[str]) -> Shown | None:
    """The loose text just before the body's first paragraph (the first of `lines` with
    MIN_WORDS words or more among the first ANCHOR_LINES) in a container that holds that
    paragraph, and the index of that line; None when there is none or the body has it."""
    from monitor.extract.opinion import _covered, _trigrams

    at = next(
        (i for i, line in enumerate(lines[:ANCHOR_LINES]) if len(line.split()) >= MIN_WORDS), None
    )
    if at is None:
        return None
    first = _key(lines[at]).split()
    nodes = list(islice(page.xpath("//body//text()"), MAX_TEXT_NODES))
    anchor = next((i for i, node in enumerate(nodes) if _opens(_key(node).split(), first)), None)
    if anchor is None or not _breaks_before(nodes[anchor]):
        return None
    run = _run_before(nodes, anchor)
    if run is None:
        return None
    text, container, link_words = run
    words = text.split()
    if (
        len(words) < MIN_WORDS
        or len(text) > MAX_LEAD_CHARS
        or link_words > MAX_LINK_SHARE * len(words)
        or not text.endswith(_SENTENCE_END)
        or not _reads_as_prose(text)
        or not _holds(container, nodes[anchor])
    ):
        return None
    body_trigrams = {gram for line in lines for gram in _trigrams(_key(line))}
    if _covered(_key(text), body_trigrams) > MAX_COVERED_SHARE:
        return None  # the body has it
    return Shown(text, at)


def _opens(node_words: list[str], first: list[str]) -> bool:
    """Whether a text node opens the body's first paragraph."""
    if len(node_words) < min(MIN_ANCHOR_WORDS, len(first)):
        return False
    wanted = min(ANCHOR_WORDS, len(first))
    if len(node_words) >= wanted:
        return node_words[:wanted] == first[:wanted]
    return first[: len(node_words)] == node_words


def _breaks_before(node: object) -> bool:
    """Whether a block boundary comes right before the text node (it starts a paragraph)."""
    owner = node.getparent()  # type: ignore[attr-defined]
    if owner is None:
        return False
    if node.is_tail:  # type: ignore[attr-defined]
        return _tag(owner) in _BLOCKS
    return True  # an element's own text: its start


def _tag(element: HtmlElement) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _container(node: object) -> HtmlElement | None:
    """The innermost block holding a text node."""
    owner = node.getparent()  # type: ignore[attr-defined]
    if owner is None:
        return None
    start = owner.getparent() if node.is_tail else owner  # type: ignore[attr-defined]
    while start is not None and _tag(start) not in _BLOCKS:
        start = start.getparent()
    return start


def _run_before(nodes: list[object], anchor: int) -> tuple[str, HtmlElement, int] | None:
    """The text that runs back from just before `nodes[anchor]` to the start of its block or a
    block boundary, its block, and how many of its words are link text."""
    parts: list[str] = []
    container: HtmlElement | None = None
    link_words = 0
    for node in reversed(nodes[:anchor]):
        owner = node.getparent()  # type: ignore[attr-defined]
        if owner is None:
            break
        is_tail = node.is_tail  # type: ignore[attr-defined]
        if not is_tail and (_tag(owner) in _HIDDEN or not isinstance(owner.tag, str)):
            continue  # a script's source, a comment
        here = _container(node)
        if container is None:
            if not str(node).strip():
                if is_tail and _tag(owner) in _BLOCKS:
                    return None  # a block ends right before the paragraph: nothing loose
                continue
            container = here
        elif here is not container:
            break
        parts.append(str(node))
        if any(_tag(a) == "a" for a in _inline_ancestors(node)):
            link_words += len(str(node).split())
        if _tag(owner) in _BLOCKS:
            break  # the text after a block or <br>, or a block's own first text
    if container is None:
        return None
    return " ".join("".join(reversed(parts)).split()), container, link_words


def _inline_ancestors(node: object) -> list[HtmlElement]:
    owner = node.getparent()  # type: ignore[attr-defined]
    start = owner.getparent() if node.is_tail else owner  # type: ignore[attr-defined]
    found = []
    while start is not None and _tag(start) not in _BLOCKS:
        found.append(start)
        start = start.getparent()
    return found


def _holds(container: HtmlElement, anchor_node: object) -> bool:
    """Whether the loose text's block holds the paragraph's text node within MAX_LEVELS."""
    owner = anchor_node.getparent()  # type: ignore[attr-defined]
    for level, element in enumerate((owner, *owner.iterancestors())):
        if level > MAX_LEVELS:
            return False
        if element is container:
            return True
    return False
