"""The Scrapy side of Redline: spiders, middlewares, the pipeline handing pages to `monitor`.

Importing the package first imports Scrapy's TLS modules in a cheaper way (`_import_scrapy_tls`),
before any crawl imports them the usual way."""

from __future__ import annotations

import inspect
import sys
from types import ModuleType
from typing import Any


def _frames_without_source(context: int = 1) -> list[inspect.FrameInfo]:
    """`inspect.stack()` without the source lines: the caller's frames, each with its file, line
    and function (no `code_context`)."""
    found = []
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        found.append(
            inspect.FrameInfo(frame, code.co_filename, frame.f_lineno, code.co_name, None, None)
        )
        frame = frame.f_back
    return found


def _module_of_frame(frame: Any, _filename: str | None = None) -> ModuleType | None:
    """`inspect.getmodule` for a frame: the module named by the frame's globals. The standard one
    finds a frame's module by its file, and the first time maps the file of every module loaded
    (a `realpath` each, ~600 of them by then). Unlike it, this also finds a frozen module."""
    return sys.modules.get(frame.f_globals.get("__name__", ""))


def _import_scrapy_tls() -> None:
    """Import Scrapy's TLS modules with `inspect.stack` reading no source.

    Their deprecated class aliases (`scrapy.utils.deprecate.create_deprecated_class`, three of
    them) call `inspect.stack()` to name their module; it reads the source of every frame of the
    import stack and searches `sys.modules` for the frozen ones: about 0.15 s of CPU in every
    `scrapy crawl` (a tenth of an empty round's), for a name the aliases take from the caller's
    frame alone. The module of that frame is taken from its globals (`_module_of_frame`): the
    standard `inspect.getmodule` cost another 20-50 ms of CPU per crawl (session 13)."""
    stack: Any = inspect.stack
    getmodule: Any = inspect.getmodule
    inspect.stack = _frames_without_source  # type: ignore[assignment]
    inspect.getmodule = _module_of_frame
    try:
        import scrapy.core.downloader.contextfactory
        import scrapy.core.downloader.tls  # noqa: F401
    finally:
        inspect.stack = stack
        inspect.getmodule = getmodule


_import_scrapy_tls()
