"""Align two versions: which paragraphs and sentences stayed, changed, moved, came or went.

Identical units are matched first (longest common subsequence on comparison keys, without
difflib's autojunk, which makes results non-minimal on long inputs); the unmatched sentences of each
replaced block are then paired by similarity with rapidfuzz, and what is left over is matched
across the whole text, so a sentence that moved is a move, not a deletion plus an addition.

difflib without autojunk is quadratic (a run of repeated paragraphs makes every repeat a
candidate match), so it only sees inputs small enough for it; larger ones are aligned on their
common ends, by a banded edit distance, or on the units found once on each side
(`diff_sequences`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from monitor.compare.normalize import comparison_key
from monitor.compare.sentences import Sentence

Op = Literal["equal", "changed", "moved", "added", "removed"]

# Similarity (rapidfuzz ratio, 0-100) above which two sentences of the same replaced block are the
# same sentence edited. 55 pairs "kills 50 people" with "kills at least 60 people" and keeps
# unrelated sentences of similar length apart (measured on the demo site and NewsEdits pairs).
PAIR_IN_BLOCK = 55.0
# Across the whole text a pairing needs more evidence: a sentence moved and also edited.
PAIR_ACROSS = 80.0
# A sentence replaced in place by one that restates it ("And being a mother of four is no longer
# seen as a hindrance" -> "She does not consider being a mother of four a dealbreaker") is one
# rewritten sentence, not a removal plus an addition, even below `PAIR_IN_BLOCK`: when a replaced
# block is left with exactly one old and one new sentence, and they share a run of at least this
# many words, one of them at least `RESTATED_WORD_CHARS` characters long.
RESTATED_RUN_WORDS = 4
RESTATED_WORD_CHARS = 4
# Blocks larger than this many candidate pairs are paired by a banded search only, so a rewritten
# 1 MB text stays well under a second.
MAX_BLOCK_PAIRS = 250_000
BAND = 50

# difflib (autojunk off) costs about one microsecond per cell of old items × new items in its
# worst cases (a run of identical items, or a chain of single-item matches, where it rescans the
# whole range once per match): 1,000 × 1,000 identical paragraphs took 1.2 s, 4,000 × 4,000 16 s.
# Up to this many cells (~0.25 s at worst) it runs as before, so every real article (under ~300
# paragraphs, and a few hundred sentences in a changed run) is aligned exactly as it always was.
EXACT_MAX_CELLS = 250_000
# Past it, `diff_sequences` matches the common prefix and suffix, then the items found exactly
# once on each side (patience diff), and recurses between them at most this many times deep;
# each level is linear, so 50,000 paragraphs align in well under a second. A region with no such
# anchor and too big for difflib stays unmatched: reported as changed, never dropped.
PATIENCE_MAX_DEPTH = 12
# Before looking for anchors, a region that differs by few items (a changed paragraph among
# thousands of repeats, with no unique line to anchor on) is aligned by rapidfuzz's banded
# Levenshtein: time and memory grow with items × distance, not items², so up to this distance...
MAX_BANDED_DISTANCE = 1_000
# ...and this many cells of items × band (a 25 MB bit matrix at most: 100,000 items × 2,000).
MAX_BANDED_CELLS = 200_000_000

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class Alignment:
    """One aligned unit: an old sentence, a new one, or both."""

    op: Op
    old: Sentence | None
    new: Sentence | None
    similarity: float = 100.0


def diff_sequences(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes (tag, i1, i2, j1, j2) turning `old` into `new`, in bounded time.

    Small inputs get difflib's own answer (autojunk off). Larger ones, region by region: the
    common prefix and suffix; difflib again if what is left is small; rapidfuzz's banded
    Levenshtein if it differs by few items; else patience anchors (items occurring once on each
    side, in increasing order on both) and the regions between them. A large region with none of
    these stays one `replace`: coarse, but it loses nothing."""
    if _exact_is_cheap(len(old), len(new)):
        matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
        return [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    return _opcodes(_bounded_blocks(old, new), len(old), len(new))


def _exact_is_cheap(old_size: int, new_size: int) -> bool:
    return old_size * new_size <= EXACT_MAX_CELLS


def _bounded_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """Matching blocks (i, j, size) of two long sequences, found in linear passes."""
    blocks: list[tuple[int, int, int]] = []
    regions = [(0, len(a), 0, len(b), 0)]
    while regions:
        alo, ahi, blo, bhi, depth = regions.pop()
        size = 0
        while alo + size < ahi and blo + size < bhi and a[alo + size] == b[blo + size]:
            size += 1
        if size:
            blocks.append((alo, blo, size))
            alo, blo = alo + size, blo + size
        size = 0
        while ahi - size > alo and bhi - size > blo and a[ahi - size - 1] == b[bhi - size - 1]:
            size += 1
        if size:
            blocks.append((ahi - size, bhi - size, size))
            ahi, bhi = ahi - size, bhi - size
        if alo == ahi or blo == bhi:
            continue
        if _exact_is_cheap(ahi - alo, bhi - blo):
            matcher = SequenceMatcher(None, list(a[alo:ahi]), list(b[blo:bhi]), autojunk=False)
            blocks.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)
            continue
        banded = _banded_blocks(a, alo, ahi, b, blo, bhi)
        if banded is not None:
            blocks.extend(banded)
            continue
        if depth >= PATIENCE_MAX_DEPTH:
            continue
        previous_i, previous_j = alo, blo
        for i, j in _unique_anchors(a, alo, ahi, b, blo, bhi):
            blocks.append((i, j, 1))
            regions.append((previous_i, i, previous_j, j, depth + 1))
            previous_i, previous_j = i + 1, j + 1
        if previous_i != alo:  # no anchor: the region stays one unmatched run
            regions.append((previous_i, ahi, previous_j, bhi, depth + 1))
    return sorted(blocks)


