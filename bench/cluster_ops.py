"""What an operator's cluster commands cost, in one run, on a real PostgreSQL (tests/pg.py):

1. `redline cluster add`: 1,000 article URLs on 200 domains in one process (`--from FILE`)
   beside one process per URL (a sample of ADD_SINGLES, extrapolated to 1,000);
2. the edit index (`redline cluster search`) at 100,000 and 1,000,000 edits side by side: its
   size on disk (table, GIN index and the others) and the time of a search (median of
   SEARCH_RUNS runs, the 20 newest hits, as the command asks) for a rare word, a common word, a
   phrase, a rare word on one site and a word found only in the oldest edits (the worst case of
   newest-first, should the planner walk the index on time). The rows are generated in
   PostgreSQL itself (generate_series: a vocabulary of 20,000 words, 8 words of old and 8 of new
   text per edit, 3 edits a change): a size and speed figure, not an accuracy one.

    python -m bench.cluster_ops [--edits 1000000]

Wall times on a shared machine move by ±15 %; CPU times (os.wait4) for the add are steadier.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import REPO_ROOT

ADD_URLS = 1000
ADD_DOMAINS = 200
ADD_SINGLES = 10
SEARCH_RUNS = 15
SCALES = (100_000, 1_000_000)
VOCABULARY = 20_000
SEARCHES = {
    "rare word (10 edits)": ("zanzibarite", None),
    "common word (10 % of edits)": ("council", None),
    "phrase (0.1 % of edits)": ('"budget vote"', None),
    "rare word, one site": ("zanzibarite", "site0.example"),
    "word only in the oldest 10 % (0.01 % of edits)": ("archivalword", None),
}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a command that must succeed (CPU from os.wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        assert child.stderr is not None
        raise SystemExit(f"{command[3:6]} failed: {child.stderr.read().decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def bench_add(pg_url: str, work: Path) -> None:
    redline = [sys.executable, "-m", "monitor", "cluster", "--pg", pg_url]
    timed([*redline, "init", "--dir", str(work / "shards")])
    urls = [f"https://www.site{n % ADD_DOMAINS}.example/news/{n}" for n in range(ADD_URLS)]
    listing = work / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    bulk_wall, bulk_cpu = timed([*redline, "add", "--from", str(listing)])  # shards created
    more = work / "more.txt"
    more.write_text("\n".join(url + "-2" for url in urls) + "\n", encoding="utf-8")
    singles = [timed([*redline, "add", f"https://single{n}.example/a"]) for n in range(ADD_SINGLES)]
    one_wall = statistics.median(wall for wall, _ in singles)
    one_cpu = statistics.median(cpu for _, cpu in singles)
    print(f"\n`cluster add`, {ADD_URLS:,} URLs on {ADD_DOMAINS} domains (64 shards)")
    print("| way | wall | CPU | per URL (wall) |")
    print("|---|---|---|---|")
    print(f"| one process, --from FILE, shard files created | {bulk_wall:.2f} s | "
          f"{bulk_cpu:.2f} s | {bulk_wall / ADD_URLS * 1000:.1f} ms |")  # fmt: skip
    again_wall, again_cpu = timed([*redline, "add", "--from", str(more)])
    print(f"| one process, --from FILE, into the same shards again | {again_wall:.2f} s | "
          f"{again_cpu:.2f} s | {again_wall / ADD_URLS * 1000:.1f} ms |")  # fmt: skip
    print(f"| one process per URL (median of {ADD_SINGLES}, ×{ADD_URLS:,}) | "
          f"{one_wall * ADD_URLS:.0f} s | {one_cpu * ADD_URLS:.0f} s | "
          f"{one_wall * 1000:.0f} ms |")  # fmt: skip
    print(f"one process is {one_wall * ADD_URLS / bulk_wall:.0f}× faster (wall), "
          f"{one_cpu * ADD_URLS / bulk_cpu:.0f}× less CPU")  # fmt: skip


def fill_index(conn: object, edits: int) -> float:
    """`edits` rows in redline_edits (3 a change, 64 shards, 200 sites) and their changes,
    generated in PostgreSQL; returns the seconds it took (GIN index built as rows arrive)."""
    started = time.perf_counter()
    words = (
        "(select string_agg('w' || (abs(hashtext(i::text || ':' || j || '{seed}')) % {v}), ' ') "
        "from generate_series(1, 8) j)"
    )
    # No parameters: the integers are ours, and `%` is SQL's modulo here.
    conn.execute(  # type: ignore[attr-defined]
        "insert into redline_changes (shard, change_id, url, site, title, detected_at, summary, "
        "kinds, significant, stealth, signature) select c % 64, c, "
        "'https://site' || (c % 200) || '.example/news/' || c, 'site' || (c % 200) || '.example', "
        "'Title ' || c, now() - make_interval(secs => c), 'quote changed', 'quote', 1, 0, 'x' "
        f"from generate_series(0, {edits // 3}) c"
    )
    conn.execute(  # type: ignore[attr-defined]
        "insert into redline_edits (shard, edit_id, change_id, detected_at, kind, field, old, "
        "new, significant) select (i / 3) % 64, i, i / 3, now() - make_interval(secs => i / 3), "
        "(array['quote', 'name', 'number', 'wording'])[1 + i % 4], 'body', "
        f"{words.format(seed='o', v=VOCABULARY)}, "
        f"{words.format(seed='n', v=VOCABULARY)} "
        "|| case when i % 10 = 0 then ' council' else '' end "
        "|| case when i % 1000 = 0 then ' budget vote' else '' end "
        f"|| case when i % 1000 = 7 and i > {edits * 9 // 10} then ' archivalword' else '' end "
        f"|| case when i % {edits // 10} = 0 then ' zanzibarite' else '' end, (i % 3 = 0)::int "
        f"from generate_series(0, {edits - 1}) i"
    )
    conn.execute("vacuum analyze redline_edits")  # type: ignore[attr-defined]
    conn.execute("vacuum analyze redline_changes")  # type: ignore[attr-defined]
    return time.perf_counter() - started


def bench_index(pg: object, scales: tuple[int, ...]) -> None:
    from monitor.cluster import coordination, search

    results = {}
    for edits in scales:
        pg_url = pg.create_database()  # type: ignore[attr-defined]
        with coordination.connect(pg_url) as conn:
            search.create_tables(conn)
            fill = fill_index(conn, edits)
            size = search.index_size(conn)
            times = {}
            for label, (query, site) in SEARCHES.items():
                runs = []
                for _ in range(SEARCH_RUNS):
                    started = time.perf_counter()
                    hits = search.search(conn, query, 20, site)
                    runs.append(time.perf_counter() - started)
                times[label] = (statistics.median(runs), len(hits))
        results[edits] = (fill, size, times)
    first, last = scales[0], scales[-1]
    print(f"\nedit index: {' vs '.join(f'{n:,}' for n in scales)} edits "
          "(generated in PostgreSQL; 3 edits a change)")  # fmt: skip
    print(f"| figure | {' | '.join(f'{n:,} edits' for n in scales)} | ratio |")
    print(f"|---|{'---|' * len(scales)}---|")
    fills = [results[n][0] for n in scales]
    print(f"| fill (insert + GIN) | {' | '.join(f'{f:.0f} s' for f in fills)} | "
          f"{fills[-1] / fills[0]:.1f}× |")  # fmt: skip
    for part in ("edits", "changes"):
        sizes = [results[n][1][part] for n in scales]
        print(f"| size of redline_{part} | {' | '.join(f'{s / 2**20:.0f} MiB' for s in sizes)} | "
              f"{sizes[-1] / sizes[0]:.1f}× |")  # fmt: skip
    per_edit = sum(results[last][1].values()) / last
    per_edits = [sum(results[n][1].values()) / n for n in scales]
    print(f"| bytes per edit (both tables, indexes included) | "
          f"{' | '.join(f'{b:.0f}' for b in per_edits)} | |")  # fmt: skip
    for label in SEARCHES:
        cells = [results[n][2][label] for n in scales]
        print(f"| search: {label}, 20 newest | "
              f"{' | '.join(f'{t * 1000:.1f} ms ({h} hits)' for t, h in cells)} | "
              f"{cells[-1][0] / cells[0][0]:.1f}× |")  # fmt: skip
    print(f"at {last:,} edits: {per_edit:.0f} bytes an edit; {first:,} → {last:,} is "
          f"{last / first:.0f}× the rows")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=SCALES[-1], help="the larger scale")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from tests.pg import PostgresServer, PostgresUnavailable

    try:
        pg = PostgresServer().start()
    except PostgresUnavailable as error:
        raise SystemExit(f"no PostgreSQL: {error} (make postgres-deps)") from error
    try:
        with tempfile.TemporaryDirectory(prefix="redline-bench-ops-") as work:
            bench_add(pg.create_database(), Path(work))
        bench_index(pg, (min(SCALES[0], args.edits // 10), args.edits))
    finally:
        pg.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
