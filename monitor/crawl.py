"""Run a Scrapy crawl as a subprocess: the reactor cannot restart inside one process, and a crash
stays inside the child. The monitor never imports Scrapy; it only starts `python -m scrapy`."""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Generator, Mapping
from pathlib import Path

# A check round that takes longer than this is stuck; the child is killed and the round logged.
DEFAULT_TIMEOUT_S = 30 * 60
# `scrapy crawl`'s exit status when a storage error (disk full, read-only, I/O error) stopped the
# round (crawler/commands/crawl.py).
STORAGE_ERROR_EXIT = 3
# `scrapy crawl`'s exit status when every database of the crawl is a shard file another crawl
# holds (monitor.store.lock): nothing was fetched.
BUSY_EXIT = 4
# `scrapy crawl`'s exit status when a database of the crawl is refused (migrated by a newer
# Redline, not a database, another application's; crawler/databases.py): nothing was fetched from
# it, and every later round would be refused the same way (not a storage stop, which may pass).
# The other databases of a crawl over several are crawled before it exits so.
REFUSED_EXIT = 5
# The crawl's line for its one database refused: why.
REFUSED_LINE = re.compile(r"ERROR: database refused: (.*); the round stopped, ")
# Opens a line of a crawl's REDLINE_LEFT_OUT report that names a file left out because it was
# refused (a line without it names a file another crawl held).
REFUSED_MARK = "refused\t"
# The pipeline's last line on such a round: what SQLite said, and how many pages were dropped.
STORAGE_ERROR_LINE = re.compile(
    r"ERROR: storage error: (.*); the round stopped, (\d+) fetched page\(s\) not recorded"
)
# The pipeline logs an unchanged page at DEBUG; at INFO it writes UNCHANGED_SO_FAR every
# UNCHANGED_PROGRESS_EVERY of them, so that a progress display reading the log moves on (40 lines
# for a round of 1,000 unchanged pages, against 1,000 before).
UNCHANGED_PROGRESS_EVERY = 25
UNCHANGED_SO_FAR = "%d page(s) unchanged so far"
UNCHANGED_SO_FAR_LINE = re.compile(r"\[crawler\.pipelines\] INFO: (\d+) page\(s\) unchanged so far")
# The pipeline's line at the round's end: its pages counted by outcome.
ROUND_OUTCOMES_LINE = re.compile(r"\[crawler\.pipelines\] INFO: \d+ page\(s\) recorded: (.*)")
# How much of a crawl log's end `storage_error_line` reads.
LOG_TAIL_BYTES = 64 * 1024
# A crawl still running this long after its SIGTERM is killed (the daemon and cluster nodes).
STOP_GRACE_S = 10.0


def storage_error_line(log_file: Path | None) -> str | None:
    """ "SQLite's message; N fetched page(s) dropped" from the end of a crawl log, if any."""
    if log_file is None:
        return None
    try:
        with open(log_file, "rb") as log:
            log.seek(max(0, log.seek(0, os.SEEK_END) - LOG_TAIL_BYTES))
            tail = log.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    found = STORAGE_ERROR_LINE.findall(tail)
    return f"{found[-1][0]}; {found[-1][1]} fetched page(s) dropped" if found else None


def crawl_command(
    spider: str, args: Mapping[str, str] | None = None, settings: Mapping[str, str] | None = None
) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in (args or {}).items():
        command += ["-a", f"{key}={value}"]
    for key, value in (settings or {}).items():
        command += ["-s", f"{key}={value}"]
    return command


def crawl_env(db_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    env["REDLINE_DB"] = str(Path(db_path).resolve())
    return env


def start_crawl(
    spider: str,
    db_path: Path,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
    log_file: Path | None = None,
    die_with_parent: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `scrapy crawl SPIDER` in the background; its log goes to `log_file` (or nowhere).
    With `die_with_parent` (Linux), the crawl is killed when the thread that started it dies: a
    cluster node killed outright must not leave a crawl running on a shard it no longer holds."""
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            crawl_command(spider, args, settings),
            env=crawl_env(db_path),
            stdout=output,
            stderr=subprocess.STDOUT,
            # A Ctrl-C in the terminal reaches the daemon, which forwards it to the crawl.
            start_new_session=True,
            preexec_fn=_die_with_parent() if die_with_parent else None,
        )
    finally:
        if log_file:
            output.close()  # type: ignore[union-attr]


def _die_with_parent() -> Callable[[], None] | None:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) in the child, where the C library offers it."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def arm() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)

    return arm


def run_crawl(
    spider: str,
    db_path: Path,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> subprocess.CompletedProcess[str]:
    """Run a crawl to completion and return its exit code and log (stderr merged into stdout,
    where Scrapy writes its log)."""
    return subprocess.run(
        crawl_command(spider, args, settings),
        env=crawl_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def follow_crawl(
    spider: str,
    db_path: Path,
    args: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
) -> Generator[str, None, int]:
    """Run a crawl and yield its log lines as they come (for progress displays). The generator's
    return value (StopIteration.value) is the exit code."""
    child = subprocess.Popen(
        crawl_command(spider, args, settings),
        env=crawl_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert child.stdout is not None
    try:
        yield from child.stdout
    finally:
        child.stdout.close()
        code = child.wait()
    return code


def stop_crawl(child: subprocess.Popen[bytes]) -> None:
    """Stop a running crawl: SIGTERM (Scrapy finishes the page at hand and closes), then a kill
    after `STOP_GRACE_S`."""
    if child.poll() is not None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
