"""monitor.record.plan: what a fetched page means for its article, decided from plain values
(no database): blocked pages, back-off, maximum age, site holds, redirects to the article itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor.extract.article import Article, extractor_version
from monitor.fetch.policy import RevisitPolicy, parse_retry_after, retry_delay
from monitor.record.plan import (
    UNASKED_304,
    FetchedPage,
    Known,
    Lookups,
    plan_extracted,
    plan_response,
)
from tests.sites import CLOUDFLARE

URL = "https://news.example/b.html"
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
POLICY = RevisitPolicy()


def article(**values: object) -> dict:
    row = {
        "id": 1,
        "url": URL,
        "site": "news.example",
        "status": "active",
        "first_seen": (NOW - timedelta(hours=1)).isoformat(),
        "last_changed": None,
        "last_page_hash": None,
        "failed_page_hash": None,
        "redirected_to": None,
        "etag": None,
        "last_modified": None,
        "failures": 0,
    }
    return row | values


def known(site_failures: int = 0, **values: object) -> Known:
    return Known(article(**values), None, site_failures)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(1, "0:30:00"), (2, "1:00:00"), (3, "2:00:00"), (6, "16:00:00"), (7, "1 day"), (40, "1 day")],
)
def test_failures_back_off_exponentially_up_to_a_day(failures: int, delay: str) -> None:
    assert str(retry_delay(POLICY, failures)).startswith(delay)


def test_a_failure_after_the_previous_ones_waits_longer() -> None:
    plan = plan_response(FetchedPage(URL, 403), known(failures=2), NOW, POLICY)
    assert plan is not None and plan.outcome == "error"
    assert plan.article["failures"] == 3
    assert plan.article["next_check"] == (NOW + timedelta(hours=2)).isoformat()


def test_an_article_past_the_maximum_age_is_never_checked_again_whatever_happened() -> None:
    old = known(first_seen=(NOW - timedelta(days=400)).isoformat())
    plan = plan_response(FetchedPage(URL, 403), old, NOW, POLICY)
    assert plan is not None
    assert (plan.article["next_check"], plan.article["status"]) == (None, "expired")


@pytest.mark.parametrize(
    ("status", "body"),
    [(403, CLOUDFLARE), (503, CLOUDFLARE), (200, CLOUDFLARE), (429, b"<p>Access denied</p>")],
)
def test_bot_walls_are_blocked_never_content(status: int, body: bytes) -> None:
    page = FetchedPage(URL, status, body, content_type="text/html")
    plan = plan_response(page, known(), NOW, POLICY)
    assert plan is not None
    assert plan.outcome == "blocked"
    assert plan.version is None and plan.edits == () and "status" not in plan.article


@pytest.mark.parametrize(
    ("stored", "outcome"),
    [
        ({}, "error"),  # nothing to send: the 304 answers a question never asked
        ({"etag": '"v1"'}, "unchanged"),
        ({"last_modified": "Mon, 02 Nov 2026 08:00:00 GMT"}, "unchanged"),
        ({"etag": '"v1"', "last_modified": "Mon, 02 Nov 2026 08:00:00 GMT"}, "unchanged"),
    ],
)
@pytest.mark.parametrize("fetcher_says", [None, "what was sent"])
def test_a_304_is_unchanged_only_when_the_check_sent_a_validator(
    stored: dict[str, str], outcome: str, fetcher_says: str | None
) -> None:
    # The fetcher says what it sent when it knows; else the stored validators tell.
    sent = None if fetcher_says is None else bool(stored)
    plan = plan_response(FetchedPage(URL, 304, conditional=sent), known(**stored), NOW, POLICY)
    assert plan is not None and plan.outcome == outcome
    assert plan.version is None and plan.edits == ()
    if outcome == "error":
        assert plan.reason == UNASKED_304
        assert plan.article["failures"] == 1 and "last_page_hash" not in plan.article


def test_a_304_to_a_page_fetched_without_its_stored_validator_is_an_error() -> None:
    # A page read in a browser is fetched without its ETag: a 304 then answers nothing asked.
    stored = known(etag='"v1"')
    plan = plan_response(FetchedPage(URL, 304, conditional=False), stored, NOW, POLICY)
    assert plan is not None and plan.outcome == "error" and plan.reason == UNASKED_304


def test_an_article_that_quotes_access_denied_is_not_a_wall() -> None:
    body = b"<html><head><title>Refugees: access denied at the border</title></head></html>"
    assert plan_response(FetchedPage(URL, 200, body), known(), NOW, POLICY) is None


def test_retry_after_holds_the_whole_site() -> None:
    page = FetchedPage(URL, 429, retry_after="3600")
    plan = plan_response(page, known(), NOW, POLICY)
    assert plan is not None and plan.site is not None
    assert plan.site.hold_until == (NOW + timedelta(hours=1)).isoformat()


def test_retry_after_is_bounded() -> None:
    assert parse_retry_after("999999999", NOW) == NOW + timedelta(days=1)
    assert parse_retry_after("Mon, 02 Nov 2026 10:00:00 GMT", NOW) == NOW + timedelta(hours=1)
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("9" * 5000, NOW) == NOW + timedelta(days=1)  # int() refuses it
    assert parse_retry_after("\u00b2", NOW) is None  # a digit to str.isdigit, not to int()


def test_a_site_failing_again_and_again_is_held_as_a_site() -> None:
    calm = plan_response(FetchedPage(URL, 0, error="refused"), known(site_failures=1), NOW, POLICY)
    assert calm is not None and calm.site is not None and calm.site.hold_until is None
    held = plan_response(FetchedPage(URL, 0, error="refused"), known(site_failures=4), NOW, POLICY)
    assert held is not None and held.site is not None
    assert held.site.hold_until == (NOW + timedelta(minutes=30)).isoformat()


def test_identical_bytes_of_a_failed_page_are_not_extracted_again() -> None:
    page = FetchedPage(URL, 200, b"<html>paywall</html>", content_type="text/html")
    remembered = f"blocked {page.digest} {extractor_version()}"
    plan = plan_response(page, known(failed_page_hash=remembered), NOW, POLICY)
    assert plan is not None and plan.outcome == "blocked"
    assert plan_response(page, known(), NOW, POLICY) is None  # not remembered: extract


@pytest.mark.parametrize(
    "final",
    [URL + "?utm_source=rss&utm_medium=feed", "https://NEWS.example:443/b.html#top"],
)
def test_a_redirect_to_the_article_itself_is_no_hand_over(final: str) -> None:
    page = FetchedPage(URL, 200, b"<html></html>", final_url=final)
    plan = plan_extracted(page, known(), None, Article(body="text"), "hash", Lookups(), NOW, POLICY)
    assert plan.outcome == "new_article"
    assert plan.article["status"] == "active"
    assert plan.article["next_check"] is not None
    assert plan.edits == ()


def test_a_move_to_another_tracked_article_is_a_hand_over() -> None:
    page = FetchedPage(URL, 200, b"<html></html>", final_url="https://news.example/c.html")
    plan = plan_extracted(
        page, known(), None, Article(body="text"), "hash", Lookups(final_owner=2), NOW, POLICY
    )
    assert (plan.article["status"], plan.article["next_check"]) == ("redirected", None)
