"""Pull the article (title, byline, dates, body) out of a news page with trafilatura.

A string or bytes in, a frozen `Article` out: no network, no database. The options are fixed here
because every one of them changes what a monitor would report as an edit:
comments are excluded (comment churn is not an article edit) and `deduplicate` stays off (its
process-wide cache empties repeat extractions of the same page).

How the body is built (each step measured with `python -m bench.extract`, see bench/):

1. trafilatura runs in its balanced mode, the metadata read beside it (`_metadata`: only the
   fields extraction uses). A `favor_precision` run (fast variant)
   only decides where the article ends, and it runs only where it can change the body: on a
   body of one paragraph or none, and on a body of five paragraphs or more whose first or last
   paragraph (the headline left out) does not read as prose (`_needs_precision`; about half
   the pages, with the same F1 on the development pages as running it everywhere). The
   precision run drops boilerplate at the edges of the article but also real subheadings and
   short paragraphs inside it, so balanced paragraphs after the last one the precision run
   kept are cut (newsletter boxes, "related" lists, site blurbs). Before the first one, only
   short non-sentence lines are cut (datelines, "Updated ..." stamps, kickers, captions); a
   lead paragraph stays. Correction notices and wire credits ("Reporting by ...") among the
   cut lines are kept: the precision run drops them, and they are exactly the edits a monitor
   is for.
   When the balanced run fell back to a single unstructured line and the precision run kept
   paragraphs, the precision run is used; when the two runs disagree on the text itself, the
   balanced run is kept as it is. A balanced run of four paragraphs or fewer is not trimmed (the
   precision run's edges then cut real paragraphs: a teaser and the article's first paragraphs);
   when it has one or two, a third run in `favor_recall` mode is tried and its text used when it
   is much longer.
2. Articles split into sibling containers of the same class (ad rails between chunks) lose all
   but the first chunk in trafilatura; when the body covers one such chunk and misses another,
   the chunks are joined and the extraction re-run (only on such pages).
   A page laid out in a table (its menus and sidebars in the cells beside the article) reaches
   trafilatura as one data table, and the body as that table's rows; such a body is re-run with
   the layout tables read as blocks (`_table_laid_out`, `_without_layout_tables`).
3. A first line that repeats the headline is dropped: the title is its own field, and keeping it
   in the body would report a headline change twice. A closing run of teasers ending in a link
   to read on ("... Read more... 2012-11-09") is the site's list of latest articles: dropped.
4. The body is one paragraph per line ("\\n"), whitespace collapsed inside a line, lines
   without a letter or digit dropped, list markers ("- " of trafilatura's list items, "1.",
   "•") dropped: a page that numbers its lists anew has not changed its text. Lines that link
   to another article ("Read more: ...", `lexicon.SEE_ALSO`) and a blog's links to its previous
   and next posts ("« ... | Main | ... »") are dropped: not the article's text, and changed
   whenever an editor picks another link.
5. A second opinion (`monitor/extract/opinion.py`: the page's JSON-LD articleBody, then
   resiliparse's main content) adds the prose paragraphs trafilatura left out between two
   paragraphs both have; each added line's role names its source, so an edit found only there
   is reported with that reason. Captions and promotion lines (by their container or their
   words: newsletters, "read also", calls to follow or subscribe, photo credits) are left out.
6. The standfirst the page shows before the body's first paragraph, which trafilatura leaves
   out (`monitor/extract/standfirst.py` `shown_standfirst`), goes before that paragraph with the
   role "standfirst".
7. The headline is dropped from the body's first three lines also with a kicker or site suffix
   added or taken off, and the second extractor's lead just before the body is added
   (`monitor/extract/consensus.py` `refine_body`).
"""

from __future__ import annotations

import html
import logging
import re
import warnings
from bisect import bisect_left
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from functools import cache, lru_cache, partial, wraps
from typing import Any, TypeVar, cast

import htmldate
import trafilatura
from lxml.html import HtmlElement

# The public API stays importable from here: `from monitor.extract.extraction import Article`.
from monitor.extract import consensus, metadata, opinion
from monitor.extract.article import EXTRACTION_REVISION, EXTRACTOR, Article, extractor_version
from monitor.extract.author import article_author
from monitor.extract.characters import (
    composed,
    without_mojibake,
    without_soft_hyphens,
    xml_safe,
)
from monitor.extract.lead import loose_lead
from monitor.extract.standfirst import shown_standfirst
from monitor.lexicon import (
    BULLET_MARKER,
    EDGE_NOTICE,
    INTERSTITIAL_TEXT,
    PROMO_LABEL,
    PROMO_LINE,
    SEE_ALSO_LINE,
    is_furniture_line,
    is_notice,
    is_site_line,
)

