"""Live pages: recognise a live blog and read its posts, each with its own time.

A live blog is one URL that grows all day: posts appear at the top (or the bottom), each with its
own timestamp. Compared as one article, every new post is a `sentence_added` edit; read post by
post (`monitor.compare.posts`), new posts are the normal flow and only a post changed or deleted
after it was published is news.

Signals, strongest first:
- schema.org JSON-LD: a `LiveBlogPosting`, or a `liveBlogUpdate` list (its posts are read from
  there: `articleBody`, `datePublished`, `@id` or `url`);
- a live badge (an element whose class or text says "live") and a live URL (`/live/`,
  `-live-`, `live-updates`, ...): each counts once;
- posts with their own timestamps: at least `MIN_TIMED_POSTS` siblings each holding one
  `<time datetime>`;
- growth: posts added only at the top, or only at the bottom, in successive versions
  (`growth`, judged by the caller over the page's history).

A page is live when the JSON-LD says so, or when it has timed posts and at least one other signal
(badge, URL, or `MIN_GROWTHS` growths). Pure: HTML text in, values out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, document_fromstring

# Fewer timed siblings than this is a dateline and a comment or two, not a stream of posts.
MIN_TIMED_POSTS = 3
# Successive versions that grew only at one end before timed posts alone make a page live.
MIN_GROWTHS = 2
# Bounds (every unbounded input has one): posts read per page, characters kept per post (past
# it the post is cut: an edit beyond is not seen), JSON-LD characters parsed per script.
MAX_POSTS = 500
MAX_POST_CHARS = 20_000
MAX_JSON_LD_CHARS = 2_000_000
# A post needs this much text: a bare timestamp row is furniture.
MIN_POST_CHARS = 20

_LIVE_URL = re.compile(r"(?:/live/|/live-|-live-|-live(?:\.\w+)?$|live-updates|liveblog)", re.I)
_LIVE_WORD = re.compile(r"^\s*(?:live|en directo|en vivo|en direct|ao vivo|liveticker)\s*$", re.I)
_LIVE_CLASS = re.compile(r"(?:^|[\s_-])live(?:[\s_-]|$)|liveblog|live-badge", re.I)
_SPACE = re.compile(r"\s+")
# Elements with a class: `_has_badge` looks for "live" in any case in it (what `_LIVE_CLASS` can
# match) in Python, which costs less than XPath's translate() on every element.
_CLASSED = etree.XPath("descendant-or-self::*[@class]")

SIGNAL_JSON_LD = "schema.org LiveBlogPosting"
SIGNAL_BADGE = "live badge"
SIGNAL_URL = "live URL"
SIGNAL_TIMED_POSTS = "posts with their own times"
SIGNAL_GROWTH = "grows at one end"


@dataclass(frozen=True)
class Post:
    """One post of a live page."""

    key: str  # its identity across versions: the page's id for it, else its time
    published: str  # as the page gives it (ISO 8601 in practice)
    text: str
    headline: str = ""
    modified: str = ""


@dataclass(frozen=True)
class LivePage:
    """What a page says about being live, and its posts in page order."""

    signals: tuple[str, ...]
    posts: tuple[Post, ...]

    @property
    def is_live(self) -> bool:
        """Live by its own declaration, or timed posts plus another signal."""
        if SIGNAL_JSON_LD in self.signals:
            return True
        others = set(self.signals) - {SIGNAL_TIMED_POSTS}
        return SIGNAL_TIMED_POSTS in self.signals and bool(others)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()[:MAX_POST_CHARS]


def _parse(html: str | bytes) -> HtmlElement | None:
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if not html.strip():
        return None
    try:
        return document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


# ------------------------------------------------------------------ JSON-LD
def _ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "")[:MAX_JSON_LD_CHARS]
        try:
            data = json.loads(text)
        except ValueError:
            continue
        yield from _walk(data, depth=0)


def _walk(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:  # JSON-LD nests @graph in lists in objects; deeper is not a page's metadata
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"], depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", ())
    return {value} if isinstance(value, str) else {str(v) for v in value or ()}


def _ld_posts(live: dict[str, Any]) -> list[Post]:
    updates = live.get("liveBlogUpdate") or []
    if isinstance(updates, dict):
        updates = [updates]
    posts = []
    for update in updates[:MAX_POSTS]:
        if not isinstance(update, dict):
            continue
        text = _clean(str(update.get("articleBody") or update.get("text") or ""))
        published = str(update.get("datePublished") or "")
        key = str(update.get("@id") or update.get("url") or published)
        if text and key:
            posts.append(
                Post(
                    key=key,
                    published=published,
                    text=text,
                    headline=_clean(str(update.get("headline") or "")),
                    modified=str(update.get("dateModified") or ""),
                )
            )
    return posts


# ------------------------------------------------------------------ HTML posts
def _own_times(element: HtmlElement) -> list[HtmlElement]:
    return [t for t in element.iter("time") if t.get("datetime")]


def _post_text(element: HtmlElement) -> str:
    paragraphs = [_clean(p.text_content()) for p in element.iter("p")]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs:
        return "\n\n".join(paragraphs)[:MAX_POST_CHARS]
    times = {_clean(t.text_content()) for t in _own_times(element)}
    text = _clean(element.text_content())
    for stamp in times:
        text = text.replace(stamp, "", 1).strip()
    return text


def _headline(element: HtmlElement) -> str:
    for tag in ("h2", "h3", "h4"):
        for heading in element.iter(tag):
            return _clean(heading.text_content())
    return ""


def _time_counts(tree: HtmlElement) -> dict[HtmlElement, int]:
    """Timestamps inside each element, counted in one pass from the leaves up (linear: a page
    nested 10,000 deep costs what a flat one does)."""
    counts: dict[HtmlElement, int] = {}
    for element in reversed(list(tree.iter())):
        own = int(element.tag == "time" and bool(element.get("datetime")))
        counts[element] = own + sum(counts.get(child, 0) for child in element)
    return counts


def _html_posts(tree: HtmlElement) -> list[Post]:
    """The largest group of sibling elements that each carry exactly one timestamp."""
    stamps = sum(1 for element in tree.iter("time") if element.get("datetime"))
    if stamps < MIN_TIMED_POSTS:
        return []  # too few timestamps on the whole page for any group of posts
    counts = _time_counts(tree)
    best: list[HtmlElement] = []
    for parent, count in counts.items():
        if count < MIN_TIMED_POSTS or not isinstance(parent.tag, str):
            continue
        timed = [c for c in parent if isinstance(c.tag, str) and counts.get(c, 0) == 1]
        if len(timed) > len(best):
            best = timed
    if len(best) < MIN_TIMED_POSTS:
        return []
    posts = []
    for element in best[:MAX_POSTS]:
        stamp = _own_times(element)[0].get("datetime", "")
        text = _post_text(element)
        if len(text) < MIN_POST_CHARS:
            continue
        key = element.get("id") or element.get("data-post-id") or stamp
        heading = _headline(element)
        if heading and text.startswith(heading):
            text = text[len(heading) :].strip()
        posts.append(Post(key=key, published=stamp, text=text, headline=heading))
    return posts


def _text_start(element: HtmlElement, limit: int) -> str:
    """The first `limit` characters of an element's text, without reading the rest."""
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return _clean("".join(parts))[:limit]


