"""One node against three on the same pages, beside the single-machine daemon's round, in one run;
then the capacity model of README "Running on many machines" from the costs measured here.

    python -m bench.cluster --corpus ../shared/corpus [--hosts 16] [--per-host 15] [--shards 8]

The 181 real pages of article-extraction-benchmark are served by one `bench.serve_corpus` server
per host (a news site), on 127.0.0.2, 127.0.0.3 ... A cluster's layout in small: many sites per
shard (16 sites on 8 shards), several shards per node. Three rounds on each side, on the same
pages: first sight (fetch, extract, store), unchanged (200 with identical bytes), 304 (the server
answers If-None-Match). Sides:

- single: `scrapy crawl check` on one database, as `redline daemon` starts it (`monitor.crawl`);
- cluster, 1 node and 3 nodes: `redline worker` processes on a real PostgreSQL (tests/pg.py),
  each taking the shard rounds it can at once into one crawl (`--shards-per-crawl`, default 8);
  a round is timed from the moment its articles are tracked (or fall due) to the moment every
  one of them has its check, so the routing, the tick's queueing latency, the gathering of jobs
  and each crawl's start-up are in it.

CPU is from os.wait4 on each child (the crawls and their extraction workers included; for the
workers, the whole life of the node: idle ticks and heartbeats too). Politeness is relaxed for
the benchmark only (our own servers on loopback), the same on every side.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.corpus import REPO_ROOT, corpus_dir_or_exit
from bench.crawl import RELAXED, run_scrapy, track
from bench.serve_corpus import AEB, CorpusServer, load_pages
from monitor import store
from monitor.crawl import crawl_command, crawl_env
from monitor.fetch.policy import DEFAULT_MAX_AGE, DEFAULT_TIERS

ROUNDS = ("first sight", "unchanged", "304")
# Every due page in one crawl on every side (the default of 500 would split the larger rounds).
SETTINGS = {**RELAXED, "REDLINE_ROUND_LIMIT": "100000", "LOG_LEVEL": "INFO"}
ROUND_TIMEOUT_S = 1800
# The two idle runs that measure a node's fixed cost (start-up, then per second alive).
IDLE_S = (5.0, 25.0)
# Capacity model: a node is planned at half its CPU (bursts, re-extraction, Datasette, backups).
NODE_CORES = 2
NODE_UTILISATION = 0.5
# Stored versions per article over its life beyond the first (NewsEdits: most articles are never
# edited, some many times); an assumption of the model, printed with it.
EDITS_PER_ARTICLE = 0.3


@dataclass
class Side:
    name: str
    walls: dict[str, float]
    cpu_s: float  # all rounds
    disk: dict[str, float]  # bytes per page, by round (single only)
    nodes: int = 0
    alive_s: float = 0.0  # node-seconds: how long the nodes ran, added up


def checkpoint_size(path: Path) -> int:
    db = store.open_db(path)
    try:
        db.execute("pragma wal_checkpoint(TRUNCATE)")
        row = db.execute("pragma page_count").fetchone()
        size = db.execute("pragma page_size").fetchone()
        return int(row[0]) * int(size[0])
    finally:
        db.close()


def make_due(paths: Sequence[Path]) -> None:
    now = store.stamp(store.utc_now())
    for path in paths:
        db = store.open_db(path)
        with store.write_transaction(db):
            db.execute("update articles set next_check = ?", [now])
        db.close()


def run_cluster(
    servers: list[CorpusServer], urls: list[str], work: Path, nodes: int, pg: object, shards: int
) -> Side:
    from monitor.cluster import coordination, routing
    from monitor.cluster.shards import shard_files

    pg_url = pg.create_database()  # type: ignore[attr-defined]
    directory = work / f"cluster-{nodes}"
    subprocess.run(
        [sys.executable, "-m", "monitor", "cluster", "--pg", pg_url, "init", "--dir",
         str(directory), "--shards", str(shards), "--check-every", "1s", "--revisit", "1d"],
        cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    with coordination.connect(pg_url) as conn:
        config = coordination.load_config(conn)
    settings = [arg for key, value in SETTINGS.items() for arg in ("-s", f"{key}={value}")]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "monitor",
                "worker",
                "--pg",
                pg_url,
                "--node",
                f"n{n}",
                "--allow-private",
                "--log-file",
                str(work / f"cluster-{nodes}-n{n}.log"),
                *settings,
            ],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(work / f"cluster-{nodes}-n{n}.node.log", "ab"),  # noqa: SIM115
        )
        for n in range(nodes)
    ]
    born = time.perf_counter()
    walls = {}
    try:
        for name in ROUNDS:
            for server in servers:
                server.conditional = name == "304"
            started = time.perf_counter()
            with coordination.connect(pg_url) as conn:
                if name == ROUNDS[0]:
                    routing.track_urls(conn, config, urls, store.utc_now())
                else:
                    make_due(shard_files(directory))
                    conn.execute("update redline_shards set next_due_at = now() where articles > 0")
            wait_round(shard_files(directory), len(urls), ROUNDS.index(name) + 1)
            wait_rounds_closed(pg_url)
            walls[name] = time.perf_counter() - started
    finally:
        cpu = 0.0
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        alive = 0.0
        for worker in workers:
            _, _, usage = os.wait4(worker.pid, 0)
            cpu += usage.ru_utime + usage.ru_stime
            alive += time.perf_counter() - born
        crawls = crawls_per_node(pg_url)
    print(f"cluster, {nodes} node(s): shard rounds per node {crawls}", flush=True)
    name = f"cluster, {nodes} node{'s' if nodes > 1 else ''}"
    return Side(name, walls, cpu, {}, nodes, alive)


def crawls_per_node(pg_url: str) -> dict[str, int]:
    from monitor.cluster import coordination

    with coordination.connect(pg_url) as conn:
        rows = conn.execute(
            "select node, count(*) as n from redline_rounds where task = 'check' group by node "
            "order by node"
        ).fetchall()
    return {row["node"]: row["n"] for row in rows}


def idle_node(pg: object, seconds: float) -> float:
    """CPU-s of a node (`redline worker`) that runs `seconds` on a cluster with nothing to do:
    its imports, ticks, heartbeats and polls, the fixed cost every node pays."""
    pg_url = pg.create_database()  # type: ignore[attr-defined]
    directory = Path(tempfile.mkdtemp(prefix="redline-bench-idle-"))
    subprocess.run(
        [sys.executable, "-m", "monitor", "cluster", "--pg", pg_url, "init", "--dir",
         str(directory), "--shards", "8"],
        cwd=REPO_ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "monitor", "worker", "--pg", pg_url, "--node", "idle"],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    worker.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(worker.pid, 0)
    shutil.rmtree(directory, ignore_errors=True)
    return float(usage.ru_utime + usage.ru_stime)


def node_cost(pg: object) -> tuple[float, float]:
    """A node's fixed cost: (CPU-s to start and stop, CPU-s per second alive), from two idle
    runs of different lengths."""
    short, long = idle_node(pg, IDLE_S[0]), idle_node(pg, IDLE_S[1])
    rate = max(0.0, (long - short) / (IDLE_S[1] - IDLE_S[0]))
    return max(0.0, short - rate * IDLE_S[0]), rate


def wait_rounds_closed(pg_url: str) -> None:
    """Until every shard round is recorded finished (its crawl exited, the shard summarised):
    the single side's round likewise ends when its crawl exits."""
    from monitor.cluster import coordination

    deadline = time.perf_counter() + ROUND_TIMEOUT_S
    while time.perf_counter() < deadline:
        with coordination.connect(pg_url) as conn:
            row = conn.execute(
                "select count(*) as n from redline_rounds where finished_at is null"
            ).fetchone()
        if row is not None and row["n"] == 0:
            return
        time.sleep(0.1)
    raise SystemExit(f"error: the rounds did not close in {ROUND_TIMEOUT_S} s")


