"""The body's edges, checked against the page's headline, the second extractor and the site's
own words.

Rules applied to the finished body (after the second opinion and the standfirst):

1. **The headline is not a body line.** On some pages trafilatura takes the `<h1>` into the
   body; a headline edit would then be reported twice, as the headline and as a body edit.
   `extraction._drop_title` drops a first or second line that is the title exactly or its
   start, and misses the `<h1>` when a kicker or a date line comes first (it is then the third
   line), when the `<h1>` lacks the kicker the title has ("Pandemic - Quote" titled, "Quote"
   shown), or when the line adds a kicker or a site suffix to it ("Kicker: Headline",
   "Headline | Section | Site"). `headline_lines` finds those among the first HEAD_LINES lines.
2. **The lead just before the body.** A paragraph that the second extractor (resiliparse) puts
   just before one of the body's first paragraphs (past a short date or byline line, never
   above the headline), that reads as article prose (not a caption, a byline or a promotion)
   and that the page writes as a block of its own outside any caption or promotion container
   and outside a link, is the article's lead, which trafilatura left out in every mode. It goes
   before that paragraph with the role "second_extractor" (an edit found only there is
   reported with that reason). A dek may lack its full stop: 20 words or more are enough.
   A box named for furniture no lead sits in (a bio, a hatnote, a slideshow, a testimonial, a
   placeholder, a call to action, a messenger prompt, a caption however named) does not count
   as the page writing it, nor a bare wrapper around such a box (revision 12).
3. **The site's words at the end** (revision 12). Among the body's last TAIL_LINES lines, a line
   holding the site's words to its reader or opening with a promotional phrase is left out at
   any length (`site_lines_at_end`).
4. **Date lines** (revision 12). A line that is only a date is the page's stamp, left out
   (`is_date_line`), and so is one that is only the page's dates with their labels
   ("Veröffentlicht am 06.12.2022", "News date : 04/21/2022 Category : Press Releases",
   revision 14); an update note ("Updated: May 3, 2022") stays; a heading that is only a date
   is a chronology's, and stays (a date corrected there is the article's edit).

What was measured and not kept (development half of trafilatura's evaluation data): dropping a
line among the body's first or last few that no other opinion (resiliparse, the precision run,
JSON-LD articleBody) has. Such lines are more often the article's text than furniture (edge
lines of 1-4: 10-13 true snippets for 3-5 wrong ones); the furniture the body keeps is taken in
by every extractor alike (72 of 106 wrong snippets are in both resiliparse's text and the
precision run's).

Pure functions over plain strings and the parsed page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml.html import HtmlElement

from monitor.extract import opinion
from monitor.extract.opinion import key
from monitor.lexicon import (
    BOX_HEADING,
    BYLINE_OPENER,
    DATE_LINE,
    INTERSTITIAL_TEXT,
    PROMO_LINE,
    is_furniture_line,
    is_notice,
    is_site_line,
    is_stamp_line,
)

# The headline is looked for among the body's first lines: a kicker and a date line can come
# before it (on the development pages it was the first, second or third line).
HEAD_LINES = 3
# A line holding the headline plus at most this many words is the headline with a kicker or a
# site suffix ("Kolumne: ...", "... | Environnement | DW | 23.05.2011"); more is a sentence that
# happens to open with the headline's words.
MAX_AFFIX_WORDS = 4
# A line that is part of the headline is the headline without its kicker when it has at least
# this share of the headline's words (and MIN_HEADLINE_WORDS): a short heading that shares one
# word with the title ("Stammtisch" of "HE:Kassel/Stammtisch") is a section of the article.
MIN_HEADLINE_SHARE = 0.6
MIN_HEADLINE_WORDS = 3
# The lead must sit before one of the body's first this many lines (a date or credit line can
# open the body).
LEAD_ANCHOR_LINES = 3

# The site's words to its reader are looked for among the body's last this many lines (a box of
# calls to follow and subscribe, then a credit line; `site_lines_at_end`).
TAIL_LINES = 3
# The heading of the site's box (`lexicon.BOX_HEADINGS`: "Über diese Reihe", "Pressekontakt") is
# looked for among the body's last this many lines: a press contact runs to nine (the heading, a
# name, the organisation, three lines of address, telephone, fax, e-mail).
TAIL_BOX_LINES = 10
# ... up to this many characters: a box of calls to follow, write in and subscribe runs to two or
# three sentences (the longest seen on development pages, about 300); a longer last line is a
# paragraph, and the bound keeps the site-line search off long text.
MAX_TAIL_SITE_CHARS = 600

# Lines of the second extractor read back from the body's first paragraph for the lead, past
# short lines (a date, a byline, a credit) of fewer than MAX_SKIPPED_WORDS words.
LEAD_LOOKBACK = 3
MAX_SKIPPED_WORDS = 8
# A lead reads as prose: a sentence of `opinion.MIN_ADDED_WORDS` words or more, or a dek of this
# many words left without its full stop (a kicker, a caption or a byline is shorter).
MIN_UNENDED_LEAD_WORDS = 20

_TOKEN = re.compile(r"\w+")
# A kicker or a site suffix is set off from the headline by a mark between them ("Kicker:
# Headline", "Headline | Site", "Site - Headline"); a sentence that opens with the headline's
# words ("Storm hits coast, killing two") has none there, whatever marks it holds further on
# (a time's colon, a date's slash, a quotation's guillemet: »Headline«, said the minister), nor
# a mark followed by a comma there (« Headline », a dit le ministre).
_AFFIX_MARK = re.compile(r"[|:–—•›»>/]|\s-\s")
_CLAUSE_MARK = re.compile(r"[,;]")


# ------------------------------------------------------------------ the headline


def is_headline_line(line: str, title: str) -> bool:
    """Whether a body line is the headline: the same words, the headline without its kicker,
    or the headline with a kicker or site suffix of at most MAX_AFFIX_WORDS words."""
    line_key, title_key = key(line), key(title)
    if not line_key or not title_key:
        return False
    if line_key == title_key:
        return True
    line_words, title_words = len(line_key.split()), len(title_key.split())
    if title_words < MIN_HEADLINE_WORDS:
        return False
    if f" {line_key} " in f" {title_key} ":
        return line_words >= max(MIN_HEADLINE_WORDS, MIN_HEADLINE_SHARE * title_words)
    if f" {title_key} " in f" {line_key} ":
        return _words(line) - _words(title) <= MAX_AFFIX_WORDS and _set_off(line, title_key)
    return False


def _set_off(line: str, title_key: str) -> bool:
    """Whether the words before and after the headline's in `line` (whose key holds
    `title_key`) are each set off from it by an affix mark, not a clause's comma."""
    folded = line.casefold()  # as `key`: the tokens below are the key's words
    tokens = list(_TOKEN.finditer(folded))
    words = [token.group() for token in tokens]
    wanted = title_key.split()
    start = next(
        i for i in range(len(words) - len(wanted) + 1) if words[i : i + len(wanted)] == wanted
    )
    end = start + len(wanted)
    gaps = []
    if start > 0:
        gaps.append(folded[tokens[start - 1].end() : tokens[start].start()])
    if end < len(tokens):
        gaps.append(folded[tokens[end - 1].end() : tokens[end].start()])
    return bool(gaps) and all(
        _AFFIX_MARK.search(gap) and not _CLAUSE_MARK.search(gap) for gap in gaps
    )


