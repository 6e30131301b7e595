"""Locate the third-party corpus (read in place, never copied into the repository)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus"


class CorpusMissing(FileNotFoundError):
    """The corpus folder (or one of its sub-corpora) is not where it was looked for."""


def default_corpus_dir() -> Path:
    """`../shared/corpus` relative to the repository root."""
    return DEFAULT_CORPUS


def corpus_dir(option: str | Path | None = None, *, require: str | None = None) -> Path:
    """The corpus folder: `option` if given, else `../shared/corpus` next to the repository.

    Raises `CorpusMissing` with a one-line message when the folder (or `require`, a sub-folder
    that must exist inside it) is absent.
    """
    path = Path(option).expanduser() if option else DEFAULT_CORPUS
    path = path.resolve()
    if not path.is_dir():
        raise CorpusMissing(f"corpus not found at {path} (pass --corpus PATH)")
    if require and not (path / require).is_dir():
        raise CorpusMissing(f"corpus at {path} has no {require}/ folder")
    return path


def corpus_dir_or_exit(option: str | Path | None = None, *, require: str | None = None) -> Path:
    """For benches: like `corpus_dir`, but print one line and exit with status 2 when absent."""
    try:
        return corpus_dir(option, require=require)
    except CorpusMissing as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