__all__ = [
    "EXTRACTION_REVISION",
    "EXTRACTOR",
    "Article",
    "ParsedPage",
    "decode_page",
    "extract_article",
    "extractor_version",
    "page_text",
    "parse_page",
]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])

# Fixed for every run: see the module docstring.
_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "deduplicate": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
}


# ------------------------------------------------------------------ input


def decode_page(html: str | bytes, content_type: str = "") -> str:
    """The page as text, decoded in the HTML standard's order: a byte-order mark, then the
    charset of the HTTP Content-Type header, then a <meta> declaration, then sniffing (valid
    UTF-8, else a detected encoding, else windows-1252). w3lib's parts do what browsers (and
    Scrapy's `response.text`) do, including the standard's aliases (ISO-8859-1 is read as
    windows-1252). Its `html_to_unicode` is not called: w3lib 2.6 deprecated the sniffing hook
    (`auto_detect_fun`) that sets the last step, so the steps are its public parts in its order."""
    if isinstance(html, str):
        return html
    from w3lib.encoding import (
        html_body_declared_encoding,
        http_content_type_encoding,
        read_bom,
        to_unicode,
    )

    try:
        bom_encoding, bom = read_bom(html)
        if bom_encoding is not None and bom is not None:
            return to_unicode(html[len(bom) :], bom_encoding)
        encoding = (
            http_content_type_encoding(content_type or None)
            or html_body_declared_encoding(html)
            or _sniff(html)
        )
        return to_unicode(html, encoding)
    except Exception as error:  # third-party code on attacker-controlled bytes
        logger.warning("could not decode page: %s", error)
        return html.decode("utf-8", "replace")


def _sniff(raw: bytes) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from trafilatura.utils import detect_encoding

    try:
        guesses = detect_encoding(raw[:SNIFF_BYTES])
    except Exception:  # third-party code on attacker-controlled bytes
        guesses = []
    return guesses[0] if guesses else "cp1252"


# Bytes a detector reads to guess an undeclared charset: enough for any page's language.
SNIFF_BYTES = 64 * 1024


@cache
def _max_file_size() -> int:
    from trafilatura.settings import DEFAULT_CONFIG

    return DEFAULT_CONFIG.getint("DEFAULT", "MAX_FILE_SIZE", fallback=20_000_000)


@cache
def _load_html() -> Any:
    """trafilatura's `load_html`, its parser given lxml's C-level class lookups in place of
    lxml.html's Python one: the same classes (`HtmlElement`, and the form, input, select,
    textarea and label elements' own), without a Python call for every element a run touches
    (4 % of extraction's CPU on the article benchmark). Copies of its trees keep it."""
    from lxml import etree
    from lxml import html as lxml_html
    from trafilatura.utils import HTML_PARSER, load_html

    lookup = etree.ElementNamespaceClassLookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    names = lookup.get_namespace(None)
    for tag, element_class in lxml_html.HtmlElementClassLookup._default_element_classes.items():
        names[tag] = element_class  # tags as the HTML parser gives them: lower case
    HTML_PARSER.set_element_class_lookup(lookup)
    return load_html


def _parse(text: str) -> HtmlElement | None:
    try:
        tree = _load_html()(text, _max_file_size())
    except Exception as error:
        logger.warning("could not parse page: %s", error)
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _page_language(tree: HtmlElement) -> str:
    """Primary subtag of the declared language (`<html lang="en-GB">` gives "en"), else ""."""
    declared = tree.get("lang") or tree.get("xml:lang") or ""
    if not declared:
        for meta in tree.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                declared = meta.get("content") or ""
                break
    primary = declared.strip().split(",")[0].replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else ""


# ------------------------------------------------------------------ trafilatura runs


# What dateutil says when htmldate (in `_metadata` and `_modified_date`) hands it
# a stamp with a zone's name, "2016-12-16T14:05:00PST", without the `tzinfos` it has no way to
# pass: dateutil then reads the clock time alone, which is what Redline keeps of a zone's name
# anyway (no zone is ever guessed). Only that warning is silenced: a filter for that message from
# dateutil alone, put first in the process's filters before those calls and left there.
# (`warnings.catch_warnings()` is not thread-safe: on leaving, it put back the whole list it saw on
# entry, and a filter another thread set meanwhile was lost.)
_ZONE_NAME_UNREAD = r"tzname \S+ identified but not understood"