def _banded_blocks(
    a: Sequence[Hashable], alo: int, ahi: int, b: Sequence[Hashable], blo: int, bhi: int
) -> list[tuple[int, int, int]] | None:
    """Matching blocks of a[alo:ahi] and b[blo:bhi] if they are within a small edit distance
    (see `MAX_BANDED_DISTANCE`), else None. rapidfuzz compares items by hash, so every block
    is checked item by item: a collision would cost the region its alignment, never a change."""
    old, new = list(a[alo:ahi]), list(b[blo:bhi])
    limit = min(MAX_BANDED_DISTANCE, MAX_BANDED_CELLS // (2 * max(len(old), len(new))))
    distance = Levenshtein.distance(old, new, score_cutoff=limit)
    if distance > limit:
        return None
    blocks = []
    for op in Levenshtein.opcodes(old, new, score_hint=max(distance, 1)):
        if op.tag != "equal":
            continue
        if old[op.src_start : op.src_end] != new[op.dest_start : op.dest_end]:
            return None
        blocks.append((alo + op.src_start, blo + op.dest_start, op.src_end - op.src_start))
    return blocks


def _unique_anchors(
    a: Sequence[Hashable], alo: int, ahi: int, b: Sequence[Hashable], blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Items found exactly once in a[alo:ahi] and once in b[blo:bhi], as (i, j) pairs forming
    the longest run increasing on both sides (patience sorting, n log n)."""
    old_counts = Counter(a[alo:ahi])
    new_counts = Counter(b[blo:bhi])
    new_index = {b[j]: j for j in range(blo, bhi) if new_counts[b[j]] == 1}
    candidates = [
        (i, new_index[a[i]]) for i in range(alo, ahi) if old_counts[a[i]] == 1 and a[i] in new_index
    ]
    # Longest increasing subsequence of the new positions, in old order.
    tails: list[int] = []  # new position ending the best run of each length
    tail_at: list[int] = []  # candidate index of that end
    previous: list[int] = []
    for number, (_, j) in enumerate(candidates):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_at.append(number)
        else:
            tails[length] = j
            tail_at[length] = number
        previous.append(tail_at[length - 1] if length else -1)
    chain: list[tuple[int, int]] = []
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        chain.append(candidates[at])
        at = previous[at]
    return chain[::-1]


def _opcodes(blocks: list[tuple[int, int, int]], old_size: int, new_size: int) -> list[Opcode]:
    """Opcodes from sorted, non-overlapping matching blocks, as difflib builds them."""
    opcodes: list[Opcode] = []
    i = j = 0
    for block_i, block_j, size in [*blocks, (old_size, new_size, 0)]:
        tag = ""
        if i < block_i and j < block_j:
            tag = "replace"
        elif i < block_i:
            tag = "delete"
        elif j < block_j:
            tag = "insert"
        if tag:
            opcodes.append((tag, i, block_i, j, block_j))
        i, j = block_i + size, block_j + size
        if size:
            if opcodes and opcodes[-1][0] == "equal":
                _, i1, _, j1, _ = opcodes.pop()
                opcodes.append(("equal", i1, i, j1, j))
            else:
                opcodes.append(("equal", block_i, i, block_j, j))
    return opcodes


def changed_paragraphs(old: Sequence[str], new: Sequence[str]) -> list[tuple[range, range]]:
    """The runs of paragraphs outside the identical ones: (old indexes, new indexes) per run."""
    return [
        (range(i1, i2), range(j1, j2))
        for tag, i1, i2, j1, j2 in diff_sequences(old, new)
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


def restated(old_key: str, new_key: str) -> bool:
    """Whether two sentences' comparison keys share a run of `RESTATED_RUN_WORDS` words, one of
    them at least `RESTATED_WORD_CHARS` characters long: the new sentence restates the old one."""
    old_words, new_words = old_key.split(), new_key.split()
    size = RESTATED_RUN_WORDS
    runs = {tuple(old_words[i : i + size]) for i in range(len(old_words) - size + 1)}
    return any(
        run in runs and any(len(word) >= RESTATED_WORD_CHARS for word in run)
        for run in (tuple(new_words[i : i + size]) for i in range(len(new_words) - size + 1))
    )


def align_sentences(old: Sequence[Sentence], new: Sequence[Sentence]) -> list[Alignment]:
    """Align two sentence lists. Every sentence appears in exactly one alignment."""
    return align_blocks([(old, new)])


Block = tuple[list[Sentence], list[Sentence]]


def align_blocks(
    regions: Sequence[tuple[Sequence[Sentence], Sequence[Sentence]]],
) -> list[Alignment]:
    """Align sentences region by region (each region: the old and new sentences of one run of
    changed paragraphs), then match what is left across regions as moves or moved edits."""
    keys = sentence_keys(regions)
    equal, blocks = match_regions(regions, keys)
    return pair_blocks(equal, blocks, keys)


def sentence_keys(
    regions: Sequence[tuple[Sequence[Sentence], Sequence[Sentence]]],
) -> dict[Sentence, str]:
    """The comparison key of every sentence of the regions."""
    return {s: comparison_key(s.text) for old, new in regions for s in (*old, *new)}


def match_regions(
    regions: Sequence[tuple[Sequence[Sentence], Sequence[Sentence]]],
    keys: dict[Sentence, str],
) -> tuple[list[Alignment], list[Block]]:
    """The sentences of each region that stayed (equal keys, in order), and the blocks of
    sentences around them that did not: the work left for `pair_blocks`."""
    equal: list[Alignment] = []
    blocks: list[Block] = []
    for old, new in regions:
        opcodes = diff_sequences([keys[s] for s in old], [keys[s] for s in new])
        for tag, i1, i2, j1, j2 in opcodes:
            if tag == "equal":
                equal.extend(
                    Alignment("equal", o, n) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)
                )
            else:
                blocks.append((list(old[i1:i2]), list(new[j1:j2])))
    return equal, blocks


def pair_blocks(
    equal: list[Alignment], blocks: list[Block], keys: dict[Sentence, str]
) -> list[Alignment]:
    """Every alignment in reading order: `equal` plus the blocks' sentences as moves, edits
    (paired by similarity), additions and removals."""
    result = list(equal)
    # Moves: a sentence left one block and arrived, identical (bar cosmetics), in another.
    arrived: dict[str, deque[Sentence]] = defaultdict(deque)
    for _, news in blocks:
        for sentence in news:
            arrived[keys[sentence]].append(sentence)
    moved_new: set[Sentence] = set()
    moved_old: set[Sentence] = set()
    for olds, _ in blocks:
        for sentence in olds:
            candidates = arrived.get(keys[sentence])
            if candidates:
                target = candidates.popleft()
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
        rest_old = [s for s in olds if id(s) not in paired]
        rest_new = [s for s in news if id(s) not in paired]
        if len(rest_old) == len(rest_new) == 1 and restated(keys[rest_old[0]], keys[rest_new[0]]):
            score = fuzz.ratio(keys[rest_old[0]], keys[rest_new[0]])
            pairs.append((rest_old[0], rest_new[0], float(score)))
            paired |= {id(rest_old[0]), id(rest_new[0])}
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
