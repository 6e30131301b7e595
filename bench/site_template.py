"""A site changing its template while Redline watches, built from real article pages.

Scenario (the issue's): twelve tracked articles of one site are recorded once; in the next round
every page changes template at once (a site-name suffix on the title, a reporter role on the
byline, "(opens in a new tab)" inside every link of the article, a "Most read" rail and a
newsletter box inside the article's element, a share counter inside its first paragraph) and
the newsroom edits one quotation in one of them. Each page is recorded through `record_page`
into a real SQLite file, the second round inside `open_round` / `close_round`, as the crawl's
pipeline does (without HTTP: the pages are the bytes the crawl would hand over).

Pages: article-extraction-benchmark's, split by a hash of their id fixed before any result was
seen (`split_of`): development and held-out; scenarios are consecutive groups of twelve pages with
a quotation to edit in the first. Reported side by side, per split: significant edits on
untouched articles and whether the real edit is found with its kind, BEFORE (no site memory,
no round decision: the comparison as it was) and AFTER; the CPU per page of the site memory
(the memory update and the lookups), and the memory's size per site.

    nice .venv/bin/python -m bench.site_template [--corpus DIR] [--scenarios N]

`--family second` runs the second family of template changes instead (`bench.template_family`:
kinds and rollout shapes written after the issue's, split into development and held-out kinds by
name before any run; `--kinds` chooses which, `--pages` which page split), one row per kind.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from lxml.html import (
    HtmlElement,
    HTMLParser,
    document_fromstring,
    fragment_fromstring,
    tostring,
)

from bench import template_family as family
from bench.corpus import corpus_dir_or_exit
from bench.mutations import Mutation, Page, mutate_quote
from bench.templates import _article_element
from monitor import store
from monitor.compare.normalize import comparison_key
from monitor.extract.extraction import extract_article
from monitor.record import page as record
from monitor.record.plan import FetchedPage
from monitor.store import sitememory

AEB = "article-extraction-benchmark"
ARTICLES = 12  # tracked articles per site, as in the scenario
SITE_NAME = "The Daily Example"
ROLE = "Staff Reporter"
SPLITS = ("development", "heldout")
_TITLE = re.compile(r"(<title[^>]*>)(.*?)(</title>)", re.IGNORECASE | re.DOTALL)
_META = re.compile(
    r'(<meta[^>]+(?:property|name)=["\'](?:og:title|twitter:title|author)["\'][^>]*content=["\'])'
    r'([^"\']*)(["\'])',
    re.IGNORECASE,
)


def split_of(page_id: str) -> str:
    """Fixed before looking at any result: a hash of the page's id."""
    digest = hashlib.sha256(f"site-template:{page_id}".encode()).digest()
    return SPLITS[digest[0] % 2]


def _before_and_after() -> dict[str, int]:
    """A count without the round's template decision ("before") and with it ("after")."""
    return {"before": 0, "after": 0}


@dataclass
class Figures:
    scenarios: int = 0
    untouched: int = 0
    untouched_alarming: dict[str, int] = field(default_factory=_before_and_after)
    untouched_significant: dict[str, int] = field(default_factory=_before_and_after)
    edit_found: dict[str, int] = field(default_factory=_before_and_after)
    events: int = 0
    memory_cpu: float = 0.0
    close_cpu: float = 0.0  # deciding the rounds at their close
    memory_pages: int = 0
    memory_rows: list[int] = field(default_factory=list)


def _document(html: str) -> HtmlElement:
    """The page (decoded text) parsed; lxml refuses text that declares its encoding (an XHTML
    page's `<?xml version="1.0" encoding="utf-8"?>`), so it is given as UTF-8 bytes, the
    declaration overruled."""
    return document_fromstring(html.encode("utf-8"), parser=HTMLParser(encoding="utf-8"))


