"""The demo news site's redesign (editions from `articles.REDESIGN_EDITION`): the same stories in a
new article template. Pure rendering, built from the parts of `pages.py` (site chrome, rotation,
comment counts), so that only the article page differs from the site's first template."""

from __future__ import annotations

import json
from datetime import timedelta
from html import escape

from monitor.demo.articles import STORIES, Version, article_path, current_slugs, slug_path
from monitor.demo.pages import (
    _TICKER,
    RELATED_LINKS,
    SITE_NAME,
    _anchor,
    _comment_count,
    _rotate,
    _served,
    _skeleton,
    edition_time,
    story_links,
)

PROMO_AFTER = 2  # paragraphs before the "Read more" promo box inside the article
NEWSLETTER_AFTER = 5  # paragraphs before the newsletter box inside the article


def render_redesigned_article(
    slug: str, served_slug: str, version: Version, edition: int, base_url: str
) -> bytes:
    """An article page in the template of the redesign (from `REDESIGN_EDITION`): the same story
    with a new byline format ("Words by NAME, Section Correspondent"), dates written another way,
    a promo box and a newsletter box inside the article body, a numbered "Most read" list and a
    ticker of timed items. Nothing of this template may change what Redline reports."""
    story = STORIES[slug]
    canonical = base_url + slug_path(served_slug)
    return _skeleton(
        title=f"{version.headline} – {SITE_NAME}",
        lang=story.language,
        head=_redesigned_head(version, canonical, _role(slug)),
        main=_redesigned_main(slug, version, edition),
        edition=edition,
        page_id=slug,
    )


def _role(slug: str) -> str:
    """The byline's role in the redesign: "Politics Correspondent", "Corresponsal"."""
    story = STORIES[slug]
    return "Corresponsal" if story.language == "es" else f"{story.section} Correspondent"


def _redesigned_head(version: Version, canonical: str, role: str) -> str:
    """The redesign's meta tags and JSON-LD (the author in capitals, with a publisher)."""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": version.headline,
            "author": [{"@type": "Person", "name": version.author.upper()}],
            "datePublished": version.published,
            "dateModified": version.updated,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "publisher": {"@type": "NewsMediaOrganization", "name": SITE_NAME},
        },
        ensure_ascii=False,
    ).replace("<", "\\u003c")
    return f"""<meta name="description" content="{escape(version.description)}">
<meta name="author" content="{escape(version.author.upper())} | {escape(role)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{escape(version.headline)}">
<meta property="og:url" content="{canonical}">
<meta property="article:published_time" content="{version.published}">
<meta property="article:modified_time" content="{version.updated}">
<link rel="canonical" href="{canonical}">
<script type="application/ld+json">{ld}</script>
"""


def _redesigned_blocks(version: Version, promoted: list[str], edition: int) -> str:
    """The story's paragraphs with a promo box and a newsletter box inside them."""
    promo = (
        '<aside class="promo-box"><span class="promo-label">Read more</span> '
        f'<a href="{article_path(promoted[0], edition)}">'
        f"{escape(_served(promoted[0], edition).headline)}</a></aside>"
        if promoted
        else ""
    )
    newsletter = (
        '<div class="newsletter-inline"><p class="newsletter-pitch">Sign up to The Morning '
        "Ledger, the day's Millbrook headlines in your inbox before breakfast.</p>"
        '<form action="#newsletter"><input type="email" placeholder="Your email address">'
        '<button type="submit">Subscribe</button></form></div>'
    )
    blocks = [f"<p>{escape(text, quote=False)}</p>" for text in version.paragraphs]
    blocks.insert(min(PROMO_AFTER, len(blocks)), promo)
    blocks.insert(min(NEWSLETTER_AFTER + 1, len(blocks)), newsletter)
    return "\n".join(blocks)


def _ticker(edition: int) -> str:
    """The ticker's four latest items, each with its time."""
    return "".join(
        f"<li><time>{(edition_time(edition) - index * timedelta(minutes=17)):%H:%M}</time> "
        f"{escape(item)}</li>"
        for index, item in enumerate(_rotate(list(_TICKER), edition)[:4])
    )


def _redesigned_main(slug: str, version: Version, edition: int) -> str:
    """The redesign's ticker and <main>: header, body, footer and the "Most read" list."""
    story = STORIES[slug]
    others = [other for other in current_slugs(edition) if other != slug]
    blocks = _redesigned_blocks(version, _rotate(others, edition), edition)
    most_read = story_links(_rotate(others, edition + 1)[:RELATED_LINKS], edition)
    words_by = "Texto de" if story.language == "es" else "Words by"
    published = version.published[:16].replace("T", " ")
    updated = version.updated[:16].replace("T", " ")
    return f"""<div class="news-ticker" aria-live="polite"><span>Latest</span>\
<ul>{_ticker(edition)}</ul></div>
<main id="main" class="article-page">
<article class="article">
<header class="article-header">
<a class="section-tag" href="/news/#{_anchor(story.section)}">{escape(story.section)}</a>
<h1 class="article-title">{escape(version.headline)}</h1>
<p class="article-standfirst">{escape(version.description)}</p>
<div class="author-block">{words_by} <a rel="author" href="#author">\
{escape(version.author.upper())}</a>, <span class="role">{escape(_role(slug))}</span></div>
<div class="timestamps"><time datetime="{version.published}">{published} UTC</time> \
(<time datetime="{version.updated}">{updated} UTC</time>)</div>
</header>
<div class="article-body">
{blocks}
</div>
<footer class="article-footer"><a href="#share">Share</a> · <a href="#comments">\
{_comment_count(slug, edition)} comments</a></footer>
</article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
</main>"""
