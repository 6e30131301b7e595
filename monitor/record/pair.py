"""Two captures of one page compared exactly as the crawl compares them.

`redline compare OLD.html NEW.html` and the benchmarks call `compare_pages`; the crawl calls
`record_page` for each page it fetches. `compare_pages` is nothing but two `record_page` calls
(the old page, then the new one an hour later) on a throwaway database: the same extraction
(with the page's URL and Content-Type), the same content hash, the same comparison with both raw
pages (boundary discount, line roles), the same health gate, headline-variant and live-page
decisions, with an empty history and an empty site memory. What the second check stores is the
answer. One path, so the command and the crawl cannot disagree.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.compare.edit import Edit
from monitor.record.page import CheckResult, record_page
from monitor.record.plan import FetchedPage
from monitor.record.versions import RawPage

# The address a pair is recorded under when the caller gives none (never fetched: `.invalid`
# is reserved, RFC 2606).
DEFAULT_URL = "https://redline.invalid/article"
# The second capture is recorded this long after the first, as a crawl would (the first
# check's clock and the second's never matter otherwise).
SECOND_CHECK_AFTER = timedelta(hours=1)
_FIRST_CHECK = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class PairComparison:
    """What the crawl would have stored for the second capture."""

    outcome: str  # record_page's outcome of the second check ("new_version", "unchanged", ...)
    reason: str
    edits: tuple[Edit, ...] = ()
    first_outcome: str = ""  # of the first check ("new_article" unless the page was refused)


def compare_pages(old: RawPage, new: RawPage, url: str = "") -> PairComparison:
    """The crawl's verdict on `new` when it last stored `old` for `url` (see the module
    docstring). Raises `DatabaseError` only when no temporary database can be made."""
    from monitor import store

    url = url or DEFAULT_URL
    now = _FIRST_CHECK
    with tempfile.TemporaryDirectory(prefix="redline-compare-") as folder:
        db = store.open_db(Path(folder) / "pair.db")
        try:
            # Created here, unnamed: naming its host would look the name up (a throwaway
            # database never crawls, so it needs no address vouched for).
            store.track_article(db, url, now, resolve=_no_lookup)
            first = record_page(db, _fetched(url, url, old), now)
            article = next(iter(db["articles"].rows), None)
            key, fetch = url, url
            if article is not None:
                key, fetch = article["url"], article.get("fetch_url") or article["url"]
            second = record_page(db, _fetched(key, fetch, new), now + SECOND_CHECK_AFTER)
        finally:
            db.close()
    return _pair(first, second)


def _no_lookup(_host: str) -> list[str]:
    return []


def _fetched(key: str, fetch: str, page: RawPage) -> FetchedPage:
    return FetchedPage(
        key, 200, page.body, content_type=page.content_type or "text/html", requested_url=fetch
    )


def _pair(first: CheckResult, second: CheckResult) -> PairComparison:
    return PairComparison(second.outcome, second.reason, second.edits, first.outcome)
