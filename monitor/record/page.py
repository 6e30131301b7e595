"""Record one fetched page: read, decide, then write.

Called by the crawler's pipeline with a plain `FetchedPage` (no Scrapy objects). `record_page`
reads what the store knows of the article, extracts the page if it must, compares it with the
latest version and decides a plan (`monitor.record.plan`, pure) outside any transaction; the
store's writer then applies the plan in one transaction, after checking that no other writer
changed the article meanwhile (if one did, the page is decided again). A crash never leaves half a
version, and the write lock is held only for the inserts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import Edit, make_edit, summarize
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.errors import ExtractionError, StalePlanError
from monitor.extract.article import Article
from monitor.extract.liveblog import read_live_page
from monitor.extract.standfirst import read_standfirst
from monitor.fetch.policy import RevisitPolicy
from monitor.fetch.urls import canonicalize_url
from monitor.record.newsroom import (
    NewsroomDecision,
    NewsroomKnown,
    NewsroomSeen,
    decide_newsroom,
)
from monitor.record.plan import (
    RECENT_VERSIONS,
    FetchedPage,
    Known,
    Lookups,
    canonical_candidate,
    health_problem,
    interstitial_reason,
    is_soft_404,
    plan_extracted,
    plan_failure,
    plan_response,
)
from monitor.record.versions import RawPage, VersionComparison, compare_versions
from monitor.store import newsroom as newsroom_store
from monitor.store.newsroom import FIELDS

__all__ = [
    "CheckResult",
    "ExtractLater",
    "Extractor",
    "FetchedPage",
    "extract_in_process",
    "health_problem",
    "is_soft_404",
    "record_page",
]

logger = logging.getLogger(__name__)

# (body, url, content type) -> Article; the content type's charset decides the decoding.
Extractor = Callable[[bytes, str, str], Article]
# How many times a page is decided again when other writers keep changing its article.
PLAN_ATTEMPTS = 3


@dataclass(frozen=True)
class CheckResult:
    outcome: str
    reason: str = ""
    version_seq: int | None = None
    edits: tuple[Edit, ...] = field(default=())
    summary: str = ""


def extract_in_process(body: bytes, url: str, content_type: str = "") -> Article:
    """Extract in this process (the default `Extractor`)."""
    # Imported here: a round of unchanged pages never extracts, and trafilatura is slow to load.
    from monitor.extract.extraction import extract_article

    return extract_article(body, url=url, content_type=content_type)


class ExtractLater(Exception):
    """Raised by an extractor to stop `record_page` where it would extract, before anything of
    the check is written: the caller extracts elsewhere (the crawler, in a worker process; see
    `monitor.extract.pool`) and records the page again with that extraction. Not a
    `RedlineError`: it is a hand-over, not a failure."""


class _Once:
    """The extractor, called at most once per page however many times the page is decided."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor
        self.done: Article | ExtractionError | None = None

    def __call__(self, page: FetchedPage) -> Article:
        if self.done is None:
            try:
                self.done = self.extractor(page.body, page.final, page.content_type)
            except ExtractionError as error:
                self.done = error
        if isinstance(self.done, ExtractionError):
            raise self.done
        return self.done


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
    extract = _Once(extractor)
    for _ in range(PLAN_ATTEMPTS):
        plan = decide(db, page, now, policy, extract)
        try:
            applied = store.apply_plan(db, plan)
        except StalePlanError:
            logger.info("%s changed while it was being checked; deciding again", page.url)
            continue
        return _result(page, plan, applied)
    raise StalePlanError(f"{page.url} kept changing while it was being checked")


def _result(page: FetchedPage, plan: store.Plan, applied: store.Applied) -> CheckResult:
    if plan.outcome in ("error", "blocked", "extraction_failed"):
        logger.warning("check of %s: %s: %s", page.url, plan.outcome, plan.reason)
    elif plan.outcome == "new_version":
        logger.info("new version %s of %s: %s", applied.version_seq, page.url, plan.reason)
    return CheckResult(
        plan.outcome,
        plan.reason,
        version_seq=applied.version_seq,
        edits=plan.edits,
        summary=summarize(plan.edits) if plan.edits else "",
    )


