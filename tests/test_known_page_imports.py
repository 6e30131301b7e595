"""A round of known pages (every page unchanged, or every page a 304) loads nothing of the
comparison nor of the extraction: a real `scrapy crawl check` on a loopback site, with a test
extension writing which modules the crawl imported into its stats (issue 23: each crawl process
pays for what it imports, and the suite starts about 250 of them)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import crawl, rows, track
from tests.loopback import serve_pages
from tests.modules_seen import EVERY_ROUND, EXTENSION, NOT_FOR_304S, NOT_FOR_KNOWN_PAGES

pytestmark = pytest.mark.e2e

STORY = (
    "<html><head><title>Council budget</title></head><body><article><h1>Council budget</h1>"
    + "<p>The council voted on Tuesday to approve the budget for the coming year.</p>" * 12
    + "</article></body></html>"
)
# Extraction and comparison in the crawler's own process: a module they import is then imported
# by the crawl itself, where the extension sees it.
IN_PROCESS = {"REDLINE_EXTRACT_WORKERS": "0", "EXTENSIONS": json.dumps({EXTENSION: 0})}


def loaded(log: str) -> dict[str, bool]:
    """Module -> whether the crawl imported it, from the stats the extension wrote."""
    return {name: value == "1" for name, value in re.findall(r"'test/loaded/([\w.]+)': (\d)", log)}


@pytest.mark.parametrize(
    ("headers", "second", "outcome"),
    [
        ({}, None, "identical page"),  # no validator: the same bytes again, with a 200
        ({"ETag": '"v1"'}, (304, {"ETag": '"v1"'}, b""), "304 not modified"),
    ],
    ids=["unchanged", "304"],
)
def test_a_round_of_known_pages_imports_no_comparison_nor_extraction(
    db_path: Path, headers: dict[str, str], second: tuple | None, outcome: str
) -> None:
    with serve_pages({"/news/story": (200, headers, STORY)}) as site:
        track(db_path, [site.url("/news/story")])
        first = loaded(crawl(db_path, IN_PROCESS, all="true").stdout)
        if second is not None:
            site.routes["/news/story"] = second
        again = loaded(crawl(db_path, IN_PROCESS, all="true").stdout)
    checks = rows(db_path, "select outcome, reason from checks order by id")
    assert [(c["outcome"], c["reason"]) for c in checks][1:] == [("unchanged", outcome)]
    # The page read the first time was extracted and compared in the crawl: the stats see it.
    assert first[EVERY_ROUND] and first["monitor.extract.extraction"]
    assert first["monitor.compare.normalize"] and first["monitor.record.newsroom"]
    assert again[EVERY_ROUND]
    assert [name for name in NOT_FOR_KNOWN_PAGES if again[name]] == []
    if outcome == "304 not modified":
        assert [name for name in NOT_FOR_304S if again[name]] == []
    else:  # the page's title was searched for a bot wall's words
        assert all(again[name] for name in NOT_FOR_304S)
