"""The terminal side of the watch desk: `redline add` with several URLs and `--from`, `redline
articles`, `redline tag`, `export --force`, times with their zone, piped output kept whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor import store
from monitor.cli import cli
from monitor.cli.render import edit_change, zone_named
from monitor.fetch.watch_list import WatchEntry
from monitor.watching import add_entries
from tests.test_serve import HOSTILE_URL, REMOVED_URL, build_newsroom

A = "https://news.example.org/2026/a.html"
B = "https://news.example.org/2026/b.html"
FEED = "https://news.example.org/rss.xml"


def run(db_path: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], env=env or {"TZ": ""})


def one_line_error(result: Result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    for word in words:
        assert word in result.output


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "x.db"


def test_add_takes_several_urls_with_tags(db_path: Path) -> None:
    result = run(db_path, "add", A, B + "?utm_source=share", "--tag", "Council, elections")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"tracking: {A} (tags: council, elections)",
        f"tracking: {B} (tags: council, elections)",
    ]


def test_add_reads_a_watch_list_file(db_path: Path, tmp_path: Path) -> None:
    listing = tmp_path / "beat.csv"
    listing.write_text(f"url,kind,tags\n{A},,council\n{FEED},feed,elections\n", encoding="utf-8")
    result = run(db_path, "add", "--from", str(listing), "--tag", "beat")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"tracking: {A} (tags: council, beat)",
        f"added feed source: {FEED} (tags: elections, beat)",
    ]


def test_a_bulk_add_looks_each_host_up_once_before_it_writes(db_path: Path) -> None:
    # a look-up inside the write transaction would hold the database's lock while DNS answers
    db = store.open_db(db_path)
    asked: list[tuple[str, bool]] = []

    def resolve(host: str) -> list[str]:
        asked.append((host, db.conn.in_transaction))
        return ["10.0.0.7"] if host == "intranet.example" else ["93.184.215.14"]

    intranet = "http://intranet.example:8080/notes"
    entries = [WatchEntry(A), WatchEntry(B), WatchEntry(FEED, "feed"), WatchEntry(intranet)]
    try:
        add_entries(db, entries, datetime(2026, 12, 1, tzinfo=UTC), resolve=resolve)
        named = {(h.host, h.port): h.addresses for h in store.named_hosts(db)}
    finally:
        db.close()
    assert asked == [("intranet.example", False), ("news.example.org", False)]
    assert named == {
        ("news.example.org", 443): frozenset(),
        ("intranet.example", 8080): frozenset({"10.0.0.7"}),
    }


def test_one_bad_url_adds_nothing(db_path: Path) -> None:
    one_line_error(run(db_path, "add", A, "ftp://x.example/", B), "entry 2", "http and https")
    assert json.loads(run(db_path, "articles", "--json").output) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["add"], ["at least one URL"]),
        (["add", A, "--match", "x"], ["--match goes with --section"]),
        (["add", "--from", "/no/such/list.txt"], ["cannot read"]),
    ],
)
def test_add_mistakes_are_one_line(db_path: Path, args: list[str], words: list[str]) -> None:
    result = run(db_path, *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert all(word in result.output for word in words), result.output


def test_a_database_in_a_missing_directory_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    one_line_error(run(missing, "add", A), "no directory")
    assert not (tmp_path / "no").exists()


def test_articles_lists_what_is_watched_with_tags_and_state(db_path: Path) -> None:
    run(db_path, "add", A, B, "--tag", "council")
    run(db_path, "add", FEED, "--feed")
    assert run(db_path, "tag", "elections", "--source", "1").exit_code == 0
    assert run(db_path, "tag", "front page", "a1").output == "tagged a1: front page\n"
    assert run(db_path, "pause", "a2").exit_code == 0
    rows = json.loads(run(db_path, "articles", "--json").output)
    assert [(r["id"], r["state"], r["site"], r["tags"], r["versions"]) for r in rows] == [
        (2, "paused", "news.example.org", ["council"], 0),
        (1, "on", "news.example.org", ["council", "front page"], 0),
    ]
    table = run(db_path, "articles", "--tag", "front page").output
    assert "a1" in table and A in table and "a2" not in table and "never" in table
    assert [
        r["id"] for r in json.loads(run(db_path, "articles", "--state", "paused", "--json").output)
    ] == [2]


def test_untag_and_unknown_targets(db_path: Path) -> None:
    run(db_path, "add", A, "--tag", "council")
    assert run(db_path, "tag", "council", "a1", "--remove").output == "untagged a1: council\n"
    assert json.loads(run(db_path, "articles", "--json").output)[0]["tags"] == []
    one_line_error(run(db_path, "tag", "council", "a9"), "no article a9")
    one_line_error(run(db_path, "tag", "x<y>", "a1"), "not a tag")


def test_an_article_found_by_a_tagged_source_carries_its_tags(db_path: Path) -> None:
    run(db_path, "add", FEED, "--feed", "--tag", "elections")
    db = store.open_db(db_path)
    try:
        store.track_discovered(db, 1, [A], store.utc_now())
    finally:
        db.close()
    rows = json.loads(run(db_path, "articles", "--tag", "elections", "--json").output)
    assert [(r["url"], r["tags"]) for r in rows] == [(A, ["elections"])]


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "n.db")
    target = tmp_path / "evidence.warc.gz"
    target.write_bytes(b"earlier evidence")
    one_line_error(run(newsroom.path, "export", HOSTILE_URL, "--warc", str(target)), "--force")
    assert target.read_bytes() == b"earlier evidence"
    forced = run(newsroom.path, "export", HOSTILE_URL, "--warc", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != b"earlier evidence"


@pytest.mark.parametrize(
    ("args", "env", "zone"),
    [
        ([], {"TZ": ""}, "UTC"),
        (["--tz", "Asia/Tokyo"], {"TZ": ""}, "JST"),
        ([], {"TZ": "Asia/Tokyo"}, "JST"),
    ],
)
def test_times_say_their_zone(
    tmp_path: Path, args: list[str], env: dict[str, str], zone: str
) -> None:
    newsroom = build_newsroom(tmp_path / "n.db")
    result = run(newsroom.path, *args, "history", HOSTILE_URL, env=env)
    assert result.exit_code == 0, result.output
    assert f" {zone}" in result.output


def test_an_unknown_zone_is_one_line(db_path: Path) -> None:
    result = run(db_path, "--tz", "Mars/Olympus", "articles")
    assert result.exit_code == 2 and "unknown time zone" in result.output


def test_piped_output_keeps_whole_urls_and_markers(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "n.db")
    removed = run(newsroom.path, "edits", "--kind", "removed").output
    assert REMOVED_URL in removed  # whole, not cut in the middle
    quotes = run(newsroom.path, "edits", "--kind", "quote").output
    assert "[-" in quotes or "{+" in quotes


def test_a_redirect_shows_both_addresses_whole_without_colour() -> None:
    old = "https://news.example.org/2026/11/02/a-very-long-article-address-that-goes-on.html"
    new = "https://news.example.org/politics/2026/11/02/a-very-long-article-address-moved.html"
    assert str(edit_change(old, new, marks=True)) == f"[-{old}-] → {{+{new}+}}"


@pytest.mark.parametrize(
    ("name", "expected"), [("", "UTC"), ("UTC", "UTC"), (":Europe/Paris", "Europe/Paris")]
)
def test_zone_names(name: str, expected: str) -> None:
    assert str(zone_named(name)) == expected


def test_the_watch_list_exports_and_reads_back(db_path: Path, tmp_path: Path) -> None:
    run(db_path, "add", A, "--tag", "council")
    run(db_path, "add", FEED, "--feed", "--tag", "elections")
    exported = run(db_path, "articles", "--export", "toml")
    assert exported.exit_code == 0, exported.output
    listing = tmp_path / "list.toml"
    listing.write_text(exported.output, encoding="utf-8")
    other = tmp_path / "other.db"
    assert run(other, "add", "--from", str(listing)).output.splitlines() == [
        f"tracking: {A} (tags: council)",  # a TOML list: its articles, then its sources
        f"added feed source: {FEED} (tags: elections)",
    ]


def test_a_sources_file_added_as_a_watch_list_keeps_render_and_screenshot(
    db_path: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "sources.toml"
    listing.write_text(
        f'[[source]]\nkind = "feed"\nurl = "{FEED}"\nrender = "browser"\nscreenshot = true\n',
        encoding="utf-8",
    )
    added = run(db_path, "add", "--from", str(listing))
    assert added.exit_code == 0, added.output
    assert added.output.splitlines()[0] == (
        f"added feed source: {FEED} (read in a browser; a screenshot with each new version)"
    )
    db = store.open_db(db_path)
    try:
        assert [(s["url"], s["render"], s["screenshot"]) for s in store.all_sources(db)] == [
            (FEED, "browser", 1)
        ]
    finally:
        db.close()
    exported = run(db_path, "articles", "--export", "toml")
    assert 'render = "browser"\nscreenshot = true\n' in exported.output


def test_a_bad_render_mode_in_a_watch_list_adds_nothing(db_path: Path, tmp_path: Path) -> None:
    listing = tmp_path / "sources.toml"
    listing.write_text(
        f'[[source]]\nkind = "feed"\nurl = "{FEED}"\nrender = "chrome"\n', encoding="utf-8"
    )
    one_line_error(run(db_path, "add", A, "--from", str(listing)), "entry 2", "render must be")
    assert run(db_path, "articles", "--export", "csv").output == "url,kind,match,tags\n"


def test_edits_by_tag(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "n.db")
    assert run(newsroom.path, "tag", "council", HOSTILE_URL).exit_code == 0
    rows = json.loads(run(newsroom.path, "edits", "--tag", "Council", "--json").output)
    assert rows and {row["url"] for row in rows} == {HOSTILE_URL}
    assert run(newsroom.path, "edits", "--tag", "sport").output == "no edits found\n"
