"""Redline's embedded demo news site, for `make demo` and end-to-end tests.

`DemoSite` is imported lazily, so that `python -m monitor.demo.site` does not import the module
twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from monitor.demo.site import DemoSite, RequestRecord

__all__ = ["DemoSite", "RequestRecord"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from monitor.demo import site

        return getattr(site, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
