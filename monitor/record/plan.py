"""Decide what one fetched page means for its article: pure functions from plain values (the
fetched page, the article row, its latest version, a few lookups) to a `store.Plan`. No database,
no clock, no network: `monitor.record.page` reads the values and applies the plan.

Outcomes: `error` (no usable response), `blocked` (a bot wall, an access refusal, a paywall or
consent stub: a state of the site, never content), `unchanged`, `removed`, `restored`,
`extraction_failed`, `duplicate`, `new_article`, `new_version`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from monitor.compare.edit import Edit, make_edit, summarize
from monitor.errors import InvalidURLError
from monitor.extract.article import Article
from monitor.fetch.policy import (
    RevisitPolicy,
    next_check,
    next_live_check,
    next_retry,
    parse_retry_after,
)
from monitor.fetch.policy import site_hold as site_hold_until
from monitor.fetch.urls import canonicalize_url
from monitor.record.versions import VersionComparison
from monitor.store.queries import Row, page_hash, stamp
from monitor.store.sites import SiteUpdate
from monitor.store.writer import NewVersion, Plan

if TYPE_CHECKING:
    from monitor.record.newsroom import NewsroomDecision

# Extraction health gate. A body shorter than this share of the median of the article's recent
# versions is a collapse (paywall, consent wall, broken template), not an edit: a real rewrite
# seldom drops 70 % of a story at once. Only applied once the story is long enough to judge.
COLLAPSE_RATIO = 0.3
COLLAPSE_MIN_LENGTH = 400
RECENT_VERSIONS = 3
# Short bodies carrying one of these are interstitials, not articles.
INTERSTITIAL_MAX_LENGTH = 1200
# A bot wall names itself near the top of its page; only this much of a page is searched.
BOT_WALL_SEARCH_BYTES = 16 * 1024
# A wall's title is short ("Just a moment...", "Attention Required! | Cloudflare").
BOT_WALL_TITLE_CHARS = 60
# Content types worth extracting; anything else (images, PDFs, binaries) is an error check.
_HTML_TYPES = re.compile(r"html|xml|text/plain", re.IGNORECASE)
# Statuses that refuse us rather than fail: with a page, they are a bot wall or a block.
_REFUSALS = (401, 403, 429, 451)
# A 304 answers a conditional request only (RFC 9110 15.4.5): to a request without a validator
# it is a server bug, and says nothing of whether the article changed.
UNASKED_304 = "HTTP 304 to a request without If-None-Match or If-Modified-Since"
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.S | re.I)
_MARKUP = re.compile(rb"<(?:script|style)\b.*?</(?:script|style)>|<[^>]*>", re.S | re.I)


# At most this many response headers, and this many characters of each, are kept with a capture:
# a server may send anything; real pages send 10 to 40 headers of under 1,000 characters.
MAX_HEADERS = 100
MAX_HEADER_CHARS = 8192


def headers_json(pairs: Iterable[tuple[str, str]]) -> str:
    """Response headers as stored with a capture: JSON [[name, value], ...] in the order
    received, bounded by MAX_HEADERS and MAX_HEADER_CHARS."""
    kept = [[name[:MAX_HEADER_CHARS], value[:MAX_HEADER_CHARS]] for name, value in pairs]
    return json.dumps(kept[:MAX_HEADERS], ensure_ascii=False)


@dataclass(frozen=True)
class FetchedPage:
    """One response (or failure) for a tracked URL, as plain data."""

    url: str  # the tracked article's key (its canonical URL)
    status: int  # HTTP status; 0 when no response came (network error, timeout, refused)
    body: bytes = b""
    final_url: str = ""  # after redirects; empty means the same as the URL requested
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    error: str = ""  # why no usable response came
    requested_url: str = ""  # the URL fetched, as given or discovered; empty means `url`
    retry_after: str = ""  # the Retry-After header of a 429 or 503
    headers: str = ""  # every response header, `headers_json`; stored with a kept raw page
    screenshot: bytes = b""  # a PNG of the rendered page (sites that asked for one); kept
    # with a new version only
    # SHA-256 of the body when the fetcher has computed it already (the crawler does for a page
    # it compares with the last one read, about 0.25 ms a page); empty: computed here
    sha256: str = ""
    # Whether the request carried a validator (If-None-Match, If-Modified-Since); None when the
    # fetcher does not say, and then the article's stored validators tell (`asked_conditionally`)
    conditional: bool | None = None

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the body, computed once however many times it is asked for."""
        return self.sha256 or page_hash(self.body)

    @property
    def requested(self) -> str:
        return self.requested_url or self.url

    @property
    def final(self) -> str:
        return self.final_url or self.requested


