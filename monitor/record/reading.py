"""What the newsroom reads in an extracted page besides its article: its live posts and the
standfirst it declares (`monitor.record.newsroom`). A module of its own, light to import: the
extraction workers read pages too (`monitor.extract.pool`, `extract+read`), and a crawl imports
it with the pipeline, where a round of known pages reads none (the readers are imported on the
first page read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from monitor.extract.liveblog import LivePage


@dataclass(frozen=True)
class PageReading:
    """A page's live posts and its standfirst."""

    live: LivePage
    standfirst: str


# (body, final URL) -> the page's reading. By default read in this process; the crawler has it
# read in the extraction worker with the extraction, from the tree extraction parsed.
Reader = Callable[[bytes, str], PageReading]


def read_in_process(body: bytes, url: str, tree: HtmlElement | None = None) -> PageReading:
    """Read the page in this process (the default `Reader`); `tree`, when given, is the page as
    extraction parsed it (`extraction.parse_page`), read instead of parsing the page again."""
    from monitor.extract.liveblog import read_live_page
    from monitor.extract.standfirst import read_standfirst

    return PageReading(read_live_page(body if tree is None else tree, url), read_standfirst(body))