def wait_round(paths: list[Path], pages: int, checks: int) -> None:
    deadline = time.perf_counter() + ROUND_TIMEOUT_S
    while time.perf_counter() < deadline:
        done = 0
        for path in paths:
            db = store.open_db(path)
            done += next(
                db.query(
                    "select count(*) as n from (select article_id from checks group by "
                    "article_id having count(*) >= ?)",
                    [checks],
                )
            )["n"]
            db.close()
        if done >= pages:
            return
        time.sleep(0.1)
    raise SystemExit(f"error: round {checks} did not finish in {ROUND_TIMEOUT_S} s")


def pick_hosts(count: int) -> list[str]:
    """Loopback addresses, one per site."""
    if not 1 <= count <= 200:
        raise SystemExit("error: --hosts must be between 1 and 200")
    return [f"127.0.0.{last}" for last in range(2, 2 + count)]


def layout(urls: list[str], shards: int) -> str:
    """Sites per shard, as `cluster init --shards` spreads these hosts."""
    from monitor.cluster.shards import shard_of

    sites: dict[int, set[str]] = {}
    for url in urls:
        sites.setdefault(shard_of(url, shards), set()).add(url.split("/")[2])
    counts = sorted((len(hosts) for hosts in sites.values()), reverse=True)
    return f"{len(sites)} shard(s) with articles, sites per shard {counts}"