def _words(text: str) -> int:
    """Words with a letter or digit ("23.05.2011" is one, a "|" separator none)."""
    return sum(1 for word in text.split() if _TOKEN.search(word))


def _holds_headline(line: str, title: str) -> bool:
    """Whether a line is the headline, or holds it with at most MAX_AFFIX_WORDS other words set
    off by any mark or none ("Headline at 10:30"): where the search for the lead stops."""
    if is_headline_line(line, title):
        return True
    line_key, title_key = key(line), key(title)
    return (
        len(title_key.split()) >= MIN_HEADLINE_WORDS
        and f" {title_key} " in f" {line_key} "
        and _words(line) - _words(title) <= MAX_AFFIX_WORDS
    )


def headline_lines(lines: Sequence[str], title: str) -> list[int]:
    """Indexes of the body's first HEAD_LINES lines that are the headline."""
    return [index for index, line in enumerate(lines[:HEAD_LINES]) if is_headline_line(line, title)]


# ------------------------------------------------------------------ the lead


# A caption read as prose: it names where a person stands in the photo ("(links)", "(left)") or
# ends with its credit in brackets ("(Name / Agency.com)").
_CAPTION = re.compile(
    r"\((?:links|rechts|left|right|l\.|r\.|von links|from left|à gauche|a la izquierda)\)"
    r"|\([^()]{1,60}(?:/|\.com\b)[^()]{0,60}\)\W*$",
    re.IGNORECASE,
)


