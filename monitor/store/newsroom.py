"""Newsroom behaviours that are not edits, in the store: headline runs and tests, live posts.

Reads give the record step plain values (`Run`s of a field, the open test, the stored posts);
`NewsroomWrites` is what the record step decided to write about them, applied by
`apply_newsroom` inside the check's write transaction. Tables: `headline_runs`,
`headline_tests`, `live_posts` (migrations m016 and m017).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from monitor.compare.variants import MAX_RUNS, Run, Test
from monitor.extract.liveblog import MAX_POSTS, Post
from monitor.store.queries import Row, insert_row, select_rows, stamp

__all__ = [
    "NewsroomWrites",
    "PostWrites",
    "TestWrite",
    "apply_newsroom",
    "field_runs",
    "open_tests",
    "stored_posts",
]

FIELDS = ("title", "standfirst")
# States of a stored post that are still on the page (compared at the next check).
SHOWN = ("live", "edited")


@dataclass(frozen=True)
class TestWrite:
    """Start, update (a flip) or end the test of one field."""

    field: str
    action: str  # start, update, end
    test: Test
    ended_on: str = ""
    ending: str = ""  # settled, new wording


@dataclass(frozen=True)
class PostWrites:
    """What one check saw of a live page's posts."""

    shown: tuple[Post, ...]  # every post on the page now (added, kept or changed)
    changed: tuple[str, ...] = ()  # keys of posts edited after publication
    deleted: tuple[str, ...] = ()
    paged_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewsroomWrites:
    runs: tuple[tuple[str, Run], ...] = ()  # (field, wording put up)
    tests: tuple[TestWrite, ...] = ()
    live: bool = False  # mark the article live
    posts: PostWrites | None = None

    def __bool__(self) -> bool:
        return bool(self.runs or self.tests or self.live or self.posts)


# ------------------------------------------------------------------ reads
def field_runs(db: Database, article_id: int, field: str, limit: int = MAX_RUNS) -> list[Run]:
    """The wordings a field was put up with, oldest first (the last `limit`)."""
    rows = db.query(
        "select text, seen_at, with_body from headline_runs where article_id = ? and field = ? "
        "order by id desc limit ?",
        [article_id, field, limit],
    )
    runs = [
        Run(row["text"], datetime.fromisoformat(row["seen_at"]), bool(row["with_body"]))
        for row in rows
    ]
    return runs[::-1]


def open_tests(db: Database, article_id: int) -> dict[str, Row]:
    """The running test of each field, if any."""
    rows = select_rows(
        db, "select * from headline_tests where article_id = ? and ended_at is null", [article_id]
    )
    return {row["field"]: row for row in rows}


def post_growths(db: Database, article_id: int) -> int:
    """How many checks after the first added posts to the page (its posts' first sightings)."""
    row = db.execute(
        "select count(distinct first_seen) from live_posts where article_id = ?", [article_id]
    ).fetchone()
    return max(0, int(row[0]) - 1) if row else 0


def stored_posts(db: Database, article_id: int) -> list[Post]:
    """The posts last seen on a live page, newest first."""
    rows = db.query(
        "select post_key, published, headline, text from live_posts "
        "where article_id = ? and state in ('live', 'edited') "
        "order by published desc, id desc limit ?",
        [article_id, MAX_POSTS],
    )
    return [
        Post(
            key=r["post_key"],
            published=r["published"] or "",
            text=r["text"],
            headline=r["headline"] or "",
        )
        for r in rows
    ]


# ------------------------------------------------------------------ writes
def _variants_json(test: Test) -> str:
    return json.dumps(
        [
            {
                "text": v.text,
                "first_seen": stamp(v.first_seen),
                "last_seen": stamp(v.last_seen),
                "times": v.times,
            }
            for v in test.variants
        ],
        ensure_ascii=False,
    )


def _apply_test(db: Database, article_id: int, write: TestWrite, now: datetime) -> None:
    test, label = write.test, "headline" if write.field == "title" else "standfirst"
    values = {
        "last_flip": stamp(test.last_flip),
        "variant_count": len(test.variants),
        "variants": _variants_json(test),
        "summary": test.describe(label),
    }
    if write.action == "start":
        db["headline_tests"].insert(  # type: ignore[union-attr]
            {
                "article_id": article_id,
                "field": write.field,
                "started_at": stamp(test.since),
                "detected_at": stamp(now),
                **values,
            }
        )
        return
    if write.action == "end":
        values |= {"ended_at": stamp(now), "ended_on": write.ended_on, "ending": write.ending}
    assignments = ", ".join(f"{name} = ?" for name in values)
    db.execute(
        f"update headline_tests set {assignments} "
        "where article_id = ? and field = ? and ended_at is null",
        [*values.values(), article_id, write.field],
    )


def _apply_posts(
    db: Database, article_id: int, posts: PostWrites, now: datetime, change_id: int | None
) -> None:
    when = stamp(now)
    changed = set(posts.changed)
    for post in posts.shown:
        exists = db.execute(
            "select id from live_posts where article_id = ? and post_key = ?",
            [article_id, post.key],
        ).fetchone()
        if exists is None:
            insert_row(
                db,
                "live_posts",
                {
                    "article_id": article_id,
                    "post_key": post.key,
                    "published": post.published,
                    "headline": post.headline,
                    "text": post.text,
                    "first_text": post.text,
                    "first_seen": when,
                    "last_seen": when,
                    "state": "live",
                },
            )
        elif post.key in changed:
            db.execute(
                "update live_posts set text = ?, headline = ?, last_seen = ?, state = 'edited', "
                "edited_at = ?, change_id = ? where id = ?",
                [post.text, post.headline, when, when, change_id, exists[0]],
            )
        else:
            db.execute(
                "update live_posts set last_seen = ?, state = case state when 'paged_out' "
                "then 'live' else state end where id = ?",
                [when, exists[0]],
            )
    for keys, state in ((posts.deleted, "deleted"), (posts.paged_out, "paged_out")):
        for key in keys:
            db.execute(
                "update live_posts set state = ?, edited_at = ?, change_id = ? "
                "where article_id = ? and post_key = ?",
                [
                    state,
                    when if state == "deleted" else None,
                    change_id if state == "deleted" else None,
                    article_id,
                    key,
                ],
            )


def apply_newsroom(
    db: Database,
    article_id: int,
    writes: NewsroomWrites,
    now: datetime,
    change_id: int | None = None,
) -> None:
    """Write what a check decided about headline variants and live posts (inside the check's
    transaction; `change_id` is the change it recorded, if any)."""
    for field_name, run in writes.runs:
        insert_row(
            db,
            "headline_runs",
            {
                "article_id": article_id,
                "field": field_name,
                "text": run.text,
                "seen_at": stamp(run.at),
                "with_body": int(run.with_body),
            },
        )
    for write in writes.tests:
        _apply_test(db, article_id, write, now)
    if writes.live:
        db.execute("update articles set live = 1 where id = ? and live = 0", [article_id])
    if writes.posts is not None:
        _apply_posts(db, article_id, writes.posts, now, change_id)
