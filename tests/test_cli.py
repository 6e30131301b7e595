"""monitor.cli: each command's exit code and key output, through click's CliRunner."""

from __future__ import annotations

import json
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from monitor import store
from monitor.cli import cli
from monitor.record.page import FetchedPage, record_page
from tests.conftest import migrate_as_a_newer_redline

URL = "https://news.example/local/council-budget"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

PARAGRAPHS = (
    "The city council voted on Tuesday to approve a new budget for the coming year, after a long "
    "debate that stretched late into the evening and drew dozens of residents to the town hall.",
    "Mayor Helen Carter said the plan would fund repairs to roads and bridges across the northern "
    "districts, while keeping property taxes flat for a third year in a row, as she had promised.",
    "Opponents argued that the budget relied on optimistic revenue forecasts and warned that the "
    "city could face a shortfall of several million dollars if the regional economy slowed down.",
    "The final vote was seven to four, with two members absent. The budget takes effect on the "
    "first of January, and the council will review its progress at a special session in spring.",
)
EDITED = (*PARAGRAPHS[:3], PARAGRAPHS[3].replace("seven to four", "eight to four"))


def html(
    paragraphs: tuple[str, ...] = PARAGRAPHS, title: str = "Council approves new city budget"
) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "x.db"


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def assert_one_line_error(result: Result, *words: str) -> None:
    """A library error: exit 1, one line starting with "Error:", no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(lines(result)) == 1, result.output
    assert lines(result)[0].startswith("Error:")
    for word in words:
        assert word in result.output


@pytest.fixture
def two_versions(db_path: Path) -> Path:
    """A database holding two versions of URL: a vote count changed from 7-4 to 8-4."""
    db = store.open_db(db_path)
    for n, paragraphs in enumerate((PARAGRAPHS, EDITED)):
        page = FetchedPage(
            url=URL, status=200, body=html(paragraphs).encode(), content_type="text/html"
        )
        record_page(db, page, T0 + timedelta(hours=n))
    db.close()
    return db_path


# --- init, add --------------------------------------------------------------------------------
def test_init_creates_the_database(db_path: Path) -> None:
    result = run(db_path, "init")
    assert result.exit_code == 0
    assert db_path.exists()
    assert "database ready" in result.output


def test_add_tracks_the_canonical_url(db_path: Path) -> None:
    result = run(db_path, "add", "https://News.Example/local/story?utm_source=x#top")
    assert result.exit_code == 0
    assert result.output.strip() == "tracking: https://news.example/local/story"


def test_adding_the_same_article_twice_says_already_tracked(db_path: Path) -> None:
    run(db_path, "add", "https://news.example/local/story")
    result = run(db_path, "add", "https://news.example/local/story#comments")
    assert result.exit_code == 0
    assert result.output.strip() == "already tracked: https://news.example/local/story"


@pytest.mark.parametrize("url", ["ftp://x", "mailto:a@b.example", "news.example/story"])
def test_add_of_a_non_http_url_is_one_clear_line(db_path: Path, url: str) -> None:
    assert_one_line_error(run(db_path, "add", url))


def test_add_of_an_ftp_url_mentions_http(db_path: Path) -> None:
    assert_one_line_error(run(db_path, "add", "ftp://x"), "http")


def test_add_of_a_url_with_a_bad_port_is_one_clear_line(db_path: Path) -> None:
    assert_one_line_error(run(db_path, "add", "https://news.example:99999/story"))


# Every command given a --db file that is not a SQLite database: a user's mistake (exit 1, one
# line naming the file), never the storage stop of a round (`redline check` exited 3).
COMMANDS_ON_A_DATABASE = [
    ["add", "https://news.example/story"],
    ["check"],
    ["check", "--url", "https://news.example/story"],
    ["init"],
    ["articles"],
    ["edits"],
    ["history", "https://news.example/story"],
    ["show", "1"],
    ["export", "1", "--json"],
    ["reextract"],
    ["sources"],
    ["pause", "1"],
    ["tag", "1", "council"],
    ["serve", "--port", "9"],
    ["daemon"],
]


@pytest.mark.parametrize("command", COMMANDS_ON_A_DATABASE, ids=" ".join)
def test_a_database_path_that_is_not_a_database_is_one_clear_line(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database at all\n" * 100)
    before = path.read_bytes()
    result = run(path, *command)
    assert_one_line_error(result, f"cannot open database {path}: file is not a database")
    assert path.read_bytes() == before


# --- extract ------------------------------------------------------------------------------------
def test_extract_json_gives_title_and_body(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(html(), encoding="utf-8")
    result = run(tmp_path / "x.db", "extract", str(page), "--json")
    assert result.exit_code == 0, result.output
    article = json.loads(result.output)
    assert article["title"] == "Council approves new city budget"
    assert "seven to four" in article["body"]


def test_extract_prints_the_title_then_the_body(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(html(), encoding="utf-8")
    result = run(tmp_path / "x.db", "extract", str(page))
    assert result.exit_code == 0
    assert lines(result)[0] == "Council approves new city budget"
    assert "Mayor Helen Carter" in result.output


def test_extract_of_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path / "x.db", "extract", str(tmp_path / "missing.html"))
    assert_one_line_error(result, "cannot read", "missing.html")


@pytest.mark.parametrize(
    "command",
    [["extract", "{big}"], ["compare", "{big}", "{page}"], ["compare", "{page}", "{big}"]],
    ids=" ".join,
)
def test_a_file_past_the_stored_page_bound_is_refused_before_it_is_read(
    tmp_path: Path, command: list[str]
) -> None:
    """A page over store.MAX_PAGE_BYTES could be stored but never read back: one line naming the
    file, before it is read (a sparse file: its size costs no disk)."""
    page = tmp_path / "page.html"
    page.write_text(html(), encoding="utf-8")
    big = tmp_path / "big.html"
    with open(big, "wb") as sparse:
        sparse.write(b"<html><body><p>")
        sparse.truncate(store.MAX_PAGE_BYTES + 1)
    args = [part.format(big=big, page=page) for part in command]
    result = run(tmp_path / "x.db", *args)
    assert_one_line_error(result, f"{big} is over 64 MiB", "not read")


def test_extract_does_not_create_a_database(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(html(), encoding="utf-8")
    run(tmp_path / "x.db", "extract", str(page), "--json")
    assert not (tmp_path / "x.db").exists()


# --- compare ------------------------------------------------------------------------------------
OLD_TEXT = (
    "Council approves new city budget\n"
    "The final vote was seven to four, with two members absent.\n\n"
    "Mayor Helen Carter said the plan would fund repairs to roads and bridges.\n"
)
NEW_TEXT = (
    "Council narrowly approves new city budget\n"
    "The final vote was eight to four, with two members absent.\n\n"
    "Mayor Helen Carter said the plan would fund repairs to roads and bridges.\n"
)


def _compare(tmp_path: Path, old: str, new: str, *options: str) -> Result:
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    return run(
        tmp_path / "x.db", "compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), *options
    )


def test_compare_json_names_the_edits(tmp_path: Path) -> None:
    result = _compare(tmp_path, OLD_TEXT, NEW_TEXT, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["changed"] is True
    assert [edit["kind"] for edit in payload["edits"]] == ["headline", "number"]
    assert payload["edits"][1]["old"] == "seven"
    assert payload["edits"][1]["new"] == "eight"
    assert payload["stealth"] is True
    assert payload["summary"]


def test_compare_json_of_identical_files_is_unchanged(tmp_path: Path) -> None:
    result = _compare(tmp_path, OLD_TEXT, OLD_TEXT, "--json")
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["changed"] is False
    assert payload["edits"] == []


def test_compare_of_identical_files_says_no_edits(tmp_path: Path) -> None:
    result = _compare(tmp_path, OLD_TEXT, OLD_TEXT)
    assert result.exit_code == 0
    assert result.output.strip() == "no edits"


def test_compare_prints_the_summary_and_a_table(tmp_path: Path) -> None:
    result = _compare(tmp_path, OLD_TEXT, NEW_TEXT)
    assert result.exit_code == 0
    assert "headline changed" in result.output
    assert "number" in result.output


def test_compare_of_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    result = run(tmp_path / "x.db", "compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"))
    assert_one_line_error(result, "old.txt")


@pytest.mark.parametrize("url", [[], ["--url", "https://news.example/budget"]])
def test_compare_looks_no_name_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: list[str]
) -> None:
    # a throwaway database never crawls: naming the page's host must not ask the resolver
    looked_up: list[object] = []

    def lookup(host: object, *args: object, **kwargs: object) -> list[object]:
        looked_up.append(host)
        raise socket.gaierror("no look-up expected")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    (tmp_path / "old.html").write_text(html(), encoding="utf-8")
    (tmp_path / "new.html").write_text(html(EDITED), encoding="utf-8")
    result = run(
        tmp_path / "x.db",
        "compare",
        "--json",
        *url,
        *(str(tmp_path / f) for f in ("old.html", "new.html")),
    )
    assert result.exit_code == 0, result.output
    assert [edit["new"] for edit in json.loads(result.output)["edits"]] == ["eight"]
    assert looked_up == []


# --- history, diff, edits ---------------------------------------------------------------
def test_history_of_an_untracked_url_says_not_tracked(db_path: Path) -> None:
    run(db_path, "init")
    assert_one_line_error(run(db_path, "history", "https://news.example/never"), "not tracked")


def test_history_lists_both_versions_and_the_change(two_versions: Path) -> None:
    result = run(two_versions, "history", URL)
    assert result.exit_code == 0, result.output
    assert "first version" in result.output
    assert "figure updated" in result.output
    assert "2026-11-02 10:00" in result.output


def test_history_json_lists_the_versions(two_versions: Path) -> None:
    result = run(two_versions, "history", URL, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["url"] == URL
    assert payload["status"] == "active"
    assert [v["seq"] for v in payload["versions"]] == [1, 2]
    assert [c["summary"] for c in payload["changes"]] == ["figure updated"]


def test_history_accepts_a_non_canonical_spelling(two_versions: Path) -> None:
    result = run(two_versions, "history", URL + "?utm_source=newsletter", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output)["url"] == URL


def test_diff_shows_the_latest_change(two_versions: Path) -> None:
    result = run(two_versions, "diff", URL)
    assert result.exit_code == 0, result.output
    assert "version 1 → 2" in result.output
    assert "figure updated" in result.output
    assert "number" in result.output
    assert "[-seven-] {+eight+} to four" in result.output  # piped: marked, not coloured


def test_diff_of_a_version_with_itself_says_no_edits(two_versions: Path) -> None:
    result = run(two_versions, "diff", URL, "--from", "2", "--to", "2")
    assert result.exit_code == 0
    assert "no edits" in result.output


def test_diff_from_a_missing_version_is_one_clear_line(two_versions: Path) -> None:
    assert_one_line_error(run(two_versions, "diff", URL, "--from", "9"), "no version 9")


def test_diff_of_an_untracked_url_is_one_clear_line(two_versions: Path) -> None:
    assert_one_line_error(run(two_versions, "diff", "https://news.example/never"), "not tracked")


def test_diff_of_an_article_without_versions_is_one_clear_line(db_path: Path) -> None:
    run(db_path, "add", URL)
    assert_one_line_error(run(db_path, "diff", URL), "no version")


def test_edits_json_lists_the_recorded_edit(two_versions: Path) -> None:
    result = run(two_versions, "edits", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(row["kind"], row["old"], row["new"]) for row in rows] == [("number", "seven", "eight")]
    assert rows[0]["url"] == URL
    assert (rows[0]["old_seq"], rows[0]["new_seq"]) == (1, 2)
    assert isinstance(rows[0]["reasons"], list)


@pytest.mark.parametrize(
    ("options", "count"),
    [
        (("--kind", "number"), 1),
        (("--kind", "quote"), 0),
        (("--site", "news.example"), 1),
        (("--site", "other.example"), 0),
        (("--url", URL), 1),
        (("--url", "https://news.example/never"), 0),
        (("--since", "2026-11-02"), 1),
        (("--since", "2026-11-03"), 0),
        (("--site", "x' or 1=1 --"), 0),
    ],
)
def test_edits_json_filters(two_versions: Path, options: tuple[str, ...], count: int) -> None:
    result = run(two_versions, "edits", "--json", *options)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == count


def test_edits_without_json_prints_a_table(two_versions: Path) -> None:
    result = run(two_versions, "edits")
    assert result.exit_code == 0
    assert "number" in result.output
    assert "seven" in result.output


def test_edits_in_an_empty_database_says_none_found(db_path: Path) -> None:
    run(db_path, "init")  # a missing file is refused (tests/test_workflow_cli.py)
    result = run(db_path, "edits")
    assert result.exit_code == 0
    assert result.output.strip() == "no edits found"


def test_edits_with_an_unknown_kind_is_a_usage_error(db_path: Path) -> None:
    result = run(db_path, "edits", "--kind", "bogus")
    assert result.exit_code == 2
    assert "bogus" in result.output
    assert "Traceback" not in result.output


def test_edits_with_a_zero_limit_is_a_usage_error(db_path: Path) -> None:
    assert run(db_path, "edits", "--limit", "0").exit_code == 2


def test_add_refuses_a_url_with_a_password_in_one_line(db_path: Path) -> None:
    assert_one_line_error(run(db_path, "add", "http://user:pw@news.example/story"), "password")


HUGE = str(2**63)  # one past SQLite's largest integer


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["history", HUGE], f"no change {HUGE}"),
        (["history", f"a{HUGE}"], f"no article {HUGE}"),
        (["history", "9" * 5000], "no change 999"),
        (["show", "a1", "--version", "99999999999999999999"], "--version"),
        (["show", HUGE], f"no change {HUGE}"),
        (["diff", "a1", "--from", HUGE], "--from"),
        (["diff", "a1", "--to", HUGE], "--to"),
        (["edits", "--limit", HUGE], "--limit"),
        (["export", "a1", "--version", HUGE], "--version"),
    ],
)
def test_an_id_or_number_past_sqlites_integers_is_one_clear_error(
    tmp_path: Path, args: list[str], said: str
) -> None:
    db_path = tmp_path / "redline.db"
    db = store.open_db(db_path)
    store.track_article(db, "https://news.example/a", store.utc_now())
    db.close()
    result = run(db_path, *args)
    assert result.exit_code != 0
    assert not isinstance(result.exception, OverflowError | ValueError), result.exception
    assert "Traceback" not in result.output
    [error] = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert said in error


# --- `redline check`'s progress, read from the crawl's log ---------------------------------------
# An unchanged page is logged at DEBUG (the round's INFO log has a line every
# UNCHANGED_PROGRESS_EVERY of them, and the round's summary): the progress bar still counts it.
LOG = "2026-01-01 10:00:00 [crawler.pipelines] INFO: "
PROGRESS_LOGS = [
    ([f"{LOG}new_article: https://example.org/a (first version)"], {"new_article": 1}),
    (
        [f"{LOG}25 page(s) unchanged so far", f"{LOG}changed: https://example.org/b (quote)"],
        {"unchanged": 25, "changed": 1},
    ),
    (
        [f"{LOG}25 page(s) unchanged so far", f"{LOG}28 page(s) recorded: 27 unchanged, 1 error"],
        {"unchanged": 27, "error": 1},
    ),
    ([f"{LOG}checking 30 article(s)"], {}),
]


@pytest.mark.parametrize(("lines", "counted"), PROGRESS_LOGS)
def test_the_progress_bar_counts_unchanged_pages_logged_at_debug(lines, counted) -> None:
    from collections import Counter

    from monitor.cli.app import count_outcomes

    outcomes: Counter[str] = Counter()
    for line in lines:
        count_outcomes(line, outcomes)
    assert dict(outcomes) == counted


# What a command loads: its own module, not every other command's (`OTHER_COMMANDS`).
LOADED = """
import sys
from monitor.cli import cli
cli.get_command(None, sys.argv[1])
print(" ".join(sorted(m for m in sys.modules if m.startswith("monitor."))))
"""


@pytest.mark.parametrize(
    ("command", "loads", "leaves"),
    [
        ("serve", "monitor.web.serve", ["monitor.archive.command", "monitor.cluster.commands"]),
        ("backfill", "monitor.archive.command", ["monitor.web.serve", "monitor.cli.evidence"]),
        ("pause", "monitor.cli.watchlist", ["monitor.archive.command", "monitor.web.serve"]),
    ],
)
def test_a_command_loads_its_own_module_and_not_the_others(
    command: str, loads: str, leaves: list[str]
) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", LOADED, command], capture_output=True, text=True, check=True
    )
    modules = done.stdout.split()
    assert loads in modules
    assert [m for m in leaves if m in modules] == []


@contextmanager
def _taken_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def _foreign_database(path: Path) -> None:
    """A SQLite database of another application: its own tables, none of Redline's."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (id integer primary key, body text)")
        conn.execute("insert into notes (body) values ('buy milk')")
    conn.close()


