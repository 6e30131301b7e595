"""The daemon's round lines: what discovery found, when the next check is due when nothing was."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor import store
from monitor.daemon import Daemon, DaemonConfig
from monitor.report import DiscoveryReport
from monitor.store.rounds import round_mark


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (DiscoveryReport(0, ()), "read 0 sources, no new article"),
        (DiscoveryReport(1, (("a.example", 1),)), "read 1 source, 1 new article: a.example 1"),
        (
            DiscoveryReport(3, tuple((f"s{n}.example", 7 - n) for n in range(7))),
            "read 3 sources, 28 new articles: s0.example 7, s1.example 6, s2.example 5, "
            "s3.example 4, s4.example 3 and 2 more sites",
        ),
    ],
)
def test_discovery_lines(report: DiscoveryReport, line: str) -> None:
    assert report.line() == line


def test_a_round_with_nothing_due_says_when_the_next_is(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    db = store.open_db(path)
    try:
        mark = round_mark(db)
        daemon = Daemon(DaemonConfig(db_path=path))
        assert daemon._report(mark) == "checked 0 (nothing watched)"
        row, _ = store.track_article(db, "https://a.example/x", store.utc_now())
        with store.write_transaction(db):
            store.update_article(db, row["id"], next_check="2030-01-02T03:04:00+00:00")
        assert daemon._report(mark) == "checked 0 (next due 2030-01-02 03:04 UTC)"
    finally:
        db.close()
