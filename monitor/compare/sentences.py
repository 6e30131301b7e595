"""Split a normalised paragraph into sentences with syntok, which knows "Mr.", "U.S." and "a.m."."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

from syntok import segmenter
from syntok.tokenizer import Tokenizer

from monitor.compare.quotes import ends_open

_TOKENIZER = Tokenizer(emit_hyphen_or_underscore_sep=True, replace_not_contraction=False)

# Paragraphs are cached by text: most paragraphs of a page are the same in every version.
SPLIT_CACHE_SIZE = 8192
# A "sentence" longer than this is cut into pieces of at most this many characters, at a space
# when there is one. Real sentences stay far below (news sentences run 100-400 characters; a
# 2,000-character one is a list or a table flattened into text); past it, text without sentence
# punctuation (a 3 MB word, a 1 MB unpunctuated rewrite) would be one unit whose similarity and
# word diff cost grow with the square of its length, and whose edit would be the whole text.
MAX_SENTENCE_CHARS = 2_000
# About one space in this many is a cut point of an over-long sentence: pieces of ~900
# characters on average, and a window of 1,500 characters lacks one only 2 % of the time.
CUT_ODDS = 64
_SPACE = re.compile(" ")

# A cheap splitter for huge rewrites, where syntok's ~4 µs per character would dominate: split
# after . ! ? (and closing quotes or brackets) before a capital, digit or opening mark, unless
# the word before the stop is a known abbreviation or an initial.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[¿¡]?[A-Z0-9ÁÉÍÓÚÑÜ])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr sra srta jr gen col lt sgt capt rev sen rep gov pres no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp u.s u.k u.n a.m p.m e.g i.e
    av avda dña""".split()
)
# Chinese and Japanese end a sentence with a full-width stop, unambiguous (no abbreviations),
# which syntok does not know: a sentence also ends after one, unless a closing mark follows it
# (「火事だ！」と言った: the quotation goes on inside the sentence).
_CJK_STOP = re.compile(r"[。！？]\s*(?=[^\s」』）)\"'])")


@dataclass(frozen=True, eq=False)
class Sentence:
    """One sentence of a version, with where it stands. Compared and hashed by identity: each
    is one place in one text, and alignment keys dictionaries by it (a field hash is slow)."""

    text: str
    paragraph: int  # index of its paragraph in the body
    index: int  # index of the sentence in the whole body
    opens_quoted: bool = False  # a quotation from an earlier sentence is still open


@lru_cache(maxsize=SPLIT_CACHE_SIZE)
def split_paragraph(paragraph: str) -> tuple[str, ...]:
    """The sentences of one paragraph, as slices of the original text."""
    if not paragraph.strip():
        return ()
    spans: list[tuple[int, int]] = []
    for tokens in segmenter.split(_TOKENIZER.tokenize(paragraph)):
        if not tokens:
            continue
        start = tokens[0].offset
        end = tokens[-1].offset + len(tokens[-1].value)
        if spans and _LEADING_NUMBER.fullmatch(paragraph[slice(*spans[-1])].strip()):
            start = spans.pop()[0]  # "20." then "Jahrhundert: ...": one sentence
        spans.append((start, end))
    sentences = [
        piece
        for start, end in spans
        if (text := paragraph[start:end].strip())
        for piece in split_cjk(text)
    ]
    return tuple(sentences) or (paragraph.strip(),)


# A number and a stop alone, which syntok and the fast splitter read as a sentence: the first
# word of the sentence after it ("20. Jahrhundert", "12. März", "2024. The year began"), kept
# with it so a changed number is a figure edit in its sentence.
_LEADING_NUMBER = re.compile(r"\d{1,4}\.")


# Chinese and Japanese write no spaces between words; a word there is about this many characters
# (Japanese news averages under two per word), so a 30-character sentence is 15 words.
CJK_CHARS_PER_WORD = 2
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def count_words(text: str) -> int:
    """Words of a sentence: spaced words with a letter or digit, and in Chinese, Japanese or
    Korean runs one word per `CJK_CHARS_PER_WORD` characters."""
    words = 0
    for token in text.split():
        cjk = len(_CJK.findall(token))
        if cjk:
            words += max(1, cjk // CJK_CHARS_PER_WORD)
        elif any(c.isalnum() for c in token):
            words += 1
    return words


def split_cjk(text: str) -> list[str]:
    """`text` cut after each Chinese or Japanese full stop that something follows."""
    if not _CJK_STOP.search(text):
        return [text]
    pieces, start = [], 0
    for match in _CJK_STOP.finditer(text):
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def split_paragraph_fast(paragraph: str) -> tuple[str, ...]:
    """Regex sentence splitting, for volumes where syntok would be too slow."""
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        head = paragraph[start : match.start()]
        last_word = head.rsplit(None, 1)[-1] if head.strip() else ""
        stem = last_word.strip("\"'()[]").rstrip(".!?").lower()
        if stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha()):
            continue
        if _LEADING_NUMBER.fullmatch(head.strip()):
            continue
        end = match.start() + len(match.group().rstrip())
        pieces.append(paragraph[start:end].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return tuple(c for p in pieces if p for c in split_cjk(p)) or (paragraph.strip(),)


def split_sentences(
    paragraphs: list[str], only: set[int] | None = None, fast: bool = False
) -> list[Sentence]:
    """Sentences of the given paragraphs, numbered in order. With `only`, just the paragraphs
    whose index is in it are split (the rest are known to be unchanged); `fast` uses the regex
    splitter instead of syntok."""
    split = split_paragraph_fast if fast else split_paragraph
    result: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        if only is not None and number not in only:
            continue
        quoted = False
        for sentence in split(paragraph):
            for text in cut_long(sentence):
                result.append(Sentence(text, number, len(result), opens_quoted=quoted))
                quoted = ends_open(text, quoted)
    return result


def cut_long(text: str, limit: int | None = None) -> list[str]:
    """`text` in pieces of at most `limit` characters. Cuts are made at spaces chosen by the
    text after them (content-defined, as rsync does), so a word inserted early in a long text
    moves only the cut near it and the pieces after it still match their old selves."""
    limit = limit or MAX_SENTENCE_CHARS
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        end = _cut_point(text, start, limit)
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where the piece starting at `start` ends: the first space in its last three quarters
    whose next few characters hash to a cut (about one space in CUT_ODDS), else its last space,
    else `limit` characters on (a single huge word)."""
    high = start + limit
    for match in _SPACE.finditer(text, start + limit // 4, high):
        after = text[match.end() : match.end() + 8].encode("utf-8", "replace")
        if zlib.crc32(after) % CUT_ODDS == 0:
            return match.start()
    last_space = text.rfind(" ", start + limit // 2, high + 1)
    return last_space if last_space > start else high
