"""The store's side of site memory and check rounds: the `site_lines` and `check_rounds` tables
(`schema.m023_site_memory`).

`monitor.compare.sitememory` and `monitor.compare.template` decide, from plain values; these
functions read what they need and write their plans. A version's memory update is written by the
check's writer (`writer.apply_plan`) in the version's own transaction; a round's template
decision in one transaction when the round closes (`close_round`), and again after
`redline reextract` (`redecide_rounds`), which rewrites the edits it decided on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from monitor.compare.edit import Edit
from monitor.store.queries import (
    load_snapshot_page,
    replace_change_edits,
    stamp,
    write_transaction,
)

if TYPE_CHECKING:
    from monitor.compare.sitememory import MemoryUpdate
    from monitor.compare.template import TemplateDecision

# The comparison's modules (`monitor.compare.sitememory`, `.template` and what they import) are
# imported by the functions that use them: a round of known pages opens and closes its round
# here without loading them (issue 23).

__all__ = [
    "ROUND_HOLD",
    "SiteMemory",
    "apply_memory_update",
    "apply_template_decisions",
    "close_round",
    "decide_round",
    "held_after_change",
    "open_round",
    "read_memory",
    "redecide_rounds",
]

# Alerts wait for the close of a round still open (its template decision may take the
# significance of its edits away), unless it started this long ago: a crawl killed before its
# close must not hold alerts back for ever. A round of a large store takes well under an hour.
ROUND_HOLD = timedelta(hours=3)
# The sample of a line's text kept for people browsing `site_lines`.
TEXT_CHARS = 200


# --- memory -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteMemory:
    """What weighing one page's edits needs of its site's memory, read at once (`read_memory`):
    line key → the articles the memory saw that line on (`lines`), or whose headline it is
    (`headlines`), keys it never saw left out; and the title affixes the site's titles share."""

    lines: Mapping[str, tuple[int, ...]]
    headlines: Mapping[str, tuple[int, ...]]
    affixes: tuple[str, ...]


def read_memory(db: Database, site: str, keys: Sequence[str]) -> SiteMemory:
    """The site's memory of these line keys, as body lines and as headlines, and its shared
    title affixes, in one query: indexed lookups by key, plus the site's affix rows."""
    from monitor.compare.sitememory import shared_title_affixes

    seen: dict[str, dict[str, tuple[int, ...]]] = {"line": {}, "headline": {}}
    affixes: dict[tuple[str, str], int] = {}
    for row in db.query(
        "select kind, key, text, articles, article_ids from site_lines where site = :site "
        "and kind in ('line', 'headline') and key in (select value from json_each(:keys)) "
        "union all select kind, key, text, articles, article_ids from site_lines "
        "where site = :site and kind in ('prefix', 'suffix')",
        {"site": site, "keys": json.dumps(list(keys))},
    ):
        if row["kind"] in seen:
            seen[row["kind"]][row["key"]] = tuple(json.loads(row["article_ids"]))
        else:
            affixes[(row["kind"], row["text"])] = int(row["articles"])
    return SiteMemory(seen["line"], seen["headline"], shared_title_affixes(affixes))


def apply_memory_update(db: Database, update: MemoryUpdate) -> None:
    """Add the version's sightings to its site's memory (inside the caller's transaction), then
    forget the least recently seen lines past `SITE_LINES` (`monitor.compare.sitememory`)."""
    from monitor.compare import sitememory as rules  # its bounds, read at each call

    now = stamp(update.now)
    article = update.article_id
    db.conn.executemany(  # one statement for every sighting of the version
        "insert into site_lines (site, kind, key, text, articles, article_ids, first_seen, "
        "last_seen) values (?, ?, ?, ?, 1, json_array(?), ?, ?) "
        "on conflict (site, kind, key) do update set last_seen = excluded.last_seen, "
        "article_ids = case when ? in (select value from json_each(site_lines.article_ids)) "
        f"or json_array_length(site_lines.article_ids) >= {rules.KEPT_ARTICLES} "
        "then site_lines.article_ids else json_insert(site_lines.article_ids, '$[#]', ?) end, "
        "articles = site_lines.articles + (? not in (select value from "
        f"json_each(site_lines.article_ids)) and site_lines.articles < {rules.KEPT_ARTICLES})",
        [
            [update.site, s.kind, s.key, s.text[:TEXT_CHARS], article, now, now, *[article] * 3]
            for s in update.sightings
        ],
    )
    extra = db.execute(
        "select count(*) - ? from site_lines where site = ?", [rules.SITE_LINES, update.site]
    ).fetchone()[0]
    if extra > 0:
        db.execute(
            "delete from site_lines where rowid in (select rowid from site_lines where site = ? "
            "order by last_seen, articles limit ?)",
            [update.site, extra],
        )