def checks_per_article_life() -> int:
    """Checks of an article never edited, first sight to the maximum age, under the tiers."""
    age, checks = timedelta(0), 0
    while age < DEFAULT_MAX_AGE:
        checks += 1
        age += next(interval for below, interval in DEFAULT_TIERS if age < below)
    return checks


def capacity(single: Side, pages: int) -> str:
    life = checks_per_article_life()
    per_day = life / DEFAULT_MAX_AGE.days  # steady state: ages spread evenly over the window
    lines = [
        f"capacity model: {life} checks over an article's {DEFAULT_MAX_AGE.days} days "
        f"= {per_day:.2f} a day; {EDITS_PER_ARTICLE} stored versions per article beyond the first "
        f"(assumed); a 2-core node planned at {NODE_UTILISATION:.0%} CPU",
    ]
    cpu_ms = {name: single_cpu_ms(single, name, pages) for name in ROUNDS}
    lines.append(
        "measured CPU per page (crawl and extraction workers, start-up included): "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu_ms.items())
    )
    lines.append(
        "measured disk per page: "
        + ", ".join(f"{name} {single.disk[name] / 1024:.1f} KiB" for name in ROUNDS)
    )
    for tracked in (1_000_000, 10_000_000):
        fetches = tracked * per_day
        new = tracked / DEFAULT_MAX_AGE.days
        versions = new * (1 + EDITS_PER_ARTICLE)
        repeat = fetches - new
        for kind in ("unchanged", "304"):
            cpu_s = (new * cpu_ms["first sight"] * (1 + EDITS_PER_ARTICLE)
                     + repeat * cpu_ms[kind]) / 1000  # fmt: skip
            disk = versions * single.disk["first sight"] + repeat * single.disk[kind]
            nodes = cpu_s / (86400 * NODE_CORES * NODE_UTILISATION)
            lines.append(
                f"  {tracked / 1e6:.0f}M articles, repeats {kind}: {fetches / 1e6:.1f}M fetches "
                f"a day ({fetches / 86400:.0f}/s), CPU {cpu_s / 3600:.0f} core-hours a day, "
                f"disk {disk / 1e9:.1f} GB a day, {max(1, round(nodes + 0.5))} node(s)"
            )
    return "\n".join(lines)


