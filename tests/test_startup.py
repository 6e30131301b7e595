"""What a process pays to start: the crawler's import shortcuts leave Scrapy and the standard
library as they would be without them."""

from __future__ import annotations

import inspect
import subprocess
import sys

import crawler
from tests.conftest import ROOT


def test_scrapys_deprecated_tls_aliases_still_name_their_module() -> None:
    from scrapy.core.downloader import contextfactory, tls

    assert contextfactory.ScrapyClientContextFactory.__module__ == contextfactory.__name__
    assert contextfactory.AcceptableProtocolsContextFactory.__module__ == contextfactory.__name__
    assert tls.ScrapyClientTLSOptions.__module__ == tls.__name__


def test_inspect_stack_is_the_standard_librarys_again_after_the_import() -> None:
    assert crawler is not None
    assert inspect.stack.__module__ == "inspect"
    assert inspect.stack()[0].code_context is not None


def test_inspect_getmodule_is_the_standard_librarys_again_after_the_import() -> None:
    assert crawler is not None
    assert inspect.getmodule.__module__ == "inspect"


def test_the_module_of_a_frame_is_the_one_inspect_finds() -> None:
    """Frames of modules with a source file (inspect finds no module for a frozen one, such as
    runpy's, nor for code run from a string, such as an xdist worker's `__main__`; the
    aliases' frame is always a module of Scrapy's)."""
    frames = [info.frame for info in inspect.stack() if not info.filename.startswith("<")]
    assert [crawler._module_of_frame(frame) for frame in frames] == [
        inspect.getmodule(frame) for frame in frames
    ]


def test_the_frames_without_source_are_the_stacks_frames() -> None:
    def here() -> tuple[list[inspect.FrameInfo], list[inspect.FrameInfo]]:
        return crawler._frames_without_source(), inspect.stack()

    quick, full = here()
    assert [(f.frame, f.filename, f.lineno, f.function) for f in quick] == [
        (f.frame, f.filename, f.lineno, f.function) for f in full
    ]


def test_the_crawler_imports_in_a_fresh_process_without_a_warning() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import crawler.spiders.check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_crawl_without_browser_pages_does_not_import_playwright() -> None:
    # Everything a check round of static pages loads: the spider, the pipeline, the download
    # handler; Playwright comes with the handler of the first page read in the browser.
    code = (
        "import sys, crawler.spiders.check, crawler.pipelines, crawler.browser;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('playwright', 'scrapy_playwright', 'crawler')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = result.stdout
    assert "crawler.browser'" in loaded
    assert "playwright" not in loaded.replace("crawler.browser", ""), loaded
