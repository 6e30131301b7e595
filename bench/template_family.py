"""A second family of site template changes for `bench.site_template --family second`, written
before Redline was run on any of them, to test the claim "a template change over a round raises
no alarm on untouched articles, an edit on one article (or a site-wide editorial act) is still
reported" on changes other than the issue's own.

Each kind is what real news sites do when they redesign article pages: a line the template now
writes (an "Updated" line, "4 min read", an audio widget, ad labels, an author bio, a read-more
teaser, a syndication line, a share strip, a subscription or cookie nag, a pull quote), or a
format the template writes differently on the old and the new page (the title's separator or the
site name's place, a byline's "By X" → "X, Staff Writer", a photo credit "Photograph: X" →
"X/Getty Images", a dateline). Several languages. Each kind is a function of the page's tree,
its article element, the side ("old": the page as first recorded, "new": the page in the new
template) and the article's context (its position, the siblings' headlines, a seeded random).

Rollout shapes (`SHAPES`) use the content kinds: the new template on half of the articles this
round and the rest next round; a small site of three watched articles; two sections of one site
with different templates (4 and 8 articles); a template change in the same round as a site-wide
correction note, or as the same name corrected in every story.

Kinds and shapes are split into development and held-out by the SHA-1 of their name
(`kind_split`), fixed before any run: tune on development kinds only; the held-out kinds are run
once at the end. Pure functions over lxml trees; choices come from the seeded random given.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement, fragment_fromstring

SITE_NAME = "The Daily Example"
STAFF = ("Anna Berg", "Tomás Ruiz", "Priya Nair", "Oliver Grant", "Mei Chen", "Samuel Okoro")
CITIES = ("LONDON", "WASHINGTON", "BERLIN", "NAIROBI", "SYDNEY", "TORONTO")
TOPICS = ("Politics", "Economy", "Europe", "Health", "Climate", "Courts", "Education", "Transport")
# The stories of the "same name corrected in all" shape: one sentence of each story names the
# same councillor, each about something else (no two lines alike).
SUBJECTS = (
    "the budget for the coming year",
    "the new school on the hill",
    "the delayed bridge repairs",
    "the library's opening hours",
    "a ban on cars near the market",
    "the harbour dredging contract",
    "the housing plan for the east side",
    "parking fees in the old town",
    "the closure of the swimming pool",
    "a tram line to the airport",
    "the winter shelter for rough sleepers",
    "street lighting in the suburbs",
)
CORRECTION = (
    "Correction: An earlier version of this article gave the wrong date for the council "
    "meeting. It was held on Tuesday, not Monday."
)


@dataclass(frozen=True)
class Context:
    """What a kind may use of the article: its position among the site's articles, the other
    articles' headlines, and its own random (seeded by kind and position, the same on both
    sides, so an old page's credit names the same photographer as the new page's)."""

    index: int
    titles: tuple[str, ...]
    seed: int

    def rng(self) -> random.Random:
        return random.Random(self.seed)

    def sibling(self) -> str:
        others = [t for n, t in enumerate(self.titles) if n != self.index and t]
        return others[self.index % len(others)] if others else "Council approves the budget"


Apply = Callable[[HtmlElement, HtmlElement, str, Context], None]


# --- helpers -------------------------------------------------------------------------------------
# The attribute the caller sets on the paragraphs the extraction took as the article's body (and
# takes off after): the template's lines go among them, not into a caption or a related box.
BODY_MARK = "data-bench-body"
# Paragraphs inside these are no place for the template's lines: a caption, a promo box, a list.
_ASIDE = frozenset({"figure", "figcaption", "aside", "nav", "footer", "header", "li", "blockquote"})


def _paragraphs(element: HtmlElement) -> list[HtmlElement]:
    """The article's own paragraphs: those the extraction took as its body (marked `BODY_MARK`
    by the caller), else those outside a caption, box or list, else any with text."""
    texted = [p for p in element.iter("p") if (p.text_content() or "").strip()]
    marked = [p for p in texted if p.get(BODY_MARK) is not None]
    if marked:
        return marked
    found = []
    for p in texted:
        inside = set()
        for ancestor in p.iterancestors():
            if ancestor is element:
                break
            inside.add(ancestor.tag)
        if not inside & _ASIDE:
            found.append(p)
    return found or texted


def _at_top(element: HtmlElement, html: str) -> None:
    paragraphs = _paragraphs(element)
    node = fragment_fromstring(html)
    if paragraphs:
        paragraphs[0].addprevious(node)
    else:
        element.insert(0, node)


def _after(element: HtmlElement, position: int, html: str) -> None:
    paragraphs = _paragraphs(element)
    node = fragment_fromstring(html)
    if paragraphs:
        paragraphs[min(position, len(paragraphs) - 1)].addnext(node)
    else:
        element.append(node)


def _at_end(element: HtmlElement, html: str) -> None:
    _after(element, 10_000, html)


def _titles(tree: HtmlElement, rewrite: Callable[[str], str]) -> None:
    for node in tree.iter("title"):
        node.text = rewrite((node.text_content() or "").strip())
        for child in list(node):
            node.remove(child)
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in ("og:title", "twitter:title"):
            meta.set("content", rewrite((meta.get("content") or "").strip()))


def _byline(tree: HtmlElement, rewrite: Callable[[str], str]) -> None:
    """The first element whose class says byline or author, and the author meta, rewritten."""
    for node in tree.iter():
        if isinstance(node.tag, str) and any(
            word in (node.get("class") or "").lower() for word in ("byline", "author")
        ):
            text = " ".join((node.text_content() or "").split())
            if text and len(text) < 80:
                for child in list(node):
                    node.remove(child)
                node.text = rewrite(text)
                break
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key == "author" and meta.get("content"):
            meta.set("content", rewrite(meta.get("content") or ""))


def _name_of(byline: str) -> str:
    text = byline.strip()
    for lead in ("By ", "by ", "BY "):
        if text.startswith(lead):
            text = text[len(lead) :]
    return text.split(",")[0].strip() or text


# --- the kinds -------------------------------------------------------------------------------
def updated_line(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        hour = ctx.rng().randint(6, 22)
        _at_top(element, f"<p class='updated'>Updated 8 December 2026, {hour}:05 GMT</p>")


def updated_line_de(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        hour = ctx.rng().randint(6, 22)
        _at_top(element, f"<p class='meta'>Aktualisiert am 8. Dezember 2026, {hour}:12 Uhr</p>")


def reading_time(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _at_top(element, f"<p class='reading-time'>{ctx.rng().randint(2, 12)} min read</p>")


def listen_widget(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        minutes = ctx.rng().randint(2, 9)
        _at_top(
            element,
            f"<div class='audio'><p>Listen to this article · {minutes}:{ctx.index:02d} min</p>"
            "<p>Audio generated by AudioVoice</p></div>",
        )


def listen_widget_fr(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _at_top(
            element,
            f"<div class='audio'><p>Écouter cet article ({ctx.rng().randint(2, 9)} min)</p></div>",
        )


def author_bio(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        name = STAFF[ctx.index % len(STAFF)]
        beat = TOPICS[ctx.index % len(TOPICS)].lower()
        _at_end(
            element,
            f"<div class='bio'><p>{name} is a reporter for {SITE_NAME} covering {beat}. "
            f"Follow {name.split()[0]} on X.</p></div>",
        )


def ad_labels_de(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        for position in (5, 2):
            _after(element, position, "<div class='ad'><p>Anzeige</p></div>")


def ad_slot_en(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        for position in (6, 3):
            _after(
                element, position, "<div class='ad'><p>ADVERTISEMENT - SCROLL TO CONTINUE</p></div>"
            )


def photo_credit(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    name = STAFF[(ctx.index + 2) % len(STAFF)]
    credit = f"Photograph: {name}" if side == "old" else f"{name}/Getty Images"
    _after(
        element,
        0,
        f"<figure><img src='/photo-{ctx.index}.jpg' alt=''><p class='credit'>{credit}</p></figure>",
    )


def title_separator(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    separator = " | " if side == "old" else " - "
    _titles(tree, lambda title: f"{title}{separator}{SITE_NAME}")


def title_site_first(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    _titles(
        tree,
        lambda title: f"{title} | {SITE_NAME}" if side == "old" else f"{SITE_NAME}: {title}",
    )


def byline_staff_writer(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    _byline(
        tree,
        lambda text: f"By {_name_of(text)}" if side == "old" else f"{_name_of(text)}, Staff Writer",
    )


def read_more_en(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _after(
            element,
            1,
            f"<p class='inline-teaser'>Read more: <a href='/story-x'>{ctx.sibling()}</a></p>",
        )


def read_more_es(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _after(element, 2, f"<p><strong>Lee también:</strong> <a href='/x'>{ctx.sibling()}</a></p>")


def syndication_line(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _at_end(
            element,
            "<p class='syndication'><em>This article originally appeared on The Conversation, "
            "an independent source of news and views.</em></p>",
        )


def share_strip(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _at_end(
            element,
            "<div class='share'><p>Share this article</p>"
            f"<p>{ctx.rng().randint(0, 400)} comments</p></div>",
        )


def subscription_nag(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _after(
            element,
            3,
            f"<div class='paywall-nag'><p>You have {ctx.rng().randint(1, 4)} free articles left "
            "this month. Subscribe now for unlimited access.</p></div>",
        )


def cookie_nag_fr(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        _at_top(
            element,
            "<div class='consent'><p>Nous utilisons des cookies pour améliorer votre expérience. "
            "En poursuivant votre navigation, vous acceptez leur utilisation.</p></div>",
        )


def dateline(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    paragraphs = _paragraphs(element)
    if not paragraphs:
        return
    city = CITIES[ctx.index % len(CITIES)]
    first = paragraphs[0]
    lead = f"{city} — " if side == "old" else f"{city}, Dec. {ctx.index + 1} (DE) — "
    first.text = lead + (first.text or "")


def topics_tags(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        tags = ctx.rng().sample(TOPICS, 3)
        _at_end(element, f"<p class='tags'>Topics: {', '.join(tags)}</p>")


def video_teaser(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    if side == "new":
        seconds = ctx.rng().randint(10, 59)
        _after(element, 2, f"<p class='video'>Watch: {ctx.sibling()} (2:{seconds})</p>")


def pull_quote(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
    """A sentence of the story repeated large in the middle of it."""
    if side != "new":
        return
    paragraphs = _paragraphs(element)
    if len(paragraphs) < 3:
        return
    text = " ".join(paragraphs[1].text_content().split())
    sentence = text.split(". ")[0].rstrip(".") + "."
    if len(sentence.split()) >= 6:
        node = fragment_fromstring("<blockquote class='pullquote'><p></p></blockquote>")
        node[0].text = sentence
        paragraphs[min(3, len(paragraphs) - 1)].addnext(node)


KINDS: dict[str, tuple[str, Apply]] = {  # name → (language, transform)
    "updated_line": ("en", updated_line),
    "updated_line_de": ("de", updated_line_de),
    "reading_time": ("en", reading_time),
    "listen_widget": ("en", listen_widget),
    "listen_widget_fr": ("fr", listen_widget_fr),
    "author_bio": ("en", author_bio),
    "ad_labels_de": ("de", ad_labels_de),
    "ad_slot_en": ("en", ad_slot_en),
    "photo_credit": ("en", photo_credit),
    "title_separator": ("en", title_separator),
    "title_site_first": ("en", title_site_first),
    "byline_staff_writer": ("en", byline_staff_writer),
    "read_more_en": ("en", read_more_en),
    "read_more_es": ("es", read_more_es),
    "syndication_line": ("en", syndication_line),
    "share_strip": ("en", share_strip),
    "subscription_nag": ("en", subscription_nag),
    "cookie_nag_fr": ("fr", cookie_nag_fr),
    "dateline": ("en", dateline),
    "topics_tags": ("en", topics_tags),
    "video_teaser": ("en", video_teaser),
    "pull_quote": ("en", pull_quote),
}

# Rollout shapes: how the template reaches the site's articles (see `bench.site_template`).
SHAPES = ("half_rollout", "small_site", "two_sections", "with_correction", "with_name_fix")


def kind_split(name: str) -> str:
    """Fixed before any run: the SHA-1 of the kind's (or shape's) name, first byte even →
    development, odd → held-out."""
    return ("development", "held-out")[hashlib.sha1(name.encode()).digest()[0] % 2]


def kinds_of(split: str) -> list[str]:
    return [name for name in KINDS if split == "all" or kind_split(name) == split]


def shapes_of(split: str) -> list[str]:
    return [name for name in SHAPES if split == "all" or kind_split(name) == split]


def transform(names: tuple[str, ...]) -> Apply:
    """The kinds named, applied one after the other."""

    def apply(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
        for name in names:
            KINDS[name][1](tree, element, side, ctx)

    return apply


def editorial(shape: str) -> Apply | None:
    """The site-wide editorial act a shape adds to every article with the template (None: none):
    the same correction note appended, or the same name corrected in a sentence of each story."""
    if shape == "with_correction":

        def correct(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
            if side == "new":
                _at_end(element, f"<p class='correction'><em>{CORRECTION}</em></p>")

        return correct
    if shape == "with_name_fix":

        def rename(tree: HtmlElement, element: HtmlElement, side: str, ctx: Context) -> None:
            name = "Jon Smyth" if side == "old" else "Jon Smith"
            subject = SUBJECTS[ctx.index % len(SUBJECTS)]
            node = fragment_fromstring("<p></p>")
            node.text = f"Councillor {name} said that {subject} would be decided next month."
            paragraphs = _paragraphs(element)
            if paragraphs:
                paragraphs[min(1, len(paragraphs) - 1)].addnext(node)

        return rename
    return None
