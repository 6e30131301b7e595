"""Compare two versions of an article and name every edit: `compare(old, new) -> list[Edit]`.

normalise → paragraphs → sentences (only of paragraphs that differ) → align → word diff inside each
changed pair → classify. Pure: no database, clock or network.

Every step is bounded (see "bounds" below and the limits in `align`, `sentences` and `words`):
past a limit the body's edits are one coarse `too_many_changes` edit saying how much changed, and
`compare_bounded` says which limit was hit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from monitor.compare import classify
from monitor.compare.align import (
    Alignment,
    Block,
    changed_paragraphs,
    match_regions,
    pair_blocks,
    sentence_keys,
)
from monitor.compare.byline import changed_people, compare_bylines, old_name_changed
from monitor.compare.credits import (
    compare_byline_lines,
    compare_credits,
    compare_datelines,
    compare_stamped_datelines,
    separate_furniture,
)
from monitor.compare.dropcaps import join_drop_caps
from monitor.compare.edit import Edit, make_edit
from monitor.compare.embeds import weigh_embeds
from monitor.compare.excerpts import weigh_excerpts
from monitor.compare.normalize import body_paragraphs, compact_key, normalize_text
from monitor.compare.placement import (
    follow_paragraphs,
    paragraphs_with_roles,
    weigh_bios,
    weigh_placement,
)
from monitor.compare.punctuation import Join, find_joins, is_punctuation_fix, with_neighbours
from monitor.compare.redesign import AT_EDGE, weigh_redesign
from monitor.compare.sentences import Sentence, count_words, split_sentences
from monitor.compare.words import Hunk, diff_words
from monitor.extract.article import Article
from monitor.extract.headline import site_affix_change
from monitor.extract.metadata import same_moment
from monitor.lexicon import EMOJI_TEXT

# Sentences this short added or removed are usually furniture ("Read more.", "Watch:").
SHORT_SENTENCE_WORDS = 4
SHORT_SENTENCE_PENALTY = 0.3
# An added or removed sentence is a quotation when at least this many words, and this share of
# its words, are inside quotation marks.
QUOTE_MIN_WORDS = 3
QUOTE_MIN_SHARE = 0.4
# A changed sentence with more changed runs than this, or with less similarity than this, is
# reported as one rewrite instead of one edit per run.
MAX_HUNKS = 3
REWRITE_SIMILARITY = 60.0
# Above this much changed text (both sides), sentences are split by a regex instead of syntok,
# which costs about 4 µs per character: 100,000 characters is ~0.4 s, and a 1 MB rewrite would
# otherwise take 8 s. Typical articles (5-20 KB) always get syntok.
SYNTOK_BUDGET_CHARS = 100_000

# --- bounds: past any of these the body is one coarse `too_many_changes` edit ---------------
# Changed paragraphs (both sides together) are split into sentences up to this many characters.
# Splitting, keying and aligning them is linear but costs about a microsecond and 100-odd bytes
# per character: 2 MB is ~1 s and ~100 MB. A long read is 50 KB; this is forty of them.
MAX_SPLIT_CHARS = 2_000_000
# Sentences outside the identical ones, on either side: the pairing, the word diffs and the
# classification run over these. A long read has ~300 sentences, so this is a rewrite of three;
# 50,000 "Yes." paragraphs with both ends changed would otherwise be 50,000 edits.
MAX_CHANGED_SENTENCES = 1_000
# Characters of those sentences (both sides together). Pairing them by similarity costs up to
# (characters)² / 64 bit operations (rapidfuzz's bit-parallel LCS): 200,000 is ~0.6e9, under a
# second; a complete rewrite of a 50 KB long read is 100,000.
MAX_CHANGED_CHARS = 200_000
# The coarse edit quotes the start of the first changed paragraph on each side, this long.
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class Comparison:
    """Every edit between two versions, and whether the body hit a limit. When `capped` says
    which, the body's edits are one coarse `too_many_changes` (or `cosmetic`) edit: a caller can
    store that with the version and need not compare the pair again."""

    edits: tuple[Edit, ...]
    capped: str = ""  # the limit hit, in words; "" when the body was compared in full


# --- metadata fields -----------------------------------------------------------------------
def _compare_title(old: str, new: str) -> list[Edit]:
    old, new = normalize_text(old), normalize_text(new)
    if old == new:
        return []
    values: dict[str, Any] = {"old": old, "new": new, "old_sentence": old, "new_sentence": new}
    if compact_key(old) == compact_key(new):
        return [
            make_edit("cosmetic", "title", extra=("only punctuation, case or spacing",), **values)
        ]
    affix = site_affix_change(old, new)
    if affix:
        return [make_edit("cosmetic", "title", extra=(affix,), **values)]
    hunks = [h for h in diff_words(old, new) if not _cosmetic_hunk(h)]
    # a figure replaced by another, not words with a figure added or removed ("1Uで" inserted)
    replaced = all(h.old.strip() and h.new.strip() and _same_words(h) for h in hunks)
    if (
        old
        and new
        and hunks
        and replaced
        and all(classify.is_number_change(h, old, new) for h in hunks)
    ):
        return [make_edit("number", "title", extra=("a figure in the headline",), **values)]
    return [make_edit("headline", "title", **values)]


_DIGITS = re.compile(r"[\d.,]+")


def _same_words(hunk: Hunk) -> bool:
    """Outside its figures, a run written without spaces (Japanese, Chinese: one token however
    long) says the same ("容量1ペタ" → "1Uで容量1ペタ" does not); a spaced run always does here
    (its tokens were diffed one by one)."""
    if " " in hunk.old.strip() or " " in hunk.new.strip():
        return True
    return _DIGITS.sub("", hunk.old) == _DIGITS.sub("", hunk.new) or (
        hunk.old.isascii() and hunk.new.isascii()
    )


def _compare_dates(old: Article, new: Article) -> list[Edit]:
    """A date that changed value. A date found on one side only is the date extraction's doing
    (the markup it read came or went), not the newsroom's, so it is not an edit."""
    edits = []
    published = (old.published.strip(), new.published.strip())
    if all(published) and published[0] != published[1]:
        edits.append(make_edit("published_date", "published", old=old.published, new=new.published))
    modified = (old.modified.strip(), new.modified.strip())
    if all(modified) and not same_moment(*modified):
        edits.append(
            make_edit(
                "published_date",
                "modified",
                extra=("only the modified date: sites bump it on their own",),
                penalty=0.3,
                old=old.modified,
                new=new.modified,
            )
        )
    return edits