def _templated(html: str, titles: list[str], rng: random.Random) -> str | None:
    """The page in the site's new template (see the module's docstring); None when its article
    element cannot be found."""
    body = extract_article(html.encode(), url="https://x.example/")
    tree = _document(html)
    element = _article_element(tree, body)
    if element is None:
        return None
    for link in element.iter("a"):
        label = fragment_fromstring('<span class="sr-only"> (opens in a new tab)</span>')
        link.append(label)
    paragraphs = [p for p in element.iter("p") if (p.text_content() or "").strip()]
    if paragraphs:
        first = paragraphs[0]
        counter = fragment_fromstring(
            f'<span class="shares">{rng.randint(12, 4000):,} shares</span>'
        )
        counter.tail = " " + (first.text or "")
        first.text = ""
        first.insert(0, counter)
    rail = "".join(f"<li><a href='/story-{n}'>{t}</a></li>" for n, t in enumerate(titles[:4]))
    boxes = [
        (3, f"<aside class='most-read'><h2>Most read</h2><ol>{rail}</ol></aside>"),
        (5, "<div class='newsletter'><p>Sign up to The Daily Example newsletter: the day's top "
            "stories in your inbox every morning, free.</p></div>"),
    ]  # fmt: skip
    for after, box in boxes:
        anchor: HtmlElement = paragraphs[min(after, len(paragraphs) - 1)] if paragraphs else element
        anchor.addnext(fragment_fromstring(box))
    for node in tree.iter():
        if isinstance(node.tag, str) and re.search(r"byline|author", node.get("class") or ""):
            node.append(fragment_fromstring(f'<span class="role">; {ROLE}</span>'))
            break
    html = tostring(tree, encoding="unicode")
    html = _TITLE.sub(lambda m: f"{m[1]}{m[2].strip()} | {SITE_NAME}{m[3]}", html, count=1)
    return _META.sub(
        lambda m: (
            m[1] + m[2] + (f"; {ROLE}" if "author" in m[1].lower() else f" | {SITE_NAME}") + m[3]
        ),
        html,
    )


def _pages(folder: Path) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {split: [] for split in SPLITS}
    for path in sorted((folder / "html").glob("*.html.gz")):
        page_id = path.name.split(".")[0]
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        found[split_of(page_id)].append((page_id, html))
    return found


def _fetched(url: str, html: str) -> FetchedPage:
    return FetchedPage(url=url, status=200, body=html.encode(), content_type="text/html")


@contextmanager
def _before() -> Iterator[None]:
    """The comparison as it was: no site memory weighing."""
    with mock.patch.object(record, "weigh_site_memory", lambda db, s, a, o, n, edits: list(edits)):
        yield


def _run(pairs: list[tuple[str, str, str]], edited: int, figures: Figures, side: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "site.db")
        urls = [f"https://site.example/story-{n}.html" for n in range(len(pairs))]
        for url in urls:
            store.track_article(db, url, store.utc_now())
        for url, (_, old, _) in zip(urls, pairs, strict=True):
            record.record_page(db, _fetched(url, old), store.utc_now())
        round_id = sitememory.open_round(db, store.utc_now())
        for url, (_, _, new) in zip(urls, pairs, strict=True):
            record.record_page(db, _fetched(url, new), store.utc_now())
        if side == "after":
            start = time.process_time()
            figures.events += sitememory.close_round(db, round_id, store.utc_now())
            figures.close_cpu += time.process_time() - start
            figures.memory_rows.append(db.execute("select count(*) from site_lines").fetchone()[0])
        for n, url in enumerate(urls):
            kinds = [
                row["kind"]
                for row in db.query(
                    "select kind from edits join articles on articles.id = edits.article_id "
                    "where articles.url = ? and edits.significant",
                    [url],
                )
            ]
            if n == edited:
                figures.edit_found[side] += "quote" in kinds
            else:
                figures.untouched_alarming[side] += bool(kinds)
                figures.untouched_significant[side] += len(kinds)
        db.close()


def _memory_cost(pairs: list[tuple[str, str, str]], figures: Figures) -> None:
    """CPU of the site memory alone per page: planning the update and the lookups."""
    from monitor.compare.sitememory import furniture_lines, lookup_keys, plan_memory

    articles = [extract_article(new.encode(), url="https://x.example/") for _, _, new in pairs]
    start = time.process_time()
    for n, article in enumerate(articles):
        plan_memory("site.example", n, article, store.utc_now())
        keys = lookup_keys(article)
        furniture_lines(article.body, dict.fromkeys(keys, (1, 2, 3)), n)
    figures.memory_cpu += time.process_time() - start
    figures.memory_pages += len(articles)


