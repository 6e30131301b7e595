"""Benchmark Redline's article extraction on the two annotated corpora in ../shared/corpus.

    python -m bench.extract --corpus ../shared/corpus [--limit N] [--plain] [--skip-evaldata]

1. article-extraction-benchmark (181 pages, full article bodies): first re-scores the systems'
   published outputs (`output/*.json.gz`) with `bench.extract_metric` and fails (exit 1) when a
   published figure is not reproduced within 0.002, then scores `monitor.extract.extract_article`.
2. trafilatura-evaldata (990 pages, with/without snippets): scores `extract_article` with the
   snippet metric beside the published trafilatura 2.2.0 figure, on the whole set and on its two
   halves: *development* (the first hex digit of the SHA-256 of the page's URL below 8: 519 pages,
   the only ones looked at while tuning) and *held-out* (471 pages, the figure that decides).
   article-extraction-benchmark is development data too: the extraction was tuned on it.

`--limit N` scores only N pages of each corpus with Redline, evenly spread over the sorted ids/urls
(the published reproduction always runs in full: it only reads JSON). `--plain` adds a row for plain
`trafilatura.extract` of the installed version, to tell Redline's own choices from the version's.
`--baseline FILE` also scores another `extraction.py` (e.g. the output of
`git show main:monitor/extract/extraction.py`) on the same pages, each page run by both in turn,
so that their CPU ms/page are measured side by side under the same load. `--stages` prints
only where extraction's CPU goes, stage by stage, on the development pages (`bench.stages`).
`--split development`
scores only that half of trafilatura-evaldata (for tuning; never tune with `--split held-out`).
The corpus is read in place and nothing is written.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.corpus import corpus_dir_or_exit
from bench.extract_metric import (
    PageCounts,
    Scores,
    SnippetCounts,
    aggregate,
    page_counts,
    published_output_bodies,
    score_bodies,
    snippet_counts,
)

AEB = "article-extraction-benchmark"
EVALDATA = "trafilatura-evaldata"
TOLERANCE = 0.002

# Published figures (F1, precision, recall) of the article-extraction-benchmark README, keyed by
# the output file stem. `newspaper.json` holds newspaper4k 0.9.3.1 and `readability.json`
# readability-lxml 0.8.4.1 (table "previous evaluation that did not re-run").
PUBLISHED_AEB: dict[str, tuple[str, float, float, float]] = {
    "AutoExtract": ("AutoExtract Nov 2019", 0.970, 0.984, 0.956),
    "trafilatura": ("trafilatura 2.0.0", 0.958, 0.938, 0.978),
    "newspaper": ("newspaper4k 0.9.3.1", 0.949, 0.964, 0.934),
    "readability": ("readability-lxml 0.8.4.1", 0.922, 0.913, 0.931),
    "goose3": ("goose3 3.1.20", 0.896, 0.940, 0.856),
    "justext": ("justext 3.0.2", 0.804, 0.858, 0.756),
    "html-text": ("html-text 0.7.0 (whole page)", 0.665, 0.500, 0.994),
}
# trafilatura's docs/evaluation.rst, results of 2026-08-04 (990 documents): (F1, P, R)
PUBLISHED_EVALDATA: dict[str, tuple[float, float, float]] = {
    "trafilatura 2.2.0 (standard)": (0.924, 0.906, 0.943),
    "trafilatura 2.2.0 (precision)": (0.920, 0.925, 0.915),
    "trafilatura 2.2.0 (fast)": (0.918, 0.907, 0.930),
    "magic-html 0.1.8": (0.889, 0.887, 0.891),
}

Extractor = Callable[[bytes, str | None], str]
Page = tuple[str, bytes, str | None]
Published = tuple[str, float, float, float]
Result = tuple[str, float]
GroundTruth = dict[str, dict[str, str]]
EvalData = dict[str, dict[str, Any]]


@dataclass
class Timed:
    scores: Scores
    times_ms: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.times_ms) if self.times_ms else 0.0


# ------------------------------------------------------------------ extractors under test


@dataclass(frozen=True)
class System:
    name: str
    extract: Extractor


def redline_body(html: bytes, url: str | None) -> str:
    from monitor.extract.extraction import extract_article

    return extract_article(html, url=url).body


def plain_trafilatura_body(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, deduplicate=False) or ""


def baseline_extractor(path: Path) -> Extractor:
    """`extract_article` of another `extraction.py`, imported under a module name of its own (its
    own imports resolve to this tree's `monitor` package)."""
    spec = importlib.util.spec_from_file_location("bench_baseline_extraction", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise SystemExit(f"error: cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)

    def body(html: bytes, url: str | None) -> str:
        return str(module.extract_article(html, url=url).body)

    return body


def _run(systems: list[System], pages: Iterable[Page]) -> Iterator[tuple[str, list[Result]]]:
    """Yield (key, [(body, CPU milliseconds) per system]). Every system runs each page in turn,
    the order alternating from page to page, so their times share the machine's load and caches
    (CPU time of this process, so other processes on the machine count less); a crash is
    reported and scored as an empty body."""
    for index, (key, html, url) in enumerate(pages):
        order = list(range(len(systems)))
        if index % 2:
            order.reverse()
        results: list[Result] = [("", 0.0)] * len(systems)
        for which in order:
            start = time.process_time()
            try:
                body = systems[which].extract(html, url)
            except Exception as error:  # a crash is a result to report, not a reason to stop
                print(
                    f"  ! {systems[which].name} {key}: {type(error).__name__}: {error}",
                    file=sys.stderr,
                )
                body = ""
            results[which] = (body, (time.process_time() - start) * 1000)
        yield key, results


# ------------------------------------------------------------------ article-extraction-benchmark


def load_ground_truth(root: Path) -> GroundTruth:
    with open(root / AEB / "ground-truth.json", encoding="utf-8") as handle:
        data: GroundTruth = json.load(handle)
    return data


def reproduce_published(
    root: Path, ground_truth: GroundTruth
) -> tuple[list[tuple[str, Scores, Published | None]], list[str]]:
    """Score every output/*.json.gz: the rows, and the figures not reproduced within TOLERANCE."""
    rows: list[tuple[str, Scores, Published | None]] = []
    failures: list[str] = []
    paths = sorted((root / AEB / "output").glob("*.json.gz"))
    if not paths:
        raise SystemExit(f"error: no output/*.json.gz under {root / AEB}")
    for path in paths:
        stem = path.name.removesuffix(".json.gz")
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        scores = score_bodies(ground_truth, published_output_bodies(data))
        published = PUBLISHED_AEB.get(stem)
        rows.append((stem, scores, published))
        if published:
            _, f1, precision, recall = published
            for name, ours, theirs in (
                ("F1", scores.f1, f1),
                ("P", scores.precision, precision),
                ("R", scores.recall, recall),
            ):
                if abs(ours - theirs) > TOLERANCE:
                    failures.append(f"{stem} {name}: {ours:.4f} vs published {theirs:.3f}")
    return rows, failures


def aeb_pages(root: Path, ground_truth: GroundTruth, ids: list[str]) -> Iterator[Page]:
    for key in ids:
        html = gzip.decompress((root / AEB / "html" / f"{key}.html.gz").read_bytes())
        yield key, html, ground_truth[key].get("url")


def score_aeb(
    systems: list[System], root: Path, ground_truth: GroundTruth, ids: list[str]
) -> list[Timed]:
    """One result per system, the pages run by every system in turn."""
    counts: list[list[PageCounts]] = [[] for _ in systems]
    times: list[list[float]] = [[] for _ in systems]
    for key, results in _run(systems, aeb_pages(root, ground_truth, ids)):
        for which, (body, ms) in enumerate(results):
            counts[which].append(page_counts(ground_truth[key].get("articleBody", ""), body))
            times[which].append(ms)
    return [Timed(aggregate(c), t) for c, t in zip(counts, times, strict=True)]


# ------------------------------------------------------------------ trafilatura-evaldata

DEVELOPMENT = "development"
HELD_OUT = "held-out"
SPLITS = (DEVELOPMENT, HELD_OUT)


def evaldata_split(url: str) -> str:
    """The half of trafilatura-evaldata a page belongs to, fixed by its URL alone (decided before
    any result was seen): development when the URL's SHA-256 starts with a hex digit below 8."""
    return DEVELOPMENT if hashlib.sha256(url.encode("utf-8")).hexdigest()[0] < "8" else HELD_OUT


@dataclass
class SplitScores:
    """Snippet counts per split, and the time of every page, of one system."""

    counts: dict[str, SnippetCounts]
    times_ms: list[float]

    def total(self) -> SnippetCounts:
        total = SnippetCounts()
        for counts in self.counts.values():
            total.add(counts)
        return total


def load_evaldata(root: Path) -> EvalData:
    with open(root / EVALDATA / "evaldata.json", encoding="utf-8") as handle:
        data: EvalData = json.load(handle)
    return data


def evaldata_page(root: Path, filename: str) -> bytes | None:
    for folder in ("cache", "eval"):
        path = root / EVALDATA / folder / f"{filename}.gz"
        if path.is_file():
            return gzip.decompress(path.read_bytes())
    return None


def score_evaldata(
    systems: list[System], root: Path, evaldata: EvalData, urls: list[str]
) -> tuple[list[SplitScores], int]:
    """One result per system (the pages run by every system in turn), and the pages missing."""
    scores = [SplitScores({split: SnippetCounts() for split in SPLITS}, []) for _ in systems]
    pages: list[Page] = []
    for url in urls:
        html = evaldata_page(root, evaldata[url]["file"])
        if html is not None:
            pages.append((url, html, url))
    for url, results in _run(systems, pages):
        item = evaldata[url]
        for which, (body, ms) in enumerate(results):
            counts = snippet_counts(item["with"], item["without"], body)
            scores[which].counts[evaldata_split(url)].add(counts)
            scores[which].times_ms.append(ms)
    return scores, len(urls) - len(pages)


# ------------------------------------------------------------------ output


def _row(name: str, p: float, r: float, f1: float, extra: str = "") -> str:
    return f"{name:<46} {p:>7.3f} {r:>7.3f} {f1:>7.3f}  {extra}"


def _header(title: str) -> str:
    return f"\n{title}\n{'system':<46} {'P':>7} {'R':>7} {'F1':>7}  notes\n" + "-" * 110


def _split_header(title: str) -> str:
    halves = "".join(f" {split + ' P/R/F1':>23}" for split in SPLITS)
    return f"\n{title}\n{'system':<40}{halves} {'all F1':>7}  notes\n" + "-" * 110


def _split_row(name: str, scores: SplitScores, splits: tuple[str, ...], extra: str) -> str:
    cells = ""
    for split in SPLITS:
        c = scores.counts[split]
        cells += (
            f" {c.precision:>7.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
            if split in splits
            else f" {'-':>23}"
        )
    return f"{name:<40}{cells} {scores.total().f1:>7.3f}  {extra}"


def _ms(times: list[float]) -> str:
    median = statistics.median(times) if times else 0.0
    mean = statistics.fmean(times) if times else 0.0
    return f"CPU ms/page median {median:.0f} mean {mean:.0f}"


def _sample(keys: list[str], limit: int | None) -> list[str]:
    """All keys, or `limit` of them evenly spread over the sorted list (sites cluster by name)."""
    if not limit or limit >= len(keys):
        return keys
    step = len(keys) / max(1, limit)
    return [keys[int(i * step)] for i in range(limit)]


def _warm_up(systems: list[System]) -> None:
    """One untimed extraction each, so lazy imports and stoplists do not land in a page's time."""
    page = b"<html><body><article><p>" + b"Warm-up sentence. " * 20 + b"</p></article>"
    for system in systems:
        system.extract(page, None)


def _systems(args: argparse.Namespace) -> list[System]:
    systems = [System("Redline extract_article", redline_body)]
    if args.baseline:
        systems.append(System("baseline extract_article", baseline_extractor(Path(args.baseline))))
    if args.plain:
        systems.append(
            System(f"trafilatura {version('trafilatura')} extract()", plain_trafilatura_body)
        )
    return systems


def _ratio(times: list[list[float]]) -> str:
    """Redline's mean time over the baseline's, when a baseline ran."""
    if len(times) < 2 or not times[1] or not statistics.fmean(times[1]):
        return ""
    ratio = statistics.fmean(times[0]) / statistics.fmean(times[1])
    return f"(Redline / baseline mean CPU ms/page: {ratio:.3f})"


def print_aeb(
    root: Path, ground_truth: GroundTruth, systems: list[System], limit: int | None
) -> None:
    """Redline (and the other systems) on article-extraction-benchmark, which it was tuned on."""
    ids = _sample(sorted(ground_truth), limit)
    trafilatura_f1 = PUBLISHED_AEB["trafilatura"][1]
    autoextract_f1 = PUBLISHED_AEB["AutoExtract"][1]
    results = score_aeb(systems, root, ground_truth, ids)
    for system, timed in zip(systems, results, strict=True):
        s = timed.scores
        print(
            _row(
                f"{system.name} ({len(ids)} pages, tuned on)",
                s.precision,
                s.recall,
                s.f1,
                f"F1 {s.f1:.4f}: ΔF1 {s.f1 - trafilatura_f1:+.4f} vs trafilatura 2.0.0, "
                f"{s.f1 - autoextract_f1:+.4f} vs AutoExtract; {_ms(timed.times_ms)}",
            )
        )
    ratio = _ratio([timed.times_ms for timed in results])
    if ratio:
        print(ratio)
    if limit:
        print(f"(--limit {limit}: Redline rows are not comparable with the full-corpus figures)")


def print_evaldata(
    root: Path, systems: list[System], limit: int | None, splits: tuple[str, ...]
) -> None:
    evaldata = load_evaldata(root)
    urls = [url for url in _sample(sorted(evaldata), limit) if evaldata_split(url) in splits]
    halves = ", ".join(
        f"{sum(1 for u in urls if evaldata_split(u) == split)} {split}" for split in splits
    )
    n_with = sum(len(evaldata[u]["with"]) for u in urls)
    n_without = sum(len(evaldata[u]["without"]) for u in urls)
    print(
        _header(
            f"trafilatura-evaldata: {len(urls)} pages ({halves}), {n_with} text & {n_without}"
            " boilerplate snippets, F1 = 2TP/(2TP+FP+FN)"
        )
    )
    for label, (f1, p, r) in PUBLISHED_EVALDATA.items():
        print(_row(label, p, r, f1, "published (docs/evaluation.rst), all 990 pages"))
    published_f1 = PUBLISHED_EVALDATA["trafilatura 2.2.0 (standard)"][0]
    results, missing = score_evaldata(systems, root, evaldata, urls)
    print(_split_header("by half (development: tuned on; held-out: never looked at while tuning)"))
    for system, scores in zip(systems, results, strict=True):
        total = scores.total()
        note = (
            f"ΔF1 {total.f1 - published_f1:+.4f} vs trafilatura 2.2.0; {_ms(scores.times_ms)}"
            f"; TP {total.tp} FP {total.fp} FN {total.fn}"
            + (f"; {missing} pages missing" if missing else "")
        )
        print(_split_row(f"{system.name} ({len(scores.times_ms)} pages)", scores, splits, note))
    ratio = _ratio([scores.times_ms for scores in results])
    if ratio:
        print(ratio)
    if limit or splits != SPLITS:
        print(
            "(a sample or one half: the 'all' column is not comparable with the published figures)"
        )


def print_stages(root: Path, limit: int | None) -> None:
    """CPU per extraction stage (`bench.stages`) on the article benchmark and on the development
    half of trafilatura-evaldata: held-out pages are not read."""
    from bench.stages import stage_table

    ground_truth = load_ground_truth(root)
    _warm_up([System("Redline extract_article", redline_body)])
    ids = _sample(sorted(ground_truth), limit)
    print(stage_table(f"{AEB} (tuned on)", aeb_pages(root, ground_truth, ids)))
    if not (root / EVALDATA).is_dir():
        return
    evaldata = load_evaldata(root)
    urls = [u for u in _sample(sorted(evaldata), limit) if evaldata_split(u) == DEVELOPMENT]
    pages = (
        (url, html, url)
        for url in urls
        if (html := evaldata_page(root, evaldata[url]["file"])) is not None
    )
    print(stage_table(f"{EVALDATA}, development half", pages))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.extract", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    parser.add_argument(
        "--limit", type=int, help="score only N pages (evenly spread) of each corpus"
    )
    parser.add_argument("--skip-evaldata", action="store_true", help="only the article benchmark")
    parser.add_argument(
        "--plain", action="store_true", help="also score plain trafilatura.extract (installed)"
    )
    parser.add_argument(
        "--baseline", metavar="FILE", help="also score this extraction.py, side by side"
    )
    parser.add_argument(
        "--split", choices=SPLITS, help="score only this half of trafilatura-evaldata"
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="only the CPU of each extraction stage on the development pages (bench.stages)",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    root = corpus_dir_or_exit(args.corpus, require=AEB)
    if args.stages:
        print_stages(root, args.limit)
        return 0
    systems = _systems(args)

    # 1. reproduce the published figures before scoring anything else
    ground_truth = load_ground_truth(root)
    rows, failures = reproduce_published(root, ground_truth)
    print(_header(f"article-extraction-benchmark: {len(ground_truth)} pages, 4-gram shingles"))
    for stem, scores, published in sorted(rows, key=lambda row: -row[1].f1):
        if published:
            label, f1, p, r = published
            note = f"published P {p:.3f} R {r:.3f} F1 {f1:.3f}  ΔF1 {scores.f1 - f1:+.4f}"
        else:
            label, note = stem, "no published figure"
        print(_row(f"{label} [output/{stem}]", scores.precision, scores.recall, scores.f1, note))
    if failures:
        print("\nFAILED to reproduce the published figures (tolerance 0.002):", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"(all published figures reproduced within {TOLERANCE})")

    # 2. score Redline on the same pages
    _warm_up(systems)
    print_aeb(root, ground_truth, systems, args.limit)

    # 3. trafilatura-evaldata, by half
    if args.skip_evaldata:
        return 0
    if not (root / EVALDATA).is_dir():
        print(f"\n{EVALDATA}: not found under {root}, skipped")
        return 0
    print_evaldata(root, systems, args.limit, (args.split,) if args.split else SPLITS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
