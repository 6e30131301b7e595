"""`redline demo` / `make demo`: the main job on the embedded default, a local news site.

Starts the demo site on 127.0.0.1, tracks its articles, crawls them with a real `scrapy crawl`,
switches the site to its next edition (real-looking edits plus boilerplate churn), crawls again,
and prints the edits found.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console

from monitor import store
from monitor.cli import render
from monitor.crawl import run_crawl
from monitor.demo.site import DemoSite
from monitor.errors import DatabaseError
from monitor.report import RoundMark
from monitor.store.rounds import changed_articles, round_report

# The demo site is ours and local: no need to wait between requests.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "INFO",
}


def _reset(db_path: Path) -> None:
    """Start from an empty database, but never delete one that watches anything but the demo."""
    if not db_path.exists():
        return
    db = store.open_db(db_path)
    try:
        foreign = [
            a["url"] for a in store.all_articles(db) if not a["site"].startswith("127.0.0.1")
        ]
    finally:
        db.close()
    if foreign:
        raise DatabaseError(
            f"{db_path} tracks {len(foreign)} real article(s); the demo will not overwrite it. "
            "Pass another file: redline --db data/demo.db demo"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)


def _crawl(console: Console, db_path: Path, label: str) -> None:
    started = time.monotonic()
    with console.status(f"{label}: scrapy crawl check -a all=true …"):
        result = run_crawl("check", db_path, {"all": "true"}, DEMO_SETTINGS, timeout=300)
    if result.returncode != 0:
        console.print(result.stdout[-3000:], markup=False)
        raise SystemExit(f"the crawl failed (exit {result.returncode})")
    console.print(f"{label}: done in {time.monotonic() - started:.1f} s")


def run_demo(db_path: Path, port: int = 0, console: Console | None = None) -> int:
    console = console or Console()
    db_path = Path(db_path)
    _reset(db_path)
    with DemoSite(port=port) as site:
        console.print(f"[bold]Demo news site[/bold] at {site.base_url} (edition 1)")
        db = store.open_db(db_path)
        now = store.utc_now()
        for url in site.article_urls():
            store.track_article(db, url, now)
        db.close()
        _crawl(console, db_path, "first crawl")
        site.edition = 2
        console.print("The site publishes its next edition: edits in articles, boilerplate churn.")
        _crawl(console, db_path, "second crawl")

    db = store.open_db(db_path)
    try:
        everything = RoundMark(0, 0)  # both crawls: every row of the fresh database
        outcomes = round_report(db, everything).outcomes
        rows = store.list_edits(db, significant_only=False)
        changes, stealth = changed_articles(db, everything)
    finally:
        db.close()
    console.print(
        "checks: " + ", ".join(f"{name} {count}" for name, count in sorted(outcomes.items()))
    )
    console.print(
        render.edits_table(
            rows, title=f"Edits found ({len(rows)})", marks=render.wants_marks(console)
        )
    )
    console.print(
        f"{changes} changed article(s), {stealth} with significant edits and no "
        "correction note (stealth)."
    )
    # A change id the reader can copy: the first significant one of the table above.
    change = next((r["change_id"] for r in rows if r.get("significant")), None)
    change = change if change is not None else (rows[0]["change_id"] if rows else "ID")
    console.print(
        f"\nLook further:\n"
        f"  redline --db {db_path} serve                browse every edit in Datasette\n"
        f"  redline --db {db_path} edits --all          every edit in the terminal\n"
        f"  redline --db {db_path} {'history ' + str(change):<21}versions of that article\n"
        f"  redline --db {db_path} {'diff ' + str(change):<21}word diff of change {change}\n"
        f"  redline --db {db_path} {'show ' + str(change):<21}the page as it was captured\n"
        f"  sqlite3 {db_path} 'select * from edits'      the raw tables",
        markup=False,
    )
    return 0
