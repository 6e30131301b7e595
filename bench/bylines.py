"""Bylines on trafilatura-evaldata, by half: Redline's extraction beside trafilatura's own.

    python -m bench.bylines [--corpus PATH] [--split development|held-out] [--examples N]

Every page whose ground truth names an `author` is extracted twice in one run: by
`extract_article` (trafilatura's byline, or the authors the page declares in JSON-LD and `<meta>`
when trafilatura's names none of them, `monitor.extract.metadata`) and by trafilatura's
`extract_metadata` alone. A byline is *right* when its words (case folded, "and"/"und"/"by"
left out) are the author's; it *covers* the author when it holds all of them. The halves are
`bench.extract`'s (fixed by a hash of the URL): the held-out half decides.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import corpus_dir_or_exit
from bench.edits import heading, ratio
from bench.extract import EVALDATA, SPLITS, evaldata_page, evaldata_split
from monitor.extract.extraction import extract_article

# Words a byline carries around names that say nothing about who wrote it.
_FILLER = frozenset({"and", "und", "et", "y", "by", "von", "de", "par", "por"})


def name_words(byline: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", byline.casefold()) if w not in _FILLER)


@dataclass
class Score:
    pages: int = 0
    right: int = 0
    covers: int = 0
    empty: int = 0
    cpu_s: float = 0.0
    wrong: list[str] = field(default_factory=list)

    def add(self, byline: str, author: str, cpu_s: float) -> None:
        got, truth = name_words(byline), name_words(author)
        self.pages += 1
        self.right += got == truth
        self.covers += bool(got) and truth <= got
        self.empty += not got
        self.cpu_s += cpu_s
        if got != truth:
            self.wrong.append(f"{byline!r} (author {author!r})")


def _author(value: Any) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value or "")


def _trafilatura_byline(html: bytes, url: str) -> str:
    from trafilatura.metadata import extract_metadata

    try:
        document = extract_metadata(html.decode("utf-8", "replace"), url)
    except Exception:  # trafilatura on a malformed page: no byline, as the pipeline would have
        return ""
    return str(getattr(document, "author", "") or "")


def run(root: Path, splits: tuple[str, ...]) -> dict[str, dict[str, Score]]:
    data = json.loads((root / EVALDATA / "evaldata.json").read_text("utf-8"))
    scores = {split: {"redline": Score(), "trafilatura": Score()} for split in splits}
    for url, item in sorted(data.items()):
        split = evaldata_split(url)
        author = _author(item.get("author"))
        if split not in scores or not author:
            continue
        html = evaldata_page(root, item["file"])
        if html is None:
            continue
        started = time.process_time()
        redline = extract_article(html, url).byline
        middle = time.process_time()
        plain = _trafilatura_byline(html, url)
        ended = time.process_time()
        scores[split]["redline"].add(redline, author, middle - started)
        scores[split]["trafilatura"].add(plain, author, ended - middle)
    return scores


def report(scores: dict[str, dict[str, Score]], examples: int) -> None:
    heading("Bylines on trafilatura-evaldata (development: tuned on; held-out: decides)")
    print(f"  {'split':<12} {'system':<12} {'pages':>5} {'right':>13} {'covers':>13} {'empty':>5}")
    for split, systems in scores.items():
        for name, s in systems.items():
            print(
                f"  {split:<12} {name:<12} {s.pages:>5} {s.right:>5} ({ratio(s.right, s.pages)})"
                f" {s.covers:>5} ({ratio(s.covers, s.pages)}) {s.empty:>5}"
            )
        redline, plain = systems["redline"], systems["trafilatura"]
        print(f"  {split}: right, Redline / trafilatura = {ratio(redline.right, plain.right)}")
        for line in redline.wrong[:examples]:
            print(f"    wrong: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bylines", description=__doc__)
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    parser.add_argument("--split", choices=SPLITS, help="only this half (default both)")
    parser.add_argument("--examples", type=int, default=0, help="wrong Redline bylines shown")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    root = corpus_dir_or_exit(args.corpus)
    report(run(root, (args.split,) if args.split else SPLITS), args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