def scenarios(pages: list[tuple[str, str]], wanted: int) -> Iterator[tuple[list, int]]:
    """Groups of ARTICLES real pages in the new template, one with a quotation edited."""
    rng = random.Random(21)
    queue = list(pages)
    while queue and wanted:
        group, queue = queue[:ARTICLES], queue[ARTICLES:]
        if len(group) < ARTICLES:
            return
        titles = [
            extract_article(html.encode(), url="https://x.example/").title for _, html in group
        ]
        built, edited = [], -1
        for index, (page_id, html) in enumerate(group):
            source = html
            if edited < 0:
                article = extract_article(html.encode(), url="https://x.example/")
                result = mutate_quote(Page(html), article, rng)
                if isinstance(result, Mutation):
                    source, edited = result.html, index
            new = _templated(source, titles, rng)
            if new is None:
                break
            built.append((page_id, html, new))
        if len(built) == ARTICLES and edited >= 0:
            wanted -= 1
            yield built, edited


# --- the second family (`--family second`) ------------------------------------------------------
@dataclass
class FamilyScenario:
    """One kind (or rollout shape) over one site: each article's first page, then per round each
    article's page (the same page again when the template has not reached it yet), the article
    whose quotation was edited, each article's section and the editorial act, if any."""

    name: str
    first: list[str]
    rounds: list[list[str]]
    edited: int
    sections: list[str]
    act: str | None = None


@dataclass
class FamilyFigures:
    scenarios: int = 0
    untouched: int = 0
    alarming: dict[str, int] = field(default_factory=_before_and_after)
    significant: dict[str, int] = field(default_factory=_before_and_after)
    found: dict[str, int] = field(default_factory=_before_and_after)
    acts: int = 0
    acts_found: dict[str, int] = field(default_factory=_before_and_after)
    events: int = 0
    changed: int = 0  # untouched articles with any edit at all (the kind reached the extraction)
    alarms: list[str] = field(default_factory=list)  # "article: kind old → new", after only


def _in_template(html: str, apply: family.Apply, side: str, ctx: family.Context) -> str | None:
    body = extract_article(html.encode(), url="https://x.example/")
    tree = _document(html)
    element = _article_element(tree, body)
    if element is None:
        return None
    lines = {comparison_key(line) for line in body.body.split("\n") if line.strip()}
    for paragraph in element.iter("p"):
        if comparison_key(paragraph.text_content() or "") in lines:
            paragraph.set(family.BODY_MARK, "")
    apply(tree, element, side, ctx)
    for paragraph in tree.iter("p"):
        paragraph.attrib.pop(family.BODY_MARK, None)
    return tostring(tree, encoding="unicode")


def _family_site(
    name: str, group: list[tuple[str, str]], applies: list[family.Apply], rng: random.Random
) -> tuple[list[str], list[str], int] | None:
    """Each article's first page and its page in the new template (`applies[i]` for article i),
    one quotation edited; None when a page's article element is not found or no quotation."""
    titles = tuple(
        extract_article(html.encode(), url="https://x.example/").title for _, html in group
    )
    act = family.editorial(name)
    first, new, edited = [], [], -1
    for index, (_, html) in enumerate(group):
        ctx = family.Context(
            index, titles, int(hashlib.sha1(f"{name}:{index}".encode()).hexdigest()[:8], 16)
        )
        source = html
        if edited < 0:
            result = mutate_quote(
                Page(html), extract_article(html.encode(), url="https://x.example/"), rng
            )
            if isinstance(result, Mutation):
                source, edited = result.html, index
        pages = []
        for side, text in (("old", html), ("new", source)):
            built = _in_template(text, applies[index], side, ctx)
            if built is not None and act is not None:
                built = _in_template(built, act, side, ctx)
            if built is None:
                return None
            pages.append(built)
        first.append(pages[0])
        new.append(pages[1])
    return (first, new, edited) if edited >= 0 else None


def family_scenarios(
    name: str, kinds: list[str], pages: list[tuple[str, str]], wanted: int, offset: int
) -> Iterator[FamilyScenario]:
    """`wanted` scenarios of kind or shape `name` from groups of the split's pages, starting at
    group `offset` (so that kinds see different pages); `kinds`: the content kinds of the
    shape's split, the first two of which a shape's template is made of."""
    rng = random.Random(f"{name}-21")
    groups = [pages[n : n + ARTICLES] for n in range(0, len(pages) - ARTICLES + 1, ARTICLES)]
    groups = groups[offset % len(groups) :] + groups[: offset % len(groups)]
    both = family.transform(tuple(kinds[:2]))
    for group in groups:
        if not wanted:
            return
        size = 3 if name == "small_site" else ARTICLES
        group = group[:size]
        sections = ["news"] * size
        if name in family.KINDS:
            applies = [family.transform((name,))] * size
        elif name == "two_sections":
            sections = ["politics"] * 4 + ["sport"] * (size - 4)
            applies = [
                family.transform((kinds[0] if s == "politics" else kinds[1],)) for s in sections
            ]
        else:
            applies = [both] * size
        built = _family_site(name, group, applies, rng)
        if built is None:
            continue
        first, new, edited = built
        if name == "half_rollout":
            half = size // 2
            rounds = [
                [new[n] if n < half else first[n] for n in range(size)],
                new,
            ]
        else:
            rounds = [new]
        act = {"with_correction": "correction", "with_name_fix": "name"}.get(name)
        wanted -= 1
        yield FamilyScenario(name, first, rounds, edited, sections, act)


