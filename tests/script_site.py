"""A client-rendered news site on 127.0.0.1: every article page is a JavaScript shell whose
script fetches the story from a JSON endpoint and writes it into the page, the way single-page
news apps do. `ScriptSite.edition = 2` changes the second paragraph's "seven" to "eight".

The script also asks for an image on 127.0.0.2 (loopback, never named by the user): a browser
fetch must refuse it (the private-address guard), and `hits_elsewhere` must stay empty.
The shell carries an ETag and answers it with 304 (`not_modified` counts them), though the story
changes: a page read in the browser must not be fetched conditionally. `requests` lists the paths
asked.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.sites import FIGURES, PARAGRAPHS

SHELL = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Loading…</title>
<script src="/static/app.js" defer></script></head>
<body><div id="root">Loading…</div><noscript>Please enable JavaScript.</noscript></body></html>
"""
SHELL_ETAG = '"shell-1"'
APP = """
fetch('/api' + location.pathname.replace(/\\.html$/, '.json'))
  .then(function (answer) { return answer.json(); })
  .then(function (story) {
    document.title = story.title;
    var html = '<article><h1>' + story.title + '</h1>';
    story.paragraphs.forEach(function (p) { html += '<p>' + p + '</p>'; });
    document.getElementById('root').innerHTML = html + '</article>';
    var probe = new Image();
    probe.src = 'PROBE/probe.png';
  });
"""


class ScriptSite:
    def __init__(self) -> None:
        self.edition = 1
        self.not_modified = 0  # 304s sent for the shell
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path.startswith("/news/") and self.path.endswith(".html"):
                    # The shell never changes: it answers its ETag with 304, as servers do.
                    if self.headers.get("If-None-Match") == SHELL_ETAG:
                        site.not_modified += 1
                        self.send_response(304)
                        self.end_headers()
                        return
                    self._send(SHELL.encode(), "text/html; charset=utf-8", SHELL_ETAG)
                elif self.path == "/static/app.js":
                    self._send(
                        APP.replace("PROBE", site.elsewhere_base).encode(), "text/javascript"
                    )
                elif self.path.startswith("/api/news/"):
                    figure = FIGURES[site.edition]
                    story = {
                        "title": "Night trains return",
                        "paragraphs": [p.format(figure=figure) for p in PARAGRAPHS],
                    }
                    self._send(json.dumps(story).encode(), "application/json")
                elif self.path == "/robots.txt":
                    self._send(b"User-agent: *\nAllow: /\n", "text/plain")
                else:
                    self.send_error(404)

            def _send(self, body: bytes, content_type: str, etag: str = "") -> None:
                self.send_response(200)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Elsewhere(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.hits_elsewhere.append(self.path)
                self.send_error(404)

        self.hits_elsewhere: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.other = ThreadingHTTPServer(("127.0.0.2", 0), Elsewhere)
        self.threads = [
            threading.Thread(target=server.serve_forever, daemon=True)
            for server in (self.server, self.other)
        ]

    @property
    def elsewhere_base(self) -> str:
        return f"http://127.0.0.2:{self.other.server_address[1]}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> ScriptSite:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for server in (self.server, self.other):
            server.shutdown()
            server.server_close()