# A byline: "By", "Von", "Por"... and a name ("By Jane Roe and John Doe on Monday, 2 March.").
_BYLINE = re.compile(BYLINE_OPENER.pattern + r"[^\W\d_][\w.'’-]*\s+[^\W\d_]", re.IGNORECASE)


# A line with this many bars or more between its parts is a row of links (a blog's "« Previous
# post | Main | Next post »", a list of other posts' titles), never a lead (revision 24).
MAX_LEAD_BARS = 2


def _reads_as_lead(line: str) -> bool:
    byline = _BYLINE.match(line)
    return (
        (opinion.looks_like_prose(line) or len(line.split()) >= MIN_UNENDED_LEAD_WORDS)
        and line.count("|") < MAX_LEAD_BARS
        and not (byline and line[byline.end() - 1].isupper())
        and not _CAPTION.search(line)
        and not PROMO_LINE.match(line)
        and not is_furniture_line(line)
        and not is_site_line(line)
    )


def lead_before_body(
    lines: Sequence[str],
    second: Sequence[str],
    title: str,
    shown: Callable[[str], bool],
) -> tuple[int, str] | None:
    """(where to insert, the paragraph) of the lead the second extractor has just before the
    body's first paragraph, or None. `shown(key)` says whether the page writes a paragraph of
    that comparison key as a block of its own outside furniture (`shown_as_lead`)."""
    body_keys = [key(line) for line in lines]
    known = set(body_keys)
    joined = " \n ".join(body_keys)
    for position, line in enumerate(second):
        line_key = key(line)
        if line_key not in known:
            continue
        at = body_keys.index(line_key)
        if at >= LEAD_ANCHOR_LINES:
            return None
        for candidate in reversed(second[max(0, position - LEAD_LOOKBACK) : position]):
            candidate_key = key(candidate)
            if not candidate_key or _holds_headline(candidate, title):
                return None  # the lead sits below the headline
            held = _body_line_after_words(candidate_key, body_keys[:LEAD_ANCHOR_LINES])
            if held is not None:  # a body paragraph with a counter or label before it
                at = held
                continue
            if _reads_as_lead(candidate):
                if candidate_key in joined or not shown(candidate_key):
                    return None
                return at, candidate
            if len(candidate.split()) >= MAX_SKIPPED_WORDS:
                return None  # a block of another kind stands between
        return None
    return None


def _body_line_after_words(candidate_key: str, body_keys: Sequence[str]) -> int | None:
    """The index of the body line the candidate is, with a few words the template set before
    it ("2,995 shares Hong Kong is burning. …": a share counter the second extractor keeps in
    the paragraph, trafilatura's line does not); None when it is none of them. Read as a lead,
    the paragraph would repeat itself and stand for the real lead above it."""
    for index, body_key in enumerate(body_keys):
        if body_key and candidate_key.endswith(" " + body_key):
            extra = candidate_key[: -len(body_key)].split()
            if len(extra) < MAX_SKIPPED_WORDS:
                return index
    return None


