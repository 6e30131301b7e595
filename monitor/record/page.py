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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import Edit, make_edit, summarize
from monitor.errors import ExtractionError, StalePlanError
from monitor.extract.article import Article
from monitor.fetch.policy import RevisitPolicy
from monitor.fetch.urls import canonicalize_url
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
from monitor.record.reading import PageReading, Reader, read_in_process
from monitor.record.versions import RawPage, VersionComparison, compare_versions
from monitor.store import sitememory as sitememory_store
from monitor.store.writer import NewVersion

if TYPE_CHECKING:
    from monitor.record.newsroom import NewsroomDecision, NewsroomKnown

# What only a page to extract needs (normalising, site memory, headline variants and live posts:
# `monitor.compare`, `monitor.record.newsroom`, `monitor.store.newsroom`) is imported by the
# functions that need it: a round of known pages never loads it (issue 23).

__all__ = [
    "CheckResult",
    "CompareLater",
    "Comparer",
    "ExtractLater",
    "Extractor",
    "FetchedPage",
    "PageReading",
    "Reader",
    "extract_in_process",
    "health_problem",
    "is_soft_404",
    "read_in_process",
    "record_page",
]

logger = logging.getLogger(__name__)

# (body, url, content type) -> Article; the content type's charset decides the decoding.
Extractor = Callable[[bytes, str, str], Article]
# (latest version, new extraction, latest's raw page, new raw page) -> the comparison; by
# default `compare_versions` in this process (bounded in size, not in time: the crawler runs it
# in a worker process under REDLINE_COMPARE_TIMEOUT).
Comparer = Callable[[Article, Article, RawPage | None, RawPage | None], VersionComparison]
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
    `monitor.extract.pool`) and records the page again with that extraction. Carries what was
    to be extracted (the fetched page, or the latest version's raw page after an extractor
    upgrade). Not a `RedlineError`: it is a hand-over, not a failure."""

    def __init__(self, body: bytes = b"", url: str = "", content_type: str = "") -> None:
        super().__init__("extract later")
        self.body, self.url, self.content_type = body, url, content_type


class CompareLater(Exception):
    """Raised by a comparer to stop `record_page` where it would compare, before anything of the
    check is written: the caller compares elsewhere (in a worker process, under a time limit) and
    records the page again with that comparison. Carries the comparison's inputs."""

    def __init__(
        self, old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
    ) -> None:
        super().__init__("compare later")
        self.old, self.new, self.old_page, self.new_page = old, new, old_page, new_page


class _Once:
    """The extractor and the reader, each called at most once per page however many times the
    page is decided."""

    def __init__(self, extractor: Extractor, reader: Reader = read_in_process) -> None:
        self.extractor = extractor
        self.reader = reader
        self.done: Article | ExtractionError | None = None
        self.read: PageReading | None = None

    def reading(self, page: FetchedPage) -> PageReading:
        if self.read is None:
            self.read = self.reader(page.body, page.final)
        return self.read

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
    comparer: Comparer = compare_versions,
    reader: Reader = read_in_process,
) -> CheckResult:
    """Record a fetched page for its tracked article and return what happened.

    `extractor` is called at most once, only when the page must be extracted, and before
    anything of this check is written; it may raise `ExtractLater` to stop there. `comparer` is
    called only when the content changed, before anything is written; it may raise
    `CompareLater`. `reader` is called at most once, on a page extracted and healthy."""
    policy = policy or RevisitPolicy()
    extract = _Once(extractor, reader)
    for _ in range(PLAN_ATTEMPTS):
        plan = decide(db, page, now, policy, extract, comparer)
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
    db: Database,
    page: FetchedPage,
    now: datetime,
    policy: RevisitPolicy,
    extract: _Once,
    comparer: Comparer = compare_versions,
) -> store.Plan:
    """Read what the store knows, extract and compare if needed, and return the plan. Writes
    nothing but the article row of an unknown URL (and a re-extraction after an upgrade)."""
    state = store.check_state(db, page.url)
    if state is None:  # not tracked yet: its row is made first
        store.track_article(db, page.url, now)
        state = store.check_state(db, page.url)
        assert state is not None
    known = Known(
        state.article, state.head, state.site_failures or 0, state.site_failures is not None
    )
    plan = plan_response(page, known, now, policy)
    if plan is not None:
        if plan.outcome == "unchanged" and state.open_tests:
            return _end_quiet_tests(db, plan, known, now)
        return plan
    refresh = None
    if known.head is not None and _stale(known.head):
        # The extractor changed since the latest version: re-derive it from its raw page first
        # (written with this check), so the upgrade itself is never reported as newsroom edits.
        # Only the latest version, the one compared with: `redline reextract` does the rest.
        try:
            refresh = _refresh_latest(db, known.head, extract.extractor)
        except ExtractionError as error:
            reason = f"re-extraction of the latest version failed: {error}"
            return plan_failure(page, known, now, policy, "extraction_failed", reason, True, False)
    return _with_refresh(
        _decide_extracted(db, page, known, now, policy, extract, comparer, refresh), refresh
    )


