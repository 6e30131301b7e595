"""Teaser excerpts: the first words of other pages' stories, cut off with an ellipsis.

A section front, a topic page, a gallery index or an article's "more stories" box shows each
story as its first sentence or two, cut mid-sentence by the template: "Authorities reopened the
highway at 6 p.m. Wednesday...", "Am 9. November 1989 strömten Tausende Ostberliner zur Grenze,
die sie vom Westen trennte und verlangten,...". When the extraction takes such a list in as the
body, every visit rotates it: excerpts come and go, and a cut moves ("Wednesday..." becomes
"Wednesday after rescuing about 50 motorists..."). None of that is the newsroom editing the page's
own story.

A paragraph is an excerpt when it ends with a cut: "..." or "…" right after a word or a comma
(a sentence that ends, then trails off, "He paused. ...", is not a cut; nor an ellipsis before a
closing quotation mark). One such paragraph can be a writer's style; the list shows when a
version holds at least `EXCERPTS_MIN` of them. Edits confined to excerpts (the old paragraph is
one on the old page and the new paragraph one on the new page, where the edit has them) are
recorded with the reason and never significant, as furniture. The story's own paragraphs around
a list still count. Pure functions over the compared paragraphs.
"""

from __future__ import annotations

import re

from monitor.compare.edit import Edit, weigh_down
from monitor.compare.embeds import BODY_KINDS  # the same kinds as embedded posts
from monitor.compare.placement import FURNITURE_PENALTY

# A version shows a list of excerpts when at least this many of its paragraphs end with a cut:
# a teaser list holds several; a column's one trailing "and then..." is a style, not a list.
EXCERPTS_MIN = 2
# "word..." / "word …" / "word,..." / "word......" at the paragraph's end (spaces after it too).
_CUT = re.compile(r"[^\W_],?\s?(?:\.{3,}|…)\s*$")
EXCERPT_REASON = "a teaser's excerpt of another story, cut off with an ellipsis: the page's rail"


def excerpt_paragraphs(paragraphs: list[str]) -> set[int]:
    """Indexes of the paragraphs that are cut excerpts, when there are at least `EXCERPTS_MIN`
    of them; an empty set otherwise."""
    found = {index for index, paragraph in enumerate(paragraphs) if _CUT.search(paragraph)}
    return found if len(found) >= EXCERPTS_MIN else set()


def weigh_excerpts(edits: list[Edit], old: list[str], new: list[str]) -> list[Edit]:
    """Significant body edits confined to cut excerpts, weighed down with the reason. `old` and
    `new` are the paragraphs as compared."""
    if not any(e.significant and e.field == "body" for e in edits):
        return edits
    excerpts = (excerpt_paragraphs(old), excerpt_paragraphs(new))
    if not any(excerpts):
        return edits
    weighed = []
    for edit in edits:
        if edit.significant and edit.field == "body" and edit.kind in BODY_KINDS:
            sides = [
                (i, s) for i, s in ((edit.old_paragraph, 0), (edit.new_paragraph, 1)) if i >= 0
            ]
            if sides and all(i in excerpts[s] for i, s in sides):
                edit = weigh_down(edit, FURNITURE_PENALTY, EXCERPT_REASON)
        weighed.append(edit)
    return weighed
