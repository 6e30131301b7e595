"""Terminal views: tables of edits and versions, and coloured word diffs (rich)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

from monitor.compare.edit import Edit
from monitor.compare.words import word_spans

# Long sentences are cut in tables; `redline diff` shows them whole.
CELL_CHARS = 160


def _clip(text: str, limit: int = CELL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diff_text(old: str, new: str) -> Text:
    """The new text with deleted words in red strike-through and inserted words in green."""
    text = Text()
    for span in word_spans(old, new):
        if span.op == "delete":
            text.append(span.text, style="bold red strike")
        elif span.op == "insert":
            text.append(span.text, style="bold green underline")
        else:
            text.append(span.text)
    return text


def edit_change(old: str, new: str) -> Text:
    """old → new for a table cell."""
    text = Text()
    if old:
        text.append(_clip(old, 70), style="red")
    if old and new:
        text.append(" → ")
    if new:
        text.append(_clip(new, 70), style="green")
    return text


def edits_table(rows: Iterable[dict[str, Any]], title: str = "Edits") -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("when", no_wrap=True)
    table.add_column("article")
    table.add_column("kind", no_wrap=True)
    table.add_column("old → new")
    table.add_column("sig", justify="right")
    for row in rows:
        kind_style = "bold" if row["significant"] else "dim"
        table.add_row(
            (row.get("detected_at") or "")[:16].replace("T", " "),
            _clip(row.get("article_title") or row.get("url") or "", 40),
            Text(row["kind"], style=kind_style),
            edit_change(row.get("old") or "", row.get("new") or ""),
            f"{row['score']:.2f}",
        )
    return table


def compare_table(edits: Iterable[Edit]) -> Table:
    table = Table(title="Edits", show_lines=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("field", no_wrap=True)
    table.add_column("change")
    table.add_column("sig", justify="right")
    for edit in edits:
        if edit.old_sentence and edit.new_sentence:
            change = diff_text(edit.old_sentence, edit.new_sentence)
        else:
            change = edit_change(edit.old, edit.new)
        table.add_row(edit.kind, edit.field, change, f"{edit.score:.2f}")
    return table


def history_table(url: str, versions: list[dict[str, Any]], changes: list[dict[str, Any]]) -> Table:
    summaries = {
        c["new_seq"]: c["summary"]
        + (f"; comparison capped: {c['capped']}" if c.get("capped") else "")
        for c in changes
        if c["new_seq"] is not None
    }
    table = Table(title=f"History of {url}")
    table.add_column("version", justify="right")
    table.add_column("captured", no_wrap=True)
    table.add_column("headline")
    table.add_column("words", justify="right")
    table.add_column("what changed")
    for version in versions:
        table.add_row(
            str(version["seq"]),
            version["captured_at"][:16].replace("T", " "),
            _clip(version["title"] or "", 60),
            str(len((version["body"] or "").split())),
            summaries.get(version["seq"], "first version" if version["seq"] == 1 else ""),
        )
    return table


def sources_table(rows: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="Sources")
    table.add_column("id", justify="right")
    table.add_column("kind")
    table.add_column("url")
    table.add_column("match")
    table.add_column("last discovered", no_wrap=True)
    table.add_column("articles", justify="right")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["kind"],
            row["url"],
            row["match"] or "",
            (row["last_discovered"] or "never")[:16].replace("T", " "),
            str(row["articles_found"]),
        )
    return table


def site_health_table(rows: Iterable[dict[str, Any]]) -> Table:
    """Per site, the last day's checks: fine, blocked (bot walls, paywalls), failed, and any
    hold (the site asked us to wait, or keeps failing)."""
    table = Table(title="Sites, last 24 hours of checks")
    table.add_column("site")
    for name in ("fine", "blocked", "failed"):
        table.add_column(name, justify="right")
    table.add_column("held until", no_wrap=True)
    table.add_column("why")
    for row in rows:
        table.add_row(
            row["site"],
            str(row["fine"] or 0),
            str(row["blocked"] or 0),
            str(row["failed"] or 0),
            (row["hold_until"] or "")[:16].replace("T", " "),
            row["hold_reason"] or "",
        )
    return table
