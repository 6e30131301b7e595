"""The captured page and evidence: response headers recorded by a real crawl, the captured-page
view of `redline serve` (cleaned, sandboxed, under a strict CSP), `redline show`, and ids
accepted wherever a URL is."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.capture import CAPTURE_CSP, NO_HEADERS, safe_html
from monitor.cli import cli
from monitor.demo.site import DemoSite
from tests.conftest import built_once, copy_database, crawl, rows, track
from tests.test_serve import fetch

COUNCIL = "/news/2026/11/council-approves-riverside-housing-plan.html"


@dataclass(frozen=True)
class Captured:
    path: Path
    url: str  # the council article, edited between the two crawls
    article_id: int
    change_id: int  # its change from version 1 to 2
    snapshot_id: int  # the raw page of its version 2


def crawl_two_editions(directory: Path) -> dict[str, Any]:
    """The demo site crawled at edition 1 then 2 into `directory`/redline.db: the council
    article's ids."""
    path = directory / "redline.db"
    with DemoSite() as site:
        track(path, site.article_urls())
        crawl(path, all="true")
        site.edition = 2
        crawl(path, all="true")
        url = site.url(COUNCIL)
    (article,) = rows(path, "select id from articles where url = ?", [url])
    (change,) = rows(
        path,
        "select changes.id, versions.snapshot_id from changes join versions "
        "on versions.id = changes.new_version_id where changes.article_id = ?",
        [article["id"]],
    )
    return {
        "url": url,
        "article_id": article["id"],
        "change_id": change["id"],
        "snapshot_id": change["snapshot_id"],
    }


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Captured:
    """The two crawls run once for the whole run (`built_once`); each worker reads its own copy."""
    built, ids = built_once(tmp_path_factory, "evidence", crawl_two_editions)
    path = copy_database(built / "redline.db", tmp_path_factory.mktemp("evidence") / "redline.db")
    return Captured(path, **ids)


