"""Site memory: what a site prints on many of its articles, remembered as Redline records them.

Per site, a fingerprint of each body line of the recorded versions (its words, case folded,
digits read as one digit, hashed), the articles it was seen on (up to `KEPT_ARTICLES`) and when it
was last seen; and the affixes of the titles ("… | Site Name", "Site - …"). A line found on at
least `FURNITURE_ARTICLES` other articles of the site is furniture whatever the extraction says:
an edit confined to such lines is recorded, not significant, with the reason. Title affixes the
site's titles share let a headline edit that only adds or drops one read as furniture too.

Pure functions over plain values; `monitor.store.sitememory` reads and writes the `site_lines`
table. Bounded: at most `PAGE_LINES` lines of a page are remembered or looked up, and the store
keeps at most `SITE_LINES` lines per site (the least recently seen go first).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from monitor.compare.edit import Edit, weigh_down
from monitor.compare.normalize import body_paragraphs, compact_key, normalize_text
from monitor.extract.article import Article
from monitor.lexicon import CORRECTION_NOTE

# A line on three other articles of the site is the site's, not this story's: a follow-up may
# quote one sentence of an earlier story (two articles), a newsletter pitch, a "most read" entry
# or a standard disclaimer is on every article. Three keeps the follow-up reported.
FURNITURE_ARTICLES = 3
# The articles remembered per line: enough to count past the threshold with this article aside.
KEPT_ARTICLES = FURNITURE_ARTICLES + 2
# Lines read per page (remembered or looked up): a 300-paragraph page is far past any article,
# and the time per page stays bounded.
PAGE_LINES = 300
# Lines kept per site: a site's furniture is a few hundred lines; 5,000 covers many templates and
# sections. Past it, the least recently seen lines are forgotten first.
SITE_LINES = 5000
# A line shorter than this (letters and digits) is no evidence: "Share", "Advertisement" are
# already noise lines (`normalize.is_noise_paragraph`).
MIN_LINE_CHARS = 12
# A body line that is another article's headline on the site is a link to that story (a "Most
# read" rail, a related-stories box the extraction took in): one other article is enough, a
# story does not repeat a sibling's headline as a paragraph of its own...
SIBLING_HEADLINE_ARTICLES = 1
# ... when the headline has at least this many words ("Opinion", "Live updates" are no evidence).
MIN_HEADLINE_WORDS = 4
# A teaser line wraps the sibling's headline in the template's words: a label before it ("Read
# more:", "Watch |", "Lee también:", "LESEN SIE AUCH –") and a note after it ("(2:31)", "[video]",
# "- 3 min read"). A label or note of at most this many words is taken off to find the headline
# inside the line; longer, the line is a sentence of the story that mentions the headline.
TEASER_LABEL_WORDS = 4
# A teaser is a headline and its label: a longer line is a paragraph of the story, not looked at
# (and the regular expressions run on the few short lines of a page only).
TEASER_MAX_WORDS = 30
_TEASER_LABEL = re.compile(
    rf"^\W*(?:[^\W\d_][\w'’.]*\s+){{0,{TEASER_LABEL_WORDS - 1}}}[^\W\d_][\w'’.]*\s*[:|–—»›]\s*|"
    rf"^\W*(?:[^\W\d_][\w'’.]*\s+){{0,{TEASER_LABEL_WORDS - 1}}}[^\W\d_][\w'’.]*\s+-\s+"
)
_TEASER_NOTE = re.compile(
    rf"\s*(?:\([^()]{{1,30}}\)|\[[^\[\]]{{1,30}}\]|\s[|–—-]\s*(?:\S+\s*){{1,{TEASER_LABEL_WORDS}}})\W*$"
)
# Takes every body edit but a correction note below significance, as page furniture does
# (`placement.FURNITURE_PENALTY`); a headline that only gains or loses a shared affix scores 0.
FURNITURE_PENALTY = 0.5
AFFIX_PENALTY = 0.7
# Separators between a headline and the site's name in a title.
_AFFIX_SPLIT = re.compile(r"\s+[|\-–—:·•]+\s+")
# An affix longer than this is a second headline, not a site name.
AFFIX_MAX_CHARS = 60
_DIGITS = re.compile(r"\d+")
# A correction note, and a person added to or removed from a byline or credit line: a staff
# author signs many of the site's articles, so a byline line replaced by another author's is on
# other articles on both sides, yet the change is this article's.
_NEVER_FURNITURE = frozenset({"correction_note", "byline"})


@dataclass(frozen=True)
class Sighting:
    """One thing a recorded version shows: a body line ("line") or a title affix ("prefix",
    "suffix"), by its key, with a sample of its text."""

    kind: str
    key: str
    text: str


@dataclass(frozen=True)
class MemoryUpdate:
    """What recording one version adds to its site's memory (applied with the version)."""

    site: str
    article_id: int
    sightings: tuple[Sighting, ...]
    now: datetime


