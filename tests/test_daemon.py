"""The daemon end to end: discovery from the demo site's feed and section page, check rounds
across editions (edits, removal, restore, revert, redirect), 304s, robots, SIGTERM."""

from __future__ import annotations

import logging
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.crawl import REFUSED_EXIT, run_crawl, start_crawl
from monitor.daemon import Daemon, DaemonConfig
from monitor.demo import articles
from monitor.demo.site import DemoSite
from tests.conftest import FAST, ROOT, migrate_as_a_newer_redline, rows, track
from tests.loopback import LoopbackHTTPServer, serve_in_thread

pytestmark = pytest.mark.e2e

# Generous bounds for a loaded 2-core machine; each is a deadline to give up, not a timing claim.
WAIT_S = 90


def wait_for(condition, what: str, daemon: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if condition():
            return
        assert daemon.poll() is None, f"daemon exited early waiting for {what}"
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def add(db_path: Path, *args: str) -> None:
    """`redline add ARGS` through the real command-line entry point, in this process: what the
    daemon then reads is what the command wrote (the command's own tests, test_cli and
    test_cli_watch, run it the same way; a `python -m monitor` process here cost ~0.6 s of CPU
    each and tested nothing more)."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), "add", *args])
    assert result.exit_code == 0, result.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def poll(port: int, statuses: list[int], stop: threading.Event) -> None:
    """Read the edit feed through Datasette until told to stop (after it first answers)."""
    url = f"http://127.0.0.1:{port}/redline/edit_feed.json?_shape=array&_size=20"
    answered = False
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url, timeout=WAIT_S) as response:  # slow is not gone
                statuses.append(response.status)
                answered = True
        except urllib.error.HTTPError as error:
            with error:  # an HTTP error holds its connection open until closed
                statuses.append(error.code)
        except OSError:
            if answered:
                statuses.append(0)  # the server went away mid-run
        stop.wait(0.5)


def kinds_of(db_path: Path, slug: str) -> set[str]:
    return {
        r["kind"]
        for r in rows(
            db_path,
            "select edits.kind from edits join articles "
            "on articles.id = edits.article_id where articles.url like ?",
            [f"%/{slug}.html"],
        )
    }


def test_daemon_discovers_checks_follows_editions_and_stops_cleanly(tmp_path: Path) -> None:
    db_path = tmp_path / "daemon.db"
    log = tmp_path / "crawl.log"
    with DemoSite() as site:
        redline = [sys.executable, "-m", "monitor", "--db", str(db_path)]
        add(db_path, site.url("/feed.xml"), "--feed")
        add(db_path, site.url("/"), "--section", "--match", r"/(news/20|private/)")
        # A reader at the same time: `redline serve`, polled all through the run.
        port = free_port()
        server = subprocess.Popen(
            [*redline, "serve", "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        statuses: list[int] = []
        polling = threading.Event()
        poller = threading.Thread(target=poll, args=(port, statuses, polling), daemon=True)
        poller.start()
        daemon = subprocess.Popen(
            [
                *redline,
                "daemon",
                "--check-every",
                "2s",
                "--discover-every",
                "3s",
                "--revisit",
                "1s",
                "--allow-private",
                "--log-file",
                str(log),
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            first = set(site.article_urls())
            wait_for(
                lambda: (
                    {
                        r["url"]
                        for r in rows(db_path, "select url from articles where version_count > 0")
                    }
                    >= first
                ),
                "first versions",
                daemon,
            )
            # Re-checks of an unchanged edition are conditional: 304s.
            wait_for(lambda: any(r.status == 304 for r in site.requests), "a 304", daemon)

            site.edition = 2
            wait_for(
                lambda: kinds_of(db_path, articles.SLUG_NAME_AND_QUOTE) == {"name", "quote"},
                "edition 2 edits",
                daemon,
            )
            wait_for(
                lambda: (
                    rows(
                        db_path,
                        "select count(*) as n from versions v join articles a "
                        "on a.id = v.article_id where a.url like ?",
                        [f"%/{articles.SLUG_NEW}.html"],
                    )[0]["n"]
                    == 1
                ),
                "the new story",
                daemon,
            )

            # A manual crawl while the daemon runs: no "database is locked".
            manual = run_crawl(
                "check", db_path, {"all": "true"}, {**FAST, "REDLINE_REVISIT": "1s"}, timeout=120
            )
            assert manual.returncode == 0, manual.stdout[-3000:]
            assert "database is locked" not in manual.stdout

            site.edition = 3
            wait_for(
                lambda: (
                    {"removed"} <= kinds_of(db_path, articles.SLUG_NUMBER_AND_CORRECTION)
                    and {"reverted"} <= kinds_of(db_path, articles.SLUG_HEADLINE_AND_REMOVAL)
                    and {"redirected"} <= kinds_of(db_path, articles.SLUG_TYPO_AND_ADDITION)
                ),
                "removal, revert and redirect",
                daemon,
            )
            site.edition = 4
            wait_for(
                lambda: "restored" in kinds_of(db_path, articles.SLUG_NUMBER_AND_CORRECTION),
                "restore",
                daemon,
            )
        finally:
            started = time.monotonic()
            daemon.send_signal(signal.SIGTERM)
            output, _ = daemon.communicate(timeout=60)
            stopped_in = time.monotonic() - started
            polling.set()
            poller.join()
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        # Datasette answered every poll while the daemon and a manual crawl were writing.
        assert len(statuses) >= 10 and set(statuses) == {200}, statuses
        assert daemon.returncode == 0, output[-3000:]
        assert "Traceback" not in output
        assert "daemon stopped" in output
        # Nothing of the daemon's after its last line (a round cut short logs before it).
        daemon_lines = [line for line in output.splitlines() if "monitor.daemon" in line]
        assert "daemon stopped" in daemon_lines[-1], daemon_lines[-3:]
        # Every check round says what it found, counted from the rows it wrote.
        assert re.search(r"check round \d+: checked \d+, \d+ new articles?, 0 new versions", output)
        assert re.search(r"check round \d+: checked \d+, \d+ new versions?, \d+ edits? \(", output)
        assert stopped_in < 30  # a bound to fail on a hang, not a performance claim

        # The robots-disallowed link on the section page was refused at discovery, never fetched.
        assert rows(db_path, "select id from articles where url like '%/private/%'") == []
        assert f"refused {site.url(articles.PRIVATE_PATH)}" in log.read_text()
        assert not [r for r in site.requests if r.path.startswith("/private/")]

    # Restarting resumes from the database: the same articles, no duplicate versions.
    per_seq = rows(
        db_path,
        "select article_id, seq, count(*) as n from versions group by article_id, seq having n > 1",
    )
    assert per_seq == []


class SlowSite:
    """A loopback site that answers slowly and counts how many requests it holds at once.

    A request is in flight from its arrival until its answer starts: the count goes down before
    the answer is written, so a client that has read one answer and sends the next request can
    never be counted twice (counting down after the write, a handler thread descheduled between
    the two on a loaded machine made a polite crawl look like two requests at once)."""

    def __init__(self, articles: int = 6) -> None:
        self.paths = [f"/news/story-{n}.html" for n in range(articles)]
        self.in_flight = 0
        self.most_in_flight = 0
        self.served = 0
        self.count_lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.count_lock:
                    site.in_flight += 1
                    site.most_in_flight = max(site.most_in_flight, site.in_flight)
                try:
                    time.sleep(0.15)  # a slow site: a second request now would be counted
                    status, body = site.answer(self.path)
                finally:
                    with site.count_lock:
                        site.in_flight -= 1
                        site.served += 1
                if status != 200:
                    self.send_error(status)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        serve_in_thread(self.server)

    def answer(self, path: str) -> tuple[int, bytes]:
        if path == "/feed.xml":
            items = "".join(f"<item><link>{self.url(p)}</link></item>" for p in self.paths)
            return 200, f"<rss><channel><title>t</title>{items}</channel></rss>".encode()
        if path.startswith("/news/"):
            text = "<p>A sentence long enough to be kept by the extractor, surely.</p>" * 5
            return 200, f"<html><body><article><h1>{path}</h1>{text}</article>".encode()
        return 404, b""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_discovery_and_check_rounds_never_fetch_from_a_site_at_once(tmp_path: Path) -> None:
    """Each crawl keeps one request at a time per site; two crawls together would make it two."""
    site = SlowSite()
    try:
        db_path = tmp_path / "polite.db"
        add(db_path, site.url("/feed.xml"), "--feed")
        for path in site.paths[:3]:  # due for the check round; the feed lists them all
            add(db_path, site.url(path))
        one_at_a_time = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.05"}
        daemon = Daemon(DaemonConfig(db_path=db_path, settings=one_at_a_time))
        rounds = [
            threading.Thread(target=daemon.discover_round),
            threading.Thread(target=daemon.check_round),
        ]
        for job in rounds:
            job.start()
        for job in rounds:
            job.join(timeout=300)
        assert daemon.rounds == {"check": 1, "discover": 1}
        assert site.served >= len(site.paths)  # both crawls did fetch
        assert site.most_in_flight == 1
    finally:
        site.close()


def test_a_stop_while_a_round_starts_its_crawl_stops_that_crawl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM after a round has checked for a stop but before its crawl is known to the daemon:
    that crawl is stopped too, not left to run its whole round while the daemon waits for it."""
    import monitor.daemon as daemon_module

    with DemoSite() as site:
        db_path = tmp_path / "stop.db"
        track(db_path, site.article_urls())
        log = tmp_path / "crawl.log"
        daemon = Daemon(DaemonConfig(db_path=db_path, settings=dict(FAST), log_file=log))
        started: list[subprocess.Popen[bytes]] = []

        def start_then_stop(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
            child = start_crawl(*args, **kwargs)  # the real crawl
            started.append(child)
            daemon.stop(signal.SIGTERM)  # the signal lands now, as it can on a busy machine
            return child

        monkeypatch.setattr(daemon_module, "start_crawl", start_then_stop)
        daemon.check_round()
    [child] = started
    # Stopped: killed by the signal before Scrapy handled it, or shut down by Scrapy on it.
    assert child.returncode == -signal.SIGTERM or "Received SIGTERM" in log.read_text()


def _refusals(records: list[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if r.levelno >= logging.ERROR]


def test_a_database_a_newer_redline_migrates_while_the_daemon_runs_stops_it_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Not a storage stop tried again every round (with a traceback a round from each read):
    one line saying why, no crawl, and the daemon exits 1 as `redline daemon` on such a file."""
    db_path = tmp_path / "upgraded.db"
    track(db_path, ["https://news.example/a"])
    daemon = Daemon(DaemonConfig(db_path=db_path, settings=dict(FAST)))
    migrate_as_a_newer_redline(db_path)
    with caplog.at_level(logging.INFO):
        code = daemon.run()
    assert code == 1
    assert _refusals(caplog.records) == [
        f"database {db_path} was migrated by a newer Redline (migration m999_from_the_future "
        "unknown here): upgrade Redline to use it; the daemon stops"
    ]
    assert not [r for r in caplog.records if r.exc_info]
    assert daemon.rounds == {"check": 0, "discover": 0}


def test_a_crawl_refusing_a_newer_database_stops_the_daemon_not_as_a_storage_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The migration lands between the round's read and its crawl: the real `scrapy crawl` exits
    REFUSED_EXIT, and the daemon says why once and stops (before: "the database could not be
    written", its pages "stay due", every round)."""
    import monitor.daemon as daemon_module

    db_path = tmp_path / "upgraded.db"
    track(db_path, ["https://news.example/a"])
    log = tmp_path / "crawl.log"
    daemon = Daemon(DaemonConfig(db_path=db_path, settings=dict(FAST), log_file=log))
    started: list[subprocess.Popen[bytes]] = []

    def migrate_then_start(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        migrate_as_a_newer_redline(db_path)  # a newer Redline's `init`, just now
        started.append(start_crawl(*args, **kwargs))  # the real crawl
        return started[-1]

    monkeypatch.setattr(daemon_module, "start_crawl", migrate_then_start)
    with caplog.at_level(logging.INFO):
        daemon.check_round()
        daemon.check_round()  # stopped: no second crawl, no second line
    assert [child.returncode for child in started] == [REFUSED_EXIT]
    assert "database refused: database" in log.read_text()
    assert _refusals(caplog.records) == [
        f"database {db_path} was migrated by a newer Redline (migration m999_from_the_future "
        "unknown here): upgrade Redline to use it; the daemon stops"
    ]
    assert daemon.stopping.is_set()


def test_the_alerts_job_saving_pages_stops_the_daemon_on_a_newer_database_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """With `archive.save_significant` on and no alert target, the alerts job (every minute)
    opens the database only to save pages: a newer Redline's migration stops the daemon there
    too, with one line, not a traceback a minute until the next check round."""
    db_path = tmp_path / "upgraded.db"
    track(db_path, ["https://news.example/a"])
    config_file = tmp_path / "redline.toml"
    config_file.write_text("[archive]\nsave_significant = true\n", encoding="utf-8")
    daemon = Daemon(DaemonConfig(db_path=db_path, settings=dict(FAST), config_path=config_file))
    migrate_as_a_newer_redline(db_path)
    with caplog.at_level(logging.INFO):
        daemon.alerts_round()
        daemon.alerts_round()
    assert not [r for r in caplog.records if r.exc_info]
    assert _refusals(caplog.records) == [
        f"database {db_path} was migrated by a newer Redline (migration m999_from_the_future "
        "unknown here): upgrade Redline to use it; the daemon stops"
    ]
    assert daemon.stopping.is_set()
