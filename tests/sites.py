"""A realistic news site on 127.0.0.1 for end-to-end tests: articles that redirect the way real
sites do (tracking parameters, http → https, id → slug, AMP and print variants with canonical
links), charsets declared only in the HTTP header, throttling (429 + Retry-After), bot walls,
a metered paywall, URLs that only answer in their own spelling, and a feed listing pages
robots.txt disallows.

`NewsSite(edition=1)` serves one edition; set `edition = 2` and each story's second paragraph
says "eight" instead of "seven". `NewsSite.requests` lists the paths asked (query included).
`/many/N.html` are as many ordinary stories as a test wants; `/poisoned.html` is a long read
whose second edition rewrites every word (a comparison that takes most of a second).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.loopback import LoopbackHTTPServer, serve_in_thread

PARAGRAPHS = (
    "The regional transport authority confirmed on Monday that the night trains between the two "
    "cities will run again from March, after a two-year pause blamed on staff shortages.",
    "The board voted {figure} to three in favour of the plan, which still needs the approval of "
    "the finance committee before the first tickets go on sale in the new year.",
    "Passenger groups welcomed the decision but warned that the timetable leaves the smaller "
    "stations along the northern line without any late service on weekdays.",
)
FIGURES = {1: "seven", 2: "eight"}

# Text in each charset test page, and the bytes the page is served as.
CHARSET_WORDS = {
    "latin": ("Zürich und Genève, Straße", "iso-8859-1"),
    "cp1252": ("Le “quai” de Zürich – 5 €", "windows-1252"),
    "sjis": ("東京都の新しい鉄道計画について", "shift_jis"),
    "gb": ("北京市公布新的铁路规划方案", "gb18030"),
}

CLOUDFLARE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<h1>Checking your browser before accessing the site.</h1>"
    b"<p>This process is automatic.</p></body></html>"
)
PAYWALL = (
    b"<html><head><title>Night trains return</title></head><body><article>"
    b"<h1>Night trains return</h1><p>Subscribe to continue reading. Already a subscriber? "
    b"Log in.</p></article></body></html>"
)


def story(title: str, edition: int, canonical: str = "", charset: str = "utf-8") -> bytes:
    figure = FIGURES.get(edition, "seven")
    body = "".join(f"<p>{p.format(figure=figure)}</p>" for p in PARAGRAPHS)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='{charset}'><title>{title}</title>"
        f"{link}</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}"
        "</article><footer><p>The Loopback Times</p></footer></body></html>"
    ).encode(charset)


# The poisoned long read: paragraphs of words without sentence punctuation, every one rewritten
# in the second edition. Just under the comparison's size limits (about 190,000 characters of
# changed sentences), so it is compared in full: about 0.7 s of CPU.
POISONED_PARAGRAPHS = 96
POISONED_WORDS = 160
_VOCABULARY = (
    "council budget river city police minister report storm people school water road power "
    "court judge vote plan tax health election union market price border fire officials"
).split()


def poisoned_page(edition: int) -> bytes:
    paragraphs = []
    for n in range(POISONED_PARAGRAPHS):
        rng = random.Random(edition * 1_000 + n)
        paragraphs.append(" ".join(rng.choice(_VOCABULARY) for _ in range(POISONED_WORDS)))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Long read</title>"
        f"</head><body><article><h1>Long read</h1>{body}</article></body></html>"
    ).encode()


def charset_page(name: str, declare_meta: str = "") -> bytes:
    words, encoding = CHARSET_WORDS[name]
    meta = f'<meta charset="{declare_meta}">' if declare_meta else ""
    paragraphs = "".join(f"<p>{p.format(figure='seven')} {words}.</p>" for p in PARAGRAPHS)
    return (
        f"<html><head>{meta}<title>{words}</title></head><body><article><h1>{words}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode(encoding)


Response = tuple[int, dict[str, str], bytes]


class NewsSite:
    """The site on a local port (a context manager). `other` is a second origin (another port on
    the same host) standing in for the https side of an http → https redirect."""

    def __init__(self, edition: int = 1, paywall_after: int = 2) -> None:
        self.edition = edition
        self.paywall_after = paywall_after
        self.requests: list[str] = []
        self.other: NewsSite | None = None
        self._metered = 0
        self._server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ addresses
    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    # ------------------------------------------------------------------ pages
    def respond(self, target: str) -> Response:
        html = {"Content-Type": "text/html"}
        utf8 = {"Content-Type": "text/html; charset=utf-8"}
        path, _, query = target.partition("?")
        routes: dict[str, Callable[[], Response]] = {
            "/robots.txt": lambda: (
                200,
                {"Content-Type": "text/plain"},
                b"User-agent: *\nDisallow: /private/\n",
            ),
            "/feed.xml": lambda: (200, {"Content-Type": "application/rss+xml"}, self.feed()),
            # 1. redirects to the article itself, in the forms real sites use
            "/tracked.html": lambda: self._redirect_or_story(
                query, "tracked", "/tracked.html?utm_source=rss&utm_medium=feed"
            ),
            "/id/7": lambda: (301, {"Location": "/night-trains-return.html"}, b""),
            "/night-trains-return.html": lambda: (
                200,
                utf8,
                story("Night trains", self.edition, self.url("/night-trains-return.html")),
            ),
            "/insecure.html": lambda: (
                (301, {"Location": self.other.url("/insecure.html")}, b"")
                if self.other is not None
                else (200, utf8, story("Insecure", self.edition, self.url("/insecure.html")))
            ),
            "/amp/ferry.html": lambda: (
                200,
                utf8,
                story("Ferry", self.edition, self.url("/ferry.html")),
            ),
            "/print.html": lambda: (302, {"Location": "/print/bridge.html"}, b""),
            "/print/bridge.html": lambda: (
                200,
                utf8,
                story("Bridge", self.edition, "/bridge.html"),
            ),
            # 5. a URL that only answers in its own spelling
            "/story": lambda: (
                (200, utf8, story("Query story", self.edition))
                if query == "12345&b=2&a=1"
                else (404, html, b"<html><body>Not found</body></html>")
            ),
            # blocked, throttled, metered
            "/wall.html": lambda: (403, html, CLOUDFLARE),
            "/challenge.html": lambda: (200, html, CLOUDFLARE),
            "/throttled.html": lambda: (429, {**html, "Retry-After": "3600"}, b"<p>Slow down</p>"),
            "/metered.html": self._metered_page,
            "/private/secret.html": lambda: (200, utf8, story("Secret", self.edition)),
        }
        if path.startswith("/charset/"):
            return self._charset(path.removeprefix("/charset/"))
        if path.startswith("/many/"):
            return 200, utf8, story(f"Story {path.removeprefix('/many/')}", self.edition)
        if path == "/poisoned.html":
            return 200, utf8, poisoned_page(self.edition)
        route = routes.get(path)
        if route is None:
            return 404, html, b"<html><body>Not found</body></html>"
        return route()

    def _redirect_or_story(self, query: str, title: str, location: str) -> Response:
        if not query:
            return 302, {"Location": location}, b""
        return 200, {"Content-Type": "text/html; charset=utf-8"}, story(title, self.edition)

    def _metered_page(self) -> Response:
        self._metered += 1
        if self._metered > self.paywall_after:
            return 200, {"Content-Type": "text/html"}, PAYWALL
        return 200, {"Content-Type": "text/html"}, story("Metered", self.edition)

    def _charset(self, name: str) -> Response:
        """`latin`, `cp1252`, `sjis`: charset in the header only; `gb`: in a <meta> only;
        `conflict`: Shift_JIS in the header, a wrong utf-8 <meta> in the page (the header wins)."""
        if name == "gb":
            return 200, {"Content-Type": "text/html"}, charset_page("gb", "gb18030")
        if name == "conflict":
            page = charset_page("sjis", "utf-8")
            return 200, {"Content-Type": "text/html; charset=Shift_JIS"}, page
        if name not in CHARSET_WORDS:
            return 404, {}, b""
        encoding = CHARSET_WORDS[name][1]
        return 200, {"Content-Type": f"text/html; charset={encoding}"}, charset_page(name)

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{path}</title><link>{self.url(path)}</link></item>"
            for path in ("/tracked.html", "/id/7", "/private/secret.html", "/story?12345&b=2&a=1")
        )
        return f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>".encode()

    # ------------------------------------------------------------------ serving
    def start(self) -> NewsSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                status, headers, body = site.respond(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = LoopbackHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        serve_in_thread(self._server)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> NewsSite:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
