"""The demo site's headline A/B test and live blog: what they serve, request by request."""

from __future__ import annotations

import re
import urllib.request

from monitor.demo import DemoSite
from monitor.demo import specials as S
from monitor.extract.liveblog import read_live_page

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url: str) -> bytes:
    with _OPENER.open(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def h1(body: bytes) -> str:
    match = re.search(r"<h1>(.*?)</h1>", body.decode())
    assert match
    return match.group(1)


def test_the_ab_test_alternates_its_two_wordings_per_request(site: DemoSite) -> None:
    headlines = [h1(get(site.url(S.AB_TEST_PATH))) for _ in range(4)]
    a, b = (wording[0] for wording in S.AB_WORDINGS)
    assert headlines == [a, b, a, b]


def test_the_ab_test_changes_only_its_wording(site: DemoSite) -> None:
    pages = [get(site.url(S.AB_TEST_PATH)) for _ in S.AB_WORDINGS]
    for index, (headline, standfirst) in enumerate(S.AB_WORDINGS):
        pages[index] = pages[index].replace(headline.encode(), b"H")
        pages[index] = pages[index].replace(standfirst.encode(), b"S")
    assert pages[0] == pages[1]


def test_the_live_blog_adds_one_post_per_edition(site: DemoSite) -> None:
    counts = []
    for edition in (1, 2, 3, 4):
        site.edition = edition
        page = read_live_page(get(site.url(S.LIVE_BLOG_PATH)), site.url(S.LIVE_BLOG_PATH))
        assert page.is_live
        counts.append(len(page.posts))
    assert counts == [2, 3, 4, 5]


def test_the_live_blog_edits_one_earlier_post_once() -> None:
    texts = {
        edition: {post_id: text for post_id, _, text in S.live_posts(edition)}
        for edition in range(1, 8)
    }
    changed = [
        (edition, post_id)
        for edition in range(2, 8)
        for post_id, text in texts[edition].items()
        if post_id in texts[edition - 1] and texts[edition - 1][post_id] != text
    ]
    assert changed == [(S.LIVE_EDIT_EDITION, f"post-{S.LIVE_EDITED_POST + 1}")]


def test_neither_page_is_linked_from_the_site(site: DemoSite) -> None:
    for path in ("/", "/news/", "/feed.xml", "/sitemap.xml"):
        body = get(site.url(path)).decode()
        assert S.AB_TEST_PATH not in body and S.LIVE_BLOG_PATH not in body
