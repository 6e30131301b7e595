"""Site memory and check rounds in a real SQLite file: a round's template change is decided at
its close in one transaction; an editorial act repeated on every article stays reported; the
memory stays within its bound; alerts wait for an open round."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import store
from monitor.compare import sitememory as rules
from monitor.compare.comparison import compare
from monitor.compare.edit import Edit, make_edit
from monitor.compare.sitememory import MemoryUpdate, Sighting, plan_memory
from monitor.extract.article import Article
from monitor.record.page import weigh_site_memory
from monitor.store import sitememory as memory

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
SITE = "ledger.example"
ARTICLES = 12


@pytest.fixture
def db(tmp_path: Path):
    database = store.open_db(tmp_path / "redline.db")
    yield database
    database.close()


def _round(db, edits_for) -> tuple[int, list[int]]:
    """One round over ARTICLES articles of SITE: each checked, each with a change carrying
    `edits_for(n)`; returns the round and the articles."""
    round_id = memory.open_round(db, NOW)
    ids = []
    for n in range(ARTICLES):
        article, _ = store.track_article(db, f"https://{SITE}/story-{n}.html", NOW)
        ids.append(int(article["id"]))
        store.add_check(
            db, article_id=article["id"], checked_at=store.stamp(NOW), url=article["url"],
            http_status=200, outcome="new_version", reason="",
        )  # fmt: skip
        store.add_change(db, int(article["id"]), None, None, edits_for(n), NOW)
    db.conn.commit()
    return round_id, ids


def _significant(db) -> list[str]:
    return [row["kind"] for row in db.query("select kind from edits where significant")]


def _suffix(n: int) -> list[Edit]:
    return [make_edit("headline", "title", old=f"Story {n}", new=f"Story {n} | The Ledger")]


CASES = {
    "template on every article, one real edit": (
        lambda n: _suffix(n) + ([make_edit("quote", "body", old="will", new="should")] * (n == 4)),
        1,
        ["quote"],
    ),
    "the same correction note on every article": (
        lambda n: [make_edit("correction_note", "body", new="Correction: the vote was Tuesday.")],
        0,
        ["correction_note"] * ARTICLES,
    ),
    "the same name corrected in every article": (
        lambda n: [make_edit("name", "body", old="Jon Smith", new="John Smith")],
        0,
        ["name"] * ARTICLES,
    ),
}


@pytest.mark.parametrize(("edits_for", "events", "significant"), CASES.values(), ids=CASES)
def test_a_round_is_decided_at_its_close(db, edits_for, events, significant) -> None:
    round_id, _ = _round(db, edits_for)
    assert memory.close_round(db, round_id, NOW) == events
    assert _significant(db) == significant
    found = list(db.query("select change_id from edits where kind = 'template_changed'"))
    assert len(found) == events
    # deciding again (after `redline reextract`) changes nothing
    assert memory.redecide_rounds(db) == events
    assert _significant(db) == significant
    if events:
        summary = db.execute(
            "select summary, significant from changes where id = ?", [found[0]["change_id"]]
        ).fetchone()
        assert summary[0].startswith("site template changed") and summary[1] == 0


def test_a_backfill_during_an_open_round_is_not_part_of_its_template(db) -> None:
    """`redline backfill` writes changes (no checks) while a round is open: their edits keep
    their significance, however much they look like the round's template."""
    round_id = memory.open_round(db, NOW)
    for n in range(ARTICLES):
        article, _ = store.track_article(db, f"https://{SITE}/story-{n}.html", NOW)
        store.add_check(
            db, article_id=article["id"], checked_at=store.stamp(NOW), url=article["url"],
            http_status=200, outcome="new_version", reason="",
        )  # fmt: skip
        store.add_change(db, int(article["id"]), None, None, _suffix(n), NOW)
        if n == 3:  # a backfilled article, never checked in the round, with the same edit
            past, _ = store.track_article(db, f"https://{SITE}/archive-story.html", NOW)
            store.add_change(db, int(past["id"]), None, None, _suffix(99), NOW - timedelta(days=90))
    db.conn.commit()
    assert memory.close_round(db, round_id, NOW) == 1
    assert memory.redecide_rounds(db) == 1
    kept = db.execute(
        "select edits.significant from edits join articles on articles.id = edits.article_id "
        "where articles.url like '%archive-story%'"
    ).fetchall()
    assert kept == [(1,)]
    assert _significant(db) == ["headline"]