# --- rounds ------------------------------------------------------------------------------------
def open_round(db: Database, now: datetime) -> int:
    """Start a check round: note the last check and change before it."""
    with write_transaction(db):
        checks = db.execute("select coalesce(max(id), 0) from checks").fetchone()[0]
        changes = db.execute("select coalesce(max(id), 0) from changes").fetchone()[0]
        cursor = db.execute(
            "insert into check_rounds (started_at, after_check, after_change) values (?, ?, ?)",
            [stamp(now), checks, changes],
        )
    return int(cursor.lastrowid or 0)


def held_after_change(db: Database, now: datetime) -> int | None:
    """The changes after this id belong to a round still open (their alerts wait for its
    close); None when no round is open."""
    row = db.execute(
        "select min(after_change) from check_rounds where closed_at is null and started_at >= ?",
        [stamp(now - ROUND_HOLD)],
    ).fetchone()
    return None if row[0] is None else int(row[0])


def _edit_of(row: dict[str, Any]) -> Edit:
    return Edit(
        kind=row["kind"],
        field=row["field"],
        old=row["old"] or "",
        new=row["new"] or "",
        old_sentence=row["old_sentence"] or "",
        new_sentence=row["new_sentence"] or "",
        significant=bool(row["significant"]),
        score=float(row["score"] or 0),
        reasons=tuple(json.loads(row["reasons"] or "[]")),
        old_paragraph=int(row["old_paragraph"] if row["old_paragraph"] is not None else -1),
        new_paragraph=int(row["new_paragraph"] if row["new_paragraph"] is not None else -1),
    )


# The edits of a round: changes after its first change, of the articles it checked. A backfill
# (`redline backfill`) running while a round is open adds changes in the same id range, to
# articles the round may not have checked: those are the past, not the round's template.
ROUND_EDITS = (
    "edits.change_id > :after_change and edits.change_id <= :last_change "
    "and edits.article_id in (select article_id from checks "
    "where checks.id > :after_check and checks.id <= :last_check)"
)


def _span(after_check: int, after_change: int, last_check: int, last_change: int) -> dict[str, int]:
    return {
        "after_check": after_check,
        "after_change": after_change,
        "last_check": last_check,
        "last_change": last_change,
    }


def decide_round(
    db: Database, after_check: int, after_change: int, last_check: int, last_change: int
) -> list[TemplateDecision]:
    """Read the round's edits per site (sites with changes on enough articles only) and decide
    each site's template change. Reads only."""
    from monitor.compare.template import (
        TEMPLATE_MIN_ARTICLES,
        RoundEdit,
        decide_template,
        new_pages_wanted,
        pages_wanted,
        url_section,
    )

    decisions = []
    span = _span(after_check, after_change, last_check, last_change)
    sites = db.query(
        f"select site from edits where {ROUND_EDITS} and field != 'article' "
        "group by site having count(distinct article_id) >= :least",
        {**span, "least": TEMPLATE_MIN_ARTICLES},
    )
    for site in [row["site"] for row in sites]:
        sections = {
            int(row[0]): url_section(row[1])
            for row in db.execute(
                "select distinct checks.article_id, articles.url from checks join articles "
                "on articles.id = checks.article_id where checks.id > ? and checks.id <= ? "
                "and articles.site = ?",
                [after_check, last_check, site],
            )
        }
        checked = len(sections)
        edits = [
            RoundEdit(int(row["id"]), int(row["change_id"]), int(row["article_id"]), _edit_of(row))
            for row in db.query(
                f"select * from edits where site = :site and {ROUND_EDITS} "
                "and field != 'article' and kind != 'template_changed' order by id",
                {**span, "site": site},
            )
        ]
        decision = decide_template(site, edits, checked, sections=sections)
        wanted, wanted_new = pages_wanted(edits, decision), new_pages_wanted(edits, decision)
        if wanted or wanted_new:
            decision = decide_template(
                site,
                edits,
                checked,
                _pages(db, wanted, "old_version_id"),
                _pages(db, wanted_new, "new_version_id"),
                sections,
            )
        decisions.append(decision)
    return decisions


