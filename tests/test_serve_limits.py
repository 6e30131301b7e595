"""`redline serve` under load and attack: a heavy diff never holds the other pages, diffs past
their size cap or time limit say so honestly, raw pages are not downloadable unless the owner
allows it, and feed links never come from the request's Host header. Through Datasette's
in-process client, on the newsroom database of test_serve."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from monitor import store
from monitor.web.datasette.plugin import diff_worker
from monitor.web.datasette.worker import DiffWorker
from monitor.web.serve import make_datasette
from tests.test_serve import Newsroom, build_newsroom

T = TypeVar("T")
TOO_LARGE = "too large to show here"
RAW_PAGE = b"<html><body>an internal page the crawler was once sent to</body></html>"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Newsroom:
    return build_newsroom(tmp_path_factory.mktemp("limits") / "redline.db")


def serving(db_path: Path, scenario: Callable[[Any], Awaitable[T]], **options: Any) -> T:
    """Run `scenario(datasette)` on a started in-process Datasette, in one event loop."""

    async def run() -> T:
        datasette = make_datasette(db_path, **options)
        await datasette.invoke_startup()
        try:
            return await scenario(datasette)
        finally:
            gate = diff_worker(datasette).gate
            if gate is not None:
                gate.set()  # never leave a worker thread waiting

    return asyncio.run(run())


async def _until(condition: Callable[[], bool]) -> None:
    """Yield to the loop until `condition` holds (an ordering check, not a time limit)."""
    for _ in range(100_000):
        if condition():
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the condition never held")


def test_another_page_answers_while_a_heavy_diff_is_in_progress(newsroom: Newsroom) -> None:
    async def scenario(datasette: Any) -> None:
        worker = diff_worker(datasette)
        worker.gate = threading.Event()  # the diff starts, then waits until we let it go
        heavy = asyncio.create_task(
            datasette.client.get(f"/-/redline/diff/{newsroom.hostile_change}")
        )
        await _until(lambda: worker.running == 1)
        others = [
            await datasette.client.get("/redline/articles.json"),
            await datasette.client.get("/-/redline/redline.css"),
        ]
        assert [r.status_code for r in others] == [200, 200]
        assert not heavy.done() and worker.running == 1  # still in progress meanwhile
        worker.gate.set()
        page = await heavy
        assert page.status_code == 200 and "<del>" in page.text and TOO_LARGE not in page.text

    serving(newsroom.path, scenario, diff_timeout=3600.0)


def test_a_diff_past_its_time_limit_is_given_up_with_an_honest_page(newsroom: Newsroom) -> None:
    async def scenario(datasette: Any) -> list[httpx.Response]:
        worker = diff_worker(datasette)
        worker.gate = threading.Event()  # never set while the pages wait: every diff is late
        return [
            await datasette.client.get(f"/-/redline/diff/{newsroom.hostile_change}"),
            await datasette.client.get(f"/-/redline/compare/{newsroom.hostile_article}/1/2"),
            await datasette.client.get("/redline/version_diffs"),
        ]

    diff, compared, table = serving(newsroom.path, scenario, diff_timeout=0.01)
    assert diff.status_code == compared.status_code == table.status_code == 200
    assert "too large to show here; see" in diff.text and "redline diff" in diff.text
    assert "--from 1 --to 2" in diff.text
    assert "Neimann-Ortiz" in diff.text  # the stored edits are still listed
    assert TOO_LARGE in compared.text and TOO_LARGE in table.text


def test_a_text_past_the_size_cap_is_never_diffed(newsroom: Newsroom) -> None:
    async def scenario(datasette: Any) -> list[httpx.Response]:
        diff_worker(datasette).max_chars = 20  # every body of the newsroom is longer
        return [
            await datasette.client.get(f"/-/redline/diff/{newsroom.hostile_change}"),
            await datasette.client.get("/redline/version_diffs"),
        ]

    diff, table = serving(newsroom.path, scenario, diff_timeout=3600.0)
    assert TOO_LARGE in diff.text and TOO_LARGE in table.text


def test_the_worker_refuses_a_long_text_without_calling_the_function() -> None:
    called: list[str] = []

    async def run() -> object:
        return await DiffWorker(max_chars=10).run(called.append, "x" * 11)

    assert asyncio.run(run()) is None and called == []


@pytest.fixture
def with_snapshot(newsroom: Newsroom, tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "redline.db"
    shutil.copy(newsroom.path, path)
    db = store.open_db(path)
    with store.write_transaction(db):
        snapshot_id = store.save_snapshot(db, RAW_PAGE, "text/html", store.utc_now())
    db.close()
    return path, snapshot_id


def _raw_page_paths(snapshot_id: int) -> list[str]:
    return [
        f"/redline/snapshots/{snapshot_id}.blob?_blob_column=content",
        f"/redline/snapshots/{snapshot_id}.json",
        "/redline/snapshots.csv?_stream=on",
        "/redline.json?sql=select+content+from+snapshots&_shape=array",
        "/redline.json?sql=select+hex(content)+as+h+from+snapshots&_shape=array",
        "/redline.blob?sql=select+content+from+snapshots&_blob_column=content",
    ]


def test_raw_pages_cannot_be_downloaded_by_default(with_snapshot: tuple[Path, int]) -> None:
    path, snapshot_id = with_snapshot

    async def scenario(datasette: Any) -> list[httpx.Response]:
        return [await datasette.client.get(p) for p in _raw_page_paths(snapshot_id)]

    for response in serving(path, scenario):
        assert b"internal page" not in response.content
        assert RAW_PAGE.hex().upper()[:40] not in response.text
        stored = store.open_db(path)
        compressed = next(stored.query("select content from snapshots"))["content"]
        stored.close()
        assert compressed not in response.content
    meta = serving(path, lambda ds: ds.client.get(f"/redline/snapshots/{snapshot_id}.json"))
    assert meta.status_code == 200  # the row is there (size, type, time): only its content is not


def test_the_owner_can_turn_raw_page_downloads_on(with_snapshot: tuple[Path, int]) -> None:
    path, snapshot_id = with_snapshot
    blob = serving(
        path,
        lambda ds: ds.client.get(f"/redline/snapshots/{snapshot_id}.blob?_blob_column=content"),
        snapshot_downloads=True,
    )
    assert blob.status_code == 200 and len(blob.content) > 0


def _feed_links(response: httpx.Response) -> list[str]:
    import re

    return re.findall(r'href="([^"]+)"', response.text)


def test_feed_links_never_come_from_the_host_header(newsroom: Newsroom) -> None:
    def feed(datasette: Any) -> Awaitable[httpx.Response]:
        return datasette.client.get("/-/redline/feed.atom", headers={"Host": "evil.example"})

    bound = serving(newsroom.path, feed, bound_url="http://127.0.0.1:8001")
    own = [link for link in _feed_links(bound) if "/-/redline/" in link or "edit_feed" in link]
    assert own and all(link.startswith("http://127.0.0.1:8001/") for link in own)
    assert "evil.example" not in bound.text
    public = serving(newsroom.path, feed, public_url="https://redline.example.org")
    assert (
        "evil.example" not in public.text
        and "https://redline.example.org/-/redline/" in public.text
    )
