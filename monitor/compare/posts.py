"""Post-by-post comparison of a live page: new posts are the flow, edited or deleted ones the news.

`compare_posts(old, new)` matches posts by their key (`monitor.extract.liveblog.Post`):
- a post only in the new list is **added**: recorded, never an edit;
- a post in both whose text or headline differs was **changed after it was published**: its edits
  are those of `monitor.compare.compare` on the post alone (quote, name, figure, correction...),
  each carrying the post's time in its reasons;
- a post only in the old list, newer than the oldest post still on the page, was **deleted**:
  its sentences come out as removed edits, with the post's time;
- a post only in the old list and older than every post still shown has **paged out** (live
  pages show their latest posts only): not an edit.

Pure: posts in, edits out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from monitor.compare.edit import Edit
from monitor.compare.normalize import normalize_text
from monitor.extract.article import Article
from monitor.extract.liveblog import Post


@dataclass(frozen=True)
class PostChange:
    """A post changed (`new` set) or deleted (`new` None) after it was published."""

    old: Post
    new: Post | None
    edits: tuple[Edit, ...]

    @property
    def deleted(self) -> bool:
        return self.new is None


@dataclass(frozen=True)
class PostComparison:
    added: tuple[Post, ...] = ()
    changed: tuple[PostChange, ...] = ()
    deleted: tuple[PostChange, ...] = ()
    paged_out: tuple[Post, ...] = ()

    def edits(self) -> list[Edit]:
        """Every edit of changed and deleted posts, oldest post first."""
        return [edit for change in (*self.changed, *self.deleted) for edit in change.edits]


def post_label(post: Post) -> str:
    """How an edit names its post: "live post of 2026-11-04 14:02 UTC" (or its key)."""
    moment = _moment(post.published)
    if moment is None:
        return f"live post {post.key}"
    return f"live post of {moment:%Y-%m-%d %H:%M} UTC"


def _moment(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def _same(old: Post, new: Post) -> bool:
    return normalize_text(old.text) == normalize_text(new.text) and normalize_text(
        old.headline
    ) == normalize_text(new.headline)


def _labelled(edits: Sequence[Edit], post: Post) -> tuple[Edit, ...]:
    label = post_label(post)
    return tuple(replace(edit, reasons=(*edit.reasons, label)) for edit in edits)


def _post_edits(old: Post, new: Post | None) -> tuple[Edit, ...]:
    from monitor.compare.comparison import compare

    before = Article(title=old.headline, body=old.text)
    after = Article(title=new.headline, body=new.text) if new else Article()
    return _labelled(compare(before, after), old)


def _paged_out(missing: Post, kept: Sequence[Post], old_order: Sequence[Post]) -> bool:
    """Older than every post still on the page (by time when all have one, else by place)."""
    moments = [_moment(p.published) for p in kept]
    mine = _moment(missing.published)
    if mine is not None and moments and all(m is not None for m in moments):
        try:
            return all(mine < m for m in moments if m is not None)
        except TypeError:  # naive and aware times mixed: fall back to the order
            pass
    keys = [p.key for p in old_order]
    kept_places = [keys.index(p.key) for p in kept]
    place = keys.index(missing.key)
    # Newest first is how live pages list posts: the oldest ones sit at the end.
    return not kept_places or place > max(kept_places)


def compare_posts(old: Sequence[Post], new: Sequence[Post]) -> PostComparison:
    """What happened to the posts between two versions of a live page."""
    old_by_key = {post.key: post for post in old}
    new_by_key = {post.key: post for post in new}
    added = tuple(post for post in new if post.key not in old_by_key)
    kept = [post for post in old if post.key in new_by_key]
    changed = []
    for post in kept:
        later = new_by_key[post.key]
        if not _same(post, later):
            changed.append(PostChange(post, later, _post_edits(post, later)))
    deleted, paged = [], []
    for post in old:
        if post.key in new_by_key:
            continue
        if _paged_out(post, kept, old):
            paged.append(post)
        else:
            deleted.append(PostChange(post, None, _post_edits(post, None)))
    return PostComparison(
        added=added, changed=tuple(changed), deleted=tuple(deleted), paged_out=tuple(paged)
    )
