"""Edit detection on `../shared/corpus/recaptures-hard`: 27 hard real pairs (development data only).

    python -m bench.hard [--corpus PATH] [--examples N]

Each HTML pair goes through `monitor.record.pair.compare_pages`, the crawl's own path (both raw
pages, boundary discount, roles, an empty site memory); a text pair (first line the headline)
through `compare_versions` without raw pages, as `redline compare` on text files. Figures, as the
set's README scores them:
- no-edit pairs (`expected_kinds` empty or only `cosmetic`) with a significant edit, and with a
  significant edit of a kind outside `also_acceptable`;
- kind recall: labelled kinds (but `cosmetic`) found as a significant edit of that kind or a
  more specific one (`quote` for `sentence_changed`, `quote_added` for `sentence_added`...); a
  kind never significant by design (`typo`, `published_date`) counts when it is reported;
- unexpected kinds: reported significant kinds (per pair) outside the labels, their more specific
  kinds and `also_acceptable`.
This set is development data: the figures are development figures, never held-out ones. Another
set laid out the same way (`--corpus DIR`: a folder of pairs, each with its `case.json`) is
headed by its own name: whether it is held out is the caller's split, not this module's.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.edits import heading, ratio, show_edit
from monitor.compare.edit import BASE_SCORE, SIGNIFICANT_AT, Edit
from monitor.extract.article import Article
from monitor.record.pair import compare_pages
from monitor.record.versions import RawPage, compare_versions

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "recaptures-hard"
# A label is satisfied by its own kind or a more specific one (the set's README).
MORE_SPECIFIC = {
    "sentence_changed": {"quote", "name", "number"},
    "sentence_added": {"quote_added"},
    "sentence_removed": {"quote_removed"},
}


@dataclass
class Figures:
    pairs: int = 0
    no_edit: int = 0
    alarmed: int = 0
    alarmed_outside: int = 0
    labels: int = 0
    found: int = 0
    reported: int = 0
    unexpected: int = 0
    cpu_s: float = 0.0
    failures: list[str] = field(default_factory=list)


def _text_article(raw: bytes) -> Article:
    title, _, body = raw.decode("utf-8", "replace").partition("\n")
    return Article(title=title.strip(), body=body.strip())


def compare_case(folder: Path) -> list[Edit]:
    case = json.loads((folder / "case.json").read_text("utf-8"))
    if case["format"] == "html":
        old, new = (gzip.decompress((folder / f"{v}.html.gz").read_bytes()) for v in ("v1", "v2"))
        return list(compare_pages(RawPage(old), RawPage(new), case.get("url", "")).edits)
    old, new = (gzip.decompress((folder / f"{v}.txt.gz").read_bytes()) for v in ("v1", "v2"))
    return list(compare_versions(_text_article(old), _text_article(new)).edits)


def score_case(folder: Path, edits: list[Edit], figures: Figures) -> None:
    case = json.loads((folder / "case.json").read_text("utf-8"))
    expected = set(case["expected_kinds"]) - {"cosmetic"}
    acceptable = set(case.get("also_acceptable") or ())
    significant = [e for e in edits if e.significant]
    kinds = {e.kind for e in significant}
    name = folder.name
    figures.pairs += 1
    if not expected:
        figures.no_edit += 1
        figures.alarmed += bool(significant)
        outside = [e for e in significant if e.kind not in acceptable]
        figures.alarmed_outside += bool(outside)
        figures.failures += [f"{name}: no-edit pair → {show_edit(e)}" for e in significant]
        return
    # kinds that are never significant by design (typo, published_date) count when reported
    recorded = kinds | {e.kind for e in edits if BASE_SCORE[e.kind] < SIGNIFICANT_AT}
    for label in sorted(expected):
        figures.labels += 1
        if recorded & ({label} | MORE_SPECIFIC.get(label, set())):
            figures.found += 1
        else:
            figures.failures.append(f"{name}: label {label} missed")
    allowed = expected | acceptable | {k for e in expected for k in MORE_SPECIFIC.get(e, ())}
    figures.reported += len(kinds)
    figures.unexpected += len(kinds - allowed)
    for kind in sorted(kinds - allowed):
        example = next(e for e in significant if e.kind == kind)
        figures.failures.append(f"{name}: unexpected {show_edit(example)}")


def run(root: Path) -> Figures:
    figures = Figures()
    for folder in sorted(p for p in root.iterdir() if (p / "case.json").is_file()):
        started = time.process_time()
        edits = compare_case(folder)
        figures.cpu_s += time.process_time() - started
        score_case(folder, edits, figures)
    return figures


def report(figures: Figures, examples: int, root: Path = DEFAULT) -> None:
    if root.name == DEFAULT.name:
        heading("recaptures-hard (development data: tuned on, never a held-out figure)")
    else:  # another set of the same layout: development or held out as the caller split it
        heading(f"{root.name} ({root.parent.name}): a set of the same layout, as its split says")
    quiet = figures.no_edit - figures.alarmed
    print(f"  pairs {figures.pairs}; no-edit {figures.no_edit}")
    print(
        f"  no-edit pairs without a significant edit: {quiet}/{figures.no_edit} "
        f"({ratio(quiet, figures.no_edit)}; target ≥ 0.90); with one outside also_acceptable: "
        f"{figures.alarmed_outside}"
    )
    print(
        f"  kind recall {figures.found}/{figures.labels} ({ratio(figures.found, figures.labels)}; "
        f"target ≥ 0.90); unexpected kinds {figures.unexpected}/{figures.reported} "
        f"({ratio(figures.unexpected, figures.reported)}; target ≤ 0.15)"
    )
    print(f"  CPU {figures.cpu_s:.1f} s for {figures.pairs} pairs, extraction included")
    for line in figures.failures[: examples if examples >= 0 else None]:
        print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hard", description=__doc__)
    parser.add_argument(
        "--corpus", help=f"the set, or the corpus folder holding it (default: {DEFAULT})"
    )
    parser.add_argument("--examples", type=int, default=-1, help="failures shown (default all)")
    args = parser.parse_args(argv)
    root = Path(args.corpus) if args.corpus else DEFAULT
    if (root / DEFAULT.name).is_dir():  # the corpus folder, as the other benches take it
        root = root / DEFAULT.name
    if not root.is_dir():
        print(f"recaptures-hard not found at {root}; skipped", file=sys.stderr)
        return 0
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    report(run(root), args.examples, root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