def single_cpu_ms(side: Side, name: str, pages: int) -> float:
    return side.disk.get(f"cpu {name}", 0.0) * 1000 / pages


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--hosts", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=15)
    parser.add_argument("--shards", type=int, default=8)
    args = parser.parse_args(argv)
    pages = load_pages(corpus_dir_or_exit(args.corpus, require=AEB))
    from tests.pg import PostgresServer, PostgresUnavailable

    try:
        pg = PostgresServer().start()
    except PostgresUnavailable as error:
        raise SystemExit(f"error: PostgreSQL cannot be started: {error}") from error
    work = Path(tempfile.mkdtemp(prefix="redline-bench-cluster-"))
    servers = [CorpusServer(pages, host=host) for host in pick_hosts(args.hosts)]
    try:
        for server in servers:
            server.__enter__()
        urls = [url for server in servers for url in server.urls(args.per_host)]
        print(f"{len(urls)} pages on {len(servers)} hosts, {layout(urls, args.shards)}; "
              f"rounds: {', '.join(ROUNDS)}", flush=True)  # fmt: skip
        single = run_single(servers, urls, work)
        sides = [single]
        for nodes in (1, 3):
            sides.append(run_cluster(servers, urls, work, nodes, pg, args.shards))
        startup, per_second = node_cost(pg)
        print(report(sides, len(urls)))
        print(fixed_costs(sides, startup, per_second))
        print()
        print(capacity(single, len(urls)))
    finally:
        for server in servers:
            server.__exit__(None, None, None)
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


def run_single(servers: list[CorpusServer], urls: list[str], work: Path) -> Side:
    """The single side, with its CPU per round kept (in `disk`, under "cpu ROUND")."""
    db_path = work / "single.db"
    track(db_path, urls)
    walls: dict[str, float] = {}
    disk: dict[str, float] = {}
    cpu = 0.0
    for name in ROUNDS:
        for server in servers:
            server.conditional = name == "304"
        make_due([db_path])
        before = checkpoint_size(db_path)
        run = run_scrapy(
            crawl_command("check", {}, SETTINGS), crawl_env(db_path), work / "single.log", len(urls)
        )
        walls[name], cpu = run.wall_s, cpu + run.cpu_s
        disk[name] = (checkpoint_size(db_path) - before) / len(urls)
        disk[f"cpu {name}"] = run.cpu_s
    return Side("single machine (daemon)", walls, cpu, disk)


def fixed_costs(sides: list[Side], startup: float, per_second: float) -> str:
    """The cluster sides' CPU split into the nodes' fixed cost (measured on idle nodes) and the
    crawl path, which is what grows with the pages."""
    single = sides[0]
    lines = [
        f"a node's fixed cost, measured idle: {startup:.1f} CPU-s to start and stop, "
        f"{per_second * 100:.1f} % of a core alive (ticks, heartbeats, polls) = "
        f"{per_second * 86400 / 3600:.1f} core-hours a day"
    ]
    for side in sides[1:]:
        fixed = side.nodes * startup + per_second * side.alive_s
        path = side.cpu_s - fixed
        lines.append(
            f"  {side.name}: {side.cpu_s:.0f} CPU-s = nodes' fixed cost {fixed:.1f} "
            f"({side.alive_s:.0f} node-seconds) + crawl path {path:.1f}; crawl path vs single "
            f"{path / single.cpu_s - 1:+.0%}"
        )
    return "\n".join(lines)


def report(sides: list[Side], pages: int) -> str:
    single, one, three = sides
    header = f"{'round':<12}" + "".join(f"{side.name:>26}" for side in sides)
    header += f"{'1 node vs single':>18}{'3 nodes vs 1':>14}"
    lines = [header]
    for name in ROUNDS:
        row = f"{name:<12}" + "".join(
            f"{side.walls[name]:>18.1f} s {pages / side.walls[name]:>4.0f}/s" for side in sides
        )
        row += f"{one.walls[name] / single.walls[name] - 1:>+17.0%} "
        row += f"{one.walls[name] / three.walls[name]:>12.2f}x"
        lines.append(row)
    total = {side.name: sum(side.walls.values()) for side in sides}
    lines.append(
        "CPU, all rounds: "
        + ", ".join(f"{side.name} {side.cpu_s:.0f} s" for side in sides)
        + f"; cluster overhead per node (1 node vs single): "
        f"CPU {one.cpu_s / single.cpu_s - 1:+.0%}, "
        f"wall {total[one.name] / total[single.name] - 1:+.0%}; "
        f"3 nodes vs 1: CPU {three.cpu_s / one.cpu_s - 1:+.0%}, "
        f"wall {total[one.name] / total[three.name]:.2f}x as fast"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
