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
from monitor.demo.site import DemoSite
from tests.conftest import FAST, crawl, track

pytestmark = pytest.mark.e2e

KILLS = 8


def test_sigkill_during_crawls_loses_nothing(site: DemoSite, tmp_path: Path) -> None:
    db_path = tmp_path / "crash.db"
    track(db_path, site.article_urls())
    chooser = random.Random(20261128)  # seeded: a failure can be replayed
    killed_running = 0
    for round_number in range(KILLS):
        site.edition = round_number % 4 + 1
        child = start_crawl("check", db_path, {"all": "true"}, FAST, tmp_path / "crawl.log")
        time.sleep(chooser.uniform(0.2, 1.6))  # a crawl of the demo site takes about 2 s
        if child.poll() is None:
            killed_running += 1
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    assert killed_running >= KILLS // 2, "most kills should land while the crawl runs"

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
