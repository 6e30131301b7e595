"""The cost of a browser fetch against a static one, side by side, on real pages.

    python -m bench.render --corpus ../shared/corpus [--pages 12] [--repeat 1]

The first pages of article-extraction-benchmark are served on 127.0.0.1 (`bench.serve_corpus`)
and checked for the first time (fetch, extract, store) by real `scrapy crawl check -a all=true`
subprocesses, the same pages twice: read statically, and read in the browser (their site set to
`render = browser`: scrapy-playwright and the system Chromium). Each side runs a one-page round
and an N-page round; the cost of a page is the difference divided by N - 1 (the fixed cost,
Scrapy's and the browser's start, is the one-page round). CPU and max RSS come from `os.wait4`
on each child, so the browser side's CPU includes Chromium's and Playwright's driver (children
the crawl waited for). A rendered page fetches what it links to (style sheets, scripts, images
on 127.0.0.1; anything on other hosts is refused by the guard, this machine being offline), as a
reader's browser would. Medians over `--repeat`, sides interleaved.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import corpus_dir_or_exit
from bench.crawl import RELAXED, Run, redline_command, run_scrapy, track
from bench.serve_corpus import CorpusServer, load_pages, page_path
from monitor import store
from monitor.crawl import crawl_env
from monitor.fetch.rendering import browser_problem
from monitor.store.rendering import set_site_render


def one_round(server: CorpusServer, urls: list[str], mode: str, work: Path, n: int) -> Run:
    db_path = work / f"{mode}-{len(urls)}-{n}.db"
    track(db_path, urls)
    if mode == "browser":
        db = store.open_db(db_path)
        set_site_render(db, urls[0], "browser", "benchmark", store.utc_now())
        db.close()
    log = work / f"{mode}-{len(urls)}-{n}.log"
    return run_scrapy(redline_command(RELAXED), crawl_env(db_path), log, len(urls))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    problem = browser_problem()
    if problem:
        raise SystemExit(f"bench.render: no browser here: {problem}")
    pages = load_pages(corpus_dir_or_exit(args.corpus), limit=args.pages)
    runs: dict[tuple[str, int], list[Run]] = {}
    with CorpusServer(pages) as server, tempfile.TemporaryDirectory() as tmp:
        base = f"http://127.0.0.1:{server.port}"
        urls = [base + page_path(0, page.page_id) for page in pages]
        for n in range(args.repeat):
            for mode in ("static", "browser") if n % 2 == 0 else ("browser", "static"):
                for count in (1, len(urls)):
                    run = one_round(server, urls[:count], mode, Path(tmp), n)
                    runs.setdefault((mode, count), []).append(run)
    big = len(pages)

    def median(mode: str, count: int, attribute: str) -> float:
        return statistics.median(getattr(r, attribute) for r in runs[(mode, count)])

    print(f"first sight of {big} real pages, static vs browser fetch, medians of {args.repeat}")
    print(f"{'':24}{'static':>12}{'browser':>12}{'ratio':>9}")
    rows = []
    for label, attribute in (("CPU s", "cpu_s"), ("wall s", "wall_s")):
        per_page = {
            mode: (median(mode, big, attribute) - median(mode, 1, attribute)) / (big - 1)
            for mode in ("static", "browser")
        }
        fixed = {mode: median(mode, 1, attribute) for mode in ("static", "browser")}
        rows.append((f"{label} per page", per_page))
        rows.append((f"{label}, 1-page round", fixed))
    rss = {mode: median(mode, big, "max_rss_mb") for mode in ("static", "browser")}
    rows.append(("crawl max RSS MB", rss))
    for label, values in rows:
        ratio = values["browser"] / values["static"] if values["static"] > 0 else float("nan")
        print(f"{label:24}{values['static']:12.3f}{values['browser']:12.3f}{ratio:8.1f}x")
    versions = {
        mode: sum(int(r.stats.get("redline/outcome/new_article", 0)) for r in runs[(mode, big)])
        for mode in ("static", "browser")
    }
    print(f"new articles stored: static {versions['static']}, browser {versions['browser']}")


if __name__ == "__main__":
    main()
