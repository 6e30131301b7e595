"""Live pages: recognised by their signals, read post by post, compared post by post."""

from __future__ import annotations

import json

import pytest

from monitor.compare.posts import compare_posts, post_label
from monitor.extract.liveblog import (
    MAX_POST_CHARS,
    MAX_POSTS,
    SIGNAL_BADGE,
    SIGNAL_JSON_LD,
    SIGNAL_TIMED_POSTS,
    SIGNAL_URL,
    Post,
    growth,
    is_live,
    read_live_page,
)

TEXTS = [
    "Crews have reached the northern end of the harbour wall, the fire service says.",
    "The mayor told reporters: \u201cWe will rebuild the pier before the summer.\u201d",
    "Forty households on Quay Street have been asked to leave their homes tonight.",
]


def html_posts(texts: list[str], *, badge: bool = False, ld: bool = False) -> str:
    items = "\n".join(
        f'<article class="post" id="post-{i}"><time datetime="2026-11-04T1{i}:00:00Z">'
        f"1{i}:00</time><p>{text}</p></article>"
        for i, text in reversed(list(enumerate(texts)))
    )
    head = ""
    if ld:
        data = {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting",
            "liveBlogUpdate": [
                {
                    "@type": "BlogPosting",
                    "@id": f"#post-{i}",
                    "datePublished": f"2026-11-04T1{i}:00:00Z",
                    "articleBody": text,
                }
                for i, text in reversed(list(enumerate(texts)))
            ],
        }
        head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    live = '<span class="badge live">LIVE</span>' if badge else ""
    return (
        f"<html><head>{head}</head><body><h1>Storm live</h1>{live}"
        f'<div class="stream">{items}</div></body></html>'
    )


def test_json_ld_live_blog_posting_is_live_and_gives_its_posts() -> None:
    page = read_live_page(html_posts(TEXTS, ld=True))
    assert SIGNAL_JSON_LD in page.signals and page.is_live
    assert [p.key for p in page.posts] == ["#post-2", "#post-1", "#post-0"]
    assert page.posts[-1].published == "2026-11-04T10:00:00Z"
    assert page.posts[-1].text == TEXTS[0]


def test_timed_posts_and_a_badge_make_a_live_page() -> None:
    page = read_live_page(html_posts(TEXTS, badge=True))
    assert set(page.signals) == {SIGNAL_BADGE, SIGNAL_TIMED_POSTS}
    assert page.is_live
    assert [p.key for p in page.posts] == ["post-2", "post-1", "post-0"]
    assert page.posts[0].text == TEXTS[2]


def test_timed_posts_and_a_live_url_make_a_live_page() -> None:
    page = read_live_page(html_posts(TEXTS), url="https://example.com/news/live/storm")
    assert SIGNAL_URL in page.signals and page.is_live


def test_timed_posts_alone_need_growth_at_one_end() -> None:
    page = read_live_page(html_posts(TEXTS))
    assert page.signals == (SIGNAL_TIMED_POSTS,)
    assert not page.is_live
    assert not is_live(page, growths=1)
    assert is_live(page, growths=2)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><h1>Fire</h1><p>Published <time datetime='2026-11-04'>today</time></p>"
        "<p>A fire broke out on Quay Street on Tuesday evening.</p></body></html>",
        "",
        "<html><body><p class='live'>Live music returns to the park this summer.</p></body></html>",
    ],
)
def test_an_ordinary_article_is_not_live(html: str) -> None:
    page = read_live_page(html, url="https://example.com/news/fire.html")
    assert not page.is_live


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("bc", "abc", "top"),
        ("bc", "bcd", "bottom"),
        ("abc", "zab", "top"),  # the oldest post dropped off the bottom
        ("abc", "abc", ""),
        ("ac", "abc", ""),  # a post in the middle
        ("abc", "xyz", ""),
    ],
)
def test_growth_at_one_end(old: str, new: str, expected: str) -> None:
    assert growth(list(old), list(new)) == expected


def test_posts_and_their_text_are_bounded() -> None:
    many = [
        f"Update number {i} from the harbour where crews are still at work."
        for i in range(MAX_POSTS + 20)
    ]
    page = read_live_page(html_posts([*many[:9], "x" * (MAX_POST_CHARS + 500)], ld=True))
    assert max(len(p.text) for p in page.posts) == MAX_POST_CHARS
    page = read_live_page(
        "<html><body><div>"
        + "".join(
            f'<div id="p{i}"><time datetime="2026-11-04T10:{i % 60:02d}:00Z">t</time>'
            f"<p>{t}</p></div>"
            for i, t in enumerate(many)
        )
        + "</div></body></html>"
    )
    assert len(page.posts) == MAX_POSTS


def post(key: str, text: str, hour: int) -> Post:
    return Post(key=key, published=f"2026-11-04T{hour:02d}:00:00Z", text=text)


OLD = [post("c", TEXTS[2], 12), post("b", TEXTS[1], 11), post("a", TEXTS[0], 10)]


def test_a_new_post_is_the_normal_flow_not_an_edit() -> None:
    new = [
        post("d", "Power has been restored to most of the seafront, the company says.", 13),
        *OLD,
    ]
    result = compare_posts(OLD, new)
    assert [p.key for p in result.added] == ["d"]
    assert result.edits() == []


def test_a_post_edited_after_publication_is_flagged_with_its_kind_and_time() -> None:
    edited = TEXTS[1].replace("We will rebuild", "We may rebuild")
    new = [OLD[0], post("b", edited, 11), OLD[2]]
    result = compare_posts(OLD, new)
    assert [c.old.key for c in result.changed] == ["b"]
    edits = result.edits()
    assert [e.kind for e in edits] == ["quote"]
    assert (edits[0].old, edits[0].new) == ("will", "may")
    assert "live post of 2026-11-04 11:00 UTC" in edits[0].reasons


def test_a_deleted_post_is_flagged_but_one_that_paged_out_is_not() -> None:
    # "b" vanished between posts still shown: deleted. "z", the oldest, dropped off the end.
    earliest = post("z", "Forecasters issued an amber warning for the coast early this morning.", 9)
    new = [
        post("d", "Ferries to the islands are cancelled until Friday morning at least.", 13),
        OLD[0],
        OLD[2],
    ]
    result = compare_posts([*OLD, earliest], new)
    assert [c.old.key for c in result.deleted] == ["b"]
    assert [p.key for p in result.paged_out] == ["z"]
    assert {e.kind for e in result.edits()} == {"quote_removed"}


def test_cosmetic_changes_to_a_post_are_not_changes() -> None:
    new = [OLD[0], post("b", TEXTS[1].replace("\u201c", '"').replace("\u201d", '"'), 11), OLD[2]]
    assert compare_posts(OLD, new).changed == ()


def test_post_label_without_a_time_names_the_key() -> None:
    assert post_label(Post(key="p7", published="", text="x")) == "live post p7"


@pytest.mark.parametrize(
    "html",
    [
        html_posts(TEXTS, ld=True),
        html_posts(TEXTS, badge=True),
        html_posts(TEXTS[:2], badge=True),  # two timestamps: too few for posts
        "<html><body><div class='LiveCoverage'><span class='Live-label'>En directo</span></div>"
        "<p>A fire broke out on Quay Street on Tuesday evening.</p></body></html>",
    ],
)
def test_a_page_parsed_by_extraction_reads_as_its_bytes_do(html: str) -> None:
    from monitor.extract.extraction import parse_page

    url = "https://example.com/news/live/storm"
    parsed = parse_page(html.encode())
    assert parsed is not None
    assert read_live_page(parsed.tree, url) == read_live_page(html.encode(), url)
