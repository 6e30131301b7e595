"""SQL views and full-text indexes made for people browsing the database in Datasette.

Plain SQL only, so the views work in any SQLite client, not just under `redline serve`. The
definitions here are frozen by the migration that creates them (`schema.m003_views_and_search`):
to change a view, add a `*_V2` definition and a new migration that drops and recreates it, so that
every database, old or new, ends with the same schema.

- `edit_feed`: one row per edit, newest first: site, article, headline, kind, old → new, when, link.
- `article_timeline`: one row per event in an article's life: first version, each change, removal.
- `version_diffs`: one row per pair of versions a change compares, with both texts.
- `removed_text`: one row per edit that removed or replaced text, searchable.
- `live_blog_posts` (from `schema.m017_live_posts`): one row per post of a live page, newest
  first, with a flag column that marks edited and deleted posts.
- `versions_fts` (title, byline, body of every version) and `removed_text_fts` (the removed or
  replaced text of every edit): FTS5 indexes kept in sync with their tables by triggers.
"""

from __future__ import annotations

from sqlite_utils import Database

# Porter stemming ("resigned" finds "resign"), diacritics folded ("Muñoz" finds "Munoz").
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"

# The headline a person knows the article by: the newest version's title, else the article's.
_HEADLINE = (
    "coalesce(nullif(new_v.title, ''), nullif(old_v.title, ''), nullif(articles.title, ''), "
    "articles.url)"
)

EDIT_FEED_V1 = f"""
select
  changes.detected_at as detected_at,
  articles.site as site,
  {_HEADLINE} as headline,
  edits.kind as kind,
  case
    when coalesce(edits.old, '') = '' then '+ ' || coalesce(edits.new, '')
    when coalesce(edits.new, '') = '' then '- ' || edits.old
    else edits.old || ' → ' || edits.new
  end as change,
  edits.score as score,
  edits.significant as significant,
  changes.stealth as stealth,
  edits.change_id as change_id,
  edits.article_id as article_id,
  changes.summary as summary,
  articles.url as url,
  edits.field as field,
  old_v.seq as from_version,
  new_v.seq as to_version,
  edits.id as edit_id,
  edits.old as old,
  edits.new as new,
  edits.old_sentence as old_sentence,
  edits.new_sentence as new_sentence
from edits
join changes on changes.id = edits.change_id
join articles on articles.id = edits.article_id
left join versions old_v on old_v.id = changes.old_version_id
left join versions new_v on new_v.id = changes.new_version_id
"""

ARTICLE_TIMELINE_V1 = """
select
  articles.id as article_id,
  articles.site as site,
  articles.url as url,
  versions.captured_at as at,
  'first seen' as event,
  null as from_version,
  versions.seq as to_version,
  versions.title as headline,
  'first version' as summary,
  '' as kinds,
  0 as significant,
  0 as stealth,
  null as change_id
from versions
join articles on articles.id = versions.article_id
where versions.seq = 1
union all
select
  articles.id,
  articles.site,
  articles.url,
  changes.detected_at,
  case
    when changes.new_version_id is null then 'removed'
    when changes.new_version_id = changes.old_version_id then 'lifecycle'
    else 'new version'
  end,
  old_v.seq,
  new_v.seq,
  coalesce(nullif(new_v.title, ''), old_v.title, articles.title),
  changes.summary,
  changes.kinds,
  changes.significant,
  changes.stealth,
  changes.id
from changes
join articles on articles.id = changes.article_id
left join versions old_v on old_v.id = changes.old_version_id
left join versions new_v on new_v.id = changes.new_version_id
"""

VERSION_DIFFS_V1 = """
select
  changes.id as change_id,
  changes.detected_at as detected_at,
  articles.site as site,
  changes.article_id as article_id,
  articles.url as url,
  old_v.seq as from_version,
  new_v.seq as to_version,
  changes.summary as summary,
  changes.kinds as kinds,
  changes.significant as significant,
  changes.stealth as stealth,
  old_v.title as old_headline,
  new_v.title as new_headline,
  old_v.body as old_body,
  new_v.body as new_body
from changes
join articles on articles.id = changes.article_id
join versions old_v on old_v.id = changes.old_version_id
join versions new_v on new_v.id = changes.new_version_id
where old_v.id != new_v.id
"""

