"""monitor.fetch.watch_list: watch lists read from every format, written back, and bounded."""

from __future__ import annotations

import pytest

from monitor.errors import ConfigError
from monitor.fetch.watch_list import (
    MAX_ENTRIES,
    MAX_LIST_BYTES,
    MAX_TAG_CHARS,
    WatchEntry,
    parse_tags,
    read_watch_list,
    write_watch_list,
)

A = "https://news.example.org/a"
FEED = "https://news.example.org/rss.xml"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("urls.txt", f"# my beat\n{A}\n\n  {FEED}  \n", [WatchEntry(A), WatchEntry(FEED)]),
        (
            "list.csv",
            f'url,kind,tags\n{A},,"Council, elections"\n{FEED},feed,\n',
            [WatchEntry(A, tags=("council", "elections")), WatchEntry(FEED, "feed")],
        ),
        (
            "list.toml",
            f'[[article]]\nurl = "{A}"\ntags = ["council"]\n'
            f'[[source]]\nkind = "section"\nurl = "{FEED}"\nmatch = "/news/"\n',
            [WatchEntry(A, tags=("council",)), WatchEntry(FEED, "section", "/news/")],
        ),
        (
            "sources.toml",  # a sources file's rendering keys are kept
            f'[[source]]\nkind = "feed"\nurl = "{FEED}"\nrender = "Browser"\nscreenshot = true\n',
            [WatchEntry(FEED, "feed", render="browser", screenshot=True)],
        ),
        (
            "feeds.opml",
            f'<opml version="2.0"><body><outline text="x" xmlUrl="{FEED}" category="politics"/>'
            '<outline text="folder"/></body></opml>',
            [WatchEntry(FEED, "feed", tags=("politics",))],
        ),
        ("pasted list", f"url\n{A}\n", [WatchEntry(A)]),  # a CSV recognised by its header
    ],
)
def test_every_format_reads_into_entries(name: str, text: str, expected: list[WatchEntry]) -> None:
    assert read_watch_list(text, name) == expected


@pytest.mark.parametrize("fmt", ["csv", "toml"])
def test_an_exported_list_reads_back_the_same(fmt: str) -> None:
    entries = [
        WatchEntry(A, tags=("council", "my beat")),
        WatchEntry(FEED, "feed", tags=("elections",)),
        WatchEntry("https://x.example/s", "section", r"/news/\d+", ()),
    ]
    assert read_watch_list(write_watch_list(entries, fmt), f"list.{fmt}") == entries


def test_an_exported_toml_list_keeps_what_sources_are_read_with() -> None:
    entries = [
        WatchEntry(FEED, "feed", render="browser", screenshot=True),
        WatchEntry("https://x.example/map.xml", "sitemap", render="static"),
    ]
    assert read_watch_list(write_watch_list(entries, "toml"), "list.toml") == entries


def test_opml_export_holds_the_feeds_only() -> None:
    entries = [WatchEntry(A), WatchEntry(FEED, "feed", tags=("politics",))]
    assert read_watch_list(write_watch_list(entries, "opml"), "x.opml") == [entries[1]]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.csv", "link\nhttps://a.example/\n", "needs a `url` column"),
        ("x.csv", "url,kind\nhttps://a.example/,podcast\n", "x.csv row 2: unknown kind 'podcast'"),
        ("x.toml", "[[article]]\ntags = []\n", "x.toml: article 1: no url"),
        ("x.toml", "article = 3\n", "use [[article]] tables"),
        ("x.toml", '[[source]]\nkind = "article"\nurl = "https://a.example/"\n', "a source is"),
        ("x.opml", "<opml><body>", "not valid OPML"),
        ("x.csv", 'url,tags\nhttps://a.example/,"no<tags>"\n', "not a tag"),
        (
            "x.toml",
            '[[article]]\nurl = "https://a.example/"\nrender = "browser"\n',
            "x.toml: article 1: render and screenshot go with a [[source]]",
        ),
        (
            "x.toml",
            '[[source]]\nkind = "feed"\nurl = "https://a.example/"\nscreenshot = "yes"\n',
            "x.toml: source 1: screenshot must be true or false",
        ),
    ],
)
def test_a_bad_list_is_refused_naming_the_line(name: str, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        read_watch_list(text, name)


def test_tags_are_trimmed_lower_case_and_unique() -> None:
    assert parse_tags(" Council,  my   Beat ,council,, ") == ("council", "my beat")


def test_a_tag_has_a_length_bound() -> None:
    with pytest.raises(ConfigError, match="at most"):
        parse_tags("x" * (MAX_TAG_CHARS + 1))


def test_a_list_past_its_bounds_is_refused() -> None:
    with pytest.raises(ConfigError, match="larger than"):
        read_watch_list("#" * (MAX_LIST_BYTES + 1), "big.txt")
    many = "\n".join(f"https://a.example/{n}" for n in range(MAX_ENTRIES + 1))
    with pytest.raises(ConfigError, match="entries"):
        read_watch_list(many, "many.txt")
