"""An extractor upgrade is never reported as newsroom edits: versions are re-derived from their
raw pages, automatically before comparing and with `redline reextract`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from monitor import store
from monitor.cli import cli
from monitor.record.page import FetchedPage, record_page
from monitor.record.reextract import reextract_all, stale_versions
from tests.test_record import PAGE_A, PAGE_B, T0, URL


def pretend_old_extractor(db: Database, body_suffix: str = "") -> None:
    """What a database written by an older trafilatura looks like: another version number and,
    typically, slightly different text."""
    db.execute("update versions set extractor_version = '0.0.1', body = body || ?", [body_suffix])
    db.conn.commit()


def test_upgrade_alone_reports_no_edit(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    result = record_page(db, FetchedPage(URL, 200, PAGE_A + b" "), T0)
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from changes"))["n"] == 0
    assert stale_versions(db) == []


def test_reextract_recomputes_edits_of_stale_changes(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    record_page(db, FetchedPage(URL, 200, PAGE_B), T0)
    before = [r["kind"] for r in db.query("select kind from edits order by id")]
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    stats = reextract_all(db)
    assert (stats.checked, stats.reextracted, stats.text_changed) == (2, 2, 2)
    after = [r["kind"] for r in db.query("select kind from edits order by id")]
    assert after == before
    assert "caption" not in "".join(r["body"] for r in db.query("select body from versions"))


def test_reextract_command(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = store.open_db(path)
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    pretend_old_extractor(db)
    db.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "reextract"])
    assert result.exit_code == 0, result.output
    assert "1 stale version(s): 1 re-extracted" in result.output
    missing = CliRunner().invoke(
        cli, ["--db", str(path), "reextract", "--url", "https://x.example/a"]
    )
    assert missing.exit_code == 1 and "not tracked" in missing.output
