"""Finding an article from what a person has at hand: its URL, a change id (what `redline edits`
and the demo print) or an article id (`a12`, what `redline history` prints).

`parse_ref` is pure; `find_target` reads the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from monitor.errors import InvalidURLError, UnknownArticleError
from monitor.fetch.urls import check_url
from monitor.ids import MAX_ID, parse_id

__all__ = ["REF_HELP", "Ref", "Target", "find_target", "parse_ref"]

REF_HELP = (
    "a URL, a change id (12, as `redline edits` shows it) or an article id "
    "(a3, as `redline history` shows it)"
)
_CHANGE = re.compile(r"#?([0-9]+)")
_ARTICLE = re.compile(r"a([0-9]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Ref:
    kind: str  # url, change or article
    value: str


@dataclass(frozen=True)
class Target:
    """The article a ref names, and the change when it named one."""

    article: dict[str, Any]
    change: dict[str, Any] | None = None


def parse_ref(text: str) -> Ref:
    """What a ref names, by its shape: digits a change, `a` and digits an article, else a URL."""
    text = text.strip()
    if match := _CHANGE.fullmatch(text):
        return Ref("change", match[1])
    if match := _ARTICLE.fullmatch(text):
        return Ref("article", match[1])
    if "://" not in text:
        raise InvalidURLError(f"not a URL, change id or article id: {text!r} (expected {REF_HELP})")
    return Ref("url", check_url(text))


def find_target(db: Database, text: str) -> Target:
    ref = parse_ref(text)
    number = parse_id(ref.value) if ref.kind != "url" else None
    if ref.kind != "url" and number is None:  # past SQLite's integers: names no row
        raise UnknownArticleError(f"no {ref.kind} {ref.value[:40]} (ids go up to {MAX_ID})")
    if ref.kind == "url":
        rows = list(db.query("select * from articles where url = ?", [ref.value]))
        if not rows:
            raise UnknownArticleError(
                f"not tracked: {ref.value} (add it with `redline add {ref.value}`)"
            )
        return Target(rows[0])
    if ref.kind == "article":
        rows = list(db.query("select * from articles where id = ?", [number]))
        if not rows:
            raise UnknownArticleError(f"no article a{ref.value} (`redline edits` lists them)")
        return Target(rows[0])
    changes = list(
        db.query(
            """select changes.*, old_v.seq as old_seq, new_v.seq as new_seq from changes
               left join versions old_v on old_v.id = changes.old_version_id
               left join versions new_v on new_v.id = changes.new_version_id
               where changes.id = ?""",
            [number],
        )
    )
    if not changes:
        raise UnknownArticleError(
            f"no change {ref.value} (`redline edits` lists them; an article id is a{ref.value})"
        )
    article = next(db.query("select * from articles where id = ?", [changes[0]["article_id"]]))
    return Target(article, changes[0])
