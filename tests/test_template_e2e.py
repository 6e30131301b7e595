"""End to end, through real `scrapy crawl` rounds of the demo site: every article changes template
in one round (title suffix, byline role, link labels, a "Most read" rail, a newsletter box, a
share counter) while the newsroom edits one quotation. One `template_changed` event for the site
and round, and exactly that quotation significant; the same after `redline reextract`."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from monitor import store
from monitor.demo import articles as A
from monitor.record.reextract import reextract_all
from tests.conftest import crawl, rows, track
from tests.test_serve import get

ATOM = "{http://www.w3.org/2005/Atom}"

SIGNIFICANT = "select kind, old, new from edits where significant order by id"
EVENTS = "select site, change_id, new from edits where kind = 'template_changed'"


def test_a_template_change_is_one_event_and_the_real_edit_is_exactly_what_is_reported(
    site, db_path: Path
) -> None:
    site.edition = A.TEMPLATE_BASE_EDITION
    urls = site.article_urls()
    track(db_path, urls)
    crawl(db_path, all="true")
    site.edition = A.TEMPLATE_EDITION
    crawl(db_path, all="true")

    events = rows(db_path, EVENTS)
    assert len(events) == 1, events
    assert f"of {len(urls)} articles checked" in events[0]["new"]
    assert rows(db_path, SIGNIFICANT) == [{"kind": "quote", "old": "nearly", "new": "almost"}]
    # what the template left after normalisation (a title suffix and link labels are no edit at
    # all) is recorded, each with its reason: the round's event, or (once three articles showed
    # it) the site's memory of its other articles
    quiet = rows(
        db_path,
        "select kind, reasons from edits where not significant and kind in "
        "('headline', 'sentence_changed', 'sentence_added', 'sentence_removed')",
    )
    assert len(quiet) <= 2 * len(urls)
    assert all(
        "template_changed" in row["reasons"] or "site furniture" in row["reasons"] for row in quiet
    )
    # shown in the timeline of the article it is attached to
    timeline = rows(
        db_path,
        "select summary from article_timeline where change_id = ?",
        [events[0]["change_id"]],
    )
    assert "site template changed" in timeline[0]["summary"]
    # and in the Atom feed (through Datasette): the event's entry and the quotation's
    feed = get(db_path, "/-/redline/feed.atom")
    titles = [entry.findtext(f"{ATOM}title") or "" for entry in ET.fromstring(feed.content)]
    titles = [t for t in titles if t]
    assert sum("site template changed" in t for t in titles) == 1
    assert sum("quote changed" in t for t in titles) == 1
    rounds = rows(db_path, "select template_changes, closed_at from check_rounds order by id")
    assert [r["template_changes"] for r in rounds] == [1]  # the first round changed nothing
    assert all(r["closed_at"] for r in rounds)
    # the headline is the one the page shows: the site's name the new template adds to every
    # title is not part of it (and so no affix to remember)
    titles = rows(db_path, "select distinct title from versions")
    assert titles and not any("Millbrook Ledger" in t["title"] for t in titles)

    # `redline reextract` (every version made by an older extractor): the same decision
    db = store.open_db(db_path)
    try:
        db.execute("update versions set extractor_version = 'older', roles = null")
        db.conn.commit()
        assert reextract_all(db).changes_recomputed > 0
    finally:
        db.close()
    assert len(rows(db_path, EVENTS)) == 1
    assert rows(db_path, SIGNIFICANT) == [{"kind": "quote", "old": "nearly", "new": "almost"}]
