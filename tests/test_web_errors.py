"""Error pages of `redline serve`: every bad id or URL gets Datasette's own 404 or 400 page and one
log line; a real bug gets a 500 page and one logged traceback."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from datasette.utils.asgi import Request

from monitor.web.datasette import errors
from monitor.web.serve import make_datasette
from tests.test_serve import Newsroom, build_newsroom, fetch


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Newsroom:
    return build_newsroom(tmp_path_factory.mktemp("errors") / "redline.db")


BAD_PATHS = [
    ("/-/redline/diff/abc", 404),
    ("/-/redline/diff/-1", 404),
    ("/-/redline/diff/999999", 404),
    ("/-/redline/compare/x/1/2", 404),
    ("/-/redline/compare/1/1/99", 404),
    ("/-/redline/snapshot/abc", 404),
    ("/-/redline/snapshot/999999", 404),
    ("/redline/nosuchtable", 404),
    ("/nosuchdatabase", 404),
    ("/-/redline/feed.atom?min_score=2", 400),
    ("/-/redline/feed.atom?min_score=x", 400),
    ("/-/redline/feed.atom?kind=bogus", 400),
    # ids past SQLite's 64-bit integers: no such row, not an OverflowError
    (f"/-/redline/diff/{2**63}", 404),
    (f"/-/redline/diff/{'9' * 5000}", 404),
    (f"/-/redline/compare/1/1/{2**64}", 404),
    (f"/-/redline/compare/{2**63}/1/2", 404),
    (f"/-/redline/snapshot/{2**63}", 404),
    (f"/-/redline/snapshot/{2**63}/page", 404),
    # Datasette's own errors without a status: the visitor's mistake, not a bug
    ("/redline/edit_feed?_sort=nosuch", 400),
    ("/redline/articles?_sort_desc=nosuch", 400),
]


@pytest.mark.parametrize(("path", "status"), BAD_PATHS)
def test_a_bad_id_or_url_gets_datasettes_error_page_and_one_log_line(
    newsroom: Newsroom, path: str, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = fetch(newsroom.path, [path])[path]
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"<title>Error {status}</title>" in response.text
    assert "Internal Server Error" not in response.text
    lines = [r for r in caplog.records if r.name == errors.__name__]
    assert len(lines) == 1
    assert lines[0].getMessage().startswith(f"{status} GET ")
    assert lines[0].exc_info is None  # no traceback for a visitor's mistake


def test_json_paths_get_a_json_error(newsroom: Newsroom) -> None:
    response = fetch(newsroom.path, ["/redline/nosuchtable.json"])["/redline/nosuchtable.json"]
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_a_real_bug_is_a_500_page_logged_once_with_its_traceback(
    newsroom: Newsroom, caplog: pytest.LogCaptureFixture
) -> None:
    datasette = make_datasette(newsroom.path)

    async def handle() -> object:
        await datasette.invoke_startup()
        try:
            raise RuntimeError("a bug in a page")
        except RuntimeError as bug:
            failure = bug
        request = Request.fake("/-/redline/diff/1")
        return await errors.handle_exception(datasette, request, failure)()

    with caplog.at_level(logging.WARNING):
        response = asyncio.run(handle())
    assert response.status == 500  # type: ignore[attr-defined]
    assert "a bug in a page" not in response.body  # type: ignore[attr-defined]
    assert errors.SERVER_ERROR in response.body  # type: ignore[attr-defined]
    (line,) = [r for r in caplog.records if r.name == errors.__name__]
    assert line.levelno == logging.ERROR
    assert line.exc_info is not None and "a bug in a page" in line.getMessage()


def test_serving_many_404s_never_prints_a_traceback(
    newsroom: Newsroom, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    del tmp_path
    fetch(newsroom.path, [f"/-/redline/diff/{n}" for n in range(900000, 900010)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "locals" not in captured.out + captured.err
