"""What `redline add --render` and `redline sources` say about pages read in a browser."""

from __future__ import annotations

from sqlite_utils import Database

from monitor import store
from monitor.fetch.rendering import browser_problem
from monitor.store import rendering

__all__ = ["rendered_lines", "set_render", "set_screenshot"]


def set_render(db: Database, url: str, source_id: int | None, mode: str) -> str:
    """Read a source's articles (`source_id`) or an article's whole site in `mode`; the line
    saying so."""
    if source_id is not None:
        rendering.set_source_render(db, source_id, mode)
        what = "its articles"
    else:
        rendering.set_site_render(db, url, mode, "set by redline add --render", store.utc_now())
        what = f"every article of {store.site_of(url)}"
    line = f"{what}: read {'in a browser' if mode == 'browser' else 'with a plain fetch'}"
    problem = browser_problem() if mode == "browser" else ""
    return f"{line} (but {problem}: they cannot be read here)" if problem else line


def set_screenshot(db: Database, url: str, source_id: int | None, on: bool) -> str:
    """Screenshots with each new version of a source's articles or of `url`'s site: the line
    saying so."""
    rendering.set_screenshots(db, url, source_id, on)
    what = "its articles" if source_id is not None else f"every article of {store.site_of(url)}"
    if not on:
        return f"{what}: no screenshots"
    problem = browser_problem()
    line = f"{what}: a screenshot with each new version (read in a browser)"
    return f"{line} (but {problem}: none can be taken here)" if problem else line


def rendered_lines(db: Database) -> list[str]:
    """The sites read in a browser, with why and since when, and why they cannot be read here
    when no browser can be had."""
    sites = rendering.rendered_sites(db)
    shots = sorted(rendering.screenshot_sites(db))
    lines = [f"screenshots with each new version: {', '.join(shots)}"] if shots else []
    if not sites:
        return lines
    lines.append("read in a browser:")
    for row in sites:
        since = (row["render_since"] or "")[:10]
        why = row["render_reason"] or "set by the user"
        lines.append(f"  {row['site']}: {why} (since {since})")
    problem = browser_problem()
    if problem:
        lines.append(f"  these sites cannot be read here: {problem}")
    return lines
