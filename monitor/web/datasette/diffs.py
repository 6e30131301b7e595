"""Word diffs as HTML with `<ins>`/`<del>` highlighting, built only from escaped text.

Article text is hostile input: a page may contain `<script>` or `onerror=` on purpose. Every text
piece goes through `markupsafe.escape` (via `Markup.format`), and the only tags ever emitted are
the fixed ones written in this module. Pure functions: no database, no Datasette.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape
from rapidfuzz import fuzz

from monitor.compare.align import changed_paragraphs
from monitor.compare.normalize import body_paragraphs
from monitor.compare.words import word_spans

# Two paragraphs at the same place in a changed run are shown as one edited paragraph when at
# least this similar (rapidfuzz ratio, 0-100); below it, as one removed and one added paragraph,
# which reads better than a diff where every word is struck out.
PAIR_PARAGRAPHS_AT = 40.0

BlockOp = Literal["equal", "changed", "added", "removed", "skipped"]


@dataclass(frozen=True)
class Block:
    """One paragraph of a body diff, ready to show."""

    op: BlockOp
    html: Markup


def word_diff_html(old: str, new: str) -> Markup:
    """The new text with deleted words in `<del>` and inserted words in `<ins>`, escaped."""
    if not old and not new:
        return Markup("")
    if not old:
        return Markup("<ins>{}</ins>").format(new)
    if not new:
        return Markup("<del>{}</del>").format(old)
    parts: list[Markup] = []
    for span in word_spans(old, new):
        if span.op == "delete":
            parts.append(Markup("<del>{}</del>").format(span.text))
        elif span.op == "insert":
            parts.append(Markup("<ins>{}</ins>").format(span.text))
        else:
            parts.append(escape(span.text))
    return Markup("").join(parts)


def _run_blocks(olds: list[str], news: list[str]) -> list[Block]:
    """A run of paragraphs that differ: pair them in place where similar enough."""
    blocks: list[Block] = []
    for i in range(max(len(olds), len(news))):
        old = olds[i] if i < len(olds) else None
        new = news[i] if i < len(news) else None
        if old is not None and new is not None and fuzz.ratio(old, new) >= PAIR_PARAGRAPHS_AT:
            blocks.append(Block("changed", word_diff_html(old, new)))
            continue
        if old is not None:
            blocks.append(Block("removed", Markup("<del>{}</del>").format(old)))
        if new is not None:
            blocks.append(Block("added", Markup("<ins>{}</ins>").format(new)))
    return blocks


def _skipped(count: int) -> Block:
    noun = "paragraph" if count == 1 else "paragraphs"
    return Block("skipped", Markup("{} unchanged {}").format(count, noun))


def _equal_blocks(
    equal: list[str], context: int | None, after_change: bool, before_change: bool
) -> list[Block]:
    """Unchanged paragraphs: all of them, or `context` on the side of each change with the rest
    folded into one "N unchanged paragraphs" line."""
    if context is None:
        return [Block("equal", Markup("{}").format(p)) for p in equal]
    head = equal[:context] if after_change else []
    tail = equal[len(equal) - context :] if before_change and context else []
    if len(head) + len(tail) >= len(equal):
        return [Block("equal", Markup("{}").format(p)) for p in equal]
    return [
        *(Block("equal", Markup("{}").format(p)) for p in head),
        _skipped(len(equal) - len(head) - len(tail)),
        *(Block("equal", Markup("{}").format(p)) for p in tail),
    ]


def body_diff(old_body: str, new_body: str, context: int | None = None) -> list[Block]:
    """The new body paragraph by paragraph, edits highlighted. `context` keeps that many unchanged
    paragraphs around each change and folds the rest into "N unchanged paragraphs"; None keeps
    the whole text."""
    olds, news = body_paragraphs(old_body), body_paragraphs(new_body)
    blocks: list[Block] = []
    position = 0
    changed = False
    for old_run, new_run in changed_paragraphs(olds, news):
        blocks.extend(
            _equal_blocks(
                news[position : new_run.start], context, after_change=changed, before_change=True
            )
        )
        blocks.extend(_run_blocks([olds[i] for i in old_run], [news[j] for j in new_run]))
        position = new_run.stop
        changed = True
    blocks.extend(
        _equal_blocks(news[position:], context, after_change=changed, before_change=False)
    )
    return blocks


def body_diff_html(old_body: str, new_body: str, context: int | None = 0) -> Markup:
    """`body_diff` as one HTML fragment of `<p>` elements, for a table cell or a page."""
    return Markup("").join(
        Markup('<p class="redline-{}">{}</p>').format(block.op, block.html)
        for block in body_diff(old_body, new_body, context)
    )
