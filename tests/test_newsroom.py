"""Deciding what headline variants and live posts mean for a check, and storing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor import store
from monitor.compare.edit import Edit, make_edit
from monitor.compare.variants import TEST_QUIET, Run
from monitor.extract.liveblog import SIGNAL_JSON_LD, LivePage, Post
from monitor.extract.standfirst import read_standfirst
from monitor.record.newsroom import NewsroomKnown, NewsroomSeen, decide_newsroom
from monitor.store.newsroom import apply_newsroom, field_runs, open_tests, stored_posts

T0 = datetime(2026, 11, 4, 14, 2, tzinfo=UTC)
A, B, C = "Bridge reopens after repairs", "Bridge back open: what to know", "Bridge shut again"


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def headline(old: str, new: str) -> Edit:
    return make_edit("headline", "title", old=old, new=new)


REVERTED = make_edit("reverted", "article", old="version 2", new="version 1")


def known(*wordings: str) -> NewsroomKnown:
    runs = [Run(w, at(10 * i)) for i, w in enumerate(wordings)]
    return NewsroomKnown(runs={"title": runs}, previous_check=runs[-1].at if runs else None)


def test_a_new_headline_is_reported_as_the_comparison_found_it() -> None:
    decision = decide_newsroom(known(A), NewsroomSeen(title=B), [headline(A, B)], at(10))
    assert [e.kind for e in decision.edits] == ["headline"]
    assert decision.writes.runs == (("title", Run(B, at(10))),)


def test_the_first_return_is_one_test_started_event_instead_of_headline_and_revert() -> None:
    decision = decide_newsroom(
        known(A, B), NewsroomSeen(title=A), [REVERTED, headline(B, A)], at(20)
    )
    assert [e.kind for e in decision.edits] == ["headline_test_started"]
    event = decision.edits[0]
    assert event.significant
    assert "headline test: 2 variants since 14:02" in event.reasons
    assert A in event.new and B in event.new
    assert [(w.field, w.action) for w in decision.writes.tests] == [("title", "start")]


def test_a_flip_reports_nothing_and_stores_no_version() -> None:
    decision = decide_newsroom(
        known(A, B, A), NewsroomSeen(title=B), [REVERTED, headline(A, B)], at(30)
    )
    assert decision.edits == ()
    assert decision.variant_only
    assert decision.reason == "headline variant (headline test: 2 variants since 14:02)"
    assert [(w.action, len(w.test.variants)) for w in decision.writes.tests] == [("update", 2)]


def test_a_body_edit_during_a_test_is_still_reported_without_the_flip() -> None:
    body = make_edit("number", "body", old="12", new="14")
    decision = decide_newsroom(
        known(A, B, A), NewsroomSeen(title=B), [headline(A, B), body], at(30)
    )
    assert [e.kind for e in decision.edits] == ["number"]
    assert not decision.variant_only


def test_a_new_wording_ends_the_test_and_is_reported() -> None:
    decision = decide_newsroom(known(A, B, A, B), NewsroomSeen(title=C), [headline(B, C)], at(40))
    assert [e.kind for e in decision.edits] == ["headline_test_ended", "headline"]
    assert decision.edits[0].new == C
    assert [(w.action, w.ending) for w in decision.writes.tests] == [("end", "new wording")]


def test_a_quiet_test_ends_once_settled_on_its_variant() -> None:
    runs = known(A, B, A)
    later = at(20) + TEST_QUIET + timedelta(minutes=5)
    seen = NewsroomSeen(title=A)
    first = decide_newsroom(
        NewsroomKnown(runs=runs.runs, previous_check=later - timedelta(minutes=10)), seen, [], later
    )
    assert [e.kind for e in first.edits] == ["headline_test_ended"]
    assert "settled on one of its variants" in first.edits[0].reasons
    again = decide_newsroom(
        NewsroomKnown(runs=runs.runs, previous_check=later), seen, [], later + timedelta(minutes=10)
    )
    assert again.edits == ()


def test_a_standfirst_test_is_reported_but_its_new_wordings_are_not() -> None:
    runs = {"standfirst": [Run("One", at(0)), Run("Two", at(10))]}
    decision = decide_newsroom(
        NewsroomKnown(runs=runs, previous_check=at(10)), NewsroomSeen(standfirst="One"), [], at(20)
    )
    assert [(e.kind, e.field) for e in decision.edits] == [("headline_test_started", "standfirst")]
    fresh = decide_newsroom(
        NewsroomKnown(runs=runs, previous_check=at(10)),
        NewsroomSeen(standfirst="Three"),
        [],
        at(20),
    )
    assert fresh.edits == ()


def test_first_sight_records_runs_and_reports_nothing() -> None:
    decision = decide_newsroom(
        NewsroomKnown(), NewsroomSeen(title=A, standfirst="One"), [], at(0), first_sight=True
    )
    assert decision.edits == ()
    assert [f for f, _ in decision.writes.runs] == ["title", "standfirst"]


POSTS = (
    Post("p2", "2026-11-04T11:00:00Z", "The mayor said: “The sea wall will hold tonight.”"),
    Post("p1", "2026-11-04T10:00:00Z", "An amber warning for wind is in force until Friday."),
)
LIVE = (SIGNAL_JSON_LD,)


def test_new_live_posts_replace_the_body_edits_and_are_not_significant() -> None:
    new_post = Post("p3", "2026-11-04T12:00:00Z", "Ferries to Gull Island are cancelled today.")
    page = LivePage(LIVE, (new_post, *POSTS))
    added = make_edit("sentence_added", "body", new=new_post.text)
    decision = decide_newsroom(
        NewsroomKnown(posts=POSTS, live=True), NewsroomSeen(live_page=page), [added], at(0)
    )
    assert [(e.kind, e.significant) for e in decision.edits] == [("live_post_added", False)]
    assert decision.writes.posts is not None and decision.writes.posts.shown == page.posts


def test_a_silently_edited_post_is_flagged_with_its_time() -> None:
    edited = Post("p2", POSTS[0].published, POSTS[0].text.replace("will hold", "should hold"))
    page = LivePage(LIVE, (edited, POSTS[1]))
    decision = decide_newsroom(
        NewsroomKnown(posts=POSTS, live=True), NewsroomSeen(live_page=page), [], at(0)
    )
    assert [e.kind for e in decision.edits] == ["quote"]
    assert "live post of 2026-11-04 11:00 UTC" in decision.edits[0].reasons
    assert decision.writes.posts is not None and decision.writes.posts.changed == ("p2",)


def test_a_page_first_seen_live_is_marked_and_its_posts_recorded() -> None:
    page = LivePage(LIVE, POSTS)
    decision = decide_newsroom(NewsroomKnown(), NewsroomSeen(live_page=page), [], at(0), True)
    assert decision.writes.live and decision.edits == ()
    assert decision.writes.posts is not None and decision.writes.posts.shown == POSTS


def test_the_store_keeps_runs_tests_and_posts(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    article, _ = store.track_article(db, "https://example.com/live/storm", T0)
    first = decide_newsroom(
        NewsroomKnown(), NewsroomSeen(title=A, live_page=LivePage(LIVE, POSTS)), [], at(0), True
    )
    with store.write_transaction(db):
        apply_newsroom(db, article["id"], first.writes, at(0))
    assert field_runs(db, article["id"], "title") == [Run(A, at(0))]
    assert [p.key for p in stored_posts(db, article["id"])] == ["p2", "p1"]
    assert db.execute("select live from articles").fetchone()[0] == 1
    edited = Post("p2", POSTS[0].published, POSTS[0].text.replace("will", "should"))
    second = decide_newsroom(
        NewsroomKnown(runs={"title": [Run(A, at(0)), Run(B, at(10))]}, posts=POSTS, live=True),
        NewsroomSeen(title=A, live_page=LivePage(LIVE, (edited,))),
        [],
        at(20),
    )
    with store.write_transaction(db):
        apply_newsroom(db, article["id"], second.writes, at(20), change_id=None)
    states = dict(db.execute("select post_key, state from live_posts").fetchall())
    assert states == {"p2": "edited", "p1": "paged_out"}
    view = list(
        db.query("select flag, first_text, text from live_blog_posts where state = 'edited'")
    )
    assert view[0]["flag"] == "✎ edited after publication" and "will" in view[0]["first_text"]
    assert list(open_tests(db, article["id"])) == ["title"]


def test_standfirst_is_read_from_the_page_metadata() -> None:
    page = (
        b'<html><head><meta name="description" content="Plain one">'
        b'<meta property="og:description" content="Crossing &amp; bridge reopen"></head></html>'
    )
    assert read_standfirst(page) == "Crossing & bridge reopen"
    assert read_standfirst(b"<html><head></head></html>") == ""


def test_datasette_shows_live_posts_with_the_edited_one_highlighted(tmp_path: Path) -> None:
    from tests.test_serve import fetch

    path = tmp_path / "redline.db"
    db = store.open_db(path)
    article, _ = store.track_article(db, "https://example.com/live/storm", T0)
    page = LivePage(LIVE, POSTS)
    first = decide_newsroom(NewsroomKnown(), NewsroomSeen(live_page=page), [], at(0), True)
    edited = Post("p2", POSTS[0].published, POSTS[0].text.replace("will hold", "should hold"))
    second = decide_newsroom(
        NewsroomKnown(posts=POSTS, live=True),
        NewsroomSeen(live_page=LivePage(LIVE, (edited, POSTS[1]))),
        [],
        at(10),
    )
    with store.write_transaction(db):
        apply_newsroom(db, article["id"], first.writes, at(0))
        apply_newsroom(db, article["id"], second.writes, at(10))
    db.close()
    pages = fetch(path, ["/redline/live_blog_posts", "/redline/headline_tests"])
    html = pages["/redline/live_blog_posts"].text
    assert pages["/redline/live_blog_posts"].status_code == 200
    assert "✎ edited after publication" in html
    assert "<del>will</del>" in html and "<ins>should</ins>" in html
    assert pages["/redline/headline_tests"].status_code == 200


def test_a_standfirst_tested_with_the_headline_is_one_event() -> None:
    runs = {
        "title": [Run(A, at(0)), Run(B, at(10))],
        "standfirst": [Run("One", at(0)), Run("Two", at(10))],
    }
    decision = decide_newsroom(
        NewsroomKnown(runs=runs, previous_check=at(10)),
        NewsroomSeen(title=A, standfirst="One"),
        [headline(B, A)],
        at(20),
    )
    assert [(e.kind, e.field) for e in decision.edits] == [("headline_test_started", "title")]
    assert any(
        r.startswith("with the standfirst: standfirst test") for r in decision.edits[0].reasons
    )
    assert [(w.field, w.action) for w in decision.writes.tests] == [
        ("title", "start"),
        ("standfirst", "start"),
    ]


def test_a_headline_going_back_with_the_body_is_a_revert() -> None:
    body = make_edit("sentence_added", "body", new="A paragraph restored.")
    decision = decide_newsroom(
        known(A, B), NewsroomSeen(title=A), [REVERTED, headline(B, A), body], at(20)
    )
    assert [e.kind for e in decision.edits] == ["reverted", "headline", "sentence_added"]
    assert decision.keeps_revert and decision.writes.tests == ()
    assert decision.writes.runs == (("title", Run(A, at(20), with_body=True)),)


def test_alert_rules_skip_new_posts_unless_they_ask_for_them() -> None:
    from monitor.alerts import rule_matches
    from monitor.compare.edit import is_stealth
    from monitor.config import Rule

    post = make_edit("live_post_added", "body", new="Ferries are cancelled.")
    row = {"kind": post.kind, "score": post.score, "site": "example.com", "stealth": 0}
    assert not rule_matches(Rule(name="default"), row)
    assert rule_matches(Rule(name="posts", kinds=frozenset({"live_post_added"}), min_score=0), row)
    started = make_edit("headline_test_started", "title", new="headline test: 2 variants")
    assert rule_matches(Rule(name="default"), {**row, "kind": started.kind, "score": started.score})
    assert not is_stealth([started])


def test_timed_posts_that_keep_growing_at_the_top_make_a_live_page() -> None:
    timed = ("posts with their own times",)
    one = Post("p3", "2026-11-04T12:00:00Z", "Ferries to Gull Island are cancelled today.")
    two = Post("p4", "2026-11-04T13:00:00Z", "Power is back on in most of Saltmarsh tonight.")
    first = decide_newsroom(
        NewsroomKnown(posts=POSTS, growths=0),
        NewsroomSeen(live_page=LivePage(timed, (one, *POSTS))),
        [],
        at(0),
    )
    assert not first.writes.live and first.writes.posts is not None  # watched, not live yet
    second = decide_newsroom(
        NewsroomKnown(posts=(one, *POSTS), growths=1),
        NewsroomSeen(live_page=LivePage(timed, (two, one, *POSTS))),
        [make_edit("sentence_added", "body", new=two.text)],
        at(10),
    )
    assert second.writes.live
    assert [e.kind for e in second.edits] == ["live_post_added"]


def test_a_growing_comment_thread_beside_an_article_is_not_a_live_page() -> None:
    badge = ("live badge", "posts with their own times")
    page = LivePage(badge, POSTS)
    article = NewsroomSeen(live_page=page, body="The council approved the budget on Tuesday.")
    decision = decide_newsroom(NewsroomKnown(growths=5), article, [], at(0))
    assert not decision.writes.live
    story = NewsroomSeen(live_page=page, body=" ".join(p.text for p in POSTS))
    assert decide_newsroom(NewsroomKnown(), story, [], at(0)).writes.live


def test_an_extractor_upgrade_keeps_headline_tests_and_live_posts(tmp_path: Path) -> None:
    from monitor.demo import specials as S
    from monitor.record.page import FetchedPage, record_page
    from monitor.record.reextract import reextract_all
    from tests.test_reextract import pretend_old_extractor

    base = "http://127.0.0.1:8631"
    db = store.open_db(tmp_path / "r.db")
    for check in range(4):
        now = at(10 * check)
        edition = check + 1
        for path, variant in ((S.AB_TEST_PATH, check), (S.LIVE_BLOG_PATH, 0)):
            page = S.render_special(path, edition, base, variant)
            assert page is not None
            record_page(
                db, FetchedPage(base + path, 200, page.body, content_type=page.content_type), now
            )
    kinds = "select kind, new from edits order by change_id, position"
    before = [(r["kind"], r["new"]) for r in db.query(kinds)]
    assert [k for k, _ in before].count("headline_test_started") == 1
    assert ("quote", "should") in before
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    reextract_all(db)
    assert [(r["kind"], r["new"]) for r in db.query(kinds)] == before


ONE = "The crossing reopens on Thursday after three months of repairs to its bearings."
TWO = "Drivers can use the Tamsin crossing again from Thursday morning, the city said."


def standfirst_runs(*wordings: str) -> NewsroomKnown:
    runs = [Run(w, at(10 * i)) for i, w in enumerate(wordings)]
    return NewsroomKnown(runs={"standfirst": runs}, previous_check=runs[-1].at)


def test_a_flip_of_the_standfirst_shown_in_the_body_reports_nothing() -> None:
    # the standfirst a page shows is a body line (extraction revision 8): its flip is two body
    # edits, dropped like a headline flip, and they are not the article's text changing
    edits = [
        make_edit("sentence_removed", "body", old=TWO),
        make_edit("sentence_added", "body", new=ONE),
    ]
    seen = NewsroomSeen(standfirst=ONE, standfirst_lines=(TWO, ONE))
    decision = decide_newsroom(standfirst_runs(ONE, TWO, ONE, TWO), seen, edits, at(40))
    assert decision.edits == ()
    assert decision.variant_only


def test_a_lede_the_description_repeats_is_the_articles_text_not_a_standfirst() -> None:
    # Many sites fill og:description from the first paragraph: the same flip, on a line the
    # extraction did not show as the standfirst, is the article's text going back and forth.
    edits = [
        make_edit("sentence_removed", "body", old=TWO),
        make_edit("sentence_added", "body", new=ONE),
    ]
    lede = NewsroomSeen(standfirst=ONE, standfirst_lines=())
    decision = decide_newsroom(standfirst_runs(ONE, TWO, ONE, TWO), lede, edits, at(40))
    assert [e.kind for e in decision.edits if e.field == "body"] == [
        "sentence_removed",
        "sentence_added",
    ]
    assert not decision.variant_only


def test_a_new_standfirst_and_an_edit_beside_it_are_reported() -> None:
    three = "The crossing stays shut until next spring, engineers found more corrosion."
    rewrite = [
        make_edit("sentence_removed", "body", old=TWO),
        make_edit("sentence_added", "body", new=three),
    ]
    fresh = decide_newsroom(
        standfirst_runs(ONE, TWO), NewsroomSeen(standfirst=three), rewrite, at(20)
    )
    assert [e.kind for e in fresh.edits] == ["sentence_removed", "sentence_added"]
    # during a flip, a body edit outside the standfirst's wordings is still reported
    flip_and_edit = [
        make_edit("sentence_removed", "body", old=TWO),
        make_edit("sentence_added", "body", new=ONE),
        make_edit("number", "body", old="12", new="14", old_sentence="It cost 12 million."),
    ]
    seen = NewsroomSeen(standfirst=ONE, standfirst_lines=(TWO, ONE))
    decision = decide_newsroom(standfirst_runs(ONE, TWO, ONE, TWO), seen, flip_and_edit, at(40))
    assert [e.kind for e in decision.edits] == ["number"]
