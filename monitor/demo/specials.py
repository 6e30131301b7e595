"""Two pages of the demo site that look like edits and are not: a headline A/B test and a live blog.

Neither is linked from the home page, the section page, the feed or the sitemap, so the demo
editions of `monitor.demo.articles` (and every test built on them) are unchanged; a test or a
user tracks them by URL (`redline add URL`).

- `AB_TEST_PATH`: one story whose headline (and standfirst) the newsroom is testing: the site
  serves wording A and wording B alternately, request after request (`variant` = the count of
  earlier requests for the page, modulo 2). The text of the story never changes.
- `LIVE_BLOG_PATH`: a live blog (schema.org `LiveBlogPosting`, a LIVE badge, posts newest first,
  each with its own time). Each edition appends a post; edition `LIVE_EDIT_EDITION` silently
  changes one word inside a quotation in an earlier post (`LIVE_EDITED_POST`): the only edit a
  reader should be told about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from html import escape

from monitor.demo.pages import HTML, SITE_NAME, Page, _skeleton, edition_time

AB_TEST_PATH = "/news/2026/11/harbour-bridge-reopens-after-repairs.html"
LIVE_BLOG_PATH = "/live/2026/11/storm-live-coastal-districts.html"
PATHS = frozenset({AB_TEST_PATH, LIVE_BLOG_PATH})

# The two wordings of the test, (headline, standfirst): the newsroom's A and B.
AB_WORDINGS: tuple[tuple[str, str], ...] = (
    (
        "Harbour bridge reopens after three months of repairs",
        "Drivers can use the Tamsin crossing again from Thursday morning.",
    ),
    (
        "Tamsin bridge back open: what drivers need to know",
        "The crossing reopens on Thursday with a lower speed limit.",
    ),
)
_AB_AUTHOR = "Oskar Lindqvist"
_AB_PUBLISHED = "2026-11-04T07:30:00+00:00"
_AB_PARAGRAPHS = (
    "The Tamsin River road bridge will reopen to traffic on Thursday morning after three months "
    "of repairs to its steel bearings, the city's highways department said on Wednesday.",
    "Engineers found corrosion on four of the bridge's twelve bearings during a routine "
    "inspection in August, forcing the closure of the crossing, which carries about 18,000 "
    "vehicles a day between the harbour and the northern districts.",
    "“The bridge is safe, and it will be safer than it has been in years,” said Ines Marchetti, "
    "the department's chief engineer. “We replaced every bearing, not just the four we had to.”",
    "A temporary speed limit of 20 miles per hour will apply for the first two weeks while "
    "the new bearings settle, and buses will return to their usual routes on Monday.",
    "The repairs cost $4.2 million, about $600,000 more than the city had budgeted, after "
    "crews found further damage to the expansion joints once work had begun.",
)


@dataclass(frozen=True)
class LivePost:
    """One post of the live blog; `edited` is its text from `LIVE_EDIT_EDITION` on."""

    published: str
    headline: str
    text: str
    edited: str = ""


LIVE_TITLE = "Storm live: gales and flooding hit the coastal districts"
LIVE_POSTS: tuple[LivePost, ...] = (
    LivePost(
        "2026-11-04T08:05:00+00:00",
        "Amber warning in force",
        "Forecasters have issued an amber warning for wind across the coastal districts until "
        "Friday morning, with gusts of up to 80 miles per hour expected on exposed headlands.",
    ),
    LivePost(
        "2026-11-04T08:40:00+00:00",
        "Mayor: sea wall will hold",
        "Mayor Elaine Hollis visited the promenade at first light. “The sea wall will hold, and "
        "nobody on the front needs to leave their home tonight,” she told reporters.",
        edited="Mayor Elaine Hollis visited the promenade at first light. “The sea wall should "
        "hold, and nobody on the front needs to leave their home tonight,” she told reporters.",
    ),
    LivePost(
        "2026-11-04T14:15:00+00:00",
        "Ferries cancelled",
        "All ferries to Gull Island are cancelled for the rest of the day, the operator said, "
        "and the first sailing on Thursday is under review.",
    ),
    LivePost(
        "2026-11-04T20:30:00+00:00",
        "Power cuts in Saltmarsh",
        "Tamsin Electric says about 1,400 homes in Saltmarsh lost power when a line came down "
        "on Marsh Road; crews expect to reconnect most of them before midnight.",
    ),
    LivePost(
        "2026-11-05T02:10:00+00:00",
        "Flood barriers up on Quay Street",
        "Council workers have closed the flood gates on Quay Street ahead of the high tide at "
        "three o'clock, and the road will stay shut until the water drops.",
    ),
    LivePost(
        "2026-11-05T08:20:00+00:00",
        "Wind easing",
        "The strongest gusts have passed, the weather service says, although the flood warning "
        "for the harbour stays in place until the evening high tide.",
    ),
)
# Edition 1 shows the first two posts; each later edition adds one, up to all of them.
LIVE_FIRST_POSTS = 2
LIVE_EDIT_EDITION = 3
LIVE_EDITED_POST = 1  # index in LIVE_POSTS: the mayor's quotation, "will hold" → "should hold"


def live_posts(edition: int) -> list[tuple[str, LivePost, str]]:
    """(post id, post, text served) of `edition`, oldest first."""
    count = min(len(LIVE_POSTS), LIVE_FIRST_POSTS + max(0, edition - 1))
    served = []
    for index, post in enumerate(LIVE_POSTS[:count]):
        text = post.edited if post.edited and edition >= LIVE_EDIT_EDITION else post.text
        served.append((f"post-{index + 1}", post, text))
    return served


def _time_label(iso: str) -> str:
    return f"{datetime.fromisoformat(iso):%H:%M}"


def _ld(data: dict[str, object]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>\n'


def _render_ab(edition: int, variant: int, base_url: str) -> bytes:
    headline, standfirst = AB_WORDINGS[variant % len(AB_WORDINGS)]
    canonical = base_url + AB_TEST_PATH
    head = f"""<meta name="description" content="{escape(standfirst)}">