def _zone_names_unread(function: F) -> F:
    """`function` with dateutil's warning of a zone's name it cannot read (`_ZONE_NAME_UNREAD`)
    silenced: the filter goes first in `warnings.filters` if it is not first already."""

    @wraps(function)
    def quiet(*args: Any, **kwargs: Any) -> Any:
        filters = warnings.filters
        if not filters or filters[0][1] is None or filters[0][1].pattern != _ZONE_NAME_UNREAD:
            warnings.filterwarnings("ignore", _ZONE_NAME_UNREAD, RuntimeWarning, r"dateutil\.")
        return function(*args, **kwargs)

    return cast(F, quiet)


@_zone_names_unread
def _run(tree: HtmlElement, url: str | None, **options: Any) -> Any:
    """One trafilatura run on the tree (it works on a copy); None when it finds nothing or fails."""
    try:
        return trafilatura.bare_extraction(tree, url=url, **_OPTIONS, **options)
    except Exception as error:  # trafilatura raises assorted errors on malformed documents
        logger.warning("extraction failed for %s: %s", url or "<page>", error)
        return None


def _runs(tree: HtmlElement, url: str | None) -> tuple[Any, str, Any]:
    """(the page's metadata, balanced text, the XML body the text comes from). When the balanced
    run found one or two paragraphs, the recall run's text (and body) replaces it if it is much
    longer. The metadata is None when reading it failed, which fails the balanced run too (as
    it did when trafilatura read it within that run)."""
    try:
        meta = _metadata(tree, url)
    except Exception as error:  # trafilatura and htmldate on malformed documents
        logger.warning("extraction failed for %s: %s", url or "<page>", error)
        return None, "", None
    balanced = _run(tree, url or meta.url)
    balanced_text = (balanced.text or "") if balanced is not None else ""
    body = getattr(balanced, "body", None)
    if balanced_text and len(_lines(balanced_text)) <= RECALL_BODY_LINES:
        recalled = _run(tree, url, favor_recall=True)
        recalled_text = (recalled.text or "") if recalled is not None else ""
        if len(recalled_text) > _MIN_RECALL_GAIN * len(balanced_text):
            balanced_text, body = recalled_text, getattr(recalled, "body", None)
    return meta, balanced_text, body


