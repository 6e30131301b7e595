"""Stage 4, store: SQLite through sqlite-utils, the only package that reads or writes the database.

`queries` holds the connection, the write transaction and every read and write of the monitor;
`schema` the migrations; `views` the views and full-text search made for Datasette. The package
re-exports `queries`, so callers write `from monitor import store` and `store.add_check(...)`.
"""

from monitor.store.queries import *  # noqa: F403
from monitor.store.queries import __all__ as __all__
