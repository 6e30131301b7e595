"""The database schema, written down as sqlite-utils migrations. Applied by `store.open_db`.

Tables are named for what a person browsing them in Datasette expects: `articles` (what is watched),
`checks` (every fetch), `versions` (every distinct text), `snapshots` (raw pages, compressed,
deduplicated), `changes` (one per new version or lifecycle event) and `edits` (what changed, named).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.db import Table
from sqlite_utils.migrations import Migrations

from monitor.fetch.addresses import host_of

MIGRATIONS = Migrations("redline")


def _table(db: Database, name: str) -> Table:
    table = db[name]
    assert isinstance(table, Table)
    return table


@MIGRATIONS()
def m001_initial(db: Database) -> None:
    """Articles, checks, snapshots, versions, changes and edits."""
    _table(db, "articles").create(
        {
            "id": int,
            "url": str,
            "site": str,
            "status": str,  # active, removed, redirected, expired
            "title": str,
            "first_seen": str,
            "last_checked": str,
            "last_changed": str,
            "next_check": str,
            "etag": str,
            "last_modified": str,
            "last_page_hash": str,  # SHA-256 of the last raw page: identical bytes skip extraction
            "version_count": int,
            "redirected_to": str,
        },
        pk="id",
        not_null={"url", "site", "status", "first_seen", "version_count"},
        defaults={"status": "active", "version_count": 0},
    )
    _table(db, "articles").create_index(["url"], unique=True)
    _table(db, "articles").create_index(["next_check"])
    _table(db, "snapshots").create(
        {
            "id": int,
            "sha256": str,
            "content": bytes,  # raw page, Zstandard (older rows zlib: `decompress_page`)
            "size": int,
            "stored_size": int,
            "content_type": str,
            "first_seen": str,
        },
        pk="id",
        not_null={"sha256", "content", "size", "stored_size"},
    )
    _table(db, "snapshots").create_index(["sha256"], unique=True)
    _table(db, "versions").create(
        {
            "id": int,
            "article_id": int,
            "seq": int,
            "captured_at": str,
            "url": str,
            "title": str,
            "byline": str,
            "published": str,
            "modified": str,
            "body": str,
            "content_hash": str,
            "extractor": str,
            "extractor_version": str,
            "snapshot_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("snapshot_id", "snapshots", "id")],
        not_null={"article_id", "seq", "captured_at", "body", "content_hash"},
    )
    _table(db, "versions").create_index(["article_id", "seq"], unique=True)
    _table(db, "versions").create_index(["content_hash"])
    _table(db, "checks").create(
        {
            "id": int,
            "article_id": int,
            "checked_at": str,
            "url": str,  # the URL finally answered, after redirects
            "http_status": int,
            "outcome": str,
            "reason": str,
            "version_id": int,
            "snapshot_id": int,
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("version_id", "versions", "id"),
            ("snapshot_id", "snapshots", "id"),
        ],
        not_null={"article_id", "checked_at", "outcome"},
    )
    _table(db, "checks").create_index(["article_id", "checked_at"])
    _table(db, "checks").create_index(["outcome"])
    _table(db, "changes").create(
        {
            "id": int,
            "article_id": int,
            "old_version_id": int,
            "new_version_id": int,
            "detected_at": str,
            "summary": str,
            "kinds": str,  # comma-separated edit kinds, for quick filtering
            "significant": int,  # number of significant edits
            "stealth": int,  # 1 when significant edits came without a correction note
        },
        pk="id",
        foreign_keys=[
            ("article_id", "articles", "id"),
            ("old_version_id", "versions", "id"),
            ("new_version_id", "versions", "id"),
        ],
        not_null={"article_id", "detected_at", "summary"},
    )
    _table(db, "changes").create_index(["article_id", "detected_at"])
    _table(db, "changes").create_index(["detected_at"])
    _table(db, "edits").create(
        {
            "id": int,
            "change_id": int,
            "article_id": int,
            "position": int,
            "kind": str,
            "field": str,
            "old": str,
            "new": str,
            "old_sentence": str,
            "new_sentence": str,
            "significant": int,
            "score": float,
            "reasons": str,  # JSON list
            "old_paragraph": int,
            "new_paragraph": int,
        },
        pk="id",
        foreign_keys=[("change_id", "changes", "id"), ("article_id", "articles", "id")],
        not_null={"change_id", "article_id", "kind", "field"},
    )
    _table(db, "edits").create_index(["change_id"])
    _table(db, "edits").create_index(["kind"])


@MIGRATIONS()
def m002_sources(db: Database) -> None:
    """Where articles are discovered: feeds, sitemaps and section pages."""
    _table(db, "sources").create(
        {
            "id": int,
            "kind": str,  # feed, sitemap, section
            "url": str,
            "match": str,  # section pages: regex an article link must match
            "added_at": str,
            "last_discovered": str,
            "articles_found": int,
        },
        pk="id",
        not_null={"kind", "url", "added_at"},
        defaults={"articles_found": 0},
    )
    _table(db, "sources").create_index(["url"], unique=True)
    _table(db, "articles").add_column("source_id", int, fk="sources", fk_col="id")


@MIGRATIONS()
def m003_views_and_search(db: Database) -> None:
    """Views for people (edit feed, article timeline, version diffs, removed text) and FTS5
    indexes over version text and removed or replaced text, kept in sync by triggers."""
    from monitor.store.views import create_search_v1, create_views_v1

    create_views_v1(db)
    create_search_v1(db)


@MIGRATIONS()
def m004_alerts(db: Database) -> None:
    """One row per notification: a change's matching edits sent (or to be sent) to one target."""
    _table(db, "alerts").create(
        {
            "id": int,
            "change_id": int,
            "target": str,  # the target's name in the configuration, never its URL (secrets)
            "rules": str,  # comma-separated names of the rules that matched
            "edit_ids": str,  # JSON list of the matching edits
            "title": str,
            "body": str,  # the message exactly as sent
            "status": str,  # pending, sent, failed (gave up after the last attempt)
            "attempts": int,
            "created_at": str,
            "next_attempt_at": str,
            "last_attempt_at": str,
            "sent_at": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("change_id", "changes", "id")],
        not_null={"change_id", "target", "status", "attempts", "created_at"},
        defaults={"status": "pending", "attempts": 0},
    )
    _table(db, "alerts").create_index(["change_id", "target"], unique=True)
    _table(db, "alerts").create_index(["target", "status", "next_attempt_at"])
    _table(db, "alerts").create_index(["target", "sent_at"])


