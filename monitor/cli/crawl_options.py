"""The command-line options of every command that runs crawls (`redline daemon`, `redline
worker`, `redline cluster init`), declared once so that all read them alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import click

from monitor.errors import ConfigError
from monitor.fetch.policy import parse_duration

F = TypeVar("F", bound=Callable[..., object])

_CRAWL_OPTIONS = (
    click.option(
        "--log-file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Append the crawls' Scrapy logs to this file.",
    ),
    click.option(
        "--allow-private",
        is_flag=True,
        help="Track discovered links on private or loopback addresses (local test sites).",
    ),
    click.option(
        "-s",
        "--set",
        "extra",
        multiple=True,
        metavar="NAME=VALUE",
        help="Extra Scrapy setting for every crawl (repeatable).",
    ),
)


def crawl_options(command: F) -> F:
    """Add `--log-file`, `--allow-private` and `-s/--set` (parameters `log_file`,
    `allow_private`, `extra`), in that order, as if written one above the other."""
    for option in reversed(_CRAWL_OPTIONS):
        command = option(command)
    return command


def crawl_settings(extra: tuple[str, ...], allow_private: bool) -> dict[str, str]:
    """The Scrapy settings a crawl command passes on: each `-s NAME=VALUE`, and
    `REDLINE_ALLOW_PRIVATE` with `--allow-private`."""
    settings = {}
    for item in extra:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-s")
        settings[name] = value
    if allow_private:
        settings["REDLINE_ALLOW_PRIVATE"] = "True"
    return settings


DURATION_HELP = "Duration such as 30s, 15m, 2h, 1d."


def duration(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    """Click callback: a duration option ("30s", "15m") as a timedelta, None when not given."""
    del ctx, param
    try:
        return parse_duration(value) if value else None
    except ConfigError as error:
        raise click.BadParameter(str(error)) from error
