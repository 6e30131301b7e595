"""Hostile and broken responses: the crawl finishes cleanly, every URL gets a check with a clear
outcome and reason, memory stays bounded, and an error never looks like "unchanged" or "removed"."""

from __future__ import annotations

import gzip
import io
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from monitor import store
from monitor.crawl import crawl_command, crawl_env, run_crawl
from tests.conftest import FAST
from tests.loopback import LoopbackHTTPServer, closed_port, serve_in_thread

pytestmark = pytest.mark.e2e

ARTICLE = (
    "<html><head><title>Bridge reopens</title>{head}</head><body><article><h1>Bridge reopens</h1>"
    + "<p>The old river bridge reopened on Friday after eighteen months of repairs, and the first "
    "cars crossed it shortly after dawn while a small crowd of residents watched from the bank. "
    "{extra}</p>" * 4 + "</article></body></html>"
)
HUGE_BYTES = 20 * 1024 * 1024
BOMB_BYTES = 200 * 1024 * 1024


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as out:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(BOMB_BYTES // len(chunk)):
            out.write(chunk)
    return buffer.getvalue()


class Hostile(BaseHTTPRequestHandler):
    bomb = b""
    protocol_version = "HTTP/1.1"

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif path == "/binary.html":
            self._send(200, random.Random(7).randbytes(50_000))
        elif path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(5000), "image/png")
        elif path == "/bomb.html":
            self._send(200, Hostile.bomb, headers={"Content-Encoding": "gzip"})
        elif path == "/huge.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            line = b"<p>" + b"filler text " * 80 + b"</p>\n"
            sent = 0
            try:
                while sent < HUGE_BYTES:
                    part = line[: HUGE_BYTES - sent]
                    self.wfile.write(part)
                    sent += len(part)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/empty.html":
            self._send(200, b"")
        elif path == "/error500.html":
            self._send(500, b"<h1>Internal Server Error</h1>")
        elif path == "/slow.html":
            time.sleep(4)
            self._send(200, ARTICLE.format(head="", extra="").encode())
        elif path == "/stalled.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"<html><body><p>The start of a page that never ends")
            self.wfile.flush()
            time.sleep(4)
        elif path in ("/loop.html", "/loop2.html"):
            target = "/loop2.html" if path == "/loop.html" else "/loop.html"
            self._send(302, b"", headers={"Location": target})
        elif path == "/wrong-charset.html":
            body = ARTICLE.format(head="", extra="Café, señora, naïve, Zürich.").encode("utf-8")
            self._send(200, body, "text/html; charset=iso-8859-1")
        elif path == "/no-charset.html":
            body = ARTICLE.format(head="", extra="Café crème à la française.").encode("cp1252")
            self._send(200, body, "text/html")
        elif path == "/nul.html":
            body = ARTICLE.format(head="", extra="Nul\x00 bytes\x00 inside.").encode()
            self._send(200, body)
        elif path == "/js-only.html":
            self._send(
                200,
                b"<html><head><title>App</title></head><body><div id='root'></div>"
                b"<script>document.getElementById('root').innerHTML='x'</script>"
                b"</body></html>",
            )
        else:
            self._send(404, b"not found")

    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(LoopbackHTTPServer):
    """The crawler hangs up on the bomb and the 20 MB page on purpose: not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    Hostile.bomb = _bomb()
    server = QuietServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    serve_in_thread(server)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# path → (outcome, a phrase the reason must contain)
EXPECTED = {
    "/binary.html": ("extraction_failed", "no article text"),
    "/image.png": ("error", "not an HTML page (image/png)"),
    "/bomb.html": ("error", "not fetched"),
    "/huge.html": ("error", "Cancelled"),
    "/empty.html": ("extraction_failed", "no article text"),
    "/error500.html": ("error", "HTTP 500"),
    "/slow.html": ("error", "TimeoutError"),
    "/stalled.html": ("error", "TimeoutError"),
    "/loop.html": ("error", "max redirections"),
    "/wrong-charset.html": ("new_article", "first version"),
    "/no-charset.html": ("new_article", "first version"),
    "/nul.html": ("new_article", "first version"),
    "/js-only.html": ("extraction_failed", "no article text"),
}


def test_every_hostile_response_gets_a_clear_check(
    hostile: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No browser: the JavaScript shell is read as sent (rendered in tests/test_browser_fetch.py)
    monkeypatch.setenv("REDLINE_CHROMIUM", str(tmp_path / "no-chromium"))
    db_path = tmp_path / "hostile.db"
    db = store.open_db(db_path)
    for path in EXPECTED:
        store.track_article(db, hostile + path, store.utc_now())
    db.close()
    returncode, stdout, peak_kib = crawl_with_peak(
        db_path, {"all": "true"}, {**FAST, "DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "1"}
    )
    assert returncode == 0, stdout[-4000:]
    assert "Traceback" not in stdout, stdout[-6000:]

    db = store.open_db(db_path)
    checks = {
        row["url"].removeprefix(hostile): row
        for row in db.query(
            "select articles.url, checks.outcome, checks.reason from checks "
            "join articles on articles.id = checks.article_id"
        )
    }
    assert set(checks) == set(EXPECTED)
    assert db.execute("select count(*) from checks").fetchone()[0] == len(EXPECTED)
    for path, (outcome, phrase) in EXPECTED.items():
        assert checks[path]["outcome"] == outcome, (path, checks[path])
        assert phrase in (checks[path]["reason"] or ""), (path, checks[path])
    assert not any("\x00" in row["body"] for row in db.query("select body from versions"))
    assert all(a["status"] == "active" for a in store.all_articles(db))  # no error is a removal
    print(f"peak RSS of the crawl: {peak_kib / 1024:.0f} MiB")  # for the notes (-s)
    # The 200 MB bomb was never inflated: the crawl's peak memory stays far below it.
    assert peak_kib * 1024 < BOMB_BYTES * 2, peak_kib


# Runs the command in its argv and prints the peak RSS of that process (and what it waited for)
# last: a small process of its own between the test and the crawl, because a child started from
# the test process inherits the test process's own high-water mark (vfork and exec keep it), and
# pytest's process is large by the end of the suite.
_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
    "sys.stdout.flush()\n"
    "print('REDLINE_PEAK_KIB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def crawl_with_peak(
    db_path: Path, args: dict[str, str], settings: dict[str, str]
) -> tuple[int, str, int]:
    """A `scrapy crawl check` subprocess: its exit code, its log and its own peak RSS in KiB."""
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, *crawl_command("check", args, settings)],
        env=crawl_env(db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    log, _, peak = result.stdout.rpartition("REDLINE_PEAK_KIB ")
    return result.returncode, log, int(peak.strip() or 0)


def test_the_local_port_closed_is_an_error_not_a_removal(tmp_path: Path) -> None:
    with closed_port() as port:
        db_path = tmp_path / "closed.db"
        db = store.open_db(db_path)
        store.track_article(db, f"http://127.0.0.1:{port}/story.html", store.utc_now())
        db.close()
        result = run_crawl("check", db_path, {"all": "true"}, {**FAST, "RETRY_TIMES": "0"})
    assert result.returncode == 0 and "Traceback" not in result.stdout
    db = store.open_db(db_path)
    [check] = list(db.query("select outcome, reason from checks"))
    assert check["outcome"] == "error" and "refused" in check["reason"].lower()