def decide(
    db: Database, page: FetchedPage, now: datetime, policy: RevisitPolicy, extract: _Once
) -> store.Plan:
    """Read what the store knows, extract and compare if needed, and return the plan. Writes
    nothing but the article row of an unknown URL (and a re-extraction after an upgrade)."""
    article, _ = store.track_article(db, page.url, now)
    site = store.get_site(db, article["site"])
    known = Known(
        article, store.latest_head(db, article["id"]), int(site["failures"]) if site else 0
    )
    plan = plan_response(page, known, now, policy)
    if plan is not None:
        return _end_quiet_tests(db, plan, known, now) if plan.outcome == "unchanged" else plan
    if known.head is not None and _stale(known.head):
        # The extractor changed since the last version: re-derive it from its raw page first,
        # so the upgrade itself is never reported as newsroom edits.
        from monitor.record.reextract import reextract_all

        reextract_all(db, article_id=int(article["id"]))
        known = Known(article, store.latest_head(db, article["id"]), known.site_failures)
    try:
        extracted = extract(page)
    except ExtractionError as error:
        # Not remembered: a worker that died or ran out of time (on a loaded machine, or under a
        # limit raised since) may well extract the same bytes next time; back-off spaces tries.
        reason = str(error)
        return plan_failure(page, known, now, policy, "extraction_failed", reason, True, False)
    recent = store.recent_body_lengths(db, article["id"], RECENT_VERSIONS)
    problem = health_problem(extracted, recent)
    if problem:
        outcome = "blocked" if interstitial_reason(extracted) else "extraction_failed"
        return plan_failure(page, known, now, policy, outcome, problem, keep_page=True)
    return _decide_content(db, page, known, extracted, now, policy)


def _stale(head: store.Row) -> bool:
    from monitor.extract.article import extractor_version

    return bool(head["made_by"] != extractor_version())


def _decide_content(
    db: Database,
    page: FetchedPage,
    known: Known,
    extracted: Article,
    now: datetime,
    policy: RevisitPolicy,
) -> store.Plan:
    article = known.article
    latest = store.latest_version(db, article["id"]) if known.head else None
    fingerprint = content_hash(extracted.title, extracted.byline, body_paragraphs(extracted.body))
    canonical = canonical_candidate(article, extracted, page.final) if latest is None else ""
    owner = store.find_article(db, canonical) if canonical else None
    place = _canonical(page.final)
    final_owner = store.find_article(db, place) if place != (canonical or article["url"]) else None
    lookups = Lookups(
        canonical=canonical,
        canonical_owner=int(owner["id"]) if owner else None,
        final_owner=int(final_owner["id"]) if final_owner else None,
    )
    if latest is not None and latest["content_hash"] != fingerprint:
        lookups = replace(
            lookups,
            earlier_seq=store.version_with_hash(db, article["id"], fingerprint),
            comparison=_compare_with_latest(db, latest, extracted, page),
        )
    lookups = replace(lookups, newsroom=_newsroom(db, page, known, latest, extracted, lookups, now))
    return plan_extracted(page, known, latest, extracted, fingerprint, lookups, now, policy)


def _newsroom_known(db: Database, article: store.Row, posts: bool) -> NewsroomKnown:
    article_id = int(article["id"])
    return NewsroomKnown(
        runs={name: newsroom_store.field_runs(db, article_id, name) for name in FIELDS},
        posts=newsroom_store.stored_posts(db, article_id) if posts else (),
        live=bool(article.get("live")),
        growths=newsroom_store.post_growths(db, article_id) if posts else 0,
        previous_check=datetime.fromisoformat(article["last_checked"])
        if article.get("last_checked")
        else None,
    )


def _newsroom(
    db: Database,
    page: FetchedPage,
    known: Known,
    latest: store.Row | None,
    extracted: Article,
    lookups: Lookups,
    now: datetime,
) -> NewsroomDecision:
    """Headline variants and live posts of this page: decided on the comparison's edits (with
    the `reverted` event the plan would add), before anything is written."""
    live_page = read_live_page(page.body, page.final)
    edits = list(lookups.comparison.edits) if lookups.comparison else []
    if lookups.earlier_seq is not None:
        edits.append(make_edit("reverted", "article"))
    return decide_newsroom(
        _newsroom_known(db, known.article, bool(live_page.posts)),
        NewsroomSeen(extracted.title, read_standfirst(page.body), live_page, extracted.body),
        edits,
        now,
        first_sight=latest is None,
    )


def _end_quiet_tests(db: Database, plan: store.Plan, known: Known, now: datetime) -> store.Plan:
    """An unchanged page still ends a headline test that has had no flip for long enough
    (reported once, on the latest version)."""
    if known.head is None or not newsroom_store.open_tests(db, int(known.article["id"])):
        return plan
    state = _newsroom_known(db, known.article, posts=False)
    shown = {name: runs[-1].text for name, runs in state.runs.items() if runs}
    seen = NewsroomSeen(shown.get("title", ""), shown.get("standfirst", ""))
    decision = decide_newsroom(state, seen, [], now)
    if not decision.edits:
        return plan
    return replace(plan, edits=decision.edits, change_to="same", newsroom=decision.writes)


def _canonical(url: str) -> str:
    try:
        return canonicalize_url(url)
    except ValueError:
        return url


def _compare_with_latest(
    db: Database, latest: store.Row, extracted: Article, page: FetchedPage
) -> VersionComparison:
    old_page = None
    if latest["snapshot_id"]:
        old_page = RawPage(*store.load_snapshot_page(db, int(latest["snapshot_id"])))
    return compare_versions(
        store.article_from_row(latest),
        extracted,
        old_page,
        RawPage(page.body, page.content_type),
    )
