"""Shared fixtures: the local demo site on 127.0.0.1, a database path, a real `scrapy crawl`."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from monitor import store
from monitor.crawl import run_crawl
from monitor.demo.site import DemoSite

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

# Property tests check behaviour, never time: Hypothesis's default 200 ms deadline per example
# and its "too slow" health check are wall-clock limits that fail on a loaded machine (an example
# over the deadline once and under it on replay is reported as flaky). Tests that set their own
# settings inherit these.
settings.register_profile("redline", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("redline")

# Our own site on loopback: no politeness delay needed, and the tests stay quick. One extraction
# worker: a test's round extracts a handful of pages, and a second worker costs its start (~0.4 s
# of CPU: Python and the extractor's imports) for none of them; the tests of the pool and of
# parallel extraction set REDLINE_EXTRACT_WORKERS themselves.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "LOG_LEVEL": "INFO",
    "REDLINE_EXTRACT_WORKERS": "1",
}


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus, or a skip saying it is absent (other clones have none)."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not available: {path} is absent (it lives beside the repository)")
    return path


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite() as demo:
        yield demo


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "redline.db"


def crawl(
    db_path: Path, settings: dict[str, str] | None = None, **args: str
) -> subprocess.CompletedProcess[str]:
    """Run `scrapy crawl check` as a real subprocess (FAST, plus `settings`) and fail with its
    log if it fails."""
    result = run_crawl("check", db_path, args, {**FAST, **(settings or {})}, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    return result


def track(db_path: Path, urls: list[str]) -> None:
    """Track `urls` in the database at `db_path`, as `redline add` would."""
    db = store.open_db(db_path)
    try:
        for url in urls:
            store.track_article(db, url, store.utc_now())
    finally:
        db.close()


def rows(db_path: Path, sql: str, params: list | None = None) -> list[dict]:
    db = store.open_db(db_path)
    try:
        return list(db.query(sql, params or []))
    finally:
        db.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A real PostgreSQL server for the session (tests/pg.py), or a skip saying why not."""
    from tests.pg import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer().start()
    except PostgresUnavailable as error:
        pytest.skip(f"PostgreSQL cannot be started: {error}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres) -> str:
    """A fresh database on the session's PostgreSQL server."""
    return postgres.create_database()
