"""Benchmark Redline's check rounds against a bare Scrapy spider, side by side, on real pages.

    python -m bench.crawl --corpus ../shared/corpus [--sizes 150:5,1000:5]
        [--rounds first,unchanged,304] [--base ../wt-main] [--churn] [--profile]

The 181 pages of article-extraction-benchmark are served on 127.0.0.1 (`bench.serve_corpus`);
rounds of more pages serve them again under other URLs. Both sides are real `python -m scrapy`
subprocesses started from the repository root with the project's settings and the same
politeness relaxation (`RELAXED`, benchmark only): Redline's `scrapy crawl check -a all=true` (as
`monitor.crawl` starts it) and `bench/bare_spider.py`, which fetches the same URLs and does
nothing with them (or, with `extract=true`, one `trafilatura.bare_extraction` per page). For each
size, `pairs` times, from a fresh database:

- first sight: fetch + extract + store, against bare fetch + one trafilatura pass;
- unchanged: identical bytes, and the server ignores If-None-Match (always 200, full body);
- 304: the server answers Redline's If-None-Match with 304 (the bare spider sends the same);
- churn (`--churn`): the bytes change outside the article only (render stamp, comment, script
  token, related links), so Redline must extract and compare to find that nothing changed.

The sides of a pair run one after the other, in an order rotated by one place each pair
(`side_order`: over as many pairs as there are sides, every side runs once in every position;
with two sides, which goes first alternates); each pair's
ratio is reported (the targets hold for every pair, not only the median), with medians and
ranges. Times are wall clock of the whole subprocess (Scrapy's start-up is in both sides) and
Scrapy's own `elapsed_time_seconds` (spider opened to closed). CPU and max RSS come from
`os.wait4` on each child: its CPU includes that of the extraction worker processes it started
(`REDLINE_EXTRACT_WORKERS`, one per core by default), which the bare spider does not have;
"+workers MB" is the peak of the child's RSS plus that of every process below it (its workers,
and the zygote they fork from), polled: pages a forked worker shares with the zygote count in
each, so a side with a zygote is overstated. "cores used" is the side's CPU over its crawl's span,
and "runnable" how many of the child and its workers were running or waiting for a core (state R
in /proc), polled with the RSS: a side whose runnable count is above its cores used was waiting
for a core, not for work (issue 23: at first sight the workers stay runnable). "reactor CPU
ms/page" is the CPU of the child's reactor thread over the spider's span, and "other threads"
that of its other threads (Redline's writer) over the same span (`bench.thread_clock`, median
[range]): steadier than wall ratios on a shared machine, and where a rate on loopback is
decided. With `--base DIR` (another checkout, e.g. `git worktree add ../wt-main main`), that
checkout's Redline runs in every pair too, on its own database and from its own folder (its
code, this Python): a before and after measured side by side under the same load. With
`--profile`, a
first-sight, an unchanged and a 304 round then run under pyinstrument (in the child) and the top
costs are printed; pyinstrument samples the reactor's thread only. It is in the bench extra
(`pip install -e '.[bench]'`); without it `--profile` stops at once with one line saying so.
With `--noise`, the bare spider (or fetch + trafilatura) runs a second time in every pair, next to
Redline's side, and its ratio to the first is reported beside Redline's: the spread two runs
of the same program show on this machine, below which no pair's ratio can be read.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from bench.corpus import REPO_ROOT, corpus_dir_or_exit
from bench.serve_corpus import AEB, CorpusPage, CorpusServer, load_pages
from monitor import store
from monitor.crawl import crawl_command, crawl_env

BARE_SPIDER = REPO_ROOT / "bench" / "bare_spider.py"
# Politeness relaxed for the benchmark only (our own server on loopback), same on both sides.
# robots.txt stays obeyed (one request per round on both sides), as in production.
RELAXED = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ROBOTSTXT_OBEY": "True",
    "LOG_LEVEL": "INFO",
}
CHILD_TIMEOUT_S = 900
# Each measured side's CPU split by thread (`bench.thread_clock`): the reactor's, and the rest.
THREAD_CLOCK = "bench.thread_clock.ThreadClock"
_STAT = re.compile(r"'([\w/.-]+)': (\d+(?:\.\d+)?)[,}]")


# ------------------------------------------------------------------ running a scrapy child
@dataclass
class Run:
    """One scrapy subprocess: wall time, Scrapy's own elapsed time, CPU, peak RSS, its stats."""

    pages: int
    wall_s: float
    elapsed_s: float
    cpu_s: float
    max_rss_mb: float
    stats: dict[str, float] = field(default_factory=dict)
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB)
    # the child plus its own children (Redline's extraction workers), polled every ~0.1 s
    tree_rss_peak_mb: float = 0.0
    # how many of them were running or waiting for a core (state R), at the same polls
    runnable: list[int] = field(default_factory=list)
    # where the run came in its pair (0: first), set by `_pair`
    position: int = 0

    @property
    def cores_used(self) -> float:
        """CPU over the crawl's span: the cores the side had on average (start-up included)."""
        return self.cpu_s / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def runnable_mean(self) -> float:
        return statistics.fmean(self.runnable) if self.runnable else 0.0

    @property
    def startup_s(self) -> float:
        return self.wall_s - self.elapsed_s

    @property
    def reactor_cpu_s(self) -> float | None:
        """CPU of the reactor's thread over the spider's span (None: not measured)."""
        return self.stats.get("bench/reactor_cpu_s")

    @property
    def other_threads_cpu_s(self) -> float | None:
        """CPU of the process's other threads (Redline's writer) over the same span."""
        process = self.stats.get("bench/process_cpu_s")
        if process is None or self.reactor_cpu_s is None:
            return None
        return process - self.reactor_cpu_s


