"""The standfirst (summary, dek, lead) of a page: what it declares, and what it shows.

1. `read_standfirst`: the summary the page declares in its metadata (`og:description`, then
   `<meta name="description">`). It feeds the headline-variant detector
   (`monitor.compare.variants`), which reports a standfirst *test*.
2. `shown_standfirst`: the standfirst a reader sees between the headline and the article's first
   paragraph, which trafilatura leaves out of the body on most pages that have one (on the
   development half of trafilatura's evaluation data it was the largest share of the text it
   missed). A block before the body's first paragraph, close to it on the page, is the
   standfirst when its words are the declared summary (whole, or the start of it when the
   metadata cut it short), or when its class or id names a standfirst ("standfirst", "dek",
   "lead", "intro", "summary", "teaser", "excerpt", "chapo"...); never a block inside page
   furniture, a link, or the headline itself. Extraction puts it first in the body with the
   role "standfirst": a dek rewritten on the page is an edit like any other.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from lxml.html import HtmlElement

from monitor.extract.headline import links_home

# Metadata sits in the head: only this much of a page is searched.
SEARCH_BYTES = 64 * 1024
# A standfirst is a sentence or two; anything longer is cut (and still compared as a wording).
MAX_CHARS = 1_000

_META = re.compile(rb"<meta\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ORDER = (b"og:description", b"description")


def read_standfirst(page: bytes) -> str:
    """The page's standfirst, or "" when it declares none."""
    found: dict[bytes, str] = {}
    for tag in _META.finditer(page[:SEARCH_BYTES]):
        attrs = {
            match[1].lower(): match[2] if match[2] is not None else match[3]
            for match in _ATTR.finditer(tag[0])
        }
        name = (attrs.get(b"property") or attrs.get(b"name") or b"").lower()
        content = attrs.get(b"content")
        if name in _ORDER and content and name not in found:
            text = html.unescape(content.decode("utf-8", "replace"))
            found[name] = " ".join(text.split())[:MAX_CHARS]
    return next((found[name] for name in _ORDER if found.get(name)), "")


# ------------------------------------------------------------------ the standfirst shown

# The body's first paragraph (the standfirst goes before it) is its first line of MIN_WORDS words
# or more among this many: a photo credit or a rating line can open the body.
ANCHOR_LINES = 3
# The element holding that paragraph holds at most this many times its characters (a line can
# be the first part of a <p> split at <br>).
ANCHOR_SPAN = 3
# Elements read before the body's first paragraph is found (bounds the work on a large page).
MAX_BLOCKS = 5_000
# A standfirst shown on the page has at least this many words (a kicker, a date or a section
# name has fewer) and at most this many characters (two or three sentences; a longer block
# before the body is an abstract or another article).
MIN_WORDS = 8
MAX_SHOWN_CHARS = 800
# The standfirst and the body's first paragraph share a container at most this many levels
# above that paragraph (header and body of one <article>: 2-5 on the development pages); a
# block further away is another part of the page (a hero banner, a teaser rail).
MAX_LEVELS = 6
# A block whose words are the summary the page declares (og:description) is the standfirst
# further up, up to this many levels: the page says so itself, and a theme that puts its
# header and its text in separate rows of a grid (7 levels on the development pages) shows it
# there, when that shared part is not the whole <body> (a rail beside the article).
# A block only named a standfirst keeps MAX_LEVELS (a teaser rail is named so too).
MAX_DECLARED_LEVELS = 8
# A declared summary cut short by the site ("... the city said…") still names its block when
# this many characters of it are left.
MIN_PREFIX_CHARS = 40
# A block whose word trigrams are this much in the body already is not missing from it.
MAX_COVERED_SHARE = 0.5
# Levels above a block whose class or id can name it a standfirst (<div class="dek"><p>).
NAME_LEVELS = 2
# Levels above a block searched for the site's logo beside it (`_beside_site_logo`): a tagline
# sits with the logo in one "identity" or "site-branding" box (1 level on the development pages).
LOGO_LEVELS = 2
_LOGO_NAME = re.compile(r"logo|brand|site-?title")
# Words a site's branding box holds besides its tagline: the site's name, "Home", a menu toggle.
# An article's header holds its headline, byline and date too.
MAX_BRANDING_WORDS = 8


@dataclass(frozen=True)
class Shown:
    """A standfirst shown on the page, and the index of the body line it stands before."""

    text: str
    before: int


