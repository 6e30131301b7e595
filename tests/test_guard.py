"""The private-address guard on every hop, against real `scrapy crawl` subprocesses.

Two loopback addresses stand in for two hosts: 127.0.0.1 is the news site the user added (a host
they named, so the guard lets the crawler reach it although it is loopback), 127.0.0.2 an
internal host nobody named. Both are loopback, so the guard treats them exactly as it would a
public site and an intranet box: no test hook weakens it. Whatever the public site redirects to
or lists on the internal host must never be requested.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import store
from monitor.crawl import run_crawl
from tests.conftest import FAST, rows
from tests.loopback import Pages, start_pages

pytestmark = pytest.mark.e2e

SECRET = "<html><head><title>Internal</title></head><body><p>{}</p></body></html>".format(
    "The secret text of an internal service that no visitor of the archive should read. " * 5
)


Host = Pages  # a loopback HTTP server answering fixed routes, recording every path asked


@pytest.fixture
def hosts() -> Iterator[tuple[Host, Host]]:
    public, internal = Host("127.0.0.1"), Host("127.0.0.2")
    try:
        servers = [start_pages(public), start_pages(internal)]
    except OSError as error:
        pytest.skip(f"cannot listen on 127.0.0.2 here: {error}")
    internal.routes = {
        "/secret.html": (200, {}, SECRET),
        "/latest/meta-data": (200, {"Content-Type": "text/plain"}, "iam-role-credentials"),
        "/sitemap.xml": (200, {"Content-Type": "application/xml"}, "<urlset/>"),
        "/child.xml": (200, {"Content-Type": "application/xml"}, "<urlset/>"),
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, "<rss/>"),
    }
    public.routes = {
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            f"User-agent: *\nAllow: /\nSitemap: {internal.url('/sitemap.xml')}\n",
        ),
        "/story.html": (302, {"Location": internal.url("/secret.html")}, ""),
        "/meta.html": (302, {"Location": internal.url("/latest/meta-data")}, ""),
        "/renamed.html": (302, {"Location": f"http://localhost:{public.port}/secret.html"}, ""),
        "/secret.html": (200, {}, SECRET),
        "/index.xml": (
            200,
            {"Content-Type": "application/xml"},
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{internal.url('/child.xml')}</loc></sitemap></sitemapindex>",
        ),
        "/feed.xml": (302, {"Location": internal.url("/feed.xml")}, ""),
    }
    yield public, internal
    for server in servers:
        server.shutdown()
        server.server_close()


def _add(db_path: Path, urls: list[str]) -> None:
    db = store.open_db(db_path)
    for url in urls:
        store.track_article(db, url, store.utc_now())  # as `redline add` does: names the host
    db.close()


def test_a_redirect_to_a_host_nobody_named_is_refused_and_never_stored(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, internal = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/story.html"), public.url("/meta.html")])
    result = run_crawl("check", db_path, {"all": "true"}, FAST)
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-4000:]
    assert internal.requested == []
    checks = rows(db_path, "select url, outcome, reason, snapshot_id from checks order by url")
    assert [c["outcome"] for c in checks] == ["error", "error"]
    assert all("127.0.0.2 is a loopback address" in c["reason"] for c in checks), checks
    assert all("not a host you added" in c["reason"] for c in checks), checks
    assert rows(db_path, "select count(*) as n from snapshots") == [{"n": 0}]
    assert rows(db_path, "select count(*) as n from versions") == [{"n": 0}]


def test_a_host_the_user_named_is_fetched_even_on_a_loopback_address(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, _ = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/secret.html")])
    run_crawl("check", db_path, {"all": "true"}, FAST)
    assert rows(db_path, "select outcome from checks") == [{"outcome": "new_article"}]


def test_an_article_only_discovered_on_a_private_address_names_no_host(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, internal = hosts
    db_path = tmp_path / "redline.db"
    db = store.open_db(db_path)
    source, _ = store.add_source(db, "feed", public.url("/feed.xml"), "", store.utc_now())
    store.track_discovered(db, source["id"], [internal.url("/secret.html")], store.utc_now())
    db.close()
    run_crawl("check", db_path, {"all": "true"}, FAST)
    assert internal.requested == []
    [check] = rows(db_path, "select outcome, reason from checks")
    assert check["outcome"] == "error" and "refused" in check["reason"]


def test_allow_private_lets_every_loopback_host_through(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, internal = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/story.html")])
    run_crawl("check", db_path, {"all": "true"}, {**FAST, "REDLINE_ALLOW_PRIVATE": "True"})
    assert internal.requested == ["/robots.txt", "/secret.html"]


def test_discovery_never_reaches_the_internal_host(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, internal = hosts
    db_path = tmp_path / "redline.db"
    db = store.open_db(db_path)
    for kind, path in (
        ("sitemap", "/robots.txt"),
        ("sitemap", "/index.xml"),
        ("feed", "/feed.xml"),
    ):
        store.add_source(db, kind, public.url(path), "", store.utc_now())
    db.close()
    result = run_crawl("discover", db_path, {}, FAST)
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-4000:]
    assert internal.requested == []
    for path in ("/sitemap.xml", "/child.xml", "/feed.xml"):
        assert f"refused {internal.url(path)}: 127.0.0.2 is a loopback address" in result.stdout


def test_a_name_resolving_to_loopback_is_refused_at_connect_time_too(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    """With the middleware's check switched off, as DNS rebinding would defeat it (a public
    address for the middleware's look-up, a private one at connect time), the resolver the
    connection uses still refuses: `localhost` is loopback and nobody named it."""
    public, _ = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/renamed.html")])
    without_middleware = json.dumps({"crawler.guard.PrivateAddressMiddleware": None})
    result = run_crawl(
        "check",
        db_path,
        {"all": "true"},
        {**FAST, "RETRY_TIMES": "0", "DOWNLOADER_MIDDLEWARES": without_middleware},
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "/secret.html" not in public.requested
    assert "refused to connect to localhost at connect time" in result.stdout
    [check] = rows(db_path, "select outcome, reason from checks")
    assert check["outcome"] == "error" and "DNS lookup failed" in check["reason"]


def test_the_middleware_refuses_a_name_resolving_to_loopback(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    public, _ = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/renamed.html")])
    run_crawl("check", db_path, {"all": "true"}, FAST)
    assert "/secret.html" not in public.requested
    [check] = rows(db_path, "select outcome, reason from checks")
    assert "localhost (127.0.0.1) is a loopback address" in check["reason"], check


@pytest.fixture
def other_port(hosts: tuple[Host, Host]) -> Iterator[Host]:
    """A second service on the news site's own address, on another port (an admin console)."""
    service = Host("127.0.0.1", routes={"/secret.html": (200, {}, SECRET)})
    server = start_pages(service)
    yield service
    server.shutdown()
    server.server_close()


