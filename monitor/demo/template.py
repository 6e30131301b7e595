"""The demo news site's template change (editions from `articles.TEMPLATE_EDITION`): every article
page changes template at once, the way a site's redesign of its article template reaches every
story in one deploy. Built on the site's first article template (`pages._render_article`):

- a site-name suffix on the title ("… | The Millbrook Ledger" in og:title and <title>);
- a reporter role on the byline ("Felix Adeyemi; Local Reporter");
- "(opens in a new tab)" inside an in-body link of the second paragraph;
- a "Most read" rail and a newsletter box inside the article body;
- a share counter inside the first paragraph.

Among them the newsroom makes one real edit (`articles.TEMPLATE_EDITS`). Pure rendering."""

from __future__ import annotations

from html import escape

from monitor.demo.articles import STORIES, Version, current_slugs, slug_path
from monitor.demo.pages import (
    SITE_NAME,
    _article_head,
    _article_main,
    _skeleton,
    _token,
    story_links,
)

MOST_READ = 4  # stories in the "Most read" rail: the site's newest, the same on every article
MOST_READ_AFTER = 3  # paragraphs before the rail inside the article body
NEWSLETTER_AFTER = 5  # paragraphs before the newsletter box inside the article body
LINKED_WORDS = 4  # the in-body link's label: the second paragraph's first words


def _role(slug: str) -> str:
    return f"{STORIES[slug].section} Reporter"


def _shares(slug: str) -> int:
    """A share counter that differs per story (87, 1,204 ...)."""
    return int(_token("shares", slug), 16) % 2000 + 12


def _templated(version: Version, slug: str) -> Version:
    """The story's paragraphs as the new template prints them: the share counter and the link
    label are inside the text."""
    first, second, *rest = version.paragraphs
    words = second.split(" ")
    linked = " ".join(words[:LINKED_WORDS])
    second = (
        f'<a href="#source" target="_blank">{escape(linked, quote=False)}'
        '<span class="visually-hidden"> (opens in a new tab)</span></a> '
        + escape(" ".join(words[LINKED_WORDS:]), quote=False)
    )
    first = f'<span class="share-count">{_shares(slug):,} shares</span> ' + escape(
        first, quote=False
    )
    return Version(
        headline=version.headline,
        author=version.author,
        published=version.published,
        updated=version.updated,
        description=version.description,
        paragraphs=(first, second, *(escape(p, quote=False) for p in rest)),
    )


def _blocks(slug: str, version: Version, edition: int) -> str:
    blocks = [f"<p>{text}</p>" for text in _templated(version, slug).paragraphs]
    most_read = story_links(current_slugs(edition)[:MOST_READ], edition)
    blocks.insert(
        min(MOST_READ_AFTER, len(blocks)),
        f'<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>',
    )
    blocks.insert(
        min(NEWSLETTER_AFTER + 1, len(blocks)),
        '<div class="newsletter-inline"><p>Sign up to The Morning Ledger newsletter: the day\'s '
        "Millbrook headlines in your inbox before breakfast, free every weekday.</p></div>",
    )
    return "\n".join(blocks)


def render_template_changed_article(
    slug: str, served_slug: str, version: Version, edition: int, base_url: str
) -> bytes:
    """An article page in the changed template (see the module's docstring)."""
    canonical = base_url + slug_path(served_slug)
    role = _role(slug)
    head = _article_head(slug, version, canonical)
    head = head.replace(
        f'<meta property="og:title" content="{escape(version.headline)}">',
        f'<meta property="og:title" content="{escape(version.headline)} | {SITE_NAME}">',
    ).replace(
        f'<meta name="author" content="{escape(version.author)}">',
        f'<meta name="author" content="{escape(version.author)}; {escape(role)}">',
    )
    main = _article_main(slug, version, edition)
    body_start, body_end = main.index('<div class="story-body">'), main.index("</div>\n</article>")
    main = (
        main[:body_start]
        + f'<div class="story-body">\n{_blocks(slug, version, edition)}\n'
        + main[body_end:]
    ).replace(
        f'<span class="author">{escape(version.author)}</span>',
        f'<span class="author">{escape(version.author)}</span>; '
        f'<span class="role">{escape(role)}</span>',
    )
    return _skeleton(
        title=f"{version.headline} | {SITE_NAME}",
        lang=STORIES[slug].language,
        head=head,
        main=main,
        edition=edition,
        page_id=slug,
    )
