"""`redline`, the command line: a thin click layer over the library (`app` holds the group and
the core commands; `admin`, `evidence` and `watchlist` more commands; `crawl_options` shared
options; `render` the terminal views).

`cli` and `main` are loaded on first use (`from monitor.cli import cli`), so that a module that
needs only `crawl_options` or `render` (the cluster's commands, the daemon) does not import every
command, and `app`, which imports those modules' commands, never meets a half-imported one.
"""

from typing import Any

__all__ = ["cli", "main"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from monitor.cli import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
