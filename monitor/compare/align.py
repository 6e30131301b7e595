"""Align two versions: which paragraphs and sentences stayed, changed, moved, came or went.

Identical units are matched first (longest common subsequence on comparison keys, without
difflib's autojunk, which makes results non-minimal on long inputs); the unmatched sentences of each
replaced block are then paired by similarity with rapidfuzz, and what is left over is matched
across the whole text, so a sentence that moved is a move, not a deletion plus an addition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rapidfuzz import fuzz, process

from monitor.compare.normalize import comparison_key
from monitor.compare.sentences import Sentence

Op = Literal["equal", "changed", "moved", "added", "removed"]

# Similarity (rapidfuzz ratio, 0-100) above which two sentences of the same replaced block are the
# same sentence edited. 55 pairs "kills 50 people" with "kills at least 60 people" and keeps
# unrelated sentences of similar length apart (measured on the demo site and NewsEdits pairs).
PAIR_IN_BLOCK = 55.0
# Across the whole text a pairing needs more evidence: a sentence moved and also edited.
PAIR_ACROSS = 80.0
# Blocks larger than this many candidate pairs are paired by a banded search only, so a rewritten
# 1 MB text stays well under a second.
MAX_BLOCK_PAIRS = 250_000
BAND = 50


@dataclass(frozen=True)
class Alignment:
    """One aligned unit: an old sentence, a new one, or both."""

    op: Op
    old: Sentence | None
    new: Sentence | None
    similarity: float = 100.0


def changed_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[tuple[range, range]]:
    """The runs of paragraphs outside the identical ones: (old indexes, new indexes) per run."""
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    return [
        (range(i1, i2), range(j1, j2))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _pair_block(
    olds: list[Sentence], news: list[Sentence], keys: dict[Sentence, str], cutoff: float
) -> list[tuple[Sentence, Sentence, float]]:
    """Greedy best-first pairing of two groups of sentences whose similarity reaches `cutoff`."""
    if not olds or not news:
        return []
    candidates: list[tuple[float, int, int]] = []
    old_keys = [keys[s] for s in olds]
    new_keys = [keys[s] for s in news]
    banded = len(olds) * len(news) > MAX_BLOCK_PAIRS
    for i, key in enumerate(old_keys):
        # Small blocks: every pair. Large ones: the new sentences at a similar relative
        # position only, so a rewritten 1 MB text stays fast. process.extract loops in C.
        low, high = 0, len(new_keys)
        if banded:
            centre = i * len(news) // len(olds)
            low, high = max(0, centre - BAND), min(len(news), centre + BAND)
        for _, score, j in process.extract(
            key, new_keys[low:high], scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        ):
            candidates.append((float(score), i, low + j))
    candidates.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for score, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((olds[i], news[j], score))
    return pairs


def align_sentences(old: Sequence[Sentence], new: Sequence[Sentence]) -> list[Alignment]:
    """Align two sentence lists. Every sentence appears in exactly one alignment."""
    return align_blocks([(old, new)])


def align_blocks(
    regions: Sequence[tuple[Sequence[Sentence], Sequence[Sentence]]],
) -> list[Alignment]:
    """Align sentences region by region (each region: the old and new sentences of one run of
    changed paragraphs), then match what is left across regions as moves or moved edits."""
    keys = {s: comparison_key(s.text) for old, new in regions for s in (*old, *new)}
    result: list[Alignment] = []
    blocks: list[tuple[list[Sentence], list[Sentence]]] = []
    for old, new in regions:
        matcher = SequenceMatcher(
            None, [keys[s] for s in old], [keys[s] for s in new], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                result.extend(
                    Alignment("equal", o, n) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)
                )
            else:
                blocks.append((list(old[i1:i2]), list(new[j1:j2])))

    # Moves: a sentence left one block and arrived, identical (bar cosmetics), in another.
    arrived: dict[str, list[Sentence]] = defaultdict(list)
    for _, news in blocks:
        for sentence in news:
            arrived[keys[sentence]].append(sentence)
    moved_new: set[Sentence] = set()
    moved_old: set[Sentence] = set()
    for olds, _ in blocks:
        for sentence in olds:
            candidates = arrived.get(keys[sentence])
            if candidates:
                target = candidates.pop(0)
                moved_old.add(sentence)
                moved_new.add(target)
                result.append(Alignment("moved", sentence, target))

    left_old: list[Sentence] = []
    left_new: list[Sentence] = []
    for olds, news in blocks:
        olds = [s for s in olds if s not in moved_old]
        news = [s for s in news if s not in moved_new]
        pairs = _pair_block(olds, news, keys, PAIR_IN_BLOCK)
        paired = {id(s) for pair in pairs for s in pair[:2]}
        result.extend(Alignment("changed", o, n, score) for o, n, score in pairs)
        left_old.extend(s for s in olds if id(s) not in paired)
        left_new.extend(s for s in news if id(s) not in paired)

    # Edited and moved to another block.
    pairs = _pair_block(left_old, left_new, keys, PAIR_ACROSS)
    paired = {id(s) for pair in pairs for s in pair[:2]}
    result.extend(Alignment("changed", o, n, score) for o, n, score in pairs)
    result.extend(Alignment("removed", s, None) for s in left_old if id(s) not in paired)
    result.extend(Alignment("added", None, s) for s in left_new if id(s) not in paired)
    result.sort(key=_position)
    return result


def _position(alignment: Alignment) -> tuple[int, int]:
    """Order by the new text where there is one, removals just after the sentence they followed."""
    if alignment.new is not None:
        return (alignment.new.index, 0)
    assert alignment.old is not None
    return (alignment.old.index, 1)
