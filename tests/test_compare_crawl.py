"""`redline compare OLD.html NEW.html` says what the crawl says (issue 21): real pairs of pages,
served on 127.0.0.1 and checked twice by a real `scrapy crawl`, against the command on the same
files. Same edits, same kinds, same significance, in the same order."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor.cli import cli
from tests.conftest import CORPUS, crawl, rows, track
from tests.sites import NewsSite, Response, story

HARD = CORPUS / "recaptures-hard"

# The project's own pairs beside the real ones: a figure changed; the site template change of
# issue 21 (a site-name suffix, "(opens in a new tab)" in a link, a reporter's role in the byline,
# a share counter in the first paragraph, a most-read rail and a newsletter box inside the
# article), alone and with one real edit.
TEMPLATE_OLD = (
    "<!DOCTYPE html><html lang='en'><head><title>Night trains return</title>"
    "<meta property='og:title' content='Night trains return'></head><body><article>"
    "<h1>Night trains return</h1><p class='byline'>By Jane Doe</p>"
    "<p>The regional transport authority confirmed on Monday that the night trains between the "
    "two cities will run again from March, according to <a href='/r'>its report</a>.</p>"
    "<p>The board voted seven to three in favour of the plan, which still needs the approval of "
    "the finance committee before the first tickets go on sale.</p>"
    "<p>Passenger groups welcomed the decision but warned that the timetable leaves the smaller "
    "stations along the northern line without any late service on weekdays.</p>"
    "</article></body></html>"
)
TEMPLATE_NEW = (
    TEMPLATE_OLD.replace(
        "<title>Night trains return</title>", "<title>Night trains return | Loopback Times</title>"
    )
    .replace(
        "content='Night trains return'>",
        "content='Night trains return | Loopback Times'>"
        "<meta property='og:site_name' content='Loopback Times'>",
    )
    .replace("its report</a>", "its report <span>(opens in a new tab)</span></a>")
    .replace("By Jane Doe", "By Jane Doe; City Hall Reporter")
    .replace("<p>The regional", "<p><span class='share-count'>1.2K shares</span> The regional")
    .replace(
        "<p>Passenger groups",
        "<div class='most-read'><h3>Most read</h3><ul>"
        "<li><a href='/a'>Mayor opens new bridge over the river</a></li>"
        "<li><a href='/b'>Heatwave expected to break records this week</a></li></ul></div>"
        "<div class='newsletter'><p>Sign up for our morning newsletter and get the news first."
        "</p></div><p>Passenger groups",
    )
)
OWN_PAIRS = {
    "figure": (story("Night trains return", 1), story("Night trains return", 2)),
    "template": (TEMPLATE_OLD.encode(), TEMPLATE_NEW.encode()),
    "template_and_edit": (
        TEMPLATE_OLD.encode(),
        TEMPLATE_NEW.replace("voted seven to three", "voted eight to three").encode(),
    ),
}


def _hard_pairs() -> dict[str, tuple[bytes, bytes]]:
    pairs = {}
    for case in sorted(HARD.iterdir()) if HARD.is_dir() else []:
        old, new = case / "v1.html.gz", case / "v2.html.gz"
        if old.is_file() and new.is_file():
            pairs[case.name] = (
                gzip.decompress(old.read_bytes()),
                gzip.decompress(new.read_bytes()),
            )
    return pairs


class PairSite(NewsSite):
    """Serves each pair's old page at /NAME.html; `phase = 2` serves the new pages instead."""

    def __init__(self, pairs: dict[str, tuple[bytes, bytes]]) -> None:
        super().__init__()
        self.pairs, self.phase = pairs, 1

    def respond(self, target: str) -> Response:
        name = target.lstrip("/").removesuffix(".html")
        if name not in self.pairs:
            return 404, {}, b""
        return 200, {"Content-Type": "text/html"}, self.pairs[name][self.phase - 1]


@pytest.fixture
def pair_site() -> Iterator[PairSite]:
    with PairSite({**OWN_PAIRS, **_hard_pairs()}) as site:
        yield site


def _summary(edit: dict[str, Any]) -> tuple[Any, ...]:
    return (
        edit["kind"],
        edit["field"],
        bool(edit["significant"]),
        round(float(edit["score"]), 3),
        edit["old"] or "",
        edit["new"] or "",
    )


def _crawled_edits(db_path: Path, url: str) -> list[tuple[Any, ...]]:
    found = rows(
        db_path,
        "select e.* from edits e join articles a on a.id = e.article_id "
        "where a.url = ? or a.fetch_url = ? order by e.change_id, e.position",
        [url, url],
    )
    return [_summary(edit) for edit in found]


def _command_edits(tmp_path: Path, url: str, old: bytes, new: bytes) -> list[tuple[Any, ...]]:
    (tmp_path / "old.html").write_bytes(old)
    (tmp_path / "new.html").write_bytes(new)
    result = CliRunner().invoke(
        cli,
        ["compare", "--json", "--url", url, str(tmp_path / "old.html"), str(tmp_path / "new.html")],
    )
    assert result.exit_code == 0, result.output
    start = result.output.index("{")  # a page the extractor discards logs a line before
    return [_summary(edit) for edit in json.loads(result.output[start:])["edits"]]


def test_the_compare_command_and_the_crawl_agree_on_every_pair(
    pair_site: PairSite, db_path: Path, tmp_path: Path
) -> None:
    # without ../shared/corpus/recaptures-hard only the project's own pairs run
    urls = {name: pair_site.url(f"/{name}.html") for name in pair_site.pairs}
    track(db_path, list(urls.values()))
    crawl(db_path, all="true")
    pair_site.phase = 2
    crawl(db_path, all="true")
    disagreements = []
    for name, url in urls.items():
        old, new = pair_site.pairs[name]
        crawled, commanded = _crawled_edits(db_path, url), _command_edits(tmp_path, url, old, new)
        if crawled != commanded:
            disagreements.append((name, crawled, commanded))
    assert disagreements == []
    # the pairs are not all quiet: the test compares something
    assert _crawled_edits(db_path, urls["figure"])


def test_a_template_change_alone_is_not_significant(tmp_path: Path) -> None:
    old, new = OWN_PAIRS["template"]
    edits = _command_edits(tmp_path, "https://news.example/night-trains", old, new)
    assert [edit for edit in edits if edit[2]] == []


def test_a_real_edit_under_a_template_change_is_found_alone(tmp_path: Path) -> None:
    old, new = OWN_PAIRS["template_and_edit"]
    edits = _command_edits(tmp_path, "https://news.example/night-trains", old, new)
    assert [(kind, old, new) for kind, _, significant, _, old, new in edits if significant] == [
        ("number", "seven", "eight")
    ]
