"""Benchmark `monitor.compare.compare` on real edits, real headlines and known edits to real pages.

    python -m bench.edits --corpus ../shared/corpus [--limit N] [--bbc-cap N] [--examples N]
                          [--recaptures PATH] [--evaldata-pages N | --evaldata-all]
                          [--evaldata-split development|held-out|both] [--only SECTION ...]

1. NewsEdits: the 17 labelled real edits (OUR_LABELS_expected_edits.json) in 15 real version
   pairs; is each found, and with the expected kind? Run twice: on the text as given, and with the
   notebook's re-joined sentences ("Anti - Putin", "Beyoncé ,") de-tokenised first.
2. BBC homepage headlines: titles only, a category derived from each pair by a simple rule of its
   own (case only, quote style only, punctuation/space only, digits only, ...) against the kind.
3. Mutation suite: one known edit at a time made inside the HTML of the 181 real pages of
   article-extraction-benchmark (see `bench.mutations`), both sides extracted with
   `extract_article` and compared end to end; plus boilerplate churn and cosmetic changes, which
   must give no significant edit.
3b. The same suite on trafilatura-evaldata pages (mostly German), per half of its fixed split
   (development | held out, side by side), `--evaldata-pages` per half; targets may also be
   visible article paragraphs extraction leaves out ('not extracted' when no version shows them).
4. Speed of `compare` alone: per article pair of the suite, and on a synthetic ~1 MB pair.
5. Re-captured real pairs, per development / held-out split (see `bench.recaptures`): no-edit
   pairs alarmed, labelled kinds found, the mutation suite on those unseen pages, template swaps.
6. Headline variants (`bench.variants`): A/B tests on the BBC homepage history, development and
   held-out stories: flips recognised, genuine rewrites still reported.

The corpus is read in place and nothing is written.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus import corpus_dir_or_exit
from bench.mutations import (
    CHURN,
    MUTATIONS,
    VISIBLE_KINDS,
    Mutation,
    Page,
    Skip,
    mutate_churn,
    mutate_cosmetic,
    with_visible,
)
from monitor.compare.comparison import compare
from monitor.compare.edit import Edit
from monitor.compare.normalize import comparison_key
from monitor.extract.extraction import Article, extract_article
from monitor.record.versions import RawPage, compare_versions

NEWSEDITS = "newsedits-notebook-samples"
BBC = "bbc-homepage-headline-history"
AEB = "article-extraction-benchmark"

TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95
TARGET_MEDIAN_MS = 5.0
TARGET_BIG_MS = 1000.0


# ------------------------------------------------------------------ output helpers
def table(headers: Sequence[str], rows: Iterable[Sequence[object]], indent: str = "  ") -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        parts = [
            row[i].ljust(widths[i]) if i == 0 else row[i].rjust(widths[i])
            for i in range(len(headers))
        ]
        lines.append(indent + "  ".join(parts).rstrip())
        if number == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def heading(title: str) -> None:
    print(f"\n{'=' * 100}\n{title}\n{'=' * 100}")


def short(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def show_edit(edit: Edit) -> str:
    flag = "*" if edit.significant else " "
    return f"{flag}{edit.kind}[{edit.field}] {short(edit.old, 60)!r} → {short(edit.new, 60)!r}"


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def contains(haystack: str, needle: str) -> bool:
    """Word-bounded containment on comparison keys (punctuation, case and spacing ignored)."""
    key = comparison_key(needle)
    return bool(key) and f" {key} " in f" {comparison_key(haystack)} "


@dataclass
class Failures:
    """Failure patterns: (section, pattern) → examples."""

    patterns: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, section: str, pattern: str, example: str) -> None:
        self.patterns[(section, pattern)].append(example)

    def print(self, examples: int) -> None:
        if not self.patterns:
            print("  none")
            return
        ordered = sorted(self.patterns.items(), key=lambda item: (-len(item[1]), item[0]))
        for (section, pattern), cases in ordered:
            print(f"\n  [{len(cases):>3}] {section}: {pattern}")
            for case in cases[:examples]:
                print(f"        - {case}")


# ------------------------------------------------------------------ 1. NewsEdits
# Our kinds for the labels' vocabulary; the first kind is the one expected, the others are also
# accepted.
LABEL_KINDS: dict[str, tuple[str, ...]] = {
    "name_correction": ("name",),
    "name_change_style": ("name",),
    "credit_line_change": ("name",),
    "headline_change": ("headline",),
    "quote_change": ("quote",),
    "typo_fix": ("typo",),
    "fact_correction": ("sentence_changed",),
    "wording_fact": ("sentence_changed",),
    "source_named": ("sentence_changed", "name"),
    "title_descriptor_change": ("sentence_changed",),
    "tense_fact_update": ("sentence_changed",),
    "detail_removed": ("sentence_changed",),
}
_REJOINED = re.compile(r"\w [,.;:!?%](?:\s|$)|[“‘(\[] \w|\w [”’)\]]|\w - \w")


def detokenize(text: str) -> str:
    """Undo the notebook's re-joining of word tokens in one sentence or headline:
    "Anti - Putin" → "Anti-Putin", "Beyoncé , others" → "Beyoncé, others", "“ No" → "“No"."""
    if not _REJOINED.search(text):
        return text
    text = re.sub(r"(\w) - (?=\w)", r"\1-", text)
    text = re.sub(r" ([,.;:!?%])(?=\s|$|[”’\"])", r"\1", text)
    text = re.sub(r" ([’'](?:s|re|ll|ve|d|m|t)\b)", r"\1", text)
    text = re.sub(r" (n[’']t\b)", r"\1", text)
    text = re.sub(r"([“‘(\[]) ", r"\1", text)
    text = re.sub(r" ([”’)\]])", r"\1", text)
    return text


def _word_counts(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def _changed_tokens(old: str, new: str) -> Counter[str]:
    a, b = _word_counts(old), _word_counts(new)
    return (a - b) + (b - a)


def _touches(edit: Edit, label: dict[str, Any]) -> bool:
    """Is this edit about the labelled change?"""
    if label["field"] == "headline":
        return edit.field == "title"
    if edit.field != "body":
        return False
    if not (
        contains(edit.old_sentence, label["old_snippet"])
        or contains(edit.new_sentence, label["new_snippet"])
    ):
        return False
    changed = _changed_tokens(label["old_snippet"], label["new_snippet"])
    mine = Counter(re.findall(r"\w+", f"{edit.old} {edit.new}".casefold()))
    return bool(changed & mine) or not changed


def _newsedits_articles(pair: dict[str, Any], detok: bool) -> tuple[Article, Article]:
    fix = detokenize if detok else (lambda s: s)
    old_body = "\n".join(fix(s) for s in pair["sentences_old"])
    new_body = "\n".join(fix(s) for s in pair["sentences_new"])
    return (
        Article(title=fix(pair.get("headline_old") or ""), body=old_body),
        Article(title=fix(pair.get("headline_new") or ""), body=new_body),
    )


def run_newsedits(root: Path, failures: Failures, examples: int) -> None:
    folder = root / NEWSEDITS
    heading(f"1. NewsEdits: 17 labelled real edits ({folder.name})")
    if not folder.is_dir():
        print("  not found, skipped")
        return
    labels = json.loads((folder / "OUR_LABELS_expected_edits.json").read_text("utf-8"))["labels"]
    pairs = {
        p.stem: json.loads(p.read_text("utf-8")) for p in sorted((folder / "pairs").glob("*.json"))
    }
    for pair in pairs.values():
        joined = "\n".join(pair["sentences_old"]), "\n".join(pair["sentences_new"])
        assert joined == (pair["text_old"], pair["text_new"]), pair["pair_id"]
    print(
        "  Articles: title = headline_old/new (empty when null); body = the sentences, one per\n"
        "  line (identical to text_old/new). 'as given' keeps the notebook's re-joined tokens;\n"
        "  'detok' first undoes them in sentences that show them (“ No justice , no peace !).\n"
        "  A label is found when an edit of the title (headline labels) or of a body sentence\n"
        "  containing the labelled snippet covers one of the words that the label changes;\n"
        "  kind-correct when one such edit has an accepted kind.\n"
    )
    print("  label vocabulary → our kinds (first expected, others accepted):")
    used = Counter(label["label"] for label in labels)
    for name, kinds in LABEL_KINDS.items():
        print(f"    {name:<24} → {' / '.join(kinds):<26} ({used.get(name, 0)} labels)")

    results: dict[str, list[tuple[dict[str, Any], list[Edit], list[Edit]]]] = {}
    for mode in ("as given", "detok"):
        cache: dict[str, list[Edit]] = {}
        rows = []
        for label in labels:
            pair_id = label["pair_id"]
            if pair_id not in cache:
                cache[pair_id] = compare(*_newsedits_articles(pairs[pair_id], mode == "detok"))
            edits = cache[pair_id]
            rows.append((label, edits, [e for e in edits if _touches(e, label)]))
        results[mode] = rows

    print()
    header = ["pair", "label", "expected", "as given", "detok"]
    body_rows = []
    for (label, _, given), (_, _, detok) in zip(results["as given"], results["detok"], strict=True):
        expected = LABEL_KINDS[label["label"]]

        def verdict(touching: list[Edit], expected: tuple[str, ...] = expected) -> str:
            if not touching:
                return "MISSED"
            kinds = sorted({e.kind for e in touching})
            mark = "ok" if any(k in expected for k in kinds) else "WRONG"
            return f"{mark} {'+'.join(kinds)}"

        body_rows.append(
            [label["pair_id"][:34], label["label"], expected[0], verdict(given), verdict(detok)]
        )
    print(table(header, body_rows))
    print()
    summary = []
    for mode, rows in results.items():
        found = sum(1 for _, _, touching in rows if touching)
        correct = sum(
            1
            for label, _, touching in rows
            if any(e.kind in LABEL_KINDS[label["label"]] for e in touching)
        )
        summary.append([mode, f"{found}/{len(rows)}", f"{correct}/{len(rows)}"])
    print(table(["text", "found", "kind-correct"], summary))

    # Misses and wrong kinds; the de-tokenised text (the form a crawler would see) first.
    for mode in ("detok", "as given"):
        print(f"\n  misses and wrong kinds ({mode}; * = significant):")
        any_miss = False
        for label, edits, touching in results[mode]:
            expected = LABEL_KINDS[label["label"]]
            if touching and any(e.kind in expected for e in touching):
                continue
            any_miss = True
            print(f"\n  - {label['pair_id']} / {label['label']} (expected {expected[0]})")
            print(f"      labelled old: {short(label['old_snippet'])!r}")
            print(f"      labelled new: {short(label['new_snippet'])!r}")
            shown = touching or _nearest(edits, label)
            note = "" if touching else " (nothing on it; nearest edits)"
            print(f"      compare returned{note}:")
            for edit in shown[:5]:
                print(f"        {show_edit(edit)}")
                if edit.field == "body" and edit.old != edit.old_sentence:
                    print(f"            in {short(edit.old_sentence, 100)!r}")
                    print(f"            →  {short(edit.new_sentence, 100)!r}")
            returned = "+".join(sorted({e.kind for e in touching})) or "nothing"
            failures.add(
                f"newsedits ({mode})",
                f"expected {expected[0]}, got {returned}",
                f"{label['pair_id']}: {short(label['old_snippet'], 70)!r} → "
                f"{short(label['new_snippet'], 70)!r}",
            )
        if not any_miss:
            print("    none")

    # Edits on sentences that did not change (present, bar punctuation/space, in both versions).
    print("\n  significant edits on unchanged sentences (a sentence whose comparison key is in")
    print("  both versions' sentence lists):")
    table_rows = []
    for mode in ("as given", "detok"):
        flagged_total = 0
        for pair_id, pair in pairs.items():
            old, new = _newsedits_articles(pair, mode == "detok")
            unchanged = {comparison_key(s) for s in old.body.split("\n")} & {
                comparison_key(s) for s in new.body.split("\n")
            }
            for edit in compare(old, new):
                if not edit.significant or edit.field != "body":
                    continue
                hit = [
                    s
                    for s in (edit.old_sentence, edit.new_sentence)
                    if s and comparison_key(s) in unchanged
                ]
                if hit:
                    flagged_total += 1
                    if mode == "detok":
                        print(f"    {pair_id}: {show_edit(edit)}")
                        print(f"        old {short(edit.old_sentence)!r}")
                        print(f"        new {short(edit.new_sentence)!r}")
                        failures.add(
                            "newsedits",
                            f"significant {edit.kind} on an unchanged sentence",
                            f"{pair_id}: {short(edit.old_sentence, 70)!r} → "
                            f"{short(edit.new_sentence, 70)!r}",
                        )
        table_rows.append([mode, flagged_total])
    print(table(["text", "edits on unchanged sentences"], table_rows))
    del examples


def _nearest(edits: list[Edit], label: dict[str, Any]) -> list[Edit]:
    changed = _changed_tokens(label["old_snippet"], label["new_snippet"])
    snippet = Counter(re.findall(r"\w+", f"{label['old_snippet']} {label['new_snippet']}".lower()))

    def score(edit: Edit) -> int:
        words = Counter(re.findall(r"\w+", f"{edit.old_sentence} {edit.new_sentence}".lower()))
        return sum((words & snippet).values()) + 3 * sum((words & changed).values())

    body = [e for e in edits if e.field == "body"]
    return sorted(body, key=score, reverse=True)[:3]


# ------------------------------------------------------------------ 2. BBC headlines
_QUOTE_CHARS = re.compile(r"[‘’'`´“”\"″′]")
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
# A figure: digits with their unit ("$867bn", "12%", "5m") or a cardinal number word (ordinals
# and "half" left out: "First Minister" is not a figure).
_FIGURES = re.compile(
    r"\d[\d,.]*[a-z]*|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?)\b",
    re.IGNORECASE,
)
# Category → the kinds that are right for it ("none" = no edit at all).
BBC_EXPECTED: dict[str, tuple[str, ...]] = {
    "case only": ("cosmetic", "none"),
    "quote style only": ("cosmetic", "none"),
    "punctuation/space only": ("cosmetic", "none"),
    "case+punctuation only": ("cosmetic", "none"),
    "digits only": ("number",),
    "figures only": ("number",),
    "figure and words": ("number", "headline"),
    "words": ("headline",),
}


def _figures(text: str) -> list[str]:
    return [f.casefold() for f in _FIGURES.findall(text)]


def bbc_category(old: str, new: str) -> str:
    """What changed in a headline, by simple string rules independent of `compare.normalize`."""
    if old.casefold() == new.casefold() and old != new:
        return "case only"
    if _QUOTE_CHARS.sub("'", old) == _QUOTE_CHARS.sub("'", new):
        return "quote style only"
    bare_old, bare_new = _NON_WORD.sub("", old), _NON_WORD.sub("", new)
    if bare_old == bare_new:
        return "punctuation/space only"
    if bare_old.casefold() == bare_new.casefold():
        return "case+punctuation only"
    if _DIGITS.sub("0", old) == _DIGITS.sub("0", new):
        return "digits only"
    if _FIGURES.sub("0", old) == _FIGURES.sub("0", new):
        return "figures only"
    if _figures(old) != _figures(new):
        return "figure and words"
    return "words"


def _bbc_rows(path: Path) -> list[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle)
        pairs = {
            (r["title_old"], r["title_new"])
            for r in rows
            if r["section"] == "news"
            and not r["is_live"]
            and r["title_changed"]
            and not r["reverted_later_or_ab"]
            and r["title_old"]
            and r["title_new"]
        }
    return sorted(pairs)


def _bbc_confusion(name: str, pairs: list[tuple[str, str]], failures: Failures) -> None:
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    kinds_seen: Counter[str] = Counter()
    wrong = 0
    for old, new in pairs:
        category = bbc_category(old, new)
        edits = compare(Article(title=old), Article(title=new))
        kind = "+".join(e.kind for e in edits) or "none"
        confusion[category][kind] += 1
        kinds_seen[kind] += 1
        if kind not in BBC_EXPECTED[category]:
            wrong += 1
            failures.add(
                "bbc",
                f"{category} → {kind} (expected {' or '.join(BBC_EXPECTED[category])})",
                f"{old!r} → {new!r}",
            )
    columns = [k for k, _ in kinds_seen.most_common()]
    rows = []
    for category in BBC_EXPECTED:
        counts = confusion.get(category, Counter())
        total = sum(counts.values())
        if not total:
            rows.append([category, 0, *["" for _ in columns], "", "-"])
            continue
        right = sum(counts[k] for k in BBC_EXPECTED[category])
        rows.append(
            [
                category,
                total,
                *[counts.get(k, "") for k in columns],
                "/".join(BBC_EXPECTED[category]),
                ratio(right, total),
            ]
        )
    print(f"\n  {name}: {len(pairs)} title pairs; rows: category by rule, columns: kinds returned")
    print(table(["category", "pairs", *columns, "expected", "share right"], rows))
    must = [c for c in BBC_EXPECTED if c not in ("figure and words", "words", "figures only")]
    hard_wrong = sum(
        n for c in must for k, n in confusion.get(c, Counter()).items() if k not in BBC_EXPECTED[c]
    )
    print(
        "  must-rules (cosmetic categories → cosmetic/none, digits only → number): "
        f"{hard_wrong} violations; all categories: {wrong} not as expected"
    )


def run_bbc(root: Path, cap: int | None, failures: Failures) -> None:
    folder = root / BBC
    heading(f"2. BBC homepage headlines, titles only ({folder.name})")
    if not folder.is_dir():
        print("  not found, skipped")
        return
    print(
        "  category rule (first that fits): case only = equal casefolded; quote style only =\n"
        "  equal once every quote mark is '; punctuation/space only = equal with non-word\n"
        "  characters dropped (case+punctuation: also casefolded); digits only = equal with every\n"
        "  digit run replaced by 0; figures only = equal with every figure replaced by 0 (digits\n"
        "  with their unit: $867bn, 12%; cardinal words: one, twelve, dozens, million); figure\n"
        "  and words = the figures differ and other words too; words = the rest (same figures).\n"
        "  'none' = compare returned no edit."
    )
    sample = json.loads((folder / "sample_news_title_changes.json").read_text("utf-8"))
    sample_pairs = [(r["title_old"], r["title_new"]) for r in sample if r["title_changed"]]
    _bbc_confusion("300-row sample (sample_news_title_changes.json)", sample_pairs, failures)
    if cap == 0:
        return
    big = _bbc_rows(folder / "headline_changes.jsonl.gz")
    if cap is not None and cap < len(big):
        big = random.Random(1).sample(big, cap)
    _bbc_confusion(
        "headline_changes.jsonl.gz: news, not live, title changed, not reverted/A-B, distinct",
        big,
        failures,
    )


# ------------------------------------------------------------------ 3. mutation suite
@dataclass
class KindStats:
    attempted: int = 0
    skipped: int = 0
    hits: int = 0
    lost: int = 0
    not_extracted: int = 0  # edits of text that neither version's extraction shows
    significant: int = 0  # significant edits produced
    significant_expected: int = 0  # of which of the expected kind
    pages_with_other: int = 0  # pages with a significant edit of another kind
    pages_with_significant: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)
    other_kinds: Counter[str] = field(default_factory=Counter)
    applied: Counter[str] = field(default_factory=Counter)


def _decode(raw: bytes) -> str:
    from trafilatura.utils import decode_file

    decoded = decode_file(raw)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", "replace")


def _lost(mutation: Mutation, new: Article) -> bool:
    """Did extraction drop (or, for a removal, keep) the edited text?"""
    where = new.title if mutation.kind == "headline" else new.body
    return any(not contains(where, text) for text in mutation.expect_present) or any(
        contains(new.body, text) for text in mutation.expect_absent
    )


def _extracted(mutation: Mutation, original: Article) -> bool:
    """Did the original extraction show the text the mutation edited?"""
    return not mutation.target or contains(original.body, mutation.target)


def _hit(mutation: Mutation, edit: Edit) -> bool:
    """Is this edit the mutation, named with the expected kind?"""
    if edit.kind != mutation.kind:
        return False
    if mutation.kind == "headline":
        return edit.field == "title"
    if mutation.kind in ("sentence_added", "correction_note"):
        return contains(edit.new, mutation.new)
    if mutation.kind == "sentence_removed":
        return contains(edit.old, mutation.old)
    return contains(edit.old_sentence, mutation.old) and contains(edit.new_sentence, mutation.new)


def _sample(keys: list[str], limit: int | None) -> list[str]:
    if not limit or limit >= len(keys):
        return keys
    step = len(keys) / limit
    return [keys[int(i * step)] for i in range(limit)]


def _edit_example(page_id: str, mutation: Mutation, edit: Edit) -> str:
    text = f"{page_id[:10]} [{short(mutation.detail, 80)}] {show_edit(edit)}"
    if edit.field == "body" and edit.old_sentence and edit.new_sentence:
        text += (
            f"\n            old: {short(edit.old_sentence, 150)!r}"
            f"\n            new: {short(edit.new_sentence, 150)!r}"
        )
    return text


def run_mutations(
    root: Path, limit: int | None, failures: Failures
) -> list[tuple[float, float, str]]:
    folder = root / AEB
    heading(f"3. Mutation suite on real pages ({folder.name})")
    if not folder.is_dir():
        print("  not found, skipped")
        return []
    ground_truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    ids = _sample(sorted(ground_truth), limit)

    def pages() -> Iterable[tuple[str, str, str | None]]:
        for page_id in ids:
            raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
            yield page_id, _decode(raw), ground_truth[page_id].get("url")

    return mutation_suite(pages(), len(ids), failures)


# Pages per split of trafilatura-evaldata by default: about 3 s of CPU per page (the original
# and nine variants extracted and compared), so both halves take about 8 minutes;
# `--evaldata-all` runs all 990.
EVALDATA_PAGES = 80


def run_evaldata_mutations(
    root: Path, per_split: int | None, splits: Sequence[str], failures: Failures
) -> dict[str, SuiteResult]:
    """The mutation suite on pages of trafilatura-evaldata (mostly German, never tuned on before
    this suite), per half of its fixed split (`bench.extract.evaldata_split`): `per_split`
    pages of each, evenly spread over the sorted URLs (all when None). Targets may be visible
    paragraphs that extraction leaves out (`run_suite`'s `visible`)."""
    from bench.extract import EVALDATA, evaldata_page, evaldata_split, load_evaldata

    heading(f"3b. Mutation suite on {EVALDATA} pages, by half ({' | '.join(splits)})")
    if not (root / EVALDATA).is_dir():
        print("  not found, skipped")
        return {}
    evaldata = load_evaldata(root)
    results: dict[str, SuiteResult] = {}
    for split in splits:
        urls = _sample([u for u in sorted(evaldata) if evaldata_split(u) == split], per_split)

        def pages(urls: list[str] = urls) -> Iterable[tuple[str, str, str | None]]:
            for url in urls:
                raw = evaldata_page(root, evaldata[url]["file"])
                if raw is not None:
                    yield evaldata[url]["file"], _decode(raw), url

        # The held-out half's failures are counted, never shown: nobody tunes on them.
        kept = failures if split == "development" else Failures()
        results[split] = run_suite(pages(), len(urls), kept, f"evaldata {split}", True)
        if kept is not failures:
            hidden = sum(len(cases) for cases in kept.patterns.values())
            print(f"  {split}: {hidden} failure cases, not shown (held out)")
    print_suite(results)
    return results


VARIANTS = (*MUTATIONS, "churn", "cosmetic")


@dataclass
class SuiteResult:
    """The mutation suite's counts on one set of pages."""

    pages: int = 0
    empty_pages: int = 0
    seconds: float = 0.0
    stats: dict[str, KindStats] = field(
        default_factory=lambda: {name: KindStats() for name in VARIANTS}
    )
    churn_parts: dict[str, KindStats] = field(
        default_factory=lambda: {name: KindStats() for name in CHURN}
    )
    compare_ms: list[tuple[float, float, str]] = field(default_factory=list)
    # With visible targets: pages with visible article paragraphs extraction leaves out, and
    # how many such paragraphs.
    pages_with_unextracted: int = 0
    unextracted_paragraphs: int = 0

    def precision(self) -> tuple[int, int]:
        """Significant edits of the expected kind, and all significant edits, over the kinds."""
        stats = [self.stats[name] for name in MUTATIONS]
        return sum(s.significant_expected for s in stats), sum(s.significant for s in stats)


def mutation_suite(
    pages: Iterable[tuple[str, str, str | None]],
    count: int,
    failures: Failures,
    section: str = "mutation",
) -> list[tuple[float, float, str]]:
    """The mutation suite over (page id, HTML, URL) triples; prints its tables, returns the
    compare times. `section` names the failure patterns (one suite per data set)."""
    result = run_suite(pages, count, failures, section)
    print_suite({section: result})
    return result.compare_ms


def run_suite(
    pages: Iterable[tuple[str, str, str | None]],
    count: int,
    failures: Failures,
    section: str = "mutation",
    visible: bool = False,
) -> SuiteResult:
    """Run every variant on every page. With `visible`, the word and sentence mutations may also
    pick their target in a paragraph of the page's article container that extraction leaves out
    (`bench.mutations.with_visible`): such an edit that no version's extraction shows is counted
    as 'not extracted', a miss."""
    suite = SuiteResult()
    stats, churn_parts, compare_ms = suite.stats, suite.churn_parts, suite.compare_ms
    started = time.perf_counter()
    extract_article("<html><body><article><p>" + "Warm-up sentence. " * 20 + "</p></article>")
    for number, (page_id, html, url) in enumerate(pages, 1):
        suite.pages += 1
        page = Page(html)
        original = extract_article(html, url)
        targets = with_visible(page, original) if visible else original
        extra = targets.body.count("\n") - original.body.count("\n")
        suite.pages_with_unextracted += extra > 0
        suite.unextracted_paragraphs += extra
        if original.is_empty():
            suite.empty_pages += 1
        for name in VARIANTS:
            rng = random.Random(f"{page_id}/{name}")
            if name == "churn":
                result = mutate_churn(page, original, rng)
            elif name == "cosmetic":
                result = mutate_cosmetic(page, original, rng)
            elif original.is_empty():
                result = Skip("nothing extracted from the page")
            elif name in VISIBLE_KINDS:
                result = MUTATIONS[name](page, targets, rng)
            else:
                result = MUTATIONS[name](page, original, rng)
            s = stats[name]
            if isinstance(result, Skip):
                s.skipped += 1
                s.skip_reasons[result.reason] += 1
                continue
            s.attempted += 1
            s.applied.update(result.applied)
            new = extract_article(result.html, url)
            # `compare` alone is timed for its target; then the crawl's one comparison path
            # (compare, then discount text that only crossed the extraction boundary, which
            # reads both raw pages) is what the suite scores, timed on its own.
            t0 = time.perf_counter()
            compare(original, new)
            t1 = time.perf_counter()
            edits = list(compare_versions(original, new, _raw(page.html), _raw(result.html)).edits)
            t2 = time.perf_counter()
            size = len(original.body) + len(new.body)
            where = f"{page_id[:10]}/{name} ({size:,} chars)"
            compare_ms.append(((t1 - t0) * 1000, (t2 - t1) * 1000, where))
            significant = [e for e in edits if e.significant]
            s.significant += len(significant)
            if significant:
                s.pages_with_significant += 1
            if name in ("churn", "cosmetic"):
                for edit in significant:
                    s.other_kinds[edit.kind] += 1
                    failures.add(
                        section,
                        f"{name} → significant {edit.kind}",
                        _edit_example(page_id, result, edit),
                    )
                if name == "churn" and significant:
                    _attribute_churn(page, original, page_id, url, churn_parts)
                continue
            expected = [e for e in significant if e.kind == result.kind]
            others = [e for e in significant if e.kind != result.kind]
            s.significant_expected += len(expected)
            if others:
                s.pages_with_other += 1
            lost = _lost(result, new)
            # Text no extraction showed: a removal of it changes nothing extracted, an edit or
            # an addition next to it is lost unless the new extraction shows it.
            unseen = not _extracted(result, original) and (lost or bool(result.expect_absent))
            lost = lost or unseen
            hit = not lost and any(_hit(result, e) for e in edits)
            s.hits += hit
            s.lost += lost and not unseen
            s.not_extracted += unseen
            if lost:
                failures.add(
                    section,
                    f"{name}: " + ("not extracted" if unseen else "lost by extraction"),
                    f"{page_id[:10]} [{short(result.detail, 120)}]",
                )
            elif not hit:
                on_it = [e for e in edits if _about(result, e)]
                kinds = "+".join(sorted({e.kind for e in on_it})) or "nothing on it"
                example = f"{page_id[:10]} [{short(result.detail, 100)}]"
                for edit in on_it[:3] or edits[:3]:
                    example += "\n          " + _edit_example(page_id, result, edit)
                failures.add(section, f"{name} → {kinds}", example)
            for edit in others:
                s.other_kinds[edit.kind] += 1
                failures.add(
                    section,
                    f"{name}: extra significant {edit.kind}",
                    _edit_example(page_id, result, edit),
                )
        if number % 20 == 0:
            elapsed = time.perf_counter() - started
            print(f"  … {number}/{count} pages, {elapsed:.0f} s", file=sys.stderr)
    suite.seconds = time.perf_counter() - started
    return suite


def _group_headers(splits: Sequence[str], columns: Sequence[str]) -> list[str]:
    """Column headers, one group per split ("dev tried", "held tried", ...), split by "|"."""
    if len(splits) == 1:
        return list(columns)
    headers: list[str] = []
    for split in splits:
        short_name = {"development": "dev", "held-out": "held", "heldout": "held"}.get(split, split)
        headers += ["|", *(f"{short_name} {column}" for column in columns)]
    return headers


def _group_row(splits: Sequence[str], cells: list[object]) -> list[object]:
    return ["|", *cells] if len(splits) > 1 else cells


def print_suite(results: dict[str, SuiteResult]) -> None:
    """The suite's tables, one group of columns per set of pages (side by side)."""
    splits = list(results)
    for split, r in results.items():
        empty = f"{r.empty_pages} with an empty extraction"
        print(f"  {split}: {r.pages} pages ({empty}), {r.seconds:.0f} s")
        if r.unextracted_paragraphs:
            print(
                f"    {r.pages_with_unextracted} pages show article paragraphs extraction leaves"
                f" out ({r.unextracted_paragraphs} paragraphs, possible targets)"
            )
    print(
        "  One edit per variant, made in the raw HTML where the target is written exactly once\n"
        "  in body text.\n"
        "  recall = hits / attempted, a hit being an edit of the expected kind on the edited\n"
        "  text;"
        " 'lost' = extraction dropped (or kept) the edited text in the new version only;\n"
        "  'not extr' = it is in neither version's extraction (both count as misses); 'extr rec'\n"
        "  = recall over the edits extraction showed.\n"
        "  precision = significant edits of the expected kind / all significant edits produced.\n"
        "  'w/ other' = pages where some significant edit of another kind was also produced."
    )
    columns = [
        "tried",
        "hits",
        "not extr",
        "lost",
        "recall",
        "extr rec",
        "prec",
        "w/ other",
    ]
    rows: list[list[object]] = []
    for name in MUTATIONS:
        row: list[object] = [name]
        for r in results.values():
            s = r.stats[name]
            seen = s.attempted - s.lost - s.not_extracted
            row += _group_row(
                splits,
                [
                    s.attempted,
                    s.hits,
                    s.not_extracted,
                    s.lost,
                    ratio(s.hits, s.attempted),
                    ratio(s.hits, seen),
                    ratio(s.significant_expected, s.significant),
                    s.pages_with_other,
                ],
            )
        rows.append(row)
    row = ["all kinds"]
    for r in results.values():
        stats = [r.stats[name] for name in MUTATIONS]
        attempted = sum(s.attempted for s in stats)
        hits = sum(s.hits for s in stats)
        unseen = sum(s.not_extracted for s in stats)
        lost = sum(s.lost for s in stats)
        row += _group_row(
            splits,
            [
                attempted,
                hits,
                unseen,
                lost,
                ratio(hits, attempted),
                ratio(hits, attempted - unseen - lost),
                ratio(*r.precision()),
                sum(s.pages_with_other for s in stats),
            ],
        )
    rows.append(row)
    print()
    print(table(["kind", *_group_headers(splits, columns)], rows))
    low = [
        f"{split} {name}"
        for split, r in results.items()
        for name in MUTATIONS
        if r.stats[name].attempted and r.stats[name].hits / r.stats[name].attempted < TARGET_RECALL
    ]
    print(f"  kinds below recall {TARGET_RECALL}: " + (", ".join(low) or "none"))

    print("\n  must give zero significant edits (pages alarmed / attempted):")
    rows = []
    for name in ("churn", "cosmetic"):
        row = [name]
        for r in results.values():
            s = r.stats[name]
            kinds = ", ".join(f"{k} {n}" for k, n in s.other_kinds.most_common()) or "-"
            row += _group_row(
                splits, [s.attempted, s.skipped, s.pages_with_significant, s.significant, kinds]
            )
        rows.append(row)
    churn_columns = ["tried", "skip", "pages alarmed", "edits", "kinds"]
    print(table(["variant", *_group_headers(splits, churn_columns)], rows))

    print("\n  churn operations applied (pages), and, re-run alone on the pages where the combined")
    print("  churn gave a significant edit, how many of those pages each one accounts for:")
    rows = []
    for part in CHURN:
        row = [part]
        for r in results.values():
            s = r.churn_parts[part]
            applied = r.stats["churn"].applied.get(part, 0)
            row += _group_row(splits, [applied, s.attempted, s.pages_with_significant])
        rows.append(row)
    part_columns = ["applied on", "re-run on", "significant on"]
    print(table(["churn operation", *_group_headers(splits, part_columns)], rows))
    for split, r in results.items():
        cosmetic = r.stats["cosmetic"].applied
        print(
            f"  {split}: cosmetic operations applied (pages): "
            + (", ".join(f"{k} {n}" for k, n in cosmetic.most_common()) or "-")
        )
    print("\n  skip reasons:")
    for split, r in results.items():
        for name in VARIANTS:
            for reason, count in r.stats[name].skip_reasons.most_common():
                print(f"    {split[:8]:<8} {name:<17} {count:>4}  {reason}")


def _about(mutation: Mutation, edit: Edit) -> bool:
    """Is this edit (whatever its kind) about the mutated text?"""
    if mutation.kind == "headline":
        return edit.field == "title"
    texts = [t for t in (mutation.old, mutation.new) if t]
    return any(contains(edit.old_sentence, t) or contains(edit.new_sentence, t) for t in texts)


def _raw(html: str | bytes) -> RawPage:
    return RawPage(html.encode() if isinstance(html, str) else html)


def _attribute_churn(
    page: Page, original: Article, page_id: str, url: str | None, parts: dict[str, KindStats]
) -> None:
    for part in CHURN:
        result = mutate_churn(page, original, random.Random(f"{page_id}/churn"), only=(part,))
        if isinstance(result, Skip):
            continue
        parts[part].attempted += 1
        new = extract_article(result.html, url)
        edits = list(compare_versions(original, new, _raw(page.html), _raw(result.html)).edits)
        if any(e.significant for e in edits):
            parts[part].pages_with_significant += 1


# ------------------------------------------------------------------ 4. speed
_SYLLABLES = ("ba", "ko", "ri", "ten", "mal", "sor", "vi", "dan", "ge", "lu", "pra", "nor", "tes")


def synthetic_text(size: int, seed: int = 7) -> list[list[str]]:
    """Paragraphs of sentences, about `size` characters in all, every sentence distinct."""
    rng = random.Random(seed)
    words = sorted(
        {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(6000)}
    )
    names = [w.capitalize() for w in words if len(w) >= 5][:300]
    paragraphs: list[list[str]] = []
    total = 0
    while total < size:
        paragraph = []
        for _ in range(rng.randint(2, 5)):
            chosen = [rng.choice(words) for _ in range(rng.randint(10, 24))]
            chosen[rng.randrange(1, len(chosen))] = rng.choice(names)
            if rng.random() < 0.3:
                chosen[rng.randrange(1, len(chosen))] = str(rng.randint(2, 9999))
            sentence = " ".join(chosen).capitalize() + "."
            if rng.random() < 0.15:
                sentence = f'{rng.choice(names)} said: "{sentence}"'
            paragraph.append(sentence)
            total += len(sentence) + 1
        paragraphs.append(paragraph)
    return paragraphs


def synthetic_pair(size: int = 1_000_000) -> tuple[str, str, list[str]]:
    """A ~`size`-character body and a copy with a handful of scattered edits (their kinds)."""
    rng = random.Random(11)
    old = synthetic_text(size)
    new = [list(p) for p in old]
    n = len(new)
    planned = []
    # a figure, a name, a word in a quotation, a sentence added, one removed, a correction note.
    for paragraph in new[n // 10 :]:
        hit = next((i for i, s in enumerate(paragraph) if re.search(r" \d+ ", s)), None)
        if hit is not None:
            paragraph[hit] = re.sub(
                r" (\d+) ", lambda m: f" {int(m.group(1)) + 1} ", paragraph[hit], count=1
            )
            planned.append("number")
            break
    for paragraph in new[n // 4 :]:
        hit = next(
            (i for i, s in enumerate(paragraph) if '"' not in s and re.search(r" [A-Z]\w{3,}", s)),
            None,
        )
        if hit is not None:
            paragraph[hit] = re.sub(r" ([A-Z]\w)(\w)(\w)", r" \1\3\2", paragraph[hit], count=1)
            planned.append("name")
            break
    for paragraph in new[n // 2 :]:
        hit = next((i for i, s in enumerate(paragraph) if ': "' in s), None)
        if hit is not None:
            head, quote = paragraph[hit].split(': "', 1)
            words = quote.split(" ")
            words[2] = "certainly"
            paragraph[hit] = head + ': "' + " ".join(words)
            planned.append("quote")
            break
    new[int(n * 0.6)].insert(1, "Officials declined to say when a final decision would be made.")
    planned.append("sentence_added")
    removed_in = next(p for p in new[int(n * 0.75) :] if len(p) >= 3 and '"' not in p[1])
    removed_in.pop(1)
    planned.append("sentence_removed")
    new.append(["Correction: An earlier version of this article misstated the figure."])
    planned.append("correction_note")
    del rng
    return (
        "\n".join(" ".join(p) for p in old),
        "\n".join(" ".join(p) for p in new),
        planned,
    )


def run_speed(compare_ms: list[tuple[float, float, str]]) -> None:
    heading("4. Speed of compare() alone (extraction excluded), and of the crawl's comparison path")
    if compare_ms:
        rows = []
        for label, index in (("compare()", 0), ("compare_versions()", 1)):
            ordered = sorted(entry[index] for entry in compare_ms)
            p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
            median = statistics.median(ordered)
            verdict = f"median < {TARGET_MEDIAN_MS:.0f} ms: " + (
                "ok" if median < TARGET_MEDIAN_MS else "FAIL"
            )
            rows.append(
                [
                    label,
                    len(ordered),
                    f"{median:.2f}",
                    f"{p99:.2f}",
                    f"{ordered[-1]:.2f}",
                    verdict if index == 0 else "(info: + boundary discount on both raw pages)",
                ]
            )
        print(table(["what", "pairs", "median ms", "p99 ms", "max ms", "target"], rows))
        slowest = sorted(compare_ms, reverse=True)[:3]
        print(
            "  slowest compare() pairs: "
            + "; ".join(f"{where} {ms:.1f} ms" for ms, _, where in slowest)
        )
    old_body, new_body, planned = synthetic_pair()
    old, new = Article(body=old_body), Article(body=new_body)
    times = []
    edits: list[Edit] = []
    for _ in range(3):
        t0 = time.perf_counter()
        edits = compare(old, new)
        times.append((time.perf_counter() - t0) * 1000)
    found = Counter(e.kind for e in edits)
    missing = [k for k in planned if not found.get(k)]
    paragraphs = old_body.count("\n") + 1
    print(
        f"\n  synthetic pair: {len(old_body.encode()):,} bytes, {paragraphs:,} paragraphs, "
        f"{len(planned)} planned edits ({', '.join(planned)})"
    )
    print(
        table(
            ["run", "ms", "target"],
            [
                [
                    f"#{i + 1}" + (" (cold split cache)" if i == 0 else ""),
                    f"{ms:.0f}",
                    "ok" if ms < TARGET_BIG_MS else "FAIL",
                ]
                for i, ms in enumerate(times)
            ],
        )
    )
    print(
        "  edits found: "
        + ", ".join(f"{k} {n}" for k, n in found.most_common())
        + (f"; planned but not found: {', '.join(missing)}" if missing else "; all planned found")
    )


# ------------------------------------------------------------------ main
SECTIONS = ("newsedits", "bbc", "mutations", "evaldata", "speed", "recaptures", "variants")
EVALDATA_SPLITS = ("development", "held-out")  # as `bench.extract.SPLITS` names them


def main(argv: list[str] | None = None) -> int:
    description = (__doc__ or "").split("\n")[0]
    parser = argparse.ArgumentParser(prog="python -m bench.edits", description=description)
    parser.add_argument("--corpus", help="corpus folder (default: ../shared/corpus)")
    parser.add_argument("--limit", type=int, help="mutation suite on N pages (evenly spread)")
    parser.add_argument(
        "--bbc-cap",
        type=int,
        default=None,
        help="at most N pairs of the big BBC file (default all 6,412 clean ones; 0 skips it)",
    )
    parser.add_argument("--examples", type=int, default=3, help="examples per failure pattern")
    parser.add_argument(
        "--recaptures",
        help="re-captured real pairs with a development/held-out split (default: ../recaptures)",
    )
    parser.add_argument(
        "--evaldata-pages",
        type=int,
        default=EVALDATA_PAGES,
        help=f"mutation suite on N trafilatura-evaldata pages per half (default {EVALDATA_PAGES})",
    )
    parser.add_argument(
        "--evaldata-all", action="store_true", help="mutation suite on all trafilatura-evaldata"
    )
    parser.add_argument(
        "--evaldata-split",
        choices=(*EVALDATA_SPLITS, "both"),
        default="both",
        help="only this half of trafilatura-evaldata (tune with development only)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="run only this section (repeatable; default: all)",
    )
    args = parser.parse_args(argv)
    if args.evaldata_pages < 1:
        parser.error("--evaldata-pages must be at least 1")
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    root = corpus_dir_or_exit(args.corpus)
    from monitor.extract.extraction import extractor_version

    print(f"corpus {root}; extraction: {extractor_version()}")
    failures = Failures()
    only = set(args.only or SECTIONS)
    if "newsedits" in only:
        run_newsedits(root, failures, args.examples)
    if "bbc" in only:
        run_bbc(root, args.bbc_cap, failures)
    compare_ms = run_mutations(root, args.limit, failures) if "mutations" in only else []
    if "evaldata" in only:
        splits = EVALDATA_SPLITS if args.evaldata_split == "both" else (args.evaldata_split,)
        per_split = None if args.evaldata_all else args.evaldata_pages
        run_evaldata_mutations(root, per_split, splits, failures)
    if "speed" in only:
        run_speed(compare_ms)
    from bench.recaptures import SPLITS, recaptures_dir, run_recaptures

    recaptures = recaptures_dir(args.recaptures) if "recaptures" in only else None
    if "recaptures" not in only:
        pass
    elif recaptures is None:
        heading("5. Re-captured pairs: set not found (pass --recaptures PATH), skipped")
    else:
        run_recaptures(recaptures, SPLITS, failures)

    from bench.variants import run_variants

    if "variants" in only:
        run_variants(root)
    heading("Failure patterns (most frequent first)")
    failures.print(args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
