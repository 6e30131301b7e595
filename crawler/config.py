"""Redline's Scrapy settings (REDLINE_*) read once into plain values for the spider and pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scrapy.settings import BaseSettings

from monitor.policy import RevisitPolicy, parse_duration

DEFAULT_DB = "data/redline.db"


@dataclass(frozen=True)
class CrawlConfig:
    db_path: Path
    policy: RevisitPolicy
    round_limit: int
    allow_private: bool  # track discovered links on private, loopback or link-local addresses


def db_path_from(settings: BaseSettings) -> Path:
    """REDLINE_DB setting, else the REDLINE_DB environment variable, else data/redline.db."""
    return Path(settings.get("REDLINE_DB") or os.environ.get("REDLINE_DB") or DEFAULT_DB)


def crawl_config(settings: BaseSettings) -> CrawlConfig:
    revisit = settings.get("REDLINE_REVISIT")
    policy = RevisitPolicy(
        max_age=parse_duration(settings.get("REDLINE_MAX_AGE") or "30d"),
        fixed=parse_duration(revisit) if revisit else None,
    )
    return CrawlConfig(
        db_path=db_path_from(settings),
        policy=policy,
        round_limit=settings.getint("REDLINE_ROUND_LIMIT", 500),
        allow_private=settings.getbool("REDLINE_ALLOW_PRIVATE", False),
    )
