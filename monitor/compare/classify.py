"""Rules that name an edit the way a journalist would: quote, name, number, typo, correction note.

Pure functions over normalised sentences and word hunks (see `words.py`). `edits.py` applies them in
a fixed order of precedence: correction note, quote, number, name, typo, plain sentence change.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from monitor.compare.quotes import QUOTATION_MARKS, Spans, quote_spans
from monitor.compare.sentences import count_words
from monitor.compare.words import Hunk, tokenize
from monitor.lexicon import CORRECTION_NOTE

# --- correction notes -----------------------------------------------------------------------


def is_correction_note(sentence: str) -> bool:
    """True for a correction, clarification, editor's note or update line (English or Spanish)."""
    return bool(CORRECTION_NOTE.search(sentence))


# --- quotations ---------------------------------------------------------------------------
def _inside(spans: Spans, low: int, high: int) -> bool:
    if low == high:  # an insertion point strictly inside a quotation
        return any(s < low < e for s, e in spans)
    return any(s < high and low < e for s, e in spans)


def _whole_quotes(spans: Spans, low: int, high: int) -> bool:
    return any(low <= s and e <= high + 1 for s, e in spans)


def _has_mark(text: str) -> bool:
    return not QUOTATION_MARKS.isdisjoint(text)


def quote_kind(
    old_sentence: str,
    new_sentence: str,
    hunk: Hunk,
    old_open: bool = False,
    new_open: bool = False,
) -> str | None:
    """`quote` when the changed words sit inside a quotation on either side; `quote_added` or
    `quote_removed` when the hunk adds or drops a whole quotation. None otherwise."""
    old_low, old_high = hunk.old_chars
    new_low, new_high = hunk.new_chars
    old_spans = quote_spans(old_sentence, old_open)
    new_spans = quote_spans(new_sentence, new_open)
    if hunk.new and _has_mark(hunk.new) and _whole_quotes(new_spans, new_low, new_high):
        return "quote_added" if not _has_mark(hunk.old) else "quote"
    if hunk.old and _has_mark(hunk.old) and _whole_quotes(old_spans, old_low, old_high):
        return "quote_removed" if not _has_mark(hunk.new) else "quote"
    if _inside(old_spans, old_low, old_high) or _inside(new_spans, new_low, new_high):
        return "quote"
    return None


def quoted_words(sentence: str, open_at_start: bool = False) -> int:
    """How many words of the sentence are inside quotation marks (tokens, or in Chinese,
    Japanese and Korean `sentences.count_words`'s estimate, whichever is more)."""
    spans = quote_spans(sentence, open_at_start)
    return sum(max(len(tokenize(sentence[s:e])), count_words(sentence[s:e])) for s, e in spans)


def _token_before(sentence: str, index: int) -> str:
    """The token just before token `index` of a sentence (rarely needed: "Mr." splits in two)."""
    tokens = tokenize(sentence)
    return tokens[index - 1].text if 0 < index <= len(tokens) else ""


