"""One crawl over several shard files (a cluster node's batch), and the crawl lock of a shard file:
each page is recorded in the file its article came from, and a shard another crawl holds is not
crawled a second time, by a node or by hand, with one line saying who holds it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import store
from monitor.crawl import BUSY_EXIT, crawl_env, run_crawl
from monitor.demo.site import DemoSite
from monitor.store.lock import DatabaseBusy, is_shard_file, lock_database, lock_path
from tests.conftest import FAST, ROOT, migrate_as_a_newer_redline, track

pytestmark = pytest.mark.e2e

PRIVATE = {**FAST, "REDLINE_ALLOW_PRIVATE": "True"}


@pytest.fixture
def two_sites() -> Iterator[list[DemoSite]]:
    with DemoSite(host="127.0.0.1") as first, DemoSite(host="127.0.0.1") as second:
        yield [first, second]


def checked(path: Path) -> dict[str, int]:
    db = store.open_db(path)
    try:
        return {
            row["url"]: row["n"]
            for row in db.query(
                "select a.url, count(c.id) as n from articles a left join checks c "
                "on c.article_id = a.id group by a.id"
            )
        }
    finally:
        db.close()


def fetched(site: DemoSite) -> int:
    return sum(1 for r in site.requests if r.method == "GET" and r.path != "/robots.txt")


def test_one_crawl_records_each_page_in_the_shard_file_it_came_from(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    shards = [tmp_path / "shard-0.db", tmp_path / "shard-1.db"]
    for path, site in zip(shards, two_sites, strict=True):
        track(path, site.article_urls())
    databases = os.pathsep.join(map(str, shards))
    result = run_crawl("check", shards[0], {}, {**PRIVATE, "REDLINE_DATABASES": databases})
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Traceback" not in result.stdout
    for path, site in zip(shards, two_sites, strict=True):
        assert checked(path) == dict.fromkeys(site.article_urls(), 1)
        assert fetched(site) == len(site.article_urls())
    assert f"checking {sum(len(s.article_urls()) for s in two_sites)} article(s)" in result.stdout


def test_a_crawl_leaves_out_a_shard_file_another_crawl_holds(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    held, free = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    for path, site in zip((held, free), two_sites, strict=True):
        track(path, site.article_urls())
    lock = lock_database(held)  # another crawl: this process
    try:
        settings = {**PRIVATE, "REDLINE_DATABASES": f"{held}{os.pathsep}{free}"}
        result = run_crawl("check", held, {}, settings)
    finally:
        lock.release()
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"shard-0.db is being crawled by another process (pid {os.getpid()}" in result.stdout
    assert set(checked(held).values()) == {0} and fetched(two_sites[0]) == 0
    assert set(checked(free).values()) == {1}


def test_a_manual_check_of_a_held_shard_is_refused_in_one_line(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    shard = tmp_path / "shard-07.db"
    track(shard, two_sites[0].article_urls())
    lock = lock_database(shard)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "monitor", "--db", str(shard), "check"],
            cwd=ROOT,
            env=crawl_env(shard),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        raw = run_crawl("check", shard, {}, PRIVATE)
    finally:
        lock.release()
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: shard-07.db is being crawled by another process (pid {os.getpid()} on "
        f"{os.uname().nodename}); not crawled by this one"
    )
    assert raw.returncode == BUSY_EXIT
    assert fetched(two_sites[0]) == 0 and set(checked(shard).values()) == {0}


def test_the_lock_is_free_again_once_released_and_the_single_database_is_never_locked(
    tmp_path: Path,
) -> None:
    shard = tmp_path / "shard-3.db"
    first = lock_database(shard)
    with pytest.raises(DatabaseBusy, match=r"shard-3\.db is being crawled by another process"):
        lock_database(shard)
    first.release()
    lock_database(shard).release()
    assert lock_path(shard).name == "shard-3.db.lock"
    assert [is_shard_file(Path(name)) for name in ("shard-07.db", "redline.db", "shard-x.db")] == [
        True,
        False,
        False,
    ]


def test_shard_rounds_a_node_takes_together_share_one_crawl(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    import asyncio

    from monitor.cluster.crawls import NodeCrawls

    shards = [tmp_path / "shard-0.db", tmp_path / "shard-1.db"]
    for path, site in zip(shards, two_sites, strict=True):
        track(path, site.article_urls())
    log = tmp_path / "crawls.log"

    async def rounds() -> list[int]:
        crawls = NodeCrawls(log)
        together = await asyncio.gather(
            *(crawls.crawl("check", path, PRIVATE, 120) for path in shards)
        )
        alone = await crawls.crawl("check", shards[0], PRIVATE, 120)  # later: a crawl of its own
        return [*together, alone]

    assert asyncio.run(rounds()) == [0, 0, 0]
    text = log.read_text()
    assert text.count("Spider opened") == 2, "one crawl for the two shards, then one more"
    total = sum(len(site.article_urls()) for site in two_sites)
    assert f"checking {total} article(s)" in text
    for path, site in zip(shards, two_sites, strict=True):
        assert checked(path) == dict.fromkeys(site.article_urls(), 1)


def test_a_shard_left_out_of_a_node_crawl_is_busy_not_done(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    # The crawl exits 0 for the shard it crawled; the one another crawl held is not reported as
    # crawled (its job gets BUSY_EXIT and the round is queued again).
    import asyncio

    from monitor.cluster.crawls import NodeCrawls

    held, free = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    for path, site in zip((held, free), two_sites, strict=True):
        track(path, site.article_urls())

    async def rounds() -> list[int]:
        crawls = NodeCrawls(tmp_path / "crawls.log")
        return list(
            await asyncio.gather(
                *(crawls.crawl("check", path, PRIVATE, 120) for path in (held, free))
            )
        )

    lock = lock_database(held)  # another crawl: this process
    try:
        codes = asyncio.run(rounds())
    finally:
        lock.release()
    assert codes == [BUSY_EXIT, 0]
    assert set(checked(held).values()) == {0} and set(checked(free).values()) == {1}


def test_a_check_of_one_url_is_refused_when_the_first_database_is_held(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    # The URL belongs to the first database given: never recorded in the second instead.
    first, second = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    track(first, two_sites[0].article_urls())
    track(second, two_sites[1].article_urls())
    url = two_sites[0].article_urls()[0]
    lock = lock_database(first)
    try:
        settings = {**PRIVATE, "REDLINE_DATABASES": f"{first}{os.pathsep}{second}"}
        result = run_crawl("check", first, {"url": url}, settings)
    finally:
        lock.release()
    assert result.returncode == BUSY_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout
    assert (
        f"nothing checked: shard-0.db is being crawled by another process (pid {os.getpid()}"
        in (result.stdout)
    )
    assert url not in checked(second)
    assert set(checked(first).values()) == {0} and fetched(two_sites[0]) == 0


def test_a_lock_without_room_for_its_holder_line_still_locks(tmp_path: Path) -> None:
    # The pid line is for the message of whoever is refused; the flock is what counts.
    shard = tmp_path / "shard-5.db"
    lock_path(shard).symlink_to("/dev/full")  # can be locked, not truncated nor written
    lock = lock_database(shard)
    try:
        with pytest.raises(DatabaseBusy, match=r"shard-5\.db is being crawled"):
            lock_database(shard)
    finally:
        lock.release()
    lock_database(shard).release()


def test_a_shard_whose_lock_cannot_be_opened_stops_the_crawl_as_a_storage_error(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    # The lock's directory is a file: a storage error (exit 3, one line), never a traceback.
    from monitor.crawl import STORAGE_ERROR_EXIT
    from monitor.errors import StorageError

    free = tmp_path / "shard-1.db"
    track(free, two_sites[1].article_urls())
    (tmp_path / "not-a-directory").write_text("")
    broken = tmp_path / "not-a-directory" / "shard-0.db"
    with pytest.raises(StorageError, match=r"cannot open the crawl lock"):
        lock_database(broken)
    settings = {**PRIVATE, "REDLINE_DATABASES": f"{free}{os.pathsep}{broken}"}
    result = run_crawl("check", free, {}, settings)
    assert result.returncode == STORAGE_ERROR_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout
    assert "storage error: cannot open the crawl lock" in result.stdout
    lock_database(free).release()  # not left held


def test_a_batch_whose_every_job_left_leaves_no_unread_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Every job of a gathering batch cancelled (the node's shutdown): no crawl, and no
    # "Future exception was never retrieved" from the batch nobody waits for any more.
    import asyncio
    import gc

    from monitor.cluster.crawls import GATHER_S, NodeCrawls, RoundInterrupted

    async def cancelled() -> str:
        crawls = NodeCrawls()
        job = asyncio.create_task(crawls.crawl("check", tmp_path / "shard-0.db", {}, 5))
        await asyncio.sleep(0)
        job.cancel()
        try:
            await job
        except RoundInterrupted as error:
            why = str(error)
        await asyncio.sleep(GATHER_S * 2)
        return why

    assert asyncio.run(cancelled()).endswith("interrupted by the node's shutdown")
    gc.collect()
    assert "never retrieved" not in caplog.text


def _refuse(path: Path, why: str) -> None:
    """Make `path` a file Redline refuses: not a database, or migrated by a newer Redline."""
    if why == "not a database":
        path.write_bytes(b"not a database at all\n" * 100)
        return
    store.open_db(path).close()
    migrate_as_a_newer_redline(path)


REFUSALS = {
    "not a database": "file is not a database",
    "newer": "was migrated by a newer Redline (migration m999_from_the_future",
}


@pytest.mark.parametrize("why", REFUSALS)
def test_a_refused_shard_is_left_out_and_the_others_are_crawled(
    tmp_path: Path, two_sites: list[DemoSite], why: str
) -> None:
    """Before, the crawl stopped for every shard gathered with the refused one: now the others
    are crawled, the refused one named in one line, and the crawl exits REFUSED_EXIT at its end."""
    from monitor.crawl import REFUSED_EXIT

    refused, free = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    track(free, two_sites[1].article_urls())
    _refuse(refused, why)
    before = refused.read_bytes()
    settings = {**PRIVATE, "REDLINE_DATABASES": f"{refused}{os.pathsep}{free}"}
    result = run_crawl("check", free, {}, settings)
    assert result.returncode == REFUSED_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout
    (line,) = [line for line in result.stdout.splitlines() if "database refused" in line]
    assert str(refused) in line and REFUSALS[why] in line, line
    assert set(checked(free).values()) == {1}
    assert refused.read_bytes() == before


def test_a_refused_shard_of_a_node_crawl_fails_alone(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    # The job of the refused shard fails; the one crawled with it is done.
    import asyncio

    from monitor.cluster.crawls import NodeCrawls
    from monitor.crawl import REFUSED_EXIT

    refused, free = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    track(free, two_sites[1].article_urls())
    _refuse(refused, "not a database")

    async def rounds() -> list[int]:
        crawls = NodeCrawls(tmp_path / "crawls.log")
        return list(
            await asyncio.gather(
                *(crawls.crawl("check", path, PRIVATE, 120) for path in (refused, free))
            )
        )

    assert asyncio.run(rounds()) == [REFUSED_EXIT, 0]
    assert set(checked(free).values()) == {1}


def test_a_refused_shard_crawled_alone_fails_and_is_not_taken_for_busy(tmp_path: Path) -> None:
    """A node's crawl of the refused shard alone (no other shard due with it) stops before it
    begins and names the file in its left-out report: the job read that as a file another
    crawl held (BUSY_EXIT), gave the round back with "another crawl holds the shard file" and
    queued it again at every tick, never failing. Its job fails with REFUSED_EXIT."""
    import asyncio

    from monitor.cluster.crawls import NodeCrawls
    from monitor.crawl import REFUSED_EXIT

    refused = tmp_path / "shard-0.db"
    _refuse(refused, "not a database")

    async def alone() -> int:
        return await NodeCrawls(tmp_path / "crawls.log").crawl("check", refused, PRIVATE, 120)

    assert asyncio.run(alone()) == REFUSED_EXIT


def test_a_refused_shard_is_left_out_of_the_address_guard_too(
    tmp_path: Path, two_sites: list[DemoSite]
) -> None:
    """Without REDLINE_ALLOW_PRIVATE (a real node), the guard reads the hosts the user named
    from the crawl's databases: from those crawled, never from the refused one (it raised at
    every request: each page of the other shard was recorded as an error about the refused
    file). The demo site's loopback address is one the user named when tracking its pages."""
    from monitor.crawl import REFUSED_EXIT

    refused, free = tmp_path / "shard-0.db", tmp_path / "shard-1.db"
    track(free, two_sites[1].article_urls())
    _refuse(refused, "not a database")
    settings = {**FAST, "REDLINE_DATABASES": f"{refused}{os.pathsep}{free}"}
    result = run_crawl("check", free, {}, settings)
    assert result.returncode == REFUSED_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    # one line names the refused file; no page of the other is an error about it
    assert [line for line in result.stdout.splitlines() if str(refused) in line and
            "Overridden settings" not in line] == [
        next(line for line in result.stdout.splitlines() if "database refused" in line)
    ]  # fmt: skip
    assert set(checked(free).values()) == {1}
    assert fetched(two_sites[1]) == len(two_sites[1].article_urls())