def _has_badge(tree: HtmlElement) -> bool:
    """An element classed "live" whose text is only the word (LIVE, En directo...)."""
    # every name _LIVE_CLASS accepts holds "live" in some case: the other classes are passed over
    for element in _CLASSED(tree):
        classes = element.get("class") or ""
        if "live" not in classes.lower():
            continue
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "body", "html"):
            continue
        if _LIVE_CLASS.search(classes) and _LIVE_WORD.match(_text_start(element, 40) or "live"):
            return True
    return False


def read_live_page(html: str | bytes | HtmlElement, url: str = "") -> LivePage:
    """The live signals of a page and its posts (empty when it has none). `html` may be the
    page already parsed (extraction's tree, `extraction.parse_page`): it is only read."""
    tree = html if isinstance(html, HtmlElement) else _parse(html)
    if tree is None:
        return LivePage(signals=(), posts=())
    signals: list[str] = []
    posts: list[Post] = []
    for obj in _ld_objects(tree):
        if "LiveBlogPosting" in _types(obj) or "liveBlogUpdate" in obj:
            signals.append(SIGNAL_JSON_LD)
            posts = _ld_posts(obj)
            break
    if _has_badge(tree):
        signals.append(SIGNAL_BADGE)
    if url and _LIVE_URL.search(url.split("?", 1)[0]):
        signals.append(SIGNAL_URL)
    html_posts = _html_posts(tree)
    if html_posts:
        signals.append(SIGNAL_TIMED_POSTS)
    return LivePage(signals=tuple(signals), posts=tuple(posts or html_posts))


def growth(old_keys: Sequence[str], new_keys: Sequence[str]) -> str:
    """ "top" or "bottom" when the new list is the old one with posts added at that end only
    (older posts may have dropped off the other end), else ""."""
    old_set = set(old_keys)
    kept = [key for key in new_keys if key in old_set]
    if not kept or len(kept) == len(new_keys):
        return ""
    first, last = new_keys.index(kept[0]), new_keys.index(kept[-1])
    if kept != list(new_keys[first : last + 1]):
        return ""  # new posts in the middle: not a stream
    if first > 0 and last == len(new_keys) - 1:
        return "top"
    if first == 0 and last < len(new_keys) - 1:
        return "bottom"
    return ""


def is_live(page: LivePage, growths: int = 0) -> bool:
    """Live by the page's own signals, or timed posts that grew at one end `MIN_GROWTHS` times."""
    if page.is_live:
        return True
    return SIGNAL_TIMED_POSTS in page.signals and growths >= MIN_GROWTHS