# --- numbers --------------------------------------------------------------------------------
# Cardinal numbers only: ordinals and multipliers ("first", "twice", "half") are ordinary words
# in headlines ("becomes first Asian winner") far more often than figures.
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion dozen
    dozens cero uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce
    quince veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento cientos
    mil miles millón millones docena docenas""".split()
)
# A figure is its digits plus a magnitude or unit written onto them: "$867bn" → "$867m" changed.
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*(?:bn|tn|m|k|%)?", re.IGNORECASE)


def figures(tokens: tuple[str, ...] | list[str]) -> Counter[str]:
    """The figures among some tokens: digit runs (read out of words like "200-year" or "$4.5m")
    and cardinal number words."""
    found: Counter[str] = Counter()
    for token in tokens:
        runs = _DIGITS.findall(token)
        if runs:
            found.update(runs)
        elif token.casefold() in _NUMBER_WORDS:
            found[token.casefold()] += 1
    return found


def is_number_change(hunk: Hunk, old_sentence: str = "", new_sentence: str = "") -> bool:
    """A figure changed: the hunk's figures differ, and so do the whole sentences' (a figure that
    only moved, "18,000 cows killed" → "kills 18,000 cows", is not a new figure)."""
    if figures(hunk.old_tokens) == figures(hunk.new_tokens):
        return False
    if not old_sentence and not new_sentence:
        return True
    return _sentence_figures(old_sentence) != _sentence_figures(new_sentence)


@lru_cache(maxsize=4096)
def _sentence_figures(sentence: str) -> Counter[str]:
    return figures([t.text for t in tokenize(sentence)])


# --- names ----------------------------------------------------------------------------------
_HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady gen col sgt lt capt rev sen rep gov pres "
    "sr sra srta dña don doña".split()
)
_NAME_PARTICLE = re.compile(r"^(?:al|el|bin|ibn|de|del|van|von|da|di|du|le|la)-?$", re.IGNORECASE)
# A hunk longer than this many words per side is a rewrite, not a name correction.
NAME_MAX_WORDS = 4


def _is_capitalised(token: str) -> bool:
    return token[:1].isupper() or any(c.isupper() for c in token[1:] if token[:1].isalpha())


def _name_like(tokens: tuple[str, ...], sentence_start: bool, preceded_by_title: bool) -> bool:
    words = [t for t in tokens if t[:1].isalpha()]
    if not words or len(words) > NAME_MAX_WORDS:
        return False
    capitalised = [w for w in words if _is_capitalised(w) or _NAME_PARTICLE.match(w)]
    if preceded_by_title and capitalised:
        return True
    if sentence_start and len(words) == 1:
        return False  # A capital at the start of a sentence proves nothing on its own.
    return len(capitalised) == len(words) and any(_is_capitalised(w) for w in words)


def is_name_change(old_sentence: str, new_sentence: str, hunk: Hunk) -> bool:
    """A proper name was corrected or replaced: capitalised words (or name particles like "al-")
    on both sides, few of them, not just the first word of the sentence."""
    if not hunk.old_tokens or not hunk.new_tokens:
        return False
    previous = hunk.before.casefold()
    if previous == "." and hunk.old_start >= 2:
        previous = _token_before(old_sentence, hunk.old_start - 1).casefold()
    titled = previous in _HONORIFICS
    old_ok = _name_like(hunk.old_tokens, hunk.old_start == 0, titled)
    new_ok = _name_like(hunk.new_tokens, hunk.new_start == 0, titled)
    if hunk.old_start == 0 and hunk.new_start == 0 and old_ok is False and new_ok is False:
        # "Smith said" → "Smyth said": a capitalised word replaced by a similar capitalised word.
        old_word, new_word = hunk.old_tokens[0], hunk.new_tokens[0]
        similar = Levenshtein.normalized_similarity(old_word, new_word) >= TYPO_SIMILARITY
        return (
            len(hunk.old_tokens) == len(hunk.new_tokens) == 1
            and old_word[:1].isupper()
            and new_word[:1].isupper()
            and similar
        )
    return old_ok and new_ok


_JOINERS = str.maketrans("", "", "-'’")


def _is_word(token: str) -> bool:
    """Letters only, a hyphen or an apostrophe inside aside ("Smith-Jones", "O'Brien")."""
    return token.translate(_JOINERS).isalpha()


def is_name_spelling(old_sentence: str, new_sentence: str, hunk: Hunk) -> bool:
    """A proper name's spelling corrected ("Jon Smiht" → "Jon Smith"): a name edit wherever it
    stands, inside a quotation too. One capitalised word each side, not at the sentence start,
    similar like a typo."""
    if len(hunk.old_tokens) != 1 or len(hunk.new_tokens) != 1 or hunk.old_start == 0:
        return False
    old, new = hunk.old_tokens[0], hunk.new_tokens[0]
    if not (old[:1].isupper() and new[:1].isupper() and _is_word(old) and _is_word(new)):
        return False
    # OSA: a swap of two letters is one step ("Smiht" → "Smith")
    similar = OSA.normalized_similarity(old.casefold(), new.casefold()) >= TYPO_SIMILARITY
    return similar and is_name_change(old_sentence, new_sentence, hunk)


# --- typos ---------------------------------------------------------------------------------
# A phrase typed twice ("laid out the laid out the") is at most this many words long.
REPEAT_MAX_WORDS = 4
# A spelling fix changes a word by at most this many characters and keeps it this similar.
TYPO_MAX_DISTANCE = 2
TYPO_SIMILARITY = 0.7


def is_typo_fix(old_sentence: str, hunk: Hunk) -> bool:
    """A misspelt ordinary (lower-case) word corrected, or a duplicated word or phrase removed."""
    if hunk.old_tokens and not hunk.new_tokens:
        return _is_repeat(old_sentence, hunk)
    if len(hunk.old_tokens) != 1 or len(hunk.new_tokens) != 1:
        return False
    old, new = hunk.old_tokens[0], hunk.new_tokens[0]
    if not (old.replace("'", "").isalpha() and new.replace("'", "").isalpha()):
        return False
    if hunk.old_start > 0 and (old[:1].isupper() or new[:1].isupper()):
        return False  # capitalised inside a sentence: a name, handled by is_name_change
    distance = Levenshtein.distance(old.casefold(), new.casefold())
    similarity = Levenshtein.normalized_similarity(old.casefold(), new.casefold())
    return 0 < distance <= TYPO_MAX_DISTANCE and similarity >= TYPO_SIMILARITY


def _is_repeat(old_sentence: str, hunk: Hunk) -> bool:
    """The deleted words repeat the words right before or right after them."""
    size = len(hunk.old_tokens)
    if size > REPEAT_MAX_WORDS or not any(t[:1].isalpha() for t in hunk.old_tokens):
        return False
    deleted = [t.casefold() for t in hunk.old_tokens]
    if size == 1:
        return deleted[0] in (hunk.before.casefold(), hunk.after.casefold())
    tokens = [t.text.casefold() for t in tokenize(old_sentence)]
    start, end = hunk.old_start, hunk.old_end
    return tokens[start - size : start] == deleted or tokens[end : end + size] == deleted
