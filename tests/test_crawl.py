"""End to end: real `scrapy crawl` subprocesses against the local demo site on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.crawl import run_crawl
from monitor.demo import articles
from monitor.demo.site import DemoSite
from monitor.record.plan import UNASKED_304
from tests.conftest import FAST, ROOT, copy_database, crawl, rows, track
from tests.loopback import IdleDemoSite, closed_port, serve_pages

pytestmark = pytest.mark.e2e


def kinds_by_slug(db_path: Path, change_ids_after: int = 0) -> dict[str, set[str]]:
    """Edit kinds per article slug, from changes newer than `change_ids_after`; the modified-date
    edit is left out (sites bump it on their own, and it is never significant)."""
    found: dict[str, set[str]] = {}
    for row in rows(
        db_path,
        "select articles.url, edits.kind, edits.field from edits "
        "join articles on articles.id = edits.article_id where edits.change_id > ?",
        [change_ids_after],
    ):
        if row["field"] == "modified":
            continue
        slug = row["url"].rsplit("/", 1)[-1].removesuffix(".html")
        found.setdefault(slug, set()).add(row["kind"])
    return found


def last_change_id(db_path: Path) -> int:
    return rows(db_path, "select coalesce(max(id), 0) as n from changes")[0]["n"]


# The first round of edition 1 (every article tracked, all checked) is where eight tests start: it
# runs once in each pytest-xdist worker that runs one of them (a session fixture: `make test`
# hands a worker tests of many modules in turn, and a module fixture would be set up again each
# time), on that worker's demo site; each test crawls on from its own copy of the database, the
# site set back to edition 1 with its requests forgotten. The site's port is in every stored URL,
# so one database cannot serve every worker (`built_once`). A test whose own first round differs
# (its settings, the time it was taken) still runs its own.
@pytest.fixture(scope="session")
def shared_site() -> Iterator[IdleDemoSite]:
    """The demo site of this module's shared first rounds (`first_round`, `pooled_round`): its
    port held for the session, served only while a round or a test of it runs."""
    with IdleDemoSite() as site:
        yield site


@pytest.fixture
def live_site(shared_site: IdleDemoSite) -> Iterator[IdleDemoSite]:
    """The shared demo site answering for the test, at edition 1, its requests forgotten."""
    shared_site.edition = 1
    shared_site.clear_requests()
    with shared_site.serving():
        yield shared_site


@pytest.fixture(scope="session")
def first_round(
    shared_site: IdleDemoSite, tmp_path_factory: pytest.TempPathFactory
) -> tuple[IdleDemoSite, Path]:
    path = tmp_path_factory.mktemp("first-round") / "redline.db"
    shared_site.edition = 1
    with shared_site.serving():
        track(path, shared_site.article_urls())
        crawl(path, all="true")
    return shared_site, path


@pytest.fixture(scope="session")
def second_round(
    first_round: tuple[IdleDemoSite, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[IdleDemoSite, Path]:
    """A copy of `first_round`'s database after a round of edition 2 (the start of two tests)."""
    site, first = first_round
    path = copy_database(first, tmp_path_factory.mktemp("second-round") / "redline.db")
    site.edition = 2
    with site.serving():
        crawl(path, all="true")
    return site, path


@pytest.fixture
def crawled_site(first_round: tuple[IdleDemoSite, Path], db_path: Path) -> Iterator[DemoSite]:
    """The shared demo site answering at edition 1, and at `db_path` a copy of its first round's
    database."""
    site, path = first_round
    copy_database(path, db_path)
    site.edition = 1
    site.clear_requests()
    with site.serving():
        yield site


def test_first_crawl_stores_one_version_per_article(crawled_site: DemoSite, db_path: Path) -> None:
    site = crawled_site
    articles_ = rows(db_path, "select url, version_count, status from articles")
    assert len(articles_) == len(site.article_urls()) >= 7
    assert all(a["version_count"] == 1 and a["status"] == "active" for a in articles_)
    outcomes = {r["outcome"] for r in rows(db_path, "select outcome from checks")}
    assert outcomes == {"new_article"}


