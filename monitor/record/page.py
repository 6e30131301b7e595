"""Record one fetched page: the path from a response to a check row, a version and its edits.

Called by the crawler's pipeline with a plain `FetchedPage` (no Scrapy objects). Extraction runs
before the write transaction so the lock is held only for the comparison and the inserts; the
check, the snapshot, the version, the change and its edits are written in one transaction, so a
crash never leaves half a version.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import Edit, make_edit, summarize
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.errors import ExtractionError
from monitor.extract.article import Article, extractor_version
from monitor.fetch.policy import RevisitPolicy, next_check
from monitor.fetch.urls import canonicalize_url
from monitor.lexicon import INTERSTITIAL_TEXT

logger = logging.getLogger(__name__)

# Extraction health gate. A body shorter than this share of the median of the article's recent
# versions is a collapse (paywall, consent wall, broken template), not an edit: a real rewrite
# seldom drops 70 % of a story at once. Only applied once the story is long enough to judge.
COLLAPSE_RATIO = 0.3
COLLAPSE_MIN_LENGTH = 400
RECENT_VERSIONS = 3
# Short bodies carrying one of these are interstitials, not articles.
INTERSTITIAL_MAX_LENGTH = 1200

Extractor = Callable[[bytes, str], Article]
# Content types worth extracting; anything else (images, PDFs, binaries) is an error check.
_HTML_TYPES = re.compile(r"html|xml|text/plain", re.IGNORECASE)


@dataclass(frozen=True)
class FetchedPage:
    """One response (or failure) for a tracked URL, as plain data."""

    url: str  # the tracked URL that was requested
    status: int  # HTTP status; 0 when no response came (network error, timeout, refused)
    body: bytes = b""
    final_url: str = ""  # after redirects; empty means the same as url
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    error: str = ""  # why no usable response came

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the body, computed once however many times it is asked for."""
        return store.page_hash(self.body)


@dataclass(frozen=True)
class CheckResult:
    outcome: str
    reason: str = ""
    version_seq: int | None = None
    edits: tuple[Edit, ...] = field(default=())
    summary: str = ""


def extract_in_process(body: bytes, url: str) -> Article:
    """Extract in this process (the default `Extractor`)."""
    # Imported here: a round of unchanged pages never extracts, and trafilatura is slow to load.
    from monitor.extract.extraction import extract_article

    return extract_article(body, url=url)


class ExtractLater(Exception):
    """Raised by an extractor to stop `record_page` where it would extract, before anything of
    the check is written: the caller extracts elsewhere (the crawler, in a worker process; see
    `monitor.extract.pool`) and records the page again with that extraction. Not a
    `RedlineError`: it is a hand-over, not a failure."""


def health_problem(article: Article, recent_lengths: list[int]) -> str:
    """Why this extraction must not become a version, or "" when it looks like the article."""
    if article.is_empty():
        return "extraction found no article text"
    length = len(article.body)
    if length < INTERSTITIAL_MAX_LENGTH and INTERSTITIAL_TEXT.search(article.body):
        return "page looks like a paywall, consent or error interstitial"
    if recent_lengths:
        typical = statistics.median(recent_lengths)
        if typical >= COLLAPSE_MIN_LENGTH and length < COLLAPSE_RATIO * typical:
            return f"extracted text collapsed to {length} characters from about {int(typical)}"
    return ""


def is_soft_404(requested: str, final: str) -> bool:
    """A redirect from an article to the home page or to a section above it (`/news/` for
    `/news/2026/story.html`) means the article is gone; a redirect elsewhere is a move."""
    before, after = urlsplit(requested), urlsplit(final)
    if before.netloc.lower() != after.netloc.lower():
        return False
    old_path, new_path = before.path or "/", after.path or "/"
    if new_path == "/":
        return old_path != "/"
    ancestor = new_path if new_path.endswith("/") else new_path + "/"
    return old_path.startswith(ancestor) and old_path.rstrip("/") != new_path.rstrip("/")


