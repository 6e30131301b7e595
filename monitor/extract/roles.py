"""Where each body line sits on the page: its role (`monitor.extract.article.ROLES`).

A pure function of what extraction already has: trafilatura's XML body (its tags say heading,
list item, quotation, table), the parsed page (the HTML around a line says caption, promotion box,
links) and the final body lines. No extra trafilatura run: lines are matched to elements by the
comparison key extraction uses for its own matching (`extraction._key`: word tokens, case-folded).

Roles, first that fits wins:

1. `dateline_credit`: a line that is only a dateline ("WASHINGTON (Reuters) -"), a wire credit
   ("Reporting by ...; Editing by ...") or a short byline ("By Jane Roe").
2. `caption`: the line's element sits in a <figure>/<figcaption> or a container whose class or id
   names a caption or a photo credit, or the line opens with a numbered figure label
   (`lexicon.FIGURE_LABEL`: "Abbildung 4: ...", "Figure 2. ...").
3. `promo`: in an <aside>, <nav> or <footer>, or a container named for newsletters, promotions,
   related or recommended stories; or a short line opening with a promotional phrase
   (`lexicon.PROMO`: "Sign up", "Lire aussi", "Leia também"...) or holding the site's words to its
   reader (`lexicon.SITE_LINES`: "Follow us on", "Alle Rechte vorbehalten", a photo credit...).
   Also a paragraph or list item that is a short label (in bold or ending in a mark) and one
   link to another article of the site, the link ending the line (`_labelled_teaser`).
4. `link_dense`: most of the line's text is link text on the page (trafilatura drops links from
   its output, `include_links` would change the text; the page's <a> elements are read instead),
   or the line's element sits inside a link (a teaser: `<a href><h3>Headline</h3></a>`).
5. What trafilatura's XML says: `heading` (head), `list_item` (item), `blockquote` (quote),
   `table` (row or cell).
6. Anything else, including lines found nowhere: `prose`.

A line found in several places of the page (a teaser repeating the lead paragraph) gets a page
context role (2-4) only when every place agrees: a real paragraph is never furniture because a
promo box quotes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import islice
from urllib.parse import urlsplit

from lxml.etree import _Element
from lxml.html import HtmlElement

from monitor.compare.credits import CREDIT_MAX_CHARS, DATELINE_MAX_CHARS
from monitor.extract.extraction import _key
from monitor.extract.metadata import canonical_addresses
from monitor.lexicon import (
    AFFILIATE_LINK,
    AFFILIATE_SPEAKER,
    BYLINE_OPENER,
    CREDIT,
    DATELINE,
    FIGURE_LABEL,
    PROMO_LABEL_MARKS,
    PROMO_LINE,
    RAIL_HEADING,
    RAIL_LABEL,
    byline_line,
    is_furniture_line,
    is_site_line,
)

# trafilatura's XML tags and the role of a line they hold; an ancestor's role comes first
# (a paragraph inside a quote is a blockquote line).
_XML_ROLE = {"quote": "blockquote", "row": "table", "cell": "table", "item": "list_item"}
_XML_OWN_ROLE = {"head": "heading", **_XML_ROLE}
# Elements whose lines are not prose; a plain paragraph is prose and is not looked at.
_XML_LINES = ("head", "item", "quote", "row")

# Page containers, by tag and by a token of their class or id.
_CAPTION_TAGS = frozenset({"figure", "figcaption"})
_PROMO_TAGS = frozenset({"aside", "nav", "footer"})
# A class or id token opening with one of these names (or with a word of its own before them:
# "image-caption", "c-newsletter", "figcaption"), the name whole ("promo-box", not "promoted";
# "subscribe-box", not "subscriber-content", which is the paywalled article itself); a state flag
# such as "hasCaption" is not one.
_CONTAINER_NAME = re.compile(
    r"(?:^|[\s_-]|fig)(?:"
    r"(?P<caption>caption|credit|bildunterschrift|legende|légende|didascalia|pie-?de-?foto)"
    r"|(?P<promo>newsletters?|promos?|related|recommend(?:ed|ations?)?|sign-?up|subscribe"
    r"|outbrain|taboola|read-?more|also-?read|more-?stories))"
    r"(?=$|[\s_\d-])",
    re.IGNORECASE,
)
# How many levels above a line's element are read for a container (a line sits a few levels
# inside its box; the article's own wrapper, further up, must not decide).
CONTEXT_DEPTH = 6
# A line is link-dense when at least this share of its characters are link text: a list of
# related headlines is at 1.0, "Related: <a>headline</a>" at 0.85-0.9; a paragraph citing its
# sources with long inline links reaches 0.6-0.75 on the development pages and stays prose.
LINK_DENSE_SHARE = 0.8
# A promotional phrase opens a line of at most this many characters; a longer line is prose
# that happens to start with "Subscribe".
PROMO_MAX_CHARS = 200
# A line opening with a numbered figure label ("Figure 2: ...", `lexicon.FIGURE_LABEL`) is a
# caption up to this many characters: a label and a few sentences describing the picture.
CAPTION_MAX_CHARS = 400
# A byline line ("By Jane Roe and Sam Poe") has at most this many words.
BYLINE_MAX_WORDS = 8
# Page elements longer than this many characters are not compared to body lines (a container
# holding many lines never equals one); bounds the work on a large page.
MAX_ELEMENT_CHARS = 5_000
# Elements that hold a line even when their text starts in a child (<p><b>Lead</b> text</p>);
# a list item opening with a link is found by its link, one opening with a bold label by itself.
_BLOCK_TAGS = frozenset("p li dd dt td th caption figcaption blockquote h1 h2 h3 h4 h5 h6".split())
# Elements that may hold a body line, block or inline: only these are read (a page's scripts,
# styles, images, icons and form fields are most of its elements and hold none).
_TEXT_TAGS = (
    *_BLOCK_TAGS,
    *"a abbr article aside b cite div em figure font footer header i li mark nav q s section"
    " small span strong sub sup time u".split(),
)
# Page containers are misread when they would make most of the body furniture (an article
# wrapper named "promo-story", a whole story in an <aside>): page context is then ignored.
MAX_FURNITURE_SHARE = 0.5
# A teaser card wrapped in one link (`_in_teaser_link`: title, running time, deck), or opening
# with a heading's link (`_teaser_card`), has at most this many characters, spaces aside; the
# CBC and cricket.com.au video cards of the development pairs hold 60-450.
TEASER_LINK_MAX_CHARS = 500
# A teaser card's deck (`_teaser_card`) sits at most this many levels inside the card
# (`<div class="card"><h3><a>...</a></h3><div class="text"><p>deck</p></div></div>`: 2).
TEASER_CARD_LEVELS = 3
# A teaser card's box is looked beside for the article's own paragraphs (`_among_paragraphs`):
# this many of its nearest siblings on each side (a rail holds cards, an article's body holds
# paragraphs; a card-like box among them is the article's: an election guide's candidate).
CARD_SIBLINGS_READ = 10
# A caption or promotion box holds a line or two: one holding this many paragraphs of prose (at
# least PROSE_PARAGRAPH_CHARS long) is part of the article whatever its name.
MAX_BOX_PARAGRAPHS = 2
PROSE_PARAGRAPH_CHARS = 120
# A rail item (`_rail_list`): a label and a headline's link, a date perhaps, is at most this long
# (the longest on the development pairs is 84 characters) ...
RAIL_ITEM_MAX_CHARS = 160
# A label and a colon before this many links or more is a line of links (topics, tags, photo
# galleries: `_labelled_links`), however long its label.
LABELLED_LINKS_MIN = 2
# ... and past its label at most this share of its letters is outside the link (a date in
# brackets after a headline: 0.22 on "... After Treaty (December 22, 2010)").
RAIL_UNLINKED_SHARE = 0.4
# A labelled teaser (`_labelled_teaser`): a paragraph or list item, a label of at most this many
# characters ("FUNDA OLUNYE UDABA LAPHA |", "Zum Artikel:"), a headline's link of at least this
# many words, and after it nothing but these marks.
_TEASER_TAGS = frozenset({"p", "li"})
TEASER_LABEL_MAX_CHARS = 40
TEASER_HEADLINE_MIN_WORDS = 3
_TEASER_TRAIL = " .…»›<|"
# The list, its parent and grandparent are looked behind for the heading that titles them.
RAIL_HEADING_LEVELS = 3
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def line_roles(
    body: _Element | None, lines: Sequence[str], page: HtmlElement | None = None
) -> tuple[str, ...]:
    """The role of each line of `lines` (the final body lines), from trafilatura's XML `body`
    and the parsed `page` (either may be None: roles then come from what is there)."""
    if not lines:
        return ()
    keys = [_key(line) for line in lines]
    xml = _xml_roles(body, set(keys)) if body is not None else {}
    context, teasers = _page_roles(page, lines, set(keys)) if page is not None else ({}, set())
    furniture = sum(len(line) for line, key in zip(lines, keys, strict=True) if key in context)
    if furniture > MAX_FURNITURE_SHARE * sum(map(len, lines)):
        # misread containers; but a line held in its own teaser's link everywhere it stands is
        # furniture however much of the body such cards are (a video page's rails)
        context = {key: role for key, role in context.items() if key in teasers}
    return tuple(
        _text_role(line) or _placed(line, context.get(key, "")) or xml.get(key) or "prose"
        for line, key in zip(lines, keys, strict=True)
    )


def _placed(line: str, role: str) -> str:
    """The role a line's container gives it; a promotion box holds short lines, so a longer line
    in one is prose that the page's markup misnamed (a paywalled paragraph in a "subscribe" box)."""
    if role == "promo" and len(line) > PROMO_MAX_CHARS:
        return ""
    return role