@MIGRATIONS()
def m005_indexes_for_scale(db: Database) -> None:
    """Indexes the 1M-version benchmark asked for (bench/store.py): edit lists ordered by change
    (ids follow detection order), filtered by kind, article, significance or site."""
    _table(db, "edits").create_index(["kind", "change_id"], find_unique_name=True)
    _table(db, "edits").create_index(["significant", "change_id"], find_unique_name=True)
    _table(db, "edits").create_index(["article_id", "change_id"], find_unique_name=True)
    _table(db, "articles").create_index(["site"], find_unique_name=True)


@MIGRATIONS()
def m006_site_on_edits(db: Database) -> None:
    """Each edit carries its article's site, so the edits of one site are an index walk in change
    order whatever the site's share of the store (`redline edits --site` on the most popular of
    200 sites at 1M versions: 4.1 s before). Edits of the headline get a partial index: they are
    a few percent of all edits, and "headline changes" must not scan the rest."""
    _table(db, "edits").add_column("site", str)
    db.execute(
        "update edits set site = (select site from articles where articles.id = edits.article_id)"
    )
    _table(db, "edits").create_index(["site", "change_id"], find_unique_name=True)
    db.execute(
        "create index if not exists idx_edits_title_change_id on edits (change_id) "
        "where field = 'title'"
    )


