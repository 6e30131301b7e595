"""Crawl correctness on realistic sites (issue 12), end to end: real `scrapy crawl` subprocesses
against the loopback news site of tests/sites.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from tests.conftest import built_once, copy_database, crawl, rows
from tests.sites import CHARSET_WORDS, NewsSite

pytestmark = pytest.mark.e2e


@pytest.fixture
def news() -> Iterator[NewsSite]:
    with NewsSite() as https, NewsSite() as site:
        site.other = https
        yield site


def add(db_path: Path, *urls: str) -> None:
    """Track URLs as a user would, with `redline add`."""
    for url in urls:
        result = CliRunner().invoke(cli, ["--db", str(db_path), "add", url])
        assert result.exit_code == 0, result.output


def article_rows(db_path: Path) -> dict[str, dict]:
    return {r["url"]: r for r in rows(db_path, "select * from articles order by id")}


REDIRECT_FORMS = {
    "tracking parameters": "/tracked.html",
    "id to slug, rel=canonical": "/id/7",
    "AMP variant, rel=canonical": "/amp/ferry.html",
    "print variant redirect, rel=canonical": "/print.html",
}


UPGRADE = {"REDLINE_ALLOW_PRIVATE": "True"}


def test_redirects_to_the_article_itself_keep_it_monitored(news: NewsSite, db_path: Path) -> None:
    urls = [news.url(path) for path in REDIRECT_FORMS.values()] + [news.url("/insecure.html")]
    add(db_path, *urls)
    # /insecure.html moves to the "https" site, another port of 127.0.0.1: a named host is
    # trusted on the port named only (tests/test_guard.py), so this crawl allows private
    # addresses, as a newsroom intranet's operator would (`--allow-private`).
    crawl(db_path, UPGRADE, all="true")
    first = rows(db_path, "select status, next_check, version_count from articles")
    assert len(first) == len(urls)
    assert all(
        (a["status"], a["version_count"]) == ("active", 1) and a["next_check"] for a in first
    ), first
    news.edition = news.other.edition = 2
    crawl(db_path, UPGRADE, all="true")
    after = rows(db_path, "select url, status, next_check, version_count from articles")
    assert all(
        (a["status"], a["version_count"]) == ("active", 2) and a["next_check"] for a in after
    ), after
    kinds = rows(db_path, "select article_id, group_concat(kind) as kinds from edits group by 1")
    assert len(kinds) == len(urls)
    assert all(k["kinds"] == "number" for k in kinds), kinds


def test_a_redirect_to_the_tracked_url_with_tracking_parameters(news, db_path) -> None:
    add(db_path, news.url("/tracked.html"))
    crawl(db_path, all="true")
    [row] = rows(db_path, "select * from articles")
    assert (row["url"], row["status"]) == (news.url("/tracked.html"), "active")
    assert row["next_check"] is not None
    assert rows(db_path, "select count(*) as n from edits")[0]["n"] == 0


def test_id_to_slug_renames_the_row_and_fetches_where_the_page_was(news, db_path) -> None:
    add(db_path, news.url("/id/7"))
    crawl(db_path, all="true")
    [row] = rows(db_path, "select * from articles")
    assert row["url"] == news.url("/night-trains-return.html")
    assert row["fetch_url"] == news.url("/night-trains-return.html")
    assert row["status"] == "active"


def test_the_url_is_fetched_as_given_and_keyed_by_its_canonical_form(news, db_path) -> None:
    given = news.url("/story?12345&b=2&a=1")
    add(db_path, given)
    crawl(db_path, all="true")
    [row] = rows(db_path, "select * from articles")
    assert row["url"] == news.url("/story?12345=&a=1&b=2")
    assert row["fetch_url"] == given
    assert (row["status"], row["version_count"]) == ("active", 1)
    assert "/story?12345&b=2&a=1" in news.requests


CHARSETS = ["latin", "cp1252", "sjis", "gb", "conflict"]


def crawl_charset_pages(directory: Path) -> dict[str, str]:
    """One round that checks every charset page, each a tracked article: their URLs by name."""
    with NewsSite() as site:
        urls = {name: site.url(f"/charset/{name}") for name in CHARSETS}
        add(directory / "redline.db", *urls.values())
        crawl(directory / "redline.db", all="true")
    return urls


@pytest.fixture(scope="module")
def charset_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The round runs once for the whole run (`built_once`: each page's test reads only its own
    article's rows); each worker reads its own copy."""
    built, urls = built_once(tmp_path_factory, "charsets", crawl_charset_pages)
    path = copy_database(built / "redline.db", tmp_path_factory.mktemp("charsets") / "redline.db")
    return path, urls