def line_key(line: str, *, normalized: bool = False) -> str:
    """The fingerprint of a line: its letters and digits, case folded, digits as one 0, hashed.
    `normalized`: the line is already in `normalize_text` form."""
    compact = _DIGITS.sub("0", compact_key(line, normalized=normalized))
    return hashlib.sha1(compact.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=8)
def _keyed_lines(body: str) -> tuple[tuple[str, str], ...]:
    """The body's lines long enough to count (normalised, at most `PAGE_LINES`), with their keys:
    one normalisation of each body, however many times recording a page asks (looking up, then
    weighing, then remembering)."""
    keyed: list[tuple[str, str]] = []
    for line in body_paragraphs(body):
        compact = compact_key(line, normalized=True)
        if len(compact) >= MIN_LINE_CHARS:
            digest = hashlib.sha1(_DIGITS.sub("0", compact).encode("utf-8")).hexdigest()[:16]
            keyed.append((line, digest))
            if len(keyed) == PAGE_LINES:
                break
    return tuple(keyed)


def title_affixes(title: str) -> tuple[str, str]:
    """The title's prefix and suffix that could be a site name ("" when none): the first and
    last parts around a separator ("Storm hits coast | Millbrook Ledger")."""
    parts = _AFFIX_SPLIT.split(normalize_text(title))
    if len(parts) < 2:
        return "", ""
    prefix, suffix = parts[0], parts[-1]
    return (
        prefix if len(prefix) <= AFFIX_MAX_CHARS else "",
        suffix if len(suffix) <= AFFIX_MAX_CHARS else "",
    )


def headline_forms(title: str) -> tuple[str, ...]:
    """The ways a link to the story may print its title: whole, and without the affix at either
    end ("Storm hits coast | Ledger" → "Storm hits coast"); only forms of at least
    `MIN_HEADLINE_WORDS` words."""
    title = normalize_text(title)
    prefix, suffix = title_affixes(title)
    forms = [title]
    if suffix:
        forms.append(strip_site_affixes(title, [suffix]))
    if prefix:
        forms.append(strip_site_affixes(title, [prefix]))
    return tuple(f for f in dict.fromkeys(forms) if len(f.split()) >= MIN_HEADLINE_WORDS)


def teaser_forms(line: str) -> tuple[str, ...]:
    """The headlines a teaser line may wrap (see `TEASER_LABEL_WORDS`): the line without its
    label, without its note, without both; only forms other than the line of at least
    `MIN_HEADLINE_WORDS` words. `line` is normalised."""
    unlabelled = _TEASER_LABEL.sub("", line, count=1)
    forms = [unlabelled, _TEASER_NOTE.sub("", line, count=1), _TEASER_NOTE.sub("", unlabelled)]
    return tuple(
        form
        for form in dict.fromkeys(f.strip() for f in forms)
        if form != line and len(form.split()) >= MIN_HEADLINE_WORDS
    )


