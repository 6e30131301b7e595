"""The diff page in a real browser: headless Chromium loads pages from a real `redline serve`,
the highlighted words are in the DOM and painted on screen, and an article's hostile script and
image handler never run. Skips where Chromium or Playwright is absent (`make browser-deps`
installs Chromium; Playwright is in the test extra).

One Chromium serves the module (Playwright, through the system `chromium`), each page in a new
browser context of its own (no cookie, cache or storage shared between tests): starting Chromium
for every page cost about 1 s of CPU each, a fifth of the suite's browser time. One test still
takes its picture with `tools/screenshots.py`, the README pictures' own path."""

from __future__ import annotations

import struct
import urllib.parse
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor import store
from tests.test_serve import IMG, SCRIPT, Newsroom, build_newsroom
from tools.screenshots import find_chromium, screenshot, start_server, stop_server

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="Chromium is not installed (make browser-deps: apt-get install chromium)",
    ),
]

# What the hostile article's script and image handler would leave behind had they run.
SCRIPT_RAN = "owned-by-article"
IMG_RAN = "img-ran"
# The highlight colours of monitor/web/datasette/static/redline.css, as a screenshot paints them.
INS_BACKGROUND = (0xB7, 0xF0, 0xC4)
DEL_BACKGROUND = (0xFF, 0xC9, 0xC9)


# A page's bound on a loaded machine: a deadline to fail on a hang, not a timing claim (the
# command-line Chromium this replaced had 90 s for its whole run).
PAGE_MS = 90_000


