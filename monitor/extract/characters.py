"""Characters XML forbids, neutralised before extraction.

trafilatura builds an XML tree of the article; one character XML 1.0 forbids (a C0 control other
than tab, newline and carriage return, U+FFFE, U+FFFF, a surrogate), written raw or as a character
reference (`&#x8;`, `&#8;`, `&#xFFFE;`), makes it return an empty body, and the article drops out
of monitoring for as long as the character stays. `xml_safe` replaces each with a space (a
control between two words still separates them) before the page is parsed. `composed` puts
extracted text in Unicode's composed form, `without_soft_hyphens` drops the soft hyphens a page
writes into its words. Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Raw characters XML 1.0 forbids (tab, newline and carriage return are allowed).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A numeric character reference, decimal or hexadecimal; browsers accept it without its
# semicolon. Which code point it names is decided by `_reference`. Longer digit runs than these
# name no character (past U+10FFFF: the parser reads them as U+FFFD) and are left alone, which
# also keeps `int()` away from unbounded digit strings.
REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})(?![0-9a-fA-F])|([0-9]{1,10})(?![0-9]));?")
# Past the last Unicode code point: no character at all.
MAX_CODE_POINT = 0x10FFFF
# The raw characters of FORBIDDEN but the surrogates, each looked for with `in` (a C-level
# search): on the article benchmark's pages, about 0.5 ms a page instead of FORBIDDEN's 1.0 ms
# scan, which a page then needs only when one of them (or a surrogate) is in it.
_FORBIDDEN_CHARACTERS = tuple(
    chr(code) for code in (*range(0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF)
)


def is_forbidden(code: int) -> bool:
    """True for a code point XML 1.0 forbids in a document."""
    return code > MAX_CODE_POINT or bool(FORBIDDEN.match(chr(code)))


def _reference(match: re.Match[str]) -> str:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return " " if is_forbidden(code) else match.group(0)


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids, raw or as a character reference, replaced
    by a space (NUL, which pages use as padding, removed)."""
    text = text.replace("\x00", "")
    if "&#" in text:
        text = REFERENCE.sub(_reference, text)
    return FORBIDDEN.sub(" ", text) if _may_hold_forbidden(text) else text


def _may_hold_forbidden(text: str) -> bool:
    """Whether `text` may hold a character of FORBIDDEN: false only when it holds none."""
    if any(character in text for character in _FORBIDDEN_CHARACTERS):
        return True
    try:
        text.encode("utf-8")  # a lone surrogate cannot be encoded
    except UnicodeEncodeError:
        return True
    return False


def composed(text: str) -> str:
    """`text` in Unicode's composed form (NFC): a page that writes "ü" as "u" and a combining
    diaeresis shows the same word as one that writes "ü", and the extracted text reads (and
    searches) the same whichever the page chose. Text already composed is returned as it is."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


# The soft hyphen (U+00AD, `&shy;`) marks where a word may break; a reader never sees it unless
# the line breaks there. trafilatura dropped it from the body's text but not from the title, and
# the second extractor kept it: a headline written "Mes&shy;sen&shy;ger&shy;diens&shy;te" did not
# match its own <h1> in the body (kept there as a body line, an edit when the page gained or lost
# the hyphens), and a paragraph with one was added a second time as the second opinion's lead.
# Dropped from the page before it is parsed (revision 16), raw or as a reference.
# A numeric reference ends where its digits do: "&#1734;" and "&#xAD6D;" are other letters
# ("ۆ", the Hangul "국"), kept whole.
SOFT_HYPHEN = "\u00ad"
SOFT_HYPHEN_REFERENCE = re.compile(r"&(?:shy;|#0*173(?![0-9]);?|#[xX]0*[aA][dD](?![0-9a-fA-F]);?)")
# The entity without its semicolon is the soft hyphen in text only: HTML reads it there as a
# legacy entity, and so does the parser ("Mes&shysen&shyger" shows as "Messenger"); inside a tag
# it is an address's own letters ("?id=7&shyness=2"), kept.
BARE_SOFT_HYPHEN_ENTITY = "&shy"


def without_soft_hyphens(text: str) -> str:
    """`text` without soft hyphens, raw, as the entity or as numeric references (the words as a
    reader sees them). About 0.2 ms a development page: the raw character by a C-level search and
    replace, the entity and the references by one regex pass (cheaper than searching first for
    the starts of such references, of which most pages hold others, "&#x2019;"); the entity
    without its semicolon, rare, by a second pass when the page holds one."""
    if SOFT_HYPHEN in text:
        text = text.replace(SOFT_HYPHEN, "")
    text = SOFT_HYPHEN_REFERENCE.sub("", text)
    return _without_bare_entities(text) if BARE_SOFT_HYPHEN_ENTITY in text else text


def _without_bare_entities(text: str) -> str:
    """`text` without "&shy" outside tags. Whether one is inside a tag is decided by the last
    "<" or ">" before it, each stretch between two entities searched once (linear: a look ahead
    for the tag's end from every entity took 7 s on 90 kB of them)."""
    pieces: list[str] = []
    start, in_tag = 0, False
    for at in _positions(text, BARE_SOFT_HYPHEN_ENTITY):
        opened, closed = text.rfind("<", start, at), text.rfind(">", start, at)
        if opened != closed:  # not both absent from the stretch
            in_tag = opened > closed
        pieces.append(text[start : at + len(BARE_SOFT_HYPHEN_ENTITY) if in_tag else at])
        start = at + len(BARE_SOFT_HYPHEN_ENTITY)
    pieces.append(text[start:])
    return "".join(pieces)


def _positions(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + len(word))


# The classic mojibake of UTF-8 read as windows-1252 (or ISO-8859-1, which browsers read as it):
# a page declared iso-8859-1 whose CMS wrote "By&nbsp;Ed Hornick" as UTF-8 bytes shows "ByÂ Ed
# Hornick" (C2 A0 read as "Â" and a no-break space), and a re-save that fixed or broke its
# declaration changed the byline's words. Only sequences no language writes are repaired: a
# capital "Â" before a no-break space, and "â€" before the third byte of a quotation mark, a
# dash or an ellipsis ("â€™" for "’"). "â€" before an undefined byte (the right double quotation
# mark, E2 80 9D, shows as "â€�") is ambiguous and left alone, as are "Ã©" and its kind (a
# Portuguese capital "Ã" may precede a sign).
MOJIBAKE = {
    "Â\u00a0": "\u00a0",
    "â€™": "’",
    "â€˜": "‘",
    "â€œ": "“",
    "â€“": "–",
    "â€”": "—",
    "â€¦": "…",
}
_MOJIBAKE = re.compile("|".join(map(re.escape, MOJIBAKE)))


def without_mojibake(text: str) -> str:
    """`text` with the unambiguous mojibake of UTF-8 read as windows-1252 (`MOJIBAKE`) repaired;
    a C-level search first, so a page without any costs next to nothing."""
    if "Â\u00a0" in text or "â€" in text:
        return _MOJIBAKE.sub(lambda match: MOJIBAKE[match.group(0)], text)
    return text
