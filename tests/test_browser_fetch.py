"""Pages that need a browser: a client-rendered site on 127.0.0.1 (`tests/script_site.py`), read
by real `scrapy crawl` subprocesses driving the system Chromium through scrapy-playwright. The
crawls skip with the reason where Chromium or scrapy-playwright is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.fetch.rendering import (
    CHROMIUM_ENV,
    browser_problem,
    javascript_shell,
    without_invisible,
)
from monitor.fetch.sources import load_sources
from tests.conftest import crawl, rows, track
from tests.script_site import SHELL, ScriptSite
from tests.sites import story

needs_browser = pytest.mark.skipif(
    bool(browser_problem()), reason=f"no browser here: {browser_problem()}"
)
STORY = "/news/night-trains.html"


@pytest.fixture
def script_site():
    with ScriptSite() as site:
        yield site


@pytest.mark.parametrize(
    ("page", "shell"),
    [
        (SHELL.encode(), True),
        (b"<html><body><div id='app'></div><script src='/a.js'></script></body></html>", True),
        (story("Night trains return", 1), False),  # an article, no script
        (story("Night trains", 1).replace(b"</body>", b"<script>track()</script></body>"), False),
        (b"<html><body><p>Short page, no script.</p></body></html>", False),
    ],
)
def test_a_javascript_shell_is_scripts_and_next_to_no_text(page: bytes, shell: bool) -> None:
    assert bool(javascript_shell(page)) is shell


@pytest.mark.parametrize(
    ("page", "visible"),
    [
        (b"a<SCRIPT>x()</script >b", b"a b"),
        (b"a<script>x('</scriptx>')</script>b", b"a b"),  # the first real closing tag
        (b"a<!-- <script> -->b", b"a b"),
        (b"<scriptx>a</scriptx>", b"<scriptx>a</scriptx>"),  # another element
        (b"a<script>never closed", b"a<script>never closed"),
        (b"<svg><path/></SVG\n>t", b" t"),
        (b"<head>a<!-- </head> -->b</head>c", b"  -->b</head>c"),
        (b"<!-->x-->y", b" y"),
        (b"<style>p{}</style><noscript>on</noscript><template>t</template>k", b"   k"),
    ],
)
def test_scripts_styles_and_comments_are_cut_from_the_visible_text(
    page: bytes, visible: bytes
) -> None:
    assert without_invisible(page) == visible


def test_a_sources_file_may_ask_for_a_browser(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nkind = "feed"\nurl = "https://a.example/rss"\nrender = "browser"\n'
    )
    assert load_sources(path)[0].render == "browser"
    path.write_text('[[source]]\nkind = "feed"\nurl = "https://a.example/rss"\nrender = "magic"\n')
    with pytest.raises(Exception, match="render must be one of static, browser"):
        load_sources(path)


def versions(db_path: Path) -> list[dict]:
    return rows(db_path, "select seq, title, body from versions order by seq")


@needs_browser
def test_a_site_set_to_render_is_monitored_end_to_end(script_site, db_path: Path) -> None:
    url = script_site.base + STORY
    result = CliRunner().invoke(cli, ["--db", str(db_path), "add", url, "--render", "browser"])
    assert result.exit_code == 0, result.output
    assert f"every article of 127.0.0.1:{url.split(':')[2].split('/')[0]}: read in a browser" in (
        result.output
    )
    crawl(db_path, all="true")
    first = versions(db_path)
    assert [v["title"] for v in first] == ["Night trains return"]
    assert "voted seven to three" in first[0]["body"]

    script_site.edition = 2
    log = crawl(db_path, all="true").stdout
    edits = rows(db_path, "select old, new from edits where field = 'body'")
    assert ("seven", "eight") in [(e["old"], e["new"]) for e in edits]
    assert len(versions(db_path)) == 2
    assert script_site.not_modified == 0  # the shell's ETag was never sent back
    # Every request of the page went through the guard: the unnamed loopback address was refused.
    assert script_site.hits_elsewhere == []
    assert "browser: refused http://127.0.0.2" in log


@needs_browser
def test_neither_a_web_socket_nor_a_service_worker_gets_around_the_guard(
    db_path: Path,
) -> None:
    with ScriptSite(sneaky=True) as site:
        url = site.base + STORY
        result = CliRunner().invoke(cli, ["--db", str(db_path), "add", url, "--render", "browser"])
        assert result.exit_code == 0, result.output
        log = crawl(db_path, all="true").stdout
        assert [v["title"] for v in versions(db_path)] == ["Night trains return"]
        assert site.hits_elsewhere == []
        assert "/own-socket" in site.requests  # a WebSocket the guard allows is connected
    assert f"browser: WebSocket ws://127.0.0.2:{site.other.server_address[1]}/socket: " in log


@needs_browser
def test_a_shell_is_read_again_in_the_browser_and_its_site_remembered(
    script_site, db_path: Path
) -> None:
    track(db_path, [script_site.base + STORY])
    log = crawl(db_path, all="true").stdout
    assert "is a JavaScript shell" in log
    assert "voted seven to three" in versions(db_path)[0]["body"]
    site = rows(db_path, "select * from sites where render = 'browser'")
    assert [s["site"] for s in site] == [script_site.base.removeprefix("http://")]
    assert site[0]["render_reason"].startswith("a JavaScript shell")

    result = CliRunner().invoke(cli, ["--db", str(db_path), "sources"])
    assert "read in a browser:" in result.output
    assert f"  {site[0]['site']}: a JavaScript shell" in result.output

    # The next round goes to the browser at once: one request for the page, not two.
    script_site.requests.clear()
    crawl(db_path, all="true")
    assert script_site.requests.count(STORY) == 1


def test_without_chromium_one_line_says_why_the_site_cannot_be_read(
    script_site, db_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, "/nonexistent/chromium")
    track(db_path, [script_site.base + STORY])
    log = crawl(db_path, all="true").stdout
    assert "is a JavaScript shell" in log
    assert "it cannot be read:" in log
    assert "is not installed" in log
    checks = rows(db_path, "select outcome from checks")
    # The shell's <noscript> line ("Please enable JavaScript") makes it an interstitial.
    assert [c["outcome"] for c in checks] == ["blocked"]

    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "add", script_site.base + STORY, "--render", "browser"]
    )
    assert "they cannot be read here" in result.output
    crawl(db_path, all="true")
    reasons = rows(db_path, "select reason from checks order by id")
    assert "the site is read in a browser, but" in reasons[-1]["reason"]


@needs_browser
def test_a_screenshot_is_kept_shown_and_exported_with_each_new_version(
    script_site, db_path: Path, tmp_path: Path
) -> None:
    import asyncio

    from warcio.archiveiterator import ArchiveIterator

    from crawler.browser import SCREENSHOT_MAX_BYTES, SCREENSHOT_MAX_HEIGHT, SCREENSHOT_WIDTH
    from monitor.web.serve import make_datasette

    url = script_site.base + STORY
    result = CliRunner().invoke(cli, ["--db", str(db_path), "add", url, "--screenshot"])
    assert "a screenshot with each new version" in result.output, result.output
    crawl(db_path, all="true")
    crawl(db_path, all="true")  # unchanged: no version, no screenshot
    script_site.edition = 2
    crawl(db_path, all="true")

    shots = rows(db_path, "select * from screenshots order by id")
    assert len(shots) == len(versions(db_path)) == 2
    for shot in shots:
        assert bytes(shot["png"]).startswith(b"\x89PNG\r\n\x1a\n")
        assert shot["width"] <= SCREENSHOT_WIDTH and 0 < shot["height"] <= SCREENSHOT_MAX_HEIGHT
        assert shot["size"] <= SCREENSHOT_MAX_BYTES and shot["snapshot_id"]

    snapshot = shots[-1]["snapshot_id"]

    async def pages() -> tuple[str, bytes, str]:
        datasette = make_datasette(db_path)
        await datasette.invoke_startup()
        view = await datasette.client.get(f"/-/redline/snapshot/{snapshot}")
        png = await datasette.client.get(f"/-/redline/snapshot/{snapshot}/screenshot.png")
        return view.text, png.content, png.headers["content-type"]

    view, png, content_type = asyncio.run(pages())
    assert f'src="/-/redline/snapshot/{snapshot}/screenshot.png"' in view
    assert "The page as a browser showed it" in view
    assert png == bytes(shots[-1]["png"]) and content_type == "image/png"

    warc = tmp_path / "evidence.warc.gz"
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "export", url, "--all", "--warc", str(warc)]
    )
    assert result.exit_code == 0, result.output
    with warc.open("rb") as stream:
        records = [
            (r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(stream)
        ]
    responses = {h.get_header("WARC-Record-ID") for kind, h, _ in records if kind == "response"}
    resources = [(h, body) for kind, h, body in records if kind == "resource"]
    assert len(resources) == 2
    for headers, body in resources:
        assert headers.get_header("Content-Type") == "image/png"
        assert headers.get_header("WARC-Concurrent-To") in responses
        assert body.startswith(b"\x89PNG")