def _decide_extracted(
    db: Database,
    page: FetchedPage,
    known: Known,
    now: datetime,
    policy: RevisitPolicy,
    extract: _Once,
    comparer: Comparer,
    refresh: NewVersion | None,
) -> store.Plan:
    try:
        extracted = extract(page)
    except ExtractionError as error:
        # Not remembered: a worker that died or ran out of time (on a loaded machine, or under a
        # limit raised since) may well extract the same bytes next time; back-off spaces tries.
        reason = str(error)
        return plan_failure(page, known, now, policy, "extraction_failed", reason, True, False)
    recent = store.recent_body_lengths(db, known.article["id"], RECENT_VERSIONS)
    problem = health_problem(extracted, recent)
    if problem:
        outcome = "blocked" if interstitial_reason(extracted) else "extraction_failed"
        return plan_failure(page, known, now, policy, outcome, problem, keep_page=True)
    reading = extract.reading(page)
    return _decide_content(db, page, known, extracted, reading, now, policy, comparer, refresh)


def _refresh_latest(db: Database, head: store.Row, extractor: Extractor) -> NewVersion | None:
    """The latest version's text as the installed extractor finds it in its raw page (None:
    no raw page kept, the stored text stands)."""
    from monitor.record.reextract import refreshed_text

    if not head["snapshot_id"]:
        return None
    raw, content_type = store.load_snapshot_page(db, int(head["snapshot_id"]))
    latest = store.get_version_by_id(db, int(head["id"]))
    article, fingerprint = refreshed_text(latest, extractor(raw, latest["url"], content_type))
    return NewVersion(article, fingerprint, latest["url"], _extractor_version())


def _with_refresh(plan: store.Plan, refresh: NewVersion | None) -> store.Plan:
    return replace(plan, refresh=refresh) if refresh is not None else plan


def _refreshed(latest: store.Row, refresh: NewVersion | None) -> store.Row:
    """The latest version's row as it will be once the refresh is written."""
    if refresh is None:
        return latest
    text = refresh.article
    return {
        **latest,
        "title": text.title,
        "byline": text.byline,
        "published": text.published,
        "modified": text.modified,
        "body": text.body,
        "content_hash": refresh.content_hash,
    }


def _stale(head: store.Row) -> bool:
    return bool(head["made_by"] != _extractor_version())


def _extractor_version() -> str:
    from monitor.extract.article import extractor_version

    return extractor_version()


def _decide_content(
    db: Database,
    page: FetchedPage,
    known: Known,
    extracted: Article,
    reading: PageReading,
    now: datetime,
    policy: RevisitPolicy,
    comparer: Comparer,
    refresh: NewVersion | None = None,
) -> store.Plan:
    from monitor.compare.normalize import body_paragraphs, content_hash
    from monitor.compare.sitememory import plan_memory

    article = known.article
    latest = store.latest_version(db, article["id"]) if known.head else None
    if latest is not None:
        latest = _refreshed(latest, refresh)
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
        comparison = _compare_with_latest(db, latest, extracted, page, comparer)
        lookups = replace(
            lookups,
            earlier_seq=store.version_with_hash(db, article["id"], fingerprint),
            comparison=_weigh_site_memory(db, article, latest, extracted, comparison),
        )
    newsroom = _newsroom(db, known, latest, extracted, reading, lookups, now)
    lookups = replace(lookups, newsroom=newsroom)
    plan = plan_extracted(page, known, latest, extracted, fingerprint, lookups, now, policy)
    if plan.version is None:
        return plan
    return replace(
        plan, site_memory=plan_memory(article["site"], int(article["id"]), extracted, now)
    )