# --- body ----------------------------------------------------------------------------------
def _cosmetic_hunk(hunk: Hunk) -> bool:
    """Only punctuation, case, spacing, or emoji (symbols, shortcodes, described images)."""
    if compact_key(hunk.old) == compact_key(hunk.new):
        return True
    return compact_key(EMOJI_TEXT.sub("", hunk.old)) == compact_key(EMOJI_TEXT.sub("", hunk.new))


def _hunk_kind(pair: Alignment, hunk: Hunk) -> tuple[str, str]:
    """The kind of one changed run inside a changed sentence, and why."""
    assert pair.old is not None and pair.new is not None
    old, new = pair.old.text, pair.new.text
    if classify.is_name_spelling(old, new, hunk):
        return "name", "a misspelt name was corrected (inside a quotation or not)"
    quote = classify.quote_kind(old, new, hunk, pair.old.opens_quoted, pair.new.opens_quoted)
    if quote:
        return quote, "the changed words are inside a quotation"
    if classify.is_number_change(hunk, old, new):
        return "number", "a figure changed"
    if classify.is_name_change(old, new, hunk):
        return "name", "a capitalised name was replaced"
    if classify.is_typo_fix(old, hunk):
        return "typo", "an ordinary word's spelling was fixed"
    return "sentence_changed", "no more specific kind fits"


