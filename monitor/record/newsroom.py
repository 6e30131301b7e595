"""Decide what a check's headline variants and live posts mean, before anything is written.

Pure: the store's plain values (runs of each field, stored posts, whether the page is known
live, when it was last checked), what the page shows now (headline, standfirst, live page) and
the edits of the version comparison go in; the edits to report instead and the rows to write
(`store.newsroom.NewsroomWrites`) come out.

- Headline and standfirst (`monitor.compare.variants`): a flip among a test's variants removes
  the headline edit (and the `reverted` it causes); the first return to a recent wording
  becomes one `headline_test_started` event; a test that went quiet or met a new wording
  becomes one `headline_test_ended` event. The standfirst a page shows is a body line (since
  extraction revision 8): its edits are reported as the body's, except a flip among its test's
  variants, which is dropped like the headline's (`_standfirst_edits`).
- Live pages (`monitor.extract.liveblog`, `monitor.compare.posts`): the body's edits are
  replaced by the posts' story: a `live_post_added` per new post (never significant), and the
  usual kinds for a post changed or deleted after it was published, named with its time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from monitor.compare.edit import Edit, make_edit
from monitor.compare.posts import compare_posts, post_label
from monitor.compare.variants import (
    FLIP,
    TEST_STARTED,
    UNCHANGED,
    Run,
    Test,
    VariantDecision,
    decide_variant,
)
from monitor.extract.article import Article
from monitor.extract.liveblog import SIGNAL_JSON_LD, LivePage, Post, growth, is_live
from monitor.store.newsroom import NewsroomWrites, PostWrites, TestWrite

# Edits of these fields are the article's own text changing (not its headline or its life).
TEXT_FIELDS = frozenset({"body", "byline"})
# How a field is named in an event.
LABELS = {"title": "headline", "standfirst": "standfirst"}
# Without a JSON-LD declaration, a page is live only if at least this share of its posts is in the
# extracted text (probed by their first characters): a growing comment thread beside an article
# is not a live blog, and taking it for one would hide the article's own edits.
POSTS_IN_BODY_SHARE = 0.5
POST_PROBE_CHARS = 80
# A new post's edit quotes the start of the post, this long.
POST_EXCERPT_CHARS = 300


@dataclass(frozen=True)
class NewsroomKnown:
    """What the store knows before this check."""

    runs: Mapping[str, Sequence[Run]] = field(default_factory=dict)  # per field, oldest first
    posts: Sequence[Post] = ()  # the live page's posts as last seen
    live: bool = False  # the article is already known to be a live page
    growths: int = 0  # earlier checks that added posts (a page with timed posts, not yet live)
    previous_check: datetime | None = None


@dataclass(frozen=True)
class NewsroomSeen:
    """What the page shows now."""

    title: str = ""
    standfirst: str = ""
    live_page: LivePage | None = None
    body: str = ""  # the extracted text (a live page's posts must be in it)
    # The body lines the extraction shows as the standfirst (role `standfirst`), in the latest
    # version and in this one: only an edit on one of them is a standfirst's edit (a lede whose
    # words the page's description repeats is the article's text).
    standfirst_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewsroomDecision:
    edits: tuple[Edit, ...]  # what to report instead of the comparison's edits
    writes: NewsroomWrites
    # The page differs from the latest version only by a known variant: nothing to report and
    # no version to store (the wording is recorded as a run).
    variant_only: bool = False
    reason: str = ""
    # A `reverted` event among the edits given is kept (False: the revert was a flip back).
    keeps_revert: bool = True


def _variants_text(test: Test) -> str:
    return " / ".join(
        f"“{v.text}” (first {v.first_seen:%H:%M}, last {v.last_seen:%H:%M}, {v.times}×)"
        for v in test.variants
    )


def test_started_edit(field_name: str, test: Test) -> Edit:
    """ "headline test: 2 variants since 14:02", with every variant and when it was seen."""
    label = LABELS[field_name]
    return make_edit(
        "headline_test_started",
        field_name,
        new=f"{test.describe(label)}: {_variants_text(test)}",
        extra=(test.describe(label),),
    )


def test_ended_edit(field_name: str, test: Test, ended_on: str, settled: bool) -> Edit:
    label = LABELS[field_name]
    why = "settled on one of its variants" if settled else "ended on a wording never in the test"
    return make_edit(
        "headline_test_ended",
        field_name,
        old=f"{test.describe(label)}: {_variants_text(test)}",
        new=ended_on,
        extra=(why,),
    )


def _field_writes(
    field_name: str,
    runs: Sequence[Run],
    decision: VariantDecision,
    now: datetime,
    with_body: bool,
) -> tuple[list[tuple[str, Run]], list[TestWrite]]:
    new_runs: list[tuple[str, Run]] = []
    if decision.outcome != UNCHANGED or not runs:
        new_runs.append((field_name, Run(decision.wording, now, with_body)))
    tests: list[TestWrite] = []
    if decision.ended is not None:
        settled = decision.outcome in (UNCHANGED, FLIP)
        tests.append(
            TestWrite(
                field_name,
                "end",
                decision.ended,
                decision.wording,
                "settled" if settled else "new wording",
            )
        )
    if decision.outcome == TEST_STARTED and decision.test is not None:
        tests.append(TestWrite(field_name, "start", decision.test))
    elif decision.outcome == FLIP and decision.test is not None:
        tests.append(TestWrite(field_name, "update", decision.test))
    return new_runs, tests


def _field_events(field_name: str, decision: VariantDecision) -> list[Edit]:
    events = []
    if decision.ended is not None:
        settled = decision.outcome in (UNCHANGED, FLIP)
        events.append(test_ended_edit(field_name, decision.ended, decision.wording, settled))
    if decision.outcome == TEST_STARTED and decision.test is not None:
        events.append(test_started_edit(field_name, decision.test))
    return events


def _merge_events(title_events: list[Edit], standfirst_events: list[Edit]) -> list[Edit]:
    """A standfirst tested together with the headline is one test: its start (or end) is a
    reason of the headline's event, not a second event."""
    merged = list(title_events)
    for event in standfirst_events:
        twin = next((i for i, e in enumerate(merged) if e.kind == event.kind), None)
        if twin is None:
            merged.append(event)
        else:
            reasons = (*merged[twin].reasons, f"with the standfirst: {event.new or event.old}")
            merged[twin] = replace(merged[twin], reasons=reasons)
    return merged


