"""The headline as the page shows it: the visible `<h1>`, checked against what the page declares
(og:title, twitter:title, JSON-LD `headline`, `<title>`), with the site's name taken off.

Why: the metadata title is not what a reader sees. Sites rewrite og:title for social networks
while the headline on the page stays (not an edit), add or drop their name ("… | Engadget",
"… – webpack – Medium", "(Published 2017)"), and a headline rewritten on the page can leave the
metadata as it was (an edit the metadata would hide).

How the headline is chosen (`choose_headline`, pure over strings):
1. An `<h1>` that agrees with a declared title (`AGREEMENT` of its words are in it, or the
   other way round) is the headline, as the page writes it.
2. Else, a short `<h1>` (two words) that is the declared title with one word rewritten, then the
   one plausible `<h1>` (at least `MIN_H1_WORDS` words, not a logo: not inside a link, `<nav>`,
   `<footer>`) when the page has exactly one: a headline rewritten on the page while its
   metadata stays is still the words a reader sees.
3. Else the declared title (the extractor's), site affixes removed.

Site affixes (`strip_site_affixes`): a part before or after a separator (" | ", " - ", " – ",
" — ", " · ", ": ") that is the site's name (og:site_name, application-name, JSON-LD publisher
or `isPartOf` name; plus whatever a caller passes, such as the suffix a site's other titles
share), and a trailing "(Published 2017)". Never the whole title.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from monitor.compare.normalize import comparison_key

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Separators between a headline and the site's name, longest first.
SEPARATORS = (" :: ", " // ", " | ", " - ", " – ", " — ", " · ", " » ", ": ")
# "(Published 2017)": the year an archive page carries after its headline (NYT and others).
PUBLISHED_SUFFIX = re.compile(
    r"\s*[(\[](?:published|publi[ée]|ver[öo]ffentlicht|publicado|pubblicato)\s+\d{4}[)\]]\s*$",
    re.IGNORECASE,
)
# An <h1> with fewer words is a logo, a section name or a label, not a headline, unless it is
# the declared title with one word rewritten (`_one_word_rewritten`) and has this many words: a
# one-word <h1> so differing could be any label.
MIN_H1_WORDS = 3
MIN_SHORT_H1_WORDS = 2
# An <h1> agrees with a declared title when this share of the shorter one's words are in the
# longer one: og:title often adds or drops a word or a site name, a logo shares none.
AGREEMENT = 0.6
# At most this many <h1>, JSON-LD blocks and characters of each block are read: a page can hold
# thousands (a listing) or megabytes of JSON-LD; the headline is among the first.
MAX_H1 = 20
# At most this many <h1>-<h3> are read for a headline shown under another name (`shown_part`).
MAX_HEADINGS = 40
MAX_JSON_LD_BLOCKS = 10
MAX_JSON_LD_CHARS = 200_000
# JSON-LD objects read in all (a @graph lists a page's article, site, breadcrumbs, people...).
MAX_JSON_LD_OBJECTS = 100
# A site name longer than this is a sentence (a description put in og:site_name), never stripped.
MAX_AFFIX_WORDS = 6
_NOT_HEADLINE_PLACES = frozenset({"a", "nav", "footer", "aside", "button", "label"})
# What a menu left open by the page wraps around the article once parsed (`_ancestors_in_article`).
_MENU_WRAPPERS = frozenset({"a", "nav"})
_TOKEN = re.compile(r"\w+")


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def _key(text: str) -> str:
    return comparison_key(text)


def strip_site_affixes(title: str, affixes: Iterable[str] = ()) -> str:
    """`title` without a "(Published 2017)" suffix and without any prefix or suffix, set off by a
    separator, that is one of `affixes` (compared without case and punctuation). Repeated, so
    "Title – webpack – Medium" loses both names when both are given; the title itself is never
    removed whole."""
    title = " ".join(title.split())
    title = PUBLISHED_SUFFIX.sub("", title) or title
    keys = {_key(a) for a in affixes if a and len(a.split()) <= MAX_AFFIX_WORDS}
    keys.discard("")
    title = _without_name_after_known(title, keys)
    changed = True
    while changed and keys:
        changed = False
        for separator in SEPARATORS:
            head, sep, tail = title.rpartition(separator)
            if sep and head.strip() and _key(tail) in keys:
                title, changed = head.strip(), True
                break
            head, sep, tail = title.partition(separator)
            if sep and tail.strip() and _key(head) in keys:
                title, changed = tail.strip(), True
                break
    return title


# Separators a site sets between its name and a headline it adds or drops while the page stays
# ("Title" → "Title | Engadget"). Not ": " nor dashes, which also set off the headline's own
# words: "Storm hits coast: 3 dead", and the attribution of BBC headlines ("… - police", "… -
# US", "… - reports"). A dash with the site's own name is stripped at extraction, where the
# page names its site (`strip_site_affixes`).
AFFIX_SEPARATORS = (" | ", " · ", " :: ", " // ")
# A site name so added has at most this many words, and no figure; at most this many names
# ("– webpack – Medium": the publication and the platform).
MAX_ADDED_AFFIX_WORDS = 4
MAX_AFFIXES = 3


def site_affix_change(old: str, new: str) -> str:
    """Why two headlines are the same words a reader sees ("" when they are not): one is the
    other with a "(Published 2017)" suffix, or with a site name set off by a separator before or
    after it ("Title" → "Title | Engadget", "Title – webpack – Medium" → "Title")."""
    old, new = " ".join(old.split()), " ".join(new.split())
    old_bare, new_bare = PUBLISHED_SUFFIX.sub("", old), PUBLISHED_SUFFIX.sub("", new)
    if (old_bare != old or new_bare != new) and _key(old_bare) == _key(new_bare):
        return "a publication-year suffix added or removed"
    shorter, longer = sorted((old_bare, new_bare), key=len)
    if not _key(shorter):
        return ""
    # "Title – webpack – Medium": one affix at a time, at most MAX_AFFIXES
    for _ in range(MAX_AFFIXES):
        stripped = _strip_added_affix(longer, shorter)
        if stripped == longer:
            break
        longer = stripped
        if _key(longer) == _key(shorter):
            return "the site's name added or removed around the headline"
    return ""


def _strip_added_affix(longer: str, shorter: str) -> str:
    """`longer` less one short name set off at the end or start where `shorter` has none."""
    for separator in AFFIX_SEPARATORS:
        head, sep, tail = longer.rpartition(separator)
        if sep and _is_site_name(tail) and _key(head).startswith(_key(shorter)):
            return head
        head, sep, tail = longer.partition(separator)
        if sep and _is_site_name(head) and _key(tail).endswith(_key(shorter)):
            return tail
    return longer


def _without_name_after_known(title: str, keys: set[str]) -> str:
    """`title` less a short name set off after a known site name ("Title - Site | Network" →
    "Title - Site"; `keys`: the known names' keys), so that the known one goes too: a template
    adding its own name after the site's must not strand the site's inside the headline."""
    for separator in AFFIX_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if not (sep and _is_site_name(tail) and _key(tail) not in keys):
            continue
        for inner in SEPARATORS:
            before, inner_sep, name = head.rpartition(inner)
            if inner_sep and before.strip() and _key(name) in keys:
                return head
    return title


def _without_site_name(title: str) -> str:
    """`title` less a short name set off at its end or start (`AFFIX_SEPARATORS`), whatever
    the name: the words the headline itself has."""
    for separator in AFFIX_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if sep and head.strip() and _is_site_name(tail):
            return head
        head, sep, tail = title.partition(separator)
        if sep and tail.strip() and _is_site_name(head):
            return tail
    return title


def _is_site_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_ADDED_AFFIX_WORDS and not any(c.isdigit() for c in text)


def _agrees(a: str, b: str) -> bool:
    """Most words of the shorter text are in the longer one."""
    words_a, words_b = set(_TOKEN.findall(a.casefold())), set(_TOKEN.findall(b.casefold()))
    shorter, longer = sorted((words_a, words_b), key=len)
    return bool(shorter) and len(shorter & longer) >= AGREEMENT * len(shorter)


def opens_title(text: str, title: str) -> bool:
    """Whether `title` opens with the words of `text` (case aside): a headline opens the page's
    `<title>`, a blog's name set after it does not."""
    words = _TOKEN.findall(text.casefold())
    return bool(words) and _TOKEN.findall(title.casefold())[: len(words)] == words


def _one_word_rewritten(heading: str, title: str) -> bool:
    """A short headline with one word rewritten: the same number of words (at least
    MIN_SHORT_H1_WORDS), all but one the same, in the same places ("Ein Albtraum" → "Ein
    Alptraum"), compared without case."""
    a: list[str] = _TOKEN.findall(heading.casefold())
    b: list[str] = _TOKEN.findall(title.casefold())
    if len(a) != len(b) or len(a) < MIN_SHORT_H1_WORDS:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


# The marks that end an HTML attribute: a title a page writes unescaped in one
# (`content="… de "incapacitado""`) is cut at its first such mark once parsed.
ATTRIBUTE_QUOTES = ('"', "'")


def _uncut(titles: list[str]) -> list[str]:
    """`titles` with each one cut at a quotation mark replaced by the declared title it begins
    (og:title "Senador … califica a Biden de" → `<title>` "Senador … califica a Biden de
    "incapacitado""): a page that leaves the quotes of its headline unescaped in an attribute
    has it whole only in an element's text. Without a name that title adds after a separator
    (`_without_site_name`), which the cut one had not."""
    whole = []
    for title in titles:
        longer = (
            bare
            for bare in map(_without_site_name, titles)
            if bare.startswith(title) and bare[len(title) :].lstrip().startswith(ATTRIBUTE_QUOTES)
        )
        whole.append(next(longer, title))
    return whole


def choose_headline(
    h1s: Iterable[str],
    declared: Iterable[str],
    affixes: Iterable[str],
    short_h1s: Iterable[str] = (),
) -> str:
    """The headline a reader sees (see the module docstring): `h1s` are the plausible visible
    `<h1>` texts in page order, `declared` the page's declared titles (first is preferred),
    `affixes` the site names to strip; `short_h1s` the visible `<h1>` too short to be
    plausible on their own."""
    affixes = tuple(affixes)
    titles = _uncut([strip_site_affixes(t, affixes) for t in declared if t])
    headings = [strip_site_affixes(h, affixes) for h in h1s if h]
    # a site's name added after a separator is no word of the headline: it must not make a
    # second <h1> agree ("… obscurity? | The Daily Example" and "The Disappearance of …")
    bare = [_without_site_name(title) for title in titles]
    for heading in headings:
        if any(_agrees(heading, title) for title in bare):
            return heading
    # A short <h1> ("Will Smith") agrees with no title once one of its words is rewritten on
    # the page while the metadata stays; it is the headline when that is all that differs. Not
    # the site's name (a logo: "DER SPIEGEL" is one word from "Der Absturz"), nor when the page
    # also shows the title as declared.
    names = {_key(a) for a in affixes}
    shown = [strip_site_affixes(h, affixes) for h in short_h1s if h]
    candidates = [h for h in [*headings, *shown] if _key(h) not in names]
    if bare and not any(_key(h) == _key(bare[0]) for h in candidates):
        for heading in candidates:
            if _one_word_rewritten(heading, bare[0]):
                return heading
    if len(headings) == 1:
        return headings[0]
    return titles[0] if titles else ""


# ------------------------------------------------------------------ reading the page


def _json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """The page's JSON-LD objects (@graph members and list items included). Extraction asks
    three times a page (headline, modified date, bylines): the last tree's are kept and given
    again, so callers must not change them."""
    global _last_json_ld
    last = _last_json_ld
    if last is not None and last[0]() is tree:
        return last[1]
    objects = _read_json_ld(tree)
    _last_json_ld = (weakref.ref(tree), objects)
    return objects


# The last tree read by `_json_ld_objects` (held weakly: a page's tree is never kept) and its
# objects.
_last_json_ld: tuple[weakref.ref[HtmlElement], list[dict[str, Any]]] | None = None


def _read_json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    scripts = tree.xpath('//script[@type="application/ld+json"]')[:MAX_JSON_LD_BLOCKS]
    for script in scripts:
        raw = (script.text or "")[:MAX_JSON_LD_CHARS]
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack and len(objects) < MAX_JSON_LD_OBJECTS:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return objects


def _meta(tree: HtmlElement, *names: str) -> list[str]:
    wanted = set(names)
    found = []
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or "").strip().lower()
        if name in wanted:
            text = _text(meta.get("content") or "")
            if text:
                found.append(text)
    return found


