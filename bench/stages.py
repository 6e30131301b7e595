"""Where extraction's CPU goes, stage by stage (`python -m bench.extract --stages`, issue 23).

Each stage of `extract_article` and of the worker's page reading (`monitor.record.reading`) is
wrapped with a timer of this process's CPU (`time.process_time`); a stage's time excludes the
stages it calls (the balanced trafilatura run excludes nothing of Redline's: it calls none). The
pages are extracted as a crawl's extraction worker does (`monitor.extract.pool`: parsed once,
then extracted and read), each also by one `trafilatura.bare_extraction` (metadata on, comments
off: what `bench/bare_spider.py` does per page), which is the reference "one pass". Only
development pages are read: the article benchmark and the development half of the evaluation
data. The wrappers cost a few microseconds a call: the total is a little above a plain run's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

Page = tuple[str, bytes, str | None]

# (module, function) of each stage timed, in the order extraction runs them.
STAGES = (
    ("monitor.extract.extraction", "decode_page"),
    ("monitor.extract.extraction", "xml_safe"),
    ("monitor.extract.extraction", "_parse"),
    ("monitor.extract.extraction", "_split_chunks"),
    ("monitor.extract.extraction", "_metadata"),
    ("monitor.extract.headline", "page_headline"),
    ("monitor.extract.extraction", "_combine"),
    ("monitor.extract.extraction", "_with_second_opinion"),
    ("monitor.extract.opinion", "json_ld_lines"),
    ("monitor.extract.opinion", "extractor_lines"),
    ("monitor.extract.opinion", "merge"),
    ("monitor.extract.roles", "line_roles"),
    ("monitor.extract.extraction", "shown_standfirst"),
    ("monitor.extract.metadata", "page_modified"),
    ("monitor.extract.extraction", "_modified_date"),
    ("monitor.extract.metadata", "declared_authors"),
    ("monitor.extract.liveblog", "read_live_page"),
    ("monitor.extract.standfirst", "read_standfirst"),
)


class _Timers:
    """CPU seconds per stage, each stage's own (the stages it calls are not counted in it)."""

    def __init__(self) -> None:
        self.own: dict[str, float] = defaultdict(float)
        self._inner: list[float] = []

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            self._inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                total = time.process_time() - started
                self.own[label] += total - self._inner.pop()
                if self._inner:
                    self._inner[-1] += total

        return timed


def _run_label(options: dict[str, Any]) -> str:
    if options.get("favor_precision"):
        return "trafilatura precision run"
    if options.get("favor_recall"):
        return "trafilatura recall run"
    return "trafilatura balanced run (no metadata)"


@contextmanager
def _timed_stages(timers: _Timers) -> Iterator[None]:
    """Every stage of STAGES, and each trafilatura run by its mode, timed while inside."""
    import importlib

    from monitor.extract import extraction

    saved: list[tuple[Any, str, Any]] = []

    def patch(module: Any, name: str, value: Any) -> None:
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, value)

    for module_name, name in STAGES:
        module = importlib.import_module(module_name)
        patch(module, name, timers.wrap(name, getattr(module, name)))
    run = extraction._run

    def timed_run(tree: Any, url: str | None, **options: Any) -> Any:
        return timers.wrap(_run_label(options), run)(tree, url, **options)

    patch(extraction, "_run", timed_run)
    try:
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)


def stage_table(title: str, pages: Iterable[Page]) -> str:
    """CPU ms per page of each stage over `pages`, beside one trafilatura pass."""
    import trafilatura

    from monitor.extract.extraction import extract_article, parse_page
    from monitor.record.reading import read_in_process

    timers = _Timers()
    one_pass = total = 0.0
    count = 0

    def bare(html: bytes, url: str | None) -> None:
        trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)

    def redline(html: bytes, url: str | None) -> None:
        page = parse_page(html)  # as the worker does (`monitor.extract.pool.serve`)
        extract_article(html, url=url, page=page)
        read_in_process(html, url or "", page.tree if page is not None else None)

    with _timed_stages(timers):
        for _, html, url in pages:
            # which goes first alternates: the first to meet a page pays for what it loads
            # (trafilatura's date search loads dateparser on the first page that needs it)
            for which in (bare, redline) if count % 2 else (redline, bare):
                started = time.process_time()
                which(html, url)
                if which is bare:
                    one_pass += time.process_time() - started
                else:
                    total += time.process_time() - started
            count += 1
    if not count:
        return f"\n{title}: no pages"
    staged = sum(timers.own.values())
    rows = sorted(timers.own.items(), key=lambda item: -item[1])
    rows.append(("(the rest of extract_article)", total - staged))
    lines = [
        f"\n{title}, {count} pages: extraction and reading {1000 * total / count:.1f} ms/page "
        f"= {total / one_pass:.2f}x one trafilatura.bare_extraction ({1000 * one_pass / count:.1f} "
        "ms/page)",
        f"{'stage (own CPU)':<44} {'ms/page':>8} {'share':>7}",
    ]
    for label, seconds in rows:
        lines.append(f"{label:<44} {1000 * seconds / count:>8.1f} {100 * seconds / total:>6.1f}%")
    return "\n".join(lines)
