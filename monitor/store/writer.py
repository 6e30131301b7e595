"""The one writer of a check: apply a `Plan` (decided elsewhere, from plain values) in one
transaction.

`monitor.record` reads the rows it needs, decides outside any transaction what the fetched page
means (check outcome, version to store, change and edits, article updates) and hands the plan here.
The write transaction first re-checks that the article is still in the state the plan was made
against (same latest version, same status); if another writer got in meanwhile, nothing is written
and `StalePlanError` tells the caller to decide again. The lock is held for the inserts only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from monitor.compare.edit import Edit
from monitor.errors import StalePlanError
from monitor.extract.article import Article
from monitor.store.queries import (
    add_change,
    add_check,
    add_version,
    save_snapshot,
    stamp,
    update_article,
    update_article_if,
    write_transaction,
)
from monitor.store.reextraction import replace_version_text
from monitor.store.rendering import add_screenshot
from monitor.store.sitememory import apply_memory_update
from monitor.store.sites import SiteUpdate, apply_site_update

if TYPE_CHECKING:
    from monitor.compare.sitememory import MemoryUpdate
    from monitor.store.newsroom import NewsroomWrites

__all__ = ["Applied", "NewVersion", "Plan", "apply_plan"]

# What a planned change goes to: no version (the article is gone), the latest version itself (a
# lifecycle event, same text), or the new version the plan stores.
CHANGE_TARGETS = ("gone", "same", "new")


@dataclass(frozen=True)
class NewVersion:
    article: Article
    content_hash: str
    url: str
    extractor: str


@dataclass(frozen=True)
class Plan:
    """Everything one check writes, as plain values."""

    article_id: int
    # The state decided against: the id of the latest version (None: no version yet) and status.
    expected_latest: int | None
    expected_status: str
    outcome: str
    reason: str
    now: datetime
    check_url: str
    http_status: int | None
    headers: str = ""  # the response headers (JSON), kept with the raw page
    keep_page: bool = False  # store the raw page (and link it from the check and the version)
    page: bytes = b""
    page_sha256: str = ""  # of `page`, when known (else computed when the page is stored)
    content_type: str = ""
    version: NewVersion | None = None
    screenshot: bytes = b""  # a PNG of the rendered page, stored with the new version
    rehash: str = ""  # a new content hash for the latest version (no new version)
    # The latest version's text re-extracted by the installed extractor (after an upgrade),
    # written in place before anything else.
    refresh: NewVersion | None = None
    edits: tuple[Edit, ...] = ()
    change_to: str = ""  # one of CHANGE_TARGETS, or "" for no change
    capped: str = ""  # the limit the change's comparison hit ("" when compared in full)
    article: Mapping[str, Any] = field(default_factory=dict)  # column updates
    site: SiteUpdate | None = None
    # Headline runs and tests, live posts (`monitor.record.newsroom`): written with the check.
    newsroom: NewsroomWrites | None = None
    # What the new version adds to its site's memory (`monitor.compare.sitememory`): written
    # with the version, only when one is stored.
    site_memory: MemoryUpdate | None = None
    # `site` changes nothing as read before deciding (the site's row exists with no failures):
    # not written; the write transaction checks that the row is still so instead.
    site_settled: bool = False
    # `stamp(now)`, when the planner has made it already (the check's `checked_at`).
    checked_at: str = ""


@dataclass(frozen=True)
class Applied:
    version_seq: int | None = None


def apply_plan(db: Database, plan: Plan) -> Applied:
    """Write the plan in one transaction, or raise `StalePlanError` (nothing written)."""
    if _is_quiet(plan):
        _apply_quiet(db, plan)
        return Applied()
    with write_transaction(db):
        _require_current(db, plan)
        snapshot = (
            save_snapshot(db, plan.page, plan.content_type, plan.now, plan.page_sha256)
            if plan.keep_page
            else None
        )
        version = _write_version(db, plan, snapshot)
        if version is not None and plan.screenshot:
            add_screenshot(
                db, int(version["id"]), snapshot, plan.check_url, plan.screenshot, plan.now
            )
        change_id = _write_change(db, plan, version)
        if plan.newsroom:
            # Imported here: a round of known pages has no newsroom writes (issue 23).
            from monitor.store.newsroom import apply_newsroom

            apply_newsroom(db, plan.article_id, plan.newsroom, plan.now, change_id)
        _write_check(db, plan, version, snapshot)
        updates = dict(plan.article)
        if version is not None:
            updates["version_count"] = int(version["seq"])
        if updates:
            update_article(db, plan.article_id, **updates)
        if plan.site is not None:
            apply_site_update(db, plan.site)
        if plan.site_memory is not None and version is not None:
            apply_memory_update(db, plan.site_memory)
    return Applied(int(version["seq"]) if version else None)


def _is_quiet(plan: Plan) -> bool:
    """Whether the plan writes only its check, its article's columns and its site's row (most
    checks of most rounds: an unchanged page, a 304)."""
    return bool(plan.article) and not (
        plan.keep_page
        or plan.version
        or plan.refresh
        or plan.rehash
        or plan.change_to
        or plan.newsroom
        or plan.site_memory
    )


def _apply_quiet(db: Database, plan: Plan) -> None:
    """A quiet plan in as few statements as the writer thread can make it (each one hands the
    GIL to the reactor's thread and back, issue 23): the article's update, made only while the
    article (and a settled site) is still as decided, stands for `_require_current`; then the
    check; then the site's row, unless settled."""
    settled = plan.site is not None and plan.site_settled and _resets(plan.site)
    condition = f"status = ? and ({_LATEST_ID}) is ?" + (_SITE_SETTLED if settled else "")
    params = [plan.expected_status, plan.expected_latest]
    if settled and plan.site is not None:
        params.append(plan.site.site)
    with _quiet_transaction(db):
        if not update_article_if(db, plan.article_id, plan.article, condition, params):
            raise _stale(plan)
        _write_check(db, plan, None, None)
        if plan.site is not None and not settled:
            apply_site_update(db, plan.site)


@contextmanager
def _quiet_transaction(db: Database) -> Iterator[None]:
    """A quiet plan's transaction: its own, or inside a caller's transaction (the crawl's group
    commit of known pages) no savepoint: a stale plan writes nothing (its UPDATE matched no
    row), and any other failure propagates and the caller rolls its whole transaction back
    (two statements fewer a check)."""
    if db.conn.in_transaction:
        yield
        return
    with write_transaction(db):
        yield


def _stale(plan: Plan) -> StalePlanError:
    return StalePlanError(f"article {plan.article_id} changed while its check was decided")


def _resets(site: SiteUpdate) -> bool:
    """Whether the update only resets the site's failures (it changes nothing on a site with
    none)."""
    return not (site.failed or site.hold_until or site.hold_reason)


def _write_version(db: Database, plan: Plan, snapshot: int | None) -> dict[str, Any] | None:
    """The latest version's text refreshed, then the new version added (its row returned) or
    the latest version re-hashed."""
    if plan.refresh is not None and plan.expected_latest is not None:
        replace_version_text(
            db,
            plan.expected_latest,
            plan.refresh.article,
            plan.refresh.content_hash,
            plan.refresh.extractor,
        )
    version: dict[str, Any] | None = None
    if plan.version is not None:
        version = add_version(
            db,
            plan.article_id,
            plan.version.article,
            content_hash=plan.version.content_hash,
            snapshot_id=snapshot,
            url=plan.version.url,
            extractor=plan.version.extractor,
            now=plan.now,
        )
    if plan.rehash:
        db.execute(
            "update versions set content_hash = ? where id = ?",
            [plan.rehash, plan.expected_latest],
        )
    return version


def _write_change(db: Database, plan: Plan, version: dict[str, Any] | None) -> int | None:
    """The change from the latest version to what `change_to` names, with its edits."""
    if not plan.change_to:
        return None
    new_id = {"gone": None, "same": plan.expected_latest}.get(
        plan.change_to, version["id"] if version else None
    )
    return add_change(
        db,
        plan.article_id,
        plan.expected_latest,
        new_id,
        list(plan.edits),
        plan.now,
        capped=plan.capped,
    )


def _write_check(
    db: Database, plan: Plan, version: dict[str, Any] | None, snapshot: int | None
) -> None:
    add_check(
        db,
        article_id=plan.article_id,
        checked_at=plan.checked_at or stamp(plan.now),
        url=plan.check_url,
        http_status=plan.http_status,
        outcome=plan.outcome,
        reason=plan.reason,
        version_id=version["id"] if version else None,
        snapshot_id=snapshot,
        response_headers=(plan.headers or None) if snapshot else None,
    )


# The id of the latest version of the article of the row at hand.
_LATEST_ID = "select id from versions where article_id = articles.id order by seq desc limit 1"
# The article's site still has a row and no failures.
_SITE_SETTLED = " and exists (select 1 from sites where site = ? and failures = 0)"


def _require_current(db: Database, plan: Plan) -> None:
    row = db.execute(
        f"select status, ({_LATEST_ID}) from articles where id = ?", [plan.article_id]
    ).fetchone()
    if row is None or (row[0], row[1]) != (plan.expected_status, plan.expected_latest):
        raise _stale(plan)