def _name_of(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list) and value:
        return _name_of(value[0])
    return _text(value)


def site_names(tree: HtmlElement, objects: list[dict[str, Any]] | None = None) -> list[str]:
    """The names a page gives its site: og:site_name, application-name, JSON-LD publisher and
    `isPartOf` names."""
    names = _meta(tree, "og:site_name", "application-name", "al:ios:app_name", "twitter:site")
    names = [n.lstrip("@") for n in names]
    for item in objects if objects is not None else _json_ld_objects(tree):
        for field in ("publisher", "isPartOf", "sourceOrganization"):
            name = _name_of(item.get(field))
            if name:
                names.append(name)
        if str(item.get("@type")) in ("WebSite", "Organization", "NewsMediaOrganization"):
            name = _text(item.get("name"))
            if name:
                names.append(name)
    return list(dict.fromkeys(names))


def declared_titles(tree: HtmlElement, objects: list[dict[str, Any]]) -> list[str]:
    """The titles a page declares: JSON-LD `headline`, og:title, twitter:title, `<title>`."""
    titles = [_text(item.get("headline")) for item in objects if item.get("headline")]
    titles += _meta(tree, "og:title", "twitter:title")
    title = tree.find(".//title")
    if title is not None:
        titles.append(_text(title.text_content()))
    return [t for t in dict.fromkeys(titles) if t]


