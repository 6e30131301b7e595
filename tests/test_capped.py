"""A comparison that hits a limit (its size limits, or its time limit in a worker) still stores
the version, with a coarse and honest summary, marks the change `capped`, and is never compared
again: the check's reason and `redline history` say "comparison capped: <limit>"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from bench.pathological import normal_article, unpunctuated_rewrite
from monitor import store
from monitor.cli import cli
from monitor.compare import comparison
from monitor.compare.edit import summarize
from monitor.errors import ComparisonTimeoutError
from monitor.extract.article import Article
from monitor.extract.pool import ExtractionPool
from monitor.record.page import record_page
from monitor.record.versions import (
    RawPage,
    VersionComparison,
    compare_abandoned,
    compare_versions,
)
from tests.conftest import crawl, rows, track
from tests.sites import NewsSite
from tests.test_record import PARAGRAPHS, T0, URL, html, ok

# Fifty sentences, each rewritten in the edited page: past a limit of 5 changed sentences.
MANY = tuple(f"Item {n} of the budget funds road number {n} in the north." for n in range(50))
REWRITTEN = tuple(
    f"Line {n} now pays for bridge {n + 100} in the south instead." for n in range(50)
)


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence limit that a page of a few kilobytes crosses (the real one is 1,000)."""
    monkeypatch.setattr(comparison, "MAX_CHANGED_SENTENCES", 5)


