"""Pull the article (title, byline, dates, body) out of a news page with trafilatura.

A string or bytes in, a frozen `Article` out: no network, no database. The options are fixed here
because every one of them changes what a monitor would report as an edit (see PITFALLS.md):
comments are excluded (comment churn is not an article edit) and `deduplicate` stays off (its
process-wide cache empties repeat extractions of the same page).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

import htmldate
import trafilatura
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

EXTRACTOR = "trafilatura"


@dataclass(frozen=True)
class Article:
    """What Redline compares between two versions of a page. Only `body` is required in practice."""

    title: str = ""
    byline: str = ""
    published: str = ""
    modified: str = ""
    body: str = ""
    canonical_url: str = ""
    language: str = ""

    def is_empty(self) -> bool:
        """True when the page yielded no article text at all."""
        return not self.body.strip()


@cache
def extractor_version() -> str:
    """The installed trafilatura version, stored with every version row so an upgrade can re-extract."""
    return f"{EXTRACTOR} {version('trafilatura')}"


def _decode(html: str | bytes) -> str:
    if isinstance(html, str):
        return html
    # trafilatura's own decoder sniffs the charset (meta tags, then detection) and never raises.
    from trafilatura.utils import decode_file

    decoded = decode_file(html)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", "replace")


def _canonical_url(text: str) -> str:
    try:
        tree = lxml_html.fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for link in tree.xpath('//link[@rel="canonical"][@href]'):
        return str(link.get("href", "")).strip()
    return ""


def extract_article(html: str | bytes, url: str | None = None) -> Article:
    """Extract the article from one page. Never raises on odd input: no article gives an empty body."""
    text = _decode(html).replace("\x00", "")
    if not text.strip():
        return Article()
    try:
        doc = trafilatura.bare_extraction(
            text,
            url=url,
            include_comments=False,
            deduplicate=False,
            with_metadata=True,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except (ValueError, TypeError, AttributeError) as error:
        # trafilatura raises these on some malformed documents; treat as "no article found".
        logger.warning("extraction failed for %s: %s", url or "<page>", error)
        return Article()
    if doc is None:
        return Article(canonical_url=_canonical_url(text))
    modified = ""
    try:
        modified = htmldate.find_date(text, original_date=False, extensive_search=False) or ""
    except (ValueError, TypeError) as error:
        logger.debug("no modified date for %s: %s", url or "<page>", error)
    published = doc.date or ""
    return Article(
        title=(doc.title or "").strip(),
        byline=(doc.author or "").strip(),
        published=published,
        modified=modified if modified != published else "",
        body=(doc.text or "").strip(),
        canonical_url=_canonical_url(text),
        language=doc.language or "",
    )
