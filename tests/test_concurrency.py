"""Two crawls writing at once and a reader polling all the while: no "database is locked", and
the reader never sees a partial record (a change without edits, a version without its check)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from monitor import store
from monitor.crawl import start_crawl
from monitor.demo.site import DemoSite
from tests.conftest import FAST, track

pytestmark = pytest.mark.e2e

INVARIANTS = {
    "change without edits": "select count(*) from changes "
    "where id not in (select change_id from edits)",
    "version without check": "select count(*) from versions where id not in "
    "(select version_id from checks where version_id is not null)",
    "count out of step": "select count(*) from articles a where a.version_count != "
    "(select count(*) from versions v where v.article_id = a.id)",
}


def test_concurrent_writers_and_a_reader(site: DemoSite, tmp_path: Path) -> None:
    db_path = tmp_path / "busy.db"
    track(db_path, site.article_urls())
    violations: list[str] = []
    reads = 0
    done = threading.Event()

    def reader() -> None:
        nonlocal reads
        db = store.open_db(db_path)
        while not done.is_set():
            with db.conn:  # one read transaction: a consistent snapshot
                db.execute("begin")
                for name, sql in INVARIANTS.items():
                    if db.execute(sql).fetchone()[0]:
                        violations.append(name)
                db.execute("commit")
            reads += 1
        db.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for edition in (1, 2, 3):
            site.edition = edition
            logs = [tmp_path / f"crawl-{edition}-{n}.log" for n in range(2)]
            children = [start_crawl("check", db_path, {"all": "true"}, FAST, log) for log in logs]
            codes = [child.wait(timeout=120) for child in children]
            assert codes == [0, 0], [log.read_text()[-2000:] for log in logs]
            for log in logs:
                text = log.read_text()
                assert "database is locked" not in text
                assert "Traceback" not in text
    finally:
        done.set()
        thread.join()
    assert reads > 10
    assert violations == []
    db = store.open_db(db_path)
    kinds = {r["kind"] for r in db.query("select kind from edits")}
    assert {"name", "quote", "removed"} <= kinds