_TAGS = ("p", "div", "h2", "h3", "span", "section", "strong")
# A block only named a standfirst (not the declared summary) ends like a sentence: a date and
# share line in a "story-lead" box does not.
_SENTENCE_END = (".", "!", "?", "…", '"', "”", "»", "“", "'", ")")
# Share of a standfirst's words that are words of letters (a date stamp has half or fewer).
MIN_PROSE_SHARE = 0.7
_WORDLIKE = re.compile(r"[^\w]*[^\W\d_]{2,}")
_MEDIA = ("figure", "figcaption", "img", "picture", "video", "iframe")
_DESCRIPTIONS = frozenset({"og:description", "description", "twitter:description"})
_TOKEN = re.compile(r"\w+")
_CAMEL = re.compile(r"([a-z])([A-Z])")
# A class or id token naming a standfirst ("article__lead", "ts-intro", "c-page-intro__copy",
# "field--summary", "entry-excerpt", "articleDek"), the name whole ("leader" is not one).
_STANDFIRST_NAME = re.compile(
    r"(?:^|[\s_-])(?:standfirst|stand-first|dek|deck|lede|lead|leadin|lead-?text|intro"
    r"|introduction|summary|teaser|excerpt|sub-?title|subhead|subheadline|sapo|chapo|chapeau"
    r"|abstract|strapline|description)(?=$|[\s_\d-])"
)


def _key(text: str) -> str:
    """Word tokens, case-folded (as extraction compares lines, `opinion.key`)."""
    return " ".join(_TOKEN.findall(text.casefold()))


def _declared(page: HtmlElement) -> list[str]:
    """Comparison keys of the summaries the page declares in its <meta> tags."""
    keys = []
    for meta in page.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").lower()
        if name in _DESCRIPTIONS:
            found = _key((meta.get("content") or "")[:MAX_CHARS])
            if found and found not in keys:
                keys.append(found)
    return keys


def _is_declared(text_key: str, declared: Sequence[str]) -> bool:
    """Whether a block's words are a declared summary, whole or cut short by the metadata."""
    for summary in declared:
        if text_key == summary:
            return True
        cut = summary.rsplit(" ", 1)[0]  # the last word may be cut in the middle
        if len(cut) >= MIN_PREFIX_CHARS and text_key.startswith(cut):
            return True
        if len(text_key) >= MIN_PREFIX_CHARS and summary.startswith(text_key):
            return True
    return False


def _named(element: HtmlElement, names: dict[HtmlElement, bool]) -> bool:
    """Whether the element or its parent is named a standfirst; each container's name read once
    a page (`names`: a block is read as itself, then as its children's parent)."""
    for level, container in enumerate((element, *element.iterancestors())):
        if level >= NAME_LEVELS:
            return False
        found = names.get(container)
        if found is None:
            found = names[container] = _is_standfirst_name(container)
        if found:
            return True
    return False


def _is_standfirst_name(container: HtmlElement) -> bool:
    names = f"{container.get('class') or ''} {container.get('id') or ''}"
    return bool(_STANDFIRST_NAME.search(_CAMEL.sub(r"\1-\2", names).lower()))


def _first_word(element: HtmlElement) -> str:
    lead = (element.text or "").split(None, 1)
    if not lead:
        lead = next((part.split(None, 1) for part in element.itertext() if part.strip()), [])
    return lead[0].casefold() if lead else ""