def _weigh_site_memory(
    db: Database,
    article: store.Row,
    latest: store.Row,
    extracted: Article,
    comparison: VersionComparison,
) -> VersionComparison:
    edits = weigh_site_memory(
        db,
        article["site"],
        int(article["id"]),
        store.article_from_row(latest),
        extracted,
        comparison.edits,
    )
    return replace(comparison, edits=tuple(edits))


def weigh_site_memory(
    db: Database, site: str, article_id: int, old: Article, new: Article, edits: Iterable[Edit]
) -> list[Edit]:
    """The edits from `old` to `new` with what the site prints on its other articles weighed
    down (`monitor.compare.sitememory`): lines on several other articles, shared title affixes.
    The crawl and `redline reextract` weigh alike."""
    from monitor.compare.sitememory import (
        furniture_lines,
        lookup_keys,
        weigh_site_furniture,
        weigh_title_affixes,
    )

    edits = list(edits)
    if not any(edit.significant for edit in edits):
        return edits
    memory = sitememory_store.read_memory(db, site, lookup_keys(old, new))
    edits = weigh_site_furniture(
        edits,
        furniture_lines(old.body, memory.lines, article_id, memory.headlines),
        furniture_lines(new.body, memory.lines, article_id, memory.headlines),
        site,
    )
    return weigh_title_affixes(edits, memory.affixes, site)


def _newsroom_known(db: Database, article: store.Row, posts: bool) -> NewsroomKnown:
    from monitor.record.newsroom import NewsroomKnown
    from monitor.store import newsroom as newsroom_store

    article_id = int(article["id"])
    return NewsroomKnown(
        runs={
            name: newsroom_store.field_runs(db, article_id, name) for name in newsroom_store.FIELDS
        },
        posts=newsroom_store.stored_posts(db, article_id) if posts else (),
        live=bool(article.get("live")),
        growths=newsroom_store.post_growths(db, article_id) if posts else 0,
        previous_check=datetime.fromisoformat(article["last_checked"])
        if article.get("last_checked")
        else None,
    )


def _newsroom(
    db: Database,
    known: Known,
    latest: store.Row | None,
    extracted: Article,
    reading: PageReading,
    lookups: Lookups,
    now: datetime,
) -> NewsroomDecision:
    """Headline variants and live posts of this page: decided on the comparison's edits (with
    the `reverted` event the plan would add), before anything is written."""
    from monitor.record.newsroom import NewsroomSeen, decide_newsroom, standfirst_lines

    edits = list(lookups.comparison.edits) if lookups.comparison else []
    if lookups.earlier_seq is not None:
        edits.append(make_edit("reverted", "article"))
    return decide_newsroom(
        _newsroom_known(db, known.article, bool(reading.live.posts)),
        NewsroomSeen(
            extracted.title,
            reading.standfirst,
            reading.live,
            extracted.body,
            standfirst_lines(
                *([store.article_from_row(latest)] if latest is not None else []), extracted
            ),
        ),
        edits,
        now,
        first_sight=latest is None,
    )


def _end_quiet_tests(db: Database, plan: store.Plan, known: Known, now: datetime) -> store.Plan:
    """An unchanged page still ends a headline test that has had no flip for long enough
    (reported once, on the latest version). Only for an article with a test running."""
    from monitor.record.newsroom import NewsroomSeen, decide_newsroom

    if known.head is None:
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
    db: Database, latest: store.Row, extracted: Article, page: FetchedPage, comparer: Comparer
) -> VersionComparison:
    old_page = None
    if latest["snapshot_id"]:
        old_page = RawPage(*store.load_snapshot_page(db, int(latest["snapshot_id"])))
    return comparer(
        store.article_from_row(latest),
        extracted,
        old_page,
        RawPage(page.body, page.content_type),
    )
