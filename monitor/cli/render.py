"""Terminal views: tables of edits and versions, and coloured word diffs (rich).

Article text is hostile input for a terminal too: rich reads `[...]` in a plain string as markup,
so `Mayor [/] quits` would crash the command and `[link=...]` would plant a hyperlink. Every
piece of article text (titles, bylines, sentences, URLs, sources) goes into a `Text` object,
which rich never parses; callers print article text only through these helpers or `plain`.
Rich passes escape sequences through, though: each helper first removes them and every control
character (`monitor.escapes.terminal_text`), so a title or a header cannot write to the
clipboard, retitle the window or move the cursor over the URL line."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.compare.edit import Edit
from monitor.compare.snippet import make_snippet, marked, marked_diff
from monitor.compare.words import word_spans
from monitor.escapes import terminal_text

# Long sentences are cut in tables; `redline diff` shows them whole.
CELL_CHARS = 160


def _clip(text: str, limit: int = CELL_CHARS) -> str:
    text = " ".join(terminal_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def zone_named(name: str | None) -> tzinfo:
    """The time zone times are shown in: UTC (empty), `local` (this machine's), or an IANA
    name such as Europe/Paris (a leading `:` as in TZ=:Europe/Paris is allowed); ValueError
    when unknown."""
    name = (name or "").strip().lstrip(":")
    if not name or name.upper() in ("UTC", "Z"):
        return UTC
    if name == "local":
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (e.g. UTC, local, Europe/Paris)") from error


def when(stamp: str | None, zone: tzinfo = UTC, empty: str = "") -> str:
    """A stored UTC time ("2026-11-02T09:30:00+00:00") to the minute in `zone`, with the
    zone's name: "2026-11-02 10:30 CET"."""
    if not stamp:
        return empty
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = moment.astimezone(zone)
    return shown.strftime("%Y-%m-%d %H:%M ") + (shown.tzname() or "UTC")


def wants_marks(console: Console) -> bool:
    """Word diffs spelled with `[-old-]{+new+}`: when the output is not a terminal, or has no
    colour, strike-through and colours would be lost and old and new words run together. Such
    output also keeps URLs and pieces whole (a pipe has no width to save)."""
    return not console.is_terminal or console.no_color or console.color_system is None


def plain(text: object, style: str = "") -> Text:
    """Text shown as it is, never read as markup, without control and escape sequences."""
    return Text(terminal_text(str(text)), style=style)


def diff_text(old: str, new: str, marks: bool = False) -> Text:
    """The new text with deleted words in red strike-through and inserted words in green; with
    `marks` (no colour: piped output, `--no-color`) as `[-deleted-]` and `{+inserted+}`."""
    old, new = terminal_text(old), terminal_text(new)
    if marks:
        return Text(marked_diff(old, new))
    text = Text()
    for span in word_spans(old, new):
        if span.op == "delete":
            text.append(span.text, style="bold red strike")
        elif span.op == "insert":
            text.append(span.text, style="bold green underline")
        else:
            text.append(span.text)
    return text


def edit_change(
    old: str, new: str, marks: bool = False, old_sentence: str = "", new_sentence: str = ""
) -> Text:
    """old → new for a table cell; an insertion or a deletion with a few words around it."""
    old, new = terminal_text(old), terminal_text(new)
    old_sentence, new_sentence = terminal_text(old_sentence), terminal_text(new_sentence)
    if marks and _is_url(old) and _is_url(new):  # a redirect: both addresses whole
        return Text(f"[-{old}-] → {{+{new}+}}")
    snippet = make_snippet(old, new, old_sentence, new_sentence)
    if marks:
        return Text(marked(snippet))
    text = Text()
    if snippet.before:
        text.append(snippet.before + " ", style="dim")
    if snippet.old:
        text.append(_clip(snippet.old, 70), style="red strike" if not snippet.new else "red")
    if snippet.replaced:
        text.append(" → ")
    if snippet.new:
        text.append(_clip(snippet.new, 70), style="green")
    if snippet.after:
        text.append(" " + snippet.after, style="dim")
    return text


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and " " not in text


def short_url(url: str, limit: int = 40) -> str:
    """A URL without its scheme, cut in the middle when long: enough to recognise and paste."""
    bare = terminal_text(url).split("://", 1)[-1]
    if len(bare) <= limit:
        return bare
    keep = (limit - 1) // 2
    return bare[:keep] + "…" + bare[-(limit - 1 - keep) :]


def edits_table(
    rows: Iterable[dict[str, Any]],
    title: str = "Edits",
    marks: bool = False,
    zone: tzinfo = UTC,
) -> Table:
    """Edits with their change id (what `redline diff ID` and `redline show ID` take) and the
    article's URL (short in a terminal, whole when piped: `marks`)."""
    table = Table(title=plain(title), show_lines=False, expand=False)
    table.add_column("change", justify="right", no_wrap=True)
    table.add_column("when", no_wrap=True)
    # In a terminal the text gets the room (at 80 columns it was 12 characters wide); piped
    # output (`marks`) has no width to share, and keeps URLs whole.
    table.add_column("article", max_width=None if marks else 30)
    table.add_column("kind", no_wrap=True)
    table.add_column("old → new", min_width=None if marks else 30)
    table.add_column("sig", justify="right")
    for row in rows:
        kind_style = "bold" if row["significant"] else "dim"
        article = Text(_clip(row.get("article_title") or "", 40))
        if row.get("url"):
            shown = terminal_text(row["url"]) if marks else short_url(row["url"])
            article.append(("\n" if article else "") + shown, style="dim")
        table.add_row(
            str(row.get("change_id") or ""),
            plain(when(row.get("detected_at"), zone)),
            article,
            Text(row["kind"], style=kind_style),
            edit_change(
                row.get("old") or "",
                row.get("new") or "",
                marks,
                row.get("old_sentence") or "",
                row.get("new_sentence") or "",
            ),
            f"{row['score']:.2f}",
        )
    return table


def compare_table(edits: Iterable[Edit], marks: bool = False) -> Table:
    table = Table(title="Edits", show_lines=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("field", no_wrap=True)
    table.add_column("change")
    table.add_column("sig", justify="right")
    for edit in edits:
        if edit.old_sentence and edit.new_sentence:
            change = diff_text(edit.old_sentence, edit.new_sentence, marks)
        else:
            change = edit_change(edit.old, edit.new, marks, edit.old_sentence, edit.new_sentence)
        table.add_row(plain(edit.kind), plain(edit.field), change, f"{edit.score:.2f}")
    return table


def history_table(
    url: str,
    versions: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    article_id: int = 0,
    zone: tzinfo = UTC,
) -> Table:
    summaries = {
        c["new_seq"]: c["summary"]
        + (f"; comparison capped: {c['capped']}" if c.get("capped") else "")
        for c in changes
        if c["new_seq"] is not None
    }
    change_ids = {c["new_seq"]: c["id"] for c in changes if c["new_seq"] is not None}
    title = f"History of {url}" + (f" (article a{article_id})" if article_id else "")
    table = Table(title=plain(title))
    table.add_column("version", justify="right")
    table.add_column("change", justify="right")
    table.add_column("captured", no_wrap=True)
    table.add_column("headline")
    table.add_column("words", justify="right")
    table.add_column("what changed")
    for version in versions:
        table.add_row(
            str(version["seq"]),
            str(change_ids.get(version["seq"], "")),
            plain(when(version["captured_at"], zone)),
            plain(_clip(version["title"] or "", 60)),
            str(len((version["body"] or "").split())),
            plain(summaries.get(version["seq"], "first version" if version["seq"] == 1 else "")),
        )
    return table


def sources_table(rows: Iterable[dict[str, Any]], zone: tzinfo = UTC) -> Table:
    table = Table(title="Sources")
    table.add_column("id", justify="right")
    table.add_column("kind")
    table.add_column("url")
    table.add_column("match")
    table.add_column("last discovered", no_wrap=True)
    table.add_column("articles", justify="right")
    table.add_column("watch")
    for row in rows:
        table.add_row(
            str(row["id"]),
            plain(row["kind"]),
            plain(row["url"]),
            plain(row["match"] or ""),
            when(row["last_discovered"], zone, "never"),
            str(row["articles_found"]),
            row.get("watch") or "on",
        )
    return table


def site_health_table(rows: Iterable[dict[str, Any]], zone: tzinfo = UTC) -> Table:
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
            plain(row["site"]),
            str(row["fine"] or 0),
            str(row["blocked"] or 0),
            str(row["failed"] or 0),
            when(row["hold_until"], zone),
            plain(row["hold_reason"] or ""),
        )
    return table


def articles_table(
    rows: Iterable[dict[str, Any]], zone: tzinfo = UTC, marks: bool = False
) -> Table:
    """What is watched (`redline articles`): id, state, site, tags, last check, versions."""
    table = Table(title="Articles")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("state", no_wrap=True)
    table.add_column("site")
    table.add_column("article")
    table.add_column("tags")
    table.add_column("last check", no_wrap=True)
    table.add_column("versions", justify="right")
    for row in rows:
        article = Text(_clip(row.get("title") or "", 60))
        url = terminal_text(row["url"]) if marks else short_url(row["url"], 60)
        article.append(("\n" if article else "") + url, style="dim")
        table.add_row(
            f"a{row['id']}",
            plain(row["state"]),
            plain(row["site"]),
            article,
            plain(", ".join(row.get("tags") or [])),
            plain(when(row.get("last_checked"), zone, "never")),
            str(row.get("versions") or 0),
        )
    return table
