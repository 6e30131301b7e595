"""The rollup follows the shards: a change re-extracted on a shard (`redline reextract`) is copied
again in place, never twice and with no edit left behind, and the live-blog posts and headline
tests of the articles it holds are copied, and copied again when they move."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from monitor import store
from monitor.cluster.rollup import ROLLUP_WINDOW, open_rollup, roll_up
from monitor.record.page import FetchedPage, record_page
from monitor.record.reextract import recompute_change, reextract_all
from tests.test_record import PAGE_A, PAGE_B, T0, URL

NOW = T0 + timedelta(days=1)
CAPTION = "\nOld extractors kept this trailing caption line."
OTHER = "https://other.example/local/council-budget"


def edited_shard(path: Path, url: str) -> Database:
    """A shard with one article and one change, its second version's text as an older
    extractor made it (a caption line more, reported as an edit)."""
    db = store.open_db(path)
    record_page(db, FetchedPage(url, 200, PAGE_A), T0)
    record_page(db, FetchedPage(url, 200, PAGE_B), T0)
    with store.write_transaction(db):
        db.execute("update versions set extractor_version = '0.0.1'")
        db.execute("update versions set body = body || ? where seq = 2", [CAPTION])
        recompute_change(db, next(db.query("select * from changes")))
    return db


def edits(db: Database, url: str) -> list[tuple[Any, ...]]:
    return [
        (row["kind"], row["field"], row["old"], row["new"])
        for row in db.query(
            "select e.* from edits e join articles a on a.id = e.article_id where a.url = ? "
            "order by e.change_id, e.position",
            [url],
        )
    ]


def bodies(db: Database, url: str) -> list[str]:
    return [
        row["body"]
        for row in db.query(
            "select v.body from versions v join articles a on a.id = v.article_id "
            "where a.url = ? order by v.seq",
            [url],
        )
    ]


def test_a_reextracted_change_is_copied_again_in_place(tmp_path: Path) -> None:
    shard = edited_shard(tmp_path / "shard-0.db", URL)
    edited_shard(tmp_path / "shard-1.db", OTHER).close()  # the same row ids in another file
    assert roll_up(tmp_path, NOW).changes == 2
    rollup = open_rollup(tmp_path)
    assert any(CAPTION.strip() in (e[3] or "") for e in edits(rollup, URL))

    reextract_all(shard)
    assert not any(CAPTION.strip() in (e[3] or "") for e in edits(shard, URL))
    assert roll_up(tmp_path, NOW).changes == 1, "the one change that moved"
    assert edits(rollup, URL) == edits(shard, URL)
    assert bodies(rollup, URL) == bodies(shard, URL)
    assert next(rollup.query("select count(*) as n from changes"))["n"] == 2
    dangling = "select count(*) as n from edits where change_id not in (select id from changes)"
    assert next(rollup.query(dangling))["n"] == 0
    assert roll_up(tmp_path, NOW).changes == 0, "nothing moved since"
    assert edits(rollup, OTHER) == edits(Database(tmp_path / "shard-1.db"), OTHER)
    shard.close()
    rollup.close()


def test_live_posts_and_headline_tests_follow_their_article(tmp_path: Path) -> None:
    shard = edited_shard(tmp_path / "shard-0.db", URL)
    article_id = store.find_article(shard, URL)["id"]  # type: ignore[index]
    change_id = next(shard.query("select id from changes"))["id"]
    with store.write_transaction(shard):
        shard["live_posts"].insert(  # type: ignore[union-attr]
            {"article_id": article_id, "post_key": "p1", "text": "First post.",
             "first_text": "First post.", "first_seen": store.stamp(T0), "state": "live"}
        )  # fmt: skip
        shard["headline_tests"].insert(  # type: ignore[union-attr]
            {"article_id": article_id, "field": "title", "started_at": store.stamp(T0),
             "detected_at": store.stamp(T0), "variant_count": 2, "summary": "headline test"}
        )  # fmt: skip
    roll_up(tmp_path, NOW)
    rollup = open_rollup(tmp_path)
    rolled_id = store.find_article(rollup, URL)["id"]  # type: ignore[index]
    posts = "select article_id, post_key, text, state, change_id from live_posts"
    assert list(rollup.query(posts)) == [
        {"article_id": rolled_id, "post_key": "p1", "text": "First post.", "state": "live",
         "change_id": None}
    ]  # fmt: skip
    assert [r["summary"] for r in rollup.query("select * from headline_tests")] == ["headline test"]

    with store.write_transaction(shard):
        shard.execute(
            "update live_posts set text = 'First post, corrected.', state = 'edited', "
            "change_id = ?",
            [change_id],
        )
    roll_up(tmp_path, NOW)
    rolled_change = next(rollup.query("select id from changes"))["id"]
    assert list(rollup.query(posts)) == [
        {"article_id": rolled_id, "post_key": "p1", "text": "First post, corrected.",
         "state": "edited", "change_id": rolled_change}
    ]  # fmt: skip
    assert next(rollup.query("select count(*) as n from headline_tests"))["n"] == 1

    # Out of the window: the change goes, and its article's posts and tests with it.
    roll_up(tmp_path, NOW + timedelta(days=40))
    for table in ("changes", "articles", "live_posts", "headline_tests", "rollup_articles"):
        assert next(rollup.query(f"select count(*) as n from {table}"))["n"] == 0, table
    shard.close()
    rollup.close()


def test_a_tagged_article_leaves_the_rollup_with_its_changes(tmp_path: Path) -> None:
    # Review finding 1: its tag's foreign key made the prune fail.
    edited_shard(tmp_path / "shard-0.db", URL).close()
    roll_up(tmp_path, NOW)
    rollup = open_rollup(tmp_path)
    with store.write_transaction(rollup):
        rollup.execute("insert into article_tags (article_id, tag) select id, 'x' from articles")
    assert roll_up(tmp_path, NOW + timedelta(days=40)).pruned == 1
    for table in ("changes", "articles", "article_tags"):
        assert next(rollup.query(f"select count(*) as n from {table}"))["n"] == 0, table
    rollup.close()


def test_a_post_copied_before_its_change_gets_the_change_once_it_is_copied(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # A backlog larger than a batch (the first rollup): the article and its posts arrive with
    # its first change, the post's change a pass later; the post must then point to it.
    from monitor.store import rollup as rollup_module

    monkeypatch.setattr(rollup_module, "ROLLUP_BATCH", 1)
    shard = store.open_db(tmp_path / "shard-0.db")
    for page in (PAGE_A, PAGE_B, PAGE_A):
        record_page(shard, FetchedPage(URL, 200, page), T0)
    article_id = store.find_article(shard, URL)["id"]  # type: ignore[index]
    second = [row["id"] for row in shard.query("select id from changes order by id")][1]
    with store.write_transaction(shard):
        shard["live_posts"].insert(  # type: ignore[union-attr]
            {"article_id": article_id, "post_key": "p1", "text": "Corrected post.",
             "first_text": "First post.", "first_seen": store.stamp(T0), "state": "edited",
             "change_id": second}
        )  # fmt: skip
    assert roll_up(tmp_path, NOW).changes == 1
    rollup = open_rollup(tmp_path)
    assert [r["change_id"] for r in rollup.query("select change_id from live_posts")] == [None]
    assert roll_up(tmp_path, NOW).changes == 1
    rolled = "select change_id from rollup_changes where shard_change_id = ?"
    rolled_second = next(rollup.query(rolled, [second]))["change_id"]
    assert [r["change_id"] for r in rollup.query("select change_id from live_posts")] == [
        rolled_second
    ]
    assert roll_up(tmp_path, NOW).changes == 0, "nothing moved since"
    shard.close()
    rollup.close()


def test_the_edit_index_follows_re_extraction_within_the_window_only(
    pg_url: str, tmp_path: Path
) -> None:
    from monitor.cluster import coordination, search

    shard = edited_shard(tmp_path / "shard-0.db", URL)
    with coordination.connect(pg_url) as conn:
        search.create_tables(conn)
        assert search.index_shard(conn, tmp_path / "shard-0.db", NOW) == 1
        caption = [hit.new for hit in search.search(conn, '"trailing caption line"', 10)]
        assert caption and all(CAPTION.strip() in (new or "") for new in caption)

        reextract_all(shard)  # within the window: indexed again in place
        assert search.index_shard(conn, tmp_path / "shard-0.db", NOW) == 1
        assert search.search(conn, '"trailing caption line"', 10) == []
        indexed = conn.execute(
            "select kind, field, old, new from redline_edits order by edit_id"
        ).fetchall()
        assert [tuple(row.values()) for row in indexed] == edits(shard, URL)
        assert search.index_shard(conn, tmp_path / "shard-0.db", NOW) == 0

        with store.write_transaction(shard):  # past the window: never read again
            shard.execute("update edits set new = 'rewritten long after'")
        later = NOW + ROLLUP_WINDOW + timedelta(days=1)
        assert search.index_shard(conn, tmp_path / "shard-0.db", later) == 0
        assert search.search(conn, "rewritten", 10) == []
    shard.close()


def version_pairs(db: Database, url: str, since: str = "") -> list[tuple[Any, ...]]:
    """Each change of the article (detected at `since` or later): its two versions' seq and text."""
    return [
        (row["old_seq"], row["old_body"], row["new_seq"], row["new_body"])
        for row in db.query(
            "select ov.seq as old_seq, ov.body as old_body, nv.seq as new_seq, "
            "nv.body as new_body from changes c join articles a on a.id = c.article_id "
            "join versions ov on ov.id = c.old_version_id "
            "join versions nv on nv.id = c.new_version_id "
            "where a.url = ? and c.detected_at >= ? order by nv.seq",
            [url, since],
        )
    ]