def _schedule(
    policy: RevisitPolicy, article: store.Row, now: datetime, changed: bool
) -> str | None:
    first_seen = datetime.fromisoformat(article["first_seen"])
    last = (
        now
        if changed
        else (datetime.fromisoformat(article["last_changed"]) if article["last_changed"] else None)
    )
    when = next_check(policy, now, first_seen, last)
    return store.stamp(when) if when else None


def record_page(
    db: Database,
    page: FetchedPage,
    now: datetime,
    policy: RevisitPolicy | None = None,
    extractor: Extractor = extract_in_process,
) -> CheckResult:
    """Record a fetched page for its tracked article and return what happened.

    `extractor` is called at most once, only when the page must be extracted, and before
    anything of this check is written; it may raise `ExtractLater` to stop there."""
    policy = policy or RevisitPolicy()
    article, _ = store.track_article(db, page.url, now)
    final_url = page.final_url or page.url
    check: dict[str, Any] = {
        "article_id": article["id"],
        "checked_at": store.stamp(now),
        "url": final_url,
        "http_status": page.status or None,
    }
    status = page.status

    if (
        page.error
        or status == 0
        or status >= 500
        or status == 429
        or (status >= 400 and status not in (404, 410))
    ):
        return _record_error(db, article, check, page.error or f"HTTP {status}", now, policy)

    if status == 304:
        with store.write_transaction(db):
            store.add_check(db, outcome="unchanged", reason="304 not modified", **check)
            store.update_article(
                db,
                article["id"],
                last_checked=store.stamp(now),
                next_check=_schedule(policy, article, now, changed=False),
            )
        return CheckResult("unchanged", "304 not modified")

    if status in (404, 410) or (final_url != page.url and is_soft_404(page.url, final_url)):
        reason = f"HTTP {status}" if status in (404, 410) else f"redirected to {final_url}"
        return _record_removal(db, article, check, reason, now, policy)

    digest = page.digest
    made_by = store.latest_extractor(db, article["id"])
    same_extractor = made_by == extractor_version()
    same_place = (article["redirected_to"] or page.url) == final_url
    if (
        digest == article["last_page_hash"]
        and same_extractor
        and same_place
        and article["status"] == "active"
    ):
        with store.write_transaction(db):
            store.add_check(db, outcome="unchanged", reason="identical page", **check)
            store.update_article(
                db,
                article["id"],
                last_checked=store.stamp(now),
                etag=page.etag or article["etag"],
                last_modified=page.last_modified or article["last_modified"],
                next_check=_schedule(policy, article, now, changed=False),
            )
        return CheckResult("unchanged", "identical page")

    if page.content_type and not _HTML_TYPES.search(page.content_type):
        reason = f"not an HTML page ({page.content_type.split(';')[0].strip()})"
        return _record_error(db, article, check, reason, now, policy)

    if made_by is not None and not same_extractor:
        # The extractor changed since the last version: re-derive it from its raw page first,
        # so the upgrade itself is never reported as newsroom edits.
        from monitor.record.reextract import reextract_all

        reextract_all(db, article_id=int(article["id"]))

    try:
        extracted = extractor(page.body, final_url)
    except ExtractionError as error:
        extracted, problem = Article(), str(error)
    else:
        recent = store.recent_body_lengths(db, article["id"], RECENT_VERSIONS)
        problem = health_problem(extracted, recent)
    if problem:
        with store.write_transaction(db):
            snapshot = store.save_snapshot(db, page.body, page.content_type, now)
            store.add_check(
                db, outcome="extraction_failed", reason=problem, snapshot_id=snapshot, **check
            )
            store.update_article(
                db,
                article["id"],
                last_checked=store.stamp(now),
                next_check=_schedule(policy, article, now, changed=False),
            )
        logger.warning("no version of %s stored: %s", page.url, problem)
        return CheckResult("extraction_failed", problem)

    paragraphs = body_paragraphs(extracted.body)
    fingerprint = content_hash(extracted.title, extracted.byline, paragraphs)
    return _record_content(db, page, extracted, fingerprint, digest, check, now, policy)