def _text_role(line: str) -> str:
    """A role the line's words alone decide ("" when they do not)."""
    if len(line) <= CREDIT_MAX_CHARS and CREDIT.match(line):
        return "dateline_credit"  # a whole credit line, as `compare.credits.credit_line` reads it
    if len(line) <= DATELINE_MAX_CHARS:
        dateline = DATELINE.match(f"{line} .")
        if dateline and dateline.end() >= len(line):
            return "dateline_credit"
    if (
        len(line.split()) <= BYLINE_MAX_WORDS
        and BYLINE_OPENER.match(line)
        and not line.endswith((".", "!", "?"))
        and byline_line(line) is not None  # "By The Numbers", "Von Brüssel Nach Berlin": headings
    ):
        return "dateline_credit"
    if len(line) <= PROMO_MAX_CHARS and (
        PROMO_LINE.match(line) or is_furniture_line(line) or is_site_line(line)
    ):
        return "promo"
    if len(line) <= CAPTION_MAX_CHARS and FIGURE_LABEL.match(line):
        return "caption"  # "Abbildung 4: ..." (revision 12)
    if len(line) <= AFFILIATE_NOTE_MAX_CHARS and is_affiliate_note(line):
        return "promo"  # the site's note on its paid links (revision 19)
    return ""