# Inline elements a headline can hold (a word struck through, set in italics) that a page's
# declared titles can carry escaped, as text ("Java &lt;strike&gt;killer&lt;/strike&gt; successor"):
# a pair of such tags, and its attributes, is no word a reader sees.
_ESCAPED_INLINE = re.compile(
    r"<(b|i|em|strong|s|strike|del|ins|u|mark|small|sup|sub|span|cite|q)(?:\s[^<>]*)?>(.*?)</\1\s*>",
    re.IGNORECASE,
)


def without_markup(title: str) -> str:
    """`title` less the pairs of inline tags it carries as text (`_ESCAPED_INLINE`), their
    words kept: "Java <strike>killer</strike> successor" → "Java killer successor"."""
    while True:
        bare = _ESCAPED_INLINE.sub(r"\2", title)
        if bare == title:
            return " ".join(title.split())
        title = bare


def visible_h1s(tree: HtmlElement, min_words: int = MIN_H1_WORDS) -> list[str]:
    """The plausible headline `<h1>` texts, in page order: `min_words`+ words, not in a link (a
    logo), a nav, a footer or an aside inside the article. Only the first `MAX_H1` are read."""
    return _read_h1s(tree).plausible(min_words)


def logo_h1s(tree: HtmlElement) -> list[str]:
    """The `<h1>` texts `visible_h1s` leaves out for their place: in a link, a nav, a footer, an
    aside (a logo, a site's or a blog's name: "The Huddle: The latest word on NFL news")."""
    return _read_h1s(tree).logos()


