"""Split a normalised paragraph into sentences with syntok, which knows "Mr.", "U.S." and "a.m."."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from syntok import segmenter
from syntok.tokenizer import Tokenizer

_TOKENIZER = Tokenizer(emit_hyphen_or_underscore_sep=True, replace_not_contraction=False)

# Paragraphs are cached by text: most paragraphs of a page are the same in every version.
SPLIT_CACHE_SIZE = 8192


@dataclass(frozen=True)
class Sentence:
    """One sentence of a version, with where it stands."""

    text: str
    paragraph: int  # index of its paragraph in the body
    index: int  # index of the sentence in the whole body


@lru_cache(maxsize=SPLIT_CACHE_SIZE)
def split_paragraph(paragraph: str) -> tuple[str, ...]:
    """The sentences of one paragraph, as slices of the original text."""
    if not paragraph.strip():
        return ()
    sentences: list[str] = []
    for tokens in segmenter.split(_TOKENIZER.tokenize(paragraph)):
        if not tokens:
            continue
        start = tokens[0].offset
        end = tokens[-1].offset + len(tokens[-1].value)
        text = paragraph[start:end].strip()
        if text:
            sentences.append(text)
    return tuple(sentences) or (paragraph.strip(),)


def split_sentences(paragraphs: list[str], only: set[int] | None = None) -> list[Sentence]:
    """Sentences of the given paragraphs, numbered through the body. With `only`, just the
    paragraphs whose index is in it are split (the rest are known to be unchanged)."""
    result: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs):
        if only is not None and number not in only:
            continue
        for text in split_paragraph(paragraph):
            result.append(Sentence(text=text, paragraph=number, index=len(result)))
    return result
