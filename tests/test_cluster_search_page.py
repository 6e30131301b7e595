"""The cluster's search page under `redline serve --cluster DIR --pg URL`: one box over every
edit the cluster ever recorded (the PostgreSQL index), each hit linked to its diff page in its own
shard (`/-/redline/diff/ID?db=shard-NN`), which opens there; only the server's Redline databases
may be named."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.cluster.routing import path_of
from monitor.cluster.shards import ROLLUP_FILE, shard_files, shard_name, shard_of
from monitor.record.page import FetchedPage, record_page
from monitor.web.datasette import cluster_search
from monitor.web.serve import CLUSTER_READ_ONLY, make_datasette
from tests.test_cluster import init_cluster, redline
from tests.test_record import PARAGRAPHS, T0, html

SHARDS = 8
# Two sites on two shards, one edit each, with the same change id (1) in both files: a link that
# went to the wrong shard would open the other story.
FIRST = "https://www.first.example/news/vote"
SECOND = "https://news.second.example/local/vote"
# Site-written text that would be markup if a page printed it raw.
HOSTILE = "<script>alert(1)</script>"


def record_edit(path: Path, url: str, old: str, new: str) -> None:
    """Two versions of a story on `url` in a shard file: `old` became `new` in its last
    paragraph."""
    last = PARAGRAPHS[3].replace("seven to four", "{}")
    pages = [
        html((*PARAGRAPHS[:3], last.format(text)), title="Council vote &lt;b&gt;counted&lt;/b&gt;")
        for text in (old, new)
    ]
    db = store.open_db(path)
    try:
        for page in pages:
            record_page(db, FetchedPage(url, 200, page, content_type="text/html"), T0)
    finally:
        db.close()


@pytest.fixture(scope="module")
def pg_url(postgres: Any) -> str:
    """One database on the session's PostgreSQL server for the module's tests, which only read
    the cluster indexed in it (the searches, the pages)."""
    return str(postgres.create_database())


@pytest.fixture(scope="module")
def cluster(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cluster of SHARDS shards with FIRST's and SECOND's edits, rolled up and indexed; built
    once for the module (its tests read it: Datasette opens it read-only), not once a test."""
    directory = tmp_path_factory.mktemp("cluster")
    config = init_cluster(pg_url, directory, SHARDS)
    assert shard_of(FIRST, SHARDS) != shard_of(SECOND, SHARDS)
    hostile = HOSTILE.replace("<", "&lt;").replace(">", "&gt;")  # as text on the page
    first = f"eight to four, with {hostile} in the minutes"
    record_edit(path_of(config, shard_of(FIRST, SHARDS)), FIRST, "seven to four", first)
    record_edit(path_of(config, shard_of(SECOND, SHARDS)), SECOND, "seven to four", "nine to four")
    assert "2 change(s) indexed" in redline("cluster", "--pg", pg_url, "rollup")
    return directory


def get(directory: Path, pg_url: str, *paths: str, follow: bool = False) -> list[Any]:
    """GET each path in turn through Datasette's in-process client, on the server `redline serve
    --cluster DIRECTORY --pg URL` builds; with `follow`, then each hit link of the first page."""

    async def run() -> list[Any]:
        datasette = make_datasette(
            directory / ROLLUP_FILE,
            shards=shard_files(directory),
            read_only=CLUSTER_READ_ONLY,
            pg_url=pg_url,
        )
        await datasette.invoke_startup()
        responses = [await datasette.client.get(path) for path in paths]
        if follow:
            links = hit_links(responses[0].text)
            responses += [await datasette.client.get(link) for link in links]
        return responses

    store.open_db(directory / ROLLUP_FILE).close()
    return asyncio.run(run())


def hit_links(page: str) -> list[str]:
    """The diff links of a search page, as a browser follows them."""
    found = re.findall(r'<a href="([^"]+)" class="diff-link"', page)
    return [link.replace("&amp;", "&") for link in found]


