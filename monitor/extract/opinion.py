"""A second opinion on the article's paragraphs, so that an edit in a paragraph trafilatura drops
is still seen.

Two sources, both read from the page Redline already fetched:

1. The page's own full text: JSON-LD `articleBody` (schema.org Article and its kinds), where the
   page has one, split at its paragraph breaks (escaped or raw HTML markup read as text). A
   single unbroken blob adds nothing (nothing to place); a teaser's paragraphs are the body's
   own (a paragraph cut short is part of a body line), and a paragraph the page does not show
   as a block of its own (a stale or paywalled copy) is not added.
2. A second extractor, resiliparse's main-content text (chosen on measured quality and cost,
   see `bench/opinion.py`): a C++ extractor with its own idea of the article's boundaries,
   about 3 ms of CPU per page.

`merge` adds to trafilatura's paragraphs only the paragraphs the opinion has that the body
lacks, at the place the opinion puts them (after the body line the opinion had just before),
and only when they look like article prose: a sentence of some length, between two paragraphs
both sides agree on (never at the edges, where boilerplate lives), written on the page as one
block outside any container named for page furniture (`page_paragraphs`), within a bound on
how much is added; an added line the line roles call furniture or a dateline is dropped
(`extraction._with_second_opinion`). The added lines are marked (`Article.roles`: "json_ld"
or "second_extractor"), and an edit found only in such lines is reported with that reason
(`monitor.compare.placement`).

Pure functions over the parsed page and plain strings.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml.html import HtmlElement

# Loaded with the extraction: a crawl's workers import it before they say they are ready.
from resiliparse.extract.html2text import extract_plain_text

logger = logging.getLogger(__name__)

# ------------------------------------------------------------------ bounds and thresholds

# A JSON-LD script longer than this is not parsed (a page embedding a whole catalogue).
MAX_JSON_LD_CHARS = 1_000_000
# JSON-LD scripts read per page (a page can carry dozens of small ones: breadcrumbs, org info).
MAX_JSON_LD_SCRIPTS = 20
# Objects visited inside one script's JSON (nested @graph lists, arrays of articles).
MAX_JSON_LD_NODES = 2_000
# An articleBody longer than this is cut here (the longest articles are about 100 kB of text).
MAX_ARTICLE_BODY_CHARS = 300_000
# The opinion is read only up to this many paragraphs.
MAX_OPINION_LINES = 2_000
# A paragraph added to the body has at least this many words and ends like a sentence: shorter
# lines (captions, "Share this", bylines, kickers) are what boilerplate looks like.
MIN_ADDED_WORDS = 12
# At most this share of the body's characters is added (an opinion that disagrees on most of
# the page is reading another part of it, not filling gaps).
MAX_ADDED_SHARE = 0.5
# ... or this many characters on a short body (one paragraph of about 80 words).
MIN_ADDED_BUDGET = 500
# A line of the opinion matches a body line when their word sequences are this similar
# (rapidfuzz ratio on the comparison keys, 0-100): a paragraph written slightly differently in
# the JSON-LD copy (quotes, a corrected word) is the same paragraph, not a missing one.
SAME_LINE_SCORE = 80
# The opinion must agree with the body on at least this many paragraphs (anchors) before any of
# its other paragraphs is placed: one that matches nothing is reading another part of the page.
MIN_ANCHORS = 2
# A line whose word trigrams are more than this share in the body already is the body's text
# joined or cut another way (an element holding several paragraphs), not a paragraph it lacks;
# a paragraph really left out shares a few phrases at most.
MAX_COVERED_SHARE = 0.5
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "»", "“", "'", ")")
_TOKEN = re.compile(r"\w+")
_TAG = re.compile(r"</?(?:p|br|div|h[1-6]|li|ul|ol|blockquote|span|a|em|strong|b|i)\b[^>]*>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,31});")
# Paragraph breaks in an articleBody: a blank line, a newline, or an HTML block boundary.
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")
_ARTICLE_BODY = "articleBody"

JSON_LD = "json_ld"
SECOND_EXTRACTOR = "second_extractor"


# Keys remembered (`key`): an extraction asks for a line's key about five times (the runs'
# combination, the headline, the merges, the line roles, the lead), 250 times a page for about
# 45 distinct lines; this holds several pages' lines. Only lines up to KEY_CACHE_CHARS are
# remembered, so a worker's memory stays bounded (a few MB) whatever lines its pages hold; a
# longer line is keyed each time (its keying is small beside its other work).
KEY_CACHE_LINES = 4096
KEY_CACHE_CHARS = 1000


def key(line: str) -> str:
    """A line's comparison key: word tokens, case-folded (punctuation and spacing ignored).
    Remembered: the same lines are keyed again and again in one extraction (the article
    benchmark's key calls replayed: 2.6-2.9 ms a page uncached, 0.7-0.8 cached)."""
    if len(line) > KEY_CACHE_CHARS:
        return _key_of(line)
    return _remembered_key(line)


def _key_of(line: str) -> str:
    return " ".join(_TOKEN.findall(line.casefold()))


_remembered_key = lru_cache(maxsize=KEY_CACHE_LINES)(_key_of)


# ------------------------------------------------------------------ JSON-LD articleBody


def json_ld_lines(page: HtmlElement) -> list[str]:
    """Paragraphs of the page's JSON-LD `articleBody` (the longest one when there are several),
    [] when there is none or it is one unbroken blob."""
    best, read = "", 0
    for script in page.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        read += 1
        if read > MAX_JSON_LD_SCRIPTS:
            break
        text = script.text or ""
        if not text.strip() or len(text) > MAX_JSON_LD_CHARS:
            continue
        for body in article_bodies(text):
            if len(body) > len(best):
                best = body
    return body_lines(best)


def article_bodies(script: str) -> Iterator[str]:
    """Every `articleBody` string of one JSON-LD script (objects, lists of objects, @graph);
    nothing when it is not JSON."""
    try:
        data = json.loads(script, strict=False)  # raw newlines inside strings are common
    except ValueError:
        return
    stack, visited = [data], 0
    while stack and visited < MAX_JSON_LD_NODES:
        node = stack.pop()
        visited += 1
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            value = node.get(_ARTICLE_BODY)
            if isinstance(value, list):
                value = "\n".join(part for part in value if isinstance(part, str))
            if isinstance(value, str) and value.strip():
                yield value[:MAX_ARTICLE_BODY_CHARS]
            stack.extend(
                v for k, v in node.items() if k != _ARTICLE_BODY and isinstance(v, list | dict)
            )


def body_lines(body: str) -> list[str]:
    """An articleBody as paragraphs: HTML markup (escaped or not) read as text, its block
    boundaries as breaks; [] for a single unbroken paragraph (nothing to place)."""
    if not body:
        return []
    if _ENTITY.search(body):
        body = html.unescape(body)
    if _TAG.search(body):
        body = _markup_text(body)
    lines = [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(body.strip())]
    lines = [line for line in lines if line][:MAX_OPINION_LINES]
    return lines if len(lines) >= 2 else []


def _markup_text(body: str) -> str:
    from lxml.html import fragment_fromstring

    try:
        root = fragment_fromstring(body, create_parent="div")
    except Exception:  # lxml on arbitrary page text
        return _TAG.sub("\n", body)
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    blocks = "p div h1 h2 h3 h4 h5 h6 li blockquote".split()
    for element in root.iter(*blocks):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return str(root.text_content())


# ------------------------------------------------------------------ second extractor


@lru_cache(maxsize=1)  # the extraction reads it twice per page (merge, then the lead)
def extractor_lines(page_html: str) -> list[str]:
    """Paragraphs of resiliparse's main-content text; [] when it fails."""
    try:
        text = extract_plain_text(
            page_html, main_content=True, list_bullets=False, alt_texts=False, links=False
        )
    except Exception as error:  # third-party code on attacker-controlled markup
        logger.debug("second extractor failed: %s", error)
        return []
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return [line for line in lines if line][:MAX_OPINION_LINES]


# ------------------------------------------------------------------ merge


def _trigrams(line_key: str) -> set[tuple[str, ...]]:
    words = line_key.split()
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def _covered(line_key: str, body_trigrams: set[tuple[str, ...]]) -> float:
    """The share of a line's word trigrams the body already has."""
    grams = _trigrams(line_key)
    return len(grams & body_trigrams) / len(grams) if grams else 1.0


@dataclass(frozen=True)
class Merged:
    """The body lines after the merge, and for each the source that added it ("" for the body)."""

    lines: list[str]
    sources: list[str]


def looks_like_prose(line: str) -> bool:
    """A paragraph of article text by its shape: a long enough sentence."""
    return len(line.split()) >= MIN_ADDED_WORDS and line.rstrip().endswith(_SENTENCE_END)


def merge(
    lines: Sequence[str],
    opinion: Sequence[str],
    source: str,
    shown: Callable[[], frozenset[str]] | None = None,
    sources: Sequence[str] | None = None,
) -> Merged:
    """`lines` with the prose paragraphs of `opinion` they lack, each placed after the body line
    the opinion has just before it, and only between two paragraphs both agree on. `shown`
    when given gives the comparison keys of the page's paragraphs (`page_paragraphs`, called
    only when there is a paragraph to add): an added paragraph must be one of them."""
    from rapidfuzz import fuzz, process

    lines = list(lines)
    current = list(sources) if sources is not None else [""] * len(lines)
    if not lines or not opinion:
        return Merged(lines, current)
    body_keys = [key(line) for line in lines]
    index_of: dict[str, int] = {}
    for index, body_key in enumerate(body_keys):
        index_of.setdefault(body_key, index)
    joined = " \n ".join(body_keys)
    body_trigrams = {gram for body_key in body_keys for gram in _trigrams(body_key)}

    def may_add(line: str, line_key: str) -> bool:
        return (
            line_key not in joined
            and looks_like_prose(line)
            and _covered(line_key, body_trigrams) <= MAX_COVERED_SHARE
        )

    # Most opinions hold no line the body lacks that could be added: that is known without
    # matching their other lines to the body's (rapidfuzz, the merge's main cost).
    if not any(
        line_key and line_key not in index_of and may_add(line, line_key)
        for line, line_key in ((line, key(line)) for line in opinion)
    ):
        return Merged(lines, current)

    # each opinion line: the body line it is (an anchor), or a candidate to add, or neither
    anchors: list[tuple[int, int]] = []  # (opinion index, body index)
    candidates: list[int] = []
    for position, line in enumerate(opinion):
        line_key = key(line)
        if not line_key:
            continue
        found = index_of.get(line_key)
        if found is None and len(line_key) >= 20:
            best = process.extractOne(
                line_key, body_keys, scorer=fuzz.ratio, score_cutoff=SAME_LINE_SCORE
            )
            found = best[2] if best is not None else None
        if found is not None:
            if not anchors or found > anchors[-1][1]:
                anchors.append((position, found))
        elif may_add(line, line_key):
            candidates.append(position)
    if len(anchors) < MIN_ANCHORS or not candidates:
        return Merged(lines, current)

    budget = max(MAX_ADDED_SHARE * sum(map(len, lines)), MIN_ADDED_BUDGET)
    after: dict[int, list[str]] = {}  # body index → lines to insert after it, in order
    anchor_at = 0
    paragraphs: frozenset[str] | None = None
    for position in candidates:
        while anchor_at + 1 < len(anchors) and anchors[anchor_at + 1][0] < position:
            anchor_at += 1
        previous = anchors[anchor_at]
        if previous[0] > position or anchor_at + 1 >= len(anchors):
            continue  # before the first or after the last anchor: the edges are boilerplate's
        line = opinion[position]
        if shown is not None:
            if paragraphs is None:
                paragraphs = shown()
            if key(line) not in paragraphs:
                continue
        if len(line) > budget:
            break
        budget -= len(line)
        after.setdefault(previous[1], []).append(line)
    if not after:
        return Merged(lines, current)
    merged_lines: list[str] = []
    merged_sources: list[str] = []
    for index, line in enumerate(lines):
        merged_lines.append(line)
        merged_sources.append(current[index])
        for added in after.get(index, []):
            merged_lines.append(added)
            merged_sources.append(source)
    return Merged(merged_lines, merged_sources)


def page_paragraphs(page: HtmlElement) -> frozenset[str]:
    """Comparison keys of the page's text blocks (<p>, <div>, <li>...) that sit in no container
    named for page furniture: a paragraph is added to the body only when the page writes it as
    one such block (the second extractor joins a caption to its credit, a byline to its date,
    and takes in captions, promotion boxes and key-point lists that trafilatura leaves out)."""
    from monitor.extract.roles import MAX_ELEMENT_CHARS, _text_within

    keys = set()
    named: dict[HtmlElement, bool] = {}
    for index, element in enumerate(page.iter(*_BLOCKS)):
        if index >= MAX_PAGE_BLOCKS:
            break
        text = _text_within(element, MAX_ELEMENT_CHARS)
        if (
            text
            and len(text.split()) >= MIN_ADDED_WORDS
            and not _in_furniture(held_alone(element), named)
        ):
            keys.add(key(text))
    return frozenset(keys)


def held_alone(element: HtmlElement) -> HtmlElement:
    """The element that a wrapper holds alone, with no text of its own beside it
    (`<div><div class="author-bio"><p>Text</p></div></div>` gives the <p>): the containers
    around that one say where the text sits. Without it a bare wrapper above a caption or an
    author box read as a block of its own outside furniture."""
    for _ in range(MAX_WRAPPER_DEPTH):
        if (element.text or "").strip():
            return element
        only = None
        for child in element:
            if isinstance(child.tag, str):
                if only is not None:
                    return element  # two children: a block of its own (read no further)
                only = child
        if only is None or (only.tail or "").strip():
            return element
        element = only
    return element


def _in_furniture(element: HtmlElement, named: dict[HtmlElement, bool]) -> bool:
    for level, container in enumerate((element, *element.iterancestors())):
        if level >= FURNITURE_DEPTH:
            return False
        found = named.get(container)
        if found is None:
            found = container.tag in _FURNITURE_TAGS or bool(
                _FURNITURE_NAME.search(box_names(container))
            )
            named[container] = found
        if found:
            return True
    return False


# Elements that hold a paragraph on a page, and how many are read per page.
_BLOCKS = ("p", "div", "span", "li", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "dd")
MAX_PAGE_BLOCKS = 20_000
# Levels above a block read for a container named for page furniture (as `roles.CONTEXT_DEPTH`).
FURNITURE_DEPTH = 6
# Wrappers followed down to the element they hold alone (`held_alone`): page builders nest a
# paragraph in a handful of bare <div>s; the bound keeps a pathological page linear.
MAX_WRAPPER_DEPTH = 12
_FURNITURE_TAGS = frozenset({"figure", "figcaption", "aside", "nav", "footer", "header", "form"})
# Boxes beside the article's text, by any part of a class or id (revision 12): an author's bio,
# a wiki's hatnote, a customer testimonial, an embed's consent placeholder, a call to action, a
# messenger prompt ("Chat with us in Facebook Messenger"), a slideshow's captions. Neither an
# added paragraph nor a lead (`consensus.shown_as_lead`) comes from one.
# A bio is the name's last part or a box of it ("short-bio", "eltdf-bio-text"), not a subject
# ("bio-science"); a slide is a slideshow's ("swiper-slide", "slide-inner"), not an animation's
# ("wow slideInUp", "slide-in": WOW.js and animate.css name a block's entrance so).
BOX_NAMES = (
    r"\bbio(?![\w-])|\bbio-(?:box|text|card|info|wrap|block|content|container|inner|details?"
    r"|desc)|hatnote|testimonial|placeholder|call-?to-?action|messenger|carousel|swiper"
    r"|slide(?!-?(?:in|out)?-?(?:up|down|left|right)|-?(?:in|out)\b|-?toggle)"
)
# A post's tag and category classes (WordPress's "tag-landslide", "category-bio") name what the
# article is about, not a box: left out of the names read for furniture (review of revision 12).
_TOPIC_CLASS = re.compile(r"(?<!\S)(?:tag|category)-\S*", re.IGNORECASE)


def box_names(element: HtmlElement) -> str:
    """An element's class and id as read for the boxes it may be, its topic classes left out."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return _TOPIC_CLASS.sub("", names) if "-" in names else names


# Any part of a class or id ("newsCaption", "PromoSmall", "RenderKeyPoints"): looser than the
# line roles' names, because it only keeps a paragraph out of the body that trafilatura also
# left out.
_FURNITURE_NAME = re.compile(
    r"caption|credit|photo|image|gallery|figure|promo|related|recommend|newsletter|subscri"
    r"|sign-?up|teaser|share|social|byline|author|keypoint|key-point|highlight|summary|advert"
    r"|sponsor|outbrain|taboola|comment|footer|sidebar|most-?read|trending|popular|breadcrumb"
    r"|\bnav|menu|\bads?\b|\bad-|banner|cookie|consent|modal|popup|" + BOX_NAMES,
    re.IGNORECASE,
)