@dataclass(frozen=True)
class Known:
    """What the store knows of the article before this check."""

    article: Row
    head: Row | None = None  # the latest version without its text (see `store.latest_head`)
    site_failures: int = 0  # the site's failed checks in a row before this one
    site_known: bool = False  # the site has a row (False: not read, or none yet)


@dataclass(frozen=True)
class Lookups:
    """Rows found once the extraction is known."""

    canonical: str = ""  # the canonical URL the row is renamed to on first sight
    canonical_owner: int | None = None  # another article already tracked at that URL
    final_owner: int | None = None  # the article tracked at the final URL, if any
    earlier_seq: int | None = None  # an older version with exactly the new content
    comparison: VersionComparison | None = None  # from the latest version to the new text
    recent_lengths: list[int] = field(default_factory=list)
    # Headline variants and live posts (`monitor.record.newsroom`), decided on the comparison's
    # edits: what to report instead of them, and what to write.
    newsroom: NewsroomDecision | None = None


# ------------------------------------------------------------------ small judgements


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


def health_problem(article: Article, recent_lengths: list[int]) -> str:
    """Why this extraction must not become a version, or "" when it looks like the article."""
    if article.is_empty():
        return "extraction found no article text"
    if interstitial_reason(article):
        return interstitial_reason(article)
    length = len(article.body)
    if recent_lengths:
        import statistics  # (with `fractions`) for the few pages that get here

        typical = statistics.median(recent_lengths)
        if typical >= COLLAPSE_MIN_LENGTH and length < COLLAPSE_RATIO * typical:
            return f"extracted text collapsed to {length} characters from about {int(typical)}"
    return ""


def interstitial_reason(article: Article) -> str:
    """A short extraction naming a paywall, consent wall, bot check or error page."""
    from monitor.lexicon import BOT_WALL_TEXT, INTERSTITIAL_TEXT

    if len(article.body) < INTERSTITIAL_MAX_LENGTH:
        found = INTERSTITIAL_TEXT.search(article.body) or BOT_WALL_TEXT.search(article.body)
        if found:
            return f"page looks like a paywall, consent or error interstitial ({found[0]!r})"
    return ""


def bot_wall_reason(page: FetchedPage) -> str:
    """Why the raw page is a bot wall or an access refusal, or "" (checked before extraction).
    A page served with 200 is judged by its title alone, which must open with the wall's words:
    an article may well be headlined "Refugees: access denied at the border"."""
    from monitor.lexicon import BOT_WALL_TEXT  # not loaded by a round of 304s (issue 23)

    head = page.body[:BOT_WALL_SEARCH_BYTES]
    title_match = _TITLE.search(head)
    title = " ".join((title_match[1] if title_match else b"").decode("utf-8", "replace").split())
    if page.status == 200:
        found = BOT_WALL_TEXT.match(title) if len(title) <= BOT_WALL_TITLE_CHARS else None
    else:
        text = _MARKUP.sub(b" ", head).decode("utf-8", "replace")
        found = BOT_WALL_TEXT.search(title) or BOT_WALL_TEXT.search(text)
    if found:
        return f"bot wall: {found[0]!r}" + (f" (HTTP {page.status})" if page.status != 200 else "")
    if page.status in _REFUSALS and page.body.strip():
        return f"HTTP {page.status} with a page: access refused"
    return ""


def _canonical(url: str) -> str:
    try:
        return canonicalize_url(url)
    except (InvalidURLError, ValueError):
        return url


def canonical_candidate(article: Row, extracted: Article, final_url: str) -> str:
    """The URL a first sight renames its row to: the page's rel=canonical on the same host, when
    it differs from the row's key; "" otherwise."""
    if not extracted.canonical_url:
        return ""
    try:
        canonical = canonicalize_url(urljoin(final_url, extracted.canonical_url))
    except (InvalidURLError, ValueError):
        return ""
    parts = urlsplit(canonical)
    if canonical == article["url"] or parts.scheme not in ("http", "https"):
        return ""
    # A canonical on another host is syndication, not the same row. The port does not make
    # another site (an https page canonical to itself, reached from http).
    if (parts.hostname or "") != (urlsplit(final_url).hostname or ""):
        return ""
    return str(canonical)


