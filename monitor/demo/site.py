"""The demo news site: a small, deterministic newspaper served on 127.0.0.1 for demos and tests.

`DemoSite` runs a `ThreadingHTTPServer` in a daemon thread and serves the stories of
`monitor.demo.articles` as the edition chosen by its `edition` attribute. Within one edition every
response is byte-identical on repeat requests; between editions the boilerplate around every story
(ticker, ads, related links, comment counts, footer timestamp, script token) always changes, while
the story text changes only where `articles.EXPECTED_EDITS` says it does.

Two pages are not linked from anywhere and not part of the editions' expected edits
(`monitor.demo.specials`): a headline A/B test that alternates its wording per request, and a
live blog that grows by one post per edition and once silently edits an earlier post.

Article pages, like every other 200 response, carry an `ETag` (a hash of the body) and a
`Last-Modified` date (when the page bytes last changed) and answer conditional requests with 304.
Every request is recorded in `DemoSite.requests`; nothing is printed.

    python -m monitor.demo.site --port 8631 --edition 2
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import socket
import threading
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from monitor.demo.pages import (  # noqa: F401 - re-exported for tests and callers
    HTML,
    Page,
    edition_time,
    etag,
    home_article_paths,
    http_date,
    is_not_modified,
    last_modified,
    render_page,
)
from monitor.demo.specials import render_special, special_last_modified

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequestRecord:
    """One request the site answered, as the site saw it (`path` keeps any query string)."""

    method: str
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None


# Connection attempts the kernel holds until the server accepts them. socketserver's default, 5,
# is less than the 16 connections a crawl opens at once: past it the kernel drops an attempt and
# the client retries only after TCP's 1 s retransmission timeout, a stall that comes and goes
# with the machine's load (issue 23).
LISTEN_QUEUE = 128


class _Server(ThreadingHTTPServer):
    """Tracks open connections so that stopping also ends idle keep-alive connections."""

    daemon_threads = True
    request_queue_size = LISTEN_QUEUE

    def __init__(self, address: tuple[str, int], site: DemoSite) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "RedlineDemo/1.0"
    sys_version = ""
    timeout = 30  # seconds an idle keep-alive connection may hold a handler thread

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the request log is `DemoSite.requests`."""

    def _respond(self, *, send_body: bool) -> None:
        site = self.server.site
        edition = max(1, int(site.edition))
        target = self.path
        if "://" in target.split("?", 1)[0]:
            target = urlsplit(target).path or "/"
        path = target.split("?", 1)[0].split("#", 1)[0]
        special = render_special(path, edition, site.base_url, site._next_variant(path))
        page = special or render_page(path, edition, site.base_url)
        headers: list[tuple[str, str]] = []
        status = page.status
        request_headers: Message = self.headers
        if_none_match = request_headers.get("If-None-Match")
        if_modified_since = request_headers.get("If-Modified-Since")
        if page.status == 200:
            tag = etag(page.body)
            modified = (
                special_last_modified(path, edition)
                if special
                else last_modified(path, edition, site.base_url)
            )
            headers += [("ETag", tag), ("Last-Modified", http_date(modified))]
            headers.append(("Cache-Control", "no-cache"))
            if is_not_modified(if_none_match, if_modified_since, tag, modified):
                status = 304
        if page.location:
            headers.append(("Location", page.location))
        site._record(
            RequestRecord(
                method=self.command,
                path=self.path,
                status=status,
                if_none_match=if_none_match,
                if_modified_since=if_modified_since,
                user_agent=request_headers.get("User-Agent"),
            )
        )
        self.send_response(status)
        if status != 304:
            headers += [
                ("Content-Type", page.content_type),
                ("Content-Length", str(len(page.body))),
            ]
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(page.body)


class DemoSite:
    """The demo newspaper on a local port; set `edition` between requests to publish another."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, edition: int = 1) -> None:
        if edition < 1:
            raise ValueError(f"editions start at 1, not {edition}")
        self.host = host
        self.port = port
        self.edition = edition
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._hits: dict[str, int] = {}  # requests per path, for the A/B test's alternation
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """Scheme, host and port, without a trailing slash."""
        if self.port == 0:
            raise RuntimeError("the demo site has no port until start() binds one")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of a path on this site."""
        return self.base_url + path

    def article_urls(self) -> list[str]:
        """Absolute URLs (without tracking parameters) of the stories the home page links to."""
        return [self.url(path) for path in home_article_paths(self.edition)]

    def start(self) -> DemoSite:
        """Bind the port and serve in a daemon thread; a second call does nothing."""
        if self._server is not None:
            return self
        self._server = _Server((self.host, self.port), self)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.debug("demo site serving edition %d at %s", self.edition, self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (a later start() binds the same port again)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def clear_requests(self) -> None:
        """Forget the requests recorded so far."""
        with self._lock:
            self.requests.clear()

    def _next_variant(self, path: str) -> int:
        """How many times `path` was asked for before: the A/B test serves wording A on even
        counts and B on odd ones (`monitor.demo.specials`)."""
        with self._lock:
            count = self._hits.get(path, 0)
            self._hits[path] = count + 1
        return count

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """Serve the demo site in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Serve Redline's demo news site.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8631, help="port to bind (default 8631)")
    parser.add_argument("--edition", type=int, default=1, help="edition to serve (default 1)")
    args = parser.parse_args(argv)
    # Ctrl-C or SIGTERM sets an event the main thread polls: a KeyboardInterrupt raised in the
    # middle of starting or stopping would end the process with a traceback, or not at all.
    stopping = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda signum, frame: stopping.set())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    site = DemoSite(host=args.host, port=args.port, edition=args.edition).start()
    print(f"Demo site, edition {site.edition}, at {site.base_url}/ (Ctrl-C to stop)", flush=True)
    try:
        while not stopping.wait(0.2):
            pass
    finally:
        site.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    main()