def _honour_canonical(db: Database, article: store.Row, extracted: Article, final_url: str) -> str:
    """On first sight, make one article one row: a page whose rel=canonical names another tracked
    article is a duplicate of it (returns that URL); otherwise the row takes its canonical URL."""
    if not extracted.canonical_url:
        return ""
    try:
        canonical = canonicalize_url(urljoin(final_url, extracted.canonical_url))
    except ValueError:
        return ""
    if canonical == article["url"] or urlsplit(canonical).scheme not in ("http", "https"):
        return ""
    if urlsplit(canonical).netloc != urlsplit(final_url).netloc:
        return ""  # a canonical on another site is syndication, not the same row
    other = store.find_article(db, canonical)
    if other is not None:
        return str(canonical)
    store.update_article(db, article["id"], url=canonical)
    article["url"] = canonical
    return ""


def _record_error(
    db: Database,
    article: store.Row,
    check: dict[str, Any],
    reason: str,
    now: datetime,
    policy: RevisitPolicy,
) -> CheckResult:
    """No usable page: an error check, retried soon; never "unchanged", never a removal."""
    with store.write_transaction(db):
        store.add_check(db, outcome="error", reason=reason, **check)
        store.update_article(
            db,
            article["id"],
            last_checked=store.stamp(now),
            next_check=store.stamp(now + policy.error_retry),
        )
    logger.warning("check of %s failed: %s", article["url"], reason)
    return CheckResult("error", reason)


def _discount_boundary_shifts(
    db: Database, edits: list[Edit], latest: store.Row, new_raw: bytes
) -> list[Edit]:
    """Sentences that only crossed the extraction boundary are not newsroom edits (see
    `edits.discount_known_text`); needs the previous raw page, kept with every version."""
    if not latest["snapshot_id"] or not any(
        (e.field == "body" and (not e.old or not e.new)) or e.kind == "byline" for e in edits
    ):
        return edits
    from monitor.compare.comparison import discount_known_text
    from monitor.extract.extraction import page_text

    old_raw = store.load_snapshot(db, int(latest["snapshot_id"]))
    return discount_known_text(edits, page_text(old_raw), page_text(new_raw))


def _record_removal(
    db: Database,
    article: store.Row,
    check: dict[str, Any],
    reason: str,
    now: datetime,
    policy: RevisitPolicy,
) -> CheckResult:
    with store.write_transaction(db):
        fresh = store.find_article(db, article["url"]) or article
        latest = store.latest_version(db, fresh["id"])
        edits: list[Edit] = []
        if fresh["status"] != "removed" and latest is not None:
            edits = [make_edit("removed", "article", old=fresh["url"], new="", extra=(reason,))]
            store.add_change(db, fresh["id"], latest["id"], None, edits, now)
        store.add_check(db, outcome="removed", reason=reason, **check)
        store.update_article(
            db,
            fresh["id"],
            status="removed",
            last_checked=store.stamp(now),
            last_page_hash=None,
            etag=None,
            last_modified=None,
            next_check=_schedule(policy, fresh, now, changed=False),
        )
    if edits:
        logger.info("article removed: %s (%s)", article["url"], reason)
    return CheckResult("removed", reason, edits=tuple(edits), summary=summarize(edits))


