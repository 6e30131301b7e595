"""Canonical text: the form in which two versions are compared and hashed.

Normalising removes differences no reader would call an edit: Unicode compatibility forms, no-break
and zero-width spaces, soft hyphens, curly versus straight quotes (and ’’ versus ”), runs of
whitespace, and short boilerplate lines that extraction sometimes keeps (timestamps,
"Advertisement", comment counts).
Punctuation and case are kept: a change there is stored, then classified as `cosmetic`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise

from monitor.compare.quotes import ELIDED_STARTS
from monitor.lexicon import (
    BULLET_MARKER,
    BYLINE_LINE_MAX_CHARS,
    CONSENT_NOTICE,
    CONSENT_WORD,
    EDGE_COUNTER,
    LINK_LABEL,
    LINK_LABEL_HINTS,
    LINK_LABEL_PHRASE,
    LINK_LABEL_PHRASE_HINTS,
    LIST_MARKER,
    NEWSLETTER_LINE,
    STAMPED_DATELINE_MAX_CHARS,
    STOCK_TICKER,
    byline_line,
    is_furniture_line,
    is_stamp_line,
    stamped_dateline,
)

# Characters mapped to a plain equivalent before comparing. Quotes of every style become the
# straight ASCII ones, so a site switching to typographic quotes is not an edit.
_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u200a": " ",  # hair space
        "\u3000": " ",  # ideographic space
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\u200c": None,  # zero-width non-joiner
        "\u200d": None,  # zero-width joiner
        "\u2060": None,  # word joiner
        "\ufeff": None,  # byte-order mark
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u300c": '"',  # 「 」 『 』 (Japanese, Chinese)
        "\u300d": '"',
        "\u300e": '"',
        "\u300f": '"',
        "\u2e42": '"',  # ⹂ reversed double low quotation mark
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2039": '"',  # ‹ › quote in French and Swiss German, never an apostrophe
        "\u203a": '"',
        "\u2032": "'",
        "`": "'",
    }
)
# The same map by character, and a search for any of its characters (`_map_chars`).
_CHAR_MAP_TEXT = {chr(code): value or "" for code, value in _CHAR_MAP.items()}
_MAPPED_CHAR = re.compile("[" + "".join(map(re.escape, _CHAR_MAP_TEXT)) + "]")
# A double quotation mark typed as two single ones: ’’ or '' closing, ‘‘ or `` opening (a
# typewriter's or LaTeX's habit), read once the marks above are straight. Exactly two: three or
# more marks in a row are left as they are, since no rule tells which two of them pair up.
_TWO_SINGLE_MARKS = re.compile(r"(?<!')''(?!')")
# A mark that opens a quotation: a single or double one (or two single ones) after a non-word
# and before a word. What the last one before two closing marks was tells a plural possessive
# closing a single quotation (‘the players’’ union: players’ + ’) from a double mark (’’…’’).
# A single mark before a digit elides a decade ('80s), one before a word whose start it elides
# ('til, 'bout, 'em: quotes.ELIDED_STARTS) stands for the letters left out: neither opens anything.
_OPENING_MARK = re.compile(rf"(?<![\w'])(''|'(?!\d|(?i:{'|'.join(ELIDED_STARTS)})\b)|\")(?=\w)")
# A single mark that closes a quotation (or ends an elision, rock 'n' roll): alone, after a word
# or its punctuation and before a non-word. A single quotation closed before two marks is not
# the one they close (’’It calls it ‘chaos,’ and nobody listens’’).
_CLOSING_MARK = re.compile(r"(?<=[\w.,;:!?])'(?![\w'])")
# French spacing: an opening « after a space, an elided article (d'«) or at the start, a closing »
# before a non-word.
# German guillemets face inwards (»so«): the space before an opening » or after a closing « stays.
# A run of spaces is matched from its first space only, without backtracking: one pass, however
# long the run.
_GUILLEMET_SPACE = re.compile(
    r"(?:^|(?<=[\s(\['\u2019]))([«‹])[\s\u00a0\u202f]++"
    r"|(?<![\s\u00a0\u202f])[\s\u00a0\u202f]++([»›])(?!\w)"
)
# The marks `_GUILLEMET_SPACE` needs: a text without any is not searched.
_GUILLEMETS = "«‹»›"
# A run of spaces and tabs to write as one space: every run but a single space (which stays as
# it is), so the many single spaces between words are not replaced one by one.
_SPACES = re.compile(r"(?: [ \t\r\f\v]|[\t\r\f\v])[ \t\r\f\v]*")
_BLANK_LINES = re.compile(r"\n\s*")
_KEY_DROP = re.compile(r"[\W_]+")

# Short lines that page furniture leaves in extracted text. Only lines shorter than
# NOISE_MAX_CHARS are candidates, so a real sentence that happens to start with "Updated" stays.
NOISE_MAX_CHARS = 80


# A newsletter sign-up ("Sign up to The Ledger newsletter: the day's top stories in your inbox
# every morning, free.") pitches at more length than other furniture; past this it is prose.
NEWSLETTER_MAX_CHARS = 200

# Cookie and consent notices that extraction sometimes takes for article text; matched whatever
# their length (up to CONSENT_MAX_CHARS), since banners run longer than other furniture.
CONSENT_MAX_CHARS = 400


def normalize_text(text: str) -> str:
    """Canonical form of a text: NFKC, plain spaces and quotes (a double mark typed as two
    single ones is one "), one space between words, one newline between paragraphs. Idempotent."""
    # French spacing inside guillemets ("« Oui »") would hide which way the mark faces
    if any(mark in text for mark in _GUILLEMETS):
        text = _GUILLEMET_SPACE.sub(lambda m: m.group(1) or m.group(2), text)
    text = _map_chars(unicodedata.normalize("NFKC", text))
    # NFKC can produce characters the map handles (and vice versa); a second pass makes it stable.
    # On ASCII text it would change nothing (NFKC leaves ASCII as it is, and the map's one ASCII
    # key, the backtick, becomes an apostrophe, which it does not map): skipped there.
    if not text.isascii():
        text = _map_chars(unicodedata.normalize("NFKC", text))
    if "''" in text:
        text = _read_two_single_marks(text)
    # one pass over the whole text: a run of spaces never crosses a newline
    lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
    return "\n".join(line for line in lines if line)


def _map_chars(text: str) -> str:
    """`text.translate(_CHAR_MAP)`, by a search for the few characters mapped: `str.translate`
    looks every character of a non-ASCII text up in the map (0.4 ms for a 4,600-character body,
    run twice per text, the largest part of normalising a new page's body in the crawl's writer)."""
    return _MAPPED_CHAR.sub(_mapped, text)


def _mapped(match: re.Match[str]) -> str:
    return _CHAR_MAP_TEXT[match[0]]


def _read_two_single_marks(text: str) -> str:
    """`text` with each pair of single marks read as one double mark ("), except after the "s" of
    a plural possessive inside a quotation a single mark opened ('the players'' union): the
    possessive's apostrophe, then the closing mark."""
    openers = [(m.start(), m.group(1)) for m in _OPENING_MARK.finditer(text)]
    starts = [start for start, _ in openers]
    closers = [m.start() for m in _CLOSING_MARK.finditer(text)]

    def read(marks: re.Match[str]) -> str:
        at = marks.start()
        if at and text[at - 1] in "sS":
            last = bisect_left(starts, at) - 1
            if last >= 0 and openers[last][1] == "'":
                closed = bisect_left(closers, at) > bisect_left(closers, starts[last])
                if not closed:
                    return "''"
        return '"'

    return _TWO_SINGLE_MARKS.sub(read, text)


@lru_cache(maxsize=8)
def normalize_body(body: str) -> str:
    """An article body in canonical form (`normalize_text`), without the words a template writes
    into its sentences (`drop_template_text`), a list item's marker ("3. ", "b) ": a list
    renumbered is not an edit) and the counters at a paragraph's edge. Once per body: the
    sentences, runs and keys made from it need not be cleaned again, and recording a page asks
    for it twice (its content hash, then the site's memory), so the last few are kept. A byline
    line is its people ("Von Anna Müller | 06.12.2022" → "Von Anna Müller", `lexicon.byline_line`):
    its stamp moving on is no change, a name changed is. So is a dateline with the page's stamp:
    its place and agency ("Madrid - 12 MAR 2024 - 10:32 CET" → "Madrid —",
    `lexicon.stamped_dateline`)."""
    text = drop_template_text(normalize_text("\n".join(drop_list_markers(body.split("\n")))))
    lines = (without_stamp(_drop_counter(line.strip())) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def without_stamp(line: str) -> str:
    """A byline line's people (`lexicon.byline_line`), a stamped dateline's place and agency
    (`lexicon.stamped_dateline`), any other line as it is (`compare.dropcaps` reads a line whose
    drop cap it joins this way again: "M adrid - 12 MAR 2024" is "Madrid —" once joined)."""
    if len(line) > max(BYLINE_LINE_MAX_CHARS, STAMPED_DATELINE_MAX_CHARS):
        return line
    return byline_line(line) or stamped_dateline(line) or line


# A list's numbers count through its items ("1. 2. 3.", "a) b) c)", a countdown "5. 4. 3.", a
# second list starting again at one); at least this many numbered lines make a list. One line
# opening with a number is the sentence's word ("3. Liga", "20. Jahrhundert", "5. Platz"), and
# numbers that no longer count in order are a ranking changed: both stay in the comparison.
MIN_LIST_ITEMS = 2
_ITEM_NUMBER = re.compile(r"(\d{1,2})|([a-z])|([\u2460-\u2473])")


def drop_list_markers(lines: Sequence[str]) -> list[str]:
    """The lines (stripped) without their list markers (`lexicon.LIST_MARKER`, read on the lines
    as the page wrote them: NFKC turns "①" into "1"). Bullets always go; a list's numbers and
    letters go when the body's numbered lines count through a list (`MIN_LIST_ITEMS`), so a list
    renumbered is not an edit while a number that counts nothing is compared."""
    lines = [line.strip() for line in lines]
    markers = [LIST_MARKER.match(line) for line in lines]
    numbers = [_item_number(marker[0]) if marker else None for marker in markers]
    counts = _counts_through([number for number in numbers if number is not None])
    return [
        line[marker.end() :]
        if marker and (counts or number is None)
        else BULLET_MARKER.sub("", line)
        for line, marker, number in zip(lines, markers, numbers, strict=True)
    ]


def _item_number(marker: str) -> int | None:
    """The number a list marker counts ("3." → 3, "c)" → 3, "②" → 2), None for a bullet."""
    found = _ITEM_NUMBER.search(marker)
    if found is None:
        return None
    digits, letter, circled = found.groups()
    if digits:
        return int(digits)
    return ord(letter) - ord("a") + 1 if letter else ord(circled) - 0x2460 + 1


def _counts_through(numbers: Sequence[int]) -> bool:
    """Whether the numbers count through lists: each one more (or, in a countdown, each one less)
    than the one before, or one again (the next list)."""
    if len(numbers) < MIN_LIST_ITEMS:
        return False
    step = 0
    for before, after in pairwise(numbers):
        if after - before in ((1, -1) if step == 0 else (step,)):
            step = after - before
        elif after == 1:
            step = 0
        else:
            return False
    return True


# Labels are removed again while one is left (a label inside a label); at most this many passes.
MAX_LABEL_PASSES = 3


def drop_template_text(text: str) -> str:
    """`text` without the words a template writes into sentences (`lexicon`: link labels for
    screen readers, "(opens in a new tab)"; a stock quote after a ticker, "(AMZN 3.60%)" →
    "(AMZN)"), so a template adding or changing them leaves the sentence as it was."""
    if "(" in text or "[" in text:
        text = STOCK_TICKER.sub(r"(\g<symbol>)", text)
    folded = text.casefold()
    if not any(hint in folded for hint in LINK_LABEL_HINTS):
        return text
    for _ in range(MAX_LABEL_PASSES):
        # the bracket opens the pattern (fast); the spaces before a label go in a second pass,
        # only when one was found
        marked, found = LINK_LABEL.subn("\x00", text)
        dropped = _LABEL_SPACE.sub(_label_space, marked) if found else marked
        if any(hint in folded for hint in LINK_LABEL_PHRASE_HINTS):
            dropped = LINK_LABEL_PHRASE.sub("", dropped)
        if dropped == text:
            break
        text = dropped
    return text


_LABEL_SPACE = re.compile(r"( *)\x00(?=(\w?))")


def _label_space(match: re.Match[str]) -> str:
    """A label goes with the spaces before it, unless a word follows it straight away: the link
    ended with a space ("on Sept. 30 (opens in a new tab)that" is "on Sept. 30 that"). A label
    inside a linked word ("MacBook (opens in a new tab)s") leaves a space the comparison reads as
    cosmetic; a sentence run together ("30that") would move a sentence boundary."""
    return " " if match[1] and match[2] else ""


def _drop_counter(line: str) -> str:
    """A line without a share or comment counter at its edge ("1.2K shares The council…")."""
    if line[:1].isdigit() or line[-1:].isalpha():
        line = EDGE_COUNTER.sub("", line)
    return line


def comparison_key(text: str) -> str:
    """What is left when punctuation, spacing and case are ignored: equal keys mean a cosmetic edit.
    Also makes "Anti - Putin" and "Anti-Putin" equal."""
    return _KEY_DROP.sub(" ", normalize_text(text).casefold()).strip()


def compact_key(text: str, *, normalized: bool = False) -> str:
    """Letters and digits only, case folded: equal compact keys mean only punctuation, case or
    spacing changed, including inside words ("frontline" → "front line", "F16" → "F-16").
    `normalized`: the text is already in `normalize_text` form (saves two passes over it)."""
    return _KEY_DROP.sub("", (text if normalized else normalize_text(text)).casefold())


def is_noise_paragraph(paragraph: str) -> bool:
    """True for a short line of page furniture ("Advertisement", "Updated 3 minutes ago"), the
    page's dates with their labels ("Veröffentlicht am 06.12.2022": extraction leaves them out
    since revision 14, so a body stored before is compared as one extracted now), a newsletter
    sign-up or a cookie notice. A byline line (`lexicon.byline_line`: "By Jane Doe | Staff
    Reporter") is never noise: its people are compared (`credits.py`)."""
    if len(paragraph) < NOISE_MAX_CHARS and is_furniture_line(paragraph.strip()):
        return byline_line(paragraph.strip()) is None
    if is_stamp_line(paragraph):
        return True
    if len(paragraph) < NEWSLETTER_MAX_CHARS and NEWSLETTER_LINE.match(paragraph.strip()):
        return True
    return (
        len(paragraph) < CONSENT_MAX_CHARS
        and CONSENT_WORD in paragraph.casefold()
        and bool(CONSENT_NOTICE.search(paragraph))
    )


def body_paragraphs(body: str) -> list[str]:
    """The normalised paragraphs of an article body, furniture lines dropped."""
    return list(_body_paragraphs(body))


@lru_cache(maxsize=8)
def _body_paragraphs(body: str) -> tuple[str, ...]:
    """Once per body: recording a page asks for them twice (its content hash, then the site's
    memory)."""
    return tuple(p for p in normalize_body(body).split("\n") if not is_noise_paragraph(p))


def content_hash(title: str, byline: str, paragraphs: Iterable[str]) -> str:
    """SHA-256 over a canonical JSON form of what makes a version distinct: headline, byline and
    body. Dates are left out on purpose: pages carry render stamps that date extraction takes for
    a publication or modified date, and a date alone would make a new version at every check. A
    date change still shows as a `published_date` edit when the text changes too."""
    canonical = json.dumps(
        {
            "title": normalize_text(title),
            "byline": normalize_text(byline),
            "body": list(paragraphs),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
