"""Serve the real pages of article-extraction-benchmark on 127.0.0.1, for the crawl benchmarks.

    python -m bench.serve_corpus --corpus ../shared/corpus [--port 8641] [--copies 6] [--churn 1]

Every page `html/<id>.html.gz` is served decompressed, byte for byte, at `/p/<n>/<id>.html` for
`n` in `0 .. copies-1` (the same page under several distinct URLs, for rounds larger than the
corpus). `/robots.txt` allows everything. Every 200 carries an `ETag` (a hash of the bytes sent).

Modes, switched between rounds by setting attributes of `CorpusServer`:
- `conditional = False` (default): `If-None-Match` is ignored, a page is always a 200 with its
  full bytes, so an "unchanged" round really downloads and compares identical bytes;
- `conditional = True`: a request whose `If-None-Match` names the current ETag gets a 304;
- `churn = k` (k ≥ 1): round k of boilerplate churn. The bytes change outside the article only:
  a render stamp in `<head>`, and before `</body>` an HTML comment, a script token and a
  "More stories" block of related links, all different in every round and on every page. With
  `churn = 0` the page is the corpus file unchanged.

Nothing is printed per request; `CorpusServer.requests` counts the answers by status.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from bench.corpus import corpus_dir_or_exit
from monitor.demo.site import LISTEN_QUEUE

AEB = "article-extraction-benchmark"
ROBOTS = b"User-agent: *\nDisallow:\n"
_PAGE = re.compile(r"^/p/(\d+)/([0-9a-f]+)\.html$")
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)
RELATED_LINKS = 4  # links in the churning "More stories" block, as on most news pages


@dataclass(frozen=True)
class CorpusPage:
    page_id: str
    html: bytes
    title: str  # for the related links of other pages


def load_pages(corpus: Path, limit: int | None = None) -> list[CorpusPage]:
    """The corpus pages, sorted by id, decompressed (`limit` keeps the first N)."""
    files = sorted((corpus / AEB / "html").glob("*.html.gz"))
    if limit is not None:
        files = files[:limit]
    pages = []
    for path in files:
        html = gzip.decompress(path.read_bytes())
        match = re.search(rb"<title[^>]*>(.*?)</title", html, re.IGNORECASE | re.DOTALL)
        title = match.group(1).decode("utf-8", "replace").strip()[:80] if match else "Story"
        pages.append(CorpusPage(path.name.removesuffix(".html.gz"), html, title or "Story"))
    return pages


def page_path(copy: int, page_id: str) -> str:
    return f"/p/{copy}/{page_id}.html"


def churned(page: CorpusPage, copy: int, round_number: int, others: list[CorpusPage]) -> bytes:
    """The page with round `round_number` of boilerplate churn outside the article."""
    if round_number <= 0:
        return page.html
    token = hashlib.sha1(f"{page.page_id}/{copy}/{round_number}".encode()).hexdigest()[:16]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_790_000_000 + round_number * 600))
    head = f'<meta name="x-rendered" content="{stamp} {token}">'.encode()
    links = "".join(
        f'<li><a href="{page_path(0, other.page_id)}">{_escape(other.title)}</a></li>'
        for other in (
            others[(round_number * 7 + i * 13 + len(page.page_id)) % len(others)]
            for i in range(RELATED_LINKS)
        )
    )
    tail = (
        f"<!-- rendered {stamp} by edge-{round_number % 5} token {token} -->"
        f'<aside class="related-stories" data-round="{round_number}"><h3>More stories</h3>'
        f"<ul>{links}</ul><p>Updated {round_number * 3} minutes ago</p></aside>"
        f'<script>window.__render = {{"at": "{stamp}", "token": "{token}"}};</script>'
    ).encode()
    html = _insert_before(page.html, _HEAD_END, head, at_end=False)
    return _insert_before(html, _BODY_END, tail, at_end=True)


def _insert_before(html: bytes, tag: re.Pattern[bytes], block: bytes, at_end: bool) -> bytes:
    matches = list(tag.finditer(html))
    if not matches:
        return html + block if at_end else block + html
    where = matches[-1].start() if at_end else matches[0].start()
    return html[:where] + block + html[where:]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real news sites do
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        if self.path == "/robots.txt":
            self._send(200, ROBOTS, "text/plain")
            return
        match = _PAGE.match(self.path)
        page = owner.by_id.get(match.group(2)) if match else None
        if match is None or page is None:
            self._send(404, b"not found", "text/plain")
            return
        copy = int(match.group(1))
        body = owner.body_of(page, copy)
        etag = etag_of(body)
        if owner.conditional and self.headers.get("If-None-Match") == etag:
            self._send(304, b"", None, etag)
            return
        self._send(200, body, "text/html", etag)

    def _send(self, status: int, body: bytes, ctype: str | None, etag: str = "") -> None:
        self.server.owner.requests[status] += 1
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the benchmark prints its own tables


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Past socketserver's 5 pending connections a crawl's attempts waited TCP's 1 s retry: the
    # delay that came and went in the rounds measured (issue 23), on either side.
    request_queue_size = LISTEN_QUEUE
    owner: CorpusServer


class CorpusServer:
    """The corpus on 127.0.0.1 in a daemon thread; use as a context manager."""

    def __init__(self, pages: list[CorpusPage], port: int = 0, host: str = "127.0.0.1") -> None:
        self.pages = pages
        self.by_id = {page.page_id: page for page in pages}
        self.conditional = False
        self.churn = 0
        self.requests: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, int, int], bytes] = {}
        self.host = host
        self._server = _Server((host, port), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, copy: int, page_id: str) -> str:
        return f"http://{self.host}:{self.port}{page_path(copy, page_id)}"

    def urls(self, count: int) -> list[str]:
        """`count` distinct URLs: every page under copy 0, then copy 1, and so on."""
        return [
            self.url(n // len(self.pages), self.pages[n % len(self.pages)].page_id)
            for n in range(count)
        ]

    def body_of(self, page: CorpusPage, copy: int) -> bytes:
        key = (page.page_id, copy, self.churn)
        with self._lock:
            body = self._cache.get(key)
        if body is None:
            body = churned(page, copy, self.churn, self.pages)
            with self._lock:
                if len(self._cache) > 4 * len(self.pages) * 8:
                    self._cache.clear()
                self._cache[key] = body
        return body

    def etag(self, url: str) -> str:
        """The ETag the server currently sends for `url` (for a conditional bare fetch)."""
        match = _PAGE.match("/" + url.split("/", 3)[3])
        assert match is not None, url
        return etag_of(self.body_of(self.by_id[match.group(2)], int(match.group(1))))

    def __enter__(self) -> CorpusServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="corpus folder (default ../shared/corpus)")
    parser.add_argument("--port", type=int, default=8641)
    parser.add_argument("--copies", type=int, default=1, help="URLs per page: /p/0/ .. /p/N-1/")
    parser.add_argument("--churn", type=int, default=0, help="boilerplate churn round (0: none)")
    parser.add_argument("--conditional", action="store_true", help="answer If-None-Match with 304")
    options = parser.parse_args()
    pages = load_pages(corpus_dir_or_exit(options.corpus, require=AEB))
    with CorpusServer(pages, options.port) as server:
        server.churn, server.conditional = options.churn, options.conditional
        print(f"serving {len(pages)} pages x {options.copies} on http://127.0.0.1:{server.port}/")
        print(f"e.g. {server.url(0, pages[0].page_id)}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
