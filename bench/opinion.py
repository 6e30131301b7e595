"""Choose the second extraction opinion on evidence: candidate extractors, alone and merged with
Redline's body, on the development half of trafilatura-evaldata.

    python -m bench.opinion --corpus ../shared/corpus [--limit N] [--split held-out]

For each candidate (resiliparse, readability-lxml, trafilatura's bundled readability, jusText,
html-text as the whole-page bound) two rows: the candidate alone (snippet P/R/F1, CPU ms/page),
and Redline with that candidate as its second extractor (`monitor.extract.opinion.merge`), beside
Redline with no second extractor and with no second opinion at all. Every page is run by every
system in turn (CPU time of this process). Development half only unless `--split held-out` is
given (for the final report; never tune on it). The corpus is read in place, nothing is written.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable

from bench.corpus import corpus_dir_or_exit
from bench.extract import (
    DEVELOPMENT,
    EVALDATA,
    SPLITS,
    _sample,
    evaldata_page,
    evaldata_split,
    load_evaldata,
)
from bench.extract_metric import SnippetCounts, snippet_counts
from monitor.extract import extraction, opinion

Lines = Callable[[str], list[str]]
# Block elements whose text is a paragraph of an extractor's HTML output.
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "pre")


def _html_blocks(markup: object) -> list[str]:
    from lxml.html import HtmlElement, fromstring

    root = markup if isinstance(markup, HtmlElement) else fromstring(str(markup) or "<div/>")
    texts = (" ".join(element.text_content().split()) for element in root.iter(*_BLOCKS))
    return [text for text in texts if text]


def readability_lxml(page: str) -> list[str]:
    from readability import Document

    return _html_blocks(Document(page).summary(html_partial=True))


def bundled_readability(page: str) -> list[str]:
    from trafilatura.readability_lxml import Document
    from trafilatura.utils import load_html

    tree = load_html(page)
    return _html_blocks(Document(tree).summary()) if tree is not None else []


def justext_lines(page: str) -> list[str]:
    import justext

    stoplist = frozenset().union(*(justext.get_stoplist(name) for name in ("English", "German")))
    return [p.text for p in justext.justext(page, stoplist) if not p.is_boilerplate]


def html_text(page: str) -> list[str]:
    import html_text as module

    return [line for line in module.extract_text(page).split("\n") if line.strip()]


CANDIDATES: dict[str, Lines] = {
    "resiliparse 2 (main content)": opinion.extractor_lines,
    "readability-lxml": readability_lxml,
    "trafilatura's bundled readability": bundled_readability,
    "jusText (en+de stoplists)": justext_lines,
    "html-text (whole page)": html_text,
}


def redline_with(lines: Lines | None, json_ld: bool = True) -> Callable[[str, str], str]:
    """Redline's body with `lines` as its second extractor (None: no second extractor), and
    the JSON-LD articleBody opinion on or off."""

    def body(page: str, url: str) -> str:
        saved = opinion.extractor_lines, opinion.json_ld_lines
        opinion.extractor_lines = lines or (lambda _page: [])  # type: ignore[assignment]
        if not json_ld:
            opinion.json_ld_lines = lambda _tree: []  # type: ignore[assignment]
        try:
            return extraction.extract_article(page, url=url).body
        finally:
            opinion.extractor_lines, opinion.json_ld_lines = saved

    return body


def _alone(lines: Lines) -> Callable[[str, str], str]:
    return lambda page, _url: "\n".join(lines(page))


def systems() -> dict[str, Callable[[str, str], str]]:
    table: dict[str, Callable[[str, str], str]] = {
        "Redline, no second opinion": redline_with(None, json_ld=False),
        "Redline + JSON-LD articleBody only": redline_with(None),
    }
    for name, lines in CANDIDATES.items():
        table[f"  {name} alone"] = _alone(lines)
        if not name.startswith("html-text"):
            table[f"Redline + JSON-LD + {name}"] = redline_with(lines)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.opinion", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    parser.add_argument("--limit", type=int, help="only N pages (evenly spread)")
    parser.add_argument("--split", choices=SPLITS, default=DEVELOPMENT, help="the half to score")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    root = corpus_dir_or_exit(args.corpus, require=EVALDATA)
    evaldata = load_evaldata(root)
    urls = [u for u in _sample(sorted(evaldata), args.limit) if evaldata_split(u) == args.split]
    table = systems()
    counts = {name: SnippetCounts() for name in table}
    times: dict[str, list[float]] = {name: [] for name in table}
    warm = "<html><body><article><p>" + "Warm-up sentence. " * 20 + "</p></article>"
    for run in table.values():
        run(warm, "")
    for index, url in enumerate(urls):
        raw = evaldata_page(root, evaldata[url]["file"])
        if raw is None:
            continue
        page = extraction.decode_page(raw)
        names = list(table) if index % 2 == 0 else list(reversed(table))
        for name in names:
            start = time.process_time()
            try:
                body = table[name](page, url)
            except Exception:  # a candidate failing on a page scores an empty body
                body = ""
            times[name].append((time.process_time() - start) * 1000)
            counts[name].add(snippet_counts(evaldata[url]["with"], evaldata[url]["without"], body))
    pages = len(times["Redline, no second opinion"])
    print(f"\nsecond opinion candidates, trafilatura-evaldata {args.split} half ({pages} pages)")
    print(f"{'system':<58} {'P':>6} {'R':>6} {'F1':>6} {'CPU ms median':>14} {'mean':>6}")
    print("-" * 100)
    for name in table:
        c, t = counts[name], times[name]
        print(
            f"{name:<58} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            f" {statistics.median(t):14.1f} {statistics.fmean(t):6.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