def _changed_sentence(pair: Alignment) -> list[Edit]:
    assert pair.old is not None and pair.new is not None
    old, new = pair.old.text, pair.new.text
    where: dict[str, Any] = {
        "old_sentence": old,
        "new_sentence": new,
        "old_paragraph": pair.old.paragraph,
        "new_paragraph": pair.new.paragraph,
    }
    if classify.is_correction_note(new) or classify.is_correction_note(old):
        return [make_edit("correction_note", "body", old=old, new=new, **where)]
    hunks = diff_words(old, new, moves=True)  # a phrase moved is one edit, not two
    real = [h for h in hunks if not _cosmetic_hunk(h)]
    fixes = [_punctuation_fix(h, where) for h in hunks if _is_fix(h)]
    if not real:
        return fixes or [
            make_edit(
                "cosmetic",
                "body",
                old=old,
                new=new,
                extra=("only punctuation, case or spacing",),
                **where,
            )
        ]
    if len(real) > MAX_HUNKS or pair.similarity < REWRITE_SIMILARITY:
        inside = all(
            classify.quote_kind(old, new, h, pair.old.opens_quoted, pair.new.opens_quoted)
            == "quote"
            for h in real
        )
        kind = "quote" if inside else "sentence_changed"
        return [
            make_edit(
                kind,
                "body",
                old=old,
                new=new,
                extra=(f"rewritten: {len(real)} changed runs",),
                **where,
            )
        ]
    edits = []
    for hunk in hunks:
        if _is_fix(hunk):
            edits.append(_punctuation_fix(hunk, where))
        elif not _cosmetic_hunk(hunk):
            kind, reason = _hunk_kind(pair, hunk)
            edits.append(
                make_edit(kind, "body", old=hunk.old, new=hunk.new, extra=(reason,), **where)
            )
    return edits


def _is_fix(hunk: Hunk) -> bool:
    return is_punctuation_fix(hunk.old, hunk.new)


def _punctuation_fix(hunk: Hunk, where: dict[str, Any]) -> Edit:
    """A typo edit quoting the fix with the word on each side ("point that" → "point, that")."""
    reason = "a punctuation mark added, removed or replaced, or words joined or split"
    old = with_neighbours(where["old_sentence"], hunk.old_chars)
    new = with_neighbours(where["new_sentence"], hunk.new_chars)
    return make_edit("typo", "body", old=old, new=new, extra=(reason,), **where)


def _restyled(pair: Alignment) -> list[Edit]:
    """A sentence whose comparison key did not change: typos where a mark was fixed
    (`monitor.compare.punctuation`), else one `cosmetic` edit (typography only)."""
    assert pair.old is not None and pair.new is not None
    where: dict[str, Any] = {
        "old_sentence": pair.old.text,
        "new_sentence": pair.new.text,
        "old_paragraph": pair.old.paragraph,
        "new_paragraph": pair.new.paragraph,
    }
    hunks = diff_words(pair.old.text, pair.new.text)
    return [_punctuation_fix(h, where) for h in hunks if _is_fix(h)] or [
        _both_sides("cosmetic", pair)
    ]


def _joined(join: Join) -> Edit:
    """Two sentences made one, or one made two, by punctuation alone: one typo; by typography
    alone (spacing, quote or dash style), the splitter cutting where it did not: one cosmetic."""
    changed = join.changed
    assert changed.old is not None and changed.new is not None
    fix = is_punctuation_fix(join.old, join.new)
    return make_edit(
        "typo" if fix else "cosmetic",
        "body",
        old=join.old,
        new=join.new,
        old_sentence=join.old,
        new_sentence=join.new,
        old_paragraph=changed.old.paragraph,
        new_paragraph=changed.new.paragraph,
        extra=(
            "sentences joined or split by punctuation alone"
            if fix
            else "one sentence cut differently after a change of typography",
        ),
    )