@MIGRATIONS()
def m007_edit_counts_on_articles(db: Database) -> None:
    """Each article carries its number of significant edits, of changes that have some, and the
    time of the last such change, recounted by triggers on `changes` whatever writes them (a new
    change, a re-extraction that rewrites its edits, a deletion). "Most edited articles" then reads
    each site's top articles from an index instead of counting every edit in the window (1.9 s at
    1M versions before, 22 ms after)."""
    articles = _table(db, "articles")
    articles.add_column("significant_edits", int, not_null_default=0)
    articles.add_column("edited_changes", int, not_null_default=0)
    articles.add_column("last_edit", str)
    db.execute(RECOUNT_ARTICLE_EDITS)
    triggers = {
        "changes_count_insert": ("insert", "new.article_id"),
        "changes_count_update": (
            "update of article_id, significant, detected_at",
            "old.article_id, new.article_id",
        ),
        "changes_count_delete": ("delete", "old.article_id"),
    }
    for name, (event, ids) in triggers.items():
        db.execute(
            f"create trigger {name} after {event} on changes begin "
            f"update articles set {_EDIT_COUNTS} where articles.id in ({ids}); end"
        )
    # Per site, most edited first: the canned query walks it for each site's top articles.
    articles.create_index(["site", "significant_edits", "last_edit"], find_unique_name=True)


# The recount behind m007's columns, for one article (the changes index on article_id serves it).
_EDIT_COUNTS = (
    "(significant_edits, edited_changes, last_edit) = ("
    "select coalesce(sum(changes.significant), 0), count(*), max(changes.detected_at) "
    "from changes where changes.article_id = articles.id and changes.significant > 0)"
)
# Every article recounted: the migration's backfill, and what a bulk load without the triggers
# must run afterwards (bench/store.py).
RECOUNT_ARTICLE_EDITS = f"update articles set {_EDIT_COUNTS}"


@MIGRATIONS()
def m008_fetch_url_failures_and_sites(db: Database) -> None:
    """Crawl correctness: each article keeps the URL to fetch as given or discovered beside its
    canonical key (`url`), its consecutive failed checks (for back-off) and the hash of the last
    page whose extraction failed (identical bytes are not extracted again); `sites` holds what a
    site as a whole asked for (Retry-After) or earned (every page failing)."""
    articles = _table(db, "articles")
    articles.add_column("fetch_url", str)
    articles.add_column("failures", int, not_null_default=0)
    articles.add_column("failed_page_hash", str)
    _table(db, "sites").create(
        {"site": str, "failures": int, "hold_until": str, "hold_reason": str},
        pk="site",
        not_null={"failures"},
        defaults={"failures": 0},
    )


@MIGRATIONS()
def m009_capped_changes(db: Database) -> None:
    """A change whose comparison hit a limit (size, or the comparison's time limit) says which in
    `capped`: its edits are one coarse `too_many_changes` edit, and it is never compared again
    (`redline reextract` keeps it as it is). Checks are indexed by time, so "the last day's
    checks per site" (`redline sources`, the `site_health` canned query) reads only those."""
    _table(db, "changes").add_column("capped", str)
    _table(db, "checks").create_index(["checked_at"], find_unique_name=True)


@MIGRATIONS()
def m010_named_hosts(db: Database) -> None:
    """The hosts the user named (an article added with `redline add`, a source): the crawler may
    reach them even on a private address, and only them (`crawler.guard`). Filled from the
    sources and the articles no source discovered, which only a user adds."""
    _table(db, "named_hosts").create(
        {"host": str, "named_at": str, "url": str}, pk="host", not_null={"host", "named_at"}
    )
    rows = list(
        db.query(
            "select url, added_at as at from sources "
            "union all select url, first_seen as at from articles where source_id is null"
        )
    )
    _table(db, "named_hosts").insert_all(
        ({"host": host_of(row["url"]), "named_at": row["at"], "url": row["url"]} for row in rows),
        ignore=True,
    )