def test_a_template_of_one_section_is_decided_at_the_close(db) -> None:
    """Four of the site's twelve articles checked in the round are in its sport section, whose
    template changed: the round reads the section's share, not the site's."""
    round_id = memory.open_round(db, NOW)
    for n in range(ARTICLES):
        section = "sport" if n < 4 else "news"
        article, _ = store.track_article(db, f"https://{SITE}/{section}/story-{n}.html", NOW)
        store.add_check(
            db, article_id=article["id"], checked_at=store.stamp(NOW), url=article["url"],
            http_status=200, outcome="new_version" if n < 4 else "unchanged", reason="",
        )  # fmt: skip
        if n < 4:
            store.add_change(db, int(article["id"]), None, None, _suffix(n), NOW)
    db.conn.commit()
    assert memory.close_round(db, round_id, NOW) == 1
    assert _significant(db) == []


def test_memory_counts_distinct_articles_and_forgets_the_least_recently_seen(
    db, monkeypatch
) -> None:
    monkeypatch.setattr(rules, "SITE_LINES", 3)  # the bound the store applies
    line = Sighting("line", "k-shared", "Sign up to the newsletter")
    with store.write_transaction(db):
        for article in (1, 2, 2, 3):
            memory.apply_memory_update(db, MemoryUpdate(SITE, article, (line,), NOW))
        for n in range(3):
            later = NOW + timedelta(minutes=n + 1)
            sighting = Sighting("line", f"k-{n}", f"line {n}")
            memory.apply_memory_update(db, MemoryUpdate(SITE, 9, (sighting,), later))
    assert memory.read_memory(db, SITE, ["k-shared"]).lines == {}  # the oldest, forgotten
    assert set(memory.read_memory(db, SITE, ["k-0", "k-1", "k-2"]).lines) == {"k-0", "k-1", "k-2"}


def test_the_memory_lists_each_article_once(db) -> None:
    line = Sighting("line", "k", "Sign up to the newsletter")
    with store.write_transaction(db):
        for article in (1, 2, 2, 3):
            memory.apply_memory_update(db, MemoryUpdate(SITE, article, (line,), NOW))
    assert memory.read_memory(db, SITE, ["k"]).lines == {"k": (1, 2, 3)}
    assert db.execute("select articles from site_lines").fetchone()[0] == 3


FUND = "This story was produced with support from the Millbrook Community Fund."
SIBLING = "Council approves budget after a long night of debate"
STORY = "The storm hit the coast on Monday with winds of 90 mph."

# (old, new) → the edits' (kind, significant) once weighed against the site's memory
WEIGHED = {
    "a line on other articles removed": (
        Article(title="Storm hits the coast", body=f"{STORY}\n{FUND}"),
        Article(title="Storm hits the coast", body=STORY),
        [("sentence_removed", False)],
    ),
    "another article's headline removed": (
        Article(title="Storm hits the coast", body=f"{STORY}\n{SIBLING}"),
        Article(title="Storm hits the coast", body=STORY),
        [("sentence_removed", False)],
    ),
    "a teaser of another article added": (
        Article(title="Storm hits the coast", body=STORY),
        Article(title="Storm hits the coast", body=f"{STORY}\nWatch: {SIBLING} (2:31)"),
        [("sentence_added", False)],
    ),
    "one shared title affix for another": (
        Article(title="Storm hits the coast | The Ledger", body=STORY),
        Article(title="Storm hits the coast | Ledger Sport", body=STORY),
        [("headline", False)],
    ),
    "the story's own words": (
        Article(title="Storm hits the coast", body=f"{STORY}\n{FUND}"),
        Article(title="Storm hits the coast", body=f"{STORY.replace('90', '120')}\n{FUND}"),
        [("number", True)],
    ),
}


@pytest.mark.parametrize(("old", "new", "weighed"), WEIGHED.values(), ids=WEIGHED)
def test_weighing_a_changed_page_reads_the_site_memory_once(db, old, new, weighed) -> None:
    with store.write_transaction(db):
        for n in range(1, 7):  # the site's articles: the fund's line, two title affixes
            affix = "The Ledger" if n % 2 else "Ledger Sport"
            body = f"Story {n} opens here.\n{FUND}"
            seen = Article(title=f"Story number {n} | {affix}", body=body)
            memory.apply_memory_update(db, plan_memory(SITE, n, seen, NOW))
        memory.apply_memory_update(db, plan_memory(SITE, 7, Article(title=SIBLING), NOW))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    edits = weigh_site_memory(db, SITE, 9, old, new, compare(old, new))
    db.conn.set_trace_callback(None)
    assert [(e.kind, e.significant) for e in edits] == weighed
    assert len([sql for sql in statements if "site_lines" in sql]) == 1


def test_alerts_wait_for_an_open_round_unless_it_is_stale(db) -> None:
    round_id = memory.open_round(db, NOW)
    assert memory.held_after_change(db, NOW) == 0
    assert memory.held_after_change(db, NOW + memory.ROUND_HOLD * 2) is None
    memory.close_round(db, round_id, NOW)
    assert memory.held_after_change(db, NOW) is None
    # a round that wrote no change leaves no row
    assert db.execute("select count(*) from check_rounds").fetchone()[0] == 0