# ------------------------------------------------------------------ schedule


def _schedule(
    policy: RevisitPolicy, article: Row, now: datetime, changed: bool, live: bool = False
) -> str | None:
    first_seen = datetime.fromisoformat(article["first_seen"])
    last = now if changed else _when(article["last_changed"])
    revisit = next_live_check if live or article.get("live") else next_check
    when = revisit(policy, now, first_seen, last)
    return stamp(when) if when else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _with_schedule(updates: dict[str, Any], when: str | None, status: str) -> dict[str, Any]:
    """`next_check` set; an article past the maximum age is `expired` (never checked again)."""
    updates["next_check"] = when
    if when is None and status == "active":
        updates["status"] = "expired"
    return updates


def _base(
    page: FetchedPage, known: Known, now: datetime, outcome: str, reason: str, **values: Any
) -> Plan:
    """The plan of a check of `page`, with `values` for its other fields (one construction:
    `_replace` after it costs as much again, and an unchanged page's plan is made in the
    crawl's writer thread for every page of most rounds)."""
    return Plan(
        article_id=int(known.article["id"]),
        expected_latest=int(known.head["id"]) if known.head else None,
        expected_status=str(known.article["status"]),
        outcome=outcome,
        reason=reason,
        now=now,
        check_url=page.final,
        http_status=page.status or None,
        headers=page.headers,
        **values,
    )


def _replace(plan: Plan, **values: Any) -> Plan:
    from dataclasses import replace

    return replace(plan, **values)


# ------------------------------------------------------------------ before extraction


def plan_response(
    page: FetchedPage, known: Known, now: datetime, policy: RevisitPolicy
) -> Plan | None:
    """The plan for a page that needs no extraction, or None when it must be extracted."""
    status, article = page.status, known.article
    if page.error or status == 0:
        return plan_failure(page, known, now, policy, "error", page.error or f"HTTP {status}")
    if status in (*_REFUSALS, 503) or status == 200:
        blocked = bot_wall_reason(page)
        if blocked:
            return plan_failure(page, known, now, policy, "blocked", blocked)
    if status >= 500 or status == 429 or (status >= 400 and status not in (404, 410)):
        return plan_failure(page, known, now, policy, "error", f"HTTP {status}")
    if status == 304:
        if not asked_conditionally(article, page):
            return plan_failure(page, known, now, policy, "error", UNASKED_304)
        if _redirected_elsewhere(page, article):
            return _not_modified_elsewhere(page, known, now, policy)
        return _unchanged(page, known, now, policy, "304 not modified")
    if status in (404, 410) or (
        page.final != page.requested and is_soft_404(page.requested, page.final)
    ):
        reason = f"HTTP {status}" if status in (404, 410) else f"redirected to {page.final}"
        return plan_removal(page, known, now, policy, reason)
    if (
        page.digest == article["last_page_hash"]
        and article["status"] == "active"
        and _made_by_now(known)
        and same_place(page, article)
    ):
        return _unchanged(page, known, now, policy, "identical page")
    failed_before = (article["failed_page_hash"] or "").partition(" ")
    if failed_before[2] == failed_page_key(page.digest) and same_place(page, article):
        outcome = failed_before[0]
        reason = f"identical to the page found {outcome.replace('_', ' ')} last time"
        return plan_failure(page, known, now, policy, outcome, reason)
    if page.content_type and not _HTML_TYPES.search(page.content_type):
        reason = f"not an HTML page ({page.content_type.split(';')[0].strip()})"
        return plan_failure(page, known, now, policy, "error", reason)
    return None


def _redirected_elsewhere(page: FetchedPage, article: Row) -> bool:
    """The request was redirected to an address the article was never read from: not its key,
    not the address it is known to redirect to, nor the one it was fetched at, even spelled
    another way (`_same_address`)."""
    if page.final == page.requested:
        return False
    final = _canonical(page.final)
    places = (article["url"], article["redirected_to"], page.requested)
    return not any(_same_address(final, _canonical(place)) for place in places if place)


def _same_address(first: str, second: str) -> bool:
    """Two canonical URLs of one page: equal but for the scheme (http and https), a "www."
    before the host or a trailing slash, which a site adds or drops by redirecting to it."""
    a, b = urlsplit(first), urlsplit(second)
    return (a.netloc.removeprefix("www."), a.path.rstrip("/"), a.query) == (
        b.netloc.removeprefix("www."),
        b.path.rstrip("/"),
        b.query,
    )


