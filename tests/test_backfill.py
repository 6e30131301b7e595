"""`redline backfill`: an article's past from a Wayback Machine on 127.0.0.1
(`tests/archive_site.py`), through the same extraction and comparison as a crawl."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import store
from monitor.archive.cdx import Capture, capture_time, cdx_query_url, memento_url, parse_cdx
from monitor.archive.client import ArchiveClient
from monitor.archive.command import backfill_article
from monitor.cli import cli
from monitor.errors import ArchiveError
from monitor.record.page import FetchedPage, record_page
from tests.archive_site import Archived, ArchiveSite
from tests.sites import CLOUDFLARE

URL = "https://news.example/2026/03/night-trains.html"
LEAD = (
    "The regional transport authority confirmed on Monday that the night trains between the two "
    "cities will run again from March, after a two-year pause blamed on staff shortages."
)
VOTE = (
    "The board voted {figure} to three in favour of the plan, which still needs the approval of "
    "the finance committee before the first tickets go on sale in the new year."
)
CLOSE = (
    "Passenger groups welcomed the decision but warned that the timetable leaves the smaller "
    "stations along the northern line without any late service on weekdays, said {name}."
)


def page(figure: str = "seven", name: str = "Anna Berger", extra: str = "") -> bytes:
    paragraphs = [LEAD, VOTE.format(figure=figure), CLOSE.format(name=name)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs) + extra
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Night trains return"
        "</title></head><body><article><h1>Night trains return</h1>"
        f"{body}</article></body></html>"
    ).encode()


THREE = [
    Archived("20260301080000", page("seven", "Anna Berger")),
    Archived("20260301120000", page("eight", "Anna Berger")),
    Archived("20260302090000", page("eight", "Anna Bergmann")),
]


def fast_client() -> ArchiveClient:
    """No pause between requests, nor before retries (the pacing has its own tests)."""
    return ArchiveClient(interval=timedelta(0), backoff=timedelta(0), retries=2)


@pytest.fixture
def archive() -> ArchiveSite:
    with ArchiveSite() as site:
        yield site


@pytest.fixture
def db(tmp_path: Path):
    database = store.open_db(tmp_path / "redline.db")
    store.track_article(database, URL, datetime(2026, 3, 10, tzinfo=UTC))
    return database


def article(db):
    return store.require_article(db, URL)


def versions(db) -> list[dict]:
    return list(db.query("select * from versions order by seq"))


def edits_of(db, old_seq: int, new_seq: int) -> list[tuple[str, str]]:
    return [
        (row["old"], row["new"])
        for row in db.query(
            """select edits.old, edits.new from edits
               join changes on changes.id = edits.change_id
               join versions o on o.id = changes.old_version_id
               join versions n on n.id = changes.new_version_id
               where o.seq = ? and n.seq = ? and edits.field = 'body'""",
            [old_seq, new_seq],
        )
    ]


def crawl_once(db, body: bytes, when: datetime) -> None:
    result = record_page(db, FetchedPage(URL, 200, body, content_type="text/html"), when)
    assert result.outcome in ("new_article", "new_version")


# ----------------------------------------------------------------- the CDX index, pure


def test_the_cdx_query_asks_for_json_and_the_needed_fields_from_a_date() -> None:
    query = cdx_query_url("https://web.archive.org/", URL, datetime(2026, 3, 1, tzinfo=UTC), 5)
    assert query.startswith("https://web.archive.org/cdx/search/cdx?url=https%3A%2F%2Fnews")
    assert "output=json" in query and "from=20260301000000" in query and "limit=5" in query
    assert "fl=timestamp%2Coriginal%2Cstatuscode%2Cmimetype%2Cdigest" in query


def test_a_memento_is_replayed_in_original_mode() -> None:
    assert memento_url("https://web.archive.org", "20260301080000", URL) == (
        f"https://web.archive.org/web/20260301080000id_/{URL}"
    )


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("[]", 0),
        ('[["timestamp","original","statuscode","mimetype","digest"]]', 0),
        (
            '[["urlkey","timestamp","original","mimetype","statuscode","digest","length"],'
            '["k","20260301080000","http://a/","text/html","200","D","10"]]',
            1,
        ),
    ],
)
def test_cdx_answers_are_read_whatever_the_field_order(text: str, count: int) -> None:
    captures = parse_cdx(text)
    assert len(captures) == count
    if captures:
        assert captures[0] == Capture("20260301080000", "http://a/", "200", "text/html", "D")


@pytest.mark.parametrize(
    "text",
    [
        "<html>busy</html>",
        '[["timestamp","original"]]',
        '[["timestamp","original","statuscode","mimetype","digest"],["2026"]]',
        '[["timestamp","original","statuscode","mimetype","digest"],["notatime","u","200","t","d"]]',
    ],
)
def test_a_malformed_cdx_answer_is_one_archive_error(text: str) -> None:
    with pytest.raises(ArchiveError):
        parse_cdx(text)


def test_a_capture_time_is_utc() -> None:
    assert capture_time("20260301080000") == datetime(2026, 3, 1, 8, tzinfo=UTC)
    assert capture_time("202603") == datetime(2026, 3, 1, tzinfo=UTC)


# ----------------------------------------------------------------- backfill, end to end


def test_three_captures_become_three_versions_with_the_edits_between_them(archive, db) -> None:
    archive.captures[URL] = THREE
    result = backfill_article(db, article(db), fast_client(), archive.base)

    rows = versions(db)
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert [r["captured_at"][:19] for r in rows] == [
        "2026-03-01T08:00:00",
        "2026-03-01T12:00:00",
        "2026-03-02T09:00:00",
    ]
    assert [r["memento_url"] for r in rows] == [
        f"{archive.base}/web/{a.timestamp}id_/{URL}" for a in THREE
    ]
    assert all(r["snapshot_id"] for r in rows)
    assert ("seven", "eight") in edits_of(db, 1, 2)
    assert ("Berger", "Bergmann") in edits_of(db, 2, 3)
    assert article(db)["version_count"] == 3
    assert len(result.plan.versions) == 3 and not result.plan.skipped


def test_past_versions_go_before_the_first_known_version_and_link_to_it(archive, db) -> None:
    crawl_once(
        db,
        page("eight", "Anna Bergmann", "<p>Tickets go on sale on Friday.</p>"),
        datetime(2026, 3, 10, tzinfo=UTC),
    )
    crawled_id = versions(db)[0]["id"]
    archive.captures[URL] = [
        *THREE,
        Archived("20260311000000", page("nine", "Anna Bergmann")),  # after Redline's own
    ]
    result = backfill_article(db, article(db), fast_client(), archive.base)

    rows = versions(db)
    assert [(r["seq"], r["memento_url"] is not None) for r in rows] == [
        (1, True),
        (2, True),
        (3, True),
        (4, False),
    ]
    assert rows[3]["id"] == crawled_id
    assert ("Berger", "Bergmann") in edits_of(db, 2, 3)
    assert any("Tickets go on sale" in new for _, new in edits_of(db, 3, 4))
    assert [s.reason for s in result.plan.skipped] == [
        "not older than the first known version: Redline's own record covers it"
    ]
    assert article(db)["version_count"] == 4


def test_a_capture_with_the_first_known_text_is_not_a_version_of_its_own(archive, db) -> None:
    crawl_once(db, THREE[2].body, datetime(2026, 3, 10, tzinfo=UTC))
    archive.captures[URL] = THREE
    result = backfill_article(db, article(db), fast_client(), archive.base)
    assert [r["memento_url"] is not None for r in versions(db)] == [True, True, False]
    assert ("Berger", "Bergmann") in edits_of(db, 2, 3)
    assert [(s.capture.timestamp, s.reason) for s in result.plan.skipped] == [
        ("20260302090000", "same text as the first known version")
    ]


def test_a_first_version_from_an_older_extractor_is_read_as_the_installed_one_reads_it(
    archive, db
) -> None:
    # An older extractor kept a caption line in the stored first version; the captures are
    # extracted by today's: the link between them must not be the extractor upgrade.
    crawl_once(db, THREE[2].body, datetime(2026, 3, 10, tzinfo=UTC))
    db.execute(
        "update versions set extractor_version = '0.0.1', content_hash = 'old-extractor', "
        "body = body || char(10) || 'Old extractors kept this caption line.'"
    )
    db.conn.commit()
    archive.captures[URL] = THREE
    result = backfill_article(db, article(db), fast_client(), archive.base)
    assert "same text as the first known version" in [s.reason for s in result.plan.skipped]
    assert [r["memento_url"] is not None for r in versions(db)] == [True, True, False]
    linking = edits_of(db, 2, 3)
    assert ("Berger", "Bergmann") in linking
    assert not any("caption" in (new or "") for _old, new in linking)


def test_a_second_backfill_adds_nothing(archive, db) -> None:
    archive.captures[URL] = THREE
    backfill_article(db, article(db), fast_client(), archive.base)
    again = backfill_article(db, article(db), fast_client(), archive.base)
    assert len(versions(db)) == 3
    assert not again.plan.versions


@pytest.mark.parametrize(
    ("capture", "reason"),
    [
        (
            Archived("20260301090000", b"", 301, location=URL + "?amp"),
            "archived as a redirect (HTTP 301)",
        ),
        (Archived("20260301090000", b"gone", 404), "archived as an error (HTTP 404)"),
        (
            Archived("20260301090000", b"", 302, location="/elsewhere", indexed_status="-"),
            "the replay redirects (HTTP 302) to /elsewhere",
        ),
        (Archived("20260301090000", CLOUDFLARE), "archived a bot wall: 'Just a moment...'"),
        (
            Archived("20260301090000", b"%PDF-1.4", mimetype="application/pdf"),
            "archived as application/pdf, not a page",
        ),
        (
            Archived("20260301090000", page("seven", "Anna Berger") + b" "),
            "same text as the capture before it",
        ),
    ],
)
def test_a_capture_that_is_not_the_article_is_skipped_with_its_reason(
    archive, db, capture: Archived, reason: str
) -> None:
    archive.captures[URL] = [THREE[0], capture, *THREE[1:]]
    result = backfill_article(db, article(db), fast_client(), archive.base)
    assert len(versions(db)) == 3
    assert [(s.capture.timestamp, s.reason) for s in result.plan.skipped] == [
        ("20260301090000", reason)
    ]


def test_identical_bytes_are_not_replayed(archive, db) -> None:
    archive.captures[URL] = [THREE[0], Archived("20260301090000", THREE[0].body), *THREE[1:]]
    result = backfill_article(db, article(db), fast_client(), archive.base)
    assert ("20260301090000", "same bytes as the capture before it") in [
        (s.capture.timestamp, s.reason) for s in result.plan.skipped
    ]
    assert not any("20260301090000id_" in path for path in archive.requests)


def test_since_and_limit_bound_what_is_replayed(archive, db) -> None:
    archive.captures[URL] = THREE
    since = datetime(2026, 3, 1, 10, tzinfo=UTC)
    result = backfill_article(db, article(db), fast_client(), archive.base, since, limit=1)
    assert [r["captured_at"][:13] for r in versions(db)] == ["2026-03-02T09"]
    assert "from=20260301100000" in archive.requests[0]
    assert [s.reason for s in result.plan.skipped] == ["over the limit of 1 captures"]


def test_timeline_and_diffs_mark_archive_versions(archive, db) -> None:
    crawl_once(db, page("nine", "Anna Bergmann"), datetime(2026, 3, 10, tzinfo=UTC))
    archive.captures[URL] = THREE
    backfill_article(db, article(db), fast_client(), archive.base)
    events = [
        (r["event"], r["to_version"], bool(r["memento_url"]))
        for r in db.query("select * from article_timeline order by at")
    ]
    assert events == [
        ("first seen (archive)", 1, True),
        ("new version (archive)", 2, True),
        ("new version (archive)", 3, True),
        ("new version", 4, False),
    ]
    diffs = list(db.query("select * from version_diffs order by to_version"))
    assert [bool(d["new_memento_url"]) for d in diffs] == [True, True, False]
    assert diffs[-1]["old_memento_url"].endswith(f"20260302090000id_/{URL}")


# ----------------------------------------------------------------- politeness


def test_a_busy_archive_is_asked_again_after_its_retry_after(archive, db) -> None:
    archive.captures[URL] = THREE
    archive.busy, archive.retry_after = 2, "0"
    waits: list[float] = []
    client = ArchiveClient(
        interval=timedelta(0), backoff=timedelta(0), retries=2, sleep=waits.append
    )
    backfill_article(db, article(db), client, archive.base)
    assert len(versions(db)) == 3
    assert client.requests == 4 + 2  # the index, three captures, two refusals


def test_an_archive_that_stays_busy_stops_the_backfill_with_one_line(archive, db) -> None:
    archive.captures[URL] = THREE
    archive.busy = 100
    client = ArchiveClient(
        interval=timedelta(0), backoff=timedelta(0), retries=2, sleep=lambda s: None
    )
    with pytest.raises(ArchiveError, match=r"did not answer .*HTTP 429"):
        backfill_article(db, article(db), client, archive.base)
    assert len(archive.requests) == 3
    assert versions(db) == []


def test_a_long_retry_after_is_not_waited_for(archive, db) -> None:
    archive.captures[URL] = THREE
    archive.busy, archive.retry_after = 1, "3600"
    client = ArchiveClient(interval=timedelta(0), backoff=timedelta(0), sleep=lambda s: None)
    with pytest.raises(ArchiveError, match="asks to wait 3600 s"):
        backfill_article(db, article(db), client, archive.base)


def test_requests_are_spaced_by_the_interval() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    client = ArchiveClient(interval=timedelta(seconds=2), sleep=sleep, clock=lambda: now[0])
    client._pace()
    now[0] += 0.5
    client._pace()
    client._pace()
    assert waits == [1.5, 2.0]


# ----------------------------------------------------------------- the command


def test_the_command_reports_versions_and_skips(archive, tmp_path: Path, monkeypatch) -> None:
    db_path = tmp_path / "redline.db"
    store.track_article(store.open_db(db_path), URL, datetime(2026, 3, 10, tzinfo=UTC))
    archive.captures[URL] = [*THREE, Archived("20260303000000", b"gone", 404)]
    monkeypatch.setenv("REDLINE_ARCHIVE_BASE_URL", archive.base)
    monkeypatch.setenv("REDLINE_ARCHIVE_INTERVAL", "0")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backfill", URL])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{URL}: 3 archived versions added, 1 capture skipped"
    assert lines[1].startswith(f"  v1 2026-03-01 08:00 {archive.base}/web/20260301080000id_/")
    assert "to v2: " in lines[1]
    assert lines[-1] == "  skipped 20260303000000: archived as an error (HTTP 404)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give one article (URL or id) or --all"),
        (["--all", URL], "give one article (URL or id) or --all"),
        (["https://news.example/untracked"], "not tracked: https://news.example/untracked"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(tmp_path: Path, args, message) -> None:
    db_path = tmp_path / "redline.db"
    store.open_db(db_path)
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backfill", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_archive_is_one_line_per_article(tmp_path: Path, monkeypatch) -> None:
    db_path = tmp_path / "redline.db"
    store.track_article(store.open_db(db_path), URL, datetime(2026, 3, 10, tzinfo=UTC))
    monkeypatch.setenv("REDLINE_ARCHIVE_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("REDLINE_ARCHIVE_INTERVAL", "0")
    monkeypatch.setenv("REDLINE_ARCHIVE_RETRIES", "0")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "backfill", "--all"])
    assert result.exit_code == 1
    assert "the archive did not answer" in result.output
    assert "1 of 1 articles could not be backfilled" in result.output


def test_the_diff_page_says_a_version_is_from_the_archive(archive, tmp_path: Path) -> None:
    import asyncio

    from monitor.web.serve import make_datasette

    db_path = tmp_path / "redline.db"
    database = store.open_db(db_path)
    store.track_article(database, URL, datetime(2026, 3, 10, tzinfo=UTC))
    archive.captures[URL] = THREE
    backfill_article(database, article(database), fast_client(), archive.base)
    change_id = database.execute("select min(id) from changes").fetchone()[0]

    async def diff_page() -> str:
        datasette = make_datasette(db_path)
        await datasette.invoke_startup()
        return (await datasette.client.get(f"/-/redline/diff/{change_id}")).text

    html = asyncio.run(diff_page())
    assert "version 1 is from the Wayback Machine" in html
    assert f'href="{archive.base}/web/20260301120000id_/{URL}"' in html


def _responses(warc: bytes) -> list[tuple[str, str, str]]:
    """The WARC's response records: target, original URI, note."""
    import io

    from warcio.archiveiterator import ArchiveIterator

    return [
        (
            record.rec_headers.get_header("WARC-Target-URI"),
            record.rec_headers.get_header("Redline-Original-URI"),
            record.rec_headers.get_header("Redline-Note") or "",
        )
        for record in ArchiveIterator(io.BytesIO(warc), check_digests="raise")
        if record.rec_type == "response"
    ]