def dump_dom(browser: Any, url: str) -> str:
    """The page's DOM once it loaded (its scripts ran, its images loaded or failed and their
    handlers ran), as `chromium --dump-dom` prints it; in a fresh context, closed after."""
    context = browser.new_context()
    context.set_default_timeout(PAGE_MS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        return str(page.evaluate("document.documentElement.outerHTML"))
    finally:
        context.close()


def shoot(browser: Any, url: str, out: Path, width: int, height: int) -> Path:
    """A picture of the page's first `width` x `height` CSS pixels, as `chromium --screenshot
    --window-size=W,H` takes it."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(PAGE_MS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.screenshot(path=str(out))
        return out
    finally:
        context.close()


# The hostile article's page as a crawl would have captured it (id set by `served`).
CAPTURED: dict[str, int] = {}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Newsroom, str]]:
    newsroom = build_newsroom(tmp_path_factory.mktemp("browser") / "redline.db")
    db = store.open_db(newsroom.path)
    try:
        page = f"<html><body><h1>Vote</h1><p>Kept text.</p>{SCRIPT}{IMG}</body></html>"
        CAPTURED["id"] = store.save_snapshot(
            db, page.encode(), "text/html; charset=utf-8", store.utc_now()
        )
    finally:
        db.close()
    server, base = start_server(newsroom.path)
    try:
        yield newsroom, base
    finally:
        stop_server(server)


def test_the_marker_detection_works_on_a_page_that_does_run_them(browser: Any) -> None:
    """The control: the same script and image, unescaped, do leave their markers."""
    page = f"<html><head><title>t</title></head><body><p>x</p>{SCRIPT}{IMG}</body></html>"
    dom = dump_dom(browser, "data:text/html," + urllib.parse.quote(page))
    assert SCRIPT_RAN in dom and IMG_RAN in dom


@pytest.mark.parametrize("page", ["diff", "compare", "edit_feed", "version_diffs"])
def test_hostile_article_code_never_runs(
    browser: Any, served: tuple[Newsroom, str], page: str
) -> None:
    newsroom, base = served
    path = {
        "diff": f"/-/redline/diff/{newsroom.hostile_change}",
        "compare": f"/-/redline/compare/{newsroom.hostile_article}/1/2",
        "edit_feed": f"/redline/edit_feed?change_id={newsroom.hostile_change}",
        "version_diffs": f"/redline/version_diffs?change_id={newsroom.hostile_change}",
    }[page]
    dom = dump_dom(browser, base + path)
    assert "<ins>15</ins>" in dom or "<ins>narrowly</ins>" in dom  # the page did render
    assert SCRIPT_RAN not in dom, f"the article's <script> ran on {path}"
    assert IMG_RAN not in dom, f"the article's onerror handler ran on {path}"
    assert "&lt;script&gt;document.title" in dom  # shown as text instead


def test_diff_page_highlights_the_changed_words(browser: Any, served: tuple[Newsroom, str]) -> None:
    newsroom, base = served
    dom = dump_dom(browser, f"{base}/-/redline/diff/{newsroom.hostile_change}")
    for fragment in (
        "<del>12</del>",
        "<ins>15</ins>",
        "<del>Neimann-Ortiz</del>",
        "<ins>Neumann-Ortiz</ins>",
        "<ins>narrowly</ins>",
    ):
        assert fragment in dom


def test_diff_page_paints_the_highlights(served: tuple[Newsroom, str], tmp_path: Path) -> None:
    """Taken with tools/screenshots.py (a Chromium of its own), the README pictures' path."""
    newsroom, base = served
    shot = screenshot(
        f"{base}/-/redline/diff/{newsroom.hostile_change}", tmp_path / "diff.png", 1000, 1000
    )
    colours = pixel_counts(shot)
    # Inserted and deleted words are visibly marked: several hundred pixels of each colour.
    assert colours[INS_BACKGROUND] > 300, colours.most_common(8)
    assert colours[DEL_BACKGROUND] > 300, colours.most_common(8)


def test_canned_query_highlights_and_links_in_the_browser(
    browser: Any, served: tuple[Newsroom, str], tmp_path: Path
) -> None:
    newsroom, base = served
    dom = dump_dom(browser, f"{base}/redline/name_corrections")
    assert "<del>Neimann-Ortiz</del>" in dom and "<ins>Neumann-Ortiz</ins>" in dom
    assert f'href="/-/redline/diff/{newsroom.hostile_change}"' in dom
    colours = pixel_counts(
        shoot(browser, f"{base}/redline/figure_changes", tmp_path / "figures.png", 1400, 700)
    )
    assert colours[INS_BACKGROUND] > 50 and colours[DEL_BACKGROUND] > 50, colours.most_common(8)


def test_captured_page_shows_the_capture_and_runs_nothing(
    browser: Any, served: tuple[Newsroom, str]
) -> None:
    _, base = served
    dom = dump_dom(browser, f"{base}/-/redline/snapshot/{CAPTURED['id']}")
    assert "SHA-256" in dom and "<iframe" in dom and "sandbox" in dom
    assert SCRIPT_RAN not in dom and IMG_RAN not in dom
    inner = dump_dom(browser, f"{base}/-/redline/snapshot/{CAPTURED['id']}/page")
    assert "Kept text." in inner
    assert SCRIPT_RAN not in inner and IMG_RAN not in inner


@pytest.mark.parametrize("path", ["/-/redline/diff/abc", "/-/redline/diff/999", "/redline/nosuch"])
def test_a_bad_address_gets_datasettes_own_error_page(
    browser: Any, served: tuple[Newsroom, str], path: str
) -> None:
    _, base = served
    dom = dump_dom(browser, base + path)
    assert "Internal Server Error" not in dom
    assert "<footer" in dom or "datasette" in dom.lower()  # Datasette's page, not a bare line


# --- a minimal PNG reader (8-bit RGB or RGBA, no interlace: what Chromium writes) ------------
def pixel_counts(path: Path) -> Counter[tuple[int, int, int]]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    width = height = channels = 0
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        chunk = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    counts: Counter[tuple[int, int, int]] = Counter()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + best) & 0xFF
        counts.update(zip(line[0::channels], line[1::channels], line[2::channels], strict=True))
        previous = line
    return counts