def home_logo_h1s(tree: HtmlElement) -> list[str]:
    """The `<h1>` texts that link to the site's home page, by a link inside the `<h1>` or around
    it (`<h1><a href="/">The Brain Dump</a></h1>`): a logo, the site's or blog's name."""
    return _read_h1s(tree).home_logos()


@dataclass(frozen=True)
class _H1:
    """One `<h1>` as the headline's reading needs it: its text, whether its place is a
    headline's (not in a link home, a nav, a footer, an aside...) and whether a link inside or
    around it goes to the site's home page."""

    text: str
    plausible: bool
    links_home: bool


@dataclass(frozen=True)
class _PageH1s:
    """The page's first `MAX_H1` `<h1>`, in page order, read once for all that asks."""

    h1s: tuple[_H1, ...]

    def plausible(self, min_words: int = MIN_H1_WORDS) -> list[str]:
        found = [h.text for h in self.h1s if h.plausible and len(h.text.split()) >= min_words]
        return list(dict.fromkeys(found))

    def logos(self) -> list[str]:
        return list(dict.fromkeys(h.text for h in self.h1s if h.text and not h.plausible))

    def home_logos(self) -> list[str]:
        found = [h.text for h in self.h1s if h.links_home]
        return [text for text in dict.fromkeys(found) if text]


def _read_h1s(tree: HtmlElement) -> _PageH1s:
    """The first `MAX_H1` `<h1>` of the page, one walk."""
    found = []
    for h1 in islice(tree.iter("h1"), MAX_H1):
        text = " ".join(h1.text_content().split())
        inside = h1.find(".//a")
        link = inside if inside is not None else next(h1.iterancestors("a"), None)
        home = link is not None and links_home(link.get("href"))
        placed = not any(a.tag in _NOT_HEADLINE_PLACES for a in _ancestors_in_article(h1))
        # a link inside the <h1> going home makes it a logo; one around it is a place above
        found.append(_H1(text, placed and not (inside is not None and home), home))
    return _PageH1s(tuple(found))


