"""The one item Redline's spiders yield: a fetched page (or a failure) for a tracked URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass
class PageItem:
    url: str  # the tracked article's key (its canonical URL)
    status: int  # 0 when no response came
    body: bytes = b""
    final_url: str = ""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    error: str = ""
    requested_url: str = ""  # the URL fetched, as given or discovered (empty: `url`)
    retry_after: str = ""
    headers: str = ""  # the response headers, JSON [[name, value], ...] (monitor.record.plan)
    screenshot: bytes = b""  # a PNG of the rendered page (crawler/browser.py)
    sha256: str = ""  # of the body, when the spider computed it (empty: the writer does)
    database: str = ""  # the database file the article is tracked in (empty: the crawl's first)
    conditional: bool | None = None  # whether the request sent a validator (None: not known)


@dataclass
class LinksItem:
    """Article links a source (feed, sitemap, section page) listed."""

    source_id: int
    source_url: str
    urls: list[str]  # canonical: the articles' keys
    fetch_urls: list[str] = field(default_factory=list)  # as listed ("" when the same)
    database: str = ""  # the database file of the source (empty: the crawl's first)


class Examined(NamedTuple):
    """What the check spider found out about a fetched page before recording it
    (`crawler.spiders.check.examine_page`)."""

    sha256: str  # of the body, when the article has a last page to compare it with ("": not)
    known: bool  # byte for byte the last page read: its check is recorded as it is
    shell: str  # why the page looks like a JavaScript shell ("": it does not, or not examined)