def test_a_search_finds_an_edit_made_on_a_shard_and_opens_its_diff_there(
    cluster: Path, pg_url: str
) -> None:
    search, diff = get(cluster, pg_url, "/-/redline/search?q=eight", follow=True)
    assert search.status_code == 200
    shard = shard_name(shard_of(FIRST, SHARDS), SHARDS)
    assert hit_links(search.text) == [f"/-/redline/diff/1?db={shard}"]
    hits = json.loads(redline("cluster", "--pg", pg_url, "search", "eight", "--json"))
    assert [hit["cluster_diff_page"] for hit in hits] == hit_links(search.text)
    assert FIRST in search.text and SECOND not in search.text
    assert diff.status_code == 200
    assert FIRST in diff.text and "eight" in diff.text and "nine to four" not in diff.text
    # The diff page's own links stay in the shard.
    assert f'href="/-/redline/article/1?db={shard}"' in diff.text
    # The same id in the other shard is the other story.
    other = shard_name(shard_of(SECOND, SHARDS), SHARDS)
    (page,) = get(cluster, pg_url, f"/-/redline/diff/1?db={other}")
    assert page.status_code == 200 and SECOND in page.text and "nine" in page.text


def test_the_article_page_of_a_shard_opens_with_its_links_in_the_shard(
    cluster: Path, pg_url: str
) -> None:
    shard = shard_name(shard_of(FIRST, SHARDS), SHARDS)
    (page,) = get(cluster, pg_url, f"/-/redline/article/1?db={shard}")
    assert page.status_code == 200 and FIRST in page.text
    assert f'href="/-/redline/diff/1?db={shard}"' in page.text
    assert f'<input type="hidden" name="db" value="{shard}">' in page.text
    (picked,) = get(cluster, pg_url, f"/-/redline/article/1/compare?from=2&to=1&db={shard}")
    assert picked.status_code == 302
    assert picked.headers["location"] == f"/-/redline/compare/1/1/2?db={shard}"


# Names a visitor might try: none is one of the server's Redline databases.
NOT_REDLINE = [
    "nosuch",
    "shard-99",  # not a shard of this cluster
    "_internal",  # Datasette's own database: mounted, not a Redline database
    "../rollup",
    "",
]


@pytest.mark.parametrize(
    "page",
    [
        "/-/redline/diff/1",
        "/-/redline/compare/1/1/2",
        "/-/redline/article/1",
        "/-/redline/snapshot/1",
        "/-/redline/snapshot/1/page",
    ],
)
def test_a_page_opens_on_a_mounted_shard_and_any_other_name_is_a_404(
    cluster: Path, pg_url: str, page: str
) -> None:
    shard = shard_name(shard_of(FIRST, SHARDS), SHARDS)
    good, *bad = get(cluster, pg_url, *(f"{page}?db={name}" for name in [shard, *NOT_REDLINE]))
    assert good.status_code == 200
    assert [response.status_code for response in bad] == [404] * len(NOT_REDLINE)


def test_an_id_past_sqlites_integers_is_a_404_on_a_shard_too(cluster: Path, pg_url: str) -> None:
    shard = shard_name(shard_of(FIRST, SHARDS), SHARDS)
    (page,) = get(cluster, pg_url, f"/-/redline/diff/99999999999999999999?db={shard}")
    assert page.status_code == 404


def test_site_written_text_is_escaped_on_the_search_and_diff_pages(
    cluster: Path, pg_url: str
) -> None:
    search, diff = get(cluster, pg_url, "/-/redline/search?q=minutes", follow=True)
    for page in (search, diff):
        assert page.status_code == 200
        assert HOSTILE not in page.text and "<b>counted</b>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/-/redline/search?q=nosuchwordanywhere", 200, "No edit matches “nosuchwordanywhere”"),
        ("/-/redline/search?q=eight&site=news.second.example", 200, "No edit matches"),
        ("/-/redline/search", 200, 'name="q"'),
        ("/-/redline/search?q=" + "a" * 501, 400, "longer than 500 characters"),
    ],
)
def test_the_search_page_says_what_it_found(
    cluster: Path, pg_url: str, path: str, status: int, says: str
) -> None:
    (page,) = get(cluster, pg_url, path)
    assert page.status_code == status
    assert says in page.text
    assert 'id="search-hits"' not in page.text


