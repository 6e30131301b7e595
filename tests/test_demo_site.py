"""The demo news site: pages, editions, conditional requests, robots, and the request log.

Every request goes to a `DemoSite` on 127.0.0.1 with a port chosen by the OS.
"""

from __future__ import annotations

import difflib
import http.client
import itertools
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import trafilatura

from monitor.demo import DemoSite
from monitor.demo import articles as A
from monitor.demo.site import render_page

ROOT = Path(__file__).resolve().parents[1]
ALL_KINDS = {
    "headline", "byline", "quote", "quote_added", "quote_removed", "name", "number",
    "correction_note", "typo", "sentence_added", "sentence_removed", "sentence_moved",
    "sentence_changed", "cosmetic", "removed", "restored", "redirected", "reverted",
}  # fmt: skip
BOILERPLATE = (
    "Breaking", "Advertisement", "comments", "Related", "Morning Ledger", "Sign up",
    "Page generated", "About us", "ledgerConfig", "Published", "Updated", "By ", "Por ",
)  # fmt: skip
# Direct connections only: a proxy from the environment must never see the test traffic.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_RAW_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def fetch(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, Message, bytes]:
    """Status, headers and body of one request, without following redirects."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _RAW_OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def links(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(body.decode())
    return parser.hrefs


def meta(body: bytes, key: str) -> str:
    match = re.search(
        rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)">', body.decode()
    )
    assert match, key
    return match.group(1)


@pytest.fixture
def site() -> Iterator[DemoSite]:
    with DemoSite() as running:
        yield running


def test_base_url_is_local_without_trailing_slash(site: DemoSite) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", site.base_url)
    assert site.url("/feed.xml") == site.base_url + "/feed.xml"


def test_unstarted_site_on_port_zero_has_no_base_url() -> None:
    with pytest.raises(RuntimeError):
        _ = DemoSite().base_url


def test_home_page_links_every_article_and_the_private_draft(site: DemoSite) -> None:
    status, headers, body = fetch(site.url("/"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    hrefs = links(body)
    articles = {href.split("?")[0] for href in hrefs if href.startswith(A.ARTICLE_DIR)}
    assert {site.url(path) for path in articles} == set(site.article_urls())
    assert len(site.article_urls()) == 7
    assert any("utm_source=" in href for href in hrefs), "tracking noise on some teasers"
    assert A.PRIVATE_PATH in hrefs
    text = body.decode()
    assert 'class="ticker"' in text and 'class="ad-slot' in text and "<nav" in text


def test_article_urls_follow_the_edition(site: DemoSite) -> None:
    assert site.url(A.slug_path(A.SLUG_NEW)) not in site.article_urls()
    site.edition = 2
    assert site.article_urls()[0] == site.url(A.slug_path(A.SLUG_NEW))
    site.edition = 3
    urls = site.article_urls()
    assert site.url(A.slug_path(A.SLUG_NUMBER_AND_CORRECTION)) not in urls
    assert site.url(A.slug_path(A.SLUG_MOVED_TO)) in urls


def test_section_page_links_the_articles(site: DemoSite) -> None:
    status, _, body = fetch(site.url("/news/"))
    assert status == 200
    assert {site.url(href) for href in links(body) if href.startswith(A.ARTICLE_DIR)} == set(
        site.article_urls()
    )


def test_robots_txt_disallows_private(site: DemoSite) -> None:
    status, headers, body = fetch(site.url("/robots.txt"))
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Disallow: /private/"]
    assert f"Sitemap: {site.base_url}/sitemap.xml" in lines


def test_private_draft_exists(site: DemoSite) -> None:
    status, _, body = fetch(site.url(A.PRIVATE_PATH))
    assert status == 200 and b"DRAFT" in body


@pytest.mark.parametrize("edition", A.EDITIONS)
def test_feed_has_one_item_per_current_article(site: DemoSite, edition: int) -> None:
    site.edition = edition
    status, headers, body = fetch(site.url("/feed.xml"))
    assert status == 200 and "rss" in headers["Content-Type"]
    channel = ET.fromstring(body).find("channel")
    assert channel is not None
    items = channel.findall("item")
    assert [item.findtext("link") for item in items] == site.article_urls()
    for item in items:
        assert item.findtext("title") and item.findtext("description") and item.findtext("guid")
        assert parsedate_to_datetime(item.findtext("pubDate") or "").tzinfo is not None


def test_sitemap_lists_current_articles_with_lastmod(site: DemoSite) -> None:
    site.edition = 2
    status, _, body = fetch(site.url("/sitemap.xml"))
    assert status == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(body).findall("s:url", ns)
    assert [url.findtext("s:loc", namespaces=ns) for url in urls] == site.article_urls()
    assert all(re.match(r"2026-11-\d\dT", url.findtext("s:lastmod", "", ns)) for url in urls)


@pytest.mark.parametrize("slug", A.SLUGS)
def test_article_page_is_a_full_news_page(site: DemoSite, slug: str) -> None:
    site.edition = 2
    path = A.article_path(slug, 2)
    assert path is not None
    version = A.served_version(slug, 2)
    assert version is not None
    status, _, body = fetch(site.url(path) + "?utm_source=x")
    assert status == 200
    text = body.decode()
    assert f'<link rel="canonical" href="{site.url(path)}">' in text
    assert meta(body, "og:title") == version.headline
    assert meta(body, "author") == version.author
    assert meta(body, "article:published_time") == version.published
    assert meta(body, "article:modified_time") == version.updated
    assert meta(body, "description")
    assert f"<h1>{version.headline}</h1>" in text
    assert re.search(r'<p class="byline">(By|Por) <span class="author">', text)
    assert text.count("<time datetime=") == 2
    assert 6 <= len(version.paragraphs) <= 12
    assert len(" ".join(version.paragraphs).split()) >= 250
    assert re.search(r"\d+ comments", text) and 'class="related"' in text
    assert 'class="newsletter"' in text and "Page generated" in text
    assert '"token": "' in text


def test_spanish_article_is_marked_spanish(site: DemoSite) -> None:
    _, _, body = fetch(site.url(A.slug_path(A.SLUG_SPANISH)))
    assert b'<html lang="es">' in body and b"Por <span" in body


@pytest.mark.parametrize("edition", [1, 2, 3, 4])
def test_repeat_requests_are_byte_identical(site: DemoSite, edition: int) -> None:
    site.edition = edition
    paths = ["/", "/news/", "/feed.xml", "/sitemap.xml", "/robots.txt", "/nope.html"]
    paths += [path for slug in A.SLUGS if (path := A.article_path(slug, edition))]
    for path in paths:
        assert fetch(site.url(path))[2] == fetch(site.url(path))[2], path


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return match.group()


def test_boilerplate_churns_between_editions_around_unchanged_text(site: DemoSite) -> None:
    url = site.url(A.slug_path(A.SLUG_UNCHANGED))
    pages = []
    for edition in (1, 2, 3, 4, 5):
        site.edition = edition
        pages.append(fetch(url)[2].decode())
    churn = (
        r"Breaking</strong> [^<]+",
        r"\d+ comments",
        r"Page generated [^<]+",
        r'"token": "\w+"',
        r'Advertisement · <a href="#advertise">[^<]+',
    )
    for before, after in itertools.pairwise(pages):
        assert before != after
        for pattern in churn:
            assert _find(pattern, before) != _find(pattern, after), pattern
    assert len({_find(r'class="related">.*?</aside>', page) for page in pages}) > 1
    bodies = [_find(r'<div class="story-body">.*?</article>', page) for page in pages]
    paragraphs = {tuple(re.findall(r"<p>.*?</p>", body)) for body in bodies}
    assert len(paragraphs) == 1


def test_conditional_requests(site: DemoSite) -> None:
    url = site.url(A.slug_path(A.SLUG_NAME_AND_QUOTE))
    status, headers, _ = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert status == 200 and re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert parsedate_to_datetime(modified).tzinfo is not None

    def status_with(**request_headers: str) -> tuple[int, bytes]:
        code, _, content = fetch(url, {k.replace("_", "-"): v for k, v in request_headers.items()})
        return code, content

    assert status_with(If_None_Match=etag) == (304, b"")
    assert status_with(If_None_Match=f'"other", W/{etag}') == (304, b"")
    assert status_with(If_None_Match='"stale"')[0] == 200
    assert status_with(If_Modified_Since=modified) == (304, b"")
    assert status_with(If_Modified_Since="Mon, 02 Nov 2026 00:00:00 GMT")[0] == 200
    # If-None-Match decides when present, whatever If-Modified-Since says.
    assert status_with(If_None_Match='"stale"', If_Modified_Since=modified)[0] == 200

    site.edition = 2
    status, headers, _ = fetch(url, {"If-None-Match": etag, "If-Modified-Since": modified})
    assert status == 200 and headers["ETag"] != etag
    assert parsedate_to_datetime(headers["Last-Modified"]) > parsedate_to_datetime(modified)
    assert status_with(If_Modified_Since=modified)[0] == 200


def test_last_modified_stays_while_the_bytes_stay() -> None:
    base = "http://127.0.0.1:1"
    assert render_page("/robots.txt", 1, base) == render_page("/robots.txt", 4, base)
    with DemoSite(edition=4) as site:
        first = fetch(site.url("/robots.txt"))[1]["Last-Modified"]
        site.edition = 1
        assert fetch(site.url("/robots.txt"))[1]["Last-Modified"] == first


def test_head_sends_headers_only(site: DemoSite) -> None:
    status, headers, body = fetch(site.url("/"), method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert headers["ETag"] == fetch(site.url("/"))[1]["ETag"]


def test_unknown_path_is_an_html_404(site: DemoSite) -> None:
    status, headers, body = fetch(site.url("/news/2026/11/no-such-story.html"))
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"Page not found" in body


def test_new_article_appears_in_edition_two(site: DemoSite) -> None:
    url = site.url(A.slug_path(A.SLUG_NEW))
    assert fetch(url)[0] == 404
    site.edition = 2
    assert fetch(url)[0] == 200
    assert url.encode() in fetch(site.url("/feed.xml"))[2]
    assert url.encode() in fetch(site.url("/sitemap.xml"))[2]


def test_edition_three_lifecycle(site: DemoSite) -> None:
    site.edition = 3
    removed = site.url(A.slug_path(A.SLUG_NUMBER_AND_CORRECTION))
    assert fetch(removed)[0] == 404

    status, headers, _ = fetch(site.url(A.slug_path(A.SLUG_TYPO_AND_ADDITION)))
    new_url = site.url(A.slug_path(A.SLUG_MOVED_TO))
    assert status == 301 and headers["Location"] == new_url
    status, _, body = fetch(new_url)
    assert status == 200 and f'<link rel="canonical" href="{new_url}">'.encode() in body
    assert A.served_version(A.SLUG_TYPO_AND_ADDITION, 3) == A.served_version(
        A.SLUG_TYPO_AND_ADDITION, 2
    )
    site.edition = 2
    assert fetch(new_url)[0] == 404

    assert A.story_state(A.SLUG_HEADLINE_AND_REMOVAL, 3) == A.story_state(
        A.SLUG_HEADLINE_AND_REMOVAL, 1
    )
    site.edition = 4
    status, _, body = fetch(removed)
    assert status == 200 and b"At least 15 people died, not 12." in body
    assert A.story_state(A.SLUG_NUMBER_AND_CORRECTION, 4) == A.story_state(
        A.SLUG_NUMBER_AND_CORRECTION, 2
    )


def test_requests_are_recorded_and_cleared(site: DemoSite) -> None:
    path = A.slug_path(A.SLUG_COSMETIC) + "?utm_source=x"
    etag = fetch(site.url(path))[1]["ETag"]
    fetch(site.url(path), {"If-None-Match": etag, "User-Agent": "redline-test/1"})
    fetch(site.url("/missing"), method="HEAD")
    assert [(r.method, r.path, r.status) for r in site.requests] == [
        ("GET", path, 200),
        ("GET", path, 304),
        ("HEAD", "/missing", 404),
    ]
    second = site.requests[1]
    assert second.if_none_match == etag and second.user_agent == "redline-test/1"
    assert second.if_modified_since is None
    site.clear_requests()
    assert site.requests == []


def test_private_page_is_only_fetched_when_asked(site: DemoSite) -> None:
    fetch(site.url("/"))
    assert not any(r.path.startswith("/private/") for r in site.requests)


def test_stop_and_start_again_on_the_same_port() -> None:
    site = DemoSite().start()
    url = site.url("/robots.txt")
    site.stop()
    site.start()
    try:
        assert fetch(url)[0] == 200
    finally:
        site.stop()


def test_stop_ends_open_keep_alive_connections() -> None:
    site = DemoSite().start()
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    try:
        connection.request("GET", "/robots.txt")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Connection") != "close"
        response.read()
        site.stop()
        with pytest.raises((http.client.HTTPException, OSError)):
            connection.request("GET", "/robots.txt")
            connection.getresponse()
    finally:
        connection.close()
        site.stop()


def test_command_line_serves_until_interrupted() -> None:
    with subprocess.Popen(  # on leaving, its pipe is closed
        [sys.executable, "-m", "monitor.demo.site", "--port", "0", "--edition", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            base = re.search(r"http://127\.0\.0\.1:\d+", line)
            assert base, line
            status, _, body = fetch(base.group() + "/")
            assert status == 200 and A.slug_path(A.SLUG_NEW).encode() in body
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == 0  # a bound to fail on a hang, not a speed claim


# The content: ground truth and the edits it describes.


def test_expected_edits_cover_every_story_with_known_kinds() -> None:
    assert list(A.EXPECTED_EDITS) == A.SLUGS == list(A.STORIES)
    for transitions in A.EXPECTED_EDITS.values():
        for (before, after), kinds in transitions.items():
            assert after == before + 1 and kinds <= ALL_KINDS


def _word_changes(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.split(" "), after.split(" ")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [
        (" ".join(old[i1:i2]), " ".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _body(slug: str, edition: int) -> str:
    version = A.served_version(slug, edition)
    assert version is not None
    return " ".join(version.paragraphs)


@pytest.mark.parametrize(
    ("slug", "changes"),
    [
        (
            A.SLUG_NAME_AND_QUOTE,
            [
                ("Neimann-Ortiz,", "Neumann-Ortiz,"),
                ("", "housing"),
                ("Neimann-Ortiz", "Neumann-Ortiz"),
            ],
        ),
        (
            A.SLUG_NUMBER_AND_CORRECTION,
            [
                ("12", "at least 15"),
                (
                    "",
                    "Correction: An earlier version of this article misstated the number of "
                    "people killed in the fire. At least 15 people died, not 12.",
                ),
            ],
        ),
        (A.SLUG_UNCHANGED, []),
        (
            A.SLUG_TYPO_AND_ADDITION,
            [
                ("goverment", "government"),
                ("", "Tutors receive 20 hours of training before they start."),
            ],
        ),
        (
            A.SLUG_SPANISH,
            [
                ("tres", "cinco"),
                (
                    "",
                    "Fe de erratas: Una versión anterior de este artículo indicaba que el "
                    "accidente dejó tres heridos. Fueron cinco.",
                ),
            ],
        ),
    ],
)
def test_edition_two_changes_only_the_intended_words(
    slug: str, changes: list[tuple[str, str]]
) -> None:
    assert _word_changes(_body(slug, 1), _body(slug, 2)) == changes


def test_headline_softened_and_one_paragraph_removed() -> None:
    first = A.served_version(A.SLUG_HEADLINE_AND_REMOVAL, 1)
    second = A.served_version(A.SLUG_HEADLINE_AND_REMOVAL, 2)
    assert first is not None and second is not None
    assert _word_changes(first.headline, second.headline) == [("admits", "says")]
    assert len(second.paragraphs) == len(first.paragraphs) - 1
    assert set(second.paragraphs) < set(first.paragraphs)


def test_cosmetic_edition_only_changes_typography() -> None:
    def plain(text: str) -> str:
        for fancy, simple in {"’": "'", "“": '"', "”": '"', "—": "-"}.items():
            text = text.replace(fancy, simple)
        return " ".join(text.split())

    before, after = _body(A.SLUG_COSMETIC, 1), _body(A.SLUG_COSMETIC, 2)
    assert before != after and plain(before) == plain(after)
    assert "  " in after and "—" in after and "“" in after


# Extraction: trafilatura keeps the story and drops the page around it.


@pytest.mark.parametrize(
    ("slug", "edition"),
    [
        (slug, edition)
        for slug in A.SLUGS
        for edition in A.EDITIONS
        if A.article_path(slug, edition)
    ],
)
def test_trafilatura_extracts_exactly_the_story(slug: str, edition: int) -> None:
    path = A.article_path(slug, edition)
    assert path is not None
    page = render_page(path, edition, "http://127.0.0.1:8631").body.decode()
    text = trafilatura.extract(page, include_comments=False, deduplicate=False) or ""
    version = A.served_version(slug, edition)
    assert version is not None
    # trafilatura collapses runs of spaces (the cosmetic edit's double space).
    assert text.split("\n") == [" ".join(p.split()) for p in version.paragraphs]
    assert not [word for word in BOILERPLATE if word in text]


def test_unchanged_article_extracts_identically_in_every_edition() -> None:
    texts = {
        trafilatura.extract(
            render_page(A.slug_path(A.SLUG_UNCHANGED), edition, "http://127.0.0.1:8631").body,
            include_comments=False,
            deduplicate=False,
        )
        for edition in (1, 2, 3, 4, 5)
    }
    assert len(texts) == 1


def test_http_dates_are_gmt() -> None:
    from datetime import UTC, datetime

    from monitor.demo.site import http_date

    moment = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)
    assert http_date(moment) == format_datetime(moment, usegmt=True)


def test_demo_serve_keeps_the_site_up_and_publishes_the_next_editions() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "monitor", "demo", "--serve", "--next-edition-every", "1s"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+)/ \(edition 1\): feed (\S+)", first)
        assert match, first
        with urllib.request.urlopen(match.group(2), timeout=60) as feed:  # a bound on a hang
            assert feed.status == 200 and b"<rss" in feed.read()
        lines = [server.stdout.readline() for _ in range(4)]
        assert "daemon" in lines[0]  # how to watch it
        assert [line.strip() for line in lines[1:]] == [f"edition {n} published" for n in (2, 3, 4)]
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "demo site stopped" in output and "Traceback" not in output


def test_the_redesign_edition_changes_the_template_around_the_same_text(site: DemoSite) -> None:
    url = site.url(A.slug_path(A.SLUG_NAME_AND_QUOTE))
    site.edition = A.REDESIGN_EDITION - 1
    before = fetch(url)[2].decode()
    site.edition = A.REDESIGN_EDITION
    after = fetch(url)[2].decode()
    for furniture in ('class="promo-box"', 'class="newsletter-inline"', "<ol>"):
        assert furniture in _find(r'<main id="main".*?</main>', after), furniture
    assert 'class="news-ticker"' in after and 'class="news-ticker"' not in before
    assert "Words by <a" in after and "By <span" in before
    bodies = (
        _find(r'"story-body">.*?</article>', before),
        _find(r'"article-body">.*?</article>', after),
    )
    assert re.findall(r"<p>.*?</p>", bodies[0]) == re.findall(r"<p>.*?</p>", bodies[1])


def test_the_demo_editions_end_before_the_redesign() -> None:
    assert A.LATEST_EDITION < A.REDESIGN_EDITION < A.REDESIGN_EDIT_EDITION
    for slug in A.STORIES:
        if slug not in A.REDESIGN_EDITS:
            assert A.served_version(slug, A.REDESIGN_EDITION) == A.served_version(
                slug, A.REDESIGN_EDIT_EDITION
            )
