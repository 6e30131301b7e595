"""The demo news site's pages: pure rendering of every URL for a given edition, with the
conditional-request helpers (ETag, Last-Modified, 304 decisions). No sockets here; `site.py`
serves these pages."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from html import escape

from monitor.demo.articles import (
    PRIVATE_PATH,
    REDESIGN_EDITION,
    SLUGS,
    STORIES,
    TEMPLATE_BASE_EDITION,
    TEMPLATE_EDITION,
    Redirected,
    Version,
    article_path,
    current_slugs,
    served_version,
    slug_path,
    story_state,
)

SITE_NAME = "The Millbrook Ledger"
FIRST_EDITION_AT = datetime(2026, 11, 4, 8, 0, tzinfo=UTC)
EDITION_INTERVAL = timedelta(hours=6)  # the newsroom republishes the front page four times a day
RELATED_LINKS = 3
INLINE_AD_AFTER = 3  # paragraphs before the in-story advertisement, as on most news sites
HTML = "text/html; charset=utf-8"

# Boilerplate that rotates with the edition; none of it may survive article extraction.
_TICKER = (
    "Tamsin River bridge reopens to cyclists after resurfacing",
    "Millbrook Mariners sign goalkeeper on three-year deal",
    "Water main repair closes two lanes of Harbour Road",
    "Gull Island ferry running 15 minutes late after engine check",
    "Leaf collection starts Monday in northern districts",
    "Power restored to 1,400 homes in Saltmarsh",
    "Jazz festival announces spring headliners",
)
_ADS = (
    "Winter tyres fitted while you wait at Harlow Motors, Quarry Lane",
    "Two nights on Gull Island for the price of one at the Lantern Inn",
    "Fenwick Street Dental is welcoming new patients this month",
    "Save 20% on storm shutters at Brightwater Home & Garden",
    "Millbrook Credit Union: fixed-rate savings at 4.1% AER",
    "The Saltmarsh Oyster Festival returns this weekend",
)
_NAV = (
    ("/", "Home"),
    ("/news/", "News"),
    ("/news/#politics", "Politics"),
    ("/news/#local", "Local"),
    ("/news/#education", "Education"),
    ("/news/#culture", "Culture"),
    ("/news/#en-espanol", "En español"),
)
# Month names spelled out here, not by strftime, so that no locale setting can change a page.
_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
}  # fmt: skip
_STYLE = (
    "body{font-family:Georgia,serif;margin:0 auto;max-width:62rem;color:#1a1a1a}"
    ".site-header,.site-footer{font-family:Helvetica,sans-serif}"
    ".ticker{background:#b00;color:#fff;padding:.3rem}.ad-slot{background:#eee;font-size:.8rem}"
    ".main-nav ul{display:flex;gap:1rem;list-style:none}"
)


@dataclass(frozen=True)
class Page:
    """A rendered response before conditional handling."""

    status: int
    body: bytes
    content_type: str
    location: str | None = None


def edition_time(edition: int) -> datetime:
    """When an edition was published: the footer's "page generated" time."""
    return FIRST_EDITION_AT + (edition - 1) * EDITION_INTERVAL


