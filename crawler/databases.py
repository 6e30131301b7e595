"""The database files a crawl works on, shard files locked for the length of the crawl.

The spider reads its articles (or sources) from each file, the pipeline records every page in
the file it came from, the guard reads the hosts the user named from all of them. A shard file
whose crawl lock another process holds (`monitor.store.lock`) is left out of this crawl with one
logged line: its articles stay due for the crawl that holds it, or the next one. When every file
is left out, the crawl fetches nothing and `scrapy crawl` exits BUSY_EXIT. With REDLINE_LEFT_OUT
(a file path; a cluster node sets it) the files left out are also written there, one a line, so
that the node does not count their rounds as done when the crawl exits 0 for the others. A file
refused (`RefusedDatabaseError`: not a database, another application's, migrated by a newer
Redline) among several is left out the same way, with one logged line, and marked as refused in
that report; the others are crawled and `scrapy crawl` exits REFUSED_EXIT at the end. A single
file refused stops the round before it begins (marked as refused in that report all the same).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.config import crawl_config
from monitor import store
from monitor.crawl import REFUSED_MARK
from monitor.errors import DatabaseError, RefusedDatabaseError, StorageError
from monitor.store.lock import DatabaseBusy, DatabaseLock, is_shard_file, lock_database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Databases:
    paths: tuple[Path, ...]  # the files this crawl works on, in the order given
    busy: tuple[str, ...]  # why each file left out was left out
    left_out: tuple[Path, ...]  # the files left out, in the order of `busy`
    locks: tuple[DatabaseLock, ...]
    stopped: bool = False  # a storage error stopped the round before it began (logged here)
    # the files left out because they are refused (`RefusedDatabaseError`), of several given
    refused: tuple[Path, ...] = ()

    def release(self) -> None:
        """At the crawl's end (its connections closed): each file's WAL cut to nothing, before
        its lock goes (`store.checkpoint_wal`), then the locks."""
        for path in self.paths:
            try:
                store.checkpoint_wal(path)
            except sqlite3.Error as error:  # the WAL stays as it is; the next round tries again
                logger.warning("could not checkpoint the WAL of %s: %s", path, error)
        for lock in self.locks:
            lock.release()


def crawl_databases(crawler: Crawler) -> Databases:
    """The crawl's databases, locked on first use (by the spider or the pipeline) and kept on the
    crawler for the other components; the locks go when the process ends."""
    held = getattr(crawler, "redline_databases", None)
    if isinstance(held, Databases):
        return held
    paths: list[Path] = []
    busy: list[str] = []
    left_out: list[Path] = []
    locks: list[DatabaseLock] = []
    refused: list[Path] = []
    every = crawl_config(crawler.settings).db_paths
    try:
        for path in every:
            lock = None
            if is_shard_file(path):
                try:
                    lock = lock_database(path)
                except DatabaseBusy as error:
                    logger.error("%s", error)
                    busy.append(str(error))
                    left_out.append(path)
                    continue
                locks.append(lock)
            try:
                _check_opens(path)
            except RefusedDatabaseError as error:
                if len(every) == 1:
                    raise
                # One file of several (a cluster node's shards): the others are crawled, this
                # one is named in one line, and `scrapy crawl` exits REFUSED_EXIT at the end.
                if lock is not None:
                    locks.remove(lock)
                    lock.release()
                logger.error("database refused: %s; left out of this crawl", error)
                busy.append(str(error))
                left_out.append(path)
                refused.append(path)
                continue
            paths.append(path)
        if refused:
            setattr(crawler, "redline_refused", "; ".join(busy))  # noqa: B010
        held = Databases(
            tuple(paths), tuple(busy), tuple(left_out), tuple(locks), refused=tuple(refused)
        )
    except DatabaseError as error:  # nothing crawled; `scrapy crawl` exits 3 or 5
        # a file that cannot be written (StorageError: STORAGE_ERROR_EXIT), or one refused (a
        # newer Redline migrated it, an older Redline run after an upgrade; not a database:
        # REFUSED_EXIT): one reason, no traceback, the file untouched
        for lock in locks:
            lock.release()
        storage = isinstance(error, StorageError)
        kind = "storage error" if storage else "database refused"
        logger.error("%s: %s; the round stopped, 0 fetched page(s) not recorded", kind, error)
        reason = "redline_storage_error" if storage else "redline_refused"
        setattr(crawler, reason, str(error))
        # a refused file is marked so in the report: a node fails its job (REFUSED_EXIT), never
        # takes it for a file another crawl held (BUSY_EXIT: given back, queued again each tick);
        # a storage stop keeps the refusals found before it
        held = Databases(
            (), (str(error),), every, (), stopped=True, refused=tuple(refused) if storage else every
        )
    setattr(crawler, "redline_databases", held)  # noqa: B010
    report = crawler.settings.get("REDLINE_LEFT_OUT")
    if report:
        write_left_out(Path(report), held.left_out, held.refused)
    return held


def _check_opens(path: Path) -> None:
    """StorageError if the database cannot be opened for writing at the round's start, so that
    the round stops with its reason before any component opens it (`store.open_db_for_round`)."""
    store.open_db_for_round(path).close()


def write_left_out(report: Path, left_out: tuple[Path, ...], refused: tuple[Path, ...]) -> None:
    """The files left out, one a line (an empty file: none), those refused marked
    (`REFUSED_MARK`), for the node that started the crawl; if it cannot be written, the node
    counts every round of the crawl as not done."""
    lines = (f"{REFUSED_MARK if path in refused else ''}{path}\n" for path in left_out)
    try:
        report.write_text("".join(lines), encoding="utf-8")
    except OSError as error:
        logger.error("cannot write the files left out to %s: %s", report, error)
