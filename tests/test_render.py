"""Terminal output shows article text as it is: rich never reads it as markup, so a headline
like `Mayor [/] quits` cannot crash a command and `[link=...]` cannot plant a terminal link."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from monitor import store
from monitor.cli import render
from monitor.record.page import FetchedPage, record_page
from tests.test_cli import EDITED, PARAGRAPHS, T0, html, run

HOSTILE_TITLES = ["Mayor [/] quits", "[link=https://x.example]y[/link] and [bold]z"]
URL = "https://news.example/local/markup"


@pytest.fixture(params=HOSTILE_TITLES)
def marked_up(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """Two versions whose headline and sentences carry rich markup."""
    title = request.param
    db_path = tmp_path / "x.db"
    db = store.open_db(db_path)
    for n, paragraphs in enumerate((PARAGRAPHS, EDITED)):
        body = tuple(f"{p} {title}." for p in paragraphs)
        page = FetchedPage(url=URL, status=200, body=html(body, title + f" {n}").encode())
        record_page(db, page, T0 + timedelta(hours=n))
    db.close()
    return db_path, title


@pytest.mark.parametrize(
    "command", [["history", URL], ["diff", URL], ["edits", "--all"], ["edits", "--url", URL]]
)
def test_commands_print_marked_up_article_text_as_it_is(
    marked_up: tuple[Path, str], command: list[str]
) -> None:
    db_path, title = marked_up
    result = run(db_path, *command)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None
    assert "\x1b]8;" not in result.output  # no terminal hyperlink planted
    if command[0] != "edits":
        assert title.split()[0] in result.output  # the text itself, brackets and all


def test_compare_prints_marked_up_text_as_it_is(tmp_path: Path) -> None:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("Mayor [/] quits\n" + " ".join(PARAGRAPHS))
    new.write_text("Mayor [/] quits [link=https://x.example]now[/link]\n" + " ".join(EDITED))
    result = run(tmp_path / "x.db", "compare", str(old), str(new))
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "[link=https://x.example]now[/link]" in result.output


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_the_demo_edit_table_shows_marked_up_text_as_it_is(title: str) -> None:
    console = Console(record=True, width=200, force_terminal=True)
    row = {
        "detected_at": "2026-11-02T09:00:00+00:00",
        "article_title": title,
        "kind": "headline",
        "old": title,
        "new": title + "!",
        "significant": 1,
        "score": 0.9,
    }
    console.print(render.edits_table([row], title=f"Edits of {title}"))
    text = console.export_text()
    assert title[:10] in text and "\x1b]8;" not in console.export_text(styles=True)