def http_date(moment: datetime) -> str:
    """An RFC 9110 HTTP date (also the RFC 822 form RSS wants)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _token(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12]


def _rotate(items: list[str], edition: int) -> list[str]:
    shift = edition % len(items) if items else 0
    return items[shift:] + items[:shift]


def _comment_count(slug: str, edition: int) -> int:
    """Grows with every edition, so the counter always churns."""
    return int(_token("comments", slug), 16) % 30 + 17 * edition


def _display_date(iso: str, language: str) -> str:
    moment = datetime.fromisoformat(iso).astimezone(UTC)
    month = _MONTHS["es" if language == "es" else "en"][moment.month - 1]
    if language == "es":
        return f"{moment.day} de {month} de {moment.year}, {moment:%H:%M} UTC"
    return f"{moment.day} {month} {moment.year}, {moment:%H:%M} UTC"


def _anchor(section: str) -> str:
    return section.lower().replace(" ", "-").replace("ñ", "n")


def _skeleton(*, title: str, lang: str, head: str, main: str, edition: int, page_id: str) -> bytes:
    """Wrap a page's main content in the site chrome of `edition`."""
    nav = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in _NAV)
    ticker = " · ".join(escape(item) for item in _rotate(list(_TICKER), edition)[:3])
    generated = edition_time(edition)
    config = json.dumps({"edition": edition, "token": _token("edition", edition), "page": page_id})
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{head}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/feed.xml">
<style>{_STYLE}</style>
</head>
<body>
<header class="site-header">
<a class="logo" href="/">{SITE_NAME}</a>
<nav class="main-nav" aria-label="Sections"><ul>{nav}</ul></nav>
<div class="ticker" role="marquee"><strong>Breaking</strong> {ticker} · \
Updated {generated:%H:%M}</div>
</header>
<div class="ad-slot ad-leaderboard" aria-label="Advertisement">Advertisement · \
<a href="#advertise">{escape(_ADS[edition % len(_ADS)])}</a></div>
{main}
<footer class="site-footer">
<p><a href="#about">About us</a> · <a href="#contact">Contact the newsroom</a> · \
<a href="#corrections">Corrections policy</a> · <a href="/feed.xml">RSS</a></p>
<p>© 2026 Millbrook Ledger Media. Page generated {generated:%Y-%m-%d %H:%M} UTC.</p>
</footer>
<script>window.ledgerConfig = {config};</script>
</body>
</html>
""".encode()


def _render_article(
    slug: str, served_slug: str, version: Version, edition: int, base_url: str
) -> bytes:
    """An article page; `served_slug` differs from the story's `slug` once it has moved."""
    canonical = base_url + slug_path(served_slug)
    return _skeleton(
        title=f"{version.headline} | {SITE_NAME}",
        lang=STORIES[slug].language,
        head=_article_head(slug, version, canonical),
        main=_article_main(slug, version, edition),
        edition=edition,
        page_id=slug,
    )


def _article_head(slug: str, version: Version, canonical: str) -> str:
    """The article page's meta tags and JSON-LD."""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": version.headline,
            "author": {"@type": "Person", "name": version.author},
            "datePublished": version.published,
            "dateModified": version.updated,
            "mainEntityOfPage": canonical,
        },
        ensure_ascii=False,
    ).replace("<", "\\u003c")
    return f"""<meta name="description" content="{escape(version.description)}">
<meta name="author" content="{escape(version.author)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:title" content="{escape(version.headline)}">
<meta property="og:description" content="{escape(version.description)}">
<meta property="og:url" content="{canonical}">
<meta property="article:section" content="{escape(STORIES[slug].section)}">
<meta property="article:published_time" content="{version.published}">
<meta property="article:modified_time" content="{version.updated}">
<link rel="canonical" href="{canonical}">
<script type="application/ld+json">{ld}</script>
"""


def story_links(slugs: list[str], edition: int) -> str:
    """List items linking to stories by their headline in `edition`."""
    return "".join(
        f'<li><a href="{article_path(other, edition)}">'
        f"{escape(_served(other, edition).headline)}</a></li>"
        for other in slugs
    )


def _article_main(slug: str, version: Version, edition: int) -> str:
    """The article page's <main>: the story with an in-story advertisement, then the related
    links, a newsletter box and an advertisement."""
    story = STORIES[slug]
    blocks = [f"<p>{escape(text, quote=False)}</p>" for text in version.paragraphs]
    blocks.insert(
        INLINE_AD_AFTER,
        '<div class="ad-slot ad-inline" aria-label="Advertisement">Advertisement · '
        f'<a href="#advertise">{escape(_ADS[(edition + 2) % len(_ADS)])}</a></div>',
    )
    paragraphs = "\n".join(blocks)
    others = [other for other in current_slugs(edition) if other != slug]
    related = story_links(_rotate(others, edition)[:RELATED_LINKS], edition)
    by, published_label, updated_label = (
        ("Por", "Publicado", "Actualizado")
        if story.language == "es"
        else ("By", "Published", "Updated")
    )
    return f"""<main id="content">
<article class="story">
<div class="story-meta">
<p class="kicker"><a href="/news/#{_anchor(story.section)}">{escape(story.section)}</a></p>
<h1>{escape(version.headline)}</h1>
<p class="byline">{by} <span class="author">{escape(version.author)}</span></p>
<p class="dateline">{published_label} <time datetime="{version.published}">\
{_display_date(version.published, story.language)}</time> · {updated_label} \
<time datetime="{version.updated}">{_display_date(version.updated, story.language)}</time></p>
</div>
<div class="story-body">
{paragraphs}
</div>
</article>
<div class="comments-count"><a href="#comments">{_comment_count(slug, edition)} comments</a></div>
<aside class="related"><h2>Related</h2><ul>{related}</ul></aside>
<aside class="newsletter"><h2>The Morning Ledger</h2>
<p>Get the day's Millbrook headlines in your inbox before breakfast.</p>
<form action="#newsletter"><input type="email" placeholder="you@example.com">\
<button type="submit">Sign up</button></form></aside>
<div class="ad-slot ad-mpu" aria-label="Advertisement">Advertisement · \
<a href="#advertise">{escape(_ADS[(edition + 3) % len(_ADS)])}</a></div>
</main>"""


