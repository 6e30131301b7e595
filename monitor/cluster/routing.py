"""Articles and sources go to the shard of their domain: `redline cluster add`, `cluster sources
--load`, and the articles a discovery round found on another domain than its source's."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import psycopg

from monitor import store
from monitor.cluster import coordination
from monitor.cluster.coordination import ClusterConfig, Row
from monitor.cluster.shards import shard_of, shard_path
from monitor.fetch.addresses import Resolver, resolve_host, resolved_beforehand
from monitor.fetch.sources import SourceSpec

# Articles moved out of a shard after one discovery round, at most: a feed lists tens to a few
# hundred links; the rest moves after the next round.
REROUTE_LIMIT = 5000


def path_of(config: ClusterConfig, shard: int, directory: Path | None = None) -> Path:
    return shard_path(directory or config.directory, shard, config.shards)


def track_url(
    conn: psycopg.Connection[Row], config: ClusterConfig, url: str, now: datetime
) -> tuple[int, bool]:
    """Track a canonical article URL in its shard; returns (shard, created)."""
    shard = shard_of(url, config.shards)
    return shard, bool(track_urls(conn, config, [url], now).get(shard))


def track_urls(
    conn: psycopg.Connection[Row],
    config: ClusterConfig,
    urls: list[str],
    now: datetime,
    fetch_urls: dict[str, str] | None = None,
    resolve: Resolver = resolve_host,
) -> dict[int, int]:
    """Track canonical article URLs, each in its shard (every shard file opened once), fetched
    at `fetch_urls[url]` where given (as `redline add` does); returns {shard: articles created}.
    Every host is looked up (with `resolve`, once each) before any shard is written."""
    fetch = fetch_urls or {}
    resolve = resolved_beforehand(urls, resolve)
    by_shard: dict[int, list[str]] = defaultdict(list)
    for url in urls:
        by_shard[shard_of(url, config.shards)].append(url)
    created: dict[int, int] = {}
    for shard, group in sorted(by_shard.items()):
        db = store.open_db(path_of(config, shard))
        try:
            with store.write_transaction(db):  # one transaction a shard, a savepoint a URL
                created[shard] = sum(
                    store.track_article(db, url, now, fetch.get(url, ""), resolve)[1]
                    for url in group
                )
        finally:
            db.close()
        if created[shard]:
            coordination.mark_due(conn, shard, created[shard], now)
    return created


def add_source(
    conn: psycopg.Connection[Row], config: ClusterConfig, spec: SourceSpec, now: datetime
) -> tuple[int, bool]:
    """Register a source in its shard file (which the discover spider reads) and in Postgres."""
    shard = shard_of(spec.url, config.shards)
    db = store.open_db(path_of(config, shard))
    try:
        store.add_source(db, spec.kind, spec.url, spec.match, now)
    finally:
        db.close()
    return shard, coordination.add_source(conn, spec.kind, spec.url, spec.match, shard)


def summarize_shard(path: Path) -> store.ShardSummary:
    """How many articles a shard file tracks and when the first of them is next due."""
    if not path.is_file():
        return store.ShardSummary(0, None)
    db = store.open_db(path)
    try:
        return store.shard_summary(db)
    finally:
        db.close()


def reroute_discovered(config: ClusterConfig, shard: int) -> dict[int, int]:
    """Move the never-checked articles of `shard` whose domain belongs to another shard (a feed
    on one domain listing articles on another) to their own shard, each as it was: its source,
    fetch URL and trust (`store.move_articles`; discovery never names a host). Returns
    {shard: moved}."""
    source = store.open_db(path_of(config, shard))
    try:
        strays: dict[int, list[Row]] = defaultdict(list)
        for row in store.unchecked_articles(source, REROUTE_LIMIT):
            home = shard_of(row["url"], config.shards)
            if home != shard:
                strays[home].append(row)
        moved: dict[int, int] = {}
        name = path_of(config, shard).stem
        for home, rows in sorted(strays.items()):
            target = store.open_db(path_of(config, home))
            try:
                # Copied to its home shard first, then removed here: a crash in between leaves
                # the article in both files, never in neither (the next round removes the copy).
                moved[home] = store.move_articles(source, target, rows, name)
            finally:
                target.close()
            store.delete_unchecked(source, [row["id"] for row in rows])
    finally:
        source.close()
    return moved
