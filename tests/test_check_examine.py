"""The check spider's examination of a static page before it is recorded (run in the store's
writer thread): its hash, whether it is the last page read, and whether it is a JavaScript shell."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.spiders.check import _sent_validator, examine_page
from monitor.store import page_hash

ARTICLE = (
    b"<html><body><article><p>"
    + b"The council voted on Tuesday. " * 40
    + b"</p></article></body></html>"
)
SHELL = (
    b'<html><head><script src="/app.js"></script></head><body><div id="root"></div></body></html>'
)


@pytest.mark.parametrize(
    ("body", "last_hash", "sha256", "known", "shell"),
    [
        # first sight: nothing to compare with, hashed for the writer; a real page is no shell
        (ARTICLE, "", page_hash(ARTICLE), False, False),
        # the last page read, byte for byte: known, and not examined as a shell
        (ARTICLE, page_hash(ARTICLE), page_hash(ARTICLE), True, False),
        # another page than the last one: hashed, not known, no shell
        (ARTICLE, page_hash(SHELL), page_hash(ARTICLE), False, False),
        # a shell where the article was: hashed, not known, and said to be a shell
        (SHELL, page_hash(ARTICLE), page_hash(SHELL), False, True),
        # a shell at first sight
        (SHELL, "", page_hash(SHELL), False, True),
    ],
)
def test_a_page_is_examined_once_against_its_last_page(
    body: bytes, last_hash: str, sha256: str, known: bool, shell: bool
) -> None:
    found = examine_page(body, last_hash=last_hash)
    assert (found.sha256, found.known, bool(found.shell)) == (sha256, known, shell)
    if shell:
        assert "JavaScript shell" in found.shell


@pytest.mark.parametrize(
    ("headers", "sent"),
    [
        ({}, False),  # a page read in a browser, or an article with no validator stored
        ({"If-None-Match": '"v1"'}, True),
        ({"If-Modified-Since": "Mon, 02 Nov 2026 08:00:00 GMT"}, True),
    ],
)
def test_the_spider_says_whether_its_request_carried_a_validator(
    headers: dict[str, str], sent: bool
) -> None:
    # A 304 means "unchanged" only as the answer to a validator (monitor.record.plan).
    request = Request("http://127.0.0.1/story.html", headers=headers)
    response = HtmlResponse(request.url, status=304, request=request)
    assert _sent_validator(response) is sent
    assert _sent_validator(HtmlResponse(request.url, status=304)) is None
