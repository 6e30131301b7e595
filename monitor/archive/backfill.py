"""Backfill an article's past from a web archive: read its captures, decide which become
versions and what changed between them, then hand one plan to the writer
(`monitor.store.backfill`).

Where past versions go. Only captures made *before the article's first known version* are used:
they become versions 1..n, the known versions are renumbered after them, and the chain gets one
change per step (capture to capture, and the newest capture to the first known version), each
with its edits from the same comparison as a crawl (`compare_versions`). Nothing already known is
rewritten: the changes Redline found itself, their edits and any alerts sent for them stay as
they are. Captures made after the first known version are skipped ("Redline's own record covers
this period"): inserting one between two known versions would split a change already reported
in two. Running a backfill again therefore only reaches further back.

A capture is skipped, with its reason, when the index or the replay shows a redirect or an error,
when the replay is a bot wall or yields no article, when its text is the one of the capture
before it (identical bytes, same content hash, or nothing to report: the earliest capture of a
text dates it), when the newest has the first known version's text, or when it is already
stored. Extraction and comparison run in this process, one capture at a time; headline tests
and live posts (`monitor.record.newsroom`) are left to the crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from monitor.archive.cdx import Capture, cdx_query_url, parse_cdx
from monitor.archive.client import ArchiveClient
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.errors import ArchiveError, ExtractionError
from monitor.extract.article import Article
from monitor.record.page import Comparer, Extractor
from monitor.record.plan import FetchedPage, bot_wall_reason, headers_json, health_problem
from monitor.record.versions import RawPage, VersionComparison, compare_versions

__all__ = [
    "ArchivedPage",
    "BackfillPlan",
    "KnownFirst",
    "PastVersion",
    "Skipped",
    "decide_backfill",
    "list_captures",
    "read_capture",
]

logger = logging.getLogger(__name__)

# At most this many captures of one article are replayed in one backfill (`--limit` lowers it):
# each is a request to a shared public service, and a story's history rarely needs more.
MAX_CAPTURES = 50


@dataclass(frozen=True)
class Skipped:
    capture: Capture
    reason: str


@dataclass(frozen=True)
class ArchivedPage:
    """One capture as replayed and extracted (`article` None with `problem` when unusable)."""

    capture: Capture
    memento: str
    body: bytes = b""
    content_type: str = ""
    headers: str = ""
    article: Article | None = None
    problem: str = ""

    @property
    def fingerprint(self) -> str:
        assert self.article is not None
        a = self.article
        return content_hash(a.title, a.byline, body_paragraphs(a.body))


@dataclass(frozen=True)
class PastVersion:
    page: ArchivedPage
    content_hash: str
    edits_to_next: VersionComparison  # from this version to the next in the chain (or none)


@dataclass(frozen=True)
class KnownFirst:
    """The article's first known version, which the backfilled chain ends at."""

    version_id: int
    seq: int
    captured_at: datetime
    content_hash: str
    article: Article
    page: RawPage | None


@dataclass(frozen=True)
class BackfillPlan:
    article_id: int
    # The state decided against: the first version's id (None: no version) and the count.
    expected_first: int | None
    expected_count: int
    versions: tuple[PastVersion, ...]  # oldest first
    skipped: tuple[Skipped, ...]
    extractor: str
    # Whether the last past version has a change to the first known version.
    links_known: bool = False


def list_captures(
    client: ArchiveClient, base: str, url: str, since: datetime | None
) -> list[Capture]:
    """The archive's captures of `url`, oldest first."""
    answer = client.get(cdx_query_url(base, url, since))
    if answer.status != 200:
        raise ArchiveError(f"the archive's index answered HTTP {answer.status} for {url}")
    return parse_cdx(answer.body.decode("utf-8", "replace"))


