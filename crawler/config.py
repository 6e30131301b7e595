"""Redline's Scrapy settings (REDLINE_*) read once into plain values for the spider and pipeline."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from scrapy.settings import BaseSettings

from monitor.errors import ConfigError
from monitor.extract.pool import default_size
from monitor.fetch.policy import RevisitPolicy, parse_duration

logger = logging.getLogger(__name__)

DEFAULT_DB = "data/redline.db"
# Database files one crawl works on, at most: a cluster has at most 4096 shards
# (monitor.cluster.shards.MAX_SHARDS), and a node crawls a few of them at a time.
MAX_DATABASES = 4096
# Known pages (a 304, or the last page read again) handed to the writer that the spider does not
# wait for, at most (REDLINE_RECORDS_IN_FLIGHT's default); past this many the spider waits
# for room. Each holds its body (typically 50 to 300 kB, at most DOWNLOAD_MAXSIZE) until it is
# recorded, within RECORDS_IN_FLIGHT_BYTES; a 304 holds a few hundred bytes. The writer records
# them in groups as large as this (`crawler.writer.GROUP_MAX`) while the spider keeps handing
# them: 1,024, more than the due articles of a round (REDLINE_ROUND_LIMIT, 500), so that a
# round of 304s on a fast site is recorded in a group or two. At 64 (sessions 10-18) the
# spider waited for room about twice a page of a 1,000-page round of 304s and the writer's
# groups of 32 ran beside the reactor's thread all round long, the two threads taking the GIL
# from each other and the loopback site's core: 0.80x a bare spider's rate [0.72-0.83], 1.57
# against 1.23 s of CPU; at 1,024, 0.95x [0.91-0.98], 1.30 s (issue 23, session 19, quiet, 6
# pairs).
RECORDS_IN_FLIGHT = 1024


@dataclass(frozen=True)
class CrawlConfig:
    db_path: Path  # the first of `db_paths`
    policy: RevisitPolicy
    round_limit: int
    allow_private: bool  # track discovered links on private, loopback or link-local addresses
    extract_workers: int  # worker processes for extraction; 0 extracts in the crawler's process
    extract_timeout: float  # seconds a worker may spend on one page
    # Seconds a worker may spend comparing a new version with the latest one; past it the version
    # is stored with a coarse summary. Default well under a round's timeout (30 min).
    compare_timeout: float = 20.0
    # Every database file of the crawl: REDLINE_DATABASES (a cluster node's batch of shards),
    # else the one of `db_path_from`. Each page is recorded in the file its article came from.
    db_paths: tuple[Path, ...] = ()
    # Known pages handed to the store's writer and not yet recorded, at most (RECORDS_IN_FLIGHT)
    records_in_flight: int = RECORDS_IN_FLIGHT


def db_path_from(settings: BaseSettings) -> Path:
    """REDLINE_DB setting, else the REDLINE_DB environment variable, else data/redline.db."""
    return Path(settings.get("REDLINE_DB") or os.environ.get("REDLINE_DB") or DEFAULT_DB)


def db_paths_from(settings: BaseSettings) -> tuple[Path, ...]:
    """REDLINE_DATABASES (files separated by os.pathsep), else the one of `db_path_from`."""
    value = str(settings.get("REDLINE_DATABASES") or "")
    listed = [part for part in value.split(os.pathsep) if part]
    return tuple(dict.fromkeys(Path(part) for part in listed)) or (db_path_from(settings),)


def crawl_config(settings: BaseSettings) -> CrawlConfig:
    """The REDLINE_* settings, checked. A bad value is a user's mistake: one logged line and exit
    status 2 before anything is fetched or written (SystemExit leaves Scrapy's event loop, where
    any other exception would be logged with a traceback and the crawl would exit 0 or 1)."""
    try:
        return _read(settings)
    except ConfigError as error:
        logger.error("bad setting: %s", error)
        raise SystemExit(2) from None


def _read(settings: BaseSettings) -> CrawlConfig:
    revisit = settings.get("REDLINE_REVISIT")
    policy = RevisitPolicy(
        max_age=parse_duration(settings.get("REDLINE_MAX_AGE") or "30d"),
        fixed=parse_duration(revisit) if revisit else None,
    )
    paths = db_paths_from(settings)
    if len(paths) > MAX_DATABASES:
        raise ConfigError(f"REDLINE_DATABASES lists {len(paths)} files; at most {MAX_DATABASES}")
    return CrawlConfig(
        db_path=paths[0],
        db_paths=paths,
        policy=policy,
        round_limit=settings.getint("REDLINE_ROUND_LIMIT", 500),
        allow_private=settings.getbool("REDLINE_ALLOW_PRIVATE", False),
        extract_workers=_workers(settings.get("REDLINE_EXTRACT_WORKERS")),
        extract_timeout=_positive(settings, "REDLINE_EXTRACT_TIMEOUT", 60.0),
        compare_timeout=_positive(settings, "REDLINE_COMPARE_TIMEOUT", 20.0),
        records_in_flight=_count(settings, "REDLINE_RECORDS_IN_FLIGHT", RECORDS_IN_FLIGHT),
    )


def _workers(value: object) -> int:
    if value is None or str(value).strip().lower() in ("", "none", "auto"):
        return default_size()
    try:
        workers = int(str(value))
    except ValueError:
        workers = -1
    if workers < 0:
        raise ConfigError(f"REDLINE_EXTRACT_WORKERS must be a whole number >= 0, not {value!r}")
    return workers


def _count(settings: BaseSettings, name: str, default: int) -> int:
    try:
        value = settings.getint(name, default)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{name} must be a whole number >= 1, not {settings.get(name)!r}")
    return value


def _positive(settings: BaseSettings, name: str, default: float) -> float:
    try:
        value = settings.getfloat(name, default)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise ConfigError(f"{name} must be a number of seconds above 0, not {settings.get(name)!r}")
    return value
