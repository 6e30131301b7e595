"""Stage 3, compare: two versions of an article in, the edits a journalist would name out.

`normalize` (what counts as the same text), `sentences`, `quotes`, `align` (paragraphs and
sentences), `words` (word diffs), `classify` (the kind of each change), `edit` (the edit record,
its kinds and scores) and `comparison` (the whole comparison).

`from monitor.compare import compare` is the public entry point; it is resolved lazily, so
importing `monitor.compare.edit` (as every check round does) does not load syntok or rapidfuzz.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.compare.comparison import compare

__all__ = ["compare"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from monitor.compare import comparison

        return getattr(comparison, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
