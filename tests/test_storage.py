"""The database under storage trouble: a full disk stops the round with a clear line and a
non-zero exit, nothing is half-written; a database migrated by a newer Redline is refused before
anything is written.

The full disk is real: a 3 MB tmpfs mounted for the test (skipped where mounting is not allowed),
filled but for a few pages' worth, so that SQLite meets "database or disk is full" mid-round."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.crawl import REFUSED_EXIT, STORAGE_ERROR_EXIT, STORAGE_ERROR_LINE, run_crawl
from monitor.demo.site import DemoSite
from monitor.errors import NewerDatabaseError
from tests.conftest import FAST, migrate_as_a_newer_redline, rows, track
from tests.loopback import serve_pages

# Room left on the disk once filled: the first pages fit, the rest do not.
ROOM_BYTES = 96 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, room: int) -> Path:
    """A file taking all the free space of `disk` but `room` bytes."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "filler"
    with open(filler, "wb") as out:
        out.write(b"\0" * max(0, free - room))
    return filler


def _tracked_on(disk: Path, site: DemoSite) -> Path:
    db_path = disk / "redline.db"
    track(db_path, site.article_urls())
    return db_path


def _consistent(db_path: Path) -> None:
    """Nothing half-written: the file is sound, every version has its check and its article's
    count, every change its versions."""
    db = store.open_db(db_path)
    try:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        orphans = db.execute(
            "select count(*) from versions where id not in "
            "(select version_id from checks where version_id is not null)"
        ).fetchone()[0]
        assert orphans == 0
        miscounted = db.execute(
            "select count(*) from articles where version_count != "
            "(select count(*) from versions where versions.article_id = articles.id)"
        ).fetchone()[0]
        assert miscounted == 0
    finally:
        db.close()


@pytest.mark.e2e
def test_a_full_disk_stops_the_crawl_with_one_line_and_exit_3(small_disk: Path) -> None:
    with DemoSite() as site:
        db_path = _tracked_on(small_disk, site)
        filler = _fill(small_disk, ROOM_BYTES)
        result = run_crawl(
            "check", db_path, {"all": "true"}, {**FAST, "REDLINE_EXTRACT_WORKERS": "0"}
        )
    assert result.returncode == STORAGE_ERROR_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    summaries = [line for line in result.stdout.splitlines() if "the round stopped" in line]
    assert len(summaries) == 1 and "database or disk is full" in summaries[0], summaries
    filler.unlink()
    _consistent(db_path)


@pytest.mark.e2e
@pytest.mark.parametrize("spider", ["check", "discover"])
def test_a_full_disk_at_the_rounds_start_stops_the_raw_crawl_with_one_reason_and_exit_3(
    small_disk: Path, spider: str
) -> None:
    with DemoSite() as site:
        db_path = _tracked_on(small_disk, site)
        filler = _fill(small_disk, 0)  # not even room for SQLite's WAL index
        result = run_crawl(
            spider, db_path, {"all": "true"}, {**FAST, "REDLINE_EXTRACT_WORKERS": "0"}
        )
    assert result.returncode == STORAGE_ERROR_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    (summary,) = [line for line in result.stdout.splitlines() if "the round stopped" in line]
    assert f"cannot open database {db_path}" in summary, summary
    # the daemon reads the same reason from the crawl log
    assert STORAGE_ERROR_LINE.search(summary) is not None
    assert "nothing " not in result.stdout  # the reason once, not a second line of it
    filler.unlink()
    _consistent(db_path)


@pytest.mark.e2e
def test_a_full_disk_at_the_start_of_a_crawl_of_several_files_keeps_the_refused_one_marked(
    small_disk: Path, tmp_path: Path
) -> None:
    """A crawl of several files (a cluster node's batch) in which one file is refused and the
    next cannot be opened for writing: every file is left out (the storage stop), and the
    refused one is still marked refused in the left-out report, so the node fails its job
    (REFUSED_EXIT) instead of giving its round back as held by another crawl, again at every
    tick. Before, the storage stop forgot the refusal already found."""
    from monitor.crawl import REFUSED_MARK

    refused = tmp_path / "refused.db"
    refused.write_bytes(b"not a database at all\n" * 100)
    report = tmp_path / "left-out.txt"
    with DemoSite() as site:
        full = _tracked_on(small_disk, site)
        filler = _fill(small_disk, 0)  # not even room for SQLite's WAL index
        settings = {
            **FAST,
            "REDLINE_EXTRACT_WORKERS": "0",
            "REDLINE_DATABASES": f"{refused}{os.pathsep}{full}",
            "REDLINE_LEFT_OUT": str(report),
        }
        result = run_crawl("check", full, {"all": "true"}, settings)
    assert result.returncode == STORAGE_ERROR_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    assert sorted(report.read_text(encoding="utf-8").splitlines()) == sorted(
        [f"{REFUSED_MARK}{refused}", str(full)]
    )
    filler.unlink()
    _consistent(full)


@pytest.mark.e2e
def test_redline_check_reports_the_dropped_pages(small_disk: Path) -> None:
    with DemoSite() as site:
        db_path = _tracked_on(small_disk, site)
        filler = _fill(small_disk, ROOM_BYTES)
        result = CliRunner().invoke(cli, ["--db", str(db_path), "check", "--all"])
    assert result.exit_code == STORAGE_ERROR_EXIT, result.output  # as `scrapy crawl`'s
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: the round stopped: ") and "database or disk is full" in last
    assert "fetched page(s) dropped, not recorded" in last
    filler.unlink()
    _consistent(db_path)


