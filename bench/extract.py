"""Benchmark Redline's article extraction on the two annotated corpora in ../shared/corpus.

    python -m bench.extract --corpus ../shared/corpus [--limit N] [--plain] [--skip-evaldata]

1. article-extraction-benchmark (181 pages, full article bodies): first re-scores the systems'
   published outputs (`output/*.json.gz`) with `bench.extract_metric` and fails (exit 1) when a
   published figure is not reproduced within 0.002, then scores `monitor.extract.extract_article`.
2. trafilatura-evaldata (990 pages, with/without snippets): scores `extract_article` with the
   snippet metric beside the published trafilatura 2.2.0 figure.

`--limit N` scores only N pages of each corpus with Redline, evenly spread over the sorted ids/urls
(the published reproduction always runs in full: it only reads JSON). `--plain` adds a row for plain
`trafilatura.extract` of the installed version, to tell Redline's own choices from the version's.
The corpus is read in place and nothing is written.
"""

from __future__ import annotations

import argparse
import gzip
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


def redline_body(html: bytes, url: str | None) -> str:
    from monitor.extract.extraction import extract_article

    return extract_article(html, url=url).body


def plain_trafilatura_body(html: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, deduplicate=False) or ""


def _run(extractor: Extractor, pages: Iterable[Page]) -> Iterator[tuple[str, str, float]]:
    """Yield (key, body, milliseconds); a crash is reported and scored as an empty body."""
    for key, html, url in pages:
        start = time.perf_counter()
        try:
            body = extractor(html, url)
        except Exception as error:  # a crash is a result to report, not a reason to stop
            print(f"  ! {key}: {type(error).__name__}: {error}", file=sys.stderr)
            body = ""
        yield key, body, (time.perf_counter() - start) * 1000


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


def score_aeb(extractor: Extractor, root: Path, ground_truth: GroundTruth, ids: list[str]) -> Timed:
    counts: list[PageCounts] = []
    times: list[float] = []
    for key, body, ms in _run(extractor, aeb_pages(root, ground_truth, ids)):
        counts.append(page_counts(ground_truth[key].get("articleBody", ""), body))
        times.append(ms)
    return Timed(aggregate(counts), times)


# ------------------------------------------------------------------ trafilatura-evaldata


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
    extractor: Extractor, root: Path, evaldata: EvalData, urls: list[str]
) -> tuple[SnippetCounts, list[float], int]:
    total, times, missing = SnippetCounts(), [], 0
    pages: list[Page] = []
    for url in urls:
        html = evaldata_page(root, evaldata[url]["file"])
        if html is None:
            missing += 1
            continue
        pages.append((url, html, url))
    for url, body, ms in _run(extractor, pages):
        item = evaldata[url]
        total.add(snippet_counts(item["with"], item["without"], body))
        times.append(ms)
    return total, times, missing


# ------------------------------------------------------------------ output


def _row(name: str, p: float, r: float, f1: float, extra: str = "") -> str:
    return f"{name:<46} {p:>7.3f} {r:>7.3f} {f1:>7.3f}  {extra}"


def _header(title: str) -> str:
    return f"\n{title}\n{'system':<46} {'P':>7} {'R':>7} {'F1':>7}  notes\n" + "-" * 110


def _sample(keys: list[str], limit: int | None) -> list[str]:
    """All keys, or `limit` of them evenly spread over the sorted list (sites cluster by name)."""
    if not limit or limit >= len(keys):
        return keys
    step = len(keys) / max(1, limit)
    return [keys[int(i * step)] for i in range(limit)]


def _warm_up() -> None:
    """One untimed extraction so lazy imports and stoplists do not land in the first page's time."""
    redline_body(b"<html><body><article><p>" + b"Warm-up sentence. " * 20 + b"</p></article>", None)


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
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    root = corpus_dir_or_exit(args.corpus, require=AEB)

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
    ids = _sample(sorted(ground_truth), args.limit)
    _warm_up()
    trafilatura_f1 = PUBLISHED_AEB["trafilatura"][1]
    autoextract_f1 = PUBLISHED_AEB["AutoExtract"][1]
    systems: list[tuple[str, Extractor]] = [("Redline extract_article", redline_body)]
    if args.plain:
        systems.append((f"trafilatura {version('trafilatura')} extract()", plain_trafilatura_body))
    for name, extractor in systems:
        timed = score_aeb(extractor, root, ground_truth, ids)
        s = timed.scores
        print(
            _row(
                f"{name} ({len(ids)} pages)",
                s.precision,
                s.recall,
                s.f1,
                f"F1 {s.f1:.4f}: ΔF1 {s.f1 - trafilatura_f1:+.4f} vs trafilatura 2.0.0, "
                f"{s.f1 - autoextract_f1:+.4f} vs AutoExtract; "
                f"ms/page median {timed.median_ms:.0f} mean {timed.mean_ms:.0f}",
            )
        )
    if args.limit:
        print(
            f"(--limit {args.limit}: Redline rows are not comparable with the full-corpus figures)"
        )

    # 3. trafilatura-evaldata
    if args.skip_evaldata:
        return 0
    if not (root / EVALDATA).is_dir():
        print(f"\n{EVALDATA}: not found under {root}, skipped")
        return 0
    evaldata = load_evaldata(root)
    urls = _sample(sorted(evaldata), args.limit)
    n_with = sum(len(evaldata[u]["with"]) for u in urls)
    n_without = sum(len(evaldata[u]["without"]) for u in urls)
    print(
        _header(
            f"trafilatura-evaldata: {len(urls)} pages, {n_with} text & {n_without} boilerplate"
            " snippets, F1 = 2TP/(2TP+FP+FN)"
        )
    )
    for label, (f1, p, r) in PUBLISHED_EVALDATA.items():
        print(_row(label, p, r, f1, "published (docs/evaluation.rst)"))
    published_f1 = PUBLISHED_EVALDATA["trafilatura 2.2.0 (standard)"][0]
    for name, extractor in systems:
        counts, times, missing = score_evaldata(extractor, root, evaldata, urls)
        note = (
            f"F1 {counts.f1:.4f}: ΔF1 {counts.f1 - published_f1:+.4f} vs trafilatura 2.2.0; "
            f"ms/page median {statistics.median(times) if times else 0:.0f} "
            f"mean {statistics.fmean(times) if times else 0:.0f}"
            f"; TP {counts.tp} FP {counts.fp} FN {counts.fn}"
            + (f"; {missing} pages missing" if missing else "")
        )
        print(
            _row(f"{name} ({len(times)} pages)", counts.precision, counts.recall, counts.f1, note)
        )
    if args.limit:
        print(f"(--limit {args.limit}: not comparable with the published full-corpus figures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