def run_scrapy(
    command: Sequence[str], env: dict[str, str], log: Path, pages: int, cwd: Path = REPO_ROOT
) -> Run:
    """Run one scrapy child from the repository root (or `cwd`: another checkout, whose code
    then runs); its log goes to `log`. Fails loudly."""
    with open(log, "wb") as output:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=output, stderr=output)
        deadline = started + CHILD_TIMEOUT_S
        samples: list[tuple[float, float]] = []
        tree_peak, polls = 0.0, 0
        runnable: list[int] = []
        # os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would be a running maximum).
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                raise SystemExit(f"error: {' '.join(command[:6])} timed out; log in {log}")
            rss = _rss_mb(child.pid)
            if rss is not None:
                samples.append((time.perf_counter() - started, rss))
                if polls % 5 == 0:
                    table = _process_table()
                    below = _descendants(child.pid, table)
                    tree_peak = max(tree_peak, rss + sum(map(_rss_or_0, below)))
                    runnable.append(
                        sum(table.get(one, (0, ""))[1] == "R" for one in (child.pid, *below))
                    )
            polls += 1
            time.sleep(0.02)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if child.returncode != 0 or "Traceback" in text:
        tail = text[-3000:]
        raise SystemExit(f"error: scrapy child failed ({child.returncode}), log {log}:\n{tail}")
    stats = {
        key: float(value) for key, value in _STAT.findall(text.split("Dumping Scrapy stats", 1)[-1])
    }
    return Run(
        pages=pages,
        wall_s=wall,
        elapsed_s=stats.get("elapsed_time_seconds", wall),
        cpu_s=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,
        stats=stats,
        rss_samples=samples,
        tree_rss_peak_mb=max(tree_peak, usage.ru_maxrss / 1024),
        runnable=runnable,
    )