def test_recrawl_of_the_same_edition_is_conditional_and_stores_nothing(
    crawled_site: DemoSite, db_path: Path
) -> None:
    site = crawled_site
    crawl(db_path, all="true")
    second = rows(
        db_path, "select outcome, reason from checks where id > ?", [len(site.article_urls())]
    )
    assert {r["outcome"] for r in second} == {"unchanged"}
    assert {r["reason"] for r in second} == {"304 not modified"}
    article_requests = [r for r in site.requests if r.path.startswith(articles.ARTICLE_DIR)]
    assert article_requests and all(r.status == 304 and r.if_none_match for r in article_requests)
    assert rows(db_path, "select count(*) as n from versions")[0]["n"] == len(site.article_urls())


@pytest.mark.parametrize(
    ("level", "per_page_lines"),
    [
        ("INFO", False),  # an unchanged page is counted in the round's line, not logged alone
        ("DEBUG", True),  # each page's line, and Scrapy's own, as ever
    ],
)
def test_an_unchanged_round_logs_one_summary_line(
    crawled_site: DemoSite, db_path: Path, level: str, per_page_lines: bool
) -> None:
    urls = crawled_site.article_urls()
    log = crawl(db_path, {"LOG_LEVEL": level}, all="true").stdout
    assert f"{len(urls)} page(s) recorded: {len(urls)} unchanged" in log
    assert f"'redline/outcome/unchanged': {len(urls)}" in log
    for url in urls:
        assert (f"unchanged: {url} 304 not modified" in log) is per_page_lines, url
    assert ("Crawled (304)" in log) is per_page_lines
    assert "Scraped from" not in log  # recorded without going through Scrapy's item pipeline


def test_the_next_edition_yields_exactly_the_intended_edits(
    second_round: tuple[DemoSite, Path],
) -> None:
    _, db_path = second_round  # the round of edition 2 after that of edition 1
    found = kinds_by_slug(db_path)
    for slug, transitions in articles.EXPECTED_EDITS.items():
        if (1, 2) in transitions:
            assert found.get(slug, set()) == set(transitions[(1, 2)]), slug


def test_boilerplate_churn_alone_stores_no_version(site, db_path) -> None:
    url = site.url(articles.slug_path(articles.SLUG_UNCHANGED))
    track(db_path, [url])
    crawl(db_path, all="true")
    site.edition = 2
    crawl(db_path, all="true")
    checks = rows(db_path, "select outcome, reason from checks order by id")
    assert [c["outcome"] for c in checks] == ["new_article", "unchanged"]
    assert checks[1]["reason"] == "same content"


def test_lifecycle_removed_reverted_redirected_restored(
    second_round: tuple[DemoSite, Path], live_site: DemoSite, db_path: Path
) -> None:
    site, after_edition_2 = second_round  # the rounds of editions 1 and 2, on `live_site`
    copy_database(after_edition_2, db_path)
    for before, after in [(2, 3), (3, 4)]:
        mark = last_change_id(db_path)
        site.edition = after
        crawl(db_path, all="true")
        found = kinds_by_slug(db_path, mark)
        for slug, transitions in articles.EXPECTED_EDITS.items():
            expected = transitions.get((before, after))
            if expected is None:
                continue
            lifecycle = found.get(slug, set()) & {"removed", "restored", "redirected", "reverted"}
            assert lifecycle == set(expected) & {"removed", "restored", "redirected", "reverted"}, (
                slug,
                before,
                after,
                found.get(slug),
            )
            if not expected:
                assert not found.get(slug), (slug, found.get(slug))
    removed = rows(
        db_path,
        "select status from articles where url like ?",
        [f"%{articles.SLUG_NUMBER_AND_CORRECTION}%"],
    )
    assert removed[0]["status"] == "active"  # restored in edition 4
    # The last good version is always kept: removal never deletes versions.
    assert (
        rows(
            db_path,
            "select count(*) as n from versions v join articles a on a.id = v.article_id "
            "where a.url like ?",
            [f"%{articles.SLUG_NUMBER_AND_CORRECTION}%"],
        )[0]["n"]
        == 2
    )


