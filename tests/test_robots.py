"""robots.txt is obeyed by every request of a real `scrapy crawl`, whatever the path to it: many
requests waiting for one robots.txt, a robots.txt that cannot be read, paths a server resolves
into a disallowed directory, and links found by discovery."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from monitor import store
from monitor.crawl import run_crawl
from tests.conftest import FAST, crawl, rows, track
from tests.loopback import LoopbackHTTPServer, serve_in_thread

pytestmark = pytest.mark.e2e

PARAGRAPH = (
    "The harbour authority said on Monday that the northern pier would close for repairs, after "
    "inspectors found cracks in three of its concrete supports during a routine survey last month."
)
ROBOTS = b"User-agent: *\nDisallow: /private/\n"


class Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    base: ClassVar[str] = ""
    paths: ClassVar[list[str]] = []  # every request, raw path as received
    robots_status: ClassVar[int] = 200
    # Hold robots.txt back a moment so that the other requests of the round queue up behind it
    # (the condition of the bug); a delay of the server, not a timing assertion.
    robots_delay: ClassVar[float] = 0.0

    def do_GET(self) -> None:
        Site.paths.append(self.path)
        if self.path == "/robots.txt":
            time.sleep(Site.robots_delay)
            status, body, kind = Site.robots_status, ROBOTS, "text/plain"
            if status != 200:
                body = b"<html><body>Service unavailable</body></html>"
        elif self.path == "/news/just-a-link.html":  # a page whose whole text is a URL
            status, kind, body = 200, "text/html", f"{Site.base}/private/linked.html".encode()
        elif self.path == "/feed.xml":
            items = "".join(
                f"<item><title>{p}</title><link>{Site.base}{p}</link></item>"
                for p in ("/news/a.html", "/private/leak.html", "/news/b.html")
            )
            status, kind = 200, "application/rss+xml"
            body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
        else:
            status, kind = 200, "text/html; charset=utf-8"
            body = (
                f"<html><head><title>Pier {self.path}</title></head><body><article>"
                f"<h1>Pier {self.path}</h1>"
                + f"<p>{PARAGRAPH}</p>" * 4
                + "</article></body></html>"
            ).encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.paths, Site.robots_status, Site.robots_delay = [], 200, 0.0
    server = LoopbackHTTPServer(("127.0.0.1", 0), Site)
    server.daemon_threads = True
    serve_in_thread(server)
    Site.base = f"http://127.0.0.1:{server.server_port}"
    yield Site.base
    server.shutdown()
    server.server_close()


def private_hits() -> list[str]:
    """Requests a lenient server would resolve into /private/ (decoded, path parameters dropped,
    slashes merged, dot segments removed)."""
    resolved = (
        urlsplit(urljoin("http://x/", re.sub(r"/+", "/", re.sub(r";[^/]*", "", unquote(p))))).path
        for p in Site.paths
    )
    return [p for p in resolved if p.startswith("/private/")]


def checks(db_path: Path) -> dict[str, str]:
    found = rows(
        db_path,
        "select articles.url, checks.reason from checks join articles on articles.id = article_id",
    )
    return {row["url"]: row["reason"] for row in found}


def test_every_request_waiting_for_robots_txt_obeys_it(site: str, db_path: Path) -> None:
    # Scrapy 2.19 gave the parser only to the first request waiting for robots.txt; the later
    # ones were told there was none and fetched. Disallowed URLs from the third place on.
    Site.robots_delay = 0.5
    urls = [f"{site}/news/{n}.html" for n in range(2)]
    urls += [f"{site}/private/{n}.html" for n in range(4)] + [f"{site}/news/last.html"]
    track(db_path, urls)
    crawl(db_path, all="true")
    assert private_hits() == []
    assert Site.paths.count("/robots.txt") == 1
    reasons = checks(db_path)
    for url in urls:
        expected = "disallowed by robots.txt" if "/private/" in url else "first version"
        assert expected in reasons[url], (url, reasons[url])


def test_paths_a_server_resolves_into_a_disallowed_directory_are_not_fetched(
    site: str, db_path: Path
) -> None:
    disguised = [
        f"{site}//private/a.html",
        f"{site}/news/../private/b.html",
        f"{site}/./private/c.html",
        f"{site}/news/%2E%2E/private/d.html",
        f"{site}/news/..%2Fprivate/e.html",
        f"{site}/private;v=1/f.html",
    ]
    track(db_path, disguised)
    crawl(db_path, all="true")
    assert Site.paths == ["/robots.txt"]
    assert set(checks(db_path).values()) == {"not fetched: disallowed by robots.txt"}


@pytest.mark.parametrize("status", [503, 429])
def test_an_unreadable_robots_txt_means_nothing_is_fetched(
    site: str, db_path: Path, status: int
) -> None:
    # RFC 9309: a robots.txt that cannot be read (5xx, 429, no answer) is a complete disallow;
    # Scrapy took it for "no robots.txt" and fetched everything.
    Site.robots_status = status
    urls = [f"{site}/news/a.html", f"{site}/private/b.html"]
    track(db_path, urls)
    crawl(db_path, {"RETRY_TIMES": "0"}, all="true")
    assert Site.paths == ["/robots.txt"]
    assert set(checks(db_path).values()) == {f"not fetched: robots.txt unreachable (HTTP {status})"}
    # An error check, retried later: never a removal.
    assert {r["status"] for r in rows(db_path, "select status from articles")} == {"active"}


def test_discovery_never_tracks_a_disallowed_link(site: str, db_path: Path) -> None:
    db = store.open_db(db_path)
    store.add_source(db, "feed", f"{site}/feed.xml", "", store.utc_now())
    db.close()
    result = run_crawl("discover", db_path, {}, {**FAST, "REDLINE_ALLOW_PRIVATE": "True"})
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-3000:]
    tracked = {r["url"] for r in rows(db_path, "select url from articles")}
    assert tracked == {f"{site}/news/a.html", f"{site}/news/b.html"}
    assert f"refused {site}/private/leak.html" in result.stdout
    assert private_hits() == []


def test_extraction_never_downloads_what_a_page_names(site: str, db_path: Path) -> None:
    # htmldate downloads its input when it looks like a URL: a page whose text is a disallowed
    # URL was fetched from the extraction worker, past robots.txt and the crawl's politeness.
    track(db_path, [f"{site}/news/just-a-link.html"])
    crawl(db_path, all="true")
    assert "/news/just-a-link.html" in Site.paths
    assert private_hits() == []
