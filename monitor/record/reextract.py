"""Re-extract stored versions from their raw pages after the extractor changed.

Every trafilatura release changes extraction output a little. Without this, the first check after
an upgrade would report the differences as newsroom edits. A version's text is derived from its
raw page (kept in `snapshots`), so it is re-derived in place, and the edits of changes touching a
re-extracted version are recomputed."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import NEWSROOM_EVENTS
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.extract.extraction import extract_article, extractor_version
from monitor.record.versions import RawPage, compare_versions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReextractStats:
    checked: int = 0
    reextracted: int = 0
    text_changed: int = 0
    skipped_no_snapshot: int = 0
    changes_recomputed: int = 0


def stale_versions(db: Database, article_id: int | None = None) -> list[store.Row]:
    """Versions extracted by another extractor version than the installed one (whole rows: for
    one article, or a test; `reextract_all` walks their ids instead)."""
    return [store.get_version_by_id(db, i) for i in stale_version_ids(db, article_id)]


def stale_version_ids(db: Database, article_id: int | None = None) -> list[int]:
    """Ids of the stale versions, in article and version order: a few bytes each, so a store of
    a million versions is walked in bounded memory, one version's text at a time."""
    name, _, version = extractor_version().partition(" ")
    sql = "select id from versions where (extractor != ? or extractor_version != ?)"
    params: list[object] = [name, version]
    if article_id is not None:
        sql += " and article_id = ?"
        params.append(article_id)
    return [int(row["id"]) for row in db.query(sql + " order by article_id, seq", params)]


def reextract_version(db: Database, version: store.Row) -> bool | None:
    """Re-extract one version in place (inside the caller's transaction). Returns whether its
    text changed, or None when it has no raw page to re-extract from."""
    if not version["snapshot_id"]:
        return None
    raw, content_type = store.load_snapshot_page(db, int(version["snapshot_id"]))
    article = extract_article(raw, url=version["url"], content_type=content_type)
    if article.is_empty():
        # The new extractor finds nothing where the old one did: keep the old text, which is
        # better than a false "everything removed"; still mark it so it is not retried forever.
        logger.warning(
            "re-extraction of version %s of article %s is empty; text kept",
            version["seq"],
            version["article_id"],
        )
        article = store.article_from_row(version)
    fingerprint = content_hash(article.title, article.byline, body_paragraphs(article.body))
    name, _, number = extractor_version().partition(" ")
    db.execute(
        "update versions set title = ?, byline = ?, published = ?, modified = ?, body = ?, "
        "content_hash = ?, extractor = ?, extractor_version = ? where id = ?",
        [
            article.title,
            article.byline,
            article.published,
            article.modified,
            article.body,
            fingerprint,
            name,
            number,
            version["id"],
        ],
    )
    before = (version["title"], version["byline"], version["published"], version["body"])
    after = (article.title, article.byline, article.published, article.body)
    return before != after or fingerprint != version["content_hash"]


def recompute_change(db: Database, change: store.Row) -> None:
    """Recompute the edits of one change from its (re-extracted) versions, keeping lifecycle
    edits (removed, restored, redirected, reverted) that do not come from the text."""
    if not change["old_version_id"] or not change["new_version_id"]:
        return
    old, new = (
        next(db.query("select * from versions where id = ?", [vid]))
        for vid in (change["old_version_id"], change["new_version_id"])
    )
    stored = list(db.query("select kind, field from edits where change_id = ?", [change["id"]]))
    live = db.execute("select live from articles where id = ?", [change["article_id"]]).fetchone()
    if (live and live[0]) or any(e["kind"] in NEWSROOM_EVENTS for e in stored):
        # Decided on the page's posts or its headline's history (`monitor.record.newsroom`), not
        # on the two texts alone: the posts are read from the raw page by Redline's own reader,
        # which an extractor upgrade does not change. Kept as they are.
        return
    lifecycle = [e for e in stored if e["field"] == "article"]
    db.execute("delete from edits where change_id = ? and field != 'article'", [change["id"]])
    # The crawl's own comparison path, boundary discount included (both raw pages are kept).
    edits = list(
        compare_versions(
            store.article_from_row(old),
            store.article_from_row(new),
            _raw_page(db, old),
            _raw_page(db, new),
        ).edits
    )
    if not any(e["field"] == "title" for e in stored):
        # A headline that changed between these versions but was not reported was a flip of a
        # headline test: it stays a flip.
        edits = [e for e in edits if e.field != "title"]
    store.replace_change_edits(
        db, change["id"], change["article_id"], edits, first_position=len(lifecycle)
    )


def _raw_page(db: Database, version: store.Row) -> RawPage | None:
    if not version["snapshot_id"]:
        return None
    return RawPage(*store.load_snapshot_page(db, int(version["snapshot_id"])))


def reextract_all(db: Database, article_id: int | None = None) -> ReextractStats:
    """Bring every stale version (of one article, or all) up to the installed extractor."""
    checked = reextracted = changed = skipped = recomputed = 0
    for version_id in stale_version_ids(db, article_id):
        checked += 1
        version = store.get_version_by_id(db, version_id)
        with store.write_transaction(db):
            result = reextract_version(db, version)
            if result is None:
                skipped += 1
                continue
            reextracted += 1
            if result:
                changed += 1
                for change in db.query(
                    "select * from changes where old_version_id = ? or new_version_id = ?",
                    [version["id"], version["id"]],
                ):
                    recompute_change(db, change)
                    recomputed += 1
    return ReextractStats(checked, reextracted, changed, skipped, recomputed)
