"""Pages that need a browser: how a site is read (`static` or `browser`), whether a static page
is a JavaScript shell (its article only exists once a script has run), and whether a browser can
be had here. `javascript_shell` is pure; `browser_problem` looks at the installation.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil

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

_INVISIBLE = re.compile(
    rb"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I
)
_TAG = re.compile(rb"<[^>]*>")
_SCRIPT = re.compile(rb"<script\b", re.I)


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
    text = _TAG.sub(b" ", _INVISIBLE.sub(b" ", head))
    visible = " ".join(text.decode("utf-8", "replace").split())
    if len(visible) >= SHELL_MAX_TEXT:
        return ""
    return f"a JavaScript shell ({len(visible)} characters of text without its scripts)"


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