def _one_sided(pair: Alignment) -> Edit:
    """An added or removed sentence: a correction note, a quotation, or a plain sentence."""
    added = pair.new is not None
    sentence = pair.new if added else pair.old
    assert sentence is not None
    text = sentence.text
    words = count_words(text)
    where: dict[str, Any] = (
        {"new": text, "new_sentence": text, "new_paragraph": sentence.paragraph}
        if added
        else {"old": text, "old_sentence": text, "old_paragraph": sentence.paragraph}
    )
    if classify.is_correction_note(text):
        return make_edit("correction_note", "body", **where)
    quoted = classify.quoted_words(text, sentence.opens_quoted)
    if quoted >= QUOTE_MIN_WORDS and quoted >= QUOTE_MIN_SHARE * max(words, 1):
        return make_edit("quote_added" if added else "quote_removed", "body", **where)
    kind = "sentence_added" if added else "sentence_removed"
    if words < SHORT_SENTENCE_WORDS:
        return make_edit(
            kind, "body", extra=(f"only {words} words",), penalty=SHORT_SENTENCE_PENALTY, **where
        )
    return make_edit(kind, "body", **where)


def _merge_correction_paragraphs(edits: list[Edit]) -> list[Edit]:
    """A correction paragraph is one note, however many sentences it has."""
    note_paragraphs = {
        e.new_paragraph for e in edits if e.kind == "correction_note" and not e.old and e.new
    }
    merged: list[Edit] = []
    notes: dict[int, Edit] = {}
    for edit in edits:
        added = not edit.old and edit.new and edit.field == "body"
        if added and edit.new_paragraph in note_paragraphs:
            previous = notes.get(edit.new_paragraph)
            if previous is None:
                note = make_edit(
                    "correction_note",
                    "body",
                    new=edit.new,
                    new_sentence=edit.new,
                    new_paragraph=edit.new_paragraph,
                )
                notes[edit.new_paragraph] = note
                merged.append(note)
            else:
                text = f"{previous.new} {edit.new}"
                note = make_edit(
                    "correction_note",
                    "body",
                    new=text,
                    new_sentence=text,
                    new_paragraph=edit.new_paragraph,
                )
                merged[merged.index(previous)] = note
                notes[edit.new_paragraph] = note
            continue
        merged.append(edit)
    return merged


def _both_sides(kind: str, pair: Alignment) -> Edit:
    """An edit of a whole sentence present in both versions (restyled, or moved)."""
    assert pair.old is not None and pair.new is not None
    return make_edit(
        kind,
        "body",
        old=pair.old.text,
        new=pair.new.text,
        old_sentence=pair.old.text,
        new_sentence=pair.new.text,
        old_paragraph=pair.old.paragraph,
        new_paragraph=pair.new.paragraph,
    )


def _by_paragraph(sentences: list[Sentence]) -> dict[int, list[Sentence]]:
    grouped: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        grouped.setdefault(sentence.paragraph, []).append(sentence)
    return grouped


def compare_bodies(old_body: str, new_body: str) -> list[Edit]:
    """Every edit between two article bodies, in reading order."""
    return _compare_bodies(old_body, new_body)[0]