# The site's note on its affiliate links is a sentence or three ("Die mit Sternchen (*)
# gekennzeichneten Links sind sogenannte »Affiliate-Links«. Wenn du ... Für dich verändert sich
# der Preis nicht.": 277 characters); a longer paragraph naming them is the article's.
AFFILIATE_NOTE_MAX_CHARS = 400
# Words one of `lexicon.AFFILIATE_LINKS` holds: most lines have none, and the search is skipped.
_LINK_WORDS = ("link", "enlace", "lien", "amazon")
# Where a line's first sentence ends (a full stop, question or exclamation mark, then a space).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def is_affiliate_note(line: str) -> bool:
    """Whether the line is the site's note that the page's links earn it a commission: its
    first sentence names affiliate or paid links (`lexicon.AFFILIATE_LINK`), and the site or the
    page speaks in it (`lexicon.AFFILIATE_SPEAKER`: "we", "this post", "gekennzeichnet"...)."""
    first = _SENTENCE_END.split(line, maxsplit=1)[0]
    folded = first.casefold()
    if not any(word in folded for word in _LINK_WORDS):
        return False
    return bool(AFFILIATE_LINK.search(first)) and bool(AFFILIATE_SPEAKER.search(line))


def _xml_roles(body: _Element, wanted: set[str]) -> dict[str, str]:
    """Role by key of the lines trafilatura's XML marks as other than prose."""
    roles: dict[str, str] = {}
    for element in body.iter(*_XML_LINES):
        role = _XML_OWN_ROLE[str(element.tag)]
        for ancestor in element.iterancestors(*_XML_ROLE):
            role = _XML_ROLE[str(ancestor.tag)]
            break
        if element.tag == "row":  # one line, its cells joined
            parts, separator = [element], " "
        else:  # a quote's or an item's paragraphs are lines of their own
            parts, separator = [element, *element.iterdescendants("p", "head")], ""
        for part in parts:
            key = _key(separator.join(part.itertext()))
            if key in wanted:
                roles.setdefault(key, role)
    return roles


