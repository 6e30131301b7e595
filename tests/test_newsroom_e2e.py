"""End to end, through real `scrapy crawl` runs of the demo site: a headline A/B test is one
event (not an edit per flip), a live blog's new posts are no edit alerts, and the one post edited
after publication is exactly the edit reported."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from monitor import store
from monitor.demo import DemoSite
from monitor.demo import specials as S
from monitor.fetch.policy import DEFAULT_LIVE_INTERVAL
from tests.conftest import crawl, rows, track
from tests.test_alerts import Receiver, send, simple_config

ROUNDS = 5  # editions 1..5: the A/B page answers A, B, A, B, A


def test_headline_test_and_live_blog_end_to_end(tmp_path: Path, db_path: Path) -> None:
    with DemoSite() as site, Receiver() as receiver:
        ab, live = site.url(S.AB_TEST_PATH), site.url(S.LIVE_BLOG_PATH)
        track(db_path, [ab, live])
        for edition in range(1, ROUNDS + 1):
            site.edition = edition
            crawl(db_path, all="true")
        served = [r.path for r in site.requests if r.path == S.AB_TEST_PATH and r.status == 200]
        assert len(served) == ROUNDS
        report = send(db_path, simple_config(tmp_path, receiver), store.utc_now())
    edits = rows(
        db_path,
        "select articles.url, edits.kind, edits.old, edits.new, edits.significant, "
        "edits.reasons from edits join articles on articles.id = edits.article_id "
        "order by edits.id",
    )
    ab_kinds = [e["kind"] for e in edits if e["url"] == ab]
    # A → B looks like any rewrite (the standfirst shown on the page is a body line: its rewrite
    # is reported too); B → A starts the test (one event); the flips after it are silent: no
    # headline edit, no standfirst edit, no revert, no new version.
    assert ab_kinds == ["headline", "sentence_added", "sentence_removed", "headline_test_started"]
    standfirst = [(e["old"], e["new"]) for e in edits if e["url"] == ab and "sentence" in e["kind"]]
    assert standfirst == [("", S.AB_WORDINGS[1][1]), (S.AB_WORDINGS[0][1], "")]
    # The standfirst is tested with the headline: a row of its own, no event of its own.
    tests = rows(db_path, "select field, variant_count, ended_at from headline_tests order by id")
    assert tests == [
        {"field": "title", "variant_count": 2, "ended_at": None},
        {"field": "standfirst", "variant_count": 2, "ended_at": None},
    ]
    versions = rows(
        db_path,
        "select count(*) as n from versions join articles on articles.id = article_id "
        "where articles.url = ?",
        [ab],
    )
    assert versions[0]["n"] == 3

    live_edits = [e for e in edits if e["url"] == live]
    added = [e for e in live_edits if e["kind"] == "live_post_added"]
    assert len(added) == ROUNDS - 1 and not any(e["significant"] for e in added)
    significant = [e for e in live_edits if e["significant"]]
    assert [(e["kind"], e["old"], e["new"]) for e in significant] == [("quote", "will", "should")]
    assert "live post of 2026-11-04 08:40 UTC" in significant[0]["reasons"]
    posts = rows(db_path, "select post_key, state from live_posts order by published")
    assert [p["state"] for p in posts] == ["live", "edited", "live", "live", "live", "live"]
    checked = rows(
        db_path, "select live, last_checked, next_check from articles where url = ?", [live]
    )
    assert checked[0]["live"] == 1
    # the live tier: checked again in five minutes
    gap = datetime.fromisoformat(checked[0]["next_check"]) - datetime.fromisoformat(
        checked[0]["last_checked"]
    )
    assert gap == DEFAULT_LIVE_INTERVAL

    # Alerts (one rule, every significant edit): the headline change, the test's start and the
    # edited post; nothing per flip, nothing per new post.
    titles = [post["title"] for post in receiver.posts]
    assert report.sent == 3, titles
    assert sum("headline test started" in t for t in titles) == 1
    assert sum("quote changed" in t for t in titles) == 1