def shown_as_lead(page: HtmlElement, line_key: str) -> bool:
    """Whether the page writes a block of that comparison key outside a caption or promotion
    container and outside a link, as the line roles read containers (`roles.CONTEXT_DEPTH`
    levels up). The second opinion's own check (`opinion.page_paragraphs`) is stricter: it
    takes the article's <header> and blocks named "summary" or "teaser", where leads sit, for
    furniture. A block left open by the page's markup (`<h2 class="excerpt">Lead` then the
    article's paragraphs inside it) writes the lead as the text it opens with."""
    from monitor.extract import roles  # roles imports extraction, which imports this module

    seen: dict[HtmlElement, str] = {}
    for index, element in enumerate(page.iter(*_BLOCKS)):
        if index >= opinion.MAX_PAGE_BLOCKS:
            return False
        text = roles._text_within(element, roles.MAX_ELEMENT_CHARS)
        if text and key(text) == line_key:
            held = opinion.held_alone(element)
        elif (
            len(element)
            # a key is about as long as its text (casefolding may lengthen "ß" to "ss")
            and 2 * len(element.text or "") >= len(line_key)
            and key(element.text or "") == line_key
        ):
            held = element  # the lead opens a block that holds more
        else:
            continue
        containers = zip(range(roles.CONTEXT_DEPTH), (held, *held.iterancestors()), strict=False)
        if not any(
            isinstance(container, HtmlElement) and _not_lead_container(container, seen)
            for _, container in containers
        ):
            return True  # one place outside furniture is enough (a promo box may quote it)
    return False


def _not_lead_container(container: HtmlElement, seen: dict[HtmlElement, str]) -> bool:
    """A link, a caption or promotion container for the line roles, or a box named for
    furniture no lead sits in (`_NOT_LEAD_NAME`)."""
    from monitor.extract.roles import _container_role

    return (
        container.tag == "a"
        or bool(_container_role(container, seen))
        or bool(_NOT_LEAD_NAME.search(opinion.box_names(container)))
    )


# Containers that never hold the article's lead, by any part of their class or id (revision 12):
# a caption however named ("imageEmbedCaption") and the boxes an added paragraph never comes
# from (`opinion.BOX_NAMES`). The names where leads sit ("lead", "intro", "standfirst",
# "summary", "excerpt", "abstract", the article's header) are not here, nor "author": article
# wrappers carry it ("node-by-author-12", "post author-jdoe"). A sidebar and a blog's sidebar
# widget ("widget widget_text", "textwidget": the blogger's "My name is ... and I'm a ..." in
# the side column) hold no lead either (revision 24); a page builder's "elementor-widget" or
# "content-with-sidebar" can wrap the article, and is not read so.
_NOT_LEAD_NAME = re.compile(
    r"caption|" + opinion.BOX_NAMES + r"|(?<![\w-])(?:text)?widget(?:_\w+)?(?![\w-])"
    r"|(?<![\w-])sidebar(?![\w-])",
    re.IGNORECASE,
)


# Blocks read for the lead (as `opinion.page_paragraphs`).
_BLOCKS = ("p", "div", "span", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "dd")


# ------------------------------------------------------------------ the end


def site_lines_at_end(lines: Sequence[str]) -> list[int]:
    """Indexes of the body's last TAIL_LINES lines that hold the site's words to its reader
    (`lexicon.SITE_LINES`: "Follow The Gleaner on Twitter ... or email us at ...") or open with a
    promotional phrase (`lexicon.PROMO`: "Get the latest updates ... Subscribe to ..."), up to
    MAX_TAIL_SITE_CHARS. Inside the body such a line is a promotion only up to
    `roles.PROMO_MAX_CHARS` (a longer one may be a paragraph that opens with "Subscribe");
    after the article's last paragraph it is the template's box, when its first sentence holds
    the site's words (`_site_words_open`). A correction or update note
    (`lexicon.is_notice`: "Update: ...", "Aktualisierung: ...") or a wire credit stays, and so
    does a paywall's prompt (recording reads it); a body of TAIL_LINES lines or fewer is left
    alone."""
    if len(lines) <= TAIL_LINES:
        return []
    return [
        index
        for index in range(len(lines) - TAIL_LINES, len(lines))
        if len(lines[index]) <= MAX_TAIL_SITE_CHARS
        and (_site_words_open(lines[index]) or _promotion(lines[index]))
        and not is_notice(lines[index])
        and not INTERSTITIAL_TEXT.search(lines[index])
    ]