def shown_standfirst(page: HtmlElement, lines: Sequence[str], title: str = "") -> Shown | None:
    """The standfirst shown before the body's first paragraph (the first of `lines`, the
    extracted body, with MIN_WORDS words or more, among its first ANCHOR_LINES), as written on
    the page, and the index of that paragraph; None when there is none, or the body has it."""
    from monitor.extract.opinion import _covered, _trigrams
    from monitor.extract.roles import _context_role, _text_within

    at = next((i for i, line in enumerate(lines[:ANCHOR_LINES]) if _words(line) >= MIN_WORDS), None)
    if at is None:
        return None
    first = _key(lines[at])
    first_word = lines[at].split()[0].casefold()
    declared = _declared(page)
    title_key = _key(title)
    limit = min(ANCHOR_SPAN * len(lines[at]) + 200, 5_000)
    candidates: list[tuple[HtmlElement, str, bool]] = []
    anchor = None
    names: dict[HtmlElement, bool] = {}
    for index, element in enumerate(page.iter(*_TAGS)):
        if index >= MAX_BLOCKS:
            return None
        word = _first_word(element)
        if not word:
            continue
        if word == first_word:
            text = _text_within(element, limit)
            if text is not None and _key(text).startswith(first):
                anchor = element
                break
        named = _named(element, names)
        if not named and not (declared and any(d.startswith(word) for d in declared)):
            continue  # neither named a standfirst nor opening like the declared summary
        text = _text_within(element, MAX_SHOWN_CHARS)
        if text is None or _words(text) < MIN_WORDS or not _reads_as_prose(text):
            continue
        text = " ".join(text.split())
        text_key = _key(text)
        if text_key == title_key:
            continue
        if _is_declared(text_key, declared):
            candidates.append((element, text, True))
        elif named and text.endswith(_SENTENCE_END):
            candidates.append((element, text, False))
    if anchor is None or not candidates:
        return None
    for inner in anchor.iterdescendants(*_TAGS):  # the innermost element holding the paragraph
        text = _text_within(inner, limit)
        if text is not None and _key(text).startswith(first):
            anchor = inner
    above = list(anchor.iterancestors())
    levels = {container: level for level, container in enumerate(above)}
    body_trigrams = {gram for line in lines for gram in _trigrams(_key(line))}
    seen: dict[HtmlElement, str] = {}
    # a block in a caption, a promotion box or a link is not one, and neither is a block around
    # it (a figure's caption and credit in one <div>)
    boxed: set[HtmlElement] = set()
    for element, text, _ in candidates:
        if _context_role(element, text, seen)[0]:
            boxed.update((element, *element.iterancestors()))
    # the nearest block that is the declared summary, else the nearest named a standfirst
    for element, text, declared_here in sorted(reversed(candidates), key=lambda c: not c[2]):
        if element in levels or element in boxed or _holds_media(element):
            continue  # a container of the body's first paragraph, page furniture, lead media
        if _beside_site_logo(element):
            continue  # the site's tagline
        shared = next((c for c in element.iterancestors() if c in levels), None)
        if shared is None or not _near(levels[shared], shared, declared_here):
            continue
        if _covered(_key(text), body_trigrams) > MAX_COVERED_SHARE:
            return None  # the body has it
        return Shown(text, at)
    return None


def _near(level: int, shared: HtmlElement, declared: bool) -> bool:
    """Whether a block sharing `shared` (`level` levels above the body's first paragraph) with
    that paragraph is near enough to be its standfirst: MAX_LEVELS, or MAX_DECLARED_LEVELS for
    the declared summary when what they share is a part of the page, not the page's <body>."""
    if level < MAX_LEVELS:
        return True
    return declared and level < MAX_DECLARED_LEVELS and shared.tag not in ("body", "html")


def _beside_site_logo(element: HtmlElement) -> bool:
    """A block sharing a small container (at most `LOGO_LEVELS` up, with at most
    `MAX_BRANDING_WORDS` words besides the block's) with the site's logo, a link home holding a
    picture or marked as one (`rel="home"`, a class or id naming a logo or brand), is the site's
    tagline, whatever summary the page declares (a blog whose every page gives its tagline as
    og:description). A text link home, as breadcrumbs have, does not count."""
    own_words = len(element.text_content().split())
    for container in islice(element.iterancestors(), LOGO_LEVELS):
        if len(container.text_content().split()) - own_words > MAX_BRANDING_WORDS:
            return False  # a larger part of the page (an article's header, its whole page)
        for link in container.iter("a"):
            if element in link.iterancestors() or not links_home(link.get("href")):
                continue
            names = f"{link.get('class') or ''} {link.get('id') or ''}".lower()
            if (
                "home" in (link.get("rel") or "").lower().split()
                or _LOGO_NAME.search(names)
                or next(link.iter("img", "svg", "picture"), None) is not None
            ):
                return True
    return False


def _holds_media(element: HtmlElement) -> bool:
    """A block holding a picture or a video is the article's lead media ("ArticlePage-lead"
    around an image and its caption), not its standfirst."""
    return next(element.iterdescendants(*_MEDIA), None) is not None


def _words(text: str) -> int:
    return len(text.split())


def _reads_as_prose(text: str) -> bool:
    """Words, not a date stamp or a list of figures ("Nov. 20, 2019 Updated: Nov. 20, 2019")."""
    words = text.split()
    return sum(1 for word in words if _WORDLIKE.match(word)) >= MIN_PROSE_SHARE * len(words)
