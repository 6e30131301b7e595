"""Benchmark the memory of a check round: peak RSS of the `scrapy crawl check` child.

    python -m bench.memory --corpus ../shared/corpus [--pages 1000] [--small 181]

The 181 real pages of article-extraction-benchmark are served on 127.0.0.1 under `--pages`
distinct URLs (`/p/<n>/<id>.html`: each page under several paths, so every URL is its own
article). For a round of `--small` URLs and one of `--pages` URLs, each on a fresh database:
Redline's first sight (fetch + extract + store) and then an unchanged round (identical bytes),
and the bare spider fetching the same URLs, all as real subprocesses started the same way as in
`bench.crawl`. Peak RSS is the child's own `ru_maxrss` from `os.wait4`, and, with its
extraction worker processes, the peak of their summed RSS polled from /proc every ~0.1 s; the RSS
at 1/4, 1/2 and 3/4 of each run comes from polling `/proc/<pid>/status`, to tell a plateau from a
leak: growth between the two round sizes, per extra page, is the last column.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import corpus_dir_or_exit
from bench.crawl import (
    Run,
    bare_command,
    exit_on_sigterm,
    redline_command,
    run_scrapy,
    table,
    track,
)
from bench.serve_corpus import AEB, CorpusServer, load_pages
from monitor.crawl import crawl_env


def rss_at(run: Run, share: float) -> float:
    """RSS (MB) polled closest to `share` of the run's wall time."""
    if not run.rss_samples:
        return float("nan")
    moment = share * run.wall_s
    return min(run.rss_samples, key=lambda sample: abs(sample[0] - moment))[1]


def measure(server: CorpusServer, count: int, work: Path) -> dict[str, Run]:
    urls = server.urls(count)
    urls_file = work / f"urls-{count}.json"
    urls_file.write_text(json.dumps(urls))
    db_path = work / f"memory-{count}.db"
    track(db_path, urls)
    env = crawl_env(db_path)
    log = work / "child.log"
    return {
        "bare fetch": run_scrapy(bare_command(urls_file, extract=False), env, log, count),
        "redline first sight": run_scrapy(redline_command(), env, log, count),
        "redline unchanged": run_scrapy(redline_command(), env, log, count),
    }


def report(results: dict[int, dict[str, Run]]) -> str:
    sizes = sorted(results)
    rows: list[list[object]] = []
    for size in sizes:
        bare = results[size]["bare fetch"]
        for side, run in results[size].items():
            growth = ""
            if size == sizes[-1] and len(sizes) > 1:
                smaller = results[sizes[0]][side]
                extra = size - sizes[0]
                growth = f"{1024 * (run.max_rss_mb - smaller.max_rss_mb) / extra:.0f}"
            rows.append(
                [
                    side,
                    size,
                    run.wall_s,
                    rss_at(run, 0.25),
                    rss_at(run, 0.5),
                    rss_at(run, 0.75),
                    run.max_rss_mb,
                    f"{run.max_rss_mb / bare.max_rss_mb:.2f}x",
                    run.tree_rss_peak_mb,
                    f"{run.tree_rss_peak_mb / bare.tree_rss_peak_mb:.2f}x",
                    growth,
                ]
            )
    headers = [
        "round",
        "URLs",
        "wall s",
        "RSS MB @1/4",
        "@1/2",
        "@3/4",
        "peak RSS MB",
        "vs bare fetch",
        "with workers MB",
        "vs bare fetch",
        f"KB per extra URL ({sizes[0]}->{sizes[-1]})",
    ]
    return (
        "Memory of a check round (the scrapy child's own peak RSS, os.wait4; RSS over the run "
        "polled from /proc; 'with workers' adds the RSS of its extraction worker processes, "
        "summed at each poll)\n" + table(headers, rows, left=(0,))
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    parser.add_argument("--pages", type=int, default=1000, help="URLs in the big round")
    parser.add_argument("--small", type=int, default=181, help="URLs in the small round (0: none)")
    options = parser.parse_args(argv)
    exit_on_sigterm()
    pages = load_pages(corpus_dir_or_exit(options.corpus, require=AEB))
    started = time.perf_counter()
    results: dict[int, dict[str, Run]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="redline-bench-memory-") as tmp,
        CorpusServer(pages) as server,
    ):
        for count in sorted({options.small, options.pages} - {0}):
            results[count] = measure(server, count, Path(tmp))
            print(f"  ({count} URLs measured)", file=sys.stderr, flush=True)
    print(report(results))
    print(f"\n(bench.memory took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
