"""Re-extract stored versions from their raw pages after the extractor changed.

Every trafilatura release changes extraction output a little. Without this, the first check after
an upgrade would report the differences as newsroom edits. A version's text is derived from its
raw page (kept in `snapshots`), so it is re-derived in place, and the edits of changes touching a
re-extracted version are recomputed (a change capped by the comparison's limits keeps its coarse
edit: comparing it again is what the limit avoids).

The crawl re-derives only the latest version of the article at hand, the one it compares with
(`refreshed_text`, in a worker process; see `monitor.record.page`); `redline reextract` brings
the rest up to date, one version per transaction. The SQL is in `monitor.store.reextraction`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from monitor import store
from monitor.compare.edit import NEWSROOM_EVENTS, Edit
from monitor.compare.normalize import body_paragraphs, content_hash
from monitor.errors import CorruptPageError
from monitor.extract.article import Article, encode_roles, extractor_version
from monitor.record.newsroom import standfirst_edits, standfirst_lines
from monitor.record.page import weigh_site_memory
from monitor.record.versions import RawPage, compare_versions
from monitor.store import newsroom as newsroom_store
from monitor.store.sitememory import redecide_rounds

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReextractStats:
    checked: int = 0
    reextracted: int = 0
    text_changed: int = 0
    skipped_no_snapshot: int = 0
    changes_recomputed: int = 0
    capped_kept: int = 0  # changes touching a re-extracted version kept as they were (capped)
    # Versions left as they were because a stored page they need cannot be read (damaged), one
    # line each naming the version and the page.
    damaged: tuple[str, ...] = ()


def stale_versions(db: Database, article_id: int | None = None) -> list[store.Row]:
    """Versions extracted by another extractor version than the installed one (whole rows: for
    one article, or a test; `reextract_all` walks their ids instead)."""
    return [store.get_version_by_id(db, i) for i in stale_version_ids(db, article_id)]


def stale_version_ids(db: Database, article_id: int | None = None) -> list[int]:
    """Ids of the stale versions, in article and version order."""
    return store.stale_version_ids(db, extractor_version(), article_id)


def refreshed_text(version: store.Row, extracted: Article) -> tuple[Article, str]:
    """The text a version keeps once its raw page was extracted again as `extracted`, and its
    content hash. An empty re-extraction keeps the old text (better than a false "everything
    removed"); the version is still marked as re-extracted, so it is not retried forever."""
    if extracted.is_empty():
        logger.warning(
            "re-extraction of version %s of article %s is empty; text kept",
            version["seq"],
            version["article_id"],
        )
        extracted = store.article_from_row(version)
    fingerprint = content_hash(extracted.title, extracted.byline, body_paragraphs(extracted.body))
    return extracted, fingerprint


def text_differs(version: store.Row, article: Article, fingerprint: str) -> bool:
    """Whether the re-extraction changed what the version's edits were computed from: its text,
    or the roles of its lines (which decide what is page furniture)."""
    before = (
        version["title"],
        version["byline"],
        version["published"],
        version["modified"],
        version["body"],
        version.get("roles") or "",
    )
    after = (
        article.title,
        article.byline,
        article.published,
        article.modified,
        article.body,
        encode_roles(article.roles),
    )
    return before != after or fingerprint != version["content_hash"]


def reextract_version(db: Database, version: store.Row) -> bool | None:
    """Re-extract one version in place (inside the caller's transaction). Returns whether its
    text changed, or None when it has no raw page to re-extract from."""
    from monitor.extract.extraction import extract_article

    if not version["snapshot_id"]:
        return None
    raw, content_type = store.load_snapshot_page(db, int(version["snapshot_id"]))
    extracted = extract_article(raw, url=version["url"], content_type=content_type)
    article, fingerprint = refreshed_text(version, extracted)
    store.replace_version_text(db, int(version["id"]), article, fingerprint, extractor_version())
    return text_differs(version, article, fingerprint)


def recompute_change(db: Database, change: store.Row) -> bool:
    """Recompute the edits of one change from its (re-extracted) versions, keeping lifecycle
    edits (removed, restored, redirected, reverted) that do not come from the text. A capped
    change keeps its coarse edit (returns False), and so does a change decided on a live page's
    posts or a headline's history."""
    if not change["old_version_id"] or not change["new_version_id"] or change.get("capped"):
        return False
    old, new = (
        store.get_version_by_id(db, int(change[side]))
        for side in ("old_version_id", "new_version_id")
    )
    stored = store.edit_kinds_of_change(db, int(change["id"]))
    live = store.is_live_article(db, int(change["article_id"]))
    if live or any(e["kind"] in NEWSROOM_EVENTS for e in stored):
        # Decided on the page's posts or its headline's history (`monitor.record.newsroom`), not
        # on the two texts alone: the posts are read from the raw page by Redline's own reader,
        # which an extractor upgrade does not change. Kept as they are.
        return False
    kept = store.clear_text_edits(db, int(change["id"]))
    # The crawl's own comparison path, boundary discount included (both raw pages are kept).
    edits = list(
        compare_versions(
            store.article_from_row(old),
            store.article_from_row(new),
            _raw_page(db, old),
            _raw_page(db, new),
        ).edits
    )
    edits = weigh_site_memory(
        db,
        db.execute("select site from articles where id = ?", [change["article_id"]]).fetchone()[0],
        int(change["article_id"]),
        store.article_from_row(old),
        store.article_from_row(new),
        edits,
    )
    if not any(e["field"] == "title" for e in stored):
        # A headline that changed between these versions but was not reported was a flip of a
        # headline test: it stays a flip.
        edits = [e for e in edits if e.field != "title"]
    flips = _standfirst_flips(
        db, change, store.article_from_row(old), store.article_from_row(new), edits
    )
    edits = [e for e in edits if e not in flips]
    store.replace_change_edits(db, change["id"], change["article_id"], edits, first_position=kept)
    return True


def _standfirst_flips(
    db: Database, change: store.Row, old: Article, new: Article, edits: list[Edit]
) -> list[Edit]:
    """The edits on the standfirst line to leave out when the change brought back a standfirst
    wording shown before (a flip of its test, which the crawl did not report); none otherwise."""
    runs = newsroom_store.field_runs(db, int(change["article_id"]), "standfirst")
    at = datetime.fromisoformat(change["detected_at"])
    shown = [run for run in runs if run.at <= at]
    if len(shown) < 2 or shown[-1].text not in {run.text for run in shown[:-1]}:
        return []
    return standfirst_edits(edits, [run.text for run in shown], standfirst_lines(old, new))


def _raw_page(db: Database, version: store.Row) -> RawPage | None:
    if not version["snapshot_id"]:
        return None
    return RawPage(*store.load_snapshot_page(db, int(version["snapshot_id"])))


def reextract_all(db: Database, article_id: int | None = None) -> ReextractStats:
    """Bring every stale version (of one article, or all) up to the installed extractor, one
    version per transaction. A version whose raw page (or its change's other page) cannot be read
    is left as it was, still stale, and named in `damaged`; the others go on."""
    checked = reextracted = changed = skipped = recomputed = 0
    capped: set[int] = set()
    damaged: list[str] = []
    stale_ids = stale_version_ids(db, article_id)
    stale = set(stale_ids)
    for version_id in stale_ids:
        checked += 1
        version = store.get_version_by_id(db, version_id)
        try:
            with store.write_transaction(db):
                result, kept, redone = _reextract_one(db, version, stale)
        except CorruptPageError as error:  # rolled back: the version stays as it was
            damaged.append(f"version {version['seq']} of {version['url']} skipped: {error}")
            continue
        if result is None:
            skipped += 1
            continue
        reextracted += 1
        changed += int(result)
        capped |= kept
        recomputed += redone
    if recomputed:
        # Edits were computed anew: each round's template changes are decided again on them.
        redecide_rounds(db)
    return ReextractStats(
        checked, reextracted, changed, skipped, recomputed, len(capped), tuple(damaged)
    )


def _reextract_one(
    db: Database, version: store.Row, stale: set[int]
) -> tuple[bool | None, set[int], int]:
    """One version re-extracted and the changes touching it recomputed (inside the caller's
    transaction): whether its text changed (None: no raw page), the capped changes kept, how
    many changes were recomputed."""
    version_id = int(version["id"])
    result = reextract_version(db, version)
    capped: set[int] = set()
    recomputed = 0
    if result is None:
        return None, capped, 0
    for change in store.changes_touching(db, version_id):
        other = change["old_version_id"]
        if other == version_id:
            other = change["new_version_id"]
        # A change to or from a version already re-extracted (the crawl refreshes the latest
        # version of each article it compares) was computed from its old text.
        if not result and (other is None or other in stale):
            continue
        if change["capped"]:
            capped.add(int(change["id"]))
        elif recompute_change(db, change):
            recomputed += 1
    return result, capped, recomputed