def _compare_bodies(
    old_body: str,
    new_body: str,
    old_roles: tuple[str, ...] = (),
    new_roles: tuple[str, ...] = (),
) -> tuple[list[Edit], str]:
    """The body's edits, and the limit hit ("" if none). With the roles of the bodies' lines
    (`Article.roles`), edits confined to page furniture are not significant (`placement.py`)."""
    if old_body == new_body:
        return [], ""
    old_all, old_all_roles = paragraphs_with_roles(old_body, old_roles)
    new_all, new_all_roles = paragraphs_with_roles(new_body, new_roles)
    old_all, new_all = join_drop_caps(old_all, new_all)  # "T he president" read as "The president"
    old_furniture, new_furniture = separate_furniture(old_all, new_all)
    # Datelines and credit lines are compared on their own (see `credits.py`).
    dateline = compare_datelines(old_furniture.dateline, new_furniture.dateline)
    dateline += compare_stamped_datelines(old_furniture.stamped, new_furniture.stamped)
    credits = compare_credits(old_furniture.credits, new_furniture.credits)
    credits += compare_byline_lines(old_furniture.bylines, new_furniture.bylines)
    old_paragraphs, new_paragraphs = old_furniture.paragraphs, new_furniture.paragraphs
    runs = changed_paragraphs(old_paragraphs, new_paragraphs)
    if not runs:
        return [*dateline, *credits], ""
    # Only paragraphs that differ are split into sentences: most of a long text is unchanged.
    old_only = {i for run, _ in runs for i in run}
    new_only = {j for _, run in runs for j in run}
    changed_chars = sum(len(old_paragraphs[i]) for i in old_only) + sum(
        len(new_paragraphs[j]) for j in new_only
    )
    if changed_chars > MAX_SPLIT_CHARS:
        capped = f"{changed_chars:,} characters of changed paragraphs (limit {MAX_SPLIT_CHARS:,})"
        changed = _Changed(old_paragraphs, new_paragraphs, old_only, new_only)
        return [_coarse_edit(changed, capped)], capped
    fast = changed_chars > SYNTOK_BUDGET_CHARS
    old_sentences = split_sentences(old_paragraphs, only=old_only, fast=fast)
    new_sentences = split_sentences(new_paragraphs, only=new_only, fast=fast)
    old_by_paragraph, new_by_paragraph = _by_paragraph(old_sentences), _by_paragraph(new_sentences)
    regions = [
        (
            [s for i in old_run for s in old_by_paragraph.get(i, ())],
            [s for j in new_run for s in new_by_paragraph.get(j, ())],
        )
        for old_run, new_run in runs
    ]
    keys = sentence_keys(regions)
    equal, blocks = match_regions(regions, keys)
    capped = _over_limits(blocks)
    if capped:
        changed = _Changed(
            old_paragraphs,
            new_paragraphs,
            {s.paragraph for olds, _ in blocks for s in olds},
            {s.paragraph for _, news in blocks for s in news},
        )
        return [_coarse_edit(changed, capped)], capped
    edits: list[Edit] = []
    alignments = pair_blocks(equal, blocks, keys)
    joins = {id(join.changed): join for join in find_joins(alignments)}
    absorbed = {id(join.neighbour) for join in joins.values()}
    for pair in alignments:
        if id(pair) in absorbed:
            continue
        if id(pair) in joins:
            edits.append(_joined(joins[id(pair)]))
        elif pair.op == "equal":
            assert pair.old is not None and pair.new is not None
            if pair.old.text != pair.new.text:
                edits.extend(_restyled(pair))
        elif pair.op == "moved":
            edits.append(_both_sides("sentence_moved", pair))
        elif pair.op == "changed":
            edits.extend(_changed_sentence(pair))
        else:
            edits.append(_one_sided(pair))
    edits = _merge_correction_paragraphs(edits)
    unchanged_old = [i for i in range(len(old_paragraphs)) if i not in old_only]
    unchanged_new = [j for j in range(len(new_paragraphs)) if j not in new_only]
    old_placed = follow_paragraphs(old_all, old_paragraphs, old_all_roles)
    new_placed = follow_paragraphs(new_all, new_paragraphs, new_all_roles)
    edits = weigh_placement(
        weigh_bios(_mark_edges(edits, unchanged_old, unchanged_new)), old_placed, new_placed
    )
    edits = weigh_embeds(edits, (old_paragraphs, old_placed), (new_paragraphs, new_placed))
    edits = weigh_excerpts(edits, old_paragraphs, new_paragraphs)
    return [*dateline, *edits, *credits], ""


def _over_limits(blocks: list[Block]) -> str:
    """Which limit the sentences left to pair and classify exceed, in words ("" if none)."""
    olds = sum(len(old) for old, _ in blocks)
    news = sum(len(new) for _, new in blocks)
    if max(olds, news) > MAX_CHANGED_SENTENCES:
        return (
            f"{olds:,} old and {news:,} new sentences changed "
            f"(limit {MAX_CHANGED_SENTENCES:,} a side)"
        )
    chars = sum(len(s.text) for old, new in blocks for s in (*old, *new))
    if chars > MAX_CHANGED_CHARS:
        return f"{chars:,} characters of changed sentences (limit {MAX_CHANGED_CHARS:,})"
    return ""


@dataclass(frozen=True)
class _Changed:
    """The paragraphs of each version that hold the changes a limit stopped us from naming."""

    old_paragraphs: list[str]
    new_paragraphs: list[str]
    old: set[int]
    new: set[int]


