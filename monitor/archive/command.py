"""`redline backfill`: an article's past versions from a web archive (see
`monitor.archive.backfill` for what becomes a version and where it goes)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import click
from sqlite_utils import Database

from monitor import store
from monitor.archive.backfill import (
    MAX_CAPTURES,
    BackfillPlan,
    KnownFirst,
    decide_backfill,
    list_captures,
    read_capture,
    select_captures,
)
from monitor.archive.client import ArchiveClient
from monitor.compare.edit import summarize
from monitor.config import ArchiveConfig, load_config
from monitor.errors import ArchiveError, RedlineError, StalePlanError
from monitor.record.page import Comparer, Extractor, extract_in_process
from monitor.record.versions import RawPage, compare_versions
from monitor.store.backfill import apply_backfill
from monitor.store.lookup import REF_HELP, find_target

__all__ = ["backfill_article", "backfill_command", "client_for"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackfillResult:
    plan: BackfillPlan
    version_ids: list[int]


def client_for(config: ArchiveConfig) -> ArchiveClient:
    return ArchiveClient(interval=config.interval, retries=config.retries, timeout=config.timeout)


def _known_first(db: Database, article_id: int, extract: Extractor) -> KnownFirst | None:
    """The article's first stored version, as the installed extractor reads its raw page when
    it was extracted by another (the captures are, so that the link between them is not an
    extractor upgrade); the stored row itself is refreshed by the next crawl or `reextract`."""
    from monitor.extract.article import extractor_version
    from monitor.record.reextract import refreshed_text

    rows = list(
        db.query("select * from versions where article_id = ? order by seq limit 1", [article_id])
    )
    if not rows:
        return None
    row = rows[0]
    page = None
    text, fingerprint = store.article_from_row(row), row["content_hash"]
    if row["snapshot_id"]:
        page = RawPage(*store.load_snapshot_page(db, int(row["snapshot_id"])))
        made_by = f"{row['extractor']} {row['extractor_version']}"
        if made_by != extractor_version():
            text, fingerprint = refreshed_text(
                row, extract(page.body, row["url"], page.content_type)
            )
    return KnownFirst(
        int(row["id"]),
        int(row["seq"]),
        datetime.fromisoformat(row["captured_at"]),
        fingerprint,
        text,
        page,
    )


def backfill_article(
    db: Database,
    article: store.Row,
    client: ArchiveClient,
    base: str,
    since: datetime | None = None,
    limit: int = MAX_CAPTURES,
    extract: Extractor = extract_in_process,
    comparer: Comparer = compare_versions,
) -> BackfillResult:
    """List, replay, decide, then write one article's past versions."""
    from monitor.extract.article import extractor_version

    article_id = int(article["id"])
    first = _known_first(db, article_id, extract)
    mementos = frozenset(
        row["memento_url"]
        for row in db.query(
            "select memento_url from versions where article_id = ? and memento_url is not null",
            [article_id],
        )
    )
    count = db.execute(
        "select count(*) from versions where article_id = ?", [article_id]
    ).fetchone()[0]
    captures = list_captures(client, base, article["url"], since)
    before = first.captured_at if first else None
    chosen, skipped = select_captures(captures, before, since, mementos, base, limit)
    pages = [read_capture(client, base, capture, extract) for capture in chosen]
    plan = decide_backfill(
        article_id, int(count), first, pages, skipped, extractor_version(), comparer
    )
    return BackfillResult(plan, apply_backfill(db, plan))


def _report(result: BackfillResult, url: str) -> None:
    plan = result.plan
    added = len(plan.versions)
    click.echo(
        f"{url}: {added} archived version{'s' if added != 1 else ''} added, "
        f"{len(plan.skipped)} capture{'s' if len(plan.skipped) != 1 else ''} skipped"
    )
    for seq, past in enumerate(plan.versions, start=1):
        edits = past.edits_to_next.edits
        step = ""
        if seq < added or plan.links_known:
            step = f"; to v{seq + 1}: {summarize(list(edits)) if edits else 'no edit'}"
        click.echo(
            f"  v{seq} {past.page.capture.captured_at:%Y-%m-%d %H:%M} {past.page.memento}{step}"
        )
    for skip in plan.skipped:
        click.echo(f"  skipped {skip.capture.timestamp}: {skip.reason}")


@click.command(
    name="backfill",
    help="Add an article's past versions from the Wayback Machine (URL|ID is " + REF_HELP + ").",
)
@click.argument("ref", metavar="URL|ID", required=False)
@click.option("--all", "every", is_flag=True, help="Every watched article.")
@click.option(
    "--since",
    metavar="DATE",
    help="Only captures from this date on (ISO 8601, or a duration back from now such as 30d).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, MAX_CAPTURES),
    default=MAX_CAPTURES,
    show_default=True,
    help="Replay at most this many captures per article (the newest before its first version).",
)
@click.pass_context
def backfill_command(
    ctx: click.Context, ref: str | None, every: bool, since: str | None, limit: int
) -> None:
    from monitor.cli.app import _open_existing, _since

    if bool(ref) == every:
        raise click.UsageError("give one article (URL or id) or --all")
    start = _since(since) if since else None
    try:
        config = load_config(ctx.obj.get("config")).archive
        db = _open_existing(ctx)
        if every:
            articles = list(db.query("select * from articles where watch = 'on' order by id"))
        else:
            articles = [find_target(db, ref or "").article]
    except RedlineError as error:
        raise click.ClickException(str(error)) from error
    client = client_for(config)
    failed = 0
    for article in articles:
        try:
            result = backfill_article(db, article, client, config.base_url, start, limit)
        except (ArchiveError, StalePlanError) as error:
            failed += 1
            click.echo(f"{article['url']}: {error}", err=True)
            continue
        _report(result, article["url"])
    if failed:
        raise click.ClickException(f"{failed} of {len(articles)} articles could not be backfilled")