def test_evidence_names_the_memento_of_each_backfilled_version(archive, db) -> None:
    from monitor.cli.evidence import evidence_warc
    from monitor.store import captures
    from monitor.warc import MEMENTO_NOTE

    crawl_once(db, page("eight", "Anna Bergmann", "<p>New.</p>"), datetime(2026, 3, 10, tzinfo=UTC))
    archive.captures[URL] = THREE
    backfill_article(db, article(db), fast_client(), archive.base)
    mementos = [f"{archive.base}/web/{a.timestamp}id_/{URL}" for a in THREE]

    every = _responses(evidence_warc(db, URL, None, every=True))
    one = _responses(evidence_warc(db, URL, 2, every=False))

    assert [target for target, _, _ in every] == [*mementos, URL]  # the backfilled ones too
    assert [original for _, original, _ in every] == [URL, URL, URL, None]
    assert all(f"{MEMENTO_NOTE} {target}" in note for target, _, note in every[:3])
    assert MEMENTO_NOTE not in every[3][2]  # Redline's own fetch
    assert [target for target, _, _ in one] == [mementos[1]]
    snapshot = versions(db)[0]["snapshot_id"]
    assert captures.find_capture(db, snapshot).memento_url == mementos[0]  # the capture page's


# ----------------------------------------------------------------- Save Page Now


