"""A client-rendered news site on 127.0.0.1: every article page is a JavaScript shell whose
script fetches the story from a JSON endpoint and writes it into the page, the way single-page
news apps do. `ScriptSite.edition = 2` changes the second paragraph's "seven" to "eight".

The script also asks for an image on 127.0.0.2 (loopback, never named by the user): a browser
fetch must refuse it (the private-address guard), and `hits_elsewhere` must stay empty.
With `sneaky=True` the script first tries the two ways around a page's request routes: a
service worker (`/sw.js`) that fetches from 127.0.0.2 as it installs, and a WebSocket to
127.0.0.2; `hits_elsewhere` must stay empty all the same, while its WebSocket to its own
address (`/own-socket`) reaches the site.
The shell carries an ETag and answers it with 304 (`not_modified` counts them), though the story
changes: a page read in the browser must not be fetched conditionally. `requests` lists the paths
asked.
"""

from __future__ import annotations

import json

from tests.loopback import LoopbackHTTPServer, LoopbackServers, QuietHandler
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


# The sneaky script (a blocked service worker's registration never settles: nothing waits on it).
SNEAKY_APP = """
new WebSocket('SOCKET/socket');
new WebSocket('ws://' + location.host + '/own-socket');
if (navigator.serviceWorker) { navigator.serviceWorker.register('/sw.js'); }
APP
"""
WORKER = """
self.addEventListener('install', function (event) {
  event.waitUntil(fetch('PROBE/from-worker').catch(function () {}));
});
"""


class ScriptSite(LoopbackServers):
    def __init__(self, sneaky: bool = False) -> None:
        self.edition = 1
        self.not_modified = 0  # 304s sent for the shell
        self.requests: list[str] = []
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path.startswith("/news/") and self.path.endswith(".html"):
                    # The shell never changes: it answers its ETag with 304, as servers do.
                    if self.headers.get("If-None-Match") == SHELL_ETAG:
                        site.not_modified += 1
                        self.answer(304, b"", "text/html")
                        return
                    etag = [("ETag", SHELL_ETAG)]
                    self.answer(200, SHELL.encode(), "text/html; charset=utf-8", etag)
                elif self.path == "/static/app.js":
                    script = SNEAKY_APP.replace("APP", APP) if sneaky else APP
                    script = script.replace(
                        "SOCKET", "ws" + site.elsewhere_base.removeprefix("http")
                    )
                    script = script.replace("PROBE", site.elsewhere_base)
                    self.answer(200, script.encode(), "text/javascript")
                elif self.path == "/sw.js" and sneaky:
                    worker = WORKER.replace("PROBE", site.elsewhere_base).encode()
                    self.answer(200, worker, "text/javascript")
                elif self.path.startswith("/api/news/"):
                    figure = FIGURES[site.edition]
                    story = {
                        "title": "Night trains return",
                        "paragraphs": [p.format(figure=figure) for p in PARAGRAPHS],
                    }
                    self.answer(200, json.dumps(story).encode(), "application/json")
                elif self.path == "/robots.txt":
                    self.answer(200, b"User-agent: *\nAllow: /\n", "text/plain")
                else:
                    self.send_error(404)

        class Elsewhere(QuietHandler):
            def do_GET(self) -> None:
                site.hits_elsewhere.append(self.path)
                self.send_error(404)

        self.hits_elsewhere: list[str] = []
        self.server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self.other = LoopbackHTTPServer(("127.0.0.2", 0), Elsewhere)
        self.servers = (self.server, self.other)

    @property
    def elsewhere_base(self) -> str:
        return f"http://127.0.0.2:{self.other.server_address[1]}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"