def _added_edit(post: Post) -> Edit:
    text = post.text if len(post.text) <= POST_EXCERPT_CHARS else post.text[:POST_EXCERPT_CHARS]
    return make_edit(
        "live_post_added", "body", new=text, new_sentence=text, extra=(post_label(post),)
    )


def _posts_are_the_story(page: LivePage, body: str) -> bool:
    """Most posts are in the article's extracted text: the posts are what the page is about, not
    a comment thread or a list of related stories beside it."""
    text = " ".join(body.split())
    inside = sum(" ".join(post.text.split())[:POST_PROBE_CHARS] in text for post in page.posts)
    return inside >= POSTS_IN_BODY_SHARE * len(page.posts)


def _is_live(page: LivePage, known: NewsroomKnown, body: str) -> bool:
    """Live by the page's own declaration (JSON-LD), by an earlier check, or by its other
    signals (a badge, a live URL, timed posts that grew at one end at `MIN_GROWTHS` checks,
    this one included) when its posts are the article's text."""
    if not page.posts:
        return False
    if SIGNAL_JSON_LD in page.signals or known.live:
        return True
    if body and not _posts_are_the_story(page, body):
        return False
    if page.is_live:
        return True
    grew = bool(known.posts) and bool(
        growth([p.key for p in known.posts], [p.key for p in page.posts])
    )
    return is_live(page, known.growths + int(grew))


@dataclass(frozen=True)
class _VariantOutcome:
    """What the headline and standfirst wordings decided: runs and tests to write, events to
    report, and the headline's own decision (None: the page has no headline)."""

    runs: tuple[tuple[str, Run], ...]
    tests: tuple[TestWrite, ...]
    events: tuple[Edit, ...]
    title: VariantDecision | None
    standfirst: VariantDecision | None = None


@dataclass(frozen=True)
class _PostOutcome:
    """What the live page's posts decided: the edits kept and the posts to write."""

    kept: tuple[Edit, ...]
    posts: PostWrites | None
    live: bool


def _decide_variants(
    known: NewsroomKnown,
    seen: NewsroomSeen,
    now: datetime,
    first_sight: bool,
    with_body: bool,
) -> _VariantOutcome:
    runs: list[tuple[str, Run]] = []
    tests: list[TestWrite] = []
    events: list[Edit] = []
    title_decision: VariantDecision | None = None
    standfirst_decision: VariantDecision | None = None
    for field_name, wording in (("title", seen.title), ("standfirst", seen.standfirst)):
        if not wording:
            continue
        history = known.runs.get(field_name, ())
        decision = decide_variant(history, wording, now, known.previous_check, with_body)
        new_runs, field_tests = _field_writes(field_name, history, decision, now, with_body)
        runs += new_runs
        tests += field_tests
        if not first_sight:
            events = _merge_events(events, _field_events(field_name, decision))
        if field_name == "title":
            title_decision = decision
        else:
            standfirst_decision = decision
    return _VariantOutcome(
        tuple(runs), tuple(tests), tuple(events), title_decision, standfirst_decision
    )


def _drop_known_headline(
    edits: Sequence[Edit],
    title: VariantDecision | None,
    standfirst: VariantDecision | None = None,
    in_standfirst: Sequence[Edit] = (),
) -> list[Edit]:
    """A known wording: its headline edit (or its standfirst's body edits), and the revert a
    flip back makes, are not news."""
    kept = list(edits)
    if title is not None and title.outcome in _KNOWN:
        kept = [e for e in kept if e.field != "title"]
        if title.outcome != UNCHANGED:
            kept = [e for e in kept if e.kind != "reverted"]
    if standfirst is not None and standfirst.outcome in _KNOWN and in_standfirst:
        kept = [e for e in kept if e not in in_standfirst]
    return kept