@_zone_names_unread
def _metadata(tree: HtmlElement, url: str | None) -> Any:
    """The fields of trafilatura's `extract_metadata` that extraction reads (title, author, date,
    and the URL the date search is given), found as that function finds them, in its order. The
    site name, categories, tags and licence it also looks for are never read; they cost about a
    tenth of a balanced run. `tests/test_extract.py` checks these fields against
    `extract_metadata` itself. Reads the tree without changing it."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url
    from trafilatura.settings import DEFAULT_CONFIG, set_date_params

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as error:  # as extract_metadata: bugs in trafilatura's json_metadata.py
        logger.debug("no JSON-LD metadata for %s: %s", url or "<page>", error)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.author:
        meta.author = article_author(tree)  # trafilatura's extract_author, cheaper, no commenter
    if not meta.url:
        meta.url = extract_url(tree, url)
    dates = set_date_params(DEFAULT_CONFIG.getboolean("DEFAULT", "EXTENSIVE_DATE_SEARCH"))
    meta.date = htmldate.find_date(tree, **dates, url=meta.url)
    meta.clean_and_trim()
    return meta


def _precise_text(tree: HtmlElement, url: str | None) -> str:
    """The precision run's text. It only marks the article's edges: its fast variant (no
    readability/justext comparison) does that as well and costs a third less."""
    precise = _run(tree, url, favor_precision=True, fast=True)
    return (precise.text or "") if precise is not None else ""


def _needs_precision(balanced: list[str], title: str) -> bool:
    """Whether the precision run can change the body (`_combine`): always on an empty or one-line
    body (it may find paragraphs); never on a short one (its edges are not trimmed); otherwise
    only when the body's first or last paragraph, the headline left out, does not read as
    article prose (a kicker, a date stamp, "Tags", a link or a newsletter line). On the 700
    development pages (evaluation data and article benchmark, 700) one edge line at each end ran
    it on 343, changed 10 bodies and left F1 as it was (evaluation data 0.9331 → 0.9329,
    article benchmark 0.9688 → 0.9690); see HEAD_LINES for the head."""
    if len(balanced) <= 1:
        return True
    if len(balanced) <= SHORT_BODY_LINES:
        return False
    lines = _drop_title(balanced, title)
    return not all(_plain_prose(line) for line in (*lines[:HEAD_LINES], *lines[-TAIL_LINES:]))


def _plain_prose(line: str) -> bool:
    return (
        _is_sentence(line)
        and not PROMO_LINE.match(line)
        and not is_furniture_line(line)
        and not _SITE_NOTICE.search(line)
    )


# Sentences that close a page, not an article: the precision run's edges are wanted there.
_SITE_NOTICE = re.compile(
    r"copyright|all rights reserved|©|\badapted from\b|originally (?:appeared|published)",
    re.IGNORECASE,
)


# Paragraphs at the head and the tail of the body that must read as prose for the precision
# run to be skipped. A date stamp can follow a standfirst (two lines at the head); a third line,
# or a second at the tail, ran it on 25-40 % more development pages for no gain in F1.
HEAD_LINES = 2
TAIL_LINES = 1


# ------------------------------------------------------------------ body post-processing

_HAS_WORD = re.compile(r"\w")
_SENTENCE_END = (".", "!", "?", "…", ":", '"', "”", "»", "“", "'", ")")
_MIN_SENTENCE_WORDS = 5
# the precision run must keep at least this share of the balanced text to be trusted on edges
_MIN_PRECISION_SHARE = 0.2
# and this share of its own text must be balanced paragraphs (else the runs disagree)
_MIN_AGREEMENT = 0.9
# A balanced run of this many paragraphs or fewer found too little of the page (a teaser, the
# first paragraph of an article laid out in blocks): its edges are not trimmed.
SHORT_BODY_LINES = 4
# With this many or fewer, the recall run is tried too (a third run, on about 4 % of pages), and
# its text taken when it is this many times longer.
RECALL_BODY_LINES = 2
_MIN_RECALL_GAIN = 1.5


def _lines(text: str) -> list[str]:
    """Paragraphs of a trafilatura text: whitespace collapsed, bullets dropped (a list's numbers
    are the page's words: kept), lines without a word and links to other articles ("Read
    more: ...") dropped."""
    return list(_text_lines(text))


# An extraction reads the balanced run's text three times (the recall retry's test, the
# precision run's test, the combination): the last texts' lines are remembered.
@lru_cache(maxsize=4)
def _text_lines(text: str) -> tuple[str, ...]:
    lines = (BULLET_MARKER.sub("", " ".join(line.split())) for line in text.split("\n"))
    return tuple(
        line
        for line in lines
        if _HAS_WORD.search(line)
        and not (SEE_ALSO_LINE.match(line) and not _written_note(line))
        and not ("|" in line and _POST_NAVIGATION.match(line))
    )


# A line opening "Related:" or "Lesen Sie auch:" points to another article, unless the writer
# goes on in sentences of their own after the label: a note of this many sentences and
# characters or more ("RELATED: GOProud's 2012 endorsees did not fare very well. Aside from the
# incumbents ... I believe the hashtag for this would be ...") is the article's (revision 24).
NOTE_SENTENCES = 2
NOTE_MIN_CHARS = 200
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”»’']?(?=\s+\S)")


def _written_note(line: str) -> bool:
    return len(line) >= NOTE_MIN_CHARS and len(_SENTENCE_BREAK.findall(line)) >= NOTE_SENTENCES - 1


# A blog's links to the previous and the next post around its front page's, as Movable Type and
# TypePad write them: "« Previous post's title | Main | Next post's title »" (either side may be
# missing). Not the article's text, and changed whenever a post is published.
_HOME = r"(?:Main|Home|Hauptseite|Startseite|Accueil|Inicio|Principal)"
_POST_NAVIGATION = re.compile(rf"^(?:«[^|«»]+\|\s*{_HOME}\s*(?:\|[^|«»]+»)?|{_HOME}\s*\|[^|«»]+»)$")


# Comparison key of a line: its word tokens, case-folded (punctuation and spacing ignored); one
# remembered function for the extraction's modules (`opinion.key`).
_key = opinion.key


def _is_sentence(line: str) -> bool:
    return len(line.split()) >= _MIN_SENTENCE_WORDS and line.endswith(_SENTENCE_END)


def _combine(balanced_text: str, precise_text: str) -> list[str]:
    """Balanced paragraphs, trimmed at the edges where the precision run saw boilerplate."""
    balanced, precise = _lines(balanced_text), _lines(precise_text)
    if not balanced or not precise:
        return balanced or precise
    if len(balanced) == 1 and len(precise) >= 2:
        # a single run-on line is trafilatura's last-resort dump; the precision run found paragraphs
        return precise
    if len(balanced) <= SHORT_BODY_LINES:
        return balanced  # too few paragraphs for the precision run's edges to mean anything
    balanced_keys = [_key(line) for line in balanced]
    known = set(balanced_keys)
    precise_chars = sum(map(len, precise))
    agreed = sum(len(line) for line in precise if _key(line) in known)
    if agreed < _MIN_AGREEMENT * precise_chars:
        return balanced
    if precise_chars < _MIN_PRECISION_SHARE * sum(map(len, balanced)):
        return balanced
    # align the precision paragraphs in order (a page can repeat the whole article further down)
    positions: dict[str, list[int]] = {}
    for index, key in enumerate(balanced_keys):
        positions.setdefault(key, []).append(index)
    matched, start = [], 0
    for line in precise:
        candidates = positions.get(_key(line), [])
        found = bisect_left(candidates, start)
        if found < len(candidates):
            matched.append(candidates[found])
            start = candidates[found] + 1
    first, last = matched[0], matched[-1]
    head = [line for line in balanced[:first] if _is_sentence(line) or EDGE_NOTICE.search(line)]
    tail = [line for line in balanced[last + 1 :] if EDGE_NOTICE.search(line)]
    return head + balanced[first : last + 1] + tail


def _drop_title(lines: list[str], title: str, within: int = 2) -> list[str]:
    """Drop a leading line that repeats the headline (or the headline without its site suffix)."""
    title_key = _key(title)
    if not title_key:
        return lines
    for index, line in enumerate(lines[:within]):
        line_key = _key(line)
        if line_key == title_key or (len(line_key) >= 20 and title_key.startswith(line_key)):
            return lines[:index] + lines[index + 1 :]
    return lines


# A line that ends in a link to read on ("... Read more...", "... Weiterlesen »", with the date
# some listings add after it) is the teaser of another article: a run of them closing the body is
# the site's list of latest articles, not the article's end.
_READ_ON = re.compile(
    r"\b(?:read more|continue reading|weiterlesen|mehr lesen|lire la suite|leer más|leia mais"
    r"|leggi tutto)\W{0,4}(?:\d{4}-\d\d-\d\d|\d{1,2}\.\d{1,2}\.\d{2,4})?\W{0,2}$",
    re.IGNORECASE,
)
TEASER_TAIL_LINES = 2  # one such line can be the article's own link to its continuation


def _without_teaser_tail(lines: list[str]) -> list[str]:
    """The body without a closing run of teasers (`_READ_ON`) of two lines or more, when lines
    that are not teasers come before it."""
    end = len(lines)
    while end > 0 and _READ_ON.search(lines[end - 1]):
        end -= 1
    if len(lines) - end >= TEASER_TAIL_LINES and end > 0:
        return lines[:end]
    return lines


# ------------------------------------------------------------------ articles split in chunks

_BODY_CLASS = re.compile(r"body|content|article|story|text|entry|post", re.IGNORECASE)
_NOT_BODY_CLASS = re.compile(
    r"comment|reply|related|sidebar|widget|teaser|promo|recommend|footer|\bnav|menu|share|social"
    r"|newsletter|caption|author|\bbio\b|header|meta",
    re.IGNORECASE,
)
_MIN_CHUNK_CHARS = 500  # paragraph text of each chunk
_MAX_CHUNKS = 20
_MAX_CHUNK_DEPTH = 4  # levels between the chunks and their closest common ancestor
_MIN_PARAGRAPH = 30  # paragraphs used to test whether a chunk is in the body


def _paragraphs(element: HtmlElement) -> list[str]:
    texts = (" ".join(p.text_content().split()) for p in element.iter("p"))
    return [text for text in texts if len(text) >= _MIN_PARAGRAPH]


def _depth(element: HtmlElement) -> int:
    return sum(1 for _ in element.iterancestors())


def _chunk_groups(tree: HtmlElement) -> list[list[HtmlElement]]:
    """Groups of same-tag, same-class article-like containers, each with substantial paragraphs,
    not nested in each other and close together in the tree."""
    by_class: dict[tuple[str, str], list[HtmlElement]] = {}
    for element in tree.iter("div", "section", "article"):
        css = element.get("class")
        if css and _BODY_CLASS.search(css) and not _NOT_BODY_CLASS.search(css):
            by_class.setdefault((element.tag, " ".join(css.split())), []).append(element)
    groups = []
    for members in by_class.values():
        if len(members) < 2:
            continue
        member_set = set(members)
        members = [m for m in members if not any(a in member_set for a in m.iterancestors())]
        if len(members) > 2 * _MAX_CHUNKS:
            continue  # a listing (posts, teasers, comments), not one article in pieces
        members = [m for m in members if sum(map(len, _paragraphs(m))) >= _MIN_CHUNK_CHARS]
        if not 2 <= len(members) <= _MAX_CHUNKS:
            continue
        others = [set(m.iterancestors()) for m in members[1:]]
        common = next((a for a in members[0].iterancestors() if all(a in o for o in others)), None)
        if common is None:
            continue
        top = _depth(common)
        if all(_depth(m) - top <= _MAX_CHUNK_DEPTH for m in members):
            groups.append(members)
    return groups


def _coverage(element: HtmlElement, body: str) -> float:
    paragraphs = _paragraphs(element)
    total = sum(map(len, paragraphs))
    return sum(len(p) for p in paragraphs if p in body) / total if total else 0.0


def _split_chunks(tree: HtmlElement, body_text: str) -> list[list[HtmlElement]]:
    """Chunk groups of which the body holds one chunk and misses another."""
    body = " ".join(body_text.split())
    split = []
    for members in _chunk_groups(tree):
        coverage = [_coverage(m, body) for m in members]
        if max(coverage) >= 0.8 and min(coverage) <= 0.2:
            split.append(members)
    return split


def _join_chunks(tree: HtmlElement, groups: list[list[HtmlElement]]) -> HtmlElement:
    """A copy of the tree where each group's chunks are moved into its first chunk."""
    paths = [[tree.getroottree().getpath(m) for m in members] for members in groups]
    joined = deepcopy(tree)
    root = joined.getroottree()
    for group_paths in paths:
        members = [root.xpath(path) for path in group_paths]
        if not all(members):
            continue
        first, *rest = (found[0] for found in members)
        for chunk in rest:
            for child in list(chunk):
                first.append(child)
            parent = chunk.getparent()
            if parent is not None:
                parent.remove(chunk)
    return joined


# ------------------------------------------------------------------ pages laid out in tables

# A page laid out in a table (older sites, blogs, institutional pages) reaches trafilatura as
# one data table: the body is the table's rows, "| menu | article | sidebar |", the menus and
# sidebars beside the article in the same lines. Such a body is re-run with the layout tables
# read as plain blocks. A body is table-laid-out when its table rows hold at least half of its
# text and one row holds a cell of prose (a data table's rows are short).
LAYOUT_ROW_SHARE = 0.5
LAYOUT_ROW_CHARS = 400
# A table is a layout table when it holds another table or a cell of this much text: a data
# table's cells are figures and short labels.
LAYOUT_CELL_CHARS = 400


def _table_row(line: str) -> bool:
    return line.startswith("|") and line.endswith("|")


def _table_laid_out(text: str) -> bool:
    if "|" not in text:
        return False
    lines = _lines(text)
    rows = [line for line in lines if _table_row(line)]
    return bool(rows) and (
        max(map(len, rows)) >= LAYOUT_ROW_CHARS
        and sum(map(len, rows)) >= LAYOUT_ROW_SHARE * sum(map(len, lines))
    )


def _without_layout_tables(tree: HtmlElement) -> HtmlElement:
    """A copy of the tree whose layout tables (and the rows and cells of those) are divs."""
    flat = deepcopy(tree)
    layout = [
        table
        for table in flat.iter("table")
        if next(table.iterdescendants("table"), None) is not None
        or any(len(cell.text_content()) >= LAYOUT_CELL_CHARS for cell in table.iter("td", "th"))
    ]
    for table in layout:
        for element in table.iter("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
            element.tag = "div"
    return flat


# ------------------------------------------------------------------ dates and metadata


# htmldate scans the whole document; the dates it can use sit in the head and the first part of
# the body, so a very large page is cut (a 0.7 MB page cost 0.6 s uncut).
DATE_SEARCH_CHARS = 300_000


@_zone_names_unread
def _modified_date(text: str, url: str | None) -> str:
    head = text[:DATE_SEARCH_CHARS]
    if head.startswith("http") and " " not in head:
        return ""  # htmldate would download it as a URL: no robots.txt, no throttle, any address
    try:
        return htmldate.find_date(head, original_date=False, extensive_search=False) or ""
    except Exception as error:  # htmldate on malformed documents
        logger.debug("no modified date for %s: %s", url or "<page>", error)
        return ""


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,31});")


