"""Three `redline worker` processes, several news sites on 127.0.0.x, a real PostgreSQL: every due
article is checked exactly once per round, no two crawls of one shard overlap, a worker killed
with SIGKILL mid-round has its job run again by another node with nothing lost or checked twice,
and the edits reach the rollup and its Atom feed."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.cluster import coordination, routing
from monitor.cluster.rollup import roll_up
from monitor.cluster.shards import shard_files
from monitor.demo.site import DemoSite
from tests.conftest import ROOT
from tests.loopback import HoldingSite

pytestmark = pytest.mark.e2e

HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
# No delay between pages: the node is killed in the middle of its round because a site holds a
# request of the round until then (HELD_REQUEST), not because the round is slow.
CRAWL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO"}
# The request of the first site's round 2 held until its node is killed: after robots.txt and
# two stories (a round asks for robots.txt and 8 stories).
HELD_REQUEST = 4
# Bounds of the polling waits below: generous, a loaded CI machine is slow.
WAIT_S = 180


def wait_for(what: str, condition: Callable[[], Any], timeout: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def sites() -> Iterator[list[HoldingSite]]:
    started: list[HoldingSite] = []
    try:
        for host in HOSTS:
            try:
                started.append(HoldingSite(host=host).start())
            except OSError as error:  # some systems route only 127.0.0.1
                pytest.skip(f"cannot bind {host}: {error}")
        yield started
    finally:
        for site in started:
            site.release.set()  # never leave a handler thread waiting
            site.stop()


class Cluster:
    def __init__(self, pg_url: str, directory: Path, logs: Path) -> None:
        self.pg_url = pg_url
        self.directory = directory
        self.logs = logs
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def redline(self, *args: str) -> str:
        result = CliRunner().invoke(cli, ["cluster", "--pg", self.pg_url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    def start_worker(self, name: str) -> None:
        settings = [item for key, value in CRAWL.items() for item in ("-s", f"{key}={value}")]
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker", "--pg", self.pg_url, "--node", name,
             "--allow-private", "--log-file", str(self.logs / f"{name}-crawls.log"), *settings],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(self.logs / f"{name}.log", "ab"),  # noqa: SIM115
        )  # fmt: skip

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with coordination.connect(self.pg_url) as conn:
            cursor = conn.execute(sql, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def status(self) -> dict[str, Any]:
        return json.loads(self.redline("status", "--json"))

    def shard_rows(self, sql: str) -> list[dict[str, Any]]:
        found = []
        for path in shard_files(self.directory):
            db = store.open_db(path)
            try:
                found += [row | {"file": path.name} for row in db.query(sql)]
            finally:
                db.close()
        return found

    def make_everything_due(self) -> None:
        """What the clock would do after the revisit interval: every article is due now."""
        now = store.stamp(store.utc_now())
        for path in shard_files(self.directory):
            db = store.open_db(path)
            with store.write_transaction(db):
                db.execute("update articles set next_check = ?", [now])
            db.close()
        self.query("update redline_shards set next_due_at = now() where articles > 0")

    def logs_tail(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.logs.glob("*.log"))
        )

    def stop(self) -> None:
        for child in self.workers.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.workers.values():
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[Cluster]:
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Cluster(pg_url, tmp_path / "shards", logs)
    running.redline(
        "init", "--dir", str(running.directory), "--shards", "8", "--check-every", "1s",
        "--stall-timeout", "4s", "--rollup-every", "1s", "--revisit", "1h",
    )  # fmt: skip
    yield running
    running.stop()


def article_checks(cluster: Cluster) -> dict[str, int]:
    rows = cluster.shard_rows(
        "select a.url, count(c.id) as n from articles a left join checks c "
        "on c.article_id = a.id group by a.id"
    )
    return {row["url"]: row["n"] for row in rows}


def page_requests(sites: list[DemoSite]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for site in sites:
        for request in site.requests:
            if request.method == "GET" and request.path != "/robots.txt":
                url = site.url(request.path)
                counts[url] = counts.get(url, 0) + 1
    return counts


def assert_no_overlap(cluster: Cluster) -> None:
    rounds = cluster.query(
        "select shard, node, started_at, finished_at from redline_rounds where finished_at "
        "is not null order by shard, started_at"
    )
    for first, second in combinations(rounds, 2):
        if first["shard"] == second["shard"]:
            assert (
                first["finished_at"] <= second["started_at"]
                or second["finished_at"] <= first["started_at"]
            ), (first, second)


def test_three_workers_share_the_rounds_and_survive_a_killed_node(
    cluster: Cluster, sites: list[DemoSite]
) -> None:
    urls = [url for site in sites for url in site.article_urls()]
    with coordination.connect(cluster.pg_url) as conn:
        config = coordination.load_config(conn)
        shard_of = {url: routing.track_url(conn, config, url, store.utc_now())[0] for url in urls}
    assert len(set(shard_of.values())) >= 2, "the sites should spread over several shards"
    for name in ("n1", "n2", "n3"):
        cluster.start_worker(name)
    try:
        # Round 1: every article is new, hence due, and checked exactly once.
        wait_for("round 1", lambda: set(article_checks(cluster).values()) == {1})
        assert sorted(article_checks(cluster)) == sorted(urls)
        assert page_requests(sites) == dict.fromkeys(urls, 1)
        wait_for("3 nodes alive", lambda: cluster.status()["nodes_alive"] == 3)

        # Round 2, on the next edition of every site; the node running a crawl is killed. The
        # first site holds a request of the round (robots.txt, then stories) until the kill, so
        # that the node is killed in the middle of its crawl whatever the machine's load.
        held = sites[0]
        (shard,) = {shard_of[url] for url in held.article_urls()}
        for site in sites:
            site.edition = 2
            site.clear_requests()
        held.hold(HELD_REQUEST)
        cluster.make_everything_due()
        assert held.reached.wait(WAIT_S), "no crawl reached the held request"
        busy = wait_for(
            "the node whose crawl holds the shard",
            lambda: cluster.query(
                "select node as name from redline_rounds where shard = %s and task = 'check' "
                "and finished_at is null",
                [shard],
            ),
        )[0]
        victim = cluster.workers[busy["name"]]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        killed_at = datetime.now(UTC)
        held.release.set()  # to a crawl that died with its node: nobody reads the answer

        wait_for("round 2", lambda: set(article_checks(cluster).values()) == {2})
        # The killed node's round was run again, to the end, by a live node.
        retried = wait_for(
            "the killed round run again",
            lambda: cluster.query(
                "select node, exit_code from redline_rounds where shard = %s and task = 'check' "
                "and started_at > %s and finished_at is not null",
                [shard, killed_at],
            ),
        )
        assert {row["node"] for row in retried} <= {"n1", "n2", "n3"} - {busy["name"]}
        assert all(row["exit_code"] == 0 for row in retried)
        # Status tells the truth: the killed node is dead and runs nothing, and its rounds are
        # closed in the log with why (no exit code: its crawl's end is unknown).
        dead = {node["name"]: node for node in cluster.status()["nodes"]}[busy["name"]]
        assert (dead["state"], dead["alive"], dead["running"]) == ("dead", False, None)
        closed = cluster.query(
            "select finished_at, note from redline_rounds where node = %s and exit_code is null",
            [busy["name"]],
        )
        assert closed and all(row["finished_at"] is not None for row in closed), closed
        assert all(row["note"].startswith("node dead: no heartbeat for 4 s") for row in closed)
        # A round queued meanwhile may still be running (with nothing left due); none fails.
        wait_for(
            "the queue to drain",
            lambda: cluster.status()["jobs"] == {"queued": 0, "running": 0, "failed": 0},
        )
        # The two others are alive: a snapshot could catch one whose heartbeat (every second,
        # dead after 4 s without) is late on a loaded machine, so it is waited for.
        wait_for("the two live nodes seen alive", lambda: cluster.status()["nodes_alive"] == 2)
    except BaseException:
        print(cluster.logs_tail())
        raise

    # The edits reach the rollup while the nodes run: a node copies them every second (a round
    # that ends just before the nodes stop is copied when a node runs again).
    rollup = cluster.directory / "rollup.db"
    shard_edits = sum(row["n"] for row in cluster.shard_rows("select count(*) as n from edits"))
    wait_for("the rollup", lambda: rollup.is_file() and count(rollup, "edits") == shard_edits)

    # SIGTERM: the live nodes finish or give back their job and exit 0.
    cluster.stop()
    assert {name: child.returncode for name, child in cluster.workers.items()} == {
        name: (-signal.SIGKILL if name == busy["name"] else 0) for name in cluster.workers
    }
    assert cluster.status()["nodes_alive"] == 0

    # Nothing lost, nothing twice: two checks per article (one a round), whole shard files, and
    # as many version rows as each article counts.
    assert sorted(article_checks(cluster)) == sorted(urls)
    assert_no_overlap(cluster)
    assert {row["integrity_check"] for row in cluster.shard_rows("pragma integrity_check")} == {
        "ok"
    }
    mismatched = cluster.shard_rows(
        "select url, version_count, (select count(*) from versions v where v.article_id = a.id) "
        "as n from articles a where version_count != (select count(*) from versions v where "
        "v.article_id = a.id)"
    )
    assert mismatched == []
    changes = cluster.shard_rows("select count(*) as n from changes where significant > 0")
    assert sum(row["n"] for row in changes) > 0, "edition 2 carries real edits"

    # Through the rollup, the edits reach the edit feed, the Atom feed and every shard in one
    # Datasette.
    assert count(rollup, "changes") == sum(
        row["n"] for row in cluster.shard_rows("select count(*) as n from changes")
    )
    assert roll_up(cluster.directory).changes == 0, "a change is copied once"
    edit_feed = "/redline/edit_feed.json?_shape=array&_size=max"
    pages = fetch(
        rollup,
        ["/-/redline/feed.atom", edit_feed, "/-/databases.json"],
        shards=shard_files(cluster.directory),
    )
    feed = pages["/-/redline/feed.atom"]
    assert feed.status_code == 200 and feed.text.count("<entry>") > 0
    feed_urls = {row["url"] for row in pages[edit_feed].json()}
    assert len({url.split("/news/")[0] for url in feed_urls}) >= 2, "edits of several sites"
    names = {db["name"] for db in pages["/-/databases.json"].json()}
    assert names == {"redline"} | {path.stem for path in shard_files(cluster.directory)}


def count(path: Path, table: str) -> int:
    db = store.open_db(path)
    try:
        return int(next(db.query(f"select count(*) as n from {table}"))["n"])
    finally:
        db.close()


def fetch(db_path: Path, paths: list[str], **options: Any) -> dict[str, Any]:
    """GET paths through Datasette's in-process client, in one event loop."""
    from monitor.web.serve import make_datasette

    async def run() -> dict[str, Any]:
        datasette = make_datasette(db_path, **options)
        await datasette.invoke_startup()
        return {path: await datasette.client.get(path) for path in paths}

    return asyncio.run(run())