def test_a_redesign_is_no_edit_and_an_edit_inside_it_is_exactly_that_edit(site, db_path) -> None:
    """The same stories in a new template (byline format, dates, promo and newsletter boxes inside
    the article, a numbered list, a ticker): nothing significant; then one real edit inside the
    redesigned page is reported, and only it."""
    site.edition = articles.REDESIGN_EDITION - 1
    track(db_path, site.article_urls())
    crawl(db_path, all="true")
    site.edition = articles.REDESIGN_EDITION
    mark = last_change_id(db_path)
    crawl(db_path, all="true")
    redesign = rows(
        db_path,
        "select articles.url, edits.kind, edits.field, edits.significant from edits "
        "join articles on articles.id = edits.article_id where edits.change_id > ?",
        [mark],
    )
    assert redesign, "the redesign changed every byline's format: reported, as cosmetic"
    assert [r for r in redesign if r["significant"]] == []
    site.edition = articles.REDESIGN_EDIT_EDITION
    mark = last_change_id(db_path)
    crawl(db_path, all="true")
    found = kinds_by_slug(db_path, mark)
    expected = {slug: set(kinds) for slug, kinds in articles.REDESIGN_EDITS.items()}
    assert found == expected
    significant = rows(
        db_path, "select kind, old, new from edits where change_id > ? and significant", [mark]
    )
    assert significant == [{"kind": "number", "old": "60", "new": "80"}]


def test_robots_disallowed_url_is_never_fetched(site, db_path) -> None:
    crawl(db_path, url=site.url(articles.PRIVATE_PATH))
    check = rows(db_path, "select outcome, reason from checks")
    assert check == [{"outcome": "error", "reason": "not fetched: disallowed by robots.txt"}]
    assert not [r for r in site.requests if r.path.startswith("/private/")]
    assert [r.path for r in site.requests] == ["/robots.txt"]


def test_manual_scrapy_crawl_from_the_repository_root(site, db_path) -> None:
    """What a user types: `scrapy crawl check -a url=URL`, settings found through scrapy.cfg."""
    url = site.url(articles.slug_path(articles.SLUG_NAME_AND_QUOTE))
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    env["REDLINE_DB"] = str(db_path)
    scrapy = Path(sys.executable).with_name("scrapy")
    command = [str(scrapy), "crawl", "check", "-a", f"url={url}", "-s", "DOWNLOAD_DELAY=0"]
    for edition in (1, 2):
        site.edition = edition
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr[-3000:]
    versions = rows(db_path, "select seq from versions")
    assert [v["seq"] for v in versions] == [1, 2]
    assert kinds_by_slug(db_path)[articles.SLUG_NAME_AND_QUOTE] == {"name", "quote"}


def test_plain_crawl_checks_only_due_articles(site, db_path) -> None:
    urls = site.article_urls()
    track(db_path, urls)
    crawl(db_path, all="true")  # every article now has a next check in the future
    site.clear_requests()
    crawl(db_path)
    assert not [r for r in site.requests if r.path.startswith(articles.ARTICLE_DIR)]


def test_network_failure_is_an_error_check_never_unchanged(db_path) -> None:
    with closed_port() as port:  # connection refused
        track(db_path, [f"http://127.0.0.1:{port}{articles.slug_path(articles.SLUG_UNCHANGED)}"])
        crawl(db_path, all="true")
    check = rows(db_path, "select outcome, reason from checks")
    assert len(check) == 1 and check[0]["outcome"] == "error"
    assert check[0]["reason"]


