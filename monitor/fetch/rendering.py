"""Pages that need a browser: how a site is read (`static` or `browser`), whether a static page
is a JavaScript shell (its article only exists once a script has run), and whether a browser can
be had here. `javascript_shell` is pure; `browser_problem` looks at the installation.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Iterator

__all__ = [
    "RENDER_MODES",
    "SHELL_MAX_TEXT",
    "browser_problem",
    "check_render",
    "find_chromium",
    "javascript_shell",
]

RENDER_MODES = ("static", "browser")
# A page with less visible text than this (outside scripts, styles and templates) and a script
# is a shell: the shortest real news briefs run to 400 characters and more, a shell's visible
# text is a "Loading…" or "enable JavaScript" line and a footer.
SHELL_MAX_TEXT = 200
# Only this much of a page is examined: a shell is small, and a long page is not one.
SHELL_SEARCH_BYTES = 512 * 1024
# The executables tried, in order, on PATH (Debian's package installs `chromium`).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# An explicit browser executable (a path), tried before BROWSERS.
CHROMIUM_ENV = "REDLINE_CHROMIUM"

# Where an invisible element or a comment opens, in a lowercased page. Each runs to its first
# `</name\s*>` (or `-->`); one that is never closed is not invisible (its text counts).
_INVISIBLE_OPEN = re.compile(rb"<(script|style|noscript|template|svg|head)\b|<!--")
_SPACE = frozenset(b" \t\n\r\f\v")
_TAG = re.compile(rb"<[^>]*>")
_SCRIPT = re.compile(rb"<script\b", re.I)
# `visible_text` looks whether it has read enough in the first this many bytes, then in twice
# as many each time: a few checks on a long page.
_VISIBLE_STEP = 4096


def check_render(value: str) -> str:
    """A render mode as given in a sources file or on the command line."""
    mode = value.strip().lower()
    if mode not in RENDER_MODES:
        raise ValueError(f"render must be one of {', '.join(RENDER_MODES)}, not {value!r}")
    return mode


def javascript_shell(body: bytes) -> str:
    """Why this page looks like a JavaScript shell (scripts, next to no visible text), or ""."""
    head = body[:SHELL_SEARCH_BYTES]
    if len(body) > SHELL_SEARCH_BYTES or not _SCRIPT.search(head):
        return ""
    visible = visible_text(head, enough=SHELL_MAX_TEXT)
    if len(visible) >= SHELL_MAX_TEXT:
        return ""
    return f"a JavaScript shell ({len(visible)} characters of text without its scripts)"


def visible_text(page: bytes, enough: int | None = None) -> str:
    """The text of `page` outside tags and invisible elements (`without_invisible`), its words
    joined by single spaces. With `enough`, reading may stop at a prefix of it at least that
    long: a real page shows that much in its first kilobytes, so most of it is never read."""
    kept: list[bytes] = []
    size, check_at = 0, _VISIBLE_STEP
    for piece in _visible_pieces(page):
        kept.append(piece)
        size += len(piece)
        while enough is not None and size >= check_at:
            prefix = b"".join(kept)[:check_at]
            check_at *= 2
            # Up to a `>`: every tag opened before it is closed by then, so the words found
            # in the prefix are all words of the whole page.
            words = _words(prefix[: prefix.rfind(b">") + 1])
            if len(words) >= enough:
                return words
    return _words(b"".join(kept))


def _words(markup: bytes) -> str:
    return " ".join(_TAG.sub(b" ", markup).decode("utf-8", "replace").split())


def without_invisible(page: bytes) -> bytes:
    """`page` with each script, style, noscript, template, svg and head element and each
    comment replaced by a space (tag names in any case). The same as the regular expression
    `<(script|…|head)\\b.*?</\\1\\s*>|<!--.*?-->` (re.S, re.I), found with `bytes.find`:
    that expression took about 1.2 ms a page, run on every page a check round fetches."""
    return b"".join(_visible_pieces(page))


def _visible_pieces(page: bytes) -> Iterator[bytes]:
    """`without_invisible` in pieces, in order."""
    lower = page.lower()
    start = search = 0
    while (opening := _INVISIBLE_OPEN.search(lower, search)) is not None:
        end = _invisible_end(lower, opening.group(1), opening.end())
        if end < 0:  # never closed: not an element to drop; look past its `<`
            search = opening.start() + 1
            continue
        yield page[start : opening.start()]
        yield b" "
        start = search = end
    yield page[start:]


def _invisible_end(lower: bytes, name: bytes | None, start: int) -> int:
    """Where the element `name` (None: a comment) opened before `start` ends, or -1."""
    if name is None:
        found = lower.find(b"-->", start)
        return found + 3 if found >= 0 else -1
    closing = b"</" + name
    while (found := lower.find(closing, start)) >= 0:
        after = found + len(closing)
        while after < len(lower) and lower[after] in _SPACE:
            after += 1
        if lower[after : after + 1] == b">":
            return after + 1
        start = found + 1
    return -1


def find_chromium() -> str | None:
    """The Chromium executable to drive, or None."""
    explicit = os.environ.get(CHROMIUM_ENV, "").strip()
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_problem() -> str:
    """Why no page can be rendered here, or "" when Chromium and scrapy-playwright are there."""
    if importlib.util.find_spec("scrapy_playwright") is None:
        return "scrapy-playwright is not installed (pip install -e '.[browser]')"
    if find_chromium() is None:
        return "Chromium is not installed (make browser-deps: apt-get install chromium)"
    return ""