def box_at_end(lines: Sequence[str], roles: Sequence[str]) -> list[int]:
    """Indexes of the site's box at the body's end: from a heading among the last TAIL_BOX_LINES
    lines that names a box about the site, the series or the author, or the press contact
    (`lexicon.BOX_HEADING`), to the last line or to the next heading that names no box (a
    review's "About the author", then its "Verdict": the article's again). A correction or
    update note in it stays, and so does the box of a body no longer than it (nothing of the
    article would be left)."""
    box: list[int] = []
    inside = False
    for index in range(max(1, len(lines) - TAIL_BOX_LINES), len(lines)):
        if roles[index] == "heading":
            inside = bool(BOX_HEADING.match(lines[index]))
        if inside and not is_notice(lines[index]):
            box.append(index)
    return box


def _site_words_open(line: str) -> bool:
    """Whether the site's words to its reader are in the line, and in its first sentence when
    the line is longer than a promotion line: the template's box opens with its call ("Follow
    The Gazette on Twitter ..."), while the article's last paragraph may have the call written
    after it in the same block ("The council meets again on Friday ... Follow us on Twitter.")."""
    from monitor.extract.roles import PROMO_MAX_CHARS  # roles imports this module

    if len(line) > PROMO_MAX_CHARS:
        line = _SENTENCE_BREAK.split(line, maxsplit=1)[0]
    return is_site_line(line)


def _promotion(line: str) -> bool:
    """Whether the line opens with a promotional phrase and is no sentence of the article's
    that only opens like one ("Read more about the inspection in the report ...": a sentence
    without the site's words, which inside the body stays too, `extraction._left_out`). Two
    sentences that open so are the site's box ("Get the latest updates right in your inbox.
    Subscribe to NJ.com's newsletters.")."""
    from monitor.extract.extraction import _is_sentence  # extraction imports this module

    if not PROMO_LINE.match(line):
        return False
    if not _is_sentence(line) or is_site_line(line):
        return True
    return any(PROMO_LINE.match(sentence) for sentence in _SENTENCE_BREAK.split(line)[1:])


# Where a line's first sentence ends (a full stop, question or exclamation mark, then a space).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def is_date_line(line: str) -> bool:
    """Whether a body line is only a date, with its time or a word before it ("23.10.2018",
    "May 06, 2022", "03.03.2011, 14:17": `lexicon.DATE_LINE`), or only the page's dates with
    their labels ("Veröffentlicht am 06.12.2022", "News date : 04/21/2022 Category : Press
    Releases": `lexicon.is_stamp_line`, revision 14): the page's stamp, whose dates are the
    article's fields of their own (`Article.published`, `Article.modified`). An update note
    ("Updated: May 3, 2022", `lexicon.is_notice`) is the article's and stays."""
    return (len(line) <= MAX_DATE_LINE_CHARS and bool(DATE_LINE.match(line))) or is_stamp_line(line)


# A date line is short: "Montag, 2. März 2026 um 10:30 Uhr" is 33 characters (the bound keeps
# the expression off long paragraphs).
MAX_DATE_LINE_CHARS = 60


# ------------------------------------------------------------------ all


def refine_body(
    lines: Sequence[str],
    roles: Sequence[str],
    title: str,
    second: Sequence[str],
    shown: Callable[[str], bool],
) -> tuple[list[str], tuple[str, ...]]:
    """The body lines and their roles without the headline lines, the lines that are only a
    date (not a heading: a chronology's date), the site's words to its reader at the end and
    the site's box after the article, with the lead added."""
    dropped = (
        set(headline_lines(lines, title))
        | set(site_lines_at_end(lines))
        | set(box_at_end(lines, roles))
        | {
            index
            for index, (line, role) in enumerate(zip(lines, roles, strict=True))
            if role != "heading" and is_date_line(line)
        }
    )
    kept = [
        (line, role)
        for index, (line, role) in enumerate(zip(lines, roles, strict=True))
        if index not in dropped
    ]
    if len(kept) < len(lines) and not kept:
        kept = list(zip(lines, roles, strict=True))  # a body that is only its headline keeps it
    new_lines = [line for line, _ in kept]
    new_roles = [role for _, role in kept]
    lead = lead_before_body(new_lines, second, title, shown)
    if lead is not None:
        at, text = lead
        new_lines.insert(at, text)
        new_roles.insert(at, opinion.SECOND_EXTRACTOR)
    return new_lines, tuple(new_roles)
