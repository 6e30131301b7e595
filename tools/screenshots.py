"""README pictures: the watch desk, an article page, the Datasette edit feed and a diff page, from
a real `redline serve` on a database made by `redline demo`, taken with headless Chromium
(Debian's `chromium` package).

    python -m tools.screenshots [--out docs]        # or: make screenshots

Its server helpers and `screenshot` are also used by the browser tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# The flags this machine needs: no sandbox as root, no GPU, and none of Chromium's own network
# traffic (the closed network refuses it, many connections at a time).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--disable-extensions",
    "--mute-audio",
)
CHROMIUM_TIMEOUT_S = 90
# Bounds for `redline serve` on a loaded machine (the test suite beside other jobs): to answer
# its first request once started, to answer one probe, and to exit after SIGTERM. Deadlines to
# fail on a hang, not speed claims.
SERVER_START_S = 120
SERVER_PROBE_S = 10
SERVER_STOP_S = 60


def find_chromium() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def _run_chromium(*args: str) -> subprocess.CompletedProcess[str]:
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit(
            "Chromium is not installed: run `make browser-deps` (apt-get install chromium)"
        )
    with tempfile.TemporaryDirectory(prefix="redline-chromium-") as profile:
        return subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=CHROMIUM_TIMEOUT_S,
            check=False,
        )


def screenshot(url: str, out: Path, width: int = 1280, height: int = 1200) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    result = _run_chromium(f"--window-size={width},{height}", f"--screenshot={out}", url)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    db_path: Path, *extra: str, env_extra: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    """A real `redline serve` subprocess on a free loopback port, polled until it answers;
    `env_extra` adds to its environment (e.g. REDLINE_SERVE_WRITE_TOKEN)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDLINE_CONFIG"} | (env_extra or {})
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "--db",
            str(db_path),
            "serve",
            "--port",
            str(port),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output, _ = server.communicate()
            raise RuntimeError(f"redline serve exited early: {output[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=SERVER_PROBE_S):
                return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    server.communicate()
    raise RuntimeError(f"redline serve did not answer within {SERVER_START_S} s")


class StoppedServer(NamedTuple):
    status: int  # the exit status
    output: str  # all it wrote (stdout and stderr)


def stop_server(server: subprocess.Popen[str]) -> StoppedServer:
    """Stop a server of `start_server` (SIGTERM, SIGKILL past SERVER_STOP_S): its exit status
    and its output, its pipe read to the end and closed (left open, it is an unclosed file)."""
    server.send_signal(signal.SIGTERM)
    try:
        output, _ = server.communicate(timeout=SERVER_STOP_S)
    except subprocess.TimeoutExpired:
        server.kill()
        output, _ = server.communicate()  # what it wrote before is kept
    return StoppedServer(server.returncode, output or "")


def busiest_change(db_path: Path) -> int:
    """The most telling diff page: words changed inside a quotation if any, else the change with
    the most significant edits."""
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "select id from changes where new_version_id is not null "
            "order by (',' || kinds || ',' like '%,quote,%') desc, significant desc, id "
            "limit 1"
        ).fetchone()
    if row is None:
        raise RuntimeError(f"{db_path} has no change to show")
    return int(row[0])


def captured_page(db_path: Path, change: int) -> int:
    """The raw page of the version a change made."""
    with sqlite3.connect(db_path) as conn:
        row = conn.execute(
            "select versions.snapshot_id from changes join versions "
            "on versions.id = changes.new_version_id where changes.id = ?",
            [change],
        ).fetchone()
    if row is None or row[0] is None:
        raise RuntimeError(f"change {change} has no captured page")
    return int(row[0])


def article_of(db_path: Path, change: int) -> int:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("select article_id from changes where id = ?", [change]).fetchone()
    return int(row[0])


def take(out: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="redline-screens-") as work:
        db_path = Path(work) / "redline.db"
        demo = subprocess.run(
            [sys.executable, "-m", "monitor", "--db", str(db_path), "demo"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if demo.returncode != 0:
            raise RuntimeError(f"redline demo failed: {demo.stdout[-2000:]}{demo.stderr[-2000:]}")
        server, base = start_server(db_path)
        try:
            change = busiest_change(db_path)
            return [
                screenshot(
                    f"{base}/redline/edit_feed?significant=1&_nofacet=1",
                    out / "edit-feed.png",
                    1400,
                    1300,
                ),
                screenshot(f"{base}/-/redline/diff/{change}", out / "diff.png", 1100, 1250),
                screenshot(
                    f"{base}/-/redline/snapshot/{captured_page(db_path, change)}",
                    out / "captured-page.png",
                    1400,
                    1300,
                ),
                screenshot(f"{base}/redline/quote_changes", out / "canned-query.png", 1400, 900),
                screenshot(f"{base}/-/redline/diff/abc", out / "not-found.png", 1400, 600),
                screenshot(f"{base}/", out / "desk.png", 1400, 1500),
                screenshot(
                    f"{base}/-/redline/article/{article_of(db_path, change)}",
                    out / "article.png",
                    1400,
                    1400,
                ),
            ]
        finally:
            stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    args = parser.parse_args()
    for path in take(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
