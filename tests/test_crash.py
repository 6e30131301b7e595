"""Crash safety: SIGKILL a crawl at random moments, again and again, then run normally. The
database stays intact, no version is half-written or duplicated, every change points at versions
that exist, and the next run picks up where the killed ones stopped."""

from __future__ import annotations

import os
import random
import signal
import time
from itertools import pairwise
from pathlib import Path

import pytest

from monitor import store
from monitor.crawl import start_crawl
from tests.conftest import FAST, crawl, track
from tests.loopback import HOLD_TIMEOUT_S, HoldingSite

pytestmark = pytest.mark.e2e

KILLS = 8
# A round asks for robots.txt and the 7 stories (at least): each kill lands at one of these.
REQUESTS_PER_ROUND = 8


def test_sigkill_during_crawls_loses_nothing(tmp_path: Path) -> None:
    with HoldingSite() as site:
        sigkill_crawls_then_check(site, tmp_path)


def sigkill_crawls_then_check(site: HoldingSite, tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    track(db_path, site.article_urls())
    chooser = random.Random(20261128)  # seeded: a failure can be replayed
    for round_number in range(KILLS):
        site.edition = round_number % 4 + 1
        site.hold(chooser.randint(1, REQUESTS_PER_ROUND))
        child = start_crawl("check", db_path, {"all": "true"}, FAST, tmp_path / "crawl.log")
        try:
            assert site.reached.wait(HOLD_TIMEOUT_S), "the crawl never reached its request"
            # Let the pages fetched before it go on through extraction and the writer a while.
            time.sleep(chooser.uniform(0, 0.3))
            assert child.poll() is None, "a crawl with a request held cannot have finished"
            os.killpg(child.pid, signal.SIGKILL)
        finally:
            site.release.set()
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    site.hold(0)

    site.edition = 4
    crawl(db_path, all="true")
    db = store.open_db(db_path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("pragma foreign_key_check").fetchall() == []
    for article in store.all_articles(db):
        versions = store.versions_of(db, article["id"])
        assert [v["seq"] for v in versions] == list(range(1, len(versions) + 1))
        assert article["version_count"] == len(versions)
        # Consecutive versions always differ: a retried write never duplicated one.
        hashes = [v["content_hash"] for v in versions]
        assert all(a != b for a, b in pairwise(hashes)), article["url"]
    orphans = db.execute(
        "select count(*) from changes where (old_version_id is not null and old_version_id not in "
        "(select id from versions)) or (new_version_id is not null and new_version_id not in "
        "(select id from versions))"
    ).fetchone()[0]
    assert orphans == 0
    empty_changes = db.execute(
        "select count(*) from changes where id not in (select change_id from edits)"
    ).fetchone()[0]
    assert empty_changes == 0
    unrecorded = db.execute(
        "select count(*) from versions where id not in (select version_id from checks "
        "where version_id is not null)"
    ).fetchone()[0]
    assert unrecorded == 0
    # The final, uninterrupted run checked every article.
    last_run = db.execute("select max(checked_at) from checks").fetchone()[0]
    assert all(a["last_checked"] for a in store.all_articles(db))
    assert last_run is not None