@pytest.mark.parametrize("name", CHARSETS)
def test_a_page_is_decoded_by_its_declared_charset(
    charset_round: tuple[Path, dict[str, str]], name: str
) -> None:
    db_path, urls = charset_round
    [version] = rows(
        db_path,
        "select versions.title, versions.body from versions "
        "join articles on articles.id = versions.article_id "
        "where articles.url = ?",
        [urls[name]],
    )
    words = CHARSET_WORDS["sjis" if name == "conflict" else name][0]
    assert version["title"] == words
    assert words in version["body"]


@pytest.fixture
def throttled() -> Iterator[NewsSite]:
    with NewsSite() as site:
        yield site


def outcomes(db_path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in rows(
        db_path,
        "select articles.url, checks.outcome from checks "
        "join articles on articles.id = checks.article_id order by checks.id",
    ):
        found.setdefault(row["url"].rsplit("/", 1)[-1], []).append(row["outcome"])
    return found


def test_walls_throttling_and_paywalls_are_states_never_content(
    news: NewsSite, throttled: NewsSite, db_path: Path
) -> None:
    from monitor import store

    news.paywall_after = 1
    add(db_path, *(news.url(p) for p in ("/wall.html", "/challenge.html", "/metered.html")))
    # The throttled site's story is asked first and answers at once (no redirect to follow): once
    # throttled.html answers 429 with Retry-After, the rest of its site waits for the rest of the
    # round too (test_retry_after_holds_the_rest_of_the_site_within_the_same_round).
    story = throttled.url("/night-trains-return.html")
    add(db_path, story, throttled.url("/throttled.html"))
    for _ in range(3):
        crawl(db_path, all="true")
    seen = outcomes(db_path)
    assert seen["wall.html"] == seen["challenge.html"] == ["blocked"] * 3
    assert seen["metered.html"] == ["new_article", "blocked", "blocked"]
    assert seen["throttled.html"] == ["blocked"] * 3
    assert rows(db_path, "select count(*) as n from versions")[0]["n"] == 2
    assert rows(db_path, "select count(*) as n from edits")[0]["n"] == 0
    statuses = {r["url"]: r["status"] for r in rows(db_path, "select url, status from articles")}
    assert set(statuses.values()) == {"active"}
    metered = rows(db_path, "select reason from checks where outcome = 'blocked' order by id")
    assert any("identical to the page found blocked" in r["reason"] for r in metered)
    # the throttled site asked for an hour: none of its articles is due before then
    db = store.open_db(db_path)
    try:
        later = store.utc_now() + timedelta(minutes=40)
        due = {a["url"] for a in store.due_articles(db, later)}
    finally:
        db.close()
    assert story not in due
    assert news.url("/wall.html") not in due  # backed off: 30 min, 1 h, 2 h
    result = CliRunner().invoke(cli, ["--db", str(db_path), "sources"])
    assert result.exit_code == 0, result.output
    assert "Retry-After" in result.output


def test_retry_after_holds_the_rest_of_the_site_within_the_same_round(db_path: Path) -> None:
    from monitor import store

    with NewsSite() as site, NewsSite() as other:
        stories = [site.url(f"/many/{n}.html") for n in range(12)]
        add(db_path, site.url("/throttled.html"), *stories, other.url("/night-trains-return.html"))
        # One request at a time to 127.0.0.1 (both sites share the address's download slot), a
        # polite delay between them as in production: the requests wait in the slot's queue. (With
        # no delay at all Scrapy 2.19 starts every queued request of a slot at once, whatever its
        # concurrency, and there is nothing left to hold.)
        settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.2"}
        result = crawl(db_path, settings, all="true")
        base = site.base
        other_story = other.url("/night-trains-return.html")
    asked = [path for path in site.requests if path != "/robots.txt"]
    assert asked.count("/throttled.html") == 1  # a Retry-After is not retried at once
    assert asked[asked.index("/throttled.html") + 1 :] == []  # nothing else of that site after it
    held = [url for url in stories if url.removeprefix(base) not in asked]
    assert held and "redline/held_in_round" in result.stdout
    checked = {r["url"] for r in rows(db_path, "select distinct url from checks")}
    assert not checked & set(held)  # no check: not an error, not backed off
    assert other_story in checked  # another site goes on
    db = store.open_db(db_path)
    try:
        soon = {a["url"] for a in store.due_articles(db, store.utc_now())}
        after_hold = {
            a["url"] for a in store.due_articles(db, store.utc_now() + timedelta(hours=2))
        }
    finally:
        db.close()
    assert not soon & set(held)  # the site's stored hold (Retry-After: 3600) keeps them waiting
    assert set(held) <= after_hold  # and they are due as soon as it ends