@lru_cache(maxsize=8)
def _teaser_keys(body: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The body's lines with the keys of their `teaser_forms` (lines with none left out)."""
    keyed = []
    for line, _ in _keyed_lines(body):
        if len(line.split()) > TEASER_MAX_WORDS:
            continue
        forms = teaser_forms(line)
        if forms:
            keyed.append((line, tuple(line_key(form, normalized=True) for form in forms)))
    return tuple(keyed)


def sightings_of(article: Article) -> tuple[Sighting, ...]:
    """What a version shows for the site's memory: its body lines (once each, at most
    `PAGE_LINES`), its title's affixes and its headline's forms."""
    seen: dict[tuple[str, str], Sighting] = {}
    for line, key in _keyed_lines(article.body):
        seen.setdefault(("line", key), Sighting("line", key, line))
    prefix, suffix = title_affixes(article.title)
    for kind, text in (("prefix", prefix), ("suffix", suffix)):
        if text:
            seen.setdefault((kind, line_key(text)), Sighting(kind, line_key(text), text))
    for form in headline_forms(article.title):
        key = line_key(form, normalized=True)
        seen.setdefault(("headline", key), Sighting("headline", key, form))
    return tuple(seen.values())


def plan_memory(site: str, article_id: int, article: Article, now: datetime) -> MemoryUpdate:
    return MemoryUpdate(site, article_id, sightings_of(article), now)


def furniture_lines(
    body: str,
    seen_on: Mapping[str, Iterable[int]],
    article_id: int,
    headlines: Mapping[str, Iterable[int]] | None = None,
) -> frozenset[str]:
    """The body's lines (normalised) found on at least `FURNITURE_ARTICLES` other articles of
    the site, or that are another article's headline (`SIBLING_HEADLINE_ARTICLES`), alone or
    inside a teaser's label and note (`teaser_forms`). `seen_on`:
    line key → the articles the site's memory saw it on; `headlines`: line key → the articles
    it is the headline of."""
    headlines = headlines or {}

    def sibling(key: str) -> bool:
        return len(set(headlines.get(key, ())) - {article_id}) >= SIBLING_HEADLINE_ARTICLES

    teasers = {line for line, keys in _teaser_keys(body) if any(sibling(key) for key in keys)}
    return frozenset(
        line
        for line, key in _keyed_lines(body)
        if len(set(seen_on.get(key, ())) - {article_id}) >= FURNITURE_ARTICLES
        or (sibling(key) and len(line.split()) >= MIN_HEADLINE_WORDS)
        or line in teasers
    )


def lookup_keys(*articles: Article) -> tuple[str, ...]:
    """The line keys to look up in the site's memory before weighing edits between them."""
    return tuple(
        dict.fromkeys(
            [key for a in articles for _, key in _keyed_lines(a.body)]
            + [key for a in articles for _, keys in _teaser_keys(a.body) for key in keys]
        )
    )


def _within(text: str, lines: frozenset[str]) -> bool:
    text = normalize_text(text)
    return bool(text) and any(text in line for line in lines)


def weigh_site_furniture(
    edits: Iterable[Edit], old_furniture: frozenset[str], new_furniture: frozenset[str], site: str
) -> list[Edit]:
    """Body edits whose every side lies in a line the site prints on other articles: recorded,
    no longer significant, with the reason. Correction notes always count."""
    weighed = []
    for edit in edits:
        sides = [
            (edit.old_sentence or edit.old, old_furniture),
            (edit.new_sentence or edit.new, new_furniture),
        ]
        sides = [(text, lines) for text, lines in sides if text]
        if (
            edit.significant
            and edit.field == "body"
            and edit.kind not in _NEVER_FURNITURE
            and not any(bool(CORRECTION_NOTE.search(text)) for text, _ in sides)
            and sides
            and all(_within(text, lines) for text, lines in sides)
        ):
            edit = weigh_down(
                edit,
                FURNITURE_PENALTY,
                f"site furniture: the line is on {FURNITURE_ARTICLES} or more other articles "
                f"of {site}, or another article's headline",
            )
        weighed.append(edit)
    return weighed


def shared_title_affixes(counts: Mapping[tuple[str, str], int]) -> tuple[str, ...]:
    """The title affixes the site's titles share: (kind, text) → how many articles' titles carry
    it; those on at least `FURNITURE_ARTICLES` articles, most shared first."""
    shared = [(n, text) for (_, text), n in counts.items() if n >= FURNITURE_ARTICLES and text]
    return tuple(text for _, text in sorted(shared, key=lambda pair: (-pair[0], pair[1])))


def strip_site_affixes(title: str, affixes: Iterable[str]) -> str:
    """The title without a leading or trailing site affix from `affixes` (and its separator).
    Named apart from the headline comparison's own stripping so the two can be unified."""
    text = normalize_text(title)
    for affix in affixes:
        for pattern in (
            rf"^{re.escape(affix)}\s*[|\-–—:·•]+\s+",
            rf"\s+[|\-–—:·•]+\s*{re.escape(affix)}$",
        ):
            stripped = re.sub(pattern, "", text)
            if stripped != text and stripped.strip():
                text = stripped
    return text


def weigh_title_affixes(edits: Iterable[Edit], affixes: tuple[str, ...], site: str) -> list[Edit]:
    """A headline edit that only adds, drops or swaps an affix the site's titles share: recorded,
    no longer significant."""
    if not affixes:
        return list(edits)
    weighed = []
    for edit in edits:
        if (
            edit.significant
            and edit.kind == "headline"
            and compact_key(strip_site_affixes(edit.old, affixes))
            == compact_key(strip_site_affixes(edit.new, affixes))
        ):
            edit = weigh_down(
                edit, AFFIX_PENALTY, f"site furniture: a title affix {site}'s other titles share"
            )
        weighed.append(edit)
    return weighed