def _field(value: str | None) -> str:
    """A metadata field as text: whitespace collapsed, and character references left in it by a
    page that escaped its metadata twice ("Sean Penn &#039;engaged&#039;") read as characters."""
    text = " ".join((value or "").split())
    return " ".join(html.unescape(text).split()) if _ENTITY.search(text) else text


# ------------------------------------------------------------------ public API


@dataclass(frozen=True)
class ParsedPage:
    """A page decoded (`decode_page`, `xml_safe`) and parsed once: extraction and the page's
    other readings (`monitor.record.reading`) share the tree and must not change it."""

    text: str
    tree: HtmlElement


def _readable(html: str | bytes, content_type: str) -> str:
    """The page decoded, its forbidden characters, soft hyphens and unambiguous mojibake
    (`characters.MOJIBAKE`) undone: the text both extraction and `page_text` parse."""
    return without_mojibake(without_soft_hyphens(xml_safe(decode_page(html, content_type))))


def parse_page(html: str | bytes, content_type: str = "") -> ParsedPage | None:
    """The page decoded and parsed as extraction reads it; None when it is empty or unparsable."""
    text = _readable(html, content_type)
    if not text.strip():
        return None
    tree = _parse(text)
    return ParsedPage(text, tree) if tree is not None else None


def extract_article(
    html: str | bytes,
    url: str | None = None,
    content_type: str = "",
    page: ParsedPage | None = None,
) -> Article:
    """Extract the article from one page (bytes are decoded with the charset of `content_type`,
    the HTTP header, when the page has no byte-order mark). `page`, when given, is that page
    already parsed (`parse_page`), so a caller reading it for something else parses it once.
    Never raises on odd input: no article, empty body."""
    from monitor.extract.headline import page_headline

    page = page if page is not None else parse_page(html, content_type)
    if page is None:
        return Article()
    text, tree = page.text, page.tree
    canonical_url = next(metadata.canonical_addresses(tree), "")

    meta, balanced_text, body = _runs(tree, url)
    run_tree = tree
    if balanced_text:
        split = _split_chunks(tree, balanced_text)
        if split:
            joined_tree = _join_chunks(tree, split)
            joined = _runs(joined_tree, url)
            joined_balanced = joined[1]
            old_keys = {_key(line) for line in _lines(balanced_text)}
            new_keys = {_key(line) for line in _lines(joined_balanced)}
            # accept only a re-run that adds text and keeps (nearly) all the first run had
            if len(joined_balanced) > len(balanced_text) and len(old_keys & new_keys) >= 0.9 * len(
                old_keys
            ):
                meta, balanced_text, body = joined
                run_tree = joined_tree

    if _table_laid_out(balanced_text):
        flat_tree = _without_layout_tables(run_tree)
        flat = _runs(flat_tree, url)
        if len(_lines(flat[1])) >= 2:
            meta, balanced_text, body = flat
            run_tree = flat_tree

    title = page_headline(tree, _field(getattr(meta, "title", None)))
    needed = _needs_precision(_lines(balanced_text), title)
    precise_text = _precise_text(run_tree, url) if needed else ""
    lines = _without_teaser_tail(_drop_title(_combine(balanced_text, precise_text), title))
    lines, roles = _with_second_opinion(lines, tree, text, body)
    lead = shown_standfirst(tree, lines, title)
    loose = loose_lead(tree, lines)
    if loose is not None and (lead is None or _key(lead.text) != _key(loose.text)):
        at = loose.before
        lines = [*lines[:at], loose.text, *lines[at:]]
        roles = (*roles[:at], "prose", *roles[at:])
    if lead is not None:
        at = lead.before
        lines = [*lines[:at], lead.text, *lines[at:]]
        roles = (*roles[:at], "standfirst", *roles[at:])
    lines, roles = consensus.refine_body(
        lines, roles, title, opinion.extractor_lines(text), partial(consensus.shown_as_lead, tree)
    )
    published = (getattr(meta, "date", None) or "") if meta is not None else ""
    modified = (
        (metadata.page_modified(tree, published) or _modified_date(text, url))
        if lines or meta is not None
        else ""
    )
    return Article(
        title=composed(title),
        byline=metadata.choose_byline(
            _field(getattr(meta, "author", None)), metadata.declared_authors(tree)
        ),
        published=published,
        modified=modified if modified != published else "",
        body=composed("\n".join(lines)),
        canonical_url=canonical_url,
        language=(getattr(meta, "language", None) or "") or _page_language(tree),
        roles=roles,
    )