class CountingComparer:
    """The real comparison, counted."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(
        self, old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
    ) -> VersionComparison:
        self.calls += 1
        return compare_versions(old, new, old_page, new_page)


def capped_changes(db: Database) -> list[str | None]:
    return [row["capped"] for row in db.query("select capped from changes order by id")]


def test_a_version_past_a_comparison_limit_is_stored_with_a_coarse_edit_and_marked(
    tmp_path: Path, small_limit: None
) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, ok(html(MANY)), T0)
    result = record_page(db, ok(html(REWRITTEN)), T0 + timedelta(hours=1))
    assert (result.outcome, result.version_seq) == ("new_version", 2)
    assert [e.kind for e in result.edits] == ["too_many_changes"]
    assert result.reason.startswith("too many changes to classify: 50 paragraphs changed")
    assert "; comparison capped: 50 old and 50 new sentences changed" in result.reason
    assert capped_changes(db) == ["50 old and 50 new sentences changed (limit 5 a side)"]


def test_a_change_compared_in_full_is_not_marked(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, ok(html(PARAGRAPHS)), T0)
    edited = (*PARAGRAPHS[:3], PARAGRAPHS[3].replace("seven to four", "eight to four"))
    result = record_page(db, ok(html(edited)), T0 + timedelta(hours=1))
    assert "capped" not in result.reason
    assert capped_changes(db) == [None]


def test_history_says_the_comparison_was_capped(tmp_path: Path, small_limit: None) -> None:
    path = tmp_path / "r.db"
    db = store.open_db(path)
    record_page(db, ok(html(MANY)), T0)
    record_page(db, ok(html(REWRITTEN)), T0 + timedelta(hours=1))
    db.close()
    shown = CliRunner().invoke(cli, ["--db", str(path), "history", URL])
    assert shown.exit_code == 0, shown.output
    # The table wraps its last column ("what changed"): read that column's lines together.
    cells = [line.split("│")[-2].strip() for line in shown.output.splitlines() if "│" in line]
    assert "comparison capped: 50 old and 50 new sentences changed" in " ".join(cells)
    as_json = CliRunner().invoke(cli, ["--db", str(path), "history", URL, "--json"])
    assert '"capped": "50 old and 50 new sentences changed (limit 5 a side)"' in as_json.output


def test_a_capped_version_is_not_compared_again_in_later_rounds(
    tmp_path: Path, small_limit: None
) -> None:
    db = store.open_db(tmp_path / "r.db")
    compare = CountingComparer()
    record_page(db, ok(html(MANY)), T0, comparer=compare)
    record_page(db, ok(html(REWRITTEN)), T0 + timedelta(hours=1), comparer=compare)
    assert compare.calls == 1
    same_bytes = record_page(db, ok(html(REWRITTEN)), T0 + timedelta(hours=2), comparer=compare)
    new_furniture = html(REWRITTEN, nav="Home World Politics Sport Weather")
    same_text = record_page(db, ok(new_furniture), T0 + timedelta(hours=3), comparer=compare)
    assert [same_bytes.reason, same_text.reason] == ["identical page", "same content"]
    assert compare.calls == 1


# --- the time limit, in a worker ---------------------------------------------------------------
# A rewrite of 95 KB without sentence punctuation: compared in full (under every size limit), in
# about 0.7 s of CPU on this machine, far beyond a limit of 0.05 s.
SLOW_OLD, SLOW_NEW = (Article(title="Long read", body=b) for b in unpunctuated_rewrite(95_000))


def test_workers_compare_exactly_what_the_crawler_process_would() -> None:
    old, new = (Article(title="Budget", body=body) for body in normal_article())
    pages = RawPage(html(PARAGRAPHS), "text/html"), RawPage(html(PARAGRAPHS[:2]), "text/html")
    with ExtractionPool(1, timeout=60, compare_timeout=60) as pool:
        assert pool.compare(old, new, *pages) == compare_versions(old, new, *pages)


def test_a_comparison_past_its_time_limit_is_abandoned_and_the_pool_goes_on() -> None:
    old, new = (Article(title="Budget", body=body) for body in normal_article())
    with ExtractionPool(1, timeout=60, compare_timeout=0.05) as pool:
        with pytest.raises(ComparisonTimeoutError, match=r"comparison took longer than 0\.05 s"):
            pool.compare(SLOW_OLD, SLOW_NEW)
        pool.compare_timeout = 60
        assert pool.compare(old, new) == compare_versions(old, new)
        assert pool.started == 2  # the slow worker was killed and replaced


def test_an_abandoned_comparison_counts_the_paragraphs_changed() -> None:
    old = Article(title="Budget", body="\n".join(("Same.", "Old one.", "Old two.", "Kept.")))
    new = Article(title="Budget approved", body="\n".join(("Kept.", "Same.", "New one.")))
    result = compare_abandoned(old, new, "timed out after 20 s")
    assert result.capped == "timed out after 20 s"
    assert [e.kind for e in result.edits] == ["headline", "too_many_changes"]
    assert summarize(result.edits) == (
        "headline changed; too many changes to classify: "
        "comparison timed out after 20 s: 2 paragraphs changed"
    )
    assert (result.edits[-1].old, result.edits[-1].new) == ("Old one.", "New one.")


def test_a_version_whose_comparison_was_abandoned_is_stored_and_marked(tmp_path: Path) -> None:
    def timed_out(
        old: Article, new: Article, old_page: RawPage | None, new_page: RawPage | None
    ) -> VersionComparison:
        return compare_abandoned(old, new, "timed out after 20 s")

    db = store.open_db(tmp_path / "r.db")
    record_page(db, ok(html(MANY)), T0)
    result = record_page(db, ok(html(REWRITTEN)), T0 + timedelta(hours=1), comparer=timed_out)
    assert result.outcome == "new_version"
    assert result.reason == (
        "too many changes to classify: comparison timed out after 20 s: 50 paragraphs changed; "
        "comparison capped: timed out after 20 s"
    )
    assert capped_changes(db) == ["timed out after 20 s"]


# --- a whole round, through a real `scrapy crawl` ----------------------------------------------
# Far above an ordinary comparison (milliseconds of CPU), far below the poisoned one (about 0.7 s
# of CPU; see tests/sites.py). The limit counts the worker's CPU time, so a loaded machine, which
# stretches both on the wall clock, moves neither across it.
ROUND_COMPARE_TIMEOUT = "0.25"


def test_one_poisoned_article_and_thirty_normal_ones_are_all_checked_in_one_round(
    db_path: Path,
) -> None:
    with NewsSite() as site:
        urls = [site.url(f"/many/{n}.html") for n in range(30)] + [site.url("/poisoned.html")]
        track(db_path, urls)
        settings = {
            "REDLINE_EXTRACT_WORKERS": "2",
            "REDLINE_COMPARE_TIMEOUT": ROUND_COMPARE_TIMEOUT,
        }
        crawl(db_path, settings, all="true")
        site.edition = 2
        second = crawl(db_path, settings, all="true")
    checks = rows(
        db_path,
        "select articles.url, checks.outcome, checks.reason from checks "
        "join articles on articles.id = checks.article_id where checks.id > ?",
        [len(urls)],
    )
    assert sorted(c["url"] for c in checks) == sorted(urls)  # every article, once, this round
    poisoned = next(c for c in checks if c["url"].endswith("/poisoned.html"))
    assert poisoned["outcome"] == "new_version"
    assert poisoned["reason"] == (
        "too many changes to classify: comparison timed out after 0.25 s: 96 paragraphs changed; "
        "comparison capped: timed out after 0.25 s"
    )
    normal = [c for c in checks if c is not poisoned]
    assert {(c["outcome"], c["reason"]) for c in normal} == {("new_version", "figure updated")}
    capped = rows(db_path, "select capped from changes where capped is not null")
    assert capped == [{"capped": "timed out after 0.25 s"}]
    assert "'redline/comparison_capped': 1" in second.stdout
