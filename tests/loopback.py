"""Loopback test servers: a quiet request handler with one way to answer and servers started in
threads and stopped on exit (`QuietHandler`, `LoopbackServers`), and a server answering fixed
routes that a test can change between crawls (`Pages`, `serve_pages`): what a hostile or odd site
sends (bytes, headers), without a whole demo site; a port that refuses connections
(`closed_port`); and the demo site holding one request of a
round unanswered until released (`HoldingSite`), so that a kill lands in the middle of a round."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from monitor.demo.site import LISTEN_QUEUE, DemoSite, RequestRecord

# How often a test server's loop looks for a request to shut down: `shutdown()` waits up to this
# long, at every test's teardown (the standard library's default is half a second).
SHUTDOWN_POLL_S = 0.02
# Seconds a held request waits for its release, and a test for a crawl to reach it: a deadline
# to give up on a crawl that never gets there, not a timing claim.
HOLD_TIMEOUT_S = 120


class LoopbackHTTPServer(ThreadingHTTPServer):
    """A test server whose listen queue holds a whole crawl's connection attempts
    (`LISTEN_QUEUE`): with the standard library's 5, an attempt past it waits TCP's 1 s retry."""

    request_queue_size = LISTEN_QUEUE


def serve_in_thread(server: socketserver.BaseServer) -> threading.Thread:
    """Serve `server` in a daemon thread until `server.shutdown()`, which then returns within
    SHUTDOWN_POLL_S."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_S}, daemon=True
    )
    thread.start()
    return thread


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def answer(
        self, status: int, body: bytes, content_type: str, headers: Iterable[tuple[str, str]] = ()
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class LoopbackServers:
    """Servers (`self.servers`) that run in threads inside `with`."""

    servers: tuple[ThreadingHTTPServer, ...] = ()

    def __enter__(self) -> Any:
        for server in self.servers:
            serve_in_thread(server)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


Route = tuple[int, dict[str, str], bytes | str]  # status, headers, body (str: UTF-8)


@dataclass
class Pages:
    """Routes (path -> status, headers, body) served on a loopback `address`; `requested` lists
    the paths asked for. Unknown paths are 404s; robots.txt allows everything unless a route
    says else."""

    address: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://{self.address}:{self.port}{path}"


@contextmanager
def serve_pages(routes: dict[str, Route] | None = None) -> Iterator[Pages]:
    pages = Pages(routes=dict(routes or {}))
    server = start_pages(pages)
    try:
        yield pages
    finally:
        server.shutdown()
        server.server_close()


def start_pages(pages: Pages) -> ThreadingHTTPServer:
    """Serve `pages` on its address and a free port (set on `pages`) until shut down."""
    server = bind_pages(pages)
    serve_in_thread(server)
    return server


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[None]:
    """`server`, bound but not served, answering for the block, and no thread of it running
    after (one left polling in a pytest worker between tests frees objects under the tests of
    the garbage collector's frozen generation). Its port stays bound in between: no other
    process can take it."""
    thread = serve_in_thread(server)
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=5)


def bind_pages(pages: Pages) -> ThreadingHTTPServer:
    """A server of `pages` bound to its address and a free port (set on `pages`), not yet
    served (`serving`, or `start_pages`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            pages.requested.append(self.path)
            default: Route = (
                (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n")
                if self.path == "/robots.txt"
                else (404, {}, b"not found")
            )
            status, headers, text = pages.routes.get(self.path, default)
            body = text.encode() if isinstance(text, str) else text
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = LoopbackHTTPServer((pages.address, 0), Handler)
    server.daemon_threads = True
    pages.port = int(server.server_address[1])
    return server


class IdleDemoSite(DemoSite):
    """The demo site with its port bound from `start()` to `stop()`, answering only inside
    `serving()` (see `serving` above: no thread of it runs in between). Reentrant: a block inside
    another serves on."""

    def __init__(self) -> None:
        super().__init__()
        self._blocks = 0

    def start(self) -> IdleDemoSite:
        super().start()
        self._pause()
        return self

    def _pause(self) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.close_connections()
        self._thread.join(timeout=5)

    @contextmanager
    def serving(self) -> Iterator[IdleDemoSite]:
        assert self._server is not None, "start() first"
        if self._blocks == 0:
            self._thread = serve_in_thread(self._server)
        self._blocks += 1
        try:
            yield self
        finally:
            self._blocks -= 1
            if self._blocks == 0:
                self._pause()


class HoldingSite(DemoSite):
    """The demo site, holding its `hold_at`-th request (counted from `hold`) unanswered until
    `release` is set; 0 holds nothing.

    A crawl with a request held cannot finish, so a kill made while it is held lands in the
    middle of the round by construction, whatever the machine's load: the pages before it have
    been fetched and are being extracted or written, the rest are not fetched yet."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__(host=host)
        self.hold_at = 0
        self.seen = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    def hold(self, request_number: int) -> None:
        self.reached.clear()
        self.release.clear()
        with self._lock:
            self.hold_at, self.seen = request_number, 0

    def _record(self, record: RequestRecord) -> None:
        super()._record(record)
        with self._lock:
            self.seen += 1
            held = self.seen == self.hold_at
        if held:
            self.reached.set()
            self.release.wait(HOLD_TIMEOUT_S)


@contextmanager
def closed_port(address: str = "127.0.0.1") -> Iterator[int]:
    """A port on `address` that refuses connections while the block lasts: bound and never
    listened on, so no other process on the machine can take it meanwhile (a port closed before
    use, or a server stopped, leaves it free for anything to bind)."""
    with socket.socket() as held:
        held.bind((address, 0))
        yield int(held.getsockname()[1])
