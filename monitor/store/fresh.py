"""A new database's schema in one step: what every migration leaves in an empty database, replayed.

Applying the migrations one by one costs sqlite-utils' introspection of the schema after each of
its steps: about 900 statements and 90 ms of CPU for each new database file. A process that
creates many (the test suite, a cluster node creating its shard files) applies them once, to an
empty in-memory database, and then replays its schema statements and rows into each new file:
the same tables, indexes, views, triggers and rows, each migration recorded as applied now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from monitor.store.schema import MIGRATIONS

# Creation order within the replay: an index, a view or a trigger names its table.
KIND_ORDER = ("table", "index", "view", "trigger")


@dataclass(frozen=True)
class SchemaImage:
    """The schema statements (in an order that replays) and the rows of an all-migrated database."""

    statements: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...], tuple[tuple[object, ...], ...]], ...]


@cache
def schema_image() -> SchemaImage:
    """Every migration applied to an empty in-memory database (once per process), read back."""
    memory = Database(memory=True, execute_plugins=False)
    memory.execute("PRAGMA foreign_keys = ON")  # as `open_db` applies them
    MIGRATIONS.apply(memory)
    # Shadow tables (an FTS5 table's *_data, *_config...) are made, with their first rows, by
    # their virtual table's statement.
    # PRAGMA table_list: schema, name, type, ncol, wr (WITHOUT ROWID), strict.
    tables = {row[1]: row for row in memory.execute("PRAGMA table_list") if row[0] == "main"}
    shadow = {name for name, row in tables.items() if row[2] == "shadow"}
    objects = memory.execute(
        "select type, name, sql from sqlite_master where sql is not null order by rowid"
    ).fetchall()
    statements = tuple(
        sql
        for kind in KIND_ORDER
        for type_, name, sql in objects
        if type_ == kind and name not in shadow
    )
    rows = []
    for type_, name, _sql in objects:
        if type_ != "table" or tables[name][2] != "table" or name.startswith("sqlite_"):
            continue  # a virtual table's rows are in its shadow tables, made by its statement
        order = "" if tables[name][4] else " order by rowid"
        cursor = memory.execute(f"select * from [{name}]{order}")
        found = tuple(cursor.fetchall())
        if found and name != Migrations.migrations_table:
            columns = tuple(column[0] for column in cursor.description)
            rows.append((name, columns, found))
    memory.close()
    return SchemaImage(statements, tuple(rows))


def create_schema(db: Database) -> None:
    """Give an empty database (no table) the schema and rows every migration leaves, and record
    each migration as applied; inside the caller's transaction."""
    image = schema_image()
    for statement in image.statements:
        db.execute(statement)
    for table, columns, found in image.rows:
        names = ", ".join(f"[{column}]" for column in columns)
        marks = ", ".join("?" for _ in columns)
        db.conn.executemany(f"insert into [{table}] ({names}) values ({marks})", found)
    applied_at = str(datetime.now(UTC))  # sqlite-utils' own form of the time
    db.conn.executemany(
        f"insert into [{Migrations.migrations_table}] (migration_set, name, applied_at) "
        "values (?, ?, ?)",
        [(MIGRATIONS.name, migration.name, applied_at) for migration in MIGRATIONS._migrations],
    )
