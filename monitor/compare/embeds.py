"""Embedded social posts and subheadings: text a template renders or not, not the story's words.

- **Embedded posts.** A tweet or Instagram post embedded in an article is a blockquote whose
  text a static page shows only until the platform's script replaces it, and a redesigned
  template often keeps only the link. Its fallback text carries a signature the platforms write
  the same way everywhere: "— Name (@handle) November 12, 2014" (any language's month), "A post
  shared by Name (@handle)", "Une publication partagée par…", "View this post on Instagram".
  The signature line and the post's own lines just before it (blockquote lines, or without
  roles the one line before it when it names a handle, a hashtag or a picture link) are the
  embed. (Facebook's "Posted by … on Tuesday, …" is already a furniture line, `lexicon`.)
- **Subheadings.** A short heading line inside the article ("A History of Firsts") added or
  removed on its own: the desk's layout (a template that renders `<div role="heading">` where it
  had `<h3>` loses it from extraction), not a claim.

Edits confined to these lines are recorded with the reason and never significant, as furniture.
Pure functions over the compared paragraphs and their roles (`placement.follow_paragraphs`).
"""

from __future__ import annotations

import re

from monitor.compare.edit import Edit, weigh_down
from monitor.compare.placement import FURNITURE_PENALTY

# A post's own text before its signature is at most this many lines (a tweet is one or two; a
# quoted tweet inside it one more).
EMBED_MAX_LINES = 3
# A subheading is at most this many words; a longer heading line is a sentence of the story
# ("Police say the fire was set on purpose" as a heading is a claim).
SUBHEADING_MAX_WORDS = 6

_DATE = (
    r"(?:[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}"  # November 12, 2014
    r"|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?\s+(?:de\s+)?\d{4}"  # 12 novembre 2014, 12. Nov. 2014
    r"|\d{4}年\d{1,2}月\d{1,2}日)"  # 2014年11月12日
)
EMBED_SIGNATURE = re.compile(
    rf"\(@\w{{1,30}}\)\s*(?:on\s+|le\s+|am\s+|el\s+|il\s+|em\s+)?{_DATE}\s*$"
    r"|^(?:a post shared by|une publication partagée par|ein beitrag geteilt von"
    r"|una publicación compartida por|un post condiviso da"
    r"|uma publicação (?:partilhada|compartilhada) por)\b"
    r"|^(?:view this post on instagram|afficher cette publication sur instagram"
    r"|diesen beitrag auf instagram ansehen|ver esta publicación en instagram"
    r"|visualizza questo post su instagram|ver essa foto no instagram)\b",
    re.IGNORECASE,
)
# Without roles, the line before a signature is the post's text when it carries one of these.
_POST_MARK = re.compile(r"(?:^|\s)[@#]\w|pic\.twitter\.com/|instagram\.com/|t\.co/")
BODY_KINDS = frozenset(
    {
        "sentence_added",
        "sentence_removed",
        "sentence_changed",
        "quote",
        "quote_added",
        "quote_removed",
        "name",
        "number",
        "too_many_changes",
    }
)
EMBED_REASON = "an embedded social post: its text shows only when the platform's script renders it"
SUBHEADING_REASON = "a subheading added or removed: the article's layout, not its words"


def embed_paragraphs(paragraphs: list[str], roles: list[str]) -> set[int]:
    """Indexes of the paragraphs that belong to an embedded post (module docstring)."""
    found: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        if not EMBED_SIGNATURE.search(paragraph):
            continue
        found.add(index)
        for back in range(index - 1, max(-1, index - 1 - EMBED_MAX_LINES), -1):
            if roles:
                if roles[back] != "blockquote" or back in found:
                    break
            elif back != index - 1 or not _POST_MARK.search(paragraphs[back]):
                break
            found.add(back)
    return found


def weigh_embeds(
    edits: list[Edit],
    old: tuple[list[str], list[str]],
    new: tuple[list[str], list[str]],
) -> list[Edit]:
    """Significant body edits confined to embedded posts, or that add or remove a subheading,
    weighed down with the reason. `old` and `new` are (paragraphs, roles) as compared."""
    if not any(e.significant and e.field == "body" for e in edits):
        return edits
    old_embeds, new_embeds = embed_paragraphs(*old), embed_paragraphs(*new)
    weighed = []
    for edit in edits:
        if edit.significant and edit.field == "body" and edit.kind in BODY_KINDS:
            sides = [
                (i, s) for i, s in ((edit.old_paragraph, 0), (edit.new_paragraph, 1)) if i >= 0
            ]
            embeds = (old_embeds, new_embeds)
            if sides and all(i in embeds[s] for i, s in sides):
                edit = weigh_down(edit, FURNITURE_PENALTY, EMBED_REASON)
            elif _is_subheading(edit, old, new):
                edit = weigh_down(edit, FURNITURE_PENALTY, SUBHEADING_REASON)
        weighed.append(edit)
    return weighed


def _is_subheading(
    edit: Edit, old: tuple[list[str], list[str]], new: tuple[list[str], list[str]]
) -> bool:
    """A whole short heading line, added or removed."""
    if edit.kind == "sentence_added":
        paragraphs, roles, index, text = *new, edit.new_paragraph, edit.new
    elif edit.kind == "sentence_removed":
        paragraphs, roles, index, text = *old, edit.old_paragraph, edit.old
    else:
        return False
    if not (0 <= index < len(roles)) or roles[index] != "heading":
        return False
    return paragraphs[index] == text and len(text.split()) <= SUBHEADING_MAX_WORDS
