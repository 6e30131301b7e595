"""Discovery parsers: feeds, sitemaps (plain, index, Google News), robots.txt, section pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.fetch.discover import (
    parse_feed,
    parse_section,
    parse_sitemap,
    parse_source,
    robots_sitemaps,
)
from monitor.fetch.sources import load_sources
from tests.conftest import ROOT, corpus_path

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/world/2026/11/28/flood.html?utm_source=sitemap</loc>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2026-11-28T09:00:00Z</news:publication_date>
      <news:title>Floods close the valley road</news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/world/2026/11/27/vote.html</loc><lastmod>2026-11-27</lastmod></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>/sitemap-2026-11.xml</loc></sitemap>
  <sitemap><loc>javascript:alert(1)</loc></sitemap>
</sitemapindex>"""


def test_google_news_sitemap_keeps_titles_and_dates_and_canonicalises() -> None:
    found = parse_sitemap(NEWS_SITEMAP, "https://news.example/sitemap-news.xml")
    assert [link.url for link in found.links] == [
        "https://news.example/world/2026/11/28/flood.html",
        "https://news.example/world/2026/11/27/vote.html",
    ]
    assert found.links[0].title == "Floods close the valley road"
    assert found.links[0].published == "2026-11-28T09:00:00Z"
    assert found.links[1].published == "2026-11-27"


def test_sitemap_index_lists_sitemaps_resolved_and_http_only() -> None:
    found = parse_sitemap(SITEMAP_INDEX, "https://news.example/sitemap.xml")
    assert found.links == ()
    assert found.sitemaps == (
        "https://news.example/sitemap-news.xml",
        "https://news.example/sitemap-2026-11.xml",
    )


def test_broken_and_hostile_xml_yields_nothing() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
    <urlset><url><loc>&c;</loc></url></urlset>"""
    assert parse_sitemap(b"not xml at all", "https://x.example/").links == ()
    assert all(len(link.url) < 200 for link in parse_sitemap(bomb, "https://x.example/").links)


def test_robots_sitemap_lines() -> None:
    robots = (
        b"User-agent: *\nDisallow: /private/\nSitemap: https://news.example/sitemap.xml\n"
        b"sitemap: /news-sitemap.xml\n"
    )
    assert robots_sitemaps(robots, "https://news.example/robots.txt") == (
        "https://news.example/sitemap.xml",
        "https://news.example/news-sitemap.xml",
    )
    found = parse_source("sitemap", robots, "https://news.example/robots.txt")
    assert found.sitemaps and not found.links


def test_section_page_links_matching_the_pattern_same_site_once() -> None:
    page = b"""<html><body><nav><a href="/about">About</a></nav>
      <a href="/world/2026/11/flood.html?utm_medium=home#top">Floods close road</a>
      <a href="/world/2026/11/flood.html">Floods (again)</a>
      <a href="https://other.example/world/2026/11/x.html">Elsewhere</a>
      <a href="/world/2026/11/vote.html"> Vote  passes </a></body></html>"""
    found = parse_section(page, "https://news.example/world/", r"/world/\d{4}/")
    assert [(link.url, link.title) for link in found.links] == [
        ("https://news.example/world/2026/11/flood.html", "Floods close road"),
        ("https://news.example/world/2026/11/vote.html", "Vote passes"),
    ]


def test_bad_match_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="match"):
        parse_section(b"<a href='/x'>x</a>", "https://news.example/", "(unclosed")


def test_real_washington_post_feeds_overlap_as_their_raw_links_do() -> None:
    """The corpus notes one shared entry; the raw <link>s actually share six. Canonicalising must
    neither merge distinct articles nor split shared ones."""
    import feedparser

    folder = corpus_path("diffengine-feeds")
    first = parse_feed((folder / "feed1.xml").read_bytes(), "https://www.washingtonpost.com/")
    second = parse_feed((folder / "feed2.xml").read_bytes(), "https://www.washingtonpost.com/")
    assert len(first.links) >= 10 and len(second.links) >= 10
    assert all(link.title and link.url.startswith("https://") for link in first.links)
    shared = {link.url for link in first.links} & {link.url for link in second.links}
    raw = [
        {e.link for e in feedparser.parse((folder / name).read_bytes()).entries}
        for name in ("feed1.xml", "feed2.xml")
    ]
    assert len(shared) == len(raw[0] & raw[1]) >= 1


def test_example_sources_file_loads(tmp_path: Path) -> None:
    specs = load_sources(ROOT / "data" / "sources.example.toml")
    assert {spec.kind for spec in specs} == {"feed", "sitemap", "section"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]]\nkind='feed'\n", "needs a kind and a url"),
        ("[[source]]\nkind='blog'\nurl='https://x.example/'\n", "unknown source kind"),
        ("[[source]]\nkind='section'\nurl='https://x.example/'\n", "match"),
        ("[[source]]\nkind='feed'\nurl='ftp://x.example/'\n", "http"),
        ("not = [valid", "not valid TOML"),
    ],
)
def test_bad_sources_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_sources(path)


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("http://127.0.0.1:8000/a", True),
        ("http://10.1.2.3/a", True),
        ("http://192.168.0.10/a", True),
        ("http://169.254.169.254/latest/meta-data", True),  # cloud metadata, link-local
        ("http://[::1]/a", True),
        ("http://[fe80::1]/a", True),
        ("http://8.8.8.8/a", False),
        ("http://news.example/a", False),  # resolved by the stub resolver below: public
        ("http://intranet.example/a", True),  # resolves to a private address
    ],
)
def test_private_addresses_are_recognised(url: str, private: bool) -> None:
    from monitor.fetch.addresses import is_private_url

    table = {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.5"]}
    assert is_private_url(url, resolve=lambda host: table.get(host, [])) is private


@pytest.mark.e2e
def test_discovery_refuses_private_links_unless_allowed(site, tmp_path: Path) -> None:
    from monitor import store
    from monitor.crawl import run_crawl
    from tests.conftest import FAST

    for allow, expected in (("False", 0), ("True", len(site.article_urls()))):
        db_path = tmp_path / f"discover-{allow}.db"
        db = store.open_db(db_path)
        store.add_source(db, "feed", site.url("/feed.xml"), "", store.utc_now())
        db.close()
        result = run_crawl("discover", db_path, {}, {**FAST, "REDLINE_ALLOW_PRIVATE": allow})
        assert result.returncode == 0 and "Traceback" not in result.stdout
        db = store.open_db(db_path)
        assert len(store.all_articles(db)) == expected
        if allow == "False":
            assert "private address" in result.stdout


def _gz(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data)


SITEMAP_XML = (
    b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://news.example/a.html</loc></url></urlset>"
)


def test_a_gzip_compressed_sitemap_is_read() -> None:
    from monitor.fetch.discover import parse_source

    found = parse_source("sitemap", _gz(SITEMAP_XML), "https://news.example/sitemap.xml.gz")
    assert [link.url for link in found.links] == ["https://news.example/a.html"]


def test_a_compressed_sitemap_past_the_limit_is_refused_with_a_reason() -> None:
    from monitor.fetch.discover import SitemapTooLargeError, gunzip_sitemap

    bomb = _gz(b"\0" * 2_000_000)
    with pytest.raises(SitemapTooLargeError, match="inflates past 1,000,000 bytes"):
        gunzip_sitemap(bomb, limit=1_000_000)
    assert gunzip_sitemap(SITEMAP_XML) == SITEMAP_XML  # not gzip: as it is