def run(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result.exit_code, result.output


# --- the raw page, cleaned ------------------------------------------------------------------
HOSTILE = b"""<!DOCTYPE html><html><head><title>Story</title>
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<link rel="stylesheet" href="https://evil.example/a.css"><style>@import url(https://evil.example/b.css);</style>
<script>document.title='owned'</script></head>
<body onload="alert(1)"><h1>Council vote</h1>
<p>The vote was <a href="https://news.example/more" onclick="steal()">close</a>.</p>
<img src="https://evil.example/pixel.gif" onerror="alert(2)">
<iframe src="https://evil.example/frame"></iframe><object data="x.swf"></object>
<form action="https://evil.example/post"><input name="q"><button formaction="/x">Go</button></form>
<a href="javascript:alert(3)">click</a><svg><script>alert(4)</script></svg>
<p style="color: red">Kept, with its inline style.</p></body></html>"""


@pytest.mark.parametrize(
    "gone",
    [
        "<script",
        "onload",
        "onclick",
        "onerror",
        "<iframe",
        "<object",
        "<form",
        "<input",
        "formaction",
        "javascript:",
        "<base",
        "http-equiv",
        "<link",
        "@import",
        "evil.example",
        "src=",
    ],
)
def test_the_captured_page_is_shown_without_anything_that_runs_or_loads(gone: str) -> None:
    assert gone not in safe_html(HOSTILE, "text/html").lower()


def test_the_captured_page_keeps_its_text_inline_styles_and_link_targets_as_tooltips() -> None:
    page = safe_html(HOSTILE, "text/html")
    assert "Council vote" in page and "Kept, with its inline style." in page
    assert 'style="color: red"' in page
    assert 'title="https://news.example/more"' in page


def test_the_captured_page_is_decoded_with_its_charset() -> None:
    page = safe_html("<p>Año nuevo</p>".encode("cp1252"), "text/html; charset=windows-1252")
    assert "Año nuevo" in page and '<meta charset="utf-8">' in page


# Markup that loads a URL with no script and no `src`/`href`: the cleaner must drop it on its own,
# the CSP being only the second line.
LOADING = [
    '<svg><image xlink:href="https://evil.example/x.png"/></svg>',
    '<svg><use xlink:href="https://evil.example/s.svg#a"/></svg>',
    '<a href="/story" ping="https://evil.example/ping">story</a>',
    '<p style="background: url(https://evil.example/bg.png)">styled</p>',
    "<p style=\"background-image: URL( 'https://evil.example/bg.png' )\">styled</p>",
    "<p style=\"background-image: image-set('https://evil.example/a.png' 1x)\">styled</p>",
    "<p style=\"background: -webkit-image-set('https://evil.example/a.png' 1x)\">styled</p>",
    '<p style="background: \\75rl(https://evil.example/esc.png)">styled</p>',
    "<p style=\"@import 'https://evil.example/i.css'\">styled</p>",
    '<svg><rect fill="url(https://evil.example/p.svg#g)"/></svg>',
    "<svg><style>@import url(https://evil.example/svg.css);</style></svg>",
    '<svg><a><animate attributeName="href" values="https://evil.example/anim"/></a></svg>',
    '<svg><set attributeName="xlink:href" to="https://evil.example/set"/></svg>',
    '<blockquote cite="https://evil.example/cite">quoted</blockquote>',
    '<img lowsrc="https://evil.example/low.png" longdesc="https://evil.example/d">',
]


@pytest.mark.parametrize("markup", LOADING)
def test_the_cleaner_drops_every_attribute_that_can_carry_a_url(markup: str) -> None:
    page = safe_html(f"<html><body><p>Text stays.</p>{markup}</body></html>".encode())
    assert "evil.example" not in page and "Text stays." in page


def test_a_crawled_page_is_served_without_any_url_it_could_load(tmp_path: Path) -> None:
    """Through a real crawl and the real captured-page view: nothing in the served document
    names the hostile host, whatever the CSP."""
    from tests.loopback import serve_pages

    db_path = tmp_path / "redline.db"
    paragraphs = "".join(
        f"<p>Paragraph {n}: the council voted on Tuesday to fund the new river bridge in full "
        "after months of debate about its cost.</p>"
        for n in range(4)
    )
    page = f"<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>{paragraphs}"
    page += "".join(LOADING) + "</article></body></html>"
    with serve_pages({"/bridge.html": (200, {}, page.encode())}) as site:
        track(db_path, [site.url("/bridge.html")])
        crawl(db_path, all="true")
    [version] = rows(db_path, "select snapshot_id from versions")
    path = f"/-/redline/snapshot/{version['snapshot_id']}/page"
    response = fetch(db_path, [path])[path]
    assert response.status_code == 200 and "Paragraph 3" in response.text
    assert "evil.example" not in response.text


# --- headers recorded -----------------------------------------------------------------------
def test_a_crawl_records_the_response_headers_with_each_kept_page(captured: Captured) -> None:
    kept = rows(captured.path, "select response_headers from checks where snapshot_id is not null")
    assert kept and all('"Content-Type"' in r["response_headers"] for r in kept)
    unkept = rows(captured.path, "select response_headers from checks where snapshot_id is null")
    assert all(r["response_headers"] is None for r in unkept)


# --- the captured-page view -----------------------------------------------------------------
def test_the_captured_page_view_shows_time_url_status_headers_and_digest(captured) -> None:
    (snapshot,) = rows(
        captured.path, "select * from snapshots where id = ?", [captured.snapshot_id]
    )
    page = fetch(captured.path, [f"/-/redline/snapshot/{captured.snapshot_id}"])
    html = page[f"/-/redline/snapshot/{captured.snapshot_id}"].text
    assert snapshot["sha256"] in html
    assert captured.url in html and "<td>200</td>" in html
    assert "<th>Content-Type</th>" in html and "<th>Etag</th>" in html
    assert (
        f'<iframe class="redline-captured" title="the page as captured" sandbox '
        f'src="/-/redline/snapshot/{captured.snapshot_id}/page">' in html
    )


def test_the_captured_document_is_served_under_a_csp_that_loads_nothing(captured) -> None:
    path = f"/-/redline/snapshot/{captured.snapshot_id}/page"
    response = fetch(captured.path, [path])[path]
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CAPTURE_CSP
    assert "default-src 'none'" in CAPTURE_CSP and "sandbox" in CAPTURE_CSP
    assert "<script" not in response.text and "Neumann-Ortiz" in response.text


def test_raw_pages_stay_closed_to_downloads_while_the_view_shows_them(captured) -> None:
    sql = f"/redline.json?sql=select+content+from+snapshots+where+id={captured.snapshot_id}"
    page = f"/-/redline/snapshot/{captured.snapshot_id}/page"
    answers = fetch(captured.path, [sql, page, page])
    assert answers[sql].json()["rows"] == [[None]]
    assert "Neumann-Ortiz" in answers[page].text


def test_diff_pages_and_versions_link_to_the_captured_pages(captured: Captured) -> None:
    diff = f"/-/redline/diff/{captured.change_id}"
    versions = f"/redline/versions?article_id={captured.article_id}"
    pages = fetch(captured.path, [diff, versions])
    link = f'href="/-/redline/snapshot/{captured.snapshot_id}"'
    assert link in pages[diff].text and link in pages[versions].text


def test_a_capture_made_before_headers_were_kept_says_so(captured, tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    shutil.copy(captured.path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("update checks set response_headers = null")
    path = f"/-/redline/snapshot/{captured.snapshot_id}"
    assert NO_HEADERS in fetch(older, [path])[path].text
    code, output = run(older, "show", str(captured.change_id))
    assert code == 0 and NO_HEADERS in output


def test_a_damaged_stored_page_is_one_line_at_the_cli_and_not_found_on_the_web(
    captured: Captured, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(captured.path, damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute("update snapshots set content = substr(content, 1, 20)")
    code, output = run(damaged, "show", str(captured.change_id))
    assert code != 0
    assert "cannot be read" in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    path = f"/-/redline/snapshot/{captured.snapshot_id}/page"
    response = fetch(damaged, [path])[path]
    assert response.status_code == 404 and "cannot be read" in response.text


# --- redline show and ids -------------------------------------------------------------------
def test_show_prints_the_capture_and_the_pages_text(captured: Captured) -> None:
    code, output = run(captured.path, "show", captured.url)
    assert code == 0, output
    (snapshot,) = rows(
        captured.path, "select sha256 from snapshots where id = ?", [captured.snapshot_id]
    )
    assert f"SHA-256      {snapshot['sha256']}" in output
    assert "HTTP status  200" in output and "Content-Type: text/html" in output
    assert "Neumann-Ortiz" in output


def test_show_raw_writes_the_bytes_as_fetched(captured: Captured) -> None:
    result = CliRunner().invoke(
        cli,
        ["--db", str(captured.path), "show", f"a{captured.article_id}", "--version", "1", "--raw"],
    )
    assert result.exit_code == 0
    (first,) = rows(
        captured.path,
        "select snapshots.sha256 from versions join snapshots "
        "on snapshots.id = versions.snapshot_id where article_id = ? and seq = 1",
        [captured.article_id],
    )
    assert hashlib.sha256(result.stdout_bytes).hexdigest() == first["sha256"]
    assert b"Neimann-Ortiz" in result.stdout_bytes


@pytest.mark.parametrize("ref", ["{url}", "{change_id}", "a{article_id}"])
def test_history_diff_and_show_take_a_url_a_change_id_or_an_article_id(captured, ref) -> None:
    ref = ref.format(url=captured.url, change_id=captured.change_id, article_id=captured.article_id)
    for command in ("history", "diff", "show"):
        code, output = run(captured.path, command, ref)
        assert code == 0, (command, output)
        assert captured.url in output.replace("\n", "")


@pytest.mark.parametrize(
    ("ref", "words"),
    [("999999", "no change 999999"), ("a999999", "no article a999999"), ("nonsense", "not a URL")],
)
def test_an_unknown_id_is_one_line(captured: Captured, ref: str, words: str) -> None:
    code, output = run(captured.path, "show", ref)
    assert code == 1 and words in output and len(output.strip().splitlines()) == 1


def test_edits_show_the_change_id_and_the_whole_url_when_piped(captured: Captured) -> None:
    code, output = run(captured.path, "edits")
    assert code == 0
    assert f"│ {captured.change_id:>6} │" in output
    assert "http://127.0.0.1:" in output  # piped: whole URLs (a terminal gets short ones)


# --- evidence export ------------------------------------------------------------------------
def _read_warc(path: Path) -> list[dict]:
    """Every record, read back with warcio, every block and payload digest checked."""
    import json as json_

    from warcio.archiveiterator import ArchiveIterator

    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            body = record.content_stream().read()
            records.append(
                {
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "id": record.rec_headers.get_header("WARC-Record-ID"),
                    "refers": record.rec_headers.get_header("WARC-Refers-To"),
                    "block": record.rec_headers.get_header("WARC-Block-Digest"),
                    "payload": record.rec_headers.get_header("WARC-Payload-Digest"),
                    "sha256": record.rec_headers.get_header("Redline-SHA256"),
                    "note": record.rec_headers.get_header("Redline-Note"),
                    "status": record.http_headers.get_statuscode() if record.http_headers else None,
                    "http": dict(record.http_headers.headers) if record.http_headers else {},
                    "body": body,
                    "json": json_.loads(body) if record.rec_type == "metadata" else None,
                }
            )
    return records


@pytest.mark.parametrize("name", ["evidence.warc.gz", "evidence.warc"])
def test_export_warc_round_trips_with_every_digest_checked(captured, tmp_path, name) -> None:
    warc = tmp_path / name
    code, output = run(captured.path, "export", captured.url, "--all", "--warc", str(warc))
    assert code == 0, output
    records = _read_warc(warc)
    assert [r["type"] for r in records] == ["warcinfo", "response", "response"] + ["metadata"] * 3
    stored = {
        r["sha256"]
        for r in rows(
            captured.path,
            "select sha256 from snapshots where id in "
            "(select snapshot_id from versions where article_id = ?)",
            [captured.article_id],
        )
    }
    responses = [r for r in records if r["type"] == "response"]
    assert {hashlib.sha256(r["body"]).hexdigest() for r in responses} == stored
    assert {r["sha256"] for r in responses} == stored
    assert all(r["block"] and r["payload"] for r in responses)
    assert all(r["uri"] == captured.url and r["status"] == "200" for r in responses)
    assert all(r["http"]["Content-Length"] == str(len(r["body"])) for r in responses)
    versions = [r for r in records if r["type"] == "metadata" and "version" in r["uri"]]
    assert [v["json"]["seq"] for v in versions] == [1, 2]
    assert {v["refers"] for v in versions} == {r["id"] for r in responses}
    (edits,) = [r["json"] for r in records if (r["uri"] or "").startswith("urn:redline:edits:")]
    assert edits[0]["change_id"] == captured.change_id
    assert "Neumann-Ortiz" in {e["new"] for e in edits[0]["edits"]}


def test_export_of_a_capture_without_headers_says_so(captured, tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    shutil.copy(captured.path, older)
    with sqlite3.connect(older) as conn:
        conn.execute("update checks set response_headers = null")
    warc = tmp_path / "old.warc.gz"
    assert run(older, "export", str(captured.change_id), "--warc", str(warc))[0] == 0
    (response,) = [r for r in _read_warc(warc) if r["type"] == "response"]
    assert response["note"] == "response headers " + NO_HEADERS
    assert response["http"]["Content-Type"].startswith("text/html")


def test_export_json_has_the_versions_and_edits_alone(captured: Captured) -> None:
    import json

    code, output = run(captured.path, "export", f"a{captured.article_id}", "--all", "--json")
    assert code == 0
    exported = json.loads(output)
    assert [v["seq"] for v in exported["versions"]] == [1, 2]
    assert exported["changes"][0]["change_id"] == captured.change_id
    assert '"content"' not in output  # no raw page


@pytest.mark.parametrize(
    "args", [[], ["--json", "--warc", "x.warc"], ["--json", "--all", "--version", "1"]]
)
def test_export_needs_one_output_and_one_choice_of_versions(captured, args) -> None:
    code, _ = run(captured.path, "export", captured.url, *args)
    assert code == 2
