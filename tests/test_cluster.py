"""The cluster's parts: shards by registered domain, the rounds a tick queues, the Postgres
tables behind `redline cluster init / add / sources / pin / status`."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.cluster.coordination import ClusterConfig, Round, due_rounds
from monitor.cluster.shards import registered_domain, shard_name, shard_of, shard_path
from monitor.store import tags as store_tags

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.bbc.co.uk/news/world-1", "bbc.co.uk"),
        ("https://news.example.com/a", "example.com"),
        ("https://EXAMPLE.com./a", "example.com"),
        ("https://someone.github.io/x", "github.io"),
        ("http://127.0.0.2:8631/a.html", "127.0.0.2"),
        ("http://localhost:8000/", "localhost"),
    ],
)
def test_registered_domain_comes_from_the_bundled_suffix_list(url: str, domain: str) -> None:
    assert registered_domain(url) == domain


def test_every_host_of_a_domain_lands_in_the_same_shard() -> None:
    urls = ["https://www.example.com/a", "https://news.example.com/b", "http://example.com/c"]
    assert len({shard_of(url, 64) for url in urls}) == 1


def test_shards_are_stable_across_processes_and_spread_domains() -> None:
    # sha256, not Python's salted hash(): these numbers hold in every process, on every node.
    assert shard_of("https://www.example.com/", 64) == shard_of("https://example.com/", 64)
    shards = {shard_of(f"https://site{n}.com/", 64) for n in range(500)}
    assert len(shards) == 64


def test_shard_files_are_named_in_shard_order() -> None:
    assert shard_name(7, 64) == "shard-07"
    assert shard_name(7, 1000) == "shard-007"
    assert shard_path(Path("/c"), 3, 8) == Path("/c/shard-3.db")


def shard_row(shard: int = 0, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "shard": shard,
        "node": None,
        "sources": 0,
        "next_due_at": None,
        "check_queued_at": None,
        "last_check_at": None,
        "discover_queued_at": None,
        "last_discover_at": None,
    }
    return row | values


CONFIG = ClusterConfig(directory=Path("/c"), check_every=timedelta(minutes=5))
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (shard_row(), []),
        (shard_row(next_due_at=NOW + MINUTE), []),
        (shard_row(next_due_at=NOW - MINUTE), [Round("check", 0, None)]),
        # queued in this period of 5 minutes (12:00-12:05): articles falling due now wait for
        # the next period
        (
            shard_row(next_due_at=NOW, check_queued_at=NOW, last_check_at=NOW),
            [],
        ),
        # queued 2 minutes ago, in the previous period: queued at this period's first tick,
        # with every other shard due, so that a node takes them into one crawl
        (
            shard_row(
                next_due_at=NOW, check_queued_at=NOW - 2 * MINUTE, last_check_at=NOW - MINUTE
            ),
            [Round("check", 0, None)],
        ),
        (
            shard_row(
                next_due_at=NOW, check_queued_at=NOW - 6 * MINUTE, last_check_at=NOW - 5 * MINUTE
            ),
            [Round("check", 0, None)],
        ),
        # queued 6 minutes ago and not finished: still in flight, never a second one
        (shard_row(next_due_at=NOW, check_queued_at=NOW - 6 * MINUTE), []),
        # started 40 minutes ago (more than a crawl's timeout, 30): its job may still be
        # waiting for two crawls of its node before its own; never a second one
        (shard_row(next_due_at=NOW, check_queued_at=NOW - 40 * MINUTE), []),
        (shard_row(next_due_at=NOW, check_queued_at=NOW - 90 * MINUTE), []),
        # started longer ago than three crawls may run plus the stall timeout: lost, queued again
        (shard_row(next_due_at=NOW, check_queued_at=NOW - 92 * MINUTE), [Round("check", 0, None)]),
        (shard_row(sources=2), [Round("discover", 0, None)]),
        (shard_row(sources=2, node="n1", discover_queued_at=NOW - MINUTE), []),
        (shard_row(3, node="n1", next_due_at=NOW), [Round("check", 3, "n1")]),
    ],
)
def test_a_tick_queues_the_rounds_that_are_due(row: dict, expected: list[Round]) -> None:
    assert due_rounds([row], CONFIG, NOW) == expected


# --- with PostgreSQL ---------------------------------------------------------------------------
def redline(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def init_cluster(pg_url: str, directory: Path, shards: int) -> ClusterConfig:
    """`redline cluster init` of `shards` shards in `directory`; returns its configuration."""
    from monitor.cluster import coordination

    redline("cluster", "--pg", pg_url, "init", "--dir", str(directory), "--shards", str(shards))
    with coordination.connect(pg_url) as conn:
        return coordination.load_config(conn)


def test_cluster_init_add_and_status(pg_url: str, tmp_path: Path) -> None:
    directory = tmp_path / "shards"
    assert "8 shards" in redline("cluster", "--pg", pg_url, "init", "--dir", str(directory),
                                 "--shards", "8")  # fmt: skip
    out = redline("cluster", "--pg", pg_url, "add", "https://www.example.com/a?utm_source=x")
    shard = shard_of("https://example.com/", 8)
    assert out == f"tracking in shard {shard}: https://www.example.com/a\n"
    assert "already tracked" in redline(
        "cluster", "--pg", pg_url, "add", "https://www.example.com/a"
    )
    db = store.open_db(shard_path(directory, shard, 8))
    assert [a["url"] for a in store.all_articles(db)] == ["https://www.example.com/a"]
    db.close()
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    assert status["articles"] == 1 and status["shards"] == 8 and status["nodes"] == []
    row = status["per_shard"][shard]
    assert row["articles"] == 1 and row["next_due_at"] is not None
    assert row["jobs"] == {"queued": 0, "running": 0, "failed": 0}


def test_a_bulk_cluster_add_looks_each_host_up_once_before_any_shard_is_written(
    pg_url: str, tmp_path: Path
) -> None:
    from monitor.cluster import coordination, routing

    config = init_cluster(pg_url, tmp_path, 8)
    asked: list[tuple[str, list[Path]]] = []

    def resolve(host: str) -> list[str]:
        asked.append((host, list(tmp_path.glob("shard-*.db"))))
        return []

    urls = [f"https://{host}/{n}" for host in ("www.example.com", "news.example.org") for n in "ab"]
    with coordination.connect(pg_url) as conn:
        created = routing.track_urls(conn, config, urls, NOW, resolve=resolve)
    assert sum(created.values()) == 4
    assert asked == [("news.example.org", []), ("www.example.com", [])]


def test_init_again_keeps_the_shard_count(pg_url: str, tmp_path: Path) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8",
            "--check-every", "1m")  # fmt: skip
    result = CliRunner().invoke(
        cli, ["cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "16"]
    )
    assert result.exit_code == 1
    assert "the count cannot change" in result.output


def test_sources_go_to_the_shard_of_their_domain(pg_url: str, tmp_path: Path) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nkind = "feed"\nurl = "https://news.example.org/rss.xml"\n'
        '[[source]]\nkind = "section"\nurl = "https://www.example.net/world/"\nmatch = "/world/"\n'
    )
    redline("cluster", "--pg", pg_url, "sources", "--load", str(sources))
    rows = json.loads(redline("cluster", "--pg", pg_url, "sources", "--json"))
    assert [(r["url"], r["shard"]) for r in rows] == [
        ("https://news.example.org/rss.xml", shard_of("https://example.org/", 8)),
        ("https://www.example.net/world/", shard_of("https://example.net/", 8)),
    ]
    db = store.open_db(shard_path(tmp_path, rows[0]["shard"], 8))
    assert [s["url"] for s in store.all_sources(db)] == ["https://news.example.org/rss.xml"]
    db.close()


def test_redline_add_and_sources_with_pg_route_to_the_shard(pg_url: str, tmp_path: Path) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    url = "https://www.example.com/news/a?utm_source=x"
    shard = shard_of(url, 8)
    assert redline("add", url, "--pg", pg_url) == (
        f"tracking in shard {shard}: https://www.example.com/news/a\n"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "feed"\nurl = "https://news.example.org/rss.xml"\n')
    assert redline("sources", "--load", str(sources), "--pg", pg_url).startswith(
        f"1 source(s) added from {sources}"
    )
    rows = json.loads(redline("sources", "--pg", pg_url, "--json"))
    assert [(r["url"], r["shard"]) for r in rows] == [
        ("https://news.example.org/rss.xml", shard_of("https://example.org/", 8))
    ]
    db = store.open_db(shard_path(tmp_path, shard, 8))
    assert [(a["url"], a["fetch_url"]) for a in store.all_articles(db)] == [
        ("https://www.example.com/news/a", url)
    ]
    db.close()


def test_redline_add_with_pg_from_a_file_keeps_each_entry_kind_and_match(
    pg_url: str, tmp_path: Path
) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    listing = tmp_path / "beat.csv"
    listing.write_text(
        "url,kind,match\n"
        "https://www.example.com/news/a,,\n"
        "https://news.example.org/rss.xml,feed,\n"
        "https://www.example.net/world/,section,/world/\n"
        "https://www.example.com/news/b,article,\n",
        encoding="utf-8",
    )
    out = redline("add", "--from", str(listing), "--pg", pg_url)
    assert out.splitlines() == [
        "tracking 2 new article(s) in 1 shard(s); 0 already tracked",
        f"added feed source in shard {shard_of('https://example.org/', 8)}: "
        "https://news.example.org/rss.xml",
        f"added section source in shard {shard_of('https://example.net/', 8)}: "
        "https://www.example.net/world/",
    ]
    rows = json.loads(redline("sources", "--pg", pg_url, "--json"))
    assert [(r["kind"], r["url"], r["match"]) for r in rows] == [
        ("feed", "https://news.example.org/rss.xml", None),
        ("section", "https://www.example.net/world/", "/world/"),
    ]
    db = store.open_db(shard_path(tmp_path, shard_of("https://example.com/", 8), 8))
    assert [a["url"] for a in store.all_articles(db)] == [
        "https://www.example.com/news/a",
        "https://www.example.com/news/b",
    ]
    db.close()


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        ("url,tags\nhttps://example.com/a,council\n", "Error: tags are not available with --pg"),
        ("url,kind\nhttps://example.com/a,\nftp://example.com/rss,feed\n", "Error: entry 2"),
        ("", "Error: give at least one URL, or --from FILE"),
    ],
)
def test_redline_add_with_pg_refuses_what_the_cluster_cannot_keep_and_adds_nothing(
    pg_url: str, tmp_path: Path, listing: str, message: str
) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    (tmp_path / "list.csv").write_text(listing, encoding="utf-8")
    args = ["--from", str(tmp_path / "list.csv")] if listing else []
    result = CliRunner().invoke(cli, ["add", *args, "--pg", pg_url])
    assert result.exit_code in (1, 2), result.output
    assert result.output.strip().splitlines()[-1].startswith(message), result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.glob("shard-*.db")) == []


@pytest.mark.parametrize(
    "command",
    [
        ["sources", "--load", "{file}", "--pg", "{pg}"],
        ["cluster", "--pg", "{pg}", "sources", "--load", "{file}"],
        ["add", "--from", "{file}", "--pg", "{pg}"],
    ],
)
@pytest.mark.parametrize("key", ['render = "browser"', "screenshot = true"])
def test_a_cluster_refuses_rendering_settings_in_one_line_and_adds_nothing(
    pg_url: str, tmp_path: Path, command: list[str], key: str
) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nkind = "feed"\nurl = "https://news.example.org/rss.xml"\n'
        f'[[source]]\nkind = "feed"\nurl = "https://www.example.net/rss.xml"\n{key}\n'
    )
    args = [arg.format(file=sources, pg=pg_url) for arg in command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == (
        "Error: render and screenshot are not available with --pg: https://www.example.net/rss.xml"
    )
    assert list(tmp_path.glob("shard-*.db")) == []
    assert json.loads(redline("sources", "--pg", pg_url, "--json")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "ftp://example.com/a"], "Error: "),
        (["--db", "x.db", "add", "https://example.com/a"], "Error: --db and --pg: a database"),
        (["add", "https://example.com/a", "--match", "x"], "Error: --match goes with --section"),
        (["sources", "--load", "missing.toml"], "Error: "),
    ],
)
def test_redline_add_with_pg_refuses_bad_input_in_one_line(
    pg_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    result = CliRunner().invoke(cli, [*args, "--pg", pg_url])
    assert result.exit_code in (1, 2), result.output
    assert result.output.strip().splitlines()[-1].startswith(message), result.output
    assert len(result.output.strip().splitlines()) <= 4 and "Traceback" not in result.output
    assert list(tmp_path.glob("shard-*.db")) == []


def test_pin_sends_a_shard_to_one_node(pg_url: str, tmp_path: Path) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "4")
    assert redline("cluster", "--pg", pg_url, "pin", "2", "n1") == "shard 2 runs on n1\n"
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    assert status["per_shard"][2]["node"] == "n1"
    redline("cluster", "--pg", pg_url, "pin", "2")
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    assert status["per_shard"][2]["node"] is None


def test_a_cluster_command_without_a_cluster_says_so(pg_url: str) -> None:
    result = CliRunner().invoke(cli, ["cluster", "--pg", pg_url, "status"])
    assert result.exit_code == 1
    assert "run `redline cluster init` first" in result.output


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    from tests.pg import free_port

    url = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    result = CliRunner().invoke(cli, ["cluster", "--pg", url, "status"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the cluster database")


def test_discovered_articles_of_another_domain_move_to_their_shard(tmp_path: Path) -> None:
    from monitor.cluster.routing import path_of, reroute_discovered

    config = ClusterConfig(directory=tmp_path, shards=8)
    feed_site, other = "https://feeds.example.org/", "https://www.example.com/"
    here, there = shard_of(feed_site, 8), shard_of(other, 8)
    assert here != there
    db = store.open_db(path_of(config, here))
    source, _ = store.add_source(db, "feed", feed_site + "rss", "", store.utc_now())
    urls = [feed_site + "a", other + "b"]
    store.track_discovered(db, source["id"], urls, store.utc_now())
    db.close()
    assert reroute_discovered(config, here) == {there: 1}
    for shard, expected in ((here, [urls[0]]), (there, [urls[1]])):
        db = store.open_db(path_of(config, shard))
        assert [a["url"] for a in store.all_articles(db)] == expected
        db.close()
    assert reroute_discovered(config, here) == {}


def test_a_tagged_discovered_article_moves_with_its_tags(tmp_path: Path) -> None:
    # Review finding 1: its tag's foreign key made the delete from the first shard fail.
    from monitor.cluster.routing import path_of, reroute_discovered

    config = ClusterConfig(directory=tmp_path, shards=8)
    feed_site, other = "https://feeds.example.org/", "https://www.example.com/"
    here, there = shard_of(feed_site, 8), shard_of(other, 8)
    db = store.open_db(path_of(config, here))
    source, _ = store.add_source(db, "feed", feed_site + "rss", "", store.utc_now())
    store.track_discovered(db, source["id"], [other + "b"], store.utc_now())
    with store.write_transaction(db):
        db.execute("insert into article_tags (article_id, tag) select id, 'council' from articles")
    db.close()
    assert reroute_discovered(config, here) == {there: 1}
    for shard, expected in ((here, []), (there, [(other + "b", "council")])):
        db = store.open_db(path_of(config, shard))
        tagged = "select url, tag from article_tags join articles on articles.id = article_id"
        assert [(r["url"], r["tag"]) for r in db.query(tagged)] == expected
        assert len(store.all_articles(db)) == len(expected)
        db.close()


def test_a_moved_article_keeps_its_source_fetch_url_and_names_no_host(
    pg_url: str, tmp_path: Path
) -> None:
    # Issue 22, finding 2: the move to the home shard named the article's host (trusted at a
    # private address from then on) and dropped its source and fetch URL.
    from monitor.cluster import coordination, tasks
    from monitor.cluster.routing import path_of
    from monitor.store.watch import watched_sources

    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    feed = "https://feeds.example.org/rss"
    stray, fetched_at = "https://www.example.com/b", "https://www.example.com/b?id=7&x=1"
    here, there = shard_of(feed, 8), shard_of(stray, 8)
    with coordination.connect(pg_url) as conn:
        config = coordination.load_config(conn)
        coordination.add_source(conn, "feed", feed, "", here)
        round_id = coordination.start_round(conn, here, "discover", "n1", None)
    db = store.open_db(path_of(config, here))
    source, _ = store.add_source(db, "feed", feed, "", store.utc_now())
    store.track_discovered(db, source["id"], [stray], store.utc_now(), {stray: fetched_at})
    db.close()

    tasks._end(tasks.Node(pg_url, "n1"), config, "discover", here, round_id, 0)

    home = store.open_db(path_of(config, there))
    (article,) = store.all_articles(home)
    (copy,) = store.all_sources(home)
    assert (article["url"], article["fetch_url"]) == (stray, fetched_at)
    assert article["source_id"] == copy["id"]
    assert (copy["url"], copy["read_by"]) == (feed, path_of(config, here).stem)
    assert "www.example.com" not in store.named_hosts(home)  # discovery names no host
    assert watched_sources(home) == []  # the copy is not read twice
    home.close()
    with coordination.connect(pg_url) as conn:
        row = conn.execute("select articles from redline_shards where shard = %s", [there])
        assert row.fetchone() == {"articles": 1}


def _moved_feed(tmp_path: Path, tags: tuple[str, ...] = ()) -> tuple[dict[str, Path], str]:
    """A feed on one domain (tagged with `tags`) whose articles on two other domains moved to
    their own shards (each with a copy of the feed): the shard files by role, and the feed's
    URL."""
    from monitor.cluster.routing import path_of, reroute_discovered

    config = ClusterConfig(directory=tmp_path, shards=8)
    feed = "https://feeds.example.org/rss"
    urls = {
        "feed": "https://feeds.example.org/a",
        "stray": "https://www.example.com/b",
        "other": "https://news.example.net/c",
    }
    shards = {role: shard_of(url, 8) for role, url in urls.items()}
    assert len(set(shards.values())) == 3
    db = store.open_db(path_of(config, shards["feed"]))
    source, _ = store.add_source(db, "feed", feed, "", NOW)
    store.track_discovered(db, source["id"], list(urls.values()), NOW)
    if tags:
        store_tags.add_tags(db, "source", [source["id"]], tags)
    db.close()
    reroute_discovered(config, shards["feed"])
    return {role: path_of(config, shard) for role, shard in shards.items()}, feed


def _due(paths: dict[str, Path]) -> dict[str, int]:
    """Per shard, how many articles a check round would take (the check spider's query)."""
    counts = {}
    for role, path in paths.items():
        db = store.open_db(path)
        counts[role] = len(store.due_articles(db, NOW + timedelta(hours=1)))
        db.close()
    return counts


@pytest.mark.parametrize("where", ["feed", "stray"])  # from its own shard, or from a copy's
def test_pausing_a_source_reaches_the_shards_its_articles_moved_to(
    tmp_path: Path, where: str
) -> None:
    paths, feed = _moved_feed(tmp_path)
    assert _due(paths) == {"feed": 1, "stray": 1, "other": 1}
    db = str(paths[where])
    paused = redline("--db", db, "pause", "--source", feed)
    assert _due(paths) == {"feed": 0, "stray": 0, "other": 0}
    assert len(paused.splitlines()) == 3  # its own row, then the two other shards'
    assert f"paused it in {paths['other'].stem} too (1 article(s) it found there" in paused
    redline("--db", db, "resume", "--source", feed)
    assert _due(paths) == {"feed": 1, "stray": 1, "other": 1}


@pytest.mark.parametrize(
    ("where", "first_line"),
    [
        # from the feed's shard, which holds no article of the site
        ("feed", "paused site www.example.com in "),
        # from the site's own shard
        ("stray", "paused site www.example.com"),
        # from a third shard
        ("other", "paused site www.example.com in "),
    ],
)
def test_pausing_a_site_reaches_the_shard_that_holds_it_whichever_shard_is_named(
    tmp_path: Path, where: str, first_line: str
) -> None:
    paths, _ = _moved_feed(tmp_path)
    paused = redline("--db", str(paths[where]), "pause", "--site", "www.example.com")
    assert paused.splitlines() == [first_line + ("" if where == "stray" else paths["stray"].stem)]
    assert _due(paths) == {"feed": 1, "stray": 0, "other": 1}
    redline("--db", str(paths[where]), "resume", "--site", "www.example.com")
    assert _due(paths) == {"feed": 1, "stray": 1, "other": 1}


def test_pausing_a_site_no_shard_holds_is_refused_in_one_line(tmp_path: Path) -> None:
    paths, _ = _moved_feed(tmp_path)
    result = CliRunner().invoke(
        cli, ["--db", str(paths["feed"]), "pause", "--site", "nowhere.example"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: no site nowhere.example is tracked"]


def _tagged(paths: dict[str, Path], tag: str) -> dict[str, int]:
    """Per shard, how many articles carry `tag` (their own, or their source's)."""
    counts = {}
    for role, path in paths.items():
        db = store.open_db(path)
        counts[role] = len(store_tags.watch_listing(db, tag=tag))
        db.close()
    return counts


def test_a_source_s_tags_reach_the_shards_its_articles_moved_to(tmp_path: Path) -> None:
    # An article carries its source's tags: a moved article keeps those the feed had, and
    # tagging or untagging the feed afterwards reaches its copies too.
    paths, feed = _moved_feed(tmp_path, tags=("council",))
    assert _tagged(paths, "council") == {"feed": 1, "stray": 1, "other": 1}
    redline("--db", str(paths["stray"]), "tag", "budget", "--source", feed)
    assert _tagged(paths, "budget") == {"feed": 1, "stray": 1, "other": 1}
    redline("--db", str(paths["feed"]), "tag", "council", "--source", feed, "--remove")
    assert _tagged(paths, "council") == {"feed": 0, "stray": 0, "other": 0}


def test_removing_a_source_reaches_its_copies_and_a_single_database_stays_alone(
    tmp_path: Path,
) -> None:
    paths, feed = _moved_feed(tmp_path)
    alone = tmp_path / "redline.db"  # not a shard: the cluster's files are not its business
    db = store.open_db(alone)
    store.track_discovered(db, store.add_source(db, "feed", feed, "", NOW)[0]["id"], [feed], NOW)
    db.close()
    assert redline("--db", str(alone), "pause", "--source", feed).count("\n") == 1
    assert _due(paths) == {"feed": 1, "stray": 1, "other": 1}
    redline("--db", str(paths["feed"]), "remove", "--source", feed)
    assert _due(paths) == {"feed": 0, "stray": 0, "other": 0}


def test_a_round_left_out_as_busy_is_not_finished_and_is_queued_again(
    pg_url: str, tmp_path: Path
) -> None:
    from monitor.cluster import coordination, tasks
    from monitor.crawl import BUSY_EXIT

    config = init_cluster(pg_url, tmp_path, 8)
    now = datetime.now(UTC)
    with coordination.connect(pg_url) as conn:
        coordination.mark_due(conn, 2, 1, now - MINUTE)
        coordination.mark_queued(conn, Round("check", 2, None), now)
        round_id = coordination.start_round(conn, 2, "check", "n1", None)
    tasks._end(tasks.Node(pg_url, "n1"), config, "check", 2, round_id, BUSY_EXIT)
    with coordination.connect(pg_url) as conn:
        shard = conn.execute("select * from redline_shards where shard = 2").fetchone()
        logged = conn.execute("select exit_code from redline_rounds where id = %s", [round_id])
        assert logged.fetchone() == {"exit_code": BUSY_EXIT}
    assert shard is not None and shard["last_check_at"] is None
    shard["next_due_at"] = now - MINUTE  # the file is not there: as if its articles were due
    assert due_rounds([shard], config, now) == [Round("check", 2, None)]


@pytest.mark.parametrize("spider", ["check", "discover"])
def test_a_round_of_a_refused_shard_is_finished_as_failed(
    pg_url: str, tmp_path: Path, spider: str
) -> None:
    """The crawl left a refused shard out (REFUSED_EXIT for its job): the round's end read the
    file again to summarize it (and, after discovery, to move its strays), which raised, so the
    round stayed open in the log with no exit code, the node stayed shown running it, and the
    job failed on that error instead. Now the round is closed with REFUSED_EXIT, the file as it
    was."""
    from monitor.cluster import coordination, routing, tasks
    from monitor.crawl import REFUSED_EXIT

    config = init_cluster(pg_url, tmp_path, 8)
    refused = routing.path_of(config, 2)
    refused.write_bytes(b"not a database at all\n" * 100)
    before = refused.read_bytes()
    with coordination.connect(pg_url) as conn:
        round_id = coordination.start_round(conn, 2, spider, "n1", None)
    tasks._end(tasks.Node(pg_url, "n1"), config, spider, 2, round_id, REFUSED_EXIT)
    with coordination.connect(pg_url) as conn:
        logged = conn.execute(
            "select exit_code, finished_at from redline_rounds where id = %s", [round_id]
        ).fetchone()
        node = conn.execute("select running from redline_nodes where name = 'n1'").fetchone()
    assert logged is not None and logged["exit_code"] == REFUSED_EXIT
    assert logged["finished_at"] is not None
    assert node is None or node["running"] is None
    assert refused.read_bytes() == before


def test_an_article_made_due_while_a_round_ends_keeps_its_shard_due(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A round's end reads the shard file's next due check, then saves it; an article added (or
    # made due) between the two must not be overwritten by the summary read before it, or the
    # shard stays not due until its old revisit time.
    import threading

    from monitor.cluster import coordination, routing, tasks

    config = init_cluster(pg_url, tmp_path, 8)
    now = datetime.now(UTC)
    later = now + timedelta(hours=6)
    with coordination.connect(pg_url) as conn:
        round_id = coordination.start_round(conn, 2, "check", "n1", None)
    marked = threading.Event()

    def added_meanwhile() -> None:
        with coordination.connect(pg_url) as conn:
            coordination.mark_due(conn, 2, 1, now)
        marked.set()

    added = threading.Thread(target=added_meanwhile)

    def summary_then_an_article_added(path: Path) -> store.ShardSummary:
        summary = store.ShardSummary(1, later)  # what the file said when it was read
        added.start()
        marked.wait(2)  # it waits for the round's end to be saved: no longer than this
        return summary

    monkeypatch.setattr(routing, "summarize_shard", summary_then_an_article_added)
    routing.path_of(config, 2).touch()
    tasks._end(tasks.Node(pg_url, "n1"), config, "check", 2, round_id, 0)
    added.join()
    with coordination.connect(pg_url) as conn:
        shard = conn.execute("select * from redline_shards where shard = 2").fetchone()
    assert shard is not None and shard["next_due_at"] <= now, shard


def test_a_round_counts_from_its_start_not_from_when_it_was_queued(
    pg_url: str, tmp_path: Path
) -> None:
    # A job that waited in the queue past the time a round may run is not lost once it starts.
    from monitor.cluster import coordination

    config = init_cluster(pg_url, tmp_path, 8)
    long_ago = datetime.now(UTC) - 100 * MINUTE
    with coordination.connect(pg_url) as conn:
        coordination.mark_due(conn, 3, 1, long_ago)
        coordination.mark_queued(conn, Round("check", 3, None), long_ago)
        shard = conn.execute("select * from redline_shards where shard = 3").fetchone()
        assert due_rounds([shard], config, datetime.now(UTC)) == [Round("check", 3, None)]
        coordination.start_round(conn, 3, "check", "n1", None)
        shard = conn.execute("select * from redline_shards where shard = 3").fetchone()
        coordination.mark_queued(conn, Round("check", 3, None), long_ago)  # a tick's late mark
        late = conn.execute("select check_queued_at from redline_shards where shard = 3")
        assert late.fetchone() == {"check_queued_at": shard["check_queued_at"]}
    assert due_rounds([shard], config, datetime.now(UTC) + 60 * MINUTE) == []


def test_one_node_ticks_at_a_time_and_the_next_tick_takes_the_turn(pg_url: str) -> None:
    # Two ticks deciding at once would both read a shard as due and queue its round twice.
    from monitor.cluster import coordination

    first = coordination.hold_tick(pg_url)
    assert first is not None
    assert coordination.hold_tick(pg_url) is None  # another node's tick skips its turn
    coordination.release_tick(first)  # the node ends its tick
    again = coordination.hold_tick(pg_url)
    assert again is not None
    coordination.release_tick(again)


def test_a_node_that_dies_mid_tick_does_not_keep_the_turn(pg_url: str) -> None:
    from monitor.cluster import coordination

    dead = coordination.hold_tick(pg_url)
    assert dead is not None
    dead.close()  # dies without unlocking: the lock goes when the server sees the connection end
    # The server's backend exits a moment after the client hangs up; how long is the server's
    # business, so the next tick is retried until a deadline far beyond it.
    deadline = time.monotonic() + 30
    while (again := coordination.hold_tick(pg_url)) is None:
        assert time.monotonic() < deadline, "a dead node's connection kept the tick lock"
        time.sleep(0.05)
    coordination.release_tick(again)


def test_a_silent_node_is_shown_dead_with_nothing_running(pg_url: str, tmp_path: Path) -> None:
    from monitor.cluster import coordination

    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "4",
            "--stall-timeout", "10s")  # fmt: skip
    with coordination.connect(pg_url) as conn:
        for name in ("live", "silent", "gone"):
            coordination.register_node(conn, name, 1)
            conn.execute("update redline_nodes set running = 'check 1' where name = %s", [name])
        conn.execute("update redline_nodes set last_seen = now() - interval '11 s' "
                     "where name = 'silent'")  # fmt: skip
        coordination.stop_node(conn, "gone")
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    nodes = {n["name"]: (n["state"], n["alive"], n["running"]) for n in status["nodes"]}
    assert nodes == {
        "gone": ("stopped", False, None),
        "live": ("alive", True, "check 1"),
        "silent": ("dead", False, None),
    }
    assert status["nodes_alive"] == 1
    table = redline("cluster", "--pg", pg_url, "status")
    assert "dead" in table and table.count("check 1") == 1


def test_a_lost_round_is_closed_in_the_log_when_it_is_queued_again(
    pg_url: str, tmp_path: Path
) -> None:
    from monitor.cluster import coordination, tasks

    config = init_cluster(pg_url, tmp_path, 4)
    now = datetime.now(UTC)
    with coordination.connect(pg_url) as conn:
        lost = coordination.start_round(conn, 1, "check", "n1", None)
        fresh = coordination.start_round(conn, 1, "check", "n2", None)
        conn.execute("update redline_rounds set started_at = %s where id = %s",
                     [now - coordination.lost_after(config) - MINUTE, lost])  # fmt: skip
    tasks._mark(pg_url, config, [Round("check", 1, None)], now)
    with coordination.connect(pg_url) as conn:
        rows = conn.execute("select id, finished_at is not null as closed, note "
                            "from redline_rounds order by id").fetchall()  # fmt: skip
    assert rows == [
        {"id": lost, "closed": True, "note": "lost: not finished in time; queued again"},
        {"id": fresh, "closed": False, "note": None},  # one that just started is left alone
    ]


def test_cluster_add_takes_many_urls_and_a_file_in_one_process(pg_url: str, tmp_path: Path) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    listed = tmp_path / "urls.txt"
    listed.write_text(
        "# one a line\nhttps://www.example.com/b?utm_source=x\n\nhttps://news.example.org/b\n"
    )
    out = redline("cluster", "--pg", pg_url, "add", "https://example.net/c",
                  "https://www.example.com/a", "--from", str(listed))  # fmt: skip
    assert out == "tracking 4 new article(s) in 3 shard(s); 0 already tracked\n"
    out = redline("cluster", "--pg", pg_url, "add", "https://example.net/c", "https://x.test/d")
    assert out == "tracking 1 new article(s) in 1 shard(s); 1 already tracked\n"
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    assert status["articles"] == 5
    db = store.open_db(shard_path(tmp_path, shard_of("https://example.com/", 8), 8))
    assert [(a["url"], a["fetch_url"]) for a in store.all_articles(db)] == [
        ("https://www.example.com/a", None),
        ("https://www.example.com/b", "https://www.example.com/b?utm_source=x"),
    ]
    db.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add"], "Error: give a URL or --from FILE"),
        (["add", "https://example.com/a", "ftp://example.com/b"], "Error: only http and https"),
        (["add", "--from", "missing.txt"], "Error: Invalid value for --from: cannot read"),
        (["check"], "Error: give one of --shard N, --site HOST, --all"),
        (["check", "--shard", "1", "--all"], "Error: give one of --shard N, --site HOST, --all"),
        (["check", "--shard", "99"], "Error: Invalid value for --shard: no shard 99"),
        (["check", "--site", "example.com/x"], "Error: Invalid value for --site: not a host"),
        (["search", " "], "Error: QUERY is empty"),
        (["search", "x" * 501], "Error: QUERY is longer than 500 characters"),
    ],
)
def test_cluster_add_and_check_refuse_bad_input_in_one_line(
    pg_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    result = CliRunner().invoke(cli, ["cluster", "--pg", pg_url, *args])
    assert result.exit_code in (1, 2), result.output
    assert result.output.strip().splitlines()[-1].startswith(message), result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.glob("shard-*.db")) == []  # nothing added


def test_cluster_check_queues_rounds_now_once(pg_url: str, tmp_path: Path) -> None:
    from monitor.cluster import coordination

    redline("cluster", "--pg", pg_url, "init", "--dir", str(tmp_path), "--shards", "8")
    urls = ["https://www.example.com/a", "https://news.example.org/b"]
    redline("cluster", "--pg", pg_url, "add", *urls)
    shards = sorted({shard_of(url, 8) for url in urls})
    site_shard = shard_of("https://example.org/", 8)

    def jobs() -> list[tuple[int, str | None]]:
        with coordination.connect(pg_url) as conn:
            rows = conn.execute(
                "select (args->>'shard')::int as shard, lock from procrastinate_jobs "
                "where task_name = 'redline.check_shard' and status = 'todo' order by 1"
            ).fetchall()
        return [(row["shard"], row["lock"]) for row in rows]

    out = redline("cluster", "--pg", pg_url, "check", "--site", "news.example.org")
    assert out == "1 check round(s) queued, 0 already waiting\n"
    assert jobs() == [(site_shard, f"shard-{site_shard}")]
    out = redline("cluster", "--pg", pg_url, "check", "--all")  # only the shards with articles
    assert out == "1 check round(s) queued, 1 already waiting\n"
    assert jobs() == [(shard, f"shard-{shard}") for shard in shards]
    status = json.loads(redline("cluster", "--pg", pg_url, "status", "--json"))
    assert status["jobs"]["queued"] == 2
    assert all(status["per_shard"][s]["jobs"]["queued"] == 1 for s in shards)
    # The tick sees them queued in this period: it does not queue them again.
    with coordination.connect(pg_url) as conn:
        config = coordination.load_config(conn)
        assert due_rounds(coordination.all_shards(conn), config, datetime.now(UTC)) == []


def test_every_edit_ever_made_is_searchable_with_its_shard_diff_page(
    pg_url: str, tmp_path: Path
) -> None:
    # The rollup database is a 30-day window; the edit index keeps every change and edit, and a
    # re-extracted recent change is indexed again in place.
    from monitor.cluster import coordination, search
    from monitor.cluster.routing import path_of
    from tests.test_cluster_rollup import edited_shard

    config = init_cluster(pg_url, tmp_path, 8)
    url = "https://www.example.com/news/a"
    shard = shard_of(url, 8)
    db = edited_shard(path_of(config, shard), url)  # edits made more than 30 days ago
    edits = list(db.query("select change_id, old, new from edits order by id"))
    db.close()
    out = redline("cluster", "--pg", pg_url, "rollup")
    assert out == "0 change(s) rolled up from 1 shard(s); 1 change(s) indexed for search\n"
    word = next(w for e in edits for w in (e["new"] or "").split() if len(w) > 4)
    hits = json.loads(redline("cluster", "--pg", pg_url, "search", word, "--json"))
    assert hits and all(word.lower() in (h["new"] or "").lower() + (h["old"] or "").lower()
                        for h in hits)  # fmt: skip
    assert {h["shard_file"] for h in hits} == {f"{shard_name(shard, 8)}.db"}
    assert all(h["diff_page"] == f"/-/redline/diff/{h['change_id']}" for h in hits)
    # The change's row, under `redline serve --cluster` (every shard beside the rollup).
    from monitor.cluster.rollup import open_rollup
    from tests.test_cluster_workers import fetch

    open_rollup(tmp_path).close()
    page = hits[0]["change_page"]
    (row,) = fetch(tmp_path / "rollup.db", [page + ".json?_shape=array"],
                   shards=[path_of(config, shard)])[page + ".json?_shape=array"].json()  # fmt: skip
    assert row["id"] == hits[0]["change_id"]
    with coordination.connect(pg_url) as conn:
        indexed = conn.execute("select count(*) as n from redline_edits").fetchone()
        assert indexed == {"n": len(edits)}
        assert [h.change_id for h in search.search(conn, "nosuchwordanywhere", 10)] == []
    assert "0 change(s) indexed" in redline("cluster", "--pg", pg_url, "rollup")
    assert redline("cluster", "--pg", pg_url, "search", "nosuchwordanywhere") == "no edit matches\n"