@pytest.mark.parametrize("command", COMMANDS_ON_A_DATABASE, ids=" ".join)
def test_a_database_of_another_application_is_refused_untouched(
    tmp_path: Path, command: list[str]
) -> None:
    """Redline's tables were added to it (and a crawl wrote into it): one line naming the file,
    exit 1, the file as it was."""
    path = tmp_path / "notes.db"
    _foreign_database(path)
    before = path.read_bytes()
    with _taken_port() as port:  # a server started by mistake fails to listen, never hangs
        result = run(path, *[str(port) if part == "9" else part for part in command])
    assert_one_line_error(result, str(path), "another application")
    assert path.read_bytes() == before


def test_an_empty_sqlite_file_becomes_a_redline_database(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert run(path, "init").exit_code == 0
    assert run(path, "add", URL).exit_code == 0


def test_serve_cluster_refuses_at_start_a_shard_that_is_not_a_database(tmp_path: Path) -> None:
    """Before, the server started and every request to that shard was a 500 with a traceback:
    one line naming the file, exit 1, nothing served."""
    cluster = tmp_path / "shards"
    cluster.mkdir()
    store.open_db(cluster / "shard-0.db").close()
    broken = cluster / "shard-1.db"
    broken.write_bytes(b"not a database at all\n" * 100)
    with _taken_port() as port:  # a server started by mistake fails to listen, never hangs
        result = run(
            tmp_path / "unused.db", "serve", "--port", str(port), "--cluster", str(cluster)
        )
    assert_one_line_error(result, f"cannot serve shard {broken}", "file is not a database")
    assert "serving" not in result.output


def _foreign_shard(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table invoices (id integer primary key, total real)")
    conn.close()


def _newer_shard(path: Path) -> None:
    store.open_db(path).close()
    migrate_as_a_newer_redline(path)


@pytest.mark.parametrize(
    ("make_shard", "named"),
    [(_newer_shard, "newer Redline"), (_foreign_shard, "another application")],
    ids=["migrated by a newer Redline", "another application's database"],
)
def test_serve_cluster_refuses_at_start_a_shard_it_must_not_read(
    tmp_path: Path, make_shard: Callable[[Path], None], named: str
) -> None:
    """A shard a newer Redline migrated, or another application's database, is refused as
    `crawl` and `check` refuse it (before, it was served: its pages 500s, or another
    application's tables shown as a shard): one line naming the file, exit 1, the file
    untouched, nothing served."""
    cluster = tmp_path / "shards"
    cluster.mkdir()
    store.open_db(cluster / "shard-0.db").close()
    refused = cluster / "shard-1.db"
    make_shard(refused)
    before = refused.read_bytes()
    with _taken_port() as port:
        result = run(
            tmp_path / "unused.db", "serve", "--port", str(port), "--cluster", str(cluster)
        )
    assert_one_line_error(result, f"cannot serve shard {refused}", named)
    assert "serving" not in result.output
    assert refused.read_bytes() == before