def _served(slug: str, edition: int) -> Version:
    version = served_version(slug, edition)
    if version is None:
        raise LookupError(f"{slug} is not served in edition {edition}")
    return version


def home_article_paths(edition: int) -> list[str]:
    """Paths of the stories the home page links to in `edition`, newest first, without query."""
    return [path for slug in current_slugs(edition) if (path := article_path(slug, edition))]


def _teasers(edition: int) -> str:
    items = []
    for index, slug in enumerate(current_slugs(edition)):
        version = _served(slug, edition)
        href = article_path(slug, edition) or ""
        if (index + edition) % 2 == 0:  # tracking noise on every other teaser
            href += f"?utm_source=homepage&amp;utm_medium=teaser&amp;utm_content=e{edition}"
        section = STORIES[slug].section
        items.append(
            f'<li class="teaser" id="{_anchor(section)}-{index}"><span class="kicker">'
            f'{escape(section)}</span> <h3><a href="{href}">{escape(version.headline)}</a></h3>'
            f'<p class="standfirst">{escape(version.description)}</p>'
            f'<p class="meta">{escape(version.author)} · '
            f"{_display_date(version.published, STORIES[slug].language)}</p></li>"
        )
    return "\n".join(items)


def _render_home(edition: int) -> bytes:
    most_read = "".join(
        f'<li><a href="{article_path(slug, edition)}?utm_source=mostread">'
        f"{escape(_served(slug, edition).headline)}</a></li>"
        for slug in _rotate(current_slugs(edition), edition + 2)[:5]
    )
    main = f"""<main id="content" class="front">
<section class="top-stories"><h2>Top stories</h2>
<ul class="teasers">
{_teasers(edition)}
</ul></section>
<section class="exclusive"><h2>Exclusive</h2>
<p><a href="{PRIVATE_PATH}">Leaked: the draft budget the mayor has not published</a></p></section>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
<div class="ad-slot ad-mpu" aria-label="Advertisement">Advertisement · \
<a href="#advertise">{escape(_ADS[(edition + 1) % len(_ADS)])}</a></div>
</main>"""
    head = '<meta name="description" content="News from Millbrook and the harbour districts.">\n'
    return _skeleton(
        title=f"{SITE_NAME}: Millbrook news",
        lang="en",
        head=head,
        main=main,
        edition=edition,
        page_id="home",
    )


def _render_section(edition: int) -> bytes:
    sections: dict[str, list[str]] = {}
    for slug in current_slugs(edition):
        sections.setdefault(STORIES[slug].section, []).append(slug)
    blocks = "\n".join(
        f'<section id="{_anchor(section)}"><h2>{escape(section)}</h2><ul>'
        + "".join(
            f'<li><a href="{article_path(slug, edition)}">'
            f"{escape(_served(slug, edition).headline)}</a></li>"
            for slug in slugs
        )
        + "</ul></section>"
        for section, slugs in sorted(sections.items())
    )
    main = f'<main id="content" class="section-front"><h1>News</h1>\n{blocks}\n</main>'
    return _skeleton(
        title=f"News | {SITE_NAME}", lang="en", head="", main=main, edition=edition, page_id="news"
    )


def _render_private(edition: int) -> bytes:
    main = """<main id="content"><article><h1>DRAFT, NOT FOR PUBLICATION: 2027 budget</h1>
<p>Internal working draft. Figures are provisional and must not be quoted.</p></article></main>"""
    head = '<meta name="robots" content="noindex, nofollow">\n'
    return _skeleton(
        title="Draft budget", lang="en", head=head, main=main, edition=edition, page_id="private"
    )


def _render_not_found(edition: int) -> bytes:
    main = """<main id="content" class="error"><h1>Page not found</h1>
<p>The page you were looking for has moved or no longer exists.
Try the <a href="/">front page</a> or the <a href="/news/">news section</a>.</p></main>"""
    return _skeleton(
        title=f"Page not found | {SITE_NAME}",
        lang="en",
        head="",
        main=main,
        edition=edition,
        page_id="404",
    )


