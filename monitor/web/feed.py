"""An Atom feed of significant edits: one entry per change, carrying each edit's old and new text.

Pure: rows in, XML bytes out. The XML is written by ElementTree, which escapes every text node;
an entry's HTML content is built from escaped article text only (`monitor.web.datasette.diffs`),
so a feed reader that renders it shows a hostile `<script>` as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from markupsafe import Markup

from monitor.compare.snippet import make_snippet, marked
from monitor.web.datasette.diffs import word_diff_html

ATOM = "http://www.w3.org/2005/Atom"
# Entries in one feed: a reader polls often, and older changes stay browsable in Datasette.
FEED_ENTRIES = 50
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The feed's own update time when it has no entry yet (a valid Atom feed needs one).
EPOCH = "1970-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class FeedChange:
    """One change and its significant edits, as the feed shows them."""

    change_id: int
    detected_at: str
    site: str
    url: str
    headline: str
    summary: str
    stealth: bool
    diff_url: str
    edits: tuple[dict[str, Any], ...]
    article_url: str = ""  # the article page on the server


def entry_html(change: FeedChange) -> Markup:
    """The entry's content: the summary, then every edit as old → new with its sentence."""
    parts = [
        Markup("<p><strong>{}</strong>{}</p>").format(
            change.summary, " (no correction note)" if change.stealth else ""
        )
    ]
    if change.article_url:
        parts.append(
            Markup('<p><a href="{}">Every version of this article</a></p>').format(
                change.article_url
            )
        )
    for edit in change.edits:
        old, new = edit.get("old") or "", edit.get("new") or ""
        parts.append(
            Markup("<p><em>{}</em> (score {:.2f})</p>").format(edit["kind"], edit.get("score") or 0)
        )
        if old and new:
            parts.append(
                Markup("<p>Before: <del>{}</del><br>After: <ins>{}</ins></p>").format(old, new)
            )
        else:  # which quotation or sentence: the piece with a few words around it
            snippet = make_snippet(
                old, new, edit.get("old_sentence") or "", edit.get("new_sentence") or ""
            )
            parts.append(
                Markup("<p>{}: {} {} {}</p>").format(
                    "Added" if new else "Removed",
                    snippet.before,
                    Markup("<ins>{}</ins>").format(new)
                    if new
                    else Markup("<del>{}</del>").format(old),
                    snippet.after,
                )
            )
        old_sentence = edit.get("old_sentence") or ""
        new_sentence = edit.get("new_sentence") or ""
        if (old_sentence or new_sentence) and (old_sentence, new_sentence) != (old, new):
            parts.append(
                Markup("<blockquote>{}</blockquote>").format(
                    word_diff_html(old_sentence, new_sentence)
                )
            )
    parts.append(
        Markup('<p><a href="{}">The article</a> · <a href="{}">The diff</a></p>').format(
            change.url, change.diff_url
        )
    )
    return Markup("").join(parts)


def entry_text(change: FeedChange) -> str:
    """A plain-text summary of the change for readers that show only summaries."""
    lines = [change.summary]
    for edit in change.edits:
        snippet = make_snippet(
            edit.get("old") or "",
            edit.get("new") or "",
            edit.get("old_sentence") or "",
            edit.get("new_sentence") or "",
        )
        lines.append(f"{edit['kind']}: {marked(snippet)}")
    return "\n".join(lines)


def group_changes(
    rows: Iterable[dict[str, Any]], diff_url: str, article_url: str = ""
) -> list[FeedChange]:
    """Rows of edits joined with their change and article (newest change first) → one
    `FeedChange` per change. `diff_url` is a template with `{change_id}`, `article_url` one
    with `{article_id}`."""
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(int(row["change_id"]), []).append(row)
    changes = []
    for change_id, edits in grouped.items():
        first = edits[0]
        changes.append(
            FeedChange(
                change_id=change_id,
                detected_at=first["detected_at"],
                site=first["site"],
                url=first["url"],
                headline=first["headline"] or first["url"],
                summary=first["summary"],
                stealth=bool(first["stealth"]),
                diff_url=diff_url.format(change_id=change_id),
                edits=tuple(edits),
                article_url=article_url.format(article_id=first.get("article_id"))
                if article_url and first.get("article_id") is not None
                else "",
            )
        )
    return changes


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (control characters a page may contain),
    which ElementTree would write as they are and make the whole feed unreadable."""
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    title: str, self_url: str, alternate_url: str, changes: Sequence[FeedChange]
) -> bytes:
    """The Atom document. Entry ids are the diff pages' URLs: unique and stable per server."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", self_url)
    _sub(feed, "link", rel="self", href=self_url)
    _sub(feed, "link", rel="alternate", href=alternate_url)
    _sub(feed, "updated", max((c.detected_at for c in changes), default=EPOCH))
    _sub(feed, "generator", "Redline")
    for change in changes:
        entry = _sub(feed, "entry")
        _sub(entry, "id", change.diff_url)
        _sub(entry, "title", f"{change.summary}: {change.headline}")
        _sub(entry, "updated", change.detected_at)
        _sub(entry, "link", rel="alternate", href=change.diff_url)
        _sub(entry, "link", rel="related", href=change.url)
        if change.article_url:
            _sub(entry, "link", rel="via", href=change.article_url, title="article page")
        author = _sub(entry, "author")
        _sub(author, "name", change.site)
        _sub(entry, "summary", entry_text(change), type="text")
        _sub(entry, "content", str(entry_html(change)), type="html")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