@pytest.mark.e2e
def test_redline_check_on_a_full_disk_at_the_rounds_start_gives_the_crawls_reason_and_exit(
    small_disk: Path,
) -> None:
    with DemoSite() as site:
        db_path = _tracked_on(small_disk, site)
        filler = _fill(small_disk, 0)  # not even room for SQLite's WAL index
        result = CliRunner().invoke(cli, ["--db", str(db_path), "check", "--all"])
    assert result.exit_code == STORAGE_ERROR_EXIT, result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert line.startswith(f"Error: the round stopped: cannot open database {db_path}: "), line
    assert line.endswith("; 0 fetched page(s) dropped, not recorded"), line
    filler.unlink()
    _consistent(db_path)


# A second round's pages, byte for byte the first's and sent without validators: each is "known"
# (the check spider hands it to the store's writer without waiting for it).
KNOWN_PAGES = 30
ROOM_FOR_A_FEW_CHECKS = 64 * 1024


def _story(number: int) -> str:
    paragraph = "<p>The council voted on Tuesday to approve the budget for the year.</p>"
    return f"<html><head><title>Story {number}</title></head><body><article>" + (
        f"<h1>Story {number}</h1>{paragraph * 12}</article></body></html>"
    )


@pytest.mark.e2e
def test_a_full_disk_in_a_round_of_known_pages_drops_each_page_once(small_disk: Path) -> None:
    routes = {f"/s{n}.html": (200, {}, _story(n)) for n in range(KNOWN_PAGES)}
    settings = {**FAST, "REDLINE_EXTRACT_WORKERS": "0"}
    with serve_pages(routes) as site:
        db_path = small_disk / "redline.db"
        track(db_path, [site.url(path) for path in routes])
        first = run_crawl("check", db_path, {"all": "true"}, settings)
        assert first.returncode == 0, first.stdout[-4000:]
        filler = _fill(small_disk, ROOM_FOR_A_FEW_CHECKS)
        result = run_crawl("check", db_path, {"all": "true"}, settings)
    assert result.returncode == STORAGE_ERROR_EXIT, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    (summary,) = [line for line in result.stdout.splitlines() if "the round stopped" in line]
    dropped = int(summary.split("the round stopped, ")[1].split()[0])
    # every page fetched and not recorded is dropped once, with one line, and none twice
    assert dropped >= 1
    assert result.stdout.count("Dropped: not recorded") == dropped
    filler.unlink()
    (unchanged,) = rows(db_path, "select count(*) as n from checks where outcome = 'unchanged'")
    assert unchanged["n"] + dropped <= KNOWN_PAGES
    # a dropped page is not counted as checked: the round counts what the database holds
    counted = re.search(r"(\d+) page\(s\) recorded", result.stdout)
    assert (int(counted[1]) if counted else 0) == unchanged["n"]
    _consistent(db_path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def newer_db(tmp_path: Path) -> Path:
    path = tmp_path / "newer.db"
    store.open_db(path).close()
    migrate_as_a_newer_redline(path)
    return path


def test_a_database_migrated_by_a_newer_redline_is_refused_unchanged(newer_db: Path) -> None:
    before = _digest(newer_db)
    with pytest.raises(NewerDatabaseError, match="m999_from_the_future"):
        store.open_db(newer_db)
    assert _digest(newer_db) == before


@pytest.mark.e2e
@pytest.mark.parametrize("spider", ["check", "discover"])
def test_a_raw_crawl_refuses_a_newer_database_with_one_reason(newer_db: Path, spider: str) -> None:
    before = _digest(newer_db)
    result = run_crawl(spider, newer_db, {"all": "true"}, {**FAST, "REDLINE_EXTRACT_WORKERS": "0"})
    assert result.returncode == REFUSED_EXIT, result.stdout[-4000:]  # not a storage stop
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    (reason,) = [line for line in result.stdout.splitlines() if "the round stopped" in line]
    assert "migrated by a newer Redline (migration m999_from_the_future" in reason, reason
    assert _digest(newer_db) == before


@pytest.mark.parametrize("command", [["init"], ["add", "https://news.example/a"], ["edits"]])
def test_commands_refuse_a_newer_database_with_one_line(newer_db: Path, command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["--db", str(newer_db), *command])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: database {newer_db} was migrated by a newer Redline (migration "
        "m999_from_the_future unknown here): upgrade Redline to use it"
    ]


@pytest.mark.e2e
def test_a_database_refused_between_checks_open_and_its_crawl_is_one_line(tmp_path: Path) -> None:
    """A newer Redline migrates the database while `redline check` starts its crawl: the crawl
    refuses it (REFUSED_EXIT), and check says why in one line, exit 1, as when its own open
    refuses it (before: "the crawl failed (exit 5)" after the crawl's log tail). The migration is
    written as soon as the crawl process exists: Scrapy's start-up takes a second or more before
    it opens the database."""
    import threading
    import time

    path = tmp_path / "x.db"
    store.open_db(path).close()
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    done = threading.Event()

    def migrate_when_the_crawl_starts() -> None:
        while not done.is_set() and not children.read_text().split():
            time.sleep(0.005)
        migrate_as_a_newer_redline(path)

    newer = threading.Thread(target=migrate_when_the_crawl_starts)
    newer.start()
    try:
        result = CliRunner().invoke(cli, ["--db", str(path), "check"])
    finally:
        done.set()
        newer.join()
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: database {path} was migrated by a newer Redline (migration "
        "m999_from_the_future unknown here): upgrade Redline to use it"
    ]
