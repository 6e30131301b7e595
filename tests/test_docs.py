"""The README documents every command, option and setting (STYLE principle 12)."""

from __future__ import annotations

import click
import pytest

import crawler.settings
from monitor.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[tuple[str, click.Command]]:
    assert isinstance(cli, click.Group)
    context = click.Context(cli)
    found = [(name, cli.get_command(context, name)) for name in cli.list_commands(context)]
    return [(name, command) for name, command in found if command is not None]


@pytest.mark.parametrize(("name", "command"), commands())
def test_every_command_and_option_is_documented(name: str, command: click.Command) -> None:
    assert f"redline {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_global_options_are_documented() -> None:
    for param in cli.params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            assert any(opt in README for opt in param.opts), param.opts


@pytest.mark.parametrize("name", [n for n in dir(crawler.settings) if n.startswith("REDLINE_")])
def test_every_redline_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in README


def test_readme_starts_with_the_two_commands() -> None:
    head = README[:1500]
    assert "make demo" in head and "make test" in head


@pytest.mark.parametrize(
    "table",
    [
        "articles",
        "checks",
        "versions",
        "snapshots",
        "changes",
        "edits",
        "sources",
        "alerts",
        "site_lines",
        "check_rounds",
    ],
)
def test_every_table_is_documented(table: str) -> None:
    assert f"| `{table}` |" in README


def test_the_datasette_part_says_how_to_read_a_stored_page_blob() -> None:
    """A blob Datasette serves (`--snapshot-downloads`) is a compressed frame, not the page: the
    paragraph that lets it out says so and how to read one."""
    start = README.index("Raw pages are not for download")
    paragraph = README[start : README.index("\n\n", start)]
    for needed in ("Zstandard", "zlib", "--raw", "zstd -d", "MAX_PAGE_BYTES"):
        assert needed in paragraph, needed
