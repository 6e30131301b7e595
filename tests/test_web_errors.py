"""Error pages of `redline serve`: every bad id or URL gets Datasette's own 404 or 400 page and one
log line; a real bug gets a 500 page and one logged traceback."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import httpx
import pytest
from datasette.utils.asgi import Request

from monitor import store
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


# --- the desk's forms ---------------------------------------------------------------------
TOKEN = "s3cret-for-tests"
SCRIPT = {"authorization": f"Bearer {TOKEN}"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def post(db_path: Path, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    """POST `body` through the whole server (its ASGI wrappers and asgi-csrf included)."""

    async def run() -> httpx.Response:
        datasette = make_datasette(db_path, write_token=TOKEN)
        await datasette.invoke_startup()
        return await datasette.client.post(path, content=body, headers=headers)

    return asyncio.run(run())


BAD_FORMS = [
    # (path, body, headers, status, the one line)
    ("/-/redline/desk/pause", b"ref=\xff", FORM | SCRIPT, 400, "the form is not UTF-8 text"),
    ("/-/redline/desk/pause", b"ref=\xff", FORM, 400, "the form is not UTF-8 text"),
    ("/-/redline/login", b"token=\xff", FORM, 400, "the form is not UTF-8 text"),
    ("/-/redline/desk/pause", b"ref=\xff", {"content-type": "text/plain"} | SCRIPT, 400,
     "the form is not UTF-8 text"),
    ("/-/redline/desk/pause", b"ref=" + b"1" * (errors.MAX_FORM_BYTES + 1), FORM, 413,
     f"the form is larger than {errors.MAX_FORM_BYTES:,} bytes"),
    # a script's mistakes: no page to show them on, so the status says it
    ("/-/redline/desk/pause", b"ref=a99", FORM | SCRIPT, 404, "no article a99"),
    ("/-/redline/desk/pause", b"source=99", FORM | SCRIPT, 404, "no source 99"),
    ("/-/redline/desk/add", b"urls=ftp://x.example/&kind=article", FORM | SCRIPT, 400,
     "only http and https URLs can be tracked"),
    ("/-/redline/desk/add", b"urls=https://x.example/&kind=section", FORM | SCRIPT, 400,
     "a section source needs a match pattern"),
    ("/-/redline/desk/tag", b"ref=a1&tags=", FORM | SCRIPT, 400, "no tag given"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "headers", "status", "line"), BAD_FORMS)
def test_a_bad_form_is_a_4xx_with_one_line_and_no_traceback(
    tmp_path: Path,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    line: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    newsroom = build_newsroom(tmp_path / "redline.db")
    with caplog.at_level(logging.WARNING):
        response = post(newsroom.path, path, body, headers)
    assert response.status_code == status
    assert line in response.text
    logged = [r for r in caplog.records if r.name == errors.__name__]
    assert len(logged) == 1 and logged[0].exc_info is None
    assert logged[0].getMessage().startswith(f"{status} POST {path}")


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_form_that_is_not_utf8_is_a_400_whatever_the_method(
    tmp_path: Path, method: str, caplog: pytest.LogCaptureFixture
) -> None:
    # asgi-csrf reads the form of every method but GET, HEAD, OPTIONS and TRACE (when the
    # request has a cookie): not only a POST's.
    newsroom = build_newsroom(tmp_path / "redline.db")

    async def run() -> httpx.Response:
        datasette = make_datasette(newsroom.path, write_token=TOKEN)
        await datasette.invoke_startup()
        headers = FORM | {"cookie": "ds_csrftoken=x"}
        return await datasette.client.request(method, "/", content=b"a=\xff", headers=headers)

    with caplog.at_level(logging.WARNING):
        response = asyncio.run(run())
    assert response.status_code == 400
    assert "the form is not UTF-8 text" in response.text
    logged = [r for r in caplog.records if r.name == errors.__name__]
    assert len(logged) == 1 and logged[0].getMessage().startswith(f"400 {method} /")


MULTIPART = b'--b\r\nContent-Disposition: form-data; name="csrftoken"\r\n\r\nx\r\n--b--\r\n'


@pytest.mark.parametrize("path", ["/", "/redline", "/redline/articles", "/-/redline/login"])
@pytest.mark.parametrize("cookie", [{"cookie": "ds_csrftoken=x"}, {}])
def test_a_multipart_form_outside_the_desk_is_a_415_with_one_line(
    tmp_path: Path, path: str, cookie: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    # with a cookie, asgi-csrf 0.11 would read it with python-multipart and fail (a 500)
    newsroom = build_newsroom(tmp_path / "redline.db")
    headers = {"content-type": "multipart/form-data; boundary=b"} | cookie
    with caplog.at_level(logging.WARNING):
        response = post(newsroom.path, path, MULTIPART, headers)
    assert response.status_code == 415
    assert response.text == "this address takes no multipart form\n"
    logged = [r for r in caplog.records if r.name == errors.__name__]
    assert len(logged) == 1 and logged[0].exc_info is None


def test_a_script_s_good_write_is_done_and_redirected(tmp_path: Path) -> None:
    newsroom = build_newsroom(tmp_path / "redline.db")
    response = post(newsroom.path, "/-/redline/desk/pause", b"ref=a1&back=/", FORM | SCRIPT)
    assert response.status_code == 302
    db = store.open_db(newsroom.path)
    assert db.execute("select watch from articles where id = 1").fetchone() == ("paused",)
    db.close()


def test_a_real_failure_of_a_desk_write_is_a_500_logged_with_its_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    newsroom = build_newsroom(tmp_path / "redline.db")
    db = store.open_db(newsroom.path)
    # the database refuses every write to articles: no fault of the request's
    db.execute(
        "create trigger refuse before update on articles "
        "begin select raise(abort, 'disk says no'); end"
    )
    db.close()
    with caplog.at_level(logging.WARNING):
        response = post(newsroom.path, "/-/redline/desk/pause", b"ref=a1", FORM | SCRIPT)
    assert response.status_code == 500
    assert errors.SERVER_ERROR in response.text and "disk says no" not in response.text
    (line,) = [r for r in caplog.records if r.name == errors.__name__]
    assert line.levelno == logging.ERROR and line.exc_info is not None