_KNOWN = (UNCHANGED, FLIP, TEST_STARTED)
# A body edit's sentence this short (in word characters) is not told apart from the rest of the
# body by being in a standfirst wording ("He said." could be anywhere).
MIN_STANDFIRST_SENTENCE = 20
_WORD = re.compile(r"\w+")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def standfirst_edits(
    edits: Sequence[Edit], wordings: Sequence[str], lines: Sequence[str]
) -> list[Edit]:
    """The body edits whose sentence, on each side, lies within one of the standfirst's
    wordings and within a body line shown as the standfirst (`extract.standfirst`)."""
    keys = [_words(wording) for wording in wordings if wording]
    shown = [_words(line) for line in lines if line]
    if not keys or not shown:
        return []
    found = []
    for edit in edits:
        sides = [_words(t) for t in (edit.old_sentence or edit.old, edit.new_sentence or edit.new)]
        sides = [side for side in sides if side]
        if (
            edit.field == "body"
            and sides
            and all(
                len(side) >= MIN_STANDFIRST_SENTENCE
                and any(side in key for key in keys)
                and any(side in line for line in shown)
                for side in sides
            )
        ):
            found.append(edit)
    return found


def standfirst_lines(*articles: Article) -> tuple[str, ...]:
    """The body lines shown as the standfirst (role `standfirst`) in these versions."""
    return tuple(
        line
        for article in articles
        for line, role in zip(article.body.split("\n"), article.roles, strict=False)
        if role == "standfirst"
    )


def _decide_posts(
    known: NewsroomKnown,
    page: LivePage | None,
    is_live_page: bool,
    kept: list[Edit],
    first_sight: bool,
) -> _PostOutcome:
    """A live page's body edits are replaced by its posts' story; timed posts on a page not yet
    live are kept to watch it grow."""
    if page is None:
        return _PostOutcome(tuple(kept), None, False)
    if not is_live_page:
        # Timed posts but no other sign yet: the posts are kept to watch the page grow.
        posts = PostWrites(shown=page.posts) if page.posts else None
        return _PostOutcome(tuple(kept), posts, False)
    live = not known.live
    if not known.posts or first_sight:
        return _PostOutcome(tuple(kept), PostWrites(shown=page.posts), live)
    comparison = compare_posts(known.posts, page.posts)
    kept = [e for e in kept if e.field != "body"]
    kept += [_added_edit(post) for post in comparison.added]
    kept += comparison.edits()
    posts = PostWrites(
        shown=page.posts,
        changed=tuple(c.old.key for c in comparison.changed),
        deleted=tuple(c.old.key for c in comparison.deleted),
        paged_out=tuple(p.key for p in comparison.paged_out),
    )
    return _PostOutcome(tuple(kept), posts, live)


def _variant_only_reason(title: VariantDecision | None, posts: PostWrites | None) -> str:
    """Why a check that differs only by a known variant stores no version."""
    test = title.test if title is not None else None
    if test is not None:
        return f"headline variant ({test.describe()})"
    if posts is not None:
        return "live page: no post added, changed or deleted"
    return "known headline wording"


def decide_newsroom(
    known: NewsroomKnown,
    seen: NewsroomSeen,
    edits: Sequence[Edit],
    now: datetime,
    first_sight: bool = False,
) -> NewsroomDecision:
    """The edits to report for this check and what to write about variants and posts.

    `edits` are the comparison's edits from the latest version (lifecycle events included);
    `first_sight` is a page seen for the first time (runs and posts are only recorded)."""
    page = seen.live_page
    is_live_page = page is not None and _is_live(page, known, seen.body)
    # The article's own text changed too: a headline going back with it is a revert of the
    # whole article, not a test (a live page's text changes all the time: never counted).
    wordings = [seen.standfirst, *(run.text for run in known.runs.get("standfirst", ()))]
    in_standfirst = standfirst_edits(edits, wordings, seen.standfirst_lines)
    with_body = not is_live_page and any(
        e.field in TEXT_FIELDS and e not in in_standfirst for e in edits
    )
    variants = _decide_variants(known, seen, now, first_sight, with_body)
    kept = _drop_known_headline(edits, variants.title, variants.standfirst, in_standfirst)
    story = _decide_posts(known, page, is_live_page, kept, first_sight)
    reported = variants.events + story.kept
    variant_only = bool(edits) and not reported
    return NewsroomDecision(
        edits=reported,
        writes=NewsroomWrites(
            runs=variants.runs, tests=variants.tests, live=story.live, posts=story.posts
        ),
        variant_only=variant_only,
        reason=_variant_only_reason(variants.title, story.posts) if variant_only else "",
        keeps_revert=any(e.kind == "reverted" for e in reported),
    )