def _page_roles(
    page: HtmlElement, lines: Sequence[str], wanted: set[str]
) -> tuple[dict[str, str], set[str]]:
    """Role by key of the lines whose elements on the page are in a caption or promotion box, or
    mostly links: only when every element with that key has one (the first element's when they
    differ: a headline in a promotion box and in a rail's link is furniture in both); and the
    keys of those whose every element sits in a teaser's link (`_in_teaser_link`)."""
    found: dict[str, list[tuple[HtmlElement, str]]] = {}
    # first word (as written, case-folded) of each line → the lines' word counts
    firsts: dict[str, list[int]] = {}
    for line in lines:
        words = line.split()
        firsts.setdefault(words[0].casefold(), []).append(len(words))
    limit = min(MAX_ELEMENT_CHARS, 2 * max(map(len, lines)) + 100)
    containers: dict[HtmlElement, str] = {}
    for element in page.iter(*_TEXT_TAGS):
        tag = element.tag
        lead = (element.text or "").split(None, 1)
        if not lead:
            if tag not in _BLOCK_TAGS:
                continue  # an element holding a line is a block or has text of its own
            lead = next((part.split(None, 1) for part in element.itertext() if part.strip()), [])
        # the first word (as written) rules out nearly every element before its text is read
        counts = firsts.get(lead[0].casefold()) if lead else None
        if not counts:
            continue
        text = _text_within(element, limit)
        if text is None:
            continue
        size = len(text.split())
        if not any(abs(size - count) <= 2 + count // 10 for count in counts):
            continue  # not as many words as any line starting with that word
        key = _key(text)
        if key in wanted:
            found.setdefault(key, []).append((element, text))
    roles: dict[str, tuple[str, HtmlElement | None]] = {}
    teasers: set[str] = set()
    for key, places in found.items():
        # an element holding the same text as one inside it (<p><span>text</span></p>) is the
        # same place: the innermost one is read
        inner = {element for element, _ in places}
        for element, _ in places:
            inner.difference_update(element.iterancestors())
        placed = [_context_role(e, text, containers) for e, text in places if e in inner]
        if all(role for role, _ in placed):
            roles[key] = placed[0]
            if all(_in_teaser_link(e) or _teaser_card(e) is not None for e in inner):
                teasers.add(key)
    return _without_article_boxes(roles, lines), teasers


def _in_teaser_link(element: HtmlElement) -> bool:
    """Whether `element` sits in a link (within `CONTEXT_DEPTH`) whose whole text is a teaser
    card's, at most `TEASER_LINK_MAX_CHARS` (a headline, a running time, a deck): a link wrapping
    the article (an `<a>` the page left open) holds far more."""
    for level, container in enumerate((element, *element.iterancestors())):
        if level >= CONTEXT_DEPTH:
            return False
        if container.tag == "a" and container.get("href"):
            return _short_box(container)
    return False


def _short_box(container: HtmlElement) -> bool:
    """Whether a box holds at most `TEASER_LINK_MAX_CHARS` characters of text, spaces aside (a
    template's indentation is no text)."""
    text = _text_within(container, 4 * TEASER_LINK_MAX_CHARS)
    return text is not None and _letters(text) <= TEASER_LINK_MAX_CHARS


def _without_article_boxes(
    roles: dict[str, tuple[str, HtmlElement | None]], lines: Sequence[str]
) -> dict[str, str]:
    """The roles by key, less those of a box that holds several paragraphs of prose: a caption
    or promotion box holds a line or two, a box named "subscribe" or "promo" around paragraphs
    is the article itself (a paywalled part, a sponsored story)."""
    length = {_key(line): len(line) for line in lines}
    paragraphs: dict[HtmlElement, int] = {}
    for key, (_, box) in roles.items():
        if box is not None and length.get(key, 0) >= PROSE_PARAGRAPH_CHARS:
            paragraphs[box] = paragraphs.get(box, 0) + 1
    return {
        key: role
        for key, (role, box) in roles.items()
        if box is None or paragraphs.get(box, 0) < MAX_BOX_PARAGRAPHS
    }


def _container_role(container: HtmlElement, seen: dict[HtmlElement, str]) -> str:
    """caption or promo for one element by its tag, class and id ("" for neither)."""
    role = seen.get(container)
    if role is None:
        tag = container.tag
        name = _CONTAINER_NAME.search(f"{container.get('class') or ''} {container.get('id') or ''}")
        if tag in _CAPTION_TAGS:
            role = "caption"
        elif tag in _PROMO_TAGS:
            role = "promo"
        else:
            role = "" if name is None else str(name.lastgroup)
        seen[container] = role
    return role


def _context_role(
    element: HtmlElement, text: str, seen: dict[HtmlElement, str]
) -> tuple[str, HtmlElement | None]:
    """caption, promo or link_dense for an element by its containers and links ("" for none),
    with the container that decided (None for links)."""
    in_link = False
    for level, container in enumerate((element, *element.iterancestors())):
        if level >= CONTEXT_DEPTH:
            break
        if isinstance(container, HtmlElement):
            role = _container_role(container, seen)
            if role:
                return role, container
            # a teaser: the line's whole element is inside a link (<a><h3>Headline</h3></a>)
            in_link = in_link or (
                level > 0 and container.tag == "a" and bool(container.get("href"))
            )
    if in_link:
        return "link_dense", None
    card = _teaser_card(element)
    if card is not None:
        return "promo", card
    if _labelled_teaser(element, text):
        return "promo", None
    letters = _letters(text)
    linked = sum(
        _letters(link.text_content())
        for link in ([element] if element.tag == "a" else element.iter("a"))
    )
    if letters and linked >= LINK_DENSE_SHARE * letters:
        return "link_dense", None
    if _labelled_links(element, text, linked):
        return "link_dense", None
    rail = _rail_list(element, text, letters - linked)
    return ("promo", rail) if rail is not None else ("", None)


def _teaser_card(element: HtmlElement) -> HtmlElement | None:
    """The teaser card holding a paragraph, if it is one's deck: a box of at most
    `TEASER_LINK_MAX_CHARS` characters, `TEASER_CARD_LEVELS` levels up at most, opening with a
    heading that is wholly a link to another page of the site (`<div><h3><a href="/video/...">
    Lehmann and Smith on SCG emotion</a></h3><div><p>Australia coach ...</p></div></div>`: the
    rails of a video page). None otherwise: the article's own paragraphs sit in a box far longer,
    a heading linking to the page itself is its headline, and a box among the article's
    paragraphs is the article's (`_among_paragraphs`)."""
    if element.tag != "p":
        return None
    for container in islice(element.iterancestors(), TEASER_CARD_LEVELS):
        if not _short_box(container):
            return None
        heading = next(iter(container.iter(*_HEADING_TAGS[1:])), None)
        if heading is None:
            continue
        if not _precedes(heading, element, container):
            return None
        links = [a for a in heading.iter("a") if a.get("href")]
        if len(links) != 1:
            return None
        words = " ".join(heading.text_content().split())
        href = str(links[0].get("href"))
        if words != " ".join(links[0].text_content().split()) or len(words.split()) < 2:
            return None
        if _links_to_itself(href, element) or not _on_site(href, element):
            return None
        return None if _among_paragraphs(container) else container
    return None


def _among_paragraphs(box: HtmlElement) -> bool:
    """Whether a box sits among the article's paragraphs: `MAX_BOX_PARAGRAPHS` paragraphs of
    prose (`PROSE_PARAGRAPH_CHARS` or more) among its `CARD_SIBLINGS_READ` nearest siblings on
    either side (a candidate's linked name and bio in an election guide, a section under a
    heading linking to a topic); a rail of cards has none, or a video's one description."""
    siblings = (
        *islice(box.itersiblings(preceding=True), CARD_SIBLINGS_READ),
        *islice(box.itersiblings(), CARD_SIBLINGS_READ),
    )
    prose = 0
    for sibling in siblings:
        if sibling.tag != "p":
            continue
        text = _text_within(sibling, MAX_ELEMENT_CHARS)
        if text is None or len(" ".join(text.split())) >= PROSE_PARAGRAPH_CHARS:
            prose += 1
    return prose >= MAX_BOX_PARAGRAPHS


def _precedes(first: HtmlElement, second: HtmlElement, within: HtmlElement) -> bool:
    """Whether `first` comes before `second` in `within`, the box holding both."""
    for element in within.iter():
        if element is first:
            return True
        if element is second:
            return False
    return False


def _links_to_itself(href: str, element: HtmlElement) -> bool:
    """Whether `href` is the page's own address (its canonical link's or og:url's path)."""
    path = urlsplit(href.strip()).path.rstrip("/")
    if not path:
        return True
    return any(urlsplit(a).path.rstrip("/") == path for a in _declared_addresses(element))


def _declared_addresses(element: HtmlElement) -> Iterator[str]:
    """The addresses the head of `element`'s page declares for it: its canonical links', then
    its og:url's."""
    head = element.getroottree().getroot().find("head")
    if head is None:
        return
    yield from canonical_addresses(head)
    for meta in head.iter("meta"):
        address = meta.get("content")
        if address and meta.get("property") == "og:url":
            yield address.strip()


def _labelled_teaser(element: HtmlElement, text: str) -> bool:
    """Whether a paragraph or list item is a label and one link to another article of the site
    ("<b>FUNDA OLUNYE UDABA LAPHA |</b> <a>Kuboshwe abahlanu ...</a>", "Zum Artikel:
    <a>Tarifrunde im ÖPNV: Das wird verhandelt</a>", "<strong>Kinderschutz als Vorwand?</strong>
    <a>Warum ...</a>"):
    the template's pointer set between the article's paragraphs, in any language. The label is a
    few words in bold or ending in a mark (`lexicon.PROMO_LABEL_MARKS`), the link a headline (not
    opening in lower case) that ends the line and stays on the site (a citation's link to another
    site is the article's)."""
    if element.tag not in _TEASER_TAGS or len(text) > RAIL_ITEM_MAX_CHARS:
        return False
    links = [link for link in element.iter("a") if link.get("href")]
    if len(links) != 1:
        return False
    link = links[0]
    headline = " ".join(link.text_content().split())
    flat = " ".join(text.split())
    at = flat.rfind(headline) if len(headline.split()) >= TEASER_HEADLINE_MIN_WORDS else -1
    if at <= 0 or flat[at + len(headline) :].strip(_TEASER_TRAIL):
        return False  # no headline, nothing before it, or words after it: a sentence with a link
    if next((c for c in headline if c.isalpha()), "a").islower():
        return False  # a list item's label and its continuation ("Reservoirs: <a>three new ...")
    label = flat[:at].strip()
    if len(label) > TEASER_LABEL_MAX_CHARS or not any(c.isalpha() for c in label):
        return False
    if any(c.isdigit() for c in label):
        # A date or a number before a link ("8 décembre 2019 : <a>...</a>") lists sources.
        return False
    if label[-1] not in PROMO_LABEL_MARKS and not _bold_label(element, label):
        return False
    return _on_site(str(link.get("href")), element)


def _bold_label(element: HtmlElement, label: str) -> bool:
    """Whether the line opens with `label` set in bold (<strong>, <b>) and nothing before it."""
    if (element.text or "").strip() or not len(element):
        return False
    first = element[0]
    return first.tag in ("strong", "b") and " ".join(first.text_content().split()) == label


def _on_site(href: str, element: HtmlElement) -> bool:
    """Whether a link stays on the page's site: a relative address, or the host of the page's
    canonical address or og:url (without "www."); False when the page declares neither."""
    host = urlsplit(href.strip()).netloc.lower().removeprefix("www.")
    if not host:
        return not href.strip().lower().startswith(("javascript:", "mailto:", "#"))
    return any(
        urlsplit(a).netloc.lower().removeprefix("www.") == host
        for a in _declared_addresses(element)
    )


def _labelled_links(element: HtmlElement, text: str, linked: int) -> bool:
    """Whether a short line is a label and a list of links ("See photos of: <a>NFL</a>, <a>Brett
    Favre</a>, <a>Minnesota Vikings</a>", "Themen: <a>Berlin</a> | <a>Verkehr</a>"): past the
    label (`lexicon.RAIL_LABEL`), `LINK_DENSE_SHARE` of the letters are link text, in
    `LABELLED_LINKS_MIN` links at least (one link after a label is a teaser, `_rail_list`)."""
    if len(text) > PROMO_MAX_CHARS:
        return False
    label = RAIL_LABEL.match(text)
    if label is None:
        return False
    links = sum(1 for link in element.iter("a") if link.get("href"))
    return links >= LABELLED_LINKS_MIN and linked >= LINK_DENSE_SHARE * _letters(
        text[label.end() :]
    )


def _rail_list(element: HtmlElement, text: str, unlinked: int) -> HtmlElement | None:
    """The list holding `element` when it is a rail item: a short list item that is a label and
    a link ("Times Topic: <a>New Start Treaty</a>", "News Analysis: <a>Obama's Agenda ...</a>
    (December 22, 2010)") in a list under a heading naming related or more stories
    (`lexicon.RAIL_HEADING`: "Related", "Top multimedia", "Mehr zum Thema"). None otherwise: a
    real list's items are no label and link, and a list of links under the article's own
    subheading stays the article's."""
    label = RAIL_LABEL.match(text) if len(text) <= RAIL_ITEM_MAX_CHARS else None
    if label is None or not any(link.get("href") for link in element.iter("a")):
        return None
    # past the label, the link is most of the text (a date in brackets may follow it)
    if unlinked - _letters(label.group(0)) > RAIL_UNLINKED_SHARE * _letters(text[label.end() :]):
        return None
    item = next((a for a in (element, *element.iterancestors()) if a.tag == "li"), None)
    if item is None or not any(a is item for a in _ancestors(element, CONTEXT_DEPTH)):
        return None
    rail = item.getparent()
    heading = _heading_above(rail) if rail is not None else None
    return rail if heading is not None and RAIL_HEADING.match(heading.text_content()) else None


def _ancestors(element: HtmlElement, depth: int) -> list[HtmlElement]:
    return [element, *element.iterancestors()][:depth]


def _heading_above(element: HtmlElement) -> HtmlElement | None:
    """The nearest heading before `element` or before one of its few closest ancestors (a box's
    title: `<h3>Related</h3><ul>`, `<h2>Top multimedia</h2><div><ul>`); None when the first
    heading-bearing sibling met holds none."""
    current: HtmlElement | None = element
    for _ in range(RAIL_HEADING_LEVELS):
        if current is None:
            return None
        for sibling in current.itersiblings(preceding=True):
            if not isinstance(sibling, HtmlElement):
                continue
            if sibling.tag in _HEADING_TAGS:
                return sibling
            inner = [e for e in sibling.iter(*_HEADING_TAGS)]
            if inner:
                return inner[-1]
            if sibling.text_content().strip():
                return None  # text between the list and any heading: not the list's title
        current = current.getparent()
    return None


def _text_within(element: HtmlElement, limit: int) -> str | None:
    """The element's text, or None as soon as it passes `limit` characters (on a deeply nested
    page reading every element's whole text would cost the square of the page)."""
    parts, size = [], 0
    for part in element.itertext():
        size += len(part)
        if size > limit:
            return None
        parts.append(part)
    return "".join(parts)


def _letters(text: str) -> int:
    """Characters of a text outside its spaces (what link density is measured in)."""
    return len("".join(text.split()))