def test_a_backfill_on_a_shard_renumbers_the_rollups_versions_never_overwrites_them(
    tmp_path: Path,
) -> None:
    from monitor.archive.command import backfill_article
    from tests.archive_site import Archived, ArchiveSite
    from tests.test_backfill import URL as PAST_URL
    from tests.test_backfill import fast_client, page

    crawled = NOW - timedelta(hours=2)
    shard = store.open_db(tmp_path / "shard-0.db")
    for n, name in enumerate(("Anna Bergmann", "Paul Grant")):
        fetched = FetchedPage(PAST_URL, 200, page("eight", name))
        record_page(shard, fetched, crawled + timedelta(minutes=n))
    roll_up(tmp_path, NOW)
    with ArchiveSite() as archive:  # one past version: it becomes seq 1, the crawled ones 2, 3
        archive.captures[PAST_URL] = [Archived("20260301080000", page("seven", "Anna Berger"))]
        backfill_article(shard, store.require_article(shard, PAST_URL), fast_client(), archive.base)
    assert [row["seq"] for row in shard.query("select seq from versions order by id")] == [2, 3, 1]
    record_page(shard, FetchedPage(PAST_URL, 200, page("nine", "Paul Grant")), NOW)
    roll_up(tmp_path, NOW)

    rollup = open_rollup(tmp_path)
    window = store.stamp(NOW - ROLLUP_WINDOW)
    assert version_pairs(rollup, PAST_URL) == version_pairs(shard, PAST_URL, window)
    assert len(version_pairs(rollup, PAST_URL)) == 3  # the crawled two and the backfill's link
    shard.close()
    rollup.close()
