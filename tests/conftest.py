"""Shared fixtures: the local demo site on 127.0.0.1, a database path, a real `scrapy crawl`."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


# The suite's longest tests by name, longest first: each took over 5 s (its call, all its cases) in
# `pytest -n auto --durations=0` on a loaded 2-core machine (session 11): real crawls, a daemon,
# PostgreSQL, Chromium, Hypothesis over extraction. Together about three quarters of the suite's
# work. Tests of modules with a module-scoped fixture are left in place (moving one would set the
# fixture up twice), except where that fixture is `built_once` (a second set-up copies a file).
# pytest-xdist hands tests out in collection order: a 40 s test handed out last keeps one worker
# busy while the others sit idle (the idle wait showed as a 48 s "teardown" of the suite's last
# test). Run first, they overlap each other and the short tests fill the end. Only the order
# changes; a name missing here (renamed, new) just runs in its place.
# One test of each module whose fixture is `built_once` comes early too (after the three
# longest): its worker builds while the others run long tests, instead of the build starting
# when the module's turn comes and every worker that draws one of its tests waiting on the lock.
LONGEST_FIRST = """
test_the_compare_command_and_the_crawl_agree_on_every_pair
test_headline_test_and_live_blog_end_to_end
test_extraction_never_raises_and_returns_text
test_a_crawl_records_the_response_headers_with_each_kept_page
test_show_prints_the_headers_without_their_sequences
test_daemon_discovers_checks_follows_editions_and_stops_cleanly
test_a_bad_setting_is_one_logged_line_and_no_check
test_lifecycle_removed_reverted_redirected_restored
test_three_workers_share_the_rounds_and_survive_a_killed_node
test_a_round_of_known_pages_records_every_one_before_it_ends
test_boilerplate_churn_alone_stores_no_version
test_a_screenshot_is_kept_shown_and_exported_with_each_new_version
test_sigkill_during_crawls_loses_nothing
test_a_304_after_a_redirect_is_unchanged_only_where_the_article_was_read
test_a_shell_is_read_again_in_the_browser_and_its_site_remembered
test_a_page_is_decoded_by_its_declared_charset
test_a_redesign_is_no_edit_and_an_edit_inside_it_is_exactly_that_edit
test_a_page_slower_than_the_extraction_timeout_is_extraction_failed
test_a_round_stopped_gracefully_records_every_page_on_its_way
test_an_unchanged_round_logs_one_summary_line
test_manual_scrapy_crawl_from_the_repository_root
test_the_first_round_after_an_upgrade_refreshes_each_latest_version_in_the_workers
test_normalize_text_is_the_same_as_before_it_was_made_faster
test_a_site_set_to_render_is_monitored_end_to_end
test_discovery_and_check_rounds_never_fetch_from_a_site_at_once
test_a_hung_test_fails_alone_in_an_xdist_worker
test_one_poisoned_article_and_thirty_normal_ones_are_all_checked_in_one_round
test_a_real_crawl_checks_only_what_is_watched_and_remove_keeps_history_unless_purged
test_check_command_reports_progress_and_outcomes
test_walls_throttling_and_paywalls_are_states_never_content
test_a_round_of_unchanged_pages_starts_no_worker
test_demo_command_prints_flagged_edits
test_the_next_edition_yields_exactly_the_intended_edits
test_plain_crawl_checks_only_due_articles
test_concurrent_writers_and_a_reader
test_a_crawl_leaves_out_a_shard_file_another_crawl_holds
test_a_quote_edit_is_found_on_a_page_carrying_a_forbidden_reference
test_a_template_change_is_one_event_and_the_real_edit_is_exactly_what_is_reported
test_redirects_to_the_article_itself_keep_it_monitored
test_without_chromium_one_line_says_why_the_site_cannot_be_read
test_recrawl_of_the_same_edition_is_conditional_and_stores_nothing
test_neither_a_web_socket_nor_a_service_worker_gets_around_the_guard
test_worker_processes_store_what_in_process_extraction_stores
test_a_round_of_large_known_pages_waits_for_room_and_records_every_one
test_a_manual_check_of_a_held_shard_is_refused_in_one_line
test_check_command_says_why_a_check_failed
test_redline_check_reports_the_dropped_pages
test_workers_do_not_outlive_a_killed_parent
test_extract_then_compare_never_raises
test_comparing_a_text_with_itself_yields_nothing
test_crawl_delay_from_robots_is_applied_and_user_agent_is_honest
test_a_full_disk_in_a_round_of_known_pages_drops_each_page_once
test_one_crawl_records_each_page_in_the_shard_file_it_came_from
test_a_raw_crawl_refuses_a_newer_database_with_one_reason
test_first_crawl_stores_one_version_per_article
test_a_worker_that_died_while_idle_is_replaced_without_failing_a_page
test_retry_after_holds_the_rest_of_the_site_within_the_same_round
test_discovery_refuses_private_links_unless_allowed
test_redline_serve_cluster_with_pg_serves_the_search_from_the_environment
test_shard_rounds_a_node_takes_together_share_one_crawl
test_every_request_waiting_for_robots_txt_obeys_it
test_a_redirect_to_the_tracked_url_with_tracking_parameters
test_redline_alerts_never_prints_a_targets_secret_whatever_apprise_logs
test_a_worker_that_dies_mid_page_costs_that_page_and_is_replaced
test_a_round_leaves_no_extraction_process_running
test_robots_disallowed_url_is_never_fetched
test_a_full_disk_at_the_rounds_start_stops_the_raw_crawl_with_one_reason_and_exit_3
test_a_shard_left_out_of_a_node_crawl_is_busy_not_done
test_network_failure_is_an_error_check_never_unchanged
test_an_unreadable_robots_txt_means_nothing_is_fetched
test_id_to_slug_renames_the_row_and_fetches_where_the_page_was
test_the_crawler_imports_in_a_fresh_process_without_a_warning
test_workers_fork_from_one_warm_zygote_that_exits_with_the_pool
test_a_name_that_resolved_to_loopback_when_added_is_fetched_there
test_a_304_to_a_request_without_a_validator_is_an_error_not_unchanged
test_extraction_never_downloads_what_a_page_names
test_a_check_of_one_url_is_refused_when_the_first_database_is_held
test_a_shard_whose_lock_cannot_be_opened_stops_the_crawl_as_a_storage_error
""".split()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker per core plus two. A worker spends much of its time waiting on its
    subprocesses (scrapy crawl, the demo site, PostgreSQL, Chromium) and in polls; more workers
    fill those waits, and on a machine other jobs load they hold a larger share of its cores. On
    this 2-core machine under load (session 11), one commit: 1145 s with 2 workers, 779 s with 3;
    the sum of the test durations was 2146 s in both runs. Session 15: 3 → 4 workers (CHANGELOG,
    session 15, gives the loaded series run with 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 2


def pytest_configure(config: pytest.Config) -> None:
    """In `make test`'s controlling process, before it starts the workers: each test module's
    assert-rewritten code (pytest's cached pyc) written once, for every worker to read.
    PYTHONDONTWRITEBYTECODE (set on this machine and in CI) stops pytest from writing that cache,
    so each worker parsed, rewrote and compiled all ~110 modules itself: about 5 s of CPU a
    worker, a third of its collection (15.2 -> 5.9 s with the cache, `pytest --collect-only`).
    The same code a worker would make (pytest's own functions, hash-checked when read); where
    they are missing (another pytest), each worker rewrites as before."""
    if not config.getoption("numprocesses", None) or hasattr(config, "workerinput"):
        return
    try:  # pytest's private helpers (pytest 8 and 9); without them, nothing is written here
        from _pytest.assertion import rewrite

        state = config.stash[rewrite.assertstate_key]  # absent with --assert=plain
        read, make, write = rewrite._read_pyc, rewrite._rewrite_test, rewrite._write_pyc
        cache_dir, tail = rewrite.get_cache_dir, rewrite.PYC_TAIL
    except (ImportError, AttributeError, KeyError):
        return
    for module in [*sorted(ROOT.joinpath("tests").glob("test_*.py")), Path(__file__)]:
        pyc = cache_dir(module) / (module.name[:-3] + tail)
        if read(module, pyc) is None and rewrite.try_makedirs(pyc.parent):
            source_hash, code = make(module, config)
            write(state, code, source_hash, pyc)


# Test modules whose tests share a set-up that outlives a test, by the group their tests run in
# (`pytest_xdist_make_scheduler`): each group runs in one worker, so the set-up is made once in the
# run, not once in every worker that draws one of its tests (`make test` has four).
# - PostgreSQL (the session's `postgres` fixture: initdb and a server, ~1.3 s of CPU and its
#   processes) for the cluster modules, and test_cluster_search_page's indexed cluster;
# - a module's Chromium (`browser`, ~1 s of CPU to start, its renderers' work kept in one
#   process), and test_browser's `served` newsroom and `redline serve`.
# A fixture built with `built_once` is already made once a run and needs no group.
SHARED_SETUP_GROUPS = {
    "test_cluster.py": "postgres",
    "test_cluster_rollup.py": "postgres",
    "test_cluster_search_page.py": "postgres",
    "test_cluster_workers.py": "postgres",
    "test_browser.py": "browser",
    "test_browser_desk.py": "browser_desk",
}


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`-n N` (pytest-xdist's default `--dist load`): the tests of a module in
    SHARED_SETUP_GROUPS go to one worker together, each other test is a unit of its own; units are
    handed out in collection order (LONGEST_FIRST's first) as a worker finishes one, each worker
    holding at most one ahead, as `--dist load --maxschedchunk 1` did. pytest-xdist's own
    `--dist loadgroup` cannot do it with pytest 9.2: it renames the test (`item._nodeid`), which
    pytest no longer reads, so every test stays a group of its own. Only where a test runs
    changes, never what it sets up or asserts. Another `--dist` keeps xdist's scheduler."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedSetupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
            return SHARED_SETUP_GROUPS.get(module, nodeid)

    config.option.loadscopereorder = False  # collection order, not the largest units first
    return SharedSetupScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put LONGEST_FIRST's tests (every case) ahead of the rest, in its order; the rest keep
    pytest's order."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(getattr(item, "originalname", item.name), len(rank)))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium a test module (the system's, driven by Playwright), each page of it opened in
    a fresh context by the tests; the modules that use it skip first where Playwright or
    Chromium is missing."""
    from playwright import sync_api

    from tools.screenshots import find_chromium

    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=find_chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


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


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict[str, Any]]
) -> tuple[Path, dict[str, Any]]:
    """What `build(directory)` writes into a directory, and the plain values (JSON) it returns,
    made once for the whole run: for a fixture that runs real crawls. A module-scoped fixture is
    set up again in every pytest-xdist worker that runs one of its tests (`make test` hands a
    module's tests to all its workers); here the first worker to ask builds, under a file lock
    in the run's temporary directory that all the workers share, and the others wait for it and
    read the same files. Nothing built here may be changed: a test copies a file first
    (`copy_database`)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    directory, done = shared / f"built-{name}", shared / f"built-{name}.json"
    with open(shared / f"built-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)  # what a failed build left
            directory.mkdir()
            done.write_text(json.dumps(build(directory)))
    return directory, json.loads(done.read_text())


def migrate_as_a_newer_redline(db_path: Path) -> None:
    """What a newer Redline's `init` leaves in a Redline database: a migration this one does
    not know (the database is then refused, `NewerDatabaseError`)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "insert or ignore into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('redline', 'm999_from_the_future', '2030-01-01 00:00:00')"
        )
    conn.close()


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite database (with its write-ahead log, if one was left)."""
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


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
