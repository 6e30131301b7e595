"""Sources declared in a TOML file (see data/sources.example.toml):

[[source]]
kind = "feed"            # feed, sitemap or section
url = "https://example.com/rss.xml"

[[source]]
kind = "section"
url = "https://example.com/world/"
match = "/world/\\\\d{4}/"   # section pages: a regex article links must match
render = "browser"       # optional: read its articles in a browser (static by default)
screenshot = true        # optional: a screenshot of the rendered page with each new version
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import ConfigError, RedlineError
from monitor.fetch.discover import SOURCE_KINDS, compile_match
from monitor.fetch.rendering import check_render
from monitor.fetch.urls import check_url


@dataclass(frozen=True)
class SourceSpec:
    kind: str
    url: str
    match: str = ""
    render: str = ""  # "browser" or "static"; "" leaves the source as it is
    screenshot: bool = False  # a screenshot with each new version of its articles


def make_source(
    kind: str, url: str, match: str = "", render: str = "", screenshot: bool = False
) -> SourceSpec:
    """A validated source: known kind, http(s) URL, a compilable pattern for section pages."""
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"unknown source kind {kind!r} (one of {', '.join(SOURCE_KINDS)})")
    if kind == "section" and not match:
        raise ConfigError(f"a section source needs a match pattern: {url}")
    if match:
        compile_match(match)
    if render:
        try:
            render = check_render(render)
        except ValueError as error:
            raise ConfigError(f"{url}: {error}") from error
    return SourceSpec(kind, check_url(url), match, render, screenshot)


def load_sources(path: Path) -> list[SourceSpec]:
    """Read and validate a sources file; any problem is a ConfigError naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read sources file {path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"sources file {path} is not valid TOML: {error}") from error
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: use [[source]] tables")
    specs = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "url" not in entry or "kind" not in entry:
            raise ConfigError(f"{path}: source {number} needs a kind and a url")
        try:
            specs.append(
                make_source(
                    str(entry["kind"]),
                    str(entry["url"]),
                    str(entry.get("match", "")),
                    str(entry.get("render", "")),
                    _flag(entry.get("screenshot", False), "screenshot"),
                )
            )
        except RedlineError as error:  # an invalid URL: name the entry
            raise ConfigError(f"{path}: source {number}: {error}") from error
    return specs


def _flag(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false, not {value!r}")
    return value
