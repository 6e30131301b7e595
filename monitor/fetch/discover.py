"""Find article URLs in what a source serves: RSS/Atom feeds, sitemaps (plain, index and Google
News), robots.txt `Sitemap:` lines, and section pages. Pure parsers: bytes in, links out; Scrapy
does the fetching (trafilatura's own feed helpers would download by themselves, bypassing robots
handling and throttling)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

from monitor.errors import ConfigError
from monitor.fetch.urls import canonicalize_url

SOURCE_KINDS = ("feed", "sitemap", "section")
# A gzip-compressed sitemap (`.xml.gz`, application/gzip) is inflated up to this many bytes: the
# sitemaps protocol caps a sitemap at 50 MB uncompressed; a bigger one is a bomb, not a sitemap.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class SitemapTooLargeError(ValueError):
    """A compressed sitemap inflates past SITEMAP_MAX_BYTES."""


def gunzip_sitemap(body: bytes, limit: int = SITEMAP_MAX_BYTES) -> bytes:
    """The body itself, or its gzip content inflated (at most `limit` bytes, else
    SitemapTooLargeError); a body that is not gzip is returned as it is, whatever its name."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as error:
        raise SitemapTooLargeError(f"not a readable gzip file: {error}") from error
    if len(out) > limit:
        raise SitemapTooLargeError(f"inflates past {limit:,} bytes")
    return out


@dataclass(frozen=True)
class Link:
    """An article found by a source, with what the source said about it."""

    url: str  # canonical: the article's key
    title: str = ""
    published: str = ""
    fetch_url: str = ""  # as the source gave it, fetched as is (empty: the same as `url`)

    @classmethod
    def of(cls, given: str, title: str = "", published: str = "") -> Link:
        canonical = canonicalize_url(given)
        return cls(canonical, title, published, "" if given == canonical else given)


@dataclass(frozen=True)
class Found:
    """What one fetched source yielded: article links, and further sitemaps to fetch."""

    links: tuple[Link, ...] = ()
    sitemaps: tuple[str, ...] = field(default=())


def _http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def parse_feed(body: bytes, base_url: str) -> Found:
    """Entries of an RSS or Atom feed (feedparser tolerates the malformed ones news sites serve)."""
    parsed = feedparser.parse(body)
    links = []
    for entry in parsed.entries:
        href = entry.get("link") or ""
        if not href:
            continue
        url = urljoin(base_url, href)
        if _http(url):
            links.append(
                Link.of(
                    url,
                    entry.get("title", "").strip(),
                    entry.get("published", "") or entry.get("updated", ""),
                )
            )
    return Found(links=tuple(links))


_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, base_url: str) -> Found:
    """A sitemap's <url> entries (with Google News titles and dates) or a sitemap index's
    <sitemap> entries. Namespaces are matched by local name: many sites get them wrong."""
    try:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, recover=True, huge_tree=False
        )
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return Found()
    if root is None:
        return Found()
    links: list[Link] = []
    sitemaps: list[str] = []
    for entry in root:
        kind = _local(entry.tag)
        if kind not in ("url", "sitemap"):
            continue
        values: dict[str, str] = {}
        for child in entry.iter():
            name = _local(child.tag)
            if name in ("loc", "title", "publication_date", "lastmod") and child.text:
                values.setdefault(name, child.text.strip())
        loc = urljoin(base_url, values.get("loc", ""))
        if not values.get("loc") or not _http(loc):
            continue
        if kind == "sitemap":
            sitemaps.append(loc)
        else:
            links.append(
                Link.of(
                    loc,
                    values.get("title", ""),
                    values.get("publication_date", "") or values.get("lastmod", ""),
                )
            )
    return Found(links=tuple(links), sitemaps=tuple(sitemaps))


def robots_sitemaps(body: bytes, base_url: str) -> tuple[str, ...]:
    """The `Sitemap:` lines of a robots.txt."""
    found = []
    for line in body.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            url = urljoin(base_url, value.strip())
            if _http(url):
                found.append(url)
    return tuple(found)


def compile_match(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigError(f"not a valid --match pattern {pattern!r}: {error}") from error


def parse_section(body: bytes, base_url: str, match: str) -> Found:
    """Links on a front or section page whose absolute URL matches `match` (a regex searched
    anywhere in the URL), same site only, in page order, each once."""
    pattern = compile_match(match)
    try:
        tree = lxml_html.fromstring(body)
    except (etree.ParserError, ValueError):
        return Found()
    site = urlsplit(base_url).netloc.lower()
    seen: dict[str, Link] = {}
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        url = urljoin(base_url, href.strip())
        if not _http(url) or urlsplit(url).netloc.lower() != site or not pattern.search(url):
            continue
        link = Link.of(url, " ".join(anchor.text_content().split()))
        if link.url not in seen:
            seen[link.url] = link
    return Found(links=tuple(seen.values()))


def parse_source(kind: str, body: bytes, base_url: str, match: str = "") -> Found:
    """Dispatch on the source kind; a sitemap source may also be a robots.txt."""
    if kind == "feed":
        return parse_feed(body, base_url)
    if kind == "sitemap":
        if urlsplit(base_url).path.endswith("robots.txt"):
            return Found(sitemaps=robots_sitemaps(body, base_url))
        return parse_sitemap(gunzip_sitemap(body), base_url)
    if kind == "section":
        return parse_section(body, base_url, match or ".")
    raise ConfigError(f"unknown source kind {kind!r} (one of {', '.join(SOURCE_KINDS)})")