def _act_edit(row: dict, act: str | None) -> bool:
    if act == "correction":
        return row["kind"] == "correction_note"
    if act == "name":
        return "Smyth" in (row["old"] or "") + (row["old_sentence"] or "")
    return False


def _run_family(scenario: FamilyScenario, figures: FamilyFigures, side: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_db(Path(tmp) / "site.db")
        urls = [
            f"https://site.example/{section}/story-{n}.html"
            for n, section in enumerate(scenario.sections)
        ]
        for url in urls:
            store.track_article(db, url, store.utc_now())
        for url, html in zip(urls, scenario.first, strict=True):
            record.record_page(db, _fetched(url, html), store.utc_now())
        for pages in scenario.rounds:
            round_id = sitememory.open_round(db, store.utc_now())
            for url, html in zip(urls, pages, strict=True):
                record.record_page(db, _fetched(url, html), store.utc_now())
            if side == "after":
                figures.events += sitememory.close_round(db, round_id, store.utc_now())
        for n, url in enumerate(urls):
            rows = list(
                db.query(
                    "select edits.kind, edits.old, edits.new, edits.old_sentence from edits "
                    "join articles on articles.id = edits.article_id "
                    "where articles.url = ? and edits.significant",
                    [url],
                )
            )
            if side == "after" and n != scenario.edited:
                figures.changed += bool(
                    db.execute(
                        "select count(*) from edits join articles on articles.id = "
                        "edits.article_id where articles.url = ? and edits.kind != "
                        "'template_changed'",
                        [url],
                    ).fetchone()[0]
                )
            acts = [row for row in rows if _act_edit(row, scenario.act)]
            others = [row for row in rows if not _act_edit(row, scenario.act)]
            if scenario.act:
                figures.acts_found[side] += bool(acts)
            if n == scenario.edited:
                figures.found[side] += any(row["kind"] == "quote" for row in others)
            else:
                figures.alarming[side] += bool(others)
                figures.significant[side] += len(others)
                if side == "after":
                    figures.alarms.extend(
                        f"{scenario.name} #{n}: {row['kind']} {row['old'][:70]!r} -> "
                        f"{row['new'][:70]!r}"
                        for row in others
                    )
        db.close()


def run_second_family(folder: Path, kinds: str, page_split: str, wanted: int) -> int:
    """One row per kind and shape of `kinds`, one column per page split of `page_split`."""
    names = family.kinds_of(kinds) + family.shapes_of(kinds)
    page_splits = {"development": ["development"], "held-out": ["heldout"]}.get(
        page_split, list(SPLITS)
    )
    pages = _pages(folder)
    results: dict[tuple[str, str], FamilyFigures] = {}
    for split in page_splits:
        for offset, name in enumerate(names):
            figures = FamilyFigures()
            split_kinds = family.kinds_of(family.kind_split(name))
            for scenario in family_scenarios(name, split_kinds, pages[split], wanted, offset):
                figures.scenarios += 1
                figures.untouched += len(scenario.first) - 1
                figures.acts += len(scenario.first) if scenario.act else 0
                for side in ("before", "after"):
                    if side == "before":
                        with _before():
                            _run_family(scenario, figures, side)
                    else:
                        _run_family(scenario, figures, side)
            results[split, name] = figures
    for split in page_splits:
        print(f"pages: {split}; kinds: {kinds}")
        print(
            f"{'kind (split, language)':40} {'n':>3} {'untouched alarming':>20} "
            f"{'sig. edits':>11} {'quote found':>12} {'act found':>11} {'events':>7} "
            f"{'changed':>8}"
        )
        total = FamilyFigures()
        for name in names:
            f = results[split, name]
            language = family.KINDS[name][0] if name in family.KINDS else "shape"
            label = f"{name} ({family.kind_split(name)}, {language})"
            acts = f"{f.acts_found['after']}/{f.acts}" if f.acts else "-"
            print(
                f"{label:40} {f.scenarios:>3} "
                f"{f.alarming['before']:>3}/{f.untouched:<3}→{f.alarming['after']:>3}/{f.untouched:<3}"
                f"     {f.significant['before']:>3}→{f.significant['after']:<3}"
                f"   {f.found['before']}/{f.scenarios}→{f.found['after']}/{f.scenarios}"
                f"   {acts:>9} {f.events:>7} {f.changed:>4}/{f.untouched:<3}"
            )
            total.scenarios += f.scenarios
            total.untouched += f.untouched
            total.acts += f.acts
            total.events += f.events
            for side in ("before", "after"):
                total.alarming[side] += f.alarming[side]
                total.significant[side] += f.significant[side]
                total.found[side] += f.found[side]
                total.acts_found[side] += f.acts_found[side]
            total.alarms.extend(f.alarms)
        print(
            f"{'total':40} {total.scenarios:>3} untouched alarming before "
            f"{total.alarming['before']}/{total.untouched}, after "
            f"{total.alarming['after']}/{total.untouched}; significant edits "
            f"{total.significant['before']} → {total.significant['after']}; quote found "
            f"{total.found['before']}/{total.scenarios} → "
            f"{total.found['after']}/{total.scenarios}; "
            f"site-wide acts reported {total.acts_found['after']}/{total.acts}"
        )
        for alarm in total.alarms:
            print("  alarm:", alarm)
        print()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", help="the corpus folder (default: ../shared/corpus)")
    parser.add_argument("--scenarios", type=int, default=3, help="scenarios per split (kind)")
    parser.add_argument(
        "--family",
        choices=("issue", "second"),
        default="issue",
        help="the issue's template change (default) or the second family of kinds",
    )
    parser.add_argument(
        "--kinds",
        choices=("development", "held-out", "all"),
        default="development",
        help="--family second: which kinds (split by name before any run)",
    )
    parser.add_argument(
        "--pages",
        choices=("development", "held-out", "both"),
        default="development",
        help="--family second: which page split",
    )
    args = parser.parse_args(argv)
    folder = corpus_dir_or_exit(args.corpus, require=AEB) / AEB
    if args.family == "second":
        return run_second_family(folder, args.kinds, args.pages, args.scenarios)
    results = {}
    for split, pages in _pages(folder).items():
        figures = Figures()
        for pairs, edited in scenarios(pages, args.scenarios):
            figures.scenarios += 1
            figures.untouched += ARTICLES - 1
            with _before():
                _run(pairs, edited, figures, "before")
            _run(pairs, edited, figures, "after")
            _memory_cost(pairs, figures)
        results[split] = figures
    print(f"{'':44} {'development':>24} {'held-out':>24}")
    rows = [
        ("scenarios (12 articles each)", lambda f, s: f"{f.scenarios}"),
        *(
            (
                f"untouched articles alarming ({side})",
                lambda f, s, side=side: f"{f.untouched_alarming[side]}/{f.untouched}",
            )
            for side in ("before", "after")
        ),
        *(
            (
                f"significant edits on untouched ({side})",
                lambda f, s, side=side: f"{f.untouched_significant[side]}",
            )
            for side in ("before", "after")
        ),
        *(
            (
                f"real quote edit found as quote ({side})",
                lambda f, s, side=side: f"{f.edit_found[side]}/{f.scenarios}",
            )
            for side in ("before", "after")
        ),
        ("template_changed events", lambda f, s: f"{f.events}"),
        (
            "site memory CPU per page (ms)",
            lambda f, s: f"{1000 * f.memory_cpu / max(f.memory_pages, 1):.2f}",
        ),
        (
            "round decision CPU per page (ms)",
            lambda f, s: f"{1000 * f.close_cpu / max(f.scenarios * ARTICLES, 1):.2f}",
        ),
        ("site memory rows per site", lambda f, s: f"{max(f.memory_rows, default=0)}"),
    ]
    for label, value in rows:
        development, heldout = value(results["development"], "d"), value(results["heldout"], "h")
        print(f"{label:44} {development:>24} {heldout:>24}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
