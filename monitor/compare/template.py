"""A template change within a round: the same edit on many articles of one site in one check round
is the site's template changing (a site-name suffix on every title, a role on every byline,
"(opens in a new tab)" in every in-body link, a newsletter box in every article), not the
newsroom. One `template_changed` event for the site and round; the edits that carry only the
template's change are kept, no longer significant, with a reason naming the event; an edit found
on one article only is still reported on the same check.

How the decision is made (pure, over the round's stored edits of one site):
1. Each edit is cut into fragments: the words removed and inserted, from a word diff of its old
   and new text (figures read as 0, so "1,204 shares" and "87 shares" are one fragment).
2. An edit made only of insertions and deletions gets one signature per fragment; a title edit
   may also replace an affix at either end ("| Old Site" → "- New Site"); a byline that keeps
   every word of the old one is "reformatted" whatever it adds (each reporter's role differs).
3. Editorial acts never get a signature, so they are never a template however many articles
   they touch: a correction or editor's note (kind or wording), a replacement of words inside
   the text (the same name or figure corrected in every story).
4. A signature found on at least `TEMPLATE_MIN_ARTICLES` articles AND on at least
   `TEMPLATE_MIN_SHARE` of the site's articles checked in the round, or of those of one section
   of the site (the first folder of their URLs' paths: a site's sections have templates of their
   own), is the template's. An edit whose every signature is the template's is weighed down by
   `TEMPLATE_PENALTY`.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from monitor.compare.edit import Edit, make_edit, weigh_down
from monitor.compare.normalize import compact_key, normalize_text
from monitor.compare.sitememory import strip_site_affixes, title_affixes
from monitor.lexicon import CORRECTION_NOTE

# Three articles showing the same inserted or deleted words in one round: two stories sharing a
# sentence happens in a newsroom (a follow-up quoting its first story), three changed the same
# way at once is the template. Below three the edit is reported on each article.
TEMPLATE_MIN_ARTICLES = 3
# ... and at least half of the site's articles checked in the round: a template change reaches
# every article rendered after it (all of them, in the demo and the loopback scenario); three of
# the two hundred stories of a busy site edited alike are the newsroom, still reported.
TEMPLATE_MIN_SHARE = 0.5
# A fragment the template writes at several places of one story (a label on every link of it)
# is on every article that has such a place, not on every article: one inserted or removed this
# many times within each of `TEMPLATE_MIN_ARTICLES` articles is the template's without the share
# (the newsroom does not insert the same words at two places of three stories in one round)...
REPEATED_IN_ARTICLE = 2
# ... provided it is no plain word or two ("allegedly" added throughout three stories is a legal
# edit): a bracketed label, "(PDF)", or a phrase of at least this many words.
REPEATED_MIN_WORDS = 3
# Takes every kind a template can produce below significance (`SIGNIFICANT_AT` 0.5): a quotation
# added in a widget (0.75) scores 0.0, a headline suffix (0.7) 0.0. Correction notes never get
# here (see `edit_signatures`).
TEMPLATE_PENALTY = 0.75
# The event names at most this many of the template's fragments ("+ (opens in a new tab)").
EVENT_FRAGMENTS = 5
# A fragment is cut to this many characters in the event's text.
FRAGMENT_CHARS = 60
# An edit's text is diffed over at most this many words per side: a longer edit (a rewritten
# paragraph) is no template fragment, and the diff stays bounded.
MAX_EDIT_WORDS = 400

# The template's words are also taken out of the round's other edits: an edit that is nothing
# else once they are gone is the template's too (a label inside a word, "MacBook (opens in a new
# tab)s"; a link's sentence split across two edits). Pieces shorter than this (letters and
# digits) are not taken out: they would match inside any word.
MIN_PIECE_CHARS = 8
# Text "added" shorter than this (letters and digits) proves nothing by being on the old page
# (as `comparison.KNOWN_TEXT_MIN_CHARS`).
KNOWN_TEXT_MIN_CHARS = 20
# Old pages read per site and round to tell text the template's extraction newly took in from
# text newly written: each costs a parse of the raw page (tens of milliseconds).
MAX_PAGES_READ = 50
# At most this many of the template's pieces are taken out per field and side, most shared first:
# a template changes a handful of things; the bound keeps the pass linear in the round's edits.
MAX_PIECES = 50

_FIELDS = frozenset({"title", "byline", "body"})
_SIGNATURE = re.compile(r"^(\w+): -\[(.*)\] \+\[(.*)\]$")
_WORDS = re.compile(r"\w+|[^\w\s]")
# A figure as a counter prints it ("87", "1,204", "1.2K"): read as one 0.
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*[kKmM]?\b")
_EDGE_PUNCT = frozenset("|-–—:·•/")


@dataclass(frozen=True)
class RoundEdit:
    """One stored edit of the round, as the decision reads it."""

    edit_id: int
    change_id: int
    article_id: int
    edit: Edit


@dataclass(frozen=True)
class TemplateDecision:
    """What a round's template change means for one site: the edits to weigh down (edit id → the
    edit as it should be stored), and the event to attach to `lead_change` (None: no template
    change, nothing to write)."""

    site: str
    signatures: tuple[str, ...] = ()
    downgrades: tuple[tuple[int, Edit], ...] = ()
    event: Edit | None = None
    lead_change: int | None = None
    articles: tuple[int, ...] = ()


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(_FIGURE.sub("0", normalize_text(text)))


def _key(tokens: Sequence[str]) -> str:
    """The fragment as compared across articles: its words, case folded (figures are 0)."""
    return " ".join(tokens).casefold()


def _words(tokens: Sequence[str]) -> bool:
    return any(any(ch.isalnum() for ch in token) for token in tokens)


def edit_signatures(edit: Edit) -> frozenset[str] | None:
    """The template fragments this edit is made of, or None when it can never be a template's
    (an editorial act, a rewritten passage, a field a template does not render)."""
    if edit.field not in _FIELDS or edit.kind == "correction_note":
        return None
    if any(bool(CORRECTION_NOTE.search(text)) for text in (edit.old, edit.new) if text):
        return None
    old, new = _tokens(edit.old), _tokens(edit.new)
    if max(len(old), len(new)) > MAX_EDIT_WORDS:
        return None
    if edit.field == "title" and (swapped := _swapped_affix(edit.old, edit.new)):
        return frozenset({swapped})
    if edit.field == "byline" and _words(old) and _kept_words(old, new):
        return frozenset({"byline: reformatted, every word of the name kept"})
    fragments: set[str] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, inserted = old[i1:i2], new[j1:j2]
        if _words(removed) and _words(inserted):
            at_edge = (i1 == 0 and j1 == 0) or (i2 == len(old) and j2 == len(new))
            if edit.field != "title" or not at_edge or not _EDGE_PUNCT & set(removed + inserted):
                return None  # words replaced inside the text: the newsroom's act
        if not _words(removed) and not _words(inserted):
            continue  # punctuation or spacing only
        fragments.add(f"{edit.field}: -[{_key(removed)}] +[{_key(inserted)}]")
    return frozenset(fragments) or None


def _swapped_affix(old: str, new: str) -> str:
    """The signature of a title whose site affix was swapped for another ("… - Old Site" → "… |
    New Site"), the headline itself unchanged; "" otherwise."""
    pairs = zip(title_affixes(old), title_affixes(new), strict=True)
    for index, (old_affix, new_affix) in enumerate(pairs):
        if not old_affix or not new_affix or old_affix == new_affix:
            continue
        old_rest = _compact(strip_site_affixes(old, [old_affix]))
        new_rest = _compact(strip_site_affixes(new, [new_affix]))
        if old_rest == new_rest and len(old_rest) > len(_compact(old_affix)):
            where = ("prefix", "suffix")[index]
            return f"title: {where} -[{_key(_tokens(old_affix))}] +[{_key(_tokens(new_affix))}]"
    return ""


def _kept_words(old: Sequence[str], new: Sequence[str]) -> bool:
    """Every word of the old byline is in the new one, apart from a leading "By"."""
    new_words = {token.casefold() for token in new}
    return all(
        token.casefold() in new_words
        for index, token in enumerate(old)
        if _words([token]) and not (index == 0 and token.casefold() in {"by", "words"})
    )


def url_section(url: str) -> str:
    """The section of the site an article's URL is in: the first folder of its path
    ("https://x.example/sport/match-report" → "sport"); "" for a page at the site's root."""
    path = urlsplit(url).path.strip("/").split("/")
    return path[0].casefold() if len(path) >= 2 else ""


def _needed(checked: int) -> int:
    return max(TEMPLATE_MIN_ARTICLES, math.ceil(TEMPLATE_MIN_SHARE * checked))


def _in_a_section(ids: Iterable[int], sections: Mapping[int, str]) -> bool:
    """The articles are enough of one section's checked articles (see the module's step 4)."""
    checked = Counter(sections.values())
    carrying = Counter(sections[article] for article in ids if article in sections)
    return any(count >= _needed(checked[section]) for section, count in carrying.items())


def template_signatures(
    edits: Iterable[RoundEdit], checked_articles: int, sections: Mapping[int, str] | None = None
) -> dict[str, frozenset[int]]:
    """The signatures found on enough articles of the round (see the module's thresholds), and
    the articles each is found on. `sections`: the section (`url_section`) of every article of
    the site checked in the round, by article id (none: the site as one section)."""
    found: dict[str, set[int]] = {}
    times: Counter[tuple[str, int]] = Counter()  # (signature, article) → edits carrying it
    for item in edits:
        for signature in edit_signatures(item.edit) or ():
            found.setdefault(signature, set()).add(item.article_id)
            times[signature, item.article_id] += 1
    needed = _needed(checked_articles)
    return {
        sig: frozenset(ids)
        for sig, ids in found.items()
        if len(ids) >= needed
        or (len(ids) >= TEMPLATE_MIN_ARTICLES and _in_a_section(ids, sections or {}))
        or (
            _label_like(sig)
            and sum(times[sig, article] >= REPEATED_IN_ARTICLE for article in ids)
            >= TEMPLATE_MIN_ARTICLES
        )
    }


def _label_like(signature: str) -> bool:
    """A one-sided body fragment that reads as a label: bracketed, or a phrase of at least
    `REPEATED_MIN_WORDS` words (see `REPEATED_IN_ARTICLE`)."""
    match = _SIGNATURE.match(signature)
    if not match or match[1] != "body" or (match[2] and match[3]):
        return False
    tokens = (match[2] or match[3]).split()
    words = [token for token in tokens if _words([token])]
    bracketed = any(token in "([" for token in tokens[:2]) and any(
        token in ")]" for token in tokens[-2:]
    )
    return bool(words) and (bracketed or len(words) >= REPEATED_MIN_WORDS)


def _compact(text: str) -> str:
    return compact_key(_FIGURE.sub("0", normalize_text(text)), normalized=True)


def _pieces(template: Mapping[str, frozenset[int]]) -> dict[tuple[str, str], list[str]]:
    """(field, "-" or "+") → the compact text the template removes or inserts there."""
    pieces: dict[tuple[str, str], list[str]] = {}
    for signature in sorted(template, key=lambda sig: (-len(template[sig]), sig)):
        match = _SIGNATURE.match(signature)
        if not match:
            continue
        field, removed, inserted = match.groups()
        for side, text in (("-", removed), ("+", inserted)):
            piece = compact_key(text, normalized=True)
            kept = pieces.setdefault((field, side), [])
            if len(piece) >= MIN_PIECE_CHARS and len(kept) < MAX_PIECES:
                kept.append(piece)
    return pieces


def _strip(text: str, pieces: list[str]) -> tuple[str, bool]:
    key = _compact(text)
    stripped = _strip_compact(key, pieces)
    return stripped, stripped != key


def _strip_compact(key: str, pieces: list[str]) -> str:
    for piece in pieces:
        key = key.replace(piece, "")
    return key


def _editable(edit: Edit) -> bool:
    return (
        edit.field in _FIELDS
        and edit.kind != "correction_note"
        and not any(bool(CORRECTION_NOTE.search(text)) for text in (edit.old, edit.new) if text)
    )


def _template_residue(
    edits: Sequence[RoundEdit],
    template: Mapping[str, frozenset[int]],
    old_pages: Mapping[int, str],
    new_pages: Mapping[int, str] | None = None,
) -> set[int]:
    """Edit ids that are nothing but the template's words once those are taken out: alone,
    together with the other such edits of their change, text "added" that was already on the
    old page (`old_pages`: change id → the old page's text, compact) and only gained the
    template's words, or text "removed" that is still on the new page (`new_pages`, likewise)
    once the template's words are taken out of it: the extraction boundary moved with the
    template."""
    pieces = _pieces(template)
    if not pieces:
        return set()
    still = {
        change: _strip_compact(page, pieces.get(("body", "+"), []))
        for change, page in (new_pages or {}).items()
    }
    found: set[int] = set()
    by_change: dict[int, list[tuple[int, str, str, bool]]] = {}
    for item in edits:
        edit = item.edit
        if not _editable(edit):
            continue
        old, old_hit = _strip(edit.old, pieces.get((edit.field, "-"), []))
        new, new_hit = _strip(edit.new, pieces.get((edit.field, "+"), []))
        known = old_pages.get(item.change_id, "")
        only_template = ((old_hit or new_hit) and old == new) or _only_template_sentence(
            edit, pieces
        )
        on_old_page = new_hit and not edit.old and len(new) >= KNOWN_TEXT_MIN_CHARS and new in known
        on_new_page = (
            edit.field == "body"
            and not edit.new
            and len(old) >= KNOWN_TEXT_MIN_CHARS
            and old in still.get(item.change_id, "")
        )
        if only_template or on_old_page or on_new_page:
            found.add(item.edit_id)
        elif edit.field == "body":
            by_change.setdefault(item.change_id, []).append(
                (item.edit_id, old, new, old_hit or new_hit)
            )
    for rest in by_change.values():
        old_text = "".join(old for _, old, _, _ in rest)
        new_text = "".join(new for _, _, new, _ in rest)
        if len(rest) >= 2 and any(hit for *_, hit in rest) and old_text == new_text:
            found.update(edit_id for edit_id, *_ in rest)
    return found


def _only_template_sentence(edit: Edit, pieces: Mapping[tuple[str, str], list[str]]) -> bool:
    """The edit's sentence is the old one but for the template's words, whatever the word diff
    cut: a label split in two around a word it shares with the sentence ("(link is" + "an
    outside site) to", the label's "to" matched to the sentence's)."""
    if not (edit.field == "body" and edit.old_sentence and edit.new_sentence):
        return False
    old, old_hit = _strip(edit.old_sentence, pieces.get(("body", "-"), []))
    new, new_hit = _strip(edit.new_sentence, pieces.get(("body", "+"), []))
    return (old_hit or new_hit) and old == new


def _pages_to_read(
    edits: Sequence[RoundEdit], decision: TemplateDecision, wants: Callable[[Edit, list[str]], bool]
) -> list[int]:
    """The changes with a significant body edit the decision left whose page `wants` (given the
    edit and the template's words inserted in the body) asks for. At most `MAX_PAGES_READ`, in
    change order."""
    if decision.event is None:
        return []
    pieces = _pieces({signature: frozenset() for signature in decision.signatures})
    inserted = pieces.get(("body", "+"), [])
    if not inserted:
        return []
    downgraded = {edit_id for edit_id, _ in decision.downgrades}
    wanted = sorted(
        {
            item.change_id
            for item in edits
            if item.edit.significant
            and item.edit_id not in downgraded
            and item.edit.field == "body"
            and wants(item.edit, inserted)
        }
    )
    return wanted[:MAX_PAGES_READ]


def pages_wanted(edits: Sequence[RoundEdit], decision: TemplateDecision) -> list[int]:
    """The changes whose old page is worth reading for the decision (see `_template_residue`):
    a significant edit left that adds text with the template's words in it."""
    return _pages_to_read(
        edits, decision, lambda edit, inserted: not edit.old and _strip(edit.new, inserted)[1]
    )


def new_pages_wanted(edits: Sequence[RoundEdit], decision: TemplateDecision) -> list[int]:
    """The changes whose new page is worth reading for the decision (see `_template_residue`):
    a significant edit left that removes text long enough to look for, in a round whose
    template inserts words in the body."""
    return _pages_to_read(
        edits,
        decision,
        lambda edit, _: not edit.new and len(_compact(edit.old)) >= KNOWN_TEXT_MIN_CHARS,
    )


def compact_page(page_text: str) -> str:
    """A page's text as `decide_template` reads it in `old_pages` and `new_pages`."""
    return _compact(page_text)


def decide_template(
    site: str,
    edits: Sequence[RoundEdit],
    checked_articles: int,
    old_pages: Mapping[int, str] | None = None,
    new_pages: Mapping[int, str] | None = None,
    sections: Mapping[int, str] | None = None,
) -> TemplateDecision:
    """The round's template change for one site, from its stored edits, how many of its
    articles the round checked and (optionally) the old pages of some changes
    (`pages_wanted`; change id → `compact_page` of the old version's raw page) and the new
    pages of some (`new_pages_wanted`, likewise); `sections`: see `template_signatures`."""
    template = template_signatures(edits, checked_articles, sections)
    if not template:
        return TemplateDecision(site)
    residue = _template_residue(edits, template, old_pages or {}, new_pages)
    articles = sorted({a for ids in template.values() for a in ids})
    reason = (
        f"template change: the same edit on {len(articles)} articles of {site} this round "
        "(see the site's template_changed event)"
    )
    downgrades = []
    touched: list[int] = []
    for item in edits:
        signatures = edit_signatures(item.edit)
        by_signature = signatures is not None and signatures <= template.keys()
        if not by_signature and item.edit_id not in residue:
            continue
        touched.append(item.change_id)
        if item.edit.significant:
            downgrades.append((item.edit_id, weigh_down(item.edit, TEMPLATE_PENALTY, reason)))
    shown = sorted(template, key=lambda sig: (-len(template[sig]), sig))[:EVENT_FRAGMENTS]
    event = make_edit(
        "template_changed",
        "page",
        new=f"{site}: the same change on {len(articles)} of {checked_articles} articles checked",
        extra=(
            f"on {len(articles)} of {checked_articles} articles of {site} checked this round "
            f"(template: at least {TEMPLATE_MIN_ARTICLES} and {TEMPLATE_MIN_SHARE:.0%})",
            *(sig[:FRAGMENT_CHARS] for sig in shown),
            "articles: " + ",".join(str(a) for a in articles),
        ),
    )
    return TemplateDecision(
        site,
        tuple(sorted(template)),
        tuple(downgrades),
        event,
        min(touched) if touched else None,
        tuple(articles),
    )
