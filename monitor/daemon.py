"""`redline daemon`: discovery and check rounds on a schedule, each a `scrapy crawl` subprocess.

APScheduler's BlockingScheduler in UTC; each job coalesces, runs one instance at a time and has a
real misfire grace time (the default of 1 s silently skips a round that starts late). Missed and
failed rounds are logged. Crawls run one at a time (a discovery round waits for a check round and
the other way round), so a site is never fetched by two crawls at once. SIGTERM or SIGINT stops
the scheduler, forwards the signal to the running crawl (which finishes its current item and
exits), and the daemon exits 0. Everything it knows lives in the database, so a restart resumes
where it stopped.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TypeVar

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlite_utils import Database

from monitor import store
from monitor.alerts import send_pending_alerts
from monitor.cli.render import when
from monitor.config import Config, load_config
from monitor.crawl import (
    REFUSED_EXIT,
    STORAGE_ERROR_EXIT,
    start_crawl,
    stop_crawl,
    storage_error_line,
)
from monitor.errors import RefusedDatabaseError
from monitor.fetch.sources import load_sources
from monitor.report import DiscoveryMark, RoundMark
from monitor.store.rounds import (
    discovery_mark,
    discovery_report,
    next_check_due,
    round_mark,
    round_report,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

# After a stop, how long the daemon waits for the round in progress to log its last line (its
# crawl has been sent SIGTERM and finishes its current item), so nothing follows "daemon stopped".
STOP_WAIT_S = 60


@dataclass(frozen=True)
class DaemonConfig:
    db_path: Path
    check_every: timedelta = timedelta(minutes=5)
    discover_every: timedelta = timedelta(minutes=15)
    revisit: timedelta | None = None
    sources_file: Path | None = None
    crawl_timeout: timedelta = timedelta(minutes=30)
    log_file: Path | None = None
    settings: dict[str, str] = field(default_factory=dict)  # extra Scrapy settings (-s)
    config_path: Path | None = None  # `--config`: alert rules and targets (else $REDLINE_CONFIG)


class Daemon:
    def __init__(self, config: DaemonConfig) -> None:
        self.config = config
        self.scheduler = BlockingScheduler(timezone=UTC)
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()
        # One crawl at a time: a discovery and a check crawl running together would each keep
        # their own per-site delay and concurrency, fetching from the same site twice as fast.
        self.crawling = threading.Lock()
        self.stopping = threading.Event()
        self.rounds: dict[str, int] = {"check": 0, "discover": 0}
        # Why the database was refused mid-run (a newer Redline migrated it): the daemon stops.
        self.refused: str | None = None

    # --- rounds ------------------------------------------------------------------------------
    def _settings(self) -> dict[str, str]:
        settings = dict(self.config.settings)
        if self.config.revisit is not None:
            settings["REDLINE_REVISIT"] = f"{int(self.config.revisit.total_seconds())}s"
        return settings

    def _run(self, spider: str) -> None:
        while not self.crawling.acquire(timeout=0.5):
            if self.stopping.is_set():
                return
        try:
            if not self.stopping.is_set():
                self._crawl(spider)
        finally:
            self.crawling.release()

    def _crawl(self, spider: str) -> None:
        mark = self._mark() if spider == "check" else None
        found = self._discovery_mark() if spider == "discover" else None
        if self.refused is not None:  # the marks' read met a refused database: no crawl
            return
        child = start_crawl(spider, self.config.db_path, {}, self._settings(), self.config.log_file)
        with self.lock:
            self.running[spider] = child
            stopped_meanwhile = self.stopping.is_set()
        if stopped_meanwhile:  # a stop between the round's check and now did not see this crawl
            child.send_signal(signal.SIGTERM)
        try:
            code = child.wait(timeout=self.config.crawl_timeout.total_seconds())
        except subprocess.TimeoutExpired:
            logger.error(
                "%s round timed out after %s; stopping it", spider, self.config.crawl_timeout
            )
            stop_crawl(child)
            code = child.returncode
        finally:
            with self.lock:
                self.running.pop(spider, None)
        self.rounds[spider] += 1
        if code == REFUSED_EXIT:  # the crawl's reason, as the daemon's own open gives it
            self._read(lambda db: None, "could not read the database the crawl refused", None)
            self._refuse(
                self.refused
                or f"{spider} round {self.rounds[spider]}: the crawl "
                "refused the database (see the crawl log)"
            )
        elif code == STORAGE_ERROR_EXIT:
            logger.error(
                "%s round %d stopped: the database could not be written (%s); its pages stay due",
                spider,
                self.rounds[spider],
                storage_error_line(self.config.log_file) or "see the crawl log",
            )
        elif code != 0 and not self.stopping.is_set():
            logger.error("%s round %d failed: scrapy exited %s", spider, self.rounds[spider], code)
        else:  # what it wrote, even when a stop cut it short
            cut = " (stopped early)" if self.stopping.is_set() else ""
            if mark is not None:
                logger.info("check round %d: %s%s", self.rounds[spider], self._report(mark), cut)
            elif found is not None:
                logger.info("discover round %d: %s%s", self.rounds[spider], self._found(found), cut)
            else:
                logger.info("%s round %d finished%s", spider, self.rounds[spider], cut)

    def _read(self, read: Callable[[Database], T], failed: str, fallback: T) -> T:
        """`read` on the database, or `fallback` when it cannot be read (logged)."""
        try:
            db = store.open_db(self.config.db_path)
            try:
                return read(db)
            finally:
                db.close()
        except RefusedDatabaseError as error:  # every later round would meet it too
            self._refuse(str(error))
            return fallback
        except Exception:  # a job boundary: the round goes on, only its line is lost
            logger.exception("%s", failed)
            return fallback

    def _refuse(self, reason: str) -> None:
        """The database is refused (migrated by a newer Redline while the daemon ran): say why
        once, and stop as `redline daemon` refuses such a file at its start (exit 1)."""
        with self.lock:
            first = self.refused is None
            if first:
                self.refused = reason
        if first:
            logger.error("%s; the daemon stops", reason)
        self.stop()

    def _mark(self) -> RoundMark | None:
        return self._read(round_mark, "could not read the database before the check round", None)

    def _discovery_mark(self) -> DiscoveryMark | None:
        return self._read(
            discovery_mark, "could not read the database before the discovery round", None
        )

    def _found(self, mark: DiscoveryMark) -> str:
        """What discovery found: "read 3 sources, 7 new articles: a.example 5, b.example 2"."""
        return self._read(
            lambda db: discovery_report(db, mark).line(),
            "could not read what the discovery round found",
            "finished (what it found could not be read)",
        )

    def _report(self, mark: RoundMark) -> str:
        """What the round wrote: "checked 120, 3 new versions, 5 edits, 1 failed: a.example 403";
        when nothing was due, when the next article is: "checked 0 (next due 2026-11-02 10:30
        UTC)"."""

        def line(db: Database) -> str:
            report = round_report(db, mark)
            if report.checked:
                return report.line()
            due = next_check_due(db)
            return f"checked 0 ({'next due ' + when(due) if due else 'nothing watched'})"

        return self._read(
            line,
            "could not read what the check round found",
            "finished (what it found could not be read)",
        )

    def check_round(self) -> None:
        self._run("check")

    def discover_round(self) -> None:
        if self.config.sources_file is not None:
            try:
                specs = load_sources(self.config.sources_file)
                db = store.open_db(self.config.db_path)
                try:
                    for spec in specs:
                        store.add_source(db, spec.kind, spec.url, spec.match, store.utc_now())
                finally:
                    db.close()
            except RefusedDatabaseError as error:
                self._refuse(str(error))
            except Exception:  # a job boundary: log why, keep the daemon alive
                logger.exception("could not load sources from %s", self.config.sources_file)
        self._run("discover")

    def alerts_round(self) -> None:
        """Send the alerts the rules ask for; a job of its own, so a slow target never delays a
        crawl. The configuration is re-read every round, like the sources file."""
        if self.stopping.is_set():
            return
        try:
            config = load_config(self.config.config_path)
            if config.archive.save_significant:
                self._save_pages(config)
            if not config.alerts.targets:
                return
            db = store.open_db(self.config.db_path)
            try:
                report = send_pending_alerts(db, config)
            finally:
                db.close()
            if report.queued or report.sent or report.failed:
                logger.info("%s", report.line())
        except RefusedDatabaseError as error:
            self._refuse(str(error))
        except Exception:  # a job boundary: log why, keep the daemon alive
            logger.exception("alerts round failed")

    def _save_pages(self, config: Config) -> None:
        """Save Page Now for the changes with significant edits (`archive.save_significant`)."""
        from monitor.archive.command import client_for
        from monitor.archive.save import save_significant

        try:
            db = store.open_db(self.config.db_path)
            try:
                report = save_significant(db, config, client_for(config.archive), store.utc_now())
            finally:
                db.close()
        except RefusedDatabaseError:  # the alerts job stops the daemon on it (`_refuse`)
            raise
        except Exception:  # a job boundary: a failing archive must not stop the alerts
            logger.exception("save page now failed")
            return
        if report.queued or report.saved or report.failed:
            logger.info("%s", report.line())

    # --- lifecycle ---------------------------------------------------------------------------
    def _on_event(self, event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            logger.warning(
                "round %s missed its start time %s", event.job_id, event.scheduled_run_time
            )
        elif event.exception is not None:
            logger.error("round %s failed: %r", event.job_id, event.exception)

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        """Stop scheduling and stop the running crawls; safe to call from a signal handler."""
        del frame
        if self.stopping.is_set():
            return
        self.stopping.set()
        logger.info("stopping (signal %s)", signum)
        # Set before the running crawls are read under the lock: a crawl registered after this
        # read sees the stop when it registers (`_crawl`), so every crawl gets its SIGTERM.
        with self.lock:
            children = list(self.running.values())
        for child in children:
            child.send_signal(signal.SIGTERM)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def run(self) -> int:
        now = datetime.now(UTC)
        alerts_every = load_config(self.config.config_path).alerts.every  # a bad file fails now
        common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
        for job_id, func, every, first in (
            ("discover", self.discover_round, self.config.discover_every, now),
            ("check", self.check_round, self.config.check_every, now + timedelta(seconds=1)),
            ("alerts", self.alerts_round, alerts_every, now + timedelta(seconds=2)),
        ):
            self.scheduler.add_job(
                func,
                "interval",
                id=job_id,
                seconds=every.total_seconds(),
                next_run_time=first,
                # A round that starts late still runs, up to one interval late.
                misfire_grace_time=max(30, int(every.total_seconds())),
                **common,
            )
        self.scheduler.add_listener(self._on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR)
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info(
            "daemon started: check every %s, discover every %s, database %s",
            self.config.check_every,
            self.config.discover_every,
            self.config.db_path,
        )
        try:
            self.scheduler.start()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        with self.lock:
            children = list(self.running.values())
        for child in children:
            stop_crawl(child)
        # The round in progress logs its last line before this one (it holds `crawling`).
        if self.crawling.acquire(timeout=STOP_WAIT_S):
            self.crawling.release()
        logger.info(
            "daemon stopped after %d check and %d discovery rounds",
            self.rounds["check"],
            self.rounds["discover"],
        )
        return 0 if self.refused is None else 1