def _record_content(
    db: Database,
    page: FetchedPage,
    extracted: Article,
    fingerprint: str,
    digest: str,
    check: dict[str, Any],
    now: datetime,
    policy: RevisitPolicy,
) -> CheckResult:
    final_url = page.final_url or page.url
    with store.write_transaction(db):
        # Re-read inside the write lock: another writer may have recorded this article meanwhile.
        article = store.find_article(db, page.url)
        assert article is not None
        latest = store.latest_version(db, article["id"])
        # rel=canonical only decides identity on first sight: an article with a history that
        # now points elsewhere has moved, which the redirect handling below records.
        duplicate_of = (
            _honour_canonical(db, article, extracted, final_url) if latest is None else ""
        )
        if duplicate_of:
            reason = f"same article as {duplicate_of} (rel=canonical)"
            store.add_check(db, outcome="duplicate", reason=reason, **check)
            store.update_article(
                db,
                article["id"],
                status="duplicate",
                next_check=None,
                last_checked=store.stamp(now),
            )
            return CheckResult("duplicate", reason)
        lifecycle: list[Edit] = []
        if article["status"] == "removed" and latest is not None:
            lifecycle.append(make_edit("restored", "article", new=page.url))
        moved = final_url != page.url and article["redirected_to"] != final_url
        if moved and latest is not None:  # a first sight through a redirect is no event
            lifecycle.append(make_edit("redirected", "article", old=page.url, new=final_url))
        # The story now lives at a URL tracked in its own right: that row carries it on, this one
        # keeps its history and is no longer checked.
        handed_over = final_url != page.url and (
            store.find_article(db, canonicalize_url(final_url)) is not None
        )
        common = {
            "last_checked": store.stamp(now),
            "last_page_hash": digest,
            "etag": page.etag or None,
            "last_modified": page.last_modified or None,
            "status": "redirected" if handed_over else "active",
            "redirected_to": final_url if final_url != page.url else None,
        }
        if latest is not None and latest["content_hash"] == fingerprint:
            if lifecycle:
                store.add_change(db, article["id"], latest["id"], latest["id"], lifecycle, now)
            outcome, reason = ("unchanged", "same content")
            if article["status"] == "removed":
                outcome, reason = ("restored", "back after removal, same content")
            store.add_check(db, outcome=outcome, reason=reason, **check)
            store.update_article(
                db,
                article["id"],
                **common,
                next_check=None if handed_over else _schedule(policy, article, now, changed=False),
            )
            return CheckResult(
                outcome,
                reason,
                edits=tuple(lifecycle),
                summary=summarize(lifecycle) if lifecycle else "",
            )

        edits: list[Edit] = []
        if latest is not None:
            # Imported here: the comparison (syntok, rapidfuzz) is only needed when content
            # changed, and a round of unchanged pages starts faster without it.
            from monitor.compare.comparison import compare

            edits = compare(store.article_from_row(latest), extracted)
            edits = _discount_boundary_shifts(db, edits, latest, page.body)
            earlier = list(
                db.query(
                    "select seq from versions where article_id = ? and content_hash = ? "
                    "order by seq desc limit 1",
                    [article["id"], fingerprint],
                )
            )
            if earlier:
                lifecycle.append(
                    make_edit(
                        "reverted",
                        "article",
                        old=f"version {latest['seq']}",
                        new=f"version {earlier[0]['seq']}",
                        extra=(f"content is identical to version {earlier[0]['seq']}",),
                    )
                )
        edits = lifecycle + edits
        if latest is not None and not edits:
            # Different hash, nothing to report: the normalisation rules changed since the last
            # version was hashed (e.g. a new furniture pattern). Re-hash it; no new version.
            db.execute(
                "update versions set content_hash = ? where id = ?", [fingerprint, latest["id"]]
            )
            store.add_check(db, outcome="unchanged", reason="same content (re-hashed)", **check)
            store.update_article(
                db,
                article["id"],
                **common,
                next_check=None if handed_over else _schedule(policy, article, now, changed=False),
            )
            return CheckResult("unchanged", "same content (re-hashed)")
        snapshot = store.save_snapshot(db, page.body, page.content_type, now)
        version = store.add_version(
            db,
            article["id"],
            extracted,
            content_hash=fingerprint,
            snapshot_id=snapshot,
            url=final_url,
            extractor=extractor_version(),
            now=now,
        )
        if latest is not None:
            store.add_change(db, article["id"], latest["id"], version["id"], edits, now)
        outcome = "new_version" if latest is not None else "new_article"
        store.add_check(
            db,
            outcome=outcome,
            version_id=version["id"],
            snapshot_id=snapshot,
            reason=summarize(edits) if edits else "first version",
            **check,
        )
        store.update_article(
            db,
            article["id"],
            **common,
            title=extracted.title,
            version_count=int(version["seq"]),
            last_changed=store.stamp(now),
            next_check=None if handed_over else _schedule(policy, article, now, changed=True),
        )
    if latest is not None:
        logger.info("new version %s of %s: %s", version["seq"], page.url, summarize(edits))
    return CheckResult(
        outcome,
        version_seq=int(version["seq"]),
        edits=tuple(edits),
        summary=summarize(edits) if edits else "",
    )