def _with_second_opinion(
    lines: list[str], tree: HtmlElement, text: str, body: Any
) -> tuple[list[str], tuple[str, ...]]:
    """The body lines with the paragraphs the second opinion adds (`monitor.extract.opinion`),
    and every line's role; an added line the page marks as furniture (a caption, a promotion
    box, a list of links) or a dateline is left out, and the others carry their source as
    their role. A caption or promotion line of trafilatura's is left out too (LEFT_OUT_ROLES), and
    so is a run of link-dense lines among those kept (a list of links, `LINK_RUN_LINES`)."""
    from monitor.extract.roles import line_roles  # it reads lines with this module's `_key`

    paragraphs: list[frozenset[str]] = []

    def shown() -> frozenset[str]:  # the page's <p> texts, read once and only when needed
        if not paragraphs:
            paragraphs.append(opinion.page_paragraphs(tree))
        return paragraphs[0]

    merged = opinion.Merged(lines, [""] * len(lines))
    structured = opinion.json_ld_lines(tree)
    if structured:
        merged = opinion.merge(lines, structured, opinion.JSON_LD, shown)
    second = opinion.extractor_lines(text)
    merged = opinion.merge(merged.lines, second, opinion.SECOND_EXTRACTOR, shown, merged.sources)
    roles = line_roles(body, merged.lines, tree)
    rows = list(zip(merged.lines, merged.sources, roles, strict=True))
    left_out = [
        role in _NOT_ADDED if source else _left_out(line, role) for line, source, role in rows
    ]
    staying = [index for index, out in enumerate(left_out) if not out]
    listed = _in_link_runs(
        ["" if _is_sentence(rows[index][0]) else rows[index][2] for index in staying]
    )
    for at in listed:
        left_out[staying[at]] = True
    kept = [
        (line, source or role)
        for (line, source, role), out in zip(rows, left_out, strict=True)
        if not out
    ]
    if lines and all(out for (_, source, _), out in zip(rows, left_out, strict=True) if not source):
        # nothing of trafilatura's is left: the page is all promotion (a sign-up page, an
        # interstitial), and its words are what recording judges it by
        kept = [(line, role) for line, source, role in rows if not source]
    return [line for line, _ in kept], tuple(role for _, role in kept)