def _rss_mb(pid: int) -> float | None:
    """The process's resident set size now, from /proc (None once it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _rss_or_0(pid: int) -> float:
    return _rss_mb(pid) or 0.0


def _process_table() -> dict[int, tuple[int, str]]:
    """Every process now: its parent and its state letter ("R": running or waiting for a
    core, "S": asleep...), from /proc/*/stat."""
    processes: dict[int, tuple[int, str]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        processes[int(entry.name)] = (int(fields[1]), fields[0])
    return processes


def _descendants(pid: int, table: dict[int, tuple[int, str]] | None = None) -> list[int]:
    """Processes below `pid` (its workers, and those a zygote forked), from `table`
    (`_process_table`, read now when not given)."""
    children: dict[int, list[int]] = {}
    for below, (parent, _) in (table if table is not None else _process_table()).items():
        children.setdefault(parent, []).append(below)
    found, stack = [], list(children.get(pid, []))
    while stack:
        below = stack.pop()
        found.append(below)
        stack.extend(children.get(below, []))
    return found


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so temporary directories (gigabytes for bench.store) are
    removed when a benchmark is stopped."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]


def redline_command(settings: dict[str, str] = RELAXED) -> list[str]:
    return crawl_command("check", {"all": "true"}, settings)


def bare_command(urls_file: Path, extract: bool, settings: dict[str, str] = RELAXED) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "runspider", str(BARE_SPIDER)]
    command += ["-a", f"urls={urls_file}"]
    if extract:
        command += ["-a", "extract=true"]
    return command + settings_args(settings)


def clocked(command: list[str], cwd: Path) -> list[str]:
    """`command` with the thread clock on, when the checkout at `cwd` has it (an older `--base`
    may not: its side then has no reactor column)."""
    if not (cwd / "bench" / "thread_clock.py").is_file():
        return command
    return [*command, "-s", "EXTENSIONS=" + json.dumps({THREAD_CLOCK: 0})]


def track(db_path: Path, urls: Iterable[str]) -> None:
    """A fresh Redline database tracking `urls` (as `redline add` would)."""
    db = store.open_db(db_path)
    try:
        now = store.utc_now()
        for url in urls:
            store.track_article(db, url, now)
    finally:
        db.close()


def track_with(cwd: Path, db_path: Path, urls_file: Path) -> None:
    """`track` run by the Redline of the checkout at `cwd`: a database made by this checkout's
    code would carry migrations an older `--base` refuses to open."""
    if cwd == REPO_ROOT:
        track(db_path, json.loads(urls_file.read_text()))
        return
    code = (
        "import json, pathlib, sys; from bench.crawl import track; "
        "track(pathlib.Path(sys.argv[1]), json.loads(pathlib.Path(sys.argv[2]).read_text()))"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path), str(urls_file)], cwd=cwd, check=True)


# ------------------------------------------------------------------ output
def table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], left: Sequence[int] = (0, 1)
) -> str:
    """A plain-text table: the `left` columns left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        parts = [
            row[i].ljust(widths[i]) if i in left else row[i].rjust(widths[i])
            for i in range(len(headers))
        ]
        lines.append("  " + "  ".join(parts).rstrip())
        if number == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


# ------------------------------------------------------------------ the rounds
REDLINE = "redline check -a all=true"
BASE = "the same, --base checkout"
BARE = "bare fetch"
# The round's bare side run once more in each pair, in Redline's place (`--noise`).
AGAIN = "the bare side again"
BARE_TRAF = "bare fetch + trafilatura"
FIRST, UNCHANGED, NOT_MODIFIED, CHURN = "first sight", "unchanged", "304", "churn"


@dataclass
class Results:
    """Every run, by (pages, round, side), in pair order: run i of one side and run i of the
    other were made one after the other (a pair)."""

    runs: dict[tuple[int, str, str], list[Run]] = field(default_factory=lambda: defaultdict(list))
    outcomes: dict[tuple[int, str], dict[str, float]] = field(default_factory=dict)

    def add(self, pages: int, round_name: str, side: str, run: Run) -> None:
        self.runs[(pages, round_name, side)].append(run)
        if side == REDLINE:
            self.outcomes[(pages, round_name)] = {
                key.removeprefix("redline/outcome/"): value
                for key, value in run.stats.items()
                if key.startswith("redline/outcome/")
            }

    def of(self, pages: int, round_name: str, side: str) -> list[Run]:
        return self.runs.get((pages, round_name, side), [])


@dataclass(frozen=True)
class Checkout:
    """Where a Redline side runs: its database and its code (this repository, or `--base`)."""

    side: str
    db_path: Path
    cwd: Path = REPO_ROOT


def _pair(
    results: Results,
    checkouts: list[Checkout],
    log: Path,
    pages: int,
    number: int,
    noise: bool,
    round_name: str,
    sides: list[tuple[str, list[str]]],
) -> None:
    """Run the sides of one round one after the other, recording each: Redline's once per
    checkout, the bare spider's once, and with `noise` once more (`AGAIN`), in the order
    `side_order` gives pair `number`."""
    (_, redline), (bare, bare_run) = sides
    runs = [(c.side, clocked(redline, c.cwd), crawl_env(c.db_path), c.cwd) for c in checkouts]
    bare_side = (clocked(bare_run, REPO_ROOT), crawl_env(checkouts[0].db_path), REPO_ROOT)
    if noise:
        runs.insert(1, (AGAIN, *bare_side))
    runs.append((bare, *bare_side))
    for position, index in enumerate(side_order(len(runs), number)):
        side, command, env, cwd = runs[index]
        run = run_scrapy(command, env, log, pages, cwd)
        run.position = position
        results.add(pages, round_name, side, run)


def side_order(sides: int, number: int) -> list[int]:
    """The order in which pair `number` runs its `sides` (indices): the sides rotated by one
    place a pair, so that over any `sides` consecutive pairs every side runs once in every
    position (first, second, ..., last). With two sides (Redline and the bare spider) this is
    the alternation of which goes first. Before, with three or four sides, the order was only
    reversed every other pair, so `--base` and `--noise`'s second bare run always ran in the
    middle: the same code measured 2.98 ms a page of the reactor's CPU as the primary side and
    2.57 as `--base` (session 17), a position effect suspected, not proven. Pairs in a
    multiple of the sides' number balance the positions exactly."""
    shift = number % sides
    return [*range(shift, sides), *range(shift)]


def run_rounds(
    server: CorpusServer,
    urls: list[str],
    work: Path,
    pairs: int,
    results: Results,
    churn: bool = False,
    rounds: frozenset[str] = frozenset({"first", "unchanged", "304"}),  # `ROUNDS`
    base: Path | None = None,
    noise: bool = False,
    keep: Path | None = None,
) -> None:
    """`pairs` interleaved pairs of each round over `urls`, the sides' order rotated each pair
    (`side_order`).
    Each pair starts from a fresh database: first sight, then unchanged, then 304. A round left
    out of `rounds` is not measured (when first sight is not, each side runs it once, unpaired,
    and every pair starts from a copy of the database it filled).
    With `base`, another checkout's Redline runs beside this one's, on its own database; with
    `noise`, the bare side runs twice in each pair (`AGAIN`). With `keep` (a folder) and first
    sight not measured, each checkout's filled database is kept there (`kept_db`) and used
    again by later runs instead of filling one anew."""
    urls_file = work / "urls.json"
    urls_file.write_text(json.dumps(urls))
    pages = len(urls)
    log = work / "child.log"
    filled: dict[str, Path] = {}  # side -> its database after first sight, when unmeasured
    for number in range(pairs):
        checkouts = [Checkout(REDLINE, work / f"round-{number}.db")]
        if base is not None:
            checkouts.append(Checkout(BASE, work / f"base-{number}.db", base))
        pair = partial(_pair, results, checkouts, log, pages, number, noise)
        server.churn, server.conditional = 0, False
        if "first" in rounds:
            for checkout in checkouts:
                track_with(checkout.cwd, checkout.db_path, urls_file)
            pair(
                FIRST,
                [(REDLINE, redline_command()), (BARE_TRAF, bare_command(urls_file, extract=True))],
            )
        else:
            # First sight is not measured: each side fills a database once, with its own code,
            # and every pair starts from a copy of it.
            for checkout in checkouts:
                kept = kept_db(keep, pages, checkout.cwd) if keep is not None else None
                if checkout.side not in filled and kept is not None and kept.is_file():
                    filled[checkout.side] = kept
                if checkout.side not in filled:
                    track_with(checkout.cwd, checkout.db_path, urls_file)
                    run_scrapy(
                        redline_command(), crawl_env(checkout.db_path), log, pages, checkout.cwd
                    )
                    filled[checkout.side] = kept or work / f"filled-{len(filled)}.db"
                    _copy_db(checkout.db_path, filled[checkout.side])
                else:
                    _copy_db(filled[checkout.side], checkout.db_path)
        if "unchanged" in rounds:
            pair(UNCHANGED, [(REDLINE, redline_command()), (BARE, bare_command(urls_file, False))])
        server.conditional = True
        etags_file = work / "etags.json"
        etags_file.write_text(json.dumps({url: server.etag(url) for url in urls}))
        if "304" in rounds:
            pair(
                NOT_MODIFIED,
                [(REDLINE, redline_command()), (BARE, bare_command(etags_file, False))],
            )
        if churn:
            server.churn, server.conditional = number + 1, False
            pair(CHURN, [(REDLINE, redline_command()), (BARE, bare_command(urls_file, False))])
        server.churn, server.conditional = 0, False
        for checkout in checkouts:
            _remove_db(checkout.db_path)
    for path in filled.values():
        if keep is None or path.parent != keep:
            _remove_db(path)


def kept_db(keep: Path, pages: int, cwd: Path) -> Path:
    """Where `--keep-filled` keeps the database the checkout at `cwd` filled at first sight of
    `pages` pages (one per checkout: an older `--base` may refuse a newer one's database)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", str(cwd.resolve())).strip("-")
    return keep / f"filled-{pages}-{slug}.db"


def server_port(keep: Path | None) -> int:
    """The port to serve the corpus on: the one the databases kept in `keep` were filled from
    (their articles' URLs name it), else any free one (0)."""
    if keep is not None and (keep / "port").is_file():
        return int((keep / "port").read_text())
    return 0


def _copy_db(source: Path, target: Path) -> None:
    """A copy of the SQLite database `source` (its log included) at `target`."""
    import sqlite3

    _remove_db(target)
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def in_process_extraction(pages: list[CorpusPage], urls: list[str]) -> tuple[float, float]:
    """CPU seconds per page to extract the pages in-process: one trafilatura.bare_extraction (as
    the bare spider does) and Redline's `extract_article`."""
    import trafilatura

    from monitor.extract.extraction import extract_article

    html = [p.html for p in pages]
    started = time.process_time()
    for body, url in zip(html, urls, strict=False):
        trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False)
    bare = time.process_time() - started
    started = time.process_time()
    for body, url in zip(html, urls, strict=False):
        extract_article(body, url=url)
    return bare / len(html), (time.process_time() - started) / len(html)


# ------------------------------------------------------------------ the report
# Targets of issue 23, measured pair by pair (every pair, not only the median).
TARGET_RATE_RATIO = 0.95  # unchanged and 304 rounds: at least this share of the bare fetch rate
TARGET_FIRST_SIGHT = 1.0  # first sight: at most this many times bare fetch + trafilatura's wall
TARGET_FIRST_SIGHT_CPU = 2.0  # ... and at most this many times its CPU per page


def spread(values: Sequence[float]) -> str:
    """median [min-max] of a few values."""
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def side_row(pages: int, round_name: str, side: str, runs: list[Run]) -> list[object]:
    walls = [r.wall_s for r in runs]
    return [
        pages,
        round_name,
        side,
        len(runs),
        spread(walls),
        f"{pages / statistics.median(walls):.0f}",
        spread([r.elapsed_s for r in runs]),
        spread([r.startup_s for r in runs]),
        spread([r.cpu_s for r in runs]),
        f"{1000 * statistics.median(r.cpu_s for r in runs) / pages:.1f}",
        _per_page([r.reactor_cpu_s for r in runs], pages),
        _per_page([r.other_threads_cpu_s for r in runs], pages),
        f"{statistics.median(r.tree_rss_peak_mb for r in runs):.0f}",
        f"{statistics.median(r.cores_used for r in runs):.2f}",
        f"{statistics.median(r.runnable_mean for r in runs):.2f}",
    ]


def _per_page(seconds: list[float | None], pages: int) -> str:
    """ms a page: median [min-max] of the runs, or "-" when a run did not measure it."""
    if not seconds or any(s is None for s in seconds):
        return "-"
    return spread([1000 * s / pages for s in seconds if s is not None])


def ratio_row(
    pages: int, round_name: str, base: str, ratios: list[float], cpu: list[float], goal: str
) -> list[object]:
    """One round's per-pair ratios (Redline against `base`) and whether every pair met `goal`."""
    if round_name == FIRST:
        met = all(r <= TARGET_FIRST_SIGHT for r in ratios) and all(
            c <= TARGET_FIRST_SIGHT_CPU for c in cpu
        )
    else:
        met = all(r >= TARGET_RATE_RATIO for r in ratios)
    return [
        pages,
        round_name,
        base,
        len(ratios),
        spread(ratios),
        " ".join(f"{r:.2f}" for r in ratios),
        spread(cpu),
        goal,
        "yes" if met else "NO",
    ]


def _ratio_row(
    pages: int, round_name: str, label: str, base: str, mine: list[Run], theirs: list[Run]
) -> list[object]:
    """One Redline side against `base`, pair by pair."""
    pairs = list(zip(mine, theirs, strict=False))
    cpu = [m.cpu_s / t.cpu_s for m, t in pairs]
    if round_name in (FIRST, CHURN):
        ratios = [m.wall_s / t.wall_s for m, t in pairs]
        goal = (
            f"time <= {TARGET_FIRST_SIGHT}x, CPU <= {TARGET_FIRST_SIGHT_CPU}x"
            if round_name == FIRST
            else "(info: time, CPU vs bare fetch)"
        )
    else:
        ratios = [t.wall_s / m.wall_s for m, t in pairs]
        goal = f"rate >= {TARGET_RATE_RATIO}x bare, every pair"
    row = ratio_row(pages, round_name, base, ratios, cpu, goal)
    row[1] = label
    return row


POSITIONS = ("1", "2", "3", "4")  # at most four sides: Redline, --base, --noise's, the bare


def position_rows(results: Results, sizes: list[int]) -> list[list[object]]:
    """For each round and side measured, its runs by position in their pair: "wall s / reactor
    CPU ms a page (runs)", medians."""
    rows: list[list[object]] = []
    for (pages, round_name, side), runs in sorted(results.runs.items()):
        if pages not in sizes:
            continue
        cells: list[object] = []
        for position in range(len(POSITIONS)):
            there = [run for run in runs if run.position == position]
            if not there:
                cells.append("")
                continue
            wall = statistics.median(run.wall_s for run in there)
            reactor = [run.reactor_cpu_s for run in there if run.reactor_cpu_s is not None]
            ms = f"{1000 * statistics.median(reactor) / pages:.2f}" if reactor else "-"
            cells.append(f"{wall:.2f} s / {ms} ({len(there)})")
        rows.append([pages, round_name, side, *cells])
    return rows


def report(results: Results, sizes: list[int], extraction: tuple[float, float], took: float) -> str:
    side_rows: list[list[object]] = []
    ratio_rows: list[list[object]] = []
    for pages in sizes:
        for round_name, base in (
            (FIRST, BARE_TRAF),
            (UNCHANGED, BARE),
            (NOT_MODIFIED, BARE),
            (CHURN, BARE),
        ):
            theirs = results.of(pages, round_name, base)
            for side, label in (
                (REDLINE, round_name),
                (BASE, f"{round_name} (base)"),
                (AGAIN, f"{round_name} (bare again: noise)"),
            ):
                mine = results.of(pages, round_name, side)
                if not mine or not theirs:
                    continue
                side_rows.append(side_row(pages, round_name, side, mine))
                ratio_rows.append(_ratio_row(pages, round_name, label, base, mine, theirs))
            if theirs and results.of(pages, round_name, REDLINE):
                side_rows.append(side_row(pages, round_name, base, theirs))
    side_headers = [
        "pages",
        "round",
        "side",
        "n",
        "wall s: median [min-max]",
        "pages/s",
        "crawl s",
        "start-up s",
        "CPU s",
        "CPU ms/page",
        "reactor CPU ms/page",
        "other threads",
        "+workers MB",
        "cores used",
        "runnable",
    ]
    ratio_headers = [
        "pages",
        "round",
        "against",
        "pairs",
        "ratio: median [min-max]",
        "each pair",
        "CPU: Redline / it",
        "target",
        "met",
    ]
    bare_traf, redline_extract = extraction
    by_position = position_rows(results, sizes)
    outcome_lines = [
        f"  Redline outcomes, last {name} round of {pages} pages: "
        + ", ".join(f"{key} {int(value)}" for key, value in sorted(counts.items()))
        for (pages, name), counts in results.outcomes.items()
    ]
    return (
        f"Check rounds on real pages served on 127.0.0.1, {took:.0f} s into one run; "
        "the sides of each pair run one after the other, their order rotated by one place "
        "each pair (every side in every position over as many pairs as sides)\n"
        "  wall = the whole scrapy process; crawl = Scrapy's elapsed_time_seconds (spider opened "
        "to closed); start-up = wall - crawl; CPU = the process and its extraction workers\n"
        "  cores used = CPU s / crawl s; runnable = how many of the process and its workers "
        "were running or waiting for a core (state R), mean of polls every ~0.1 s: above the "
        "cores used, they waited for a core, not for work\n"
        + table(side_headers, side_rows, left=(1, 2))
        + "\n\n  Ratios, pair by pair (unchanged and 304: bare wall / Redline wall, a rate; first "
        "sight: Redline wall / bare fetch + trafilatura wall, a time)\n"
        + table(ratio_headers, ratio_rows, left=(1, 2, 5, 7))
        + "\n\n  By position in the pair (1: first), each side's runs: wall s median, reactor "
        "CPU ms/page median (runs); with the same code on two sides, a difference that follows "
        "the position and not the side is the position's\n"
        + table(["pages", "round", "side", *POSITIONS], by_position, left=(1, 2))
        + "\n"
        + "\n".join(outcome_lines)
        + f"\n  In-process, CPU per page over the corpus: trafilatura.bare_extraction x1 "
        f"{1000 * bare_traf:.0f} ms, Redline's extract_article "
        f"{1000 * redline_extract:.0f} ms ({redline_extract / bare_traf:.2f}x)"
    )


# ------------------------------------------------------------------ profile (pyinstrument)
# Run in the child with `python -c`: nothing is imported before the profiler starts, so the
# start-up (imports of Scrapy, trafilatura...) is sampled as in a real run.
PROFILE_CHILD = """
import sys
from pyinstrument import Profiler
profiler = Profiler(interval=0.001)
profiler.start()
try:
    from scrapy.cmdline import execute
    execute(["scrapy", *sys.argv[2:]])
except SystemExit as done:
    if done.code not in (0, None):
        raise
finally:
    profiler.stop()
    profiler.last_session.save(sys.argv[1])
"""


@dataclass
class Cost:
    self_s: float = 0.0
    total_s: float = 0.0


@dataclass
class Profile:
    total_s: float
    crawl_s: float  # inside the reactor, less the crawler's set-up (settings, engine, pipelines)
    crawl: dict[str, Cost]  # per function, inside the crawl
    startup: dict[str, Cost]  # per function, before and around it (imports, set-up)


_CRAWL_START = "start (scrapy/crawler.py"  # CrawlerProcess.start: the reactor runs inside it
_CRAWL_SETUP = "crawl_async (scrapy/crawler.py"  # settings, spider, engine, pipelines: set-up


def profile_costs(session_file: Path) -> Profile:
    """Per-function own and inclusive times of a saved pyinstrument session, split into the crawl
    proper and the start-up. Inclusive time counts a function once per stack (no double counting
    through recursion)."""
    from pyinstrument.session import Session

    root = Session.load(str(session_file)).root_frame(trim_stem=False)
    assert root is not None
    profile = Profile(root.time, 0.0, defaultdict(Cost), defaultdict(Cost))
    stack: list[tuple[Any, frozenset[str], bool]] = [(root, frozenset(), False)]
    while stack:
        frame, above, in_crawl = stack.pop()
        key = _frame_key(frame)
        if key.startswith(_CRAWL_START) and not in_crawl:
            in_crawl = True
            profile.crawl_s += frame.time
        elif key.startswith(_CRAWL_SETUP) and in_crawl:
            in_crawl = False
            profile.crawl_s -= frame.time
        costs = profile.crawl if in_crawl else profile.startup
        children = [c for c in frame.children if not c.is_synthetic]
        # own time: the frame's time less its real callees ([self] and [await] leaves stay in)
        costs[key].self_s += frame.time - sum(c.time for c in children)
        if key not in above:
            costs[key].total_s += frame.time
        below = above | {key}
        stack.extend((child, below, in_crawl) for child in children)
    return profile


def _frame_key(frame: Any) -> str:
    path = frame.file_path or ""
    for marker in ("site-packages/", str(REPO_ROOT) + "/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{frame.function} ({path}:{frame.line_no})"


# Where a page's time goes: project code and the library entry points it calls (inclusive time
# of generic plumbing such as the event loop says nothing).
_PAGE_WORK = re.compile(
    r"^(record_page|_record_content|_record_removal|extract_article|_runs|_run|bare_extraction|"
    r"find_date|compare|save_snapshot|add_version|add_check|add_change|update_article|"
    r"latest_version|versions_of|find_article|track_article|content_hash|body_paragraphs|"
    r"reextract_all|process_item|parse|decode_file|load_html|_parse|health_problem|_schedule|"
    r"execute|query|insert|update|compress|poll|doRead|_dataReceived|dataReceived|open_db|"
    r"_targets|all_articles|emit|handle|_log_item|process_response|process_request|"
    r"download_request|page_hash|__exit__|__enter__|write_transaction)\b"
)
_STARTUP_WORK = re.compile(
    r"^(<module> \((scrapy|twisted|trafilatura|lxml|monitor|crawler|htmldate|justext|"
    r"sqlite_utils|courlan|syntok|rapidfuzz|charset_normalizer)/__init__\.py|"
    r"<module> \((monitor|crawler)/|get_spider_loader|_apply_settings|_create_engine|"
    r"crawl_async|open_spider|open_db|_targets)"
)


def profile_report(name: str, session_file: Path, top: int = 14) -> str:
    profile = profile_costs(session_file)
    crawl_s, startup_s = profile.crawl_s, profile.total_s - profile.crawl_s
    columns = [
        sorted(profile.crawl.items(), key=lambda kv: kv[1].self_s, reverse=True)[:top],
        sorted(
            (
                (k, c)
                for k, c in profile.crawl.items()
                if _PAGE_WORK.match(k) and "asyncio/" not in k
            ),
            key=lambda kv: kv[1].total_s,
            reverse=True,
        )[:top],
        sorted(
            ((k, c) for k, c in profile.startup.items() if _STARTUP_WORK.match(k)),
            key=lambda kv: kv[1].total_s,
            reverse=True,
        )[:top],
    ]
    rows: list[list[object]] = []
    for n in range(top):
        row: list[object] = []
        for index, (column, base, own) in enumerate(
            zip(columns, (crawl_s, crawl_s, startup_s), (True, False, False), strict=True)
        ):
            if n < len(column):
                key, cost = column[n]
                seconds = cost.self_s if own else cost.total_s
                row += [_short(key, 58 if index < 2 else 48), f"{100 * seconds / base:.1f}%"]
            else:
                row += ["", ""]
        rows.append(row)
    headers = [
        "crawl: own time",
        "% crawl",
        "crawl: inclusive time",
        "% crawl",
        "start-up: inclusive time",
        "% start-up",
    ]
    return (
        f"Profile, {name}: {profile.total_s:.1f} s sampled = start-up {startup_s:.1f} s "
        f"(imports, settings, engine and pipeline set-up) + crawl {crawl_s:.1f} s\n"
        + table(headers, rows, left=(0, 2, 4))
    )


def _short(key: str, width: int) -> str:
    return key if len(key) <= width else key[: width - 1] + "…"


def run_profiles(server: CorpusServer, urls: list[str], work: Path) -> str:
    db_path = work / "profile.db"
    track(db_path, urls)
    env = crawl_env(db_path)
    scrapy_args = redline_command()[3:]  # after `python -m scrapy`
    reports = []
    server.churn = 0
    for name in (FIRST, UNCHANGED, NOT_MODIFIED):
        # The server answers If-None-Match with 304 in the last round only.
        server.conditional = name == NOT_MODIFIED
        out = work / f"profile-{name.replace(' ', '-')}.json"
        command = [sys.executable, "-c", PROFILE_CHILD, str(out), *scrapy_args]
        run = run_scrapy(command, env, work / "profile.log", len(urls))
        reports.append(
            profile_report(f"{name} round, {len(urls)} pages ({run.wall_s:.1f} s wall)", out)
        )
    server.conditional = False
    return "\n\n".join(reports)


def profiler_missing() -> str | None:
    """Why `--profile` cannot run here (pyinstrument is not installed), or None."""
    import importlib.util

    if importlib.util.find_spec("pyinstrument") is None:
        return (
            "--profile needs pyinstrument, which is in the bench extra: pip install -e '.[bench]'"
        )
    return None


# ------------------------------------------------------------------ main
def parse_sizes(text: str) -> list[tuple[int, int]]:
    """ "150:5,1000:3" -> [(150, 5), (1000, 3)]: pages per round and interleaved pairs."""
    sizes = []
    for part in text.split(","):
        pages, _, pairs = part.partition(":")
        sizes.append((int(pages), int(pairs or 5)))
    return sizes


ROUNDS = frozenset({"first", "unchanged", "304"})


def parse_rounds(text: str) -> frozenset[str]:
    """ "unchanged,304" -> the rounds to measure."""
    rounds = frozenset(part.strip() for part in text.split(",") if part.strip())
    if not rounds or not rounds <= ROUNDS:
        raise argparse.ArgumentTypeError(f"rounds are among {', '.join(sorted(ROUNDS))}")
    return rounds


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes("150:5,1000:5"),
        help="pages per round and pairs of runs, e.g. 150:5,1000:3 (default 150:5,1000:5)",
    )
    parser.add_argument("--churn", action="store_true", help="add a boilerplate churn round")
    parser.add_argument(
        "--noise",
        action="store_true",
        help="run the bare side twice in each pair: the ratios two runs of one program show here",
    )
    parser.add_argument(
        "--rounds",
        type=parse_rounds,
        default=ROUNDS,
        help="which rounds to measure, e.g. unchanged,304 (default first,unchanged,304)",
    )
    parser.add_argument(
        "--base",
        type=Path,
        help="another checkout (e.g. a git worktree of main): its Redline runs in every pair too, "
        "on its own database, with this one's Python",
    )
    parser.add_argument(
        "--profile", action="store_true", help="then profile three rounds (needs pyinstrument)"
    )
    parser.add_argument("--profile-only", action="store_true", help="only the pyinstrument runs")
    parser.add_argument(
        "--keep-filled",
        type=Path,
        help="a folder: when first sight is not measured, keep each checkout's database filled "
        "at first sight there and use it again in later runs (the corpus is then served on the "
        "port it was filled from)",
    )
    options = parser.parse_args(argv)
    if options.profile or options.profile_only:
        missing = profiler_missing()
        if missing is not None:  # before any round runs, not after minutes of them
            parser.exit(2, f"error: {missing}\n")
    exit_on_sigterm()
    pages = load_pages(corpus_dir_or_exit(options.corpus, require=AEB))
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="redline-bench-crawl-") as tmp,
        CorpusServer(pages, port=server_port(options.keep_filled)) as server,
    ):
        work = Path(tmp)
        keep = options.keep_filled.resolve() if options.keep_filled else None
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            (keep / "port").write_text(str(server.port))
        if not options.profile_only:
            extraction = in_process_extraction(pages, server.urls(len(pages)))
            for count, pairs in options.sizes:
                # Past the corpus's 181 pages, the same pages again under other URLs. Each
                # size's table is printed as soon as its pairs are done.
                results = Results()
                run_rounds(
                    server,
                    server.urls(count),
                    work,
                    pairs,
                    results,
                    options.churn,
                    options.rounds,
                    options.base.resolve() if options.base else None,
                    options.noise,
                    keep,
                )
                took = time.perf_counter() - started
                print(report(results, [count], extraction, took) + "\n", flush=True)
        if options.profile or options.profile_only:
            print()
            print(run_profiles(server, server.urls(options.sizes[0][0]), work), flush=True)
    print(f"\n(bench.crawl took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