def shown_headings(tree: HtmlElement) -> list[str]:
    """The texts of the page's first `MAX_HEADINGS` `<h1>`-`<h3>` of `MIN_H1_WORDS` words or
    more, in page order: where a page without a headline `<h1>` shows its headline ("<h3>Brett
    Favre says …</h3>" under a blog's name)."""
    texts = (" ".join(h.text_content().split()) for h in tree.iter("h1", "h2", "h3"))
    return [text for text in islice(texts, MAX_HEADINGS) if len(text.split()) >= MIN_H1_WORDS]


def shown_part(title: str, headings: Iterable[str]) -> str:
    """A declared title that is a heading shown on the page and a part after a separator (the
    blog's or site's name: "Brett Favre says … - The Huddle: Football News from the NFL -
    USATODAY.com"): that heading; else the title."""
    for heading in headings:
        rest = title[len(heading) :] if title.startswith(heading) else ""
        if rest.strip() and rest.startswith(SEPARATORS):
            return heading
    return title


def links_home(href: str | None) -> bool:
    """Whether a link goes to a site's home page: "/", "./", "", "https://site.example/"."""
    if href is None or href.strip().startswith("#"):
        return False
    try:
        parts = urlsplit(href.strip())
    except ValueError:  # "http://[::1": no URL, so no home page
        return False
    return parts.path in ("", "/", "./") and not parts.query


def _ancestors_in_article(element: HtmlElement) -> list[HtmlElement]:
    """The element's ancestors, less the `<nav>` and links above the page's article (its first
    `<article>` or `<main>`): an <h1> inside the article is no logo, even when a menu left open
    by the page (unclosed `<li>`) wraps it all in a `<nav>` or a link once parsed. Above any
    other article (a teaser card in a link, a related list in a menu, an aside or a footer),
    every ancestor counts."""
    ancestors = list(element.iterancestors())
    for index, ancestor in enumerate(ancestors):
        if ancestor.tag in ("article", "main"):
            if not _is_first_article(ancestor):
                break
            outside = ancestors[index + 1 :]
            return ancestors[: index + 1] + [a for a in outside if a.tag not in _MENU_WRAPPERS]
    return ancestors


def _is_first_article(article: HtmlElement) -> bool:
    """Whether no `<article>` or `<main>` comes before `article` but its own ancestors."""
    first = next(article.getroottree().iter("article", "main"), None)
    return first is not None and (first == article or first in article.iterancestors())


def page_headline(tree: HtmlElement, extracted_title: str = "", affixes: Iterable[str] = ()) -> str:
    """The headline of the page as a reader sees it (see the module docstring);
    `extracted_title` (the extractor's metadata title) comes first among the declared ones;
    `affixes` are further site names to strip (the suffix a site's other titles share)."""
    objects = _json_ld_objects(tree)
    others = declared_titles(tree, objects)
    page_h1s = _read_h1s(tree)
    h1s = page_h1s.plausible()
    shown = shown_headings(tree) if not h1s else []
    logos = page_h1s.logos()
    names_home = page_h1s.home_logos()
    if extracted_title in logos and any(
        shown_part(t, shown) != t or strip_site_affixes(t, names_home) != t for t in others
    ):
        # the extractor read a logo's <h1> (a blog's name); the page shows another heading and
        # declares it first in a title, or declares a title setting the logo's name off before
        # or after its headline: that heading, that headline is the headline
        extracted_title = ""
    declared = [without_markup(t) for t in (extracted_title, *others)]
    # a logo's <h1> linking home (a blog's name) opening a title before a separator is the
    # site's name there too ("The Brain Dump: Gavin King unveils …"), however the page names its
    # site elsewhere; not an <h1> left out for its place alone (a breadcrumb's last item is the
    # page's own name)
    names = [*site_names(tree, objects), *affixes, *names_home]
    short = [h for h in page_h1s.plausible(MIN_SHORT_H1_WORDS) if len(h.split()) < MIN_H1_WORDS]
    headline = choose_headline(h1s, declared, names, short)
    return shown_part(headline, shown) if headline else headline
