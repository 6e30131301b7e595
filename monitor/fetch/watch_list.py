"""Watch lists in and out: URLs with their kind and tags, read from a plain list, CSV, TOML or
OPML, and written back as CSV, TOML or OPML (feeds). Pure: text in, entries out (and back); the
URLs are checked by whoever adds them (`monitor.watching`), so every reader shares one validation.

- plain text: one URL a line; blank lines and `#` comments skipped;
- CSV: a header with `url` and optionally `kind` (article, feed, sitemap, section), `match` and
  `tags` (comma-separated);
- TOML: `[[article]]` tables (`url`, `tags`) and `[[source]]` tables (`kind`, `url`, `match`,
  `tags`, `render`, `screenshot`), so a sources file (`redline sources --load`) is a watch list
  too;
- OPML: every `<outline xmlUrl=…>` is a feed; its `category` attribute gives tags.

Also used by `redline cluster add` (one reader for every command that takes a list of URLs).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from monitor.errors import ConfigError

# A watch list larger than this is refused (about 20,000 URLs with their tags).
MAX_LIST_BYTES = 2_000_000
# Entries of one list at most: an import is one transaction, and a page lists its results.
MAX_ENTRIES = 10_000
# Tags: letters, digits, spaces, `-` and `_`, up to this many characters ("city council").
MAX_TAG_CHARS = 40
_TAG = re.compile(r"[\w][\w \-]*", re.UNICODE)
KINDS = ("article", "feed", "sitemap", "section")
FORMATS = ("csv", "toml", "opml", "txt")


@dataclass(frozen=True)
class WatchEntry:
    """One line of a watch list, as given (the URL not yet checked)."""

    url: str
    kind: str = "article"
    match: str = ""
    tags: tuple[str, ...] = ()
    render: str = ""  # a source's: "browser" or "static" ("" leaves it as it is)
    screenshot: bool = False  # a source's: a screenshot with each new version of its articles


def parse_tags(text: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from "Council, elections" (or a list): trimmed, lower-case, unique, checked."""
    items = text.split(",") if isinstance(text, str) else list(text)
    tags: list[str] = []
    for item in items:
        tag = " ".join(str(item).split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_CHARS or not _TAG.fullmatch(tag):
            raise ConfigError(
                f"not a tag: {tag[:MAX_TAG_CHARS]!r} (letters, digits, spaces, - and _, "
                f"at most {MAX_TAG_CHARS} characters)"
            )
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _entry(url: object, kind: object, match: object, tags: object, where: str) -> WatchEntry:
    kind = str(kind or "article").strip().lower()
    if kind not in KINDS:
        raise ConfigError(f"{where}: unknown kind {kind!r} (one of {', '.join(KINDS)})")
    if not isinstance(url, str) or not url.strip():
        raise ConfigError(f"{where}: no url")
    if tags is None:
        tags = ()
    if not isinstance(tags, str | list | tuple):
        raise ConfigError(f"{where}: tags must be a list of strings")
    try:
        parsed = parse_tags(tags)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from error
    return WatchEntry(url.strip(), kind, str(match or ""), parsed)


def _plain(text: str, name: str) -> list[WatchEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(_entry(line, "article", "", (), f"{name} line {number}"))
    return entries


def _csv(text: str, name: str) -> list[WatchEntry]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "url" not in fields:
        raise ConfigError(f"{name}: a CSV watch list needs a `url` column")
    reader.fieldnames = fields
    return [
        _entry(
            row.get("url"),
            row.get("kind"),
            row.get("match"),
            row.get("tags") or "",
            f"{name} row {n}",
        )
        for n, row in enumerate(reader, start=2)
    ]


def _toml(text: str, name: str) -> list[WatchEntry]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name} is not valid TOML: {error}") from error
    entries = []
    for table, default_kind in (("article", "article"), ("source", "")):
        items = data.get(table, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ConfigError(f"{name}: use [[{table}]] tables")
        for number, item in enumerate(items, start=1):
            where = f"{name}: {table} {number}"
            kind = item.get("kind", default_kind)
            if table == "source" and kind == "article":
                raise ConfigError(f"{where}: a source is a feed, sitemap or section")
            url, match, tags = item.get("url"), item.get("match"), item.get("tags")
            if table == "article" and ("render" in item or "screenshot" in item):
                raise ConfigError(
                    f"{where}: render and screenshot go with a [[source]] "
                    "(an article's site: `redline add URL --render` or `--screenshot`)"
                )
            entry = _entry(url, kind, match, tags, where)
            entries.append(_rendering(entry, item, where) if table == "source" else entry)
    return entries


def _rendering(entry: WatchEntry, item: dict[str, Any], where: str) -> WatchEntry:
    """A source table's `render` and `screenshot` keys (as a sources file gives them)."""
    render, screenshot = item.get("render", ""), item.get("screenshot", False)
    if not isinstance(render, str):
        raise ConfigError(f"{where}: render must be a string")
    if not isinstance(screenshot, bool):
        raise ConfigError(f"{where}: screenshot must be true or false, not {screenshot!r}")
    return replace(entry, render=render.strip().lower(), screenshot=screenshot)


def _opml(text: str, name: str) -> list[WatchEntry]:
    # Python's expat refuses entity expansion attacks (billion laughs) since 3.7.1 / expat 2.4.
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise ConfigError(f"{name} is not valid OPML: {error}") from error
    return [
        _entry(node.get("xmlUrl"), "feed", "", node.get("category") or "", f"{name}: outline")
        for node in root.iter("outline")
        if node.get("xmlUrl")
    ]


def guess_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("opml", "xml") or text.lstrip().startswith("<"):
        return "opml"
    if suffix in ("csv", "toml"):
        return suffix
    first = text.lstrip().split("\n", 1)[0].lower()
    if first.startswith("url,") or first == "url":
        return "csv"
    if first.startswith("[["):
        return "toml"
    return "txt"


def read_watch_list(text: str, name: str = "watch list") -> list[WatchEntry]:
    """The entries of a watch list in any of the formats (guessed from `name`'s suffix, else
    from the text); a ConfigError naming the line when one is wrong."""
    if len(text.encode("utf-8")) > MAX_LIST_BYTES:
        raise ConfigError(f"{name} is larger than {MAX_LIST_BYTES:,} bytes")
    reader = {"opml": _opml, "csv": _csv, "toml": _toml, "txt": _plain}[guess_format(name, text)]
    entries = reader(text, name)
    if len(entries) > MAX_ENTRIES:
        raise ConfigError(f"{name} has {len(entries):,} entries; at most {MAX_ENTRIES:,} at once")
    return entries


def load_watch_list(path: Path) -> list[WatchEntry]:
    """A watch list file (`redline add --from FILE`)."""
    try:
        size = path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise ConfigError(f"{path} is larger than {MAX_LIST_BYTES:,} bytes")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text") from error
    return read_watch_list(text, str(path))


def watch_list_csv(entries: Iterable[WatchEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["url", "kind", "match", "tags"])
    for e in entries:
        writer.writerow([e.url, e.kind, e.match, ", ".join(e.tags)])
    return out.getvalue()


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def watch_list_toml(entries: Iterable[WatchEntry]) -> str:
    parts = ["# Redline watch list: `redline add --from FILE` reads it back.\n"]
    for e in entries:
        table = "article" if e.kind == "article" else "source"
        lines = [f"\n[[{table}]]"]
        if table == "source":
            lines.append(f"kind = {_toml_string(e.kind)}")
        lines.append(f"url = {_toml_string(e.url)}")
        if e.match:
            lines.append(f"match = {_toml_string(e.match)}")
        if e.render:
            lines.append(f"render = {_toml_string(e.render)}")
        if e.screenshot:
            lines.append("screenshot = true")
        lines.append("tags = [" + ", ".join(_toml_string(t) for t in e.tags) + "]")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


def feeds_opml(entries: Iterable[WatchEntry], title: str = "Redline feeds") -> str:
    """The feeds among the entries as OPML 2.0 (what feed readers import)."""
    outlines = [
        f'    <outline type="rss" text={quoteattr(e.url)} xmlUrl={quoteattr(e.url)}'
        + (f" category={quoteattr(','.join(e.tags))}" if e.tags else "")
        + "/>"
        for e in entries
        if e.kind == "feed"
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n'
        f"  <head><title>{title}</title></head>\n  <body>\n"
        + "".join(line + "\n" for line in outlines)
        + "  </body>\n</opml>\n"
    )


def write_watch_list(entries: list[WatchEntry], fmt: str) -> str:
    if fmt not in ("csv", "toml", "opml"):
        raise ConfigError(f"unknown watch-list format {fmt!r} (csv, toml or opml)")
    return {"csv": watch_list_csv, "toml": watch_list_toml, "opml": feeds_opml}[fmt](entries)