def significant_change(db) -> None:
    """Two crawled versions whose change has significant edits."""
    crawl_once(db, page("seven", "Anna Berger"), datetime(2026, 3, 10, tzinfo=UTC))
    crawl_once(db, page("seven", "Paul Grant"), datetime(2026, 3, 10, 1, tzinfo=UTC))
    assert db.execute("select max(significant) from changes").fetchone()[0] > 0


def save_config(archive, **env: str):
    from monitor.config import load_config

    return load_config(
        environ={
            "REDLINE_ARCHIVE_BASE_URL": archive.base,
            "REDLINE_ARCHIVE_SAVE_SIGNIFICANT": "true",
            "REDLINE_ALERTS_MAX_AGE": "1000d",
            **env,
        }
    )


def test_a_significant_change_is_saved_once_with_its_memento(archive, db) -> None:
    from monitor.archive.save import save_significant

    significant_change(db)
    now = datetime(2026, 3, 10, 2, tzinfo=UTC)
    report = save_significant(db, save_config(archive), fast_client(), now)
    again = save_significant(db, save_config(archive), fast_client(), now)

    assert (report.queued, report.saved, report.failed) == (1, 1, 0)
    assert (again.queued, again.saved) == (0, 0)
    assert archive.saved == [URL]
    saves = list(db.query("select * from archive_saves"))
    assert [(s["status"], s["attempts"]) for s in saves] == [("saved", 1)]
    assert saves[0]["memento_url"] == f"{archive.base}/web/20261206120000/{URL}"


