"""The article as Redline compares it, and the identity of the extractor that produced it.

Kept apart from `extract.py` so that code which only reads stored versions (the store, a check
round of unchanged pages) does not import trafilatura: it costs about 0.2 s at every crawl start.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

EXTRACTOR = "trafilatura"

# Redline's own post-processing around trafilatura in `monitor/extract/extraction.py` (two passes,
# trimming, chunk joining, title line, list markers). Bump it whenever that logic changes: stored
# versions made by another revision are then re-extracted from their raw pages before comparing,
# so the change never shows up as edits. 3: pages decoded by the HTTP header's charset first;
# 4: list markers dropped.
# 6: a short balanced run (four paragraphs or fewer) is not trimmed; one or two paragraphs try the
# recall run; lines linking to another article ("Read more: ...") are dropped.
EXTRACTION_REVISION = 6


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
    """The installed trafilatura version plus Redline's extraction revision, stored with every
    version row (a change of either re-extracts)."""
    return f"{EXTRACTOR} {version('trafilatura')}+redline.{EXTRACTION_REVISION}"
