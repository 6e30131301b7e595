"""Pure scoring functions for the two extraction benchmarks in ../shared/corpus.

article-extraction-benchmark (scrapinghub): tokens are `\\w+` matches, shingles are token 4-grams
counted as multisets; per page TP = Σmin, FP = Σ(pred−true)+, FN = Σ(true−pred)+ (normalised by
their sum, which leaves P and R unchanged); per-page precision TP/(TP+FP) and recall TP/(TP+FN),
1.0 when the page has no FP resp. FN; P is averaged over pages with TP+FP > 0, R over pages with
TP+FN > 0, and F1 = 2PR/(P+R) is computed from those averages. A text shorter than 4 tokens
yields one shorter shingle (as the reference scorer does); an empty text yields none.

trafilatura-evaldata: whitespace-normalise the output; each "with" snippet found (substring) is a
TP, each one missing a FN, each "without" snippet found a FP; F1 = 2TP/(2TP+FP+FN) over the corpus.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NGRAM = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)
_WS_RE = re.compile(r"\s+")


# ---------------------------------------------------------------- article-extraction-benchmark


def tokenize(text: str | None) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    tokens = tokenize(text)
    counts: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            counts[shingle] += 1
    return counts


@dataclass(frozen=True)
class PageCounts:
    """Shingle TP/FP/FN of one page, normalised so that they sum to 1 (0 for two empty texts)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def page_counts(true: str | None, pred: str | None, n: int = NGRAM) -> PageCounts:
    true_sh, pred_sh = shingles(true, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageCounts(tp, fp, fn)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    pages: int


def aggregate(pages: Iterable[PageCounts]) -> Scores:
    """Average P over pages with TP+FP > 0 and R over pages with TP+FN > 0; F1 from the averages."""
    pages = list(pages)
    precisions = [p.precision for p in pages if p.tp + p.fp > 0]
    recalls = [p.recall for p in pages if p.tp + p.fn > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(pages))


def score_bodies(
    ground_truth: Mapping[str, Mapping[str, str]], predictions: Mapping[str, str | None]
) -> Scores:
    """Score predicted bodies `{id: text}` against `{id: {"articleBody": ...}}` on the same ids."""
    missing = ground_truth.keys() - predictions.keys()
    if missing:
        raise ValueError(f"{len(missing)} ground-truth ids have no prediction")
    return aggregate(
        page_counts(ground_truth[key].get("articleBody", ""), predictions[key])
        for key in ground_truth
    )


def published_output_bodies(data: Mapping[str, Any]) -> dict[str, str]:
    """`{id: articleBody}` of an `output/*.json`: either `{id: {...}}` or `{version, output}`."""
    items = data["output"] if isinstance(data.get("output"), Mapping) else data
    return {str(key): str((value or {}).get("articleBody") or "") for key, value in items.items()}


# ---------------------------------------------------------------- trafilatura-evaldata


def normalise_ws(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()


@dataclass
class SnippetCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: SnippetCounts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


def snippet_counts(
    with_snippets: Sequence[str], without_snippets: Sequence[str], output: str | None
) -> SnippetCounts:
    """Counts of one page: a crash or no output (None) finds no snippet at all."""
    if output:
        text = normalise_ws(output)
        tp = sum(1 for s in with_snippets if normalise_ws(s) in text)
        fp = sum(1 for s in without_snippets if normalise_ws(s) in text)
    else:
        tp = fp = 0
    return SnippetCounts(tp, fp, len(with_snippets) - tp, len(without_snippets) - fp)