def _not_modified_elsewhere(
    page: FetchedPage, known: Known, now: datetime, policy: RevisitPolicy
) -> Plan:
    """A 304 from where a redirect led (the validators travel with it): it says the page there is
    the one they named, not that the article is. A home or section page is a removal, as with a
    200; elsewhere the check reads nothing, and drops the validators so that the next one reads
    the page in full (where a move is recorded as one)."""
    if is_soft_404(page.requested, page.final):
        return plan_removal(page, known, now, policy, f"redirected to {page.final}")
    reason = f"HTTP 304 from {page.final}, where the article was never read: read in full next"
    plan = plan_failure(page, known, now, policy, "error", reason)
    return _replace(
        plan,
        article={**plan.article, "etag": None, "last_modified": None},
        site=SiteUpdate(known.article["site"], failed=False),  # the site answered
    )


def asked_conditionally(article: Row, page: FetchedPage) -> bool:
    """Whether the check carried a validator: as the fetcher says when it does (the check spider
    sends none for a page read in a browser), else whether the article has one stored (the
    spider sends its ETag as `If-None-Match` and its Last-Modified as `If-Modified-Since`)."""
    if page.conditional is not None:
        return page.conditional
    return bool(article["etag"] or article["last_modified"])


def _made_by_now(known: Known) -> bool:
    from monitor.extract.article import extractor_version

    return known.head is None or known.head["made_by"] == extractor_version()


def failed_page_key(digest: str) -> str:
    """What is remembered of a page whose extraction failed: its hash under this extractor (an
    upgraded extractor tries the same bytes again)."""
    from monitor.extract.article import extractor_version

    return f"{digest} {extractor_version()}"


def same_place(page: FetchedPage, article: Row) -> bool:
    """The page came from where the article was last found (its key, or where it redirects)."""
    home = article["redirected_to"] or article["url"]
    # The same text needs no canonicalising (about 0.04 ms a check of an unchanged page).
    return page.final == home or _canonical(page.final) == _canonical(home)


def _unchanged(
    page: FetchedPage, known: Known, now: datetime, policy: RevisitPolicy, reason: str
) -> Plan:
    article = known.article
    checked = stamp(now)  # once: the article's `last_checked` and the check's `checked_at`
    updates: dict[str, Any] = {"last_checked": checked, "failures": 0}
    if reason != "304 not modified":
        updates["etag"] = page.etag or article["etag"]
        updates["last_modified"] = page.last_modified or article["last_modified"]
    when = _schedule(policy, article, now, changed=False)
    return _base(
        page,
        known,
        now,
        "unchanged",
        reason,
        article=_with_schedule(updates, when, article["status"]),
        site=SiteUpdate(article["site"], failed=False),
        # A site that served pages before has nothing to reset (the writer checks it still so).
        site_settled=known.site_known and known.site_failures == 0,
        checked_at=checked,
    )


def plan_failure(
    page: FetchedPage,
    known: Known,
    now: datetime,
    policy: RevisitPolicy,
    outcome: str,
    reason: str,
    keep_page: bool = False,
    remember: bool = True,
) -> Plan:
    """No article text this time (an error, a block, a failed extraction): a check with the
    reason, retried after a delay that doubles with each failure in a row; never a version, an
    edit or a removal. A failed extraction is `remember`ed by the page's hash, so the same bytes
    are not extracted again."""
    article = known.article
    failures = int(article["failures"] or 0) + 1
    retry = next_retry(policy, now, datetime.fromisoformat(article["first_seen"]), failures)
    updates = _with_schedule(
        {"last_checked": stamp(now), "failures": failures},
        stamp(retry) if retry else None,
        article["status"],
    )
    if outcome in ("extraction_failed", "blocked") and keep_page and remember:
        # "outcome sha256 extractor": identical bytes get the same outcome without extracting
        updates["failed_page_hash"] = f"{outcome} {failed_page_key(page.digest)}"
    return _replace(
        _base(page, known, now, outcome, reason),
        keep_page=keep_page,
        page=page.body if keep_page else b"",
        page_sha256=page.digest if keep_page else "",
        content_type=page.content_type,
        article=updates,
        site=_site_update(page, known, now, policy, outcome, reason),
    )