@MIGRATIONS()
def m016_headline_variants(db: Database) -> None:
    """Headline and standfirst variants: every wording a field was put up with and when
    (`headline_runs`), and every A/B test recognised among them (`headline_tests`: its variants,
    when it started and ended, and how). See `monitor.compare.variants`."""
    _table(db, "headline_runs").create(
        {
            "id": int,
            "article_id": int,
            "field": str,  # title or standfirst
            "text": str,
            "seen_at": str,  # when this wording was put up (found at a check)
            "with_body": int,  # 1 when the article's text changed with it (a revert, not a test)
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "field", "text", "seen_at"},
    )
    _table(db, "headline_runs").create_index(["article_id", "field", "id"])
    _table(db, "headline_tests").create(
        {
            "id": int,
            "article_id": int,
            "field": str,
            "started_at": str,  # when its first variant was put up
            "detected_at": str,  # the check that recognised it
            "last_flip": str,
            "ended_at": str,  # null while it runs
            "ended_on": str,  # the wording it ended on
            "ending": str,  # settled (on one of its variants) or new wording
            "variant_count": int,
            "variants": str,  # JSON: [{text, first_seen, last_seen, times}]
            "summary": str,  # "headline test: 2 variants since 14:02"
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "field", "started_at", "detected_at"},
    )
    _table(db, "headline_tests").create_index(["article_id", "field", "ended_at"])


@MIGRATIONS()
def m017_live_posts(db: Database) -> None:
    """Live pages: `articles.live` marks a page recognised as a live blog (it gets the live
    revisit tier), and `live_posts` keeps its posts one by one: when each was published, first
    and last seen, and whether it was edited or deleted after publication. The `live_blog_posts`
    view lists them for Datasette. See `monitor.extract.liveblog` and `monitor.compare.posts`."""
    _table(db, "articles").add_column("live", int, not_null_default=0)
    _table(db, "live_posts").create(
        {
            "id": int,
            "article_id": int,
            "post_key": str,  # the page's id for the post, else its time
            "published": str,  # as the page gives it
            "headline": str,
            "text": str,  # as last seen
            "first_text": str,  # as first seen (differs once edited)
            "first_seen": str,
            "last_seen": str,
            "state": str,  # live, edited, deleted, paged_out
            "edited_at": str,  # when a change or deletion was found
            "change_id": int,  # the change that flagged it
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "post_key", "text", "first_seen", "state"},
        defaults={"state": "live"},
    )
    _table(db, "live_posts").create_index(["article_id", "post_key"], unique=True)
    from monitor.store.views import create_live_views_v1

    create_live_views_v1(db)


@MIGRATIONS()
def m018_response_headers(db: Database) -> None:
    """The HTTP response headers of every capture that kept its raw page (JSON: a list of
    [name, value] pairs as received), for the captured-page view and WARC export. Captures made
    before this migration have none (NULL): the view and the export say so."""
    _table(db, "checks").add_column("response_headers", str)


@MIGRATIONS()
def m019_watch_state(db: Database) -> None:
    """Watch management: an article, a source or a whole site is watched (`on`), `paused`, or
    (articles and sources) `removed` by the user; only `on` is checked or read. The history
    stays (`redline remove --purge` deletes it)."""
    for name in ("articles", "sources"):
        _table(db, name).add_column("watch", str, not_null_default="on")
    _table(db, "sites").add_column("watch", str, not_null_default="on")


@MIGRATIONS()
def m020_views_for_reading(db: Database) -> None:
    """`edit_feed`, `article_timeline` and `version_diffs` again, the columns a reader needs first
    (highlighted text, headline, diff and captured-page links) and the new version's
    `snapshot_id` in every row; `significant` is the edit's flag in `edit_feed`, and the count of
    a change's significant edits is `significant_edits` everywhere."""
    from monitor.store.views import create_views_v2

    create_views_v2(db)