def _render_feed(edition: int, base_url: str) -> bytes:
    items = []
    for slug in current_slugs(edition):
        version = _served(slug, edition)
        link = base_url + (article_path(slug, edition) or "")
        published = datetime.fromisoformat(version.published)
        items.append(
            f"<item><title>{escape(version.headline)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">millbrook-ledger:{slug}</guid>'
            f"<pubDate>{http_date(published)}</pubDate>"
            f"<category>{escape(STORIES[slug].section)}</category>"
            f"<description>{escape(version.description)}</description></item>"
        )
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{SITE_NAME}</title>
<link>{base_url}/</link>
<description>News from Millbrook and the harbour districts.</description>
<language>en</language>
<lastBuildDate>{http_date(edition_time(edition))}</lastBuildDate>
<atom:link href="{base_url}/feed.xml" rel="self" type="application/rss+xml"/>
{body}
</channel>
</rss>
""".encode()


def _render_sitemap(edition: int, base_url: str) -> bytes:
    urls = "\n".join(
        f"<url><loc>{base_url}{article_path(slug, edition)}</loc>"
        f"<lastmod>{_served(slug, edition).updated}</lastmod></url>"
        for slug in current_slugs(edition)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
""".encode()


def _robots(base_url: str) -> bytes:
    return f"User-agent: *\nDisallow: /private/\n\nSitemap: {base_url}/sitemap.xml\n".encode()


def _article_routes(edition: int) -> dict[str, str | tuple[str, str, Version]]:
    """Article paths of `edition`: a redirect's target path, or (story, served slug, version)."""
    routes: dict[str, str | tuple[str, str, Version]] = {}
    for slug in SLUGS:
        state = story_state(slug, edition)
        if isinstance(state, Version):
            routes[slug_path(slug)] = (slug, slug, state)
        elif isinstance(state, Redirected):
            routes[slug_path(state.to_slug)] = (slug, state.to_slug, state.version)
            routes[slug_path(slug)] = slug_path(state.to_slug)
    return routes


@lru_cache(maxsize=2048)
def render_page(path: str, edition: int, base_url: str) -> Page:
    """The response for `path` (no query string) in `edition`; pure and deterministic."""
    if path == "/":
        return Page(200, _render_home(edition), HTML)
    if path == "/news/":
        return Page(200, _render_section(edition), HTML)
    if path == "/news":
        return _redirect(base_url + "/news/")
    if path == "/robots.txt":
        return Page(200, _robots(base_url), "text/plain; charset=utf-8")
    if path == "/feed.xml":
        return Page(200, _render_feed(edition, base_url), "application/rss+xml; charset=utf-8")
    if path == "/sitemap.xml":
        return Page(200, _render_sitemap(edition, base_url), "application/xml; charset=utf-8")
    if path == PRIVATE_PATH:
        return Page(200, _render_private(edition), HTML)
    route = _article_routes(edition).get(path)
    if isinstance(route, str):
        return _redirect(base_url + route)
    if route is not None:
        slug, served_slug, version = route
        if edition >= TEMPLATE_EDITION:
            # imported here: the changed template is built from this module's parts
            from monitor.demo.template import render_template_changed_article as render
        elif REDESIGN_EDITION <= edition < TEMPLATE_BASE_EDITION:
            # imported here: the redesign's template is built from this module's parts
            from monitor.demo.redesign import render_redesigned_article as render
        else:
            render = _render_article
        return Page(200, render(slug, served_slug, version, edition, base_url), HTML)
    return Page(404, _render_not_found(edition), HTML)


def _redirect(location: str) -> Page:
    body = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Moved</title></head>'
        f'<body><p>This page has moved to <a href="{escape(location)}">{escape(location)}</a>.'
        f"</p></body></html>\n"
    )
    return Page(301, body.encode(), HTML, location=location)


def last_modified(path: str, edition: int, base_url: str) -> datetime:
    """The time of the earliest edition since which the page at `path` is byte-identical."""
    page = render_page(path, edition, base_url)
    first = edition
    while first > 1 and render_page(path, first - 1, base_url) == page:
        first -= 1
    return edition_time(first)


def etag(body: bytes) -> str:
    """A strong entity tag: the quoted start of the body's SHA-256."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def is_not_modified(
    if_none_match: str | None, if_modified_since: str | None, tag: str, modified: datetime
) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        candidates = [candidate.strip() for candidate in if_none_match.split(",")]
        return "*" in candidates or any(c.removeprefix("W/") == tag for c in candidates)
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return since >= modified