def _pages(db: Database, change_ids: list[int], side: str) -> dict[int, str]:
    """Change id → the text of its old (`side` "old_version_id") or new ("new_version_id")
    version's raw page, as the decision reads it."""
    from monitor.compare.template import compact_page
    from monitor.extract.extraction import page_text  # trafilatura: only when needed

    if not change_ids:
        return {}
    column = {"old_version_id": "old_version_id", "new_version_id": "new_version_id"}[side]
    pages = {}
    for row in db.query(
        "select changes.id as id, versions.snapshot_id as snapshot from changes "
        f"join versions on versions.id = changes.{column} "
        "where changes.id in (select value from json_each(?)) and versions.snapshot_id",
        [json.dumps(change_ids)],
    ):
        raw, content_type = load_snapshot_page(db, int(row["snapshot"]))
        pages[int(row["id"])] = compact_page(page_text(raw, content_type))
    return pages


def apply_template_decisions(
    db: Database,
    after_check: int,
    after_change: int,
    last_check: int,
    last_change: int,
    decisions: Iterable[TemplateDecision],
) -> int:
    """Write the round's decisions (inside the caller's transaction): the sites' earlier events
    for the round dropped, the template's edits weighed down, one event per site with a template
    change; returns how many events."""
    events = 0
    span = _span(after_check, after_change, last_check, last_change)
    for decision in decisions:
        refresh: dict[int, int] = {}  # change id → article id, summaries to recompute
        earlier = f"edits.site = :site and edits.kind = 'template_changed' and {ROUND_EDITS}"
        for row in db.query(
            f"select change_id, article_id from edits where {earlier}",
            {**span, "site": decision.site},
        ):
            refresh[int(row["change_id"])] = int(row["article_id"])
        db.execute(f"delete from edits where {earlier}", {**span, "site": decision.site})
        for edit_id, edit in decision.downgrades:
            row = db.execute(
                "update edits set significant = ?, score = ?, reasons = ? where id = ? "
                "returning change_id, article_id",
                [int(edit.significant), edit.score, json.dumps(list(edit.reasons)), edit_id],
            ).fetchone()
            refresh[int(row[0])] = int(row[1])
        if decision.event is not None and decision.lead_change is not None:
            article_id, position = db.execute(
                "select changes.article_id, (select coalesce(max(position) + 1, 0) from edits "
                "where change_id = changes.id) from changes where id = ?",
                [decision.lead_change],
            ).fetchone()
            replace_change_edits(
                db, decision.lead_change, int(article_id), [decision.event], int(position)
            )
            refresh.pop(decision.lead_change, None)
            events += 1
        for change_id, article_id in refresh.items():
            replace_change_edits(db, change_id, article_id, [])
    return events


def close_round(db: Database, round_id: int, now: datetime) -> int:
    """Decide the round's template changes, write them and close the round in one transaction;
    returns how many template changes. A round that wrote no change leaves no row (a round of
    unchanged pages every few minutes would otherwise grow the table for nothing)."""
    row = db.execute(
        "select after_check, after_change from check_rounds where id = ?", [round_id]
    ).fetchone()
    after_check, after_change = int(row[0]), int(row[1])
    last_check = db.execute("select coalesce(max(id), 0) from checks").fetchone()[0]
    last_change = db.execute("select coalesce(max(id), 0) from changes").fetchone()[0]
    if last_change == after_change:
        # Nothing to decide, now or after `redline reextract`: the round leaves no row.
        with write_transaction(db):
            db.execute("delete from check_rounds where id = ?", [round_id])
        return 0
    decisions = decide_round(db, after_check, after_change, last_check, last_change)
    with write_transaction(db):
        events = apply_template_decisions(
            db, after_check, after_change, last_check, last_change, decisions
        )
        db.execute(
            "update check_rounds set closed_at = ?, last_check = ?, last_change = ?, "
            "template_changes = ? where id = ?",
            [stamp(now), last_check, last_change, events, round_id],
        )
    return events


def redecide_rounds(db: Database) -> int:
    """Every closed round decided again (after `redline reextract` rewrote edits); returns how
    many template changes there are now."""
    events = 0
    rounds = list(
        db.query(
            "select * from check_rounds where closed_at is not null and last_change > after_change "
            "order by id"
        )
    )
    for round_row in rounds:
        after_check, after_change, last_check, last_change = (
            int(round_row[name])
            for name in ("after_check", "after_change", "last_check", "last_change")
        )
        decisions = decide_round(db, after_check, after_change, last_check, last_change)
        with write_transaction(db):
            found = apply_template_decisions(
                db, after_check, after_change, last_check, last_change, decisions
            )
            db.execute(
                "update check_rounds set template_changes = ? where id = ?",
                [found, round_row["id"]],
            )
        events += found
    return events