def _site_update(
    page: FetchedPage,
    known: Known,
    now: datetime,
    policy: RevisitPolicy,
    outcome: str,
    reason: str,
) -> SiteUpdate:
    site = str(known.article["site"])
    if outcome == "extraction_failed":  # the site served a page; the article's problem
        return SiteUpdate(site, failed=False)
    if page.status in (429, 503):
        asked = parse_retry_after(page.retry_after, now)
        if asked is not None:
            return SiteUpdate(site, True, stamp(asked), f"Retry-After on HTTP {page.status}")
    held = site_hold_until(policy, now, known.site_failures + 1)
    if held is not None:
        why = f"{known.site_failures + 1} failed checks in a row, the last: {reason}"
        return SiteUpdate(site, True, stamp(held), why)
    return SiteUpdate(site, failed=True)


def plan_removal(
    page: FetchedPage, known: Known, now: datetime, policy: RevisitPolicy, reason: str
) -> Plan:
    article = known.article
    edits: tuple[Edit, ...] = ()
    if article["status"] != "removed" and known.head is not None:
        edits = (make_edit("removed", "article", old=article["url"], new="", extra=(reason,)),)
    updates = {
        "status": "removed",
        "last_checked": stamp(now),
        "last_page_hash": None,
        "etag": None,
        "last_modified": None,
        "failures": 0,
        "next_check": _schedule(policy, article, now, changed=False),
    }
    return _replace(
        _base(page, known, now, "removed", reason),
        edits=edits,
        change_to="gone" if edits else "",
        article=updates,
        site=SiteUpdate(article["site"], failed=False),
    )


# ------------------------------------------------------------------ after extraction


def plan_extracted(
    page: FetchedPage,
    known: Known,
    latest: Row | None,
    extracted: Article,
    fingerprint: str,
    lookups: Lookups,
    now: datetime,
    policy: RevisitPolicy,
) -> Plan:
    """The plan for a page whose article text was extracted and looked healthy."""
    if latest is None and lookups.canonical and lookups.canonical_owner is not None:
        return _duplicate(page, known, now, lookups.canonical)
    lifecycle = _lifecycle(page, known, latest, lookups)
    handed_over = _handed_over(known.article, lookups)
    updates = _extracted_updates(page, known, latest, lookups, now, handed_over)
    newsroom = lookups.newsroom
    live = newsroom is not None and newsroom.writes.live
    writes = newsroom.writes if newsroom is not None else None
    same = partial(
        _same_content, page, known, now, policy, updates, handed_over=handed_over, live=live
    )
    if latest is not None and latest["content_hash"] == fingerprint:
        events = newsroom.edits if newsroom is not None else ()
        return _replace(same((*lifecycle, *events)), newsroom=writes)
    comparison = lookups.comparison or VersionComparison()
    lifecycle, body_edits = _edits_beside_newsroom(lifecycle, comparison, newsroom)
    if latest is not None and not lifecycle:
        if newsroom is not None and newsroom.variant_only:
            # Only a known variant differs: no version, no re-hash (the latest keeps its text).
            return _replace(same(()), reason=newsroom.reason, newsroom=writes)
        if not body_edits and comparison.rehash:
            return _replace(
                same(()), reason="same content (re-hashed)", rehash=fingerprint, newsroom=writes
            )
    when = None if handed_over else _schedule(policy, known.article, now, True, live)
    plan = _new_version(
        page,
        known,
        now,
        first=latest is None,
        version=NewVersion(extracted, fingerprint, page.final, _extractor()),
        edits=(*lifecycle, *body_edits),
        capped=comparison.capped,
        updates=updates,
        when=when,
    )
    return _replace(plan, newsroom=writes)


def _extracted_updates(
    page: FetchedPage,
    known: Known,
    latest: Row | None,
    lookups: Lookups,
    now: datetime,
    handed_over: bool,
) -> dict[str, Any]:
    """The article row after a healthy extraction, whatever its content: checked, its page
    remembered, no failure, and where it lives now."""
    key = lookups.canonical or known.article["url"]
    updates: dict[str, Any] = {
        "last_checked": stamp(now),
        "last_page_hash": page.digest,
        "etag": page.etag or None,
        "last_modified": page.last_modified or None,
        "status": "redirected" if handed_over else "active",
        "redirected_to": page.final if _canonical(page.final) != key else None,
        "failures": 0,
        "failed_page_hash": None,
    }
    if lookups.canonical and latest is None:
        # One article, one row: the row takes its canonical URL as its key and keeps fetching
        # the URL that served it, as it came (no canonicalisation of what is fetched).
        updates.update(url=lookups.canonical, fetch_url=page.final)
    return updates