def select_captures(
    captures: Iterable[Capture],
    before: datetime | None,
    since: datetime | None,
    known_mementos: frozenset[str],
    base: str,
    limit: int,
) -> tuple[list[Capture], list[Skipped]]:
    """The captures worth replaying (at most `limit`, the newest before `before`), and the
    others with the reason, decided from the index alone."""
    chosen: list[Capture] = []
    skipped: list[Skipped] = []
    previous_digest = ""
    for capture in captures:
        reason = capture.index_problem()
        if not reason and since is not None and capture.captured_at < since:
            reason = "older than --since"
        if not reason and before is not None and capture.captured_at >= before:
            reason = "not older than the first known version: Redline's own record covers it"
        if not reason and capture.memento(base) in known_mementos:
            reason = "already stored"
        if not reason and capture.digest and capture.digest == previous_digest:
            reason = "same bytes as the capture before it"
        if reason:
            skipped.append(Skipped(capture, reason))
            continue
        previous_digest = capture.digest
        chosen.append(capture)
    over = max(len(chosen) - limit, 0)
    skipped.extend(Skipped(c, f"over the limit of {limit} captures") for c in chosen[:over])
    return chosen[over:], skipped


def read_capture(
    client: ArchiveClient, base: str, capture: Capture, extract: Extractor
) -> ArchivedPage:
    """Replay one capture in original mode and extract it; `problem` says why it is unusable."""
    memento = capture.memento(base)
    answer = client.get(memento)
    page = ArchivedPage(
        capture,
        memento,
        answer.body,
        answer.header("Content-Type"),
        headers_json(answer.headers),
    )
    if 300 <= answer.status < 400:
        where = answer.header("Location")
        return _problem(page, f"the replay redirects (HTTP {answer.status}) to {where or '?'}")
    if answer.status != 200:
        return _problem(page, f"the replay answered HTTP {answer.status}")
    wall = bot_wall_reason(FetchedPage(capture.original, 200, answer.body))
    if wall:
        return _problem(page, f"archived a {wall}")
    try:
        article = extract(answer.body, capture.original, page.content_type)
    except ExtractionError as error:
        return _problem(page, f"extraction failed: {error}")
    problem = health_problem(article, [])
    if problem:
        return _problem(page, problem)
    return ArchivedPage(page.capture, memento, page.body, page.content_type, page.headers, article)


def _problem(page: ArchivedPage, reason: str) -> ArchivedPage:
    return ArchivedPage(page.capture, page.memento, problem=reason)


def _compare(comparer: Comparer, old: ArchivedPage, new: ArchivedPage) -> VersionComparison:
    assert old.article is not None and new.article is not None
    return comparer(
        old.article,
        new.article,
        RawPage(old.body, old.content_type),
        RawPage(new.body, new.content_type),
    )


def decide_backfill(
    article_id: int,
    expected_count: int,
    first: KnownFirst | None,
    pages: Iterable[ArchivedPage],
    skipped: Iterable[Skipped],
    extractor: str,
    comparer: Comparer = compare_versions,
) -> BackfillPlan:
    """The past versions (oldest first) and the change from each to the next; no I/O but the
    comparer's work."""
    left = list(skipped)
    chain: list[tuple[ArchivedPage, str]] = []  # oldest first, each with its content hash
    edits: list[VersionComparison] = []  # edits[i]: from chain[i] to chain[i + 1]
    for page in pages:
        if page.article is None:
            left.append(Skipped(page.capture, page.problem))
            continue
        fingerprint = page.fingerprint
        if chain and fingerprint == chain[-1][1]:
            left.append(Skipped(page.capture, "same text as the capture before it"))
            continue
        if chain:
            comparison = _compare(comparer, chain[-1][0], page)
            if comparison.rehash:
                left.append(
                    Skipped(page.capture, "nothing to report against the capture before it")
                )
                continue
            edits.append(comparison)
        chain.append((page, fingerprint))
    # The newest capture leads to the first known version: one with its text (or nothing to
    # report against it) is that version seen earlier, not a version of its own.
    while first is not None and chain:
        page, fingerprint = chain[-1]
        if fingerprint == first.content_hash:
            to_first = VersionComparison()
        else:
            assert page.article is not None
            raw = RawPage(page.body, page.content_type)
            to_first = comparer(page.article, first.article, raw, first.page)
        if not to_first.rehash:
            edits.append(to_first)
            break
        left.append(Skipped(page.capture, "same text as the first known version"))
        chain.pop()
        if edits:
            edits.pop()
    past = tuple(
        PastVersion(page, fingerprint, edits[i] if i < len(edits) else VersionComparison())
        for i, (page, fingerprint) in enumerate(chain)
    )
    return BackfillPlan(
        article_id,
        first.version_id if first else None,
        expected_count,
        past,
        tuple(sorted(left, key=lambda s: s.capture.timestamp)),
        extractor,
        links_known=first is not None and bool(chain),
    )