# A run of this many link-dense lines or more, one after the other among the lines the body
# keeps, is a list of links to other pages (a blog's recent posts, a "more stories" rail, a
# blogroll), and leaves the body (revision 24); two lines can be an article's links to its
# sources, and a wholly linked sentence is not counted in a run. Development pages: the article
# benchmark F1 0.9742 -> 0.9749, the evaluation data's development half unchanged, the second
# development set (dragnet and CleanPortalEval) 8 boilerplate snippets fewer for 4 text snippets
# (all four in lists of the blog's other posts, which its annotators kept).
LINK_RUN_LINES = 3


def _in_link_runs(roles: Sequence[str]) -> set[int]:
    """Indexes of the roles that are in a run of LINK_RUN_LINES or more "link_dense" ones."""
    listed: set[int] = set()
    start = 0
    for index in range(len(roles) + 1):
        if index < len(roles) and roles[index] == "link_dense":
            continue
        if index - start >= LINK_RUN_LINES:
            listed.update(range(start, index))
        start = index + 1
    return listed


# Roles that an added paragraph must not have: page furniture, or a dateline or credit line.
_NOT_ADDED = frozenset({"caption", "link_dense", "promo", "dateline_credit"})
# Roles of the lines left out of the body: a caption, a promotion box, a newsletter or "read
# also" line, the site's calls to follow or subscribe, a photo credit are the page's words, not
# the article's (on the development half of the evaluation data: 42 of 132 wrong snippets gone,
# none of the article's lost). A correction notice or a wire credit stays whatever holds it; a
# line of links is left out when it reads as a teaser (`_TEASER`). A line naming a paywall or an
# interstitial stays (`monitor.record.plan.interstitial_reason` reads it), and a body that would
# lose every line of trafilatura's keeps them.
LEFT_OUT_ROLES = frozenset({"caption", "promo"})