def _coarse_edit(changed: _Changed, capped: str, detail_prefix: str = "") -> Edit:
    """One edit for a body changed past a limit: how many paragraphs, the start of the first one
    on each side, and why it was not classified. If only punctuation, case or spacing changed
    (a linear check), it is `cosmetic`, as it would have been in full."""
    old_text = [changed.old_paragraphs[i] for i in sorted(changed.old)]
    new_text = [changed.new_paragraphs[j] for j in sorted(changed.new)]
    count = max(len(changed.old), len(changed.new))
    detail = f"{detail_prefix}{count:,} paragraph{'' if count == 1 else 's'} changed"
    where: dict[str, Any] = {
        "old": _excerpt(old_text),
        "new": _excerpt(new_text),
        "old_paragraph": min(changed.old, default=-1),
        "new_paragraph": min(changed.new, default=-1),
    }
    if compact_key(" ".join(old_text), normalized=True) == compact_key(
        " ".join(new_text), normalized=True
    ):
        extra = ("only punctuation, case or spacing", detail, f"not compared in detail: {capped}")
        return make_edit("cosmetic", "body", extra=extra, **where)
    return make_edit("too_many_changes", "body", extra=(detail, f"limit: {capped}"), **where)


def _excerpt(paragraphs: list[str]) -> str:
    if not paragraphs:
        return ""
    first = paragraphs[0]
    return first if len(first) <= EXCERPT_CHARS else first[:EXCERPT_CHARS].rstrip() + " …"


def compare_bounded(old: Article, new: Article) -> Comparison:
    """Every edit from `old` to `new` (as `compare`), and the limit the body hit, if any."""
    body, capped = _compare_bodies(old.body, new.body, old.roles, new.roles)
    edits = (
        *_compare_title(old.title, new.title),
        *compare_bylines(old.byline, new.byline),
        *_compare_dates(old, new),
        *body,
    )
    return Comparison(edits, capped)


def _mark_edges(
    edits: list[Edit], unchanged_old: list[int], unchanged_new: list[int]
) -> list[Edit]:
    """Sentences added or removed before every unchanged paragraph or after all of them carry
    `redesign.AT_EDGE` among their reasons (a redesign weighs them down, see `redesign.py`)."""
    if not unchanged_old or not unchanged_new:
        return edits
    marked = []
    for edit in edits:
        if edit.new and not edit.old:
            index, unchanged = edit.new_paragraph, unchanged_new
        elif edit.old and not edit.new:
            index, unchanged = edit.old_paragraph, unchanged_old
        else:
            index, unchanged = -1, []
        if unchanged and (index < unchanged[0] or index > unchanged[-1]):
            edit = replace(edit, reasons=(*edit.reasons, AT_EDGE))
        marked.append(edit)
    return marked


def compare_coarse(old: Article, new: Article, capped: str) -> Comparison:
    """What can be said of two versions without comparing their bodies (the comparison ran out
    of time, `capped` says so): the headline, byline and dates as usual, and one coarse body edit
    counting the paragraphs found on one side only. Linear: paragraphs are matched by their text
    (hashed), each as many times as it occurs."""
    old_paragraphs, new_paragraphs = body_paragraphs(old.body), body_paragraphs(new.body)
    body: list[Edit] = []
    if old_paragraphs != new_paragraphs:
        changed = _Changed(
            old_paragraphs,
            new_paragraphs,
            _unmatched(old_paragraphs, new_paragraphs),
            _unmatched(new_paragraphs, old_paragraphs),
        )
        body = [_coarse_edit(changed, capped, detail_prefix=f"{capped}: ")]
    edits = (
        *_compare_title(old.title, new.title),
        *compare_bylines(old.byline, new.byline),
        *_compare_dates(old, new),
        *body,
    )
    return Comparison(edits, capped)


def _unmatched(paragraphs: list[str], others: list[str]) -> set[int]:
    """Positions of the paragraphs not found in `others` (a paragraph found twice there matches
    two of ours); paragraphs that only moved are not counted."""
    left = Counter(others)
    unmatched = set()
    for index, paragraph in enumerate(paragraphs):
        if left[paragraph]:
            left[paragraph] -= 1
        else:
            unmatched.add(index)
    return unmatched