def test_a_redirect_to_another_port_of_a_named_host_is_refused(
    hosts: tuple[Host, Host], other_port: Host, tmp_path: Path
) -> None:
    """The user named 127.0.0.1 on the news site's port only: a redirect to the same address on
    another port is refused like any private address, with the reason in the check."""
    public, _ = hosts
    public.routes["/moved.html"] = (302, {"Location": other_port.url("/secret.html")}, "")
    db_path = tmp_path / "redline.db"
    _add(db_path, [public.url("/moved.html")])
    result = run_crawl("check", db_path, {"all": "true"}, FAST)
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-4000:]
    assert other_port.requested == []
    [check] = rows(db_path, "select outcome, reason from checks")
    assert check["outcome"] == "error"
    assert (
        f"on port {other_port.port}: you added 127.0.0.1 on port {public.port} only"
        in (check["reason"])
    ), check
    assert rows(db_path, "select count(*) as n from versions") == [{"n": 0}]


def test_a_name_that_was_public_when_added_and_now_resolves_to_loopback_is_refused(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    """DNS rebinding: the user added `localhost:PORT` when the name resolved to a public address
    (the add-time look-up answers 93.184.216.34); the crawl then finds it on 127.0.0.1 and
    refuses it, robots.txt included, without fetching anything from the loopback server."""
    public, _ = hosts
    db_path = tmp_path / "redline.db"
    db = store.open_db(db_path)
    url = f"http://localhost:{public.port}/secret.html"
    store.track_article(db, url, store.utc_now(), resolve=lambda _: ["93.184.216.34"])
    db.close()
    result = run_crawl("check", db_path, {"all": "true"}, FAST)
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-4000:]
    assert public.requested == []
    [check] = rows(db_path, "select outcome, reason from checks")
    assert check["outcome"] == "error"
    assert (
        "localhost (127.0.0.1) is a loopback address, and not one localhost had when you "
        in (check["reason"])
    ), check


def test_a_name_that_resolved_to_loopback_when_added_is_fetched_there(
    hosts: tuple[Host, Host], tmp_path: Path
) -> None:
    """A name the user added while it resolved to a private address (an intranet site) is
    trusted at that address and port."""
    public, _ = hosts
    db_path = tmp_path / "redline.db"
    _add(db_path, [f"http://localhost:{public.port}/secret.html"])
    crawl = run_crawl("check", db_path, {"all": "true"}, FAST)
    assert crawl.returncode == 0, crawl.stdout[-4000:]
    assert rows(db_path, "select outcome from checks") == [{"outcome": "new_article"}]
    [named] = rows(db_path, "select host, port, addresses from named_hosts")
    assert (named["host"], named["port"]) == ("localhost", public.port)
    assert "127.0.0.1" in json.loads(named["addresses"])