def test_demo_command_prints_flagged_edits(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--db", str(db), "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for kind in ("name", "quote", "number", "correction_note", "headline", "typo"):
        assert kind in result.stdout
    # Redirected to a pipe: the old and new words keep their markers (no colour to show them).
    assert "[-Neimann-Ortiz-] → {+Neumann-Ortiz+}" in result.stdout
    assert rows(db, "select count(*) as n from edits where significant = 1")[0]["n"] >= 8
    # The closing hints name a change id the reader can copy, and it is a real one.
    change = re.search(r" diff (\d+) +word diff of change", result.stdout)
    assert change, result.stdout[-1500:]
    assert rows(db, "select id from changes where id = ?", [int(change.group(1))])


def test_check_command_reports_progress_and_outcomes(site: DemoSite, db_path: Path) -> None:
    track(db_path, site.article_urls())
    # The command in this process (what the `redline` script runs: its round is still a real
    # `scrapy crawl` subprocess); the refusal below runs as the script does, exit status and all.
    first = CliRunner().invoke(
        cli,
        ["--db", str(db_path), "check", "--all"],
        env={"SCRAPY_SETTINGS_MODULE": "crawler.settings"},
        catch_exceptions=False,
    )
    assert first.exit_code == 0, first.output[-3000:]
    count = len(site.article_urls())
    assert first.stdout.strip() == f"checked {count} article(s): new_article {count}"
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor",
            "--db",
            str(db_path),
            "check",
            "--url",
            "ftp://x.example/",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


# --- extraction in worker processes ---------------------------------------------------------
def stored_versions(db_path: Path) -> list[dict]:
    return rows(
        db_path,
        "select articles.url, versions.title, byline, published, body from versions "
        "join articles on articles.id = versions.article_id order by articles.url, seq",
    )


ROUND_MARK = "TEST_EXTRACTION_ROUND"
POOLED = {"REDLINE_EXTRACT_WORKERS": "2"}


@pytest.fixture(scope="session")
def pooled_round(
    shared_site: DemoSite, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DemoSite, Path, str, list[int]]:
    """The first round of edition 1 with two extraction workers (as `first_round`, once a worker
    for three tests): the site, the database, the crawl's log, and the processes still running
    right after it that carry the round's mark (a variable set for the round alone, inherited by
    every process of it)."""
    shared_site.edition = 1
    path = tmp_path_factory.mktemp("pooled-round") / "redline.db"
    track(path, shared_site.article_urls())
    mark = f"{ROUND_MARK}={uuid.uuid4().hex}"
    with pytest.MonkeyPatch.context() as patch, shared_site.serving():
        patch.setenv(*mark.split("="))
        log = crawl(path, POOLED, all="true").stdout
    return shared_site, path, log, processes_with(mark.encode())


def test_worker_processes_store_what_in_process_extraction_stores(
    pooled_round, live_site, tmp_path
) -> None:
    site, pooled_path, pooled_log, _ = pooled_round
    in_process = tmp_path / "in-process.db"
    track(in_process, site.article_urls())
    crawl(in_process, {"REDLINE_EXTRACT_WORKERS": "0"}, all="true")
    assert stored_versions(pooled_path) == stored_versions(in_process)
    assert len(stored_versions(pooled_path)) == len(site.article_urls())
    assert "'redline/extract_workers': 2" in pooled_log


def test_a_round_of_unchanged_pages_starts_no_worker(pooled_round, live_site, db_path) -> None:
    _, pooled_path, first, _ = pooled_round
    again = crawl(copy_database(pooled_path, db_path), POOLED, all="true")
    assert "'redline/extract_workers': 0" in again.stdout
    # nor the zygote, which a round with pages never read starts as it opens (issue 23)
    assert "'redline/extract_zygotes': 0" in again.stdout
    assert "'redline/extract_zygotes': 1" in first


def test_a_round_leaves_no_extraction_process_running(pooled_round) -> None:
    """The workers, and the zygote they fork from, end with the round that started them."""
    site, pooled_path, pooled_log, running_after = pooled_round
    assert "'redline/extract_workers': 2" in pooled_log
    assert len(stored_versions(pooled_path)) == len(site.article_urls())
    assert running_after == []


def processes_with(variable: bytes) -> list[int]:
    """The running processes (zombies have no environment) that have `variable` (NAME=value)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if variable in environment:
            found.append(int(entry.name))
    return found


def test_a_page_slower_than_the_extraction_timeout_is_extraction_failed(site, db_path) -> None:
    track(db_path, site.article_urls())
    # no page is extracted in a millisecond: every page is too slow
    crawl(db_path, {"REDLINE_EXTRACT_WORKERS": "1", "REDLINE_EXTRACT_TIMEOUT": "0.001"}, all="true")
    checks = rows(db_path, "select outcome, reason, snapshot_id from checks")
    assert len(checks) == len(site.article_urls())
    assert {(c["outcome"], c["reason"]) for c in checks} == {
        ("extraction_failed", "extraction took longer than 0.001 s")
    }
    assert all(c["snapshot_id"] for c in checks)  # the raw page is kept
    assert rows(db_path, "select count(*) as n from versions")[0]["n"] == 0
    # with time to work, the next round stores every article
    crawl(db_path, all="true")
    assert len(stored_versions(db_path)) == len(site.article_urls())


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("REDLINE_EXTRACT_WORKERS", "-1"),
        ("REDLINE_EXTRACT_WORKERS", "many"),
        ("REDLINE_EXTRACT_TIMEOUT", "0"),
        ("REDLINE_EXTRACT_TIMEOUT", "inf"),
        ("REDLINE_COMPARE_TIMEOUT", "0"),
        ("REDLINE_COMPARE_TIMEOUT", "soon"),
        ("REDLINE_MAX_AGE", "soon"),
        ("REDLINE_RECORDS_IN_FLIGHT", "0"),
        ("REDLINE_RECORDS_IN_FLIGHT", "lots"),
    ],
)
def test_a_bad_setting_is_one_logged_line_and_no_check(db_path, setting, value) -> None:
    track(db_path, ["http://127.0.0.1:9/never-fetched.html"])
    result = run_crawl("check", db_path, {"all": "true"}, {**FAST, setting: value}, timeout=120)
    assert "Traceback" not in result.stdout, result.stdout[-4000:]
    assert result.returncode != 0
    assert setting in result.stdout or value in result.stdout
    assert rows(db_path, "select count(*) as n from checks")[0]["n"] == 0


def test_a_304_to_a_request_without_a_validator_is_an_error_not_unchanged(db_path) -> None:
    # A server that answers 304 whatever it is asked: the first check sends no validator (none
    # is stored), so the 304 says nothing about the article and nothing is recorded as read.
    with serve_pages({"/story.html": (304, {}, b"")}) as site:
        track(db_path, [site.url("/story.html")])
        log = crawl(db_path, all="true").stdout
    (check,) = rows(db_path, "select outcome, reason from checks")
    assert (check["outcome"], check["reason"]) == ("error", UNASKED_304)
    assert UNASKED_304 in log
    assert rows(db_path, "select count(*) as n from versions")[0]["n"] == 0


_STORY = (
    "<html><head><title>Council budget</title></head><body><article><h1>Council budget</h1>"
    + "<p>The council voted on Tuesday to approve the budget for the coming year.</p>" * 12
    + "</article></body></html>"
)


# A 304 after a redirect (Scrapy sends the validators on to where it leads): from the article's
# own address with a trailing slash added, it is unchanged; from another address, it says
# nothing of the article: an error that drops the validators, and the next check reads the page
# there in full and records the move.
@pytest.mark.parametrize(
    ("target", "outcome"),
    [("/news/story/", "unchanged"), ("/news/story-moved", "error")],
    ids=["trailing slash", "elsewhere"],
)
def test_a_304_after_a_redirect_is_unchanged_only_where_the_article_was_read(
    db_path: Path, target: str, outcome: str
) -> None:
    with serve_pages({"/news/story": (200, {"ETag": '"v1"'}, _STORY)}) as site:
        track(db_path, [site.url("/news/story")])
        crawl(db_path, all="true")
        site.routes["/news/story"] = (301, {"Location": site.url(target)}, b"")
        site.routes[target] = (304, {"ETag": '"v1"'}, b"")
        crawl(db_path, all="true")
        if outcome == "error":  # the page there, read in full
            site.routes[target] = (200, {"ETag": '"v2"'}, _STORY.replace("Tuesday", "Monday"))
            crawl(db_path, all="true")
    checks = rows(db_path, "select outcome from checks order by id")
    assert [c["outcome"] for c in checks][:2] == ["new_article", outcome]
    if outcome == "error":
        assert "redirected" in kinds_by_slug(db_path)["story"]
