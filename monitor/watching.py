"""What is watched, changed the same way from the terminal and from the watch desk: add
articles and sources (with tags), pause, resume and remove them, tag them, export the list.

Every function validates first (URLs, kinds, patterns, tags), raising a `RedlineError` that
names the problem, and only then writes, so a list with one bad line changes nothing. Each
returns the lines to show the person who asked (the CLI prints them, the desk shows them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path

from sqlite_utils import Database

from monitor import store
from monitor.cluster.shards import other_shard_files
from monitor.errors import ConfigError, InvalidURLError, UnknownArticleError
from monitor.fetch.addresses import Resolver, resolve_host, resolved_beforehand
from monitor.fetch.rendering import check_render
from monitor.fetch.sources import make_source
from monitor.fetch.urls import check_url
from monitor.fetch.watch_list import WatchEntry, parse_tags
from monitor.store import rendering, watch
from monitor.store import tags as store_tags
from monitor.store.lookup import find_target

STATE_VERBS = {"on": "watching", "paused": "paused", "removed": "removed"}


@dataclass(frozen=True)
class Checked:
    """A watch-list entry once validated: its canonical URL (the key) and the URL to fetch."""

    entry: WatchEntry
    key: str
    fetch_url: str


def check_entries(entries: list[WatchEntry]) -> list[Checked]:
    """Every entry validated, or a ConfigError naming the first bad one (nothing written)."""
    checked = []
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} ({entry.url[:80]})"
        try:
            if entry.kind == "article":
                if entry.match:
                    raise ConfigError("a match pattern goes with a section source")
                checked.append(Checked(entry, check_url(entry.url), entry.url.strip()))
            else:
                spec = make_source(entry.kind, entry.url, entry.match, entry.render)
                checked.append(Checked(entry, spec.url, spec.url))
        except (ConfigError, InvalidURLError) as error:  # name the entry when there are many
            raise type(error)(str(error) if len(entries) == 1 else f"{where}: {error}") from error
    return checked


def add_entries(
    db: Database, entries: list[WatchEntry], now: datetime, resolve: Resolver = resolve_host
) -> list[str]:
    """Track the articles and add the sources of a watch list (with their tags): one line each.
    Every host is looked up (with `resolve`, once each) before the write transaction."""
    checked = check_entries(entries)
    resolve = resolved_beforehand([item.key for item in checked], resolve)
    lines = []
    with store.write_transaction(db):
        for item in checked:
            entry = item.entry
            if entry.kind == "article":
                # The canonical form is the key; the URL is fetched as given (servers may answer
                # the canonical form, parameters sorted or re-encoded, with another page).
                row, created = store.track_article(
                    db, item.key, now, fetch_url=item.fetch_url, resolve=resolve
                )
                store_tags.add_tags(db, "article", [int(row["id"])], entry.tags)
                line = f"{'tracking' if created else 'already tracked'}: {item.key}"
            else:
                row, created = store.add_source(
                    db, entry.kind, item.key, entry.match, now, resolve=resolve
                )
                store_tags.add_tags(db, "source", [int(row["id"])], entry.tags)
                line = f"{'added' if created else 'already a'} {entry.kind} source: {item.key}"
                line += _source_rendering(db, int(row["id"]), item)
            lines.append(line + (f" (tags: {', '.join(entry.tags)})" if entry.tags else ""))
    return lines


def _source_rendering(db: Database, source_id: int, item: Checked) -> str:
    """A source entry's `render` and `screenshot` (a sources file's keys) applied; what the
    line about the source adds ("" when it gives neither)."""
    entry, notes = item.entry, []
    if entry.render:
        mode = check_render(entry.render)
        rendering.set_source_render(db, source_id, mode)
        notes.append(f"read {'in a browser' if mode == 'browser' else 'with a plain fetch'}")
    if entry.screenshot:
        rendering.set_screenshots(db, item.key, source_id, True)
        notes.append("a screenshot with each new version")
    return f" ({'; '.join(notes)})" if notes else ""


def set_state(
    db: Database,
    state: str,
    *,
    ref: str = "",
    source: str = "",
    site: str = "",
    purge: bool = False,
) -> list[str]:
    """Watch, pause or remove one article (`ref`: URL or id), one source and the articles it
    found, or a whole site (pause and resume only); `purge` deletes the history too."""
    given = [x for x in (ref, source, site) if x]
    if len(given) != 1:
        raise ConfigError("give one of URL|ID, --source or --site")
    if site:
        if state == "removed":
            raise ConfigError("a whole site can be paused or resumed, not removed")
        return _set_site_state(db, site, "paused" if state == "paused" else "on")
    if source:
        row = watch.find_source(db, source)
        lines = _set_source_state(db, row, state, purge, "")
        for other, copy, shard in _source_copies(db, row):
            lines += _set_source_state(other, copy, state, purge, shard)
        return lines
    article = find_target(db, ref).article
    watch.set_article_watch(db, int(article["id"]), state)
    lines = [f"{STATE_VERBS[state]} a{article['id']}: {article['url']}"]
    if state == "removed" and not purge:
        lines.append("its history is kept (`--purge` deletes it)")
    if purge:
        counts = watch.purge_article(db, int(article["id"]))
        lines.append("purged: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
    return lines


def _set_site_state(db: Database, site: str, state: str) -> list[str]:
    """A site paused or watched again (`state`) in `db` and in every other shard of its cluster
    that holds it: the one a site's articles live in is its domain's shard, whichever shard the
    person named. (A copy of the site's source elsewhere holds articles of other sites only,
    which a site's pause does not stop, in a cluster as in one database.)"""
    verb = "paused" if state == "paused" else "watching"
    lines: list[str] = []
    for here, shard in chain([(db, "")], _other_shards(db)):  # each shard open in its turn
        sites = watch.sites_matching(here, site)
        if sites:
            watch.set_site_watch(here, sites, state)
            there = f" in {shard}" + (" too" if lines else "") if shard else ""
            lines.append(f"{verb} site {', '.join(sites)}{there}")
    if not lines:
        raise UnknownArticleError(f"no site {site} is tracked")
    return lines


def _other_shards(db: Database) -> Iterator[tuple[Database, str]]:
    """The other shards of the cluster `db` is a shard of, each open while the caller uses it,
    with its name; none outside a cluster."""
    here = store.database_file(db)
    if here is None:
        return
    for path in other_shard_files(here):
        other = store.open_db(path)
        try:
            yield other, path.stem
        finally:
            other.close()


def _source_copies(db: Database, row: store.Row) -> Iterator[tuple[Database, store.Row, str]]:
    """The source `row` of `db` in the other shards of its cluster: each shard's database (open
    while the caller uses it), its row of the source, and the shard's name. None outside a
    cluster. The source's articles on other domains moved to their own shards, each with a copy
    of the source (`store.move_articles`, `read_by`: the shard that reads it): there they are
    checked, so what is done to the source (its state, its tags) goes to every copy."""
    reader = row["read_by"] or (store.database_file(db) or Path()).stem
    for other, shard in _other_shards(db):
        copy = watch.source_by_url(other, row["url"])
        if copy is not None and (copy["read_by"] or shard) == reader:
            yield other, copy, shard


def _set_source_state(
    db: Database, row: store.Row, state: str, purge: bool, shard: str
) -> list[str]:
    """One database's row of a source set to `state` (and its articles' history purged): the
    lines to show, naming the `shard` when it is another shard of the cluster."""
    watch.set_source_watch(db, int(row["id"]), state)
    articles = watch.source_article_ids(db, int(row["id"]))
    effect = "checked again" if state == "on" else "no longer checked"
    what = f"it in {shard} too" if shard else f"{row['kind']} source {row['id']}: {row['url']}"
    there = " there" if shard else ""
    lines = [f"{STATE_VERBS[state]} {what} ({len(articles)} article(s) it found{there} {effect})"]
    if purge:
        for article_id in articles:
            watch.purge_article(db, article_id)
        lines.append(
            f"purged the history of {len(articles)} article(s)" + (f" in {shard}" if shard else "")
        )
    return lines


def tag(
    db: Database, tags: str, *, ref: str = "", source: str = "", remove: bool = False
) -> list[str]:
    """Add (or `remove`) comma-separated tags on an article (URL or id) or a source."""
    parsed = parse_tags(tags)
    if not parsed:
        raise ConfigError("no tag given")
    if bool(ref) == bool(source):
        raise ConfigError("give one of URL|ID or --source")
    labels = []
    if source:
        row = watch.find_source(db, source)
        _change_tags(db, "source", int(row["id"]), parsed, remove)
        labels.append(f"{row['kind']} source {row['id']}")
        # its articles that moved to other shards carry its tags there (`_source_copies`)
        for other, copy, shard in _source_copies(db, row):
            _change_tags(other, "source", int(copy["id"]), parsed, remove)
            labels.append(f"it in {shard} too")
    else:
        article = find_target(db, ref).article
        _change_tags(db, "article", int(article["id"]), parsed, remove)
        labels.append(f"a{article['id']}")
    verb = "untagged" if remove else "tagged"
    return [f"{verb} {label}: {', '.join(parsed)}" for label in labels]


def _change_tags(db: Database, kind: str, item: int, tags: tuple[str, ...], remove: bool) -> None:
    if remove:
        store_tags.remove_tags(db, kind, [item], tags)
    else:
        store_tags.add_tags(db, kind, [item], tags)


def export_entries(db: Database, tag_name: str = "") -> list[WatchEntry]:
    """What is watched or paused (not removed), as a watch list: sources then articles; with
    `tag_name`, only what carries it."""
    source_tags = store_tags.source_tags(db)
    entries = [
        WatchEntry(
            row["url"],
            row["kind"],
            row["match"] or "",
            tuple(source_tags.get(row["id"], [])),
            row.get("render") or "",
            bool(row.get("screenshot")),
        )
        for row in store.all_sources(db)
        if (row.get("watch") or "on") != "removed"
    ]
    if tag_name:
        entries = [e for e in entries if tag_name in e.tags]
    own = store_tags.article_tags(db)
    for row in store_tags.watch_listing(db, tag=tag_name):
        if row["state"] != "removed" and row["source_id"] is None:  # a source brings the rest
            entries.append(WatchEntry(row["url"], "article", "", tuple(own.get(row["id"], []))))
    return entries