def test_a_failed_save_is_retried_later_then_given_up(archive, db) -> None:
    from monitor.archive.save import save_significant

    significant_change(db)
    archive.save_status = 520  # "job failed"
    config = save_config(archive, REDLINE_ALERTS_MAX_ATTEMPTS="2", REDLINE_ALERTS_RETRY_AFTER="5m")
    now = datetime(2026, 3, 10, 2, tzinfo=UTC)
    first = save_significant(db, config, fast_client(), now)
    too_soon = save_significant(db, config, fast_client(), now + timedelta(minutes=1))
    last = save_significant(db, config, fast_client(), now + timedelta(minutes=6))

    assert (first.failed, too_soon.failed, last.failed) == (1, 0, 1)
    saves = list(db.query("select status, attempts, error from archive_saves"))
    assert saves == [{"status": "failed", "attempts": 2, "error": "HTTP 520"}]


def test_a_change_of_an_open_round_waits_for_its_close_before_it_is_saved(archive, db) -> None:
    from monitor.archive.save import save_significant
    from monitor.store import sitememory

    now = datetime(2026, 3, 10, 2, tzinfo=UTC)
    round_id = sitememory.open_round(db, datetime(2026, 3, 9, 23, tzinfo=UTC))
    significant_change(db)
    during = save_significant(db, save_config(archive), fast_client(), now)
    sitememory.close_round(db, round_id, now)
    after = save_significant(db, save_config(archive), fast_client(), now)

    assert (during.queued, during.saved) == (0, 0)
    assert (after.queued, after.saved) == (1, 1)
    assert archive.saved == [URL]


