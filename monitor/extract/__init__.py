"""Stage 2, extract: the article (title, byline, dates, body) out of a fetched page.

`article` (the extracted value and the extractor's identity), `extraction` (trafilatura and
Redline's passes around it) and `pool` (extraction in worker processes during a crawl).

`from monitor.extract import extract_article` keeps working; it is resolved lazily, so importing
`monitor.extract.article` (as every check round does) does not load trafilatura.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.extract.extraction import Article, extract_article, extractor_version, page_text

__all__ = ["Article", "extract_article", "extractor_version", "page_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from monitor.extract import extraction

        return getattr(extraction, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