REMOVED_TEXT_V1 = """
select
  edits.id as edit_id,
  changes.detected_at as detected_at,
  articles.site as site,
  edits.article_id as article_id,
  coalesce(nullif(articles.title, ''), articles.url) as headline,
  edits.kind as kind,
  edits.old as removed,
  edits.new as replaced_by,
  edits.old_sentence as sentence,
  edits.significant as significant,
  articles.url as url,
  edits.change_id as change_id
from edits
join changes on changes.id = edits.change_id
join articles on articles.id = edits.article_id
where coalesce(edits.old, '') != '' and edits.field != 'article'
"""

VIEWS_V1 = {
    "edit_feed": EDIT_FEED_V1,
    "article_timeline": ARTICLE_TIMELINE_V1,
    "version_diffs": VERSION_DIFFS_V1,
    "removed_text": REMOVED_TEXT_V1,
}


# Version 2 (migration m020): the columns a reader needs first, so that the highlighted text, the
# headline and the links fit a 1400 px window, and the new version's captured page
# (`snapshot_id`) in every row. "significant" means one thing per row kind: in `edit_feed` (one
# edit) the flag `significant`; in the views of changes the count `significant_edits`.
EDIT_FEED_V2 = f"""
select
  case
    when coalesce(edits.old, '') = '' then '+ ' || coalesce(edits.new, '')
    when coalesce(edits.new, '') = '' then '- ' || edits.old
    else edits.old || ' → ' || edits.new
  end as change,
  {_HEADLINE} as headline,
  edits.kind as kind,
  edits.change_id as change_id,
  new_v.snapshot_id as snapshot_id,
  changes.detected_at as detected_at,
  articles.site as site,
  edits.significant as significant,
  edits.score as score,
  changes.stealth as stealth,
  edits.article_id as article_id,
  changes.summary as summary,
  articles.url as url,
  edits.field as field,
  old_v.seq as from_version,
  new_v.seq as to_version,
  edits.id as edit_id,
  edits.old as old,
  edits.new as new,
  edits.old_sentence as old_sentence,
  edits.new_sentence as new_sentence
from edits
join changes on changes.id = edits.change_id
join articles on articles.id = edits.article_id
left join versions old_v on old_v.id = changes.old_version_id
left join versions new_v on new_v.id = changes.new_version_id
"""

ARTICLE_TIMELINE_V2 = """
select
  versions.captured_at as at,
  'first seen' as event,
  versions.title as headline,
  'first version' as summary,
  null as change_id,
  versions.snapshot_id as snapshot_id,
  0 as significant_edits,
  0 as stealth,
  '' as kinds,
  null as from_version,
  versions.seq as to_version,
  articles.site as site,
  articles.id as article_id,
  articles.url as url
from versions
join articles on articles.id = versions.article_id
where versions.seq = 1
union all
select
  changes.detected_at,
  case
    when changes.new_version_id is null then 'removed'
    when changes.new_version_id = changes.old_version_id then 'lifecycle'
    else 'new version'
  end,
  coalesce(nullif(new_v.title, ''), old_v.title, articles.title),
  changes.summary,
  changes.id,
  new_v.snapshot_id,
  changes.significant,
  changes.stealth,
  changes.kinds,
  old_v.seq,
  new_v.seq,
  articles.site,
  articles.id,
  articles.url
from changes
join articles on articles.id = changes.article_id
left join versions old_v on old_v.id = changes.old_version_id
left join versions new_v on new_v.id = changes.new_version_id
"""

VERSION_DIFFS_V2 = """
select
  changes.id as change_id,
  new_v.snapshot_id as snapshot_id,
  new_v.title as new_headline,
  changes.summary as summary,
  new_v.body as new_body,
  changes.detected_at as detected_at,
  articles.site as site,
  changes.significant as significant_edits,
  changes.stealth as stealth,
  changes.kinds as kinds,
  old_v.seq as from_version,
  new_v.seq as to_version,
  old_v.title as old_headline,
  old_v.body as old_body,
  changes.article_id as article_id,
  articles.url as url
from changes
join articles on articles.id = changes.article_id
join versions old_v on old_v.id = changes.old_version_id
join versions new_v on new_v.id = changes.new_version_id
where old_v.id != new_v.id
"""

VIEWS_V2 = {
    "edit_feed": EDIT_FEED_V2,
    "article_timeline": ARTICLE_TIMELINE_V2,
    "version_diffs": VERSION_DIFFS_V2,
}


