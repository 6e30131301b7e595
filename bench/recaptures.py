"""Edit detection on real pages captured twice by third parties (the re-capture set, issue 11).

    python -m bench.recaptures [--recaptures PATH] [--split development|heldout|both]
                               [--no-mutations] [--examples N]

The set (default `../recaptures` next to the repository root; read in place, never copied: the
pages belong to their publishers) holds pairs of captures of the same article URL, hand labels of
the editorial edits between them, and a development / held-out split fixed by hash before any
result was seen. Tune on development only; the held-out figures are the ones to report.

Per split:
1. Real pairs: compared by the crawl's own path (`monitor.record.pair.compare_pages`: both raw
   pages, extraction, boundary discount, roles, an empty history). No-edit pairs with a significant
   edit, beside a plain trafilatura text diff on the same pairs; on labelled pairs, the share of
   labels found with their kind and the share of reported kinds not in the labels.
2. The mutation suite of `bench.mutations` on the split's `new.html` pages (unseen pages).
3. Template swaps: each page's article moved into the template of the next page of the split,
   its byline reformatted and its lists renumbered; any significant edit is a false alarm.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import REPO_ROOT
from bench.edits import Failures, heading, mutation_suite, ratio, short, show_edit, table
from bench.templates import swap_template
from monitor.compare.comparison import compare, discount_known_text
from monitor.compare.edit import Edit
from monitor.compare.normalize import normalize_text
from monitor.extract.extraction import extract_article, page_text
from monitor.record.pair import compare_pages
from monitor.record.versions import RawPage

DEFAULT_RECAPTURES = REPO_ROOT.parent / "recaptures"
SPLITS = ("development", "heldout")


@dataclass(frozen=True)
class Pair:
    id: str
    url: str
    language: str
    labels: tuple[dict[str, str], ...]
    no_edit: bool
    old_html: bytes
    new_html: bytes


@dataclass
class PairResult:
    pair: Pair
    edits: list[Edit]
    plain_diff: bool  # a plain trafilatura text diff differs

    @property
    def significant(self) -> list[Edit]:
        return [e for e in self.edits if e.significant]


@dataclass
class SplitFigures:
    pairs: int = 0
    no_edit: int = 0
    alarmed: int = 0
    plain_alarmed: int = 0
    labels: int = 0
    labels_found: int = 0
    reported_kinds: int = 0
    unexpected_kinds: int = 0
    noise_kinds: Counter[str] = field(default_factory=Counter)
    swaps: int = 0
    swaps_alarmed: int = 0
    swap_kinds: Counter[str] = field(default_factory=Counter)


def recaptures_dir(option: str | Path | None) -> Path | None:
    path = Path(option).expanduser().resolve() if option else DEFAULT_RECAPTURES
    return path if (path / "manifest.json").is_file() else None


def load_pairs(root: Path) -> dict[str, list[Pair]]:
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    split = json.loads((root / "split.json").read_text("utf-8"))
    by_id: dict[str, Pair] = {}
    for entry in manifest:
        folder = root / "pairs" / entry["id"]
        by_id[entry["id"]] = Pair(
            id=entry["id"],
            url=entry["url"],
            language=entry.get("language", ""),
            labels=tuple(entry.get("labels") or ()),
            no_edit=bool(entry.get("no_edit")),
            old_html=(folder / "old.html").read_bytes(),
            new_html=(folder / "new.html").read_bytes(),
        )
    return {name: [by_id[i] for i in split[name] if i in by_id] for name in SPLITS}


def _decode(raw: bytes) -> str:
    from trafilatura.utils import decode_file

    decoded = decode_file(raw)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", "replace")


def crawl_compare(old_html: bytes, new_html: bytes, url: str) -> list[Edit]:
    """What a crawl reports between two captures: the crawl's own path
    (`monitor.record.pair.compare_pages`, as `redline compare`)."""
    return list(compare_pages(RawPage(old_html), RawPage(new_html), url).edits)


def _plain_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, deduplicate=False) or ""
    return normalize_text(text)


# ------------------------------------------------------------------ labels
_WORD = re.compile(r"\w+")


def _changed_words(old: str, new: str) -> Counter[str]:
    a, b = Counter(_WORD.findall(old.casefold())), Counter(_WORD.findall(new.casefold()))
    return (a - b) + (b - a)


def label_found(label: dict[str, Any], edits: list[Edit]) -> bool:
    """A significant edit of the label's kind that touches the words the label changed."""
    kind = label["kind"]
    changed = _changed_words(label.get("old", ""), label.get("new", ""))
    for edit in edits:
        if not edit.significant or edit.kind != kind:
            continue
        if kind == "headline":
            return edit.field == "title"
        words = Counter(_WORD.findall(f"{edit.old_sentence} {edit.new_sentence}".casefold()))
        if sum((words & changed).values()) >= min(2, sum(changed.values())):
            return True
    return False


