"""`redline demo --serve`: the demo news site kept running, for a daemon (or a browser) to watch.

The site starts at edition 1 and publishes its next edition every `next_edition_every`, up to the
last one (removals, reverts, redirects and restores arrive with editions 3 and 4), then keeps
serving the last edition with fresh boilerplate. It runs in the foreground until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import timedelta
from types import FrameType

from monitor.demo.articles import LATEST_EDITION
from monitor.demo.site import DemoSite


def serve_demo(
    port: int,
    next_edition_every: timedelta | None,
    say: Callable[[str], None],
    stop: threading.Event | None = None,
) -> int:
    """Serve the demo site on 127.0.0.1:`port` until `stop` is set (SIGINT and SIGTERM set it)."""
    stop = stop or threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with DemoSite(port=port) as site:
            say(f"Demo site at {site.base_url}/ (edition 1): feed {site.url('/feed.xml')}")
            say(
                f"Watch it: redline --db data/watch.db add {site.url('/feed.xml')} --feed, then "
                "redline --db data/watch.db daemon --check-every 30s --revisit 30s --allow-private"
            )
            while site.edition < LATEST_EDITION and next_edition_every is not None:
                if stop.wait(next_edition_every.total_seconds()):
                    break
                site.edition += 1
                say(f"edition {site.edition} published")
            stop.wait()
            say("demo site stopped")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