def test_the_desk_links_to_the_search_only_when_it_has_the_index(
    cluster: Path, pg_url: str
) -> None:
    (desk,) = get(cluster, pg_url, "/")
    assert 'id="cluster-search"' in desk.text and 'action="/-/redline/search"' in desk.text
    (desk, search) = get(cluster, "", "/", "/-/redline/search?q=eight")
    assert 'id="cluster-search"' not in desk.text
    assert search.status_code == 404


def test_an_unreachable_index_is_one_line_not_its_address(cluster: Path) -> None:
    (page,) = get(cluster, "postgresql://nobody:secret@127.0.0.1:1/none", "/-/redline/search?q=x")
    assert page.status_code == 503
    assert "cannot answer now" in page.text and "secret" not in page.text


def test_serve_takes_pg_only_with_a_cluster(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "r.db"), "serve", "--pg", "postgresql://x/y"]
    )
    assert result.exit_code == 2 and "--pg needs --cluster DIR" in result.output


@pytest.mark.e2e
def test_redline_serve_cluster_with_pg_serves_the_search_from_the_environment(
    cluster: Path, pg_url: str
) -> None:
    import httpx

    from tools.screenshots import start_server, stop_server

    server, base = start_server(
        cluster / "unused.db", "--cluster", str(cluster), env_extra={"REDLINE_PG": pg_url}
    )
    try:
        page = httpx.get(f"{base}/-/redline/search", params={"q": "eight"}, timeout=60)
        assert page.status_code == 200
        (link,) = hit_links(page.text)
        assert FIRST in httpx.get(base + link, timeout=60).text  # httpx's own default is 5 s
    finally:
        stopped = stop_server(server)
    assert stopped.status == 0
    assert "cluster search: /-/redline/search" in stopped.output and pg_url not in stopped.output


def test_the_search_pages_through_every_hit_with_next_and_previous_links(
    cluster: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_search, "SEARCH_PAGE", 1)  # two hits: two pages
    everyone = json.loads(redline("cluster", "--pg", pg_url, "search", "seven", "--json"))
    assert len(everyone) == 2
    first, second, past = get(
        cluster, pg_url, *(f"/-/redline/search?q=seven&page={n}" for n in (1, 2, 3))
    )
    assert [len(hit_links(page.text)) for page in (first, second, past)] == [1, 1, 0]
    assert hit_links(first.text) + hit_links(second.text) == [
        hit["cluster_diff_page"] for hit in everyone
    ]
    assert 'href="/-/redline/search?q=seven&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert 'href="/-/redline/search?q=seven&amp;page=1" rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    assert "Edits 2–2 matching" in second.text
    assert past.status_code == 200 and "No edit matches “seven” past the first 2" in past.text


@pytest.mark.parametrize("page", ["0", "x", "²", str(cluster_search.SEARCH_PAGES + 1), "9" * 40])
def test_a_page_out_of_bounds_is_one_line(cluster: Path, pg_url: str, page: str) -> None:
    (answer,) = get(cluster, pg_url, f"/-/redline/search?q=seven&page={page}")
    assert answer.status_code == 400
    assert f"the page is a number from 1 to {cluster_search.SEARCH_PAGES}" in answer.text
    assert 'id="search-hits"' not in answer.text


def test_the_last_page_a_search_reaches_says_so(
    cluster: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster_search, "SEARCH_PAGE", 1)
    monkeypatch.setattr(cluster_search, "SEARCH_PAGES", 1)  # two hits, one page reachable
    (page,) = get(cluster, pg_url, "/-/redline/search?q=seven")
    assert len(hit_links(page.text)) == 1 and 'rel="next"' not in page.text
    assert "the search goes no further: add words to find older ones" in page.text