# ------------------------------------------------------------------ one split
def run_pairs(pairs: list[Pair], figures: SplitFigures, failures: Failures, split: str) -> None:
    for pair in pairs:
        old_html, new_html = _decode(pair.old_html), _decode(pair.new_html)
        edits = crawl_compare(pair.old_html, pair.new_html, pair.url)
        plain = _plain_text(old_html) != _plain_text(new_html)
        result = PairResult(pair, edits, plain)
        figures.pairs += 1
        significant = result.significant
        if pair.no_edit:
            figures.no_edit += 1
            figures.plain_alarmed += plain
            if significant:
                figures.alarmed += 1
                figures.noise_kinds.update({e.kind for e in significant})
                for edit in significant:
                    failures.add(
                        f"recaptures {split}",
                        f"no-edit pair → significant {edit.kind}",
                        f"{pair.id}: {show_edit(edit)}",
                    )
            continue
        kinds = {label["kind"] for label in pair.labels}
        reported = {e.kind for e in significant}
        figures.reported_kinds += len(reported)
        figures.unexpected_kinds += len(reported - kinds)
        for kind in sorted(reported - kinds):
            example = next(e for e in significant if e.kind == kind)
            failures.add(
                f"recaptures {split}",
                f"edited pair → unexpected {kind}",
                f"{pair.id}: {show_edit(example)}",
            )
        for label in pair.labels:
            figures.labels += 1
            found = label_found(label, edits)
            figures.labels_found += found
            if not found:
                failures.add(
                    f"recaptures {split}",
                    f"label {label['kind']} missed",
                    f"{pair.id}: {short(label.get('old', ''), 60)!r} → "
                    f"{short(label.get('new', ''), 60)!r}",
                )


def run_swaps(pairs: list[Pair], figures: SplitFigures, failures: Failures, split: str) -> None:
    pages = [(p, _decode(p.new_html)) for p in pairs]
    for number, (pair, html) in enumerate(pages):
        template_pair, template_html = pages[(number + 1) % len(pages)]
        article = extract_article(html, pair.url)
        template = extract_article(template_html, template_pair.url)
        if article.is_empty() or template.is_empty():
            continue
        rng = random.Random(f"{pair.id}/swap")
        swapped = swap_template(html, article, template_html, template, rng)
        if swapped is None:
            continue
        new_html, applied = swapped
        figures.swaps += 1
        edits = compare(article, extract_article(new_html, pair.url))
        edits = discount_known_text(edits, page_text(html), page_text(new_html))
        significant = [e for e in edits if e.significant]
        if significant:
            figures.swaps_alarmed += 1
            figures.swap_kinds.update({e.kind for e in significant})
            for edit in significant:
                failures.add(
                    f"template swap {split}",
                    f"significant {edit.kind}",
                    f"{pair.id} into {template_pair.id} ({', '.join(applied)}): {show_edit(edit)}",
                )


def _mutation_pages(pairs: list[Pair]) -> Iterable[tuple[str, str, str | None]]:
    for pair in pairs:
        yield pair.id, _decode(pair.new_html), pair.url


def report(results: dict[str, SplitFigures]) -> None:
    heading("Re-captured pairs: summary per split (development = tuned on; heldout = not)")
    rows = []
    for split, f in results.items():
        rows.append(
            [
                split,
                f.pairs,
                f"{f.alarmed}/{f.no_edit}",
                f"{f.plain_alarmed}/{f.no_edit}",
                f"{f.labels_found}/{f.labels}",
                ratio(f.labels_found, f.labels),
                ratio(f.unexpected_kinds, f.reported_kinds),
                f"{f.swaps_alarmed}/{f.swaps}",
            ]
        )
    print(
        table(
            [
                "split",
                "pairs",
                "no-edit pairs alarmed",
                "plain trafilatura diff",
                "labels found",
                "kind recall",
                "unexpected kinds",
                "template swaps alarmed",
            ],
            rows,
        )
    )
    for split, f in results.items():
        noise = ", ".join(f"{k} {n}" for k, n in f.noise_kinds.most_common()) or "-"
        swaps = ", ".join(f"{k} {n}" for k, n in f.swap_kinds.most_common()) or "-"
        print(f"  {split}: kinds on no-edit pairs (pairs): {noise}")
        print(f"  {split}: kinds on template swaps (pages): {swaps}")


def run_recaptures(
    root: Path,
    splits: tuple[str, ...],
    failures: Failures,
    mutations: bool = True,
) -> dict[str, SplitFigures]:
    by_split = load_pairs(root)
    results: dict[str, SplitFigures] = {}
    for split in splits:
        pairs = by_split[split]
        heading(f"Re-captured pairs, {split} split ({len(pairs)} pairs from {root})")
        figures = SplitFigures()
        run_pairs(pairs, figures, failures, split)
        run_swaps(pairs, figures, failures, split)
        results[split] = figures
        if mutations:
            heading(f"Mutation suite on the {split} split's new.html pages (not the tuned corpus)")
            mutation_suite(_mutation_pages(pairs), len(pairs), failures, f"recaptures {split}")
    report(results)
    return results


def main(argv: list[str] | None = None) -> int:
    description = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.recaptures", description=description)
    parser.add_argument("--recaptures", help=f"re-capture set (default: {DEFAULT_RECAPTURES})")
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="both")
    parser.add_argument("--no-mutations", action="store_true", help="skip the mutation suite")
    parser.add_argument("--examples", type=int, default=3, help="examples per failure pattern")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    root = recaptures_dir(args.recaptures)
    if root is None:
        print("re-capture set not found (pass --recaptures PATH); skipped", file=sys.stderr)
        return 0
    failures = Failures()
    splits = SPLITS if args.split == "both" else (args.split,)
    run_recaptures(root, splits, failures, mutations=not args.no_mutations)
    heading("Failure patterns (most frequent first)")
    failures.print(args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