def _edits_beside_newsroom(
    lifecycle: tuple[Edit, ...], comparison: VersionComparison, newsroom: NewsroomDecision | None
) -> tuple[tuple[Edit, ...], tuple[Edit, ...]]:
    """The lifecycle events and body edits to report: with a newsroom decision, its edits
    replace the comparison's (flips of a headline test and a live page's new posts are not
    edits), and a revert that was a flip back is dropped."""
    if newsroom is None:
        return lifecycle, comparison.edits
    body_edits = tuple(e for e in newsroom.edits if e.kind != "reverted")
    if not newsroom.keeps_revert:
        lifecycle = tuple(e for e in lifecycle if e.kind != "reverted")
    return lifecycle, body_edits


def _new_version(
    page: FetchedPage,
    known: Known,
    now: datetime,
    *,
    first: bool,
    version: NewVersion,
    edits: tuple[Edit, ...],
    capped: str,
    updates: dict[str, Any],
    when: str | None,
) -> Plan:
    """A new article or a new version of it: the page kept, the version and its edits stored."""
    outcome = "new_article" if first else "new_version"
    updates.update(title=version.article.title, last_changed=stamp(now))
    reason = summarize(edits) if edits else "first version"
    if capped:
        reason += f"; comparison capped: {capped}"
    return _replace(
        _base(page, known, now, outcome, reason),
        keep_page=True,
        page=page.body,
        page_sha256=page.digest,
        content_type=page.content_type,
        version=version,
        screenshot=page.screenshot,
        edits=edits,
        change_to="" if first else "new",
        capped=capped,
        article=_with_schedule(updates, when, updates["status"]),
        site=SiteUpdate(known.article["site"], failed=False),
    )


def _extractor() -> str:
    from monitor.extract.article import extractor_version

    return extractor_version()


def _lifecycle(
    page: FetchedPage, known: Known, latest: Row | None, lookups: Lookups
) -> tuple[Edit, ...]:
    """Events of the article's life this check shows: restored, redirected, reverted."""
    if latest is None:  # a first sight, even through a redirect, is no event
        return ()
    article, events = known.article, []
    if article["status"] == "removed":
        events.append(make_edit("restored", "article", new=page.url))
    place = _canonical(page.final)
    earlier_place = _canonical(article["redirected_to"]) if article["redirected_to"] else ""
    # The same address spelled another way (https, a trailing slash, "www.") is no move, unless
    # another row tracks it: the story is handed over to it, and the timeline says where.
    respelled = any(
        _same_address(place, where) for where in (article["url"], earlier_place) if where
    )
    if place not in (article["url"], earlier_place) and (
        _handed_over(article, lookups) or not respelled
    ):
        events.append(make_edit("redirected", "article", old=page.url, new=page.final))
    if lookups.earlier_seq is not None:
        seq = lookups.earlier_seq
        events.append(
            make_edit(
                "reverted",
                "article",
                old=f"version {latest['seq']}",
                new=f"version {seq}",
                extra=(f"content is identical to version {seq}",),
            )
        )
    return tuple(events)


def _handed_over(article: Row, lookups: Lookups) -> bool:
    """The page came from a URL tracked as another article, which takes the story over."""
    return lookups.final_owner not in (None, article["id"])


def _same_content(
    page: FetchedPage,
    known: Known,
    now: datetime,
    policy: RevisitPolicy,
    updates: dict[str, Any],
    lifecycle: tuple[Edit, ...],
    handed_over: bool,
    live: bool = False,
) -> Plan:
    outcome, reason = "unchanged", "same content"
    if known.article["status"] == "removed":
        outcome, reason = "restored", "back after removal, same content"
    when = None if handed_over else _schedule(policy, known.article, now, False, live)
    return _replace(
        _base(page, known, now, outcome, reason),
        edits=lifecycle,
        change_to="same" if lifecycle else "",
        article=_with_schedule(updates, when, updates["status"]),
        site=SiteUpdate(known.article["site"], failed=False),
    )


def _duplicate(page: FetchedPage, known: Known, now: datetime, canonical: str) -> Plan:
    return _replace(
        _base(page, known, now, "duplicate", f"same article as {canonical} (rel=canonical)"),
        article={"status": "duplicate", "next_check": None, "last_checked": stamp(now)},
        site=SiteUpdate(known.article["site"], failed=False),
    )
