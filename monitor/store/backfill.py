"""The one writer of a backfill: apply a `BackfillPlan` (decided in `monitor.archive.backfill`)
in one transaction.

The known versions are renumbered after the past ones (their ids, changes and edits are
untouched), the past versions are inserted at their capture times with their raw pages and
memento URLs, and one change per step of the chain is added (dated at the newer version's
capture time, so it never reaches alerts, which look at recent changes only). If the article
gained or lost a version meanwhile, nothing is written and `StalePlanError` says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlite_utils import Database

from monitor.errors import StalePlanError
from monitor.store.queries import (
    add_change,
    add_version,
    save_snapshot,
    update_article,
    write_transaction,
)

if TYPE_CHECKING:
    from monitor.archive.backfill import BackfillPlan, PastVersion

__all__ = ["apply_backfill"]


def apply_backfill(db: Database, plan: BackfillPlan) -> list[int]:
    """Write the plan; the ids of the versions added, oldest first."""
    if not plan.versions:
        return []
    added = len(plan.versions)
    with write_transaction(db):
        _require_unchanged(db, plan)
        # Two steps: the unique index on (article_id, seq) is checked row by row.
        db.execute("update versions set seq = -seq where article_id = ?", [plan.article_id])
        db.execute(
            "update versions set seq = ? - seq where article_id = ?", [added, plan.article_id]
        )
        ids = []
        for seq, past in enumerate(plan.versions, start=1):
            page, moment = past.page, past.page.capture.captured_at
            assert page.article is not None
            snapshot = save_snapshot(db, page.body, page.content_type, moment)
            row = add_version(
                db,
                plan.article_id,
                page.article,
                content_hash=past.content_hash,
                snapshot_id=snapshot,
                url=page.capture.original,
                extractor=plan.extractor,
                now=moment,
                seq=seq,
                memento_url=page.memento,
            )
            ids.append(int(row["id"]))
        links = list(zip(ids, ids[1:], plan.versions[1:], strict=False))
        for (old, new, newer), past in zip(links, plan.versions, strict=False):
            _add_change(db, plan, old, new, past, newer.page.capture.captured_at)
        if plan.links_known and plan.expected_first is not None:
            first = db.execute(
                "select captured_at from versions where id = ?", [plan.expected_first]
            ).fetchone()
            when = datetime.fromisoformat(first[0])
            _add_change(db, plan, ids[-1], plan.expected_first, plan.versions[-1], when)
        update_article(db, plan.article_id, version_count=plan.expected_count + added)
    return ids


def _add_change(
    db: Database, plan: BackfillPlan, old: int, new: int, past: PastVersion, when: datetime
) -> None:
    """The change from `past` (version `old`) to the version after it (`new`)."""
    add_change(
        db,
        plan.article_id,
        old,
        new,
        list(past.edits_to_next.edits),
        when,
        capped=past.edits_to_next.capped,
    )


def _require_unchanged(db: Database, plan: BackfillPlan) -> None:
    first, count = db.execute(
        "select (select id from versions where article_id = ? order by seq limit 1), "
        "(select count(*) from versions where article_id = ?)",
        [plan.article_id, plan.article_id],
    ).fetchone()
    if (first, count) != (plan.expected_first, plan.expected_count):
        raise StalePlanError(f"article {plan.article_id} changed while its backfill was decided")
