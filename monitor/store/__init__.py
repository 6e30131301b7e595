"""Stage 4, store: SQLite through sqlite-utils, the only package that reads or writes the database.

`queries` holds the connection, the write transaction and every read and write of the monitor;
`sites` what a site as a whole asked for or earned; `shards` what a cluster does to a shard
file; `reextraction` the stale versions and their rewrite after an extractor upgrade; `writer`
applies a check's plan in one transaction; `schema` the migrations; `views` the views and
full-text search made for Datasette. The package re-exports `queries`, `reextraction`, `shards`,
`sites` and `writer`, so callers write `from monitor import store` and `store.add_check(...)`.
"""

from monitor.store.queries import *  # noqa: F403
from monitor.store.queries import __all__ as _queries
from monitor.store.reextraction import *  # noqa: F403
from monitor.store.reextraction import __all__ as _reextraction
from monitor.store.shards import *  # noqa: F403
from monitor.store.shards import __all__ as _shards
from monitor.store.sites import *  # noqa: F403
from monitor.store.sites import __all__ as _sites
from monitor.store.writer import *  # noqa: F403
from monitor.store.writer import __all__ as _writer

__all__ = [*_queries, *_reextraction, *_shards, *_sites, *_writer]