def test_a_queued_change_no_longer_significant_is_not_saved(archive, db) -> None:
    from monitor.archive.save import save_significant
    from monitor.store.queries import replace_change_edits

    significant_change(db)
    archive.save_status = 520  # the first attempt fails: the save stays pending
    config = save_config(archive, REDLINE_ALERTS_RETRY_AFTER="5m")
    now = datetime(2026, 3, 10, 2, tzinfo=UTC)
    first = save_significant(db, config, fast_client(), now)
    # then a round's template decision weighs the change's edits down (as `sitememory` writes it)
    change_id, article_id = db.execute("select id, article_id from changes").fetchone()
    with store.write_transaction(db):
        db.execute("update edits set significant = 0 where change_id = ?", [change_id])
        replace_change_edits(db, change_id, article_id, [])
    archive.save_status = 302
    later = save_significant(db, config, fast_client(), now + timedelta(hours=1))

    assert (first.queued, first.failed) == (1, 1)
    assert (later.saved, later.failed) == (0, 0)
    assert archive.saved == [URL]  # the failed attempt only
    assert [row["status"] for row in db.query("select status from archive_saves")] == ["pending"]


def test_saving_is_off_by_default() -> None:
    from monitor.config import load_config

    assert load_config(environ={}).archive.save_significant is False
