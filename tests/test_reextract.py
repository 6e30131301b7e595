"""An extractor upgrade is never reported as newsroom edits: versions are re-derived from their
raw pages, automatically before comparing and with `redline reextract`."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from monitor import store
from monitor.cli import cli
from monitor.compare.edit import make_edit
from monitor.errors import ExtractionTimeoutError
from monitor.extract.article import Article
from monitor.record.page import Extractor, FetchedPage, extract_in_process, record_page
from monitor.record.reextract import _standfirst_flips, reextract_all, stale_versions, text_differs
from tests.conftest import crawl, rows, track
from tests.sites import NewsSite
from tests.test_record import PAGE_A, PAGE_B, T0, URL


def pretend_old_extractor(db: Database, body_suffix: str = "") -> None:
    """What a database written by an older trafilatura looks like: another version number and,
    typically, slightly different text."""
    db.execute("update versions set extractor_version = '0.0.1', body = body || ?", [body_suffix])
    db.conn.commit()


def test_upgrade_alone_reports_no_edit(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    result = record_page(db, FetchedPage(URL, 200, PAGE_A + b" "), T0)
    assert result.outcome == "unchanged"
    assert next(db.query("select count(*) as n from changes"))["n"] == 0
    assert stale_versions(db) == []


def test_reextract_recomputes_edits_of_stale_changes(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    record_page(db, FetchedPage(URL, 200, PAGE_B), T0)
    before = [r["kind"] for r in db.query("select kind from edits order by id")]
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    stats = reextract_all(db)
    assert (stats.checked, stats.reextracted, stats.text_changed) == (2, 2, 2)
    after = [r["kind"] for r in db.query("select kind from edits order by id")]
    assert after == before
    assert "caption" not in "".join(r["body"] for r in db.query("select body from versions"))


def test_reextract_command(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = store.open_db(path)
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    pretend_old_extractor(db)
    db.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "reextract"])
    assert result.exit_code == 0, result.output
    assert "1 stale version(s): 1 re-extracted" in result.output
    missing = CliRunner().invoke(
        cli, ["--db", str(path), "reextract", "--url", "https://x.example/a"]
    )
    assert missing.exit_code == 1 and "not tracked" in missing.output


def test_reextract_skips_a_damaged_stored_page_names_it_and_goes_on(tmp_path: Path) -> None:
    """One damaged raw page does not stop the others: one line naming it, the count at the end,
    exit 1; the skipped version is left as it was (still stale), the others re-extracted."""
    path = tmp_path / "r.db"
    db = store.open_db(path)
    other = "https://news.example/other"
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    record_page(db, FetchedPage(other, 200, PAGE_B), T0)
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    [damaged] = rows(
        path,
        "select v.id, v.snapshot_id, v.body from versions v join articles a "
        "on a.id = v.article_id where a.url = ?",
        [URL],
    )
    db.execute(
        "update snapshots set content = substr(content, 1, 20) where id = ?",
        [damaged["snapshot_id"]],
    )
    db.conn.commit()
    db.close()
    result = CliRunner().invoke(cli, ["--db", str(path), "reextract"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [skipped] = [line for line in result.output.splitlines() if line.startswith("version ")]
    assert skipped == (
        f"version 1 of {URL} skipped: stored page {damaged['snapshot_id']} cannot be read: "
        "cut short or damaged"
    )
    assert "2 stale version(s): 1 re-extracted" in result.output
    assert result.output.strip().splitlines()[-1] == (
        "Error: 1 version(s) skipped: their stored page cannot be read"
    )
    kept = {r["id"]: r for r in rows(path, "select id, body, extractor_version from versions")}
    assert kept[damaged["id"]]["body"] == damaged["body"]  # untouched, still stale
    assert kept[damaged["id"]]["extractor_version"] == "0.0.1"
    assert [v["extractor_version"] for i, v in kept.items() if i != damaged["id"]] != ["0.0.1"]


# --- the first round after an upgrade -----------------------------------------------------------
PAGE_C = PAGE_B.replace(b"two members absent", b"three members absent")


def counting_extractor() -> tuple[list[str], Extractor]:
    """The real extractor, with the URLs it was asked to extract."""
    asked: list[str] = []

    def extractor(body: bytes, url: str, content_type: str = "") -> Article:
        asked.append(url)
        return extract_in_process(body, url, content_type)

    return asked, extractor


def test_a_check_after_an_upgrade_re_extracts_only_the_latest_version(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    for minutes, page in enumerate((PAGE_A, PAGE_B, PAGE_C)):
        record_page(db, FetchedPage(URL, 200, page), T0 + timedelta(minutes=minutes))
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    asked, extractor = counting_extractor()
    result = record_page(
        db, FetchedPage(URL, 200, PAGE_C + b" "), T0 + timedelta(hours=1), None, extractor
    )
    assert (result.outcome, result.reason) == ("unchanged", "same content")
    assert len(asked) == 2  # the latest version's raw page, then the fetched page
    assert [v["seq"] for v in stale_versions(db)] == [1, 2]  # left to `redline reextract`
    latest = store.latest_version(db, store.all_articles(db)[0]["id"])
    assert latest is not None and "caption" not in latest["body"]


def test_reextract_then_recomputes_the_change_into_the_refreshed_version(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    record_page(db, FetchedPage(URL, 200, PAGE_B), T0 + timedelta(minutes=1))
    before = [r["kind"] for r in db.query("select kind from edits order by id")]
    # Only the latest version's old text had the caption: the version before it re-extracts to
    # the same text, and the change between them must still be recomputed.
    db.execute(
        "update versions set extractor_version = '0.0.1', body = body || ? where seq = 2",
        ["\nOld extractors kept this trailing caption line."],
    )
    db.execute("update versions set extractor_version = '0.0.1'")
    db.conn.commit()
    record_page(db, FetchedPage(URL, 200, PAGE_B + b" "), T0 + timedelta(hours=1))
    stats = reextract_all(db)
    assert (stats.checked, stats.text_changed, stats.changes_recomputed) == (1, 0, 1)
    assert [r["kind"] for r in db.query("select kind from edits order by id")] == before


def test_a_failed_re_extraction_of_the_latest_version_is_an_extraction_failure(
    tmp_path: Path,
) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    pretend_old_extractor(db)

    def too_slow_for_the_old_page(body: bytes, url: str, content_type: str = "") -> Article:
        if body == PAGE_A:
            raise ExtractionTimeoutError("extraction took longer than 60 s")
        return extract_in_process(body, url, content_type)

    result = record_page(
        db, FetchedPage(URL, 200, PAGE_B), T0 + timedelta(hours=1), None, too_slow_for_the_old_page
    )
    assert result.outcome == "extraction_failed"
    assert result.reason == (
        "re-extraction of the latest version failed: extraction took longer than 60 s"
    )
    assert len(stale_versions(db)) == 1


def test_reextract_keeps_a_capped_change_as_it_is(tmp_path: Path) -> None:
    db = store.open_db(tmp_path / "r.db")
    record_page(db, FetchedPage(URL, 200, PAGE_A), T0)
    record_page(db, FetchedPage(URL, 200, PAGE_B), T0 + timedelta(minutes=1))
    db.execute("update changes set capped = 'timed out after 20 s'")
    pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
    edits_before = list(db.query("select * from edits order by id"))
    stats = reextract_all(db)
    assert (stats.text_changed, stats.changes_recomputed, stats.capped_kept) == (2, 0, 1)
    assert list(db.query("select * from edits order by id")) == edits_before


def test_the_first_round_after_an_upgrade_refreshes_each_latest_version_in_the_workers(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "redline.db"
    with NewsSite() as site:
        urls = [site.url(f"/many/{n}.html") for n in range(3)]
        track(db_path, urls)
        crawl(db_path, {"REDLINE_EXTRACT_WORKERS": "1"}, all="true")
        site.edition = 2
        crawl(db_path, {"REDLINE_EXTRACT_WORKERS": "1"}, all="true")
        db = store.open_db(db_path)
        pretend_old_extractor(db, "\nOld extractors kept this trailing caption line.")
        db.close()
        upgraded = crawl(db_path, {"REDLINE_EXTRACT_WORKERS": "1"}, all="true")
    last = rows(db_path, "select outcome, reason from checks order by id desc limit 3")
    assert {(c["outcome"], c["reason"]) for c in last} == {("unchanged", "same content")}
    assert "'redline/extract_workers': 1" in upgraded.stdout  # extracted in the worker
    db = store.open_db(db_path)
    try:
        assert [v["seq"] for v in stale_versions(db)] == [1, 1, 1]  # for `redline reextract`
        assert "caption" not in "".join(
            v["body"] for v in db.query("select body from versions where seq = 2")
        )
        assert next(db.query("select count(*) as n from changes"))["n"] == 3
    finally:
        db.close()


def test_a_re_extraction_that_changes_only_the_modified_date_recomputes_the_change() -> None:
    # Revision 8 reads the modified date the page declares: a change whose stored date edit came
    # from the old reading must be recomputed even when nothing else moved.
    version = {"title": "T", "byline": "", "published": "2024-05-01", "body": "Body.",
               "modified": "2024-05-02T10:00", "roles": "", "content_hash": "h"}  # fmt: skip
    same = Article(title="T", published="2024-05-01", modified="2024-05-02T10:00", body="Body.")
    assert not text_differs(version, same, "h")
    assert text_differs(version, replace(same, modified="2024-05-02T12:00"), "h")


ONE = "The crossing reopens on Thursday after three months of repairs to its bearings."
TWO = "Drivers can use the Tamsin crossing again from Thursday morning, the city said."


def test_reextract_does_not_bring_back_a_standfirst_flip_the_crawl_left_out(
    tmp_path: Path,
) -> None:
    db = store.open_db(tmp_path / "r.db")
    article, _ = store.track_article(db, URL, T0, resolve=lambda _host: [])
    for hours, wording in ((0, ONE), (1, TWO), (2, ONE)):  # a standfirst test: ONE, TWO, ONE
        db["headline_runs"].insert(
            {
                "article_id": article["id"],
                "field": "standfirst",
                "text": wording,
                "seen_at": (T0 + timedelta(hours=hours)).isoformat(),
            }
        )
    roles = ("standfirst", "prose")
    old = Article(body=f"{TWO}\nIt cost 12 million.", roles=roles)
    new = Article(body=f"{ONE}\nIt cost 14 million.", roles=roles)
    edits = [
        make_edit("sentence_removed", "body", old=TWO),
        make_edit("sentence_added", "body", new=ONE),
        make_edit("number", "body", old="12", new="14", old_sentence="It cost 12 million."),
    ]
    back = {"article_id": article["id"], "detected_at": (T0 + timedelta(hours=2)).isoformat()}
    assert _standfirst_flips(db, back, old, new, edits) == edits[:2]  # a flip: left out again
    first = {"article_id": article["id"], "detected_at": (T0 + timedelta(hours=1)).isoformat()}
    assert _standfirst_flips(db, first, new, old, edits) == []  # a new wording: reported
    lede = replace(new, roles=("prose", "prose"))  # the same words, not shown as the standfirst
    assert _standfirst_flips(db, back, replace(old, roles=lede.roles), lede, edits) == []
