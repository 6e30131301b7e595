"""A check round in one line, counted from the rows the round wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.cli import cli
from monitor.report import Problem, RoundReport
from monitor.store.rounds import round_mark, round_report
from tests.conftest import track
from tests.sites import NewsSite


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (RoundReport({}, 0, 0, ()), "checked 0, 0 new versions, 0 edits"),
        (
            RoundReport({"unchanged": 115, "new_version": 3, "blocked": 2}, 5, 2, ()),
            "checked 120, 3 new versions, 5 edits (2 significant), 2 blocked",
        ),
        (
            RoundReport(
                {"new_article": 1, "error": 1},
                0,
                0,
                (Problem("example.com", "error", 403, "HTTP 403", 1),),
            ),
            "checked 2, 1 new article, 0 new versions, 0 edits, 1 failed: example.com 403",
        ),
        (
            RoundReport(
                {"error": 7, "removed": 1},
                0,
                0,
                (
                    Problem("a.example", "error", 0, "TimeoutError: took longer than 180 s", 3),
                    Problem("b.example", "error", 503, "HTTP 503", 2),
                    Problem("c.example", "error", 0, "not an HTML page (application/pdf)", 1),
                    Problem("d.example", "error", 500, "HTTP 500", 1),
                ),
            ),
            "checked 8, 0 new versions, 0 edits, 1 removed, 7 failed: a.example TimeoutError: "
            "took longer than 180 s ×3, b.example 503 ×2, c.example not an HTML page "
            "(application/pdf) and 1 more",
        ),
    ],
)
def test_round_line_counts_outcomes_edits_and_names_the_problems(report, line) -> None:
    assert report.line() == line


def test_a_long_reason_is_cut() -> None:
    problem = Problem("a.example", "error", 0, "ConnectionRefusedError: " + "x" * 200, 1)
    assert problem.label().endswith("…")
    assert len(problem.label()) < 60


def test_check_summary_keeps_outcome_counts_and_adds_the_reasons() -> None:
    report = RoundReport(
        {"unchanged": 2, "error": 1}, 0, 0, (Problem("example.com", "error", 403, "HTTP 403", 1),)
    )
    assert report.outcome_line() == ("checked 3 article(s): error 1, unchanged 2 (example.com 403)")
    assert RoundReport({"new_article": 4}, 0, 0, ()).outcome_line() == (
        "checked 4 article(s): new_article 4"
    )


def test_round_report_reads_only_the_rows_after_the_mark(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    now = store.stamp(store.utc_now())
    article, _ = store.track_article(db, "https://example.com/a", store.utc_now())
    store.add_check(db, article_id=article["id"], checked_at=now, outcome="unchanged")
    mark = round_mark(db)
    for outcome, status, reason in (
        ("unchanged", 304, "304 not modified"),
        ("error", 403, "HTTP 403"),
        ("error", 403, "HTTP 403"),
        ("blocked", 200, "bot wall: Cloudflare challenge"),
    ):
        store.add_check(
            db,
            article_id=article["id"],
            checked_at=now,
            outcome=outcome,
            http_status=status,
            reason=reason,
        )
    report = round_report(db, mark)
    assert report.outcomes == {"unchanged": 1, "error": 2, "blocked": 1}
    assert report.line() == (
        "checked 4, 0 new versions, 0 edits, 1 blocked, 2 failed: example.com 403 ×2, "
        "example.com bot wall: Cloudflare challenge"
    )


@pytest.mark.e2e
def test_check_command_says_why_a_check_failed(tmp_path: Path) -> None:
    db_path = tmp_path / "r.db"
    with NewsSite() as site:
        track(db_path, [site.url("/night-trains-return.html"), site.url("/throttled.html")])
        # `redline check` in this process (its round a real `scrapy crawl` subprocess): the
        # command as a process, exit status and all, is tests/test_crawl.py's
        result = CliRunner().invoke(
            cli,
            ["--db", str(db_path), "check", "--all"],
            env={"SCRAPY_SETTINGS_MODULE": "crawler.settings"},
            catch_exceptions=False,
        )
        host = site.url("/").split("/")[2]
    assert result.exit_code == 0, result.output[-3000:]
    assert result.stdout.strip() == (f"checked 2 article(s): blocked 1, new_article 1 ({host} 429)")