<meta property="og:title" content="{escape(headline)}">
<meta property="og:description" content="{escape(standfirst)}">
<meta property="article:published_time" content="{_AB_PUBLISHED}">
<link rel="canonical" href="{canonical}">
""" + _ld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline,
            "description": standfirst,
            "author": {"@type": "Person", "name": _AB_AUTHOR},
            "datePublished": _AB_PUBLISHED,
            "dateModified": _AB_PUBLISHED,
            "mainEntityOfPage": canonical,
        }
    )
    paragraphs = "\n".join(f"<p>{escape(text, quote=False)}</p>" for text in _AB_PARAGRAPHS)
    main = f"""<main id="content">
<article class="story">
<div class="story-meta">
<p class="kicker"><a href="/news/#local">Local</a></p>
<h1>{escape(headline)}</h1>
<p class="standfirst">{escape(standfirst)}</p>
<p class="byline">By <span class="author">{_AB_AUTHOR}</span></p>
<p class="dateline">Published <time datetime="{_AB_PUBLISHED}">4 November 2026, 07:30 UTC</time></p>
</div>
<div class="story-body">
{paragraphs}
</div>
</article>
</main>"""
    return _skeleton(
        title=f"{headline} | {SITE_NAME}",
        lang="en",
        head=head,
        main=main,
        edition=edition,
        page_id="ab-test",
    )


def _render_live(edition: int, base_url: str) -> bytes:
    served = list(reversed(live_posts(edition)))  # newest first, as live pages list them
    canonical = base_url + LIVE_BLOG_PATH
    updates = [
        {
            "@type": "BlogPosting",
            "@id": f"{canonical}#{post_id}",
            "headline": post.headline,
            "datePublished": post.published,
            "articleBody": text,
        }
        for post_id, post, text in served
    ]
    head = f"""<meta name="description" content="Live updates as the storm reaches the coast.">
<meta property="og:title" content="{escape(LIVE_TITLE)}">
<link rel="canonical" href="{canonical}">
""" + _ld(
        {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting",
            "headline": LIVE_TITLE,
            "coverageStartTime": LIVE_POSTS[0].published,
            "liveBlogUpdate": updates,
        }
    )
    posts = "\n".join(
        f'<article class="live-post" id="{post_id}">'
        f'<time datetime="{post.published}">{_time_label(post.published)}</time>'
        f"<h2>{escape(post.headline)}</h2><p>{escape(text, quote=False)}</p></article>"
        for post_id, post, text in served
    )
    main = f"""<main id="content">
<article class="story live-blog">
<div class="story-meta">
<p class="kicker"><span class="badge live">LIVE</span> News</p>
<h1>{escape(LIVE_TITLE)}</h1>
<p class="byline">By <span class="author">Ledger reporters</span></p>
</div>
<div class="live-stream">
{posts}
</div>
</article>
</main>"""
    return _skeleton(
        title=f"{LIVE_TITLE} | {SITE_NAME}",
        lang="en",
        head=head,
        main=main,
        edition=edition,
        page_id="live",
    )


def render_special(path: str, edition: int, base_url: str, variant: int = 0) -> Page | None:
    """The page at `path` if it is one of these two, else None. `variant` picks the A/B
    wording (the site passes the number of earlier requests for the page)."""
    if path == AB_TEST_PATH:
        return Page(200, _render_ab(edition, variant, base_url), HTML)
    if path == LIVE_BLOG_PATH:
        return Page(200, _render_live(edition, base_url), HTML)
    return None


def special_last_modified(path: str, edition: int) -> datetime:
    """The A/B page changes at every request and the live blog at every edition: both are as
    new as the edition."""
    return edition_time(edition)
