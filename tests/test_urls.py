"""monitor.fetch.urls: which URLs can be tracked, and the one canonical spelling of each."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import InvalidURLError
from monitor.fetch.urls import canonicalize_url, check_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://news.example/world/story", "https://news.example/world/story"),
        (
            "https://news.example/world/story?utm_source=x&utm_medium=social",
            "https://news.example/world/story",
        ),
        ("https://news.example/story?utm_campaign=fall&id=7", "https://news.example/story?id=7"),
        ("https://news.example/story?fbclid=IwAR0abc", "https://news.example/story"),
        ("https://news.example/story?gclid=Cj0KCQ&page=2", "https://news.example/story?page=2"),
        ("https://news.example/story?UTM_SOURCE=x", "https://news.example/story"),
        ("https://news.example/story#comments", "https://news.example/story"),
        ("https://News.Example/Story", "https://news.example/Story"),
        ("HTTPS://NEWS.EXAMPLE/story", "https://news.example/story"),
        ("http://news.example:80/story", "http://news.example/story"),
        ("https://news.example:443/story", "https://news.example/story"),
        ("https://news.example:8443/story", "https://news.example:8443/story"),
        ("http://news.example:443/story", "http://news.example:443/story"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example/story?b=2&a=1", "https://news.example/story?a=1&b=2"),
        ("  https://news.example/story  ", "https://news.example/story"),
        ("HTTP://News.Example:80/a?utm_source=x&b=2&a=1#frag", "http://news.example/a?a=1&b=2"),
        # escape sequences in a path: percent-encoded, as a browser sends them
        ("https://news.example/a\x1b]52;c;QQ\x07b", "https://news.example/a%1B]52;c;QQ%07b"),
        ("https://news.example/a\u009b2Jb", "https://news.example/a%C2%9B2Jb"),
    ],
)
def test_check_url_returns_the_canonical_form(url: str, canonical: str) -> None:
    assert check_url(url) == canonical


@pytest.mark.parametrize(
    "url",
    [
        "ftp://news.example/story",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "javascript://news.example/%0aalert(1)",
        "mailto:editor@news.example",
        "data:text/html,<p>hi</p>",
        "news.example/story",
        "//news.example/story",
        "",
        "http://",
        "https:///story",
        "http:story",
    ],
)
def test_check_url_rejects(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_url(url)


def test_check_url_error_says_which_schemes_are_allowed() -> None:
    with pytest.raises(InvalidURLError, match="http and https"):
        check_url("ftp://news.example/story")


@pytest.mark.parametrize(
    "url",
    ["http://news.example:abc/story", "http://news.example:99999/story", "http://[::1/story"],
    ids=["port-not-a-number", "port-out-of-range", "unclosed-ipv6"],
)
def test_check_url_rejects_malformed_urls_with_invalid_url_error(url: str) -> None:
    with pytest.raises(InvalidURLError):
        check_url(url)


def test_an_ipv6_host_keeps_its_brackets() -> None:
    assert canonicalize_url("http://[::1]:8080/a") == "http://[::1]:8080/a"


def test_canonicalize_keeps_path_case_and_meaningful_parameters() -> None:
    url = "https://news.example/Politics/Story.html?id=42&lang=en"
    assert canonicalize_url(url) == url


# --- idempotence ------------------------------------------------------------------------------
HOSTS = st.from_regex(
    r"[A-Za-z][A-Za-z0-9-]{0,10}(\.[A-Za-z][A-Za-z0-9-]{0,10}){1,2}", fullmatch=True
)
SEGMENT = st.text(alphabet="abcXYZ019-_.~%", min_size=0, max_size=8)
KEYS = st.sampled_from(["id", "page", "utm_source", "fbclid", "gclid", "ref", "q", "lang", "x"])
VALUES = st.text(alphabet="abc 19+%&=-_", max_size=6)


@st.composite
def urls(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "Https"]))
    host = draw(HOSTS)
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(SEGMENT, max_size=4)))
    pairs = draw(st.lists(st.tuples(KEYS, VALUES), max_size=4))
    query = "&".join(f"{k}={v}" for k, v in pairs)
    fragment = draw(st.sampled_from(["", "#top", "#comments"]))
    return f"{scheme}://{host}{port}/{path}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonicalizing_twice_changes_nothing(url: str) -> None:
    once = canonicalize_url(url)
    assert canonicalize_url(once) == once


@given(urls())
def test_a_checked_url_is_already_canonical(url: str) -> None:
    checked = check_url(url)
    assert check_url(checked) == checked
    assert "#" not in checked
    assert "utm_" not in checked.lower() and "fbclid" not in checked and "gclid" not in checked


def test_a_url_with_a_password_is_refused_not_silently_stripped() -> None:
    with pytest.raises(InvalidURLError, match="password"):
        check_url("http://user:pw@news.example/story")