# A line of links that opens with a short label and a colon, or with ">>": a teaser for another
# article ("Lesetipp: ...", "Read: ...", ">> Headline <<"); a list of web addresses is left alone.
_TEASER = re.compile(r"^(?:\W{0,3}(?:[^\W\d_]+ ){0,2}[^\W\d_]+\s?:\s+|>>)")
TEASER_MAX_CHARS = 200  # a teaser is one headline; a longer line of links is a paragraph


def _left_out(line: str, role: str) -> bool:
    """Whether a line of that role is left out of the body: a sentence that only opens like a
    promotion ("Read more about the inspection in the report ...") is the article's; a link-dense
    line is left out when it reads as a teaser."""
    if role != "link_dense" and role not in LEFT_OUT_ROLES:
        return False  # most lines: prose, headings, list items (the searches below are costly)
    if is_notice(line) or INTERSTITIAL_TEXT.search(line):
        return False  # a notice is the article's; a paywall's words tell recording what it is
    if role == "link_dense":
        return len(line) <= TEASER_MAX_CHARS and "://" not in line and bool(_TEASER.match(line))
    if PROMO_LABEL.match(line):
        return True  # a label before a link ("À lire aussi » ..."), whatever follows it
    return not (_is_sentence(line) and PROMO_LINE.match(line) and not is_site_line(line))


def page_text(html: str | bytes, content_type: str = "") -> str:
    """All the text a reader could see anywhere on a page (scripts and styles left out), one line
    per block. Used to tell text newly written from text the extraction boundary newly took in."""
    tree = _parse(_readable(html, content_type)) if html else None
    if tree is None:
        return ""
    for element in tree.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    return "\n".join(t.strip() for t in tree.itertext() if t.strip())
