"""The WAL file after a round: folded into the database and cut to nothing, even while another
process (Datasette, `redline serve`) holds the database open. SQLite does that by itself only
when the last connection closes, so a reader kept open left the WAL at its largest size (up to
WAL_CHECKPOINT_PAGES × 4 kB, ~16 MB) between rounds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from monitor import store
from monitor.demo.site import DemoSite
from tests.conftest import crawl, track


def _wal(db_path: Path) -> int:
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_checkpoint_wal_empties_the_wal_while_a_reader_holds_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "r.db"
    track(db_path, [])
    reader = sqlite3.connect(db_path)  # as Datasette keeps one: open, between queries
    try:
        reader.execute("select count(*) from articles").fetchone()
        writer = store.open_db(db_path)
        store.track_article(writer, "https://news.example/a", store.utc_now())
        writer.close()
        before = _wal(db_path)
        store.checkpoint_wal(db_path)
        after = _wal(db_path)
        (count,) = reader.execute("select count(*) from articles").fetchone()
    finally:
        reader.close()
    assert (before > 0, after) == (True, 0)
    assert count == 1  # the reader sees what the WAL held


@pytest.mark.e2e
def test_a_round_leaves_no_wal_behind_while_a_reader_holds_the_database(tmp_path: Path) -> None:
    db_path = tmp_path / "served.db"
    with DemoSite() as site:
        track(db_path, site.article_urls())
        reader = sqlite3.connect(db_path)
        try:
            reader.execute("select count(*) from articles").fetchone()
            crawl(db_path, all="true")
            after = _wal(db_path)
            (versions,) = reader.execute("select count(*) from versions").fetchone()
        finally:
            reader.close()
    assert versions == len(site.article_urls())  # the round wrote its pages
    assert after == 0
