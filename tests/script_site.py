"""A client-rendered news site on 127.0.0.1: every article page is a JavaScript shell whose
script fetches the story from a JSON endpoint and writes it into the page, the way single-page
news apps do. `ScriptSite.edition = 2` changes the second paragraph's "seven" to "eight".

The script also asks for an image on 127.0.0.2 (loopback, never named by the user): a browser
fetch must refuse it (the private-address guard), and `hits_elsewhere` must stay empty.
`requests` lists the paths asked.
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
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path.startswith("/news/") and self.path.endswith(".html"):
                    self._send(SHELL.encode(), "text/html; charset=utf-8")
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

            def _send(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
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