def compare(old: Article, new: Article) -> list[Edit]:
    """Every edit from `old` to `new`: headline, byline, dates, then the body in reading order."""
    return list(compare_bounded(old, new).edits)


# --- extraction boundaries ----------------------------------------------------------------
# Text this short matches by accident ("Read more") and proves nothing.
KNOWN_TEXT_MIN_CHARS = 20
_ADDED_KINDS = frozenset({"sentence_added", "quote_added"})
_REMOVED_KINDS = frozenset({"sentence_removed", "quote_removed"})


def _one_side(edit: Edit, old_known: str, new_known: str) -> tuple[str, str, int]:
    """A one-sided sentence edit's text (compact), the page to look for it in, and its
    paragraph; ("", "", -1) for any other edit."""
    if edit.kind in _ADDED_KINDS and not edit.old:
        return compact_key(edit.new), old_known, edit.new_paragraph
    if edit.kind in _REMOVED_KINDS and not edit.new:
        return compact_key(edit.old), new_known, edit.old_paragraph
    return "", "", -1


def _known_with_neighbour(sides: list[tuple[str, str, int]], index: int) -> bool:
    """A sentence too short to prove anything alone ("Eu sou assim mesmo...") is known when it
    stands on the other page together with the sentence added (or removed) next to it in the
    same paragraph: a teaser the extraction took in whole, its first words included."""
    key, page, paragraph = sides[index]
    for other in (index - 1, index + 1):
        if not 0 <= other < len(sides):
            continue
        neighbour, neighbour_page, neighbour_paragraph = sides[other]
        if not neighbour or neighbour_page is not page or neighbour_paragraph != paragraph:
            continue
        joined = neighbour + key if other < index else key + neighbour
        if len(neighbour) >= KNOWN_TEXT_MIN_CHARS and joined in page:
            return True
    return False


def discount_known_text(edits: list[Edit], old_page_text: str, new_page_text: str) -> list[Edit]:
    """Sentences "added" that were already on the old page, or "removed" that are still on the
    new page, were not written or deleted by the newsroom: the extraction boundary moved (a
    rotated related-links box, a caption, an embedded post). They stay, with score 0 and that
    reason, so they never alert or make a change stealth. On a redesigned page (see
    `redesign.py`) a `page_redesigned` event comes first and edits at the article's edges are
    weighed down."""
    old_known, new_known = compact_key(old_page_text), compact_key(new_page_text)
    sides = [_one_side(edit, old_known, new_known) for edit in edits]
    result = []
    for index, edit in enumerate(edits):
        key, page, _ = sides[index]
        known = len(key) >= KNOWN_TEXT_MIN_CHARS and key in page
        if not known and key and len(key) < KNOWN_TEXT_MIN_CHARS:
            known = _known_with_neighbour(sides, index)
        if edit.kind == "byline" and edit.old and edit.new:
            # A byline picked from another element (a related story's author): both names are
            # on both pages, so the article's author did not change.
            # Likewise when every person added or removed is on both pages.
            names = [edit.old, edit.new] if old_name_changed(edit) else changed_people(edit)
            keys = [compact_key(name) for name in names]
            known = bool(keys) and all(
                key and key in page_text for key in keys for page_text in (old_known, new_known)
            )
        if known:
            where = {"byline": "old and new"}.get(edit.kind) or (
                "old" if edit.kind in _ADDED_KINDS else "new"
            )
            edit = make_edit(
                edit.kind,
                edit.field,
                penalty=1.0,
                extra=(f"the text is on the {where} page outside the article: extraction moved",),
                **{
                    name: getattr(edit, name)
                    for name in ("old", "new", "old_sentence", "new_sentence")
                },
                old_paragraph=edit.old_paragraph,
                new_paragraph=edit.new_paragraph,
            )
        result.append(edit)
    return weigh_redesign(result, old_page_text, new_page_text)