@MIGRATIONS()
def m021_digests(db: Database) -> None:
    """Digest alerts: one message per target per period (`alerts.digest_every`) of the
    significant edits its rules match, grouped by site; a period is sent once."""
    _table(db, "digests").create(
        {
            "id": int,
            "target": str,
            "period_start": str,
            "period_end": str,
            "edit_count": int,
            "title": str,
            "body": str,
            "status": str,  # pending, sent, failed
            "attempts": int,
            "created_at": str,
            "sent_at": str,
            "error": str,
        },
        pk="id",
        not_null={"target", "period_start", "period_end", "status", "attempts"},
        defaults={"status": "pending", "attempts": 0},
    )
    _table(db, "digests").create_index(["target", "period_start"], unique=True)


@MIGRATIONS()
def m022_line_roles(db: Database) -> None:
    """Where each body line sits on the page (`Article.roles`): one letter per line of `body`
    (`monitor.extract.article.ROLE_CODES`: p prose, h heading, l list item, q blockquote, t table,
    d dateline or credit, c caption, k mostly links, a promotion). Versions stored before have
    none (NULL, read as unknown: every line prose) until they are re-extracted."""
    _table(db, "versions").add_column("roles", str)


@MIGRATIONS()
def m023_site_memory(db: Database) -> None:
    """Site memory and check rounds (`monitor.compare.sitememory`, `monitor.compare.template`):
    `site_lines` holds, per site, the fingerprint of each body line and title affix its recorded
    versions show, a sample of its text, the articles it was seen on (JSON, at most a few) and
    when it was first and last seen; `check_rounds` one row per crawl round of a database that
    wrote changes (the last check and change before it, when it closed, how many template changes
    it decided), so a round's template decision is made at its close and made again after
    `redline reextract`."""
    _table(db, "site_lines").create(
        {
            "site": str,
            "kind": str,  # line, prefix or suffix
            "key": str,
            "text": str,
            "articles": int,
            "article_ids": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk=("site", "kind", "key"),
        not_null={"site", "kind", "key", "articles", "article_ids", "last_seen"},
    )
    _table(db, "site_lines").create_index(["site", "last_seen"])
    _table(db, "check_rounds").create(
        {
            "id": int,
            "started_at": str,
            "after_check": int,
            "after_change": int,
            "closed_at": str,
            "last_check": int,
            "last_change": int,
            "template_changes": int,
        },
        pk="id",
        not_null={"started_at", "after_check", "after_change"},
    )


@MIGRATIONS()
def m024_watch_desk(db: Database) -> None:
    """Tags ("council", "my beat") on articles and on sources, set from the watch desk or
    `redline tag`; an article found by a tagged source counts as tagged too
    (`monitor.store.tags`)."""
    _table(db, "article_tags").create(
        {"article_id": int, "tag": str},
        pk=("article_id", "tag"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    _table(db, "article_tags").create_index(["tag"], find_unique_name=True)
    _table(db, "source_tags").create(
        {"source_id": int, "tag": str},
        pk=("source_id", "tag"),
        foreign_keys=[("source_id", "sources", "id")],
    )
    _table(db, "source_tags").create_index(["tag"], find_unique_name=True)


@MIGRATIONS()
def m025_render_and_archive(db: Database) -> None:
    """History from web archives: a version read from one (`redline backfill`) keeps the memento
    URL it was read from (`versions.memento_url`; NULL for a version Redline fetched itself), and
    `article_timeline` and `version_diffs` mark such versions "(archive)" with their memento.
    Pages that need a browser: a source (`sources.render`) or a whole site (`sites.render`, with
    why and since when) is read with a plain fetch (`static`, or NULL) or in a browser
    (`browser`). Screenshots as evidence, opt-in per site or source (`screenshot` 1): a PNG of
    the rendered page with each new version (`screenshots`, one per version at most). Save Page
    Now requests for changes with significant edits (`archive_saves`), off by default."""
    _table(db, "versions").add_column("memento_url", str)
    _table(db, "sources").add_column("render", str)
    for column in ("render", "render_reason", "render_since"):
        _table(db, "sites").add_column(column, str)
    for name in ("sites", "sources"):
        _table(db, name).add_column("screenshot", int, not_null_default=0)
    _table(db, "screenshots").create(
        {
            "id": int,
            "version_id": int,
            "snapshot_id": int,  # the raw page captured with it (the rendered document)
            "taken_at": str,
            "url": str,
            "width": int,
            "height": int,
            "size": int,
            "sha256": str,
            "png": bytes,
        },
        pk="id",
        foreign_keys=[("version_id", "versions", "id"), ("snapshot_id", "snapshots", "id")],
        not_null={"version_id", "taken_at", "size", "sha256", "png"},
    )
    _table(db, "screenshots").create_index(["version_id"], unique=True)
    _table(db, "screenshots").create_index(["snapshot_id"])
    # Save Page Now (`archive.save_significant`): one request per change with significant edits,
    # queued and retried like an alert.
    _table(db, "archive_saves").create(
        {
            "id": int,
            "change_id": int,
            "url": str,
            "status": str,  # pending, saved, failed
            "attempts": int,
            "created_at": str,
            "next_attempt_at": str,
            "last_attempt_at": str,
            "memento_url": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("change_id", "changes", "id")],
        not_null={"change_id", "url", "status", "attempts", "created_at"},
        defaults={"status": "pending", "attempts": 0},
    )
    _table(db, "archive_saves").create_index(["change_id"], unique=True)
    _table(db, "archive_saves").create_index(["status", "next_attempt_at"])
    from monitor.store.views import create_archive_views

    create_archive_views(db)


@MIGRATIONS()
def m026_cluster(db: Database) -> None:
    """`sources.read_by`: null for a source this database's discovery reads; else the name of the
    cluster shard file that reads it. A shard holds such a copy of a source when articles that
    source found on another shard's domain were moved here (`monitor.store.shards`), so that they
    keep their `source_id` (pausing or removing the source reaches them) and stay discovered
    articles: a host a feed listed is never a host the user named."""
    _table(db, "sources").add_column("read_by", str)


@MIGRATIONS()
def m027_security(db: Database) -> None:
    """Trust bound to what the user said (`monitor.fetch.addresses.NamedHost`): a named host is
    named on a port (`port`), and vouches only for the non-public addresses it had when named
    (`addresses`, JSON: the IP literal written, or what the name resolved to). One row per host
    and port, rebuilt from the rows of m010 and everything a user added (sources, articles no
    source discovered). Hosts named before this migration are looked up once, here: the closest
    to "when it was added" an upgrade can know."""
    import json

    from monitor.fetch.addresses import port_of, private_addresses

    rows = list(
        db.query(
            "select url, named_at as at from named_hosts where url is not null "
            "union all select url, added_at as at from sources "
            "union all select url, first_seen as at from articles where source_id is null"
        )
    )
    looked_up: dict[str, str] = {}
    named: dict[tuple[str, int], dict[str, object]] = {}
    for row in rows:
        host, port = host_of(row["url"]), port_of(row["url"]) or 0
        if host not in looked_up:
            looked_up[host] = json.dumps(list(private_addresses(host)))
        named.setdefault(
            (host, port),
            {"host": host, "port": port, "named_at": row["at"], "url": row["url"]}
            | {"addresses": looked_up[host]},
        )
    db.execute("drop table named_hosts")
    _table(db, "named_hosts").create(
        {"host": str, "port": int, "named_at": str, "url": str, "addresses": str},
        pk=("host", "port"),
        not_null={"host", "port", "named_at", "addresses"},
    )
    _table(db, "named_hosts").insert_all(named.values())


@MIGRATIONS()
def m028_zstd_snapshots(db: Database) -> None:
    """No table changes: `snapshots.content` is now written as a Zstandard frame (zlib streams
    stored before still read, `store.decompress_page`). The migration's name is the marker: a
    Redline from before it could not read the new rows, and `refuse_newer_schema` makes it say so
    in one line ("migrated by a newer Redline") instead of failing on the first page it reads."""