def _fts_sql(fts: str, table: str, columns: tuple[str, ...], prefix: str) -> list[str]:
    """An external-content FTS5 index of `table` and the triggers that keep it in sync.

    `content="table"` (double quotes) is the form Datasette's FTS detection recognises."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f'create virtual table {fts} using fts5({cols}, content="{table}", '
        f"content_rowid=\"id\", tokenize='{FTS_TOKENIZE}')",
        f"insert into {fts} (rowid, {cols}) select id, {cols} from {table}",
        f"create trigger {prefix}_ai after insert on {table} begin "
        f"insert into {fts} (rowid, {cols}) values (new.id, {new}); end",
        f"create trigger {prefix}_ad after delete on {table} begin "
        f"insert into {fts} ({fts}, rowid, {cols}) values ('delete', old.id, {old}); end",
        f"create trigger {prefix}_au after update of {cols} on {table} begin "
        f"insert into {fts} ({fts}, rowid, {cols}) values ('delete', old.id, {old}); "
        f"insert into {fts} (rowid, {cols}) values (new.id, {new}); end",
    ]


SEARCH_V1 = [
    *_fts_sql("versions_fts", "versions", ("title", "byline", "body"), "versions_fts"),
    *_fts_sql("removed_text_fts", "edits", ("old", "old_sentence"), "removed_text_fts"),
]


def create_views_v1(db: Database) -> None:
    for name, sql in VIEWS_V1.items():
        db.create_view(name, sql.strip(), replace=True)


def create_views_v2(db: Database) -> None:
    for name, sql in VIEWS_V2.items():
        db.execute(f"drop view if exists {name}")
        db.create_view(name, sql.strip())


def create_search_v1(db: Database) -> None:
    for statement in SEARCH_V1:
        db.execute(statement)


LIVE_BLOG_POSTS_V1 = """
select
  live_posts.published as published,
  case live_posts.state
    when 'edited' then '✎ edited after publication'
    when 'deleted' then '✗ deleted after publication'
    when 'paged_out' then 'paged out'
    else ''
  end as flag,
  coalesce(nullif(articles.title, ''), articles.url) as live_page,
  live_posts.headline as post_headline,
  live_posts.text as text,
  case when live_posts.state = 'edited' then live_posts.text end as change,
  case when live_posts.state = 'edited' then live_posts.first_text end as first_text,
  live_posts.edited_at as edited_at,
  live_posts.change_id as change_id,
  live_posts.first_seen as first_seen,
  live_posts.last_seen as last_seen,
  live_posts.state as state,
  live_posts.post_key as post_key,
  articles.url as url,
  live_posts.article_id as article_id
from live_posts
join articles on articles.id = live_posts.article_id
where articles.live = 1
order by live_posts.article_id, live_posts.published desc
"""


def create_live_views_v1(db: Database) -> None:
    db.create_view("live_blog_posts", LIVE_BLOG_POSTS_V1.strip(), replace=True)


def fts_query(text: str | None) -> str:
    """A user's words as a safe FTS5 query: every word must appear (each one quoted, so FTS5
    operators and punctuation in the input are plain text, never syntax). No words: `""`, which
    matches nothing instead of raising a syntax error."""
    # NUL ends a string inside FTS5's query parser ("unterminated string"): it separates words.
    words = [w.replace('"', '""') for w in (text or "").replace("\x00", " ").split()]
    return " ".join(f'"{w}"' for w in words) or '""'


# Migration m025: versions read from a web archive (`versions.memento_url`) are shown as such:
# their events say "(archive)" and each row links the memento the version was read from.
_ARCHIVED = "case when {v}.memento_url is not null then ' (archive)' else '' end"

ARTICLE_TIMELINE_V3 = (
    ARTICLE_TIMELINE_V2.replace(
        "'first seen' as event,", f"'first seen' || {_ARCHIVED.format(v='versions')} as event,"
    )
    .replace(
        "    else 'new version'\n  end,",
        f"    else 'new version' || {_ARCHIVED.format(v='new_v')}\n  end,",
    )
    .replace(
        "  articles.url as url\nfrom versions",
        "  articles.url as url,\n  versions.memento_url as memento_url\nfrom versions",
    )
    .replace(
        "  articles.url\nfrom changes",
        "  articles.url,\n  new_v.memento_url\nfrom changes",
    )
)

VERSION_DIFFS_V3 = VERSION_DIFFS_V2.replace(
    "  articles.url as url\nfrom changes",
    "  articles.url as url,\n  old_v.memento_url as old_memento_url,\n"
    "  new_v.memento_url as new_memento_url\nfrom changes",
)


def create_archive_views(db: Database) -> None:
    """`article_timeline` and `version_diffs` with archive versions marked (m025)."""
    for name, sql in (
        ("article_timeline", ARTICLE_TIMELINE_V3),
        ("version_diffs", VERSION_DIFFS_V3),
    ):
        db.execute(f"drop view if exists {name}")
        db.create_view(name, sql.strip())
