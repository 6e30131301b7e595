"""The cluster's shared state in PostgreSQL: its configuration, one row per shard, the sources and
the nodes. procrastinate keeps the queue itself in its own tables beside these.

Every function takes an open psycopg connection (autocommit) and runs a statement or two; what to
queue is decided by a pure function (`due_rounds`) over rows read here, then written back.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from monitor.cluster.shards import DEFAULT_SHARDS, MAX_SHARDS
from monitor.errors import ConfigError, RedlineError

Row = dict[str, Any]


class ClusterError(RedlineError):
    """The cluster's database cannot be reached, or is not set up (`redline cluster init`)."""


# Redline's own tables; `create ... if not exists` so that `cluster init` can run again.
SCHEMA = """
create table if not exists redline_cluster (
    id int primary key default 1 check (id = 1),
    shards int not null,
    directory text not null,
    check_every_s double precision not null,
    discover_every_s double precision not null,
    crawl_timeout_s double precision not null,
    stall_timeout_s double precision not null,
    rollup_every_s double precision not null,
    revisit_s double precision,
    rollup_queued_at timestamptz,
    created_at timestamptz not null default now()
);
create table if not exists redline_shards (
    shard int primary key,
    node text,                      -- pinned to this node; null: any node
    articles int not null default 0,
    sources int not null default 0,
    next_due_at timestamptz,        -- the earliest next_check in the shard file
    check_queued_at timestamptz,
    discover_queued_at timestamptz,
    last_check_at timestamptz,      -- when the last check round finished
    last_check_node text,
    last_check_exit int,
    last_discover_at timestamptz
);
create table if not exists redline_sources (
    id bigserial primary key,
    kind text not null,
    url text not null unique,
    match text,
    shard int not null,
    added_at timestamptz not null default now()
);
create table if not exists redline_nodes (
    name text primary key,
    host text not null,
    pid int not null,
    started_at timestamptz not null,
    last_seen timestamptz not null,
    stopped_at timestamptz,
    running text
);
create table if not exists redline_rounds (
    id bigserial primary key,
    shard int not null,
    task text not null,
    node text not null,
    job_id bigint,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    exit_code int
);
-- Why a round ended without an exit code: its node died, and the round was queued again.
alter table redline_rounds add column if not exists note text;
create index if not exists redline_rounds_shard on redline_rounds (shard, started_at);
create index if not exists redline_rounds_job on redline_rounds (job_id) where finished_at is null;
"""


@dataclass(frozen=True)
class ClusterConfig:
    """Set once by `redline cluster init`, read by every node."""

    directory: Path
    shards: int = DEFAULT_SHARDS
    check_every: timedelta = timedelta(minutes=5)  # at most one check round per shard this often
    discover_every: timedelta = timedelta(minutes=15)
    crawl_timeout: timedelta = timedelta(minutes=30)
    # A node silent this long is dead: its running job is retried elsewhere. Procrastinate's
    # default is 30 s; a minute rides out a long garbage collection or a slow disk.
    stall_timeout: timedelta = timedelta(minutes=1)
    rollup_every: timedelta = timedelta(minutes=1)
    revisit: timedelta | None = None


@contextmanager
def connect(pg_url: str) -> Iterator[psycopg.Connection[Row]]:
    """An autocommit connection with dict rows; failure to connect is a ClusterError."""
    try:
        conn = psycopg.connect(pg_url, autocommit=True, row_factory=dict_row, connect_timeout=10)
    except psycopg.Error as error:
        raise ClusterError(f"cannot reach the cluster database: {error}".strip()) from error
    try:
        yield conn
    finally:
        conn.close()


# The key of the session lock one node's tick holds while it decides and queues rounds.
TICK_LOCK = 0x7265646C  # "redl"


def hold_tick(pg_url: str) -> psycopg.Connection[Row] | None:
    """A connection holding the cluster's tick lock, or None when another node's tick holds it.
    Two ticks deciding at once would each read the shards before the other marks them queued and
    queue a round twice. The lock is a session lock: it goes with its connection, so a node that
    dies mid-tick does not keep it (the server frees it once it sees the connection gone, which
    is not at once); a node that ends its tick releases it with `release_tick`."""
    try:
        conn = psycopg.connect(pg_url, autocommit=True, row_factory=dict_row, connect_timeout=10)
    except psycopg.Error as error:
        raise ClusterError(f"cannot reach the cluster database: {error}".strip()) from error
    row = conn.execute("select pg_try_advisory_lock(%s) as held", [TICK_LOCK]).fetchone()
    if row is None or not row["held"]:
        conn.close()
        return None
    return conn


def release_tick(conn: psycopg.Connection[Row]) -> None:
    """End a tick: unlock, then close. Unlocking first frees the turn before this returns; a
    closed connection alone frees it only when the server's backend has noticed and exited."""
    try:
        conn.execute("select pg_advisory_unlock(%s)", [TICK_LOCK])
    except psycopg.Error:
        pass  # the connection is gone already, and its lock with it
    finally:
        conn.close()


# The key of the transaction lock under which the tables are created or brought up to date.
SCHEMA_LOCK = 0x7265646D  # "redm"


def create_tables(conn: psycopg.Connection[Row]) -> None:
    """Create Redline's tables, or add what a newer Redline adds (`cluster init`, and every
    node as it starts, so that an upgrade needs no other step); one caller at a time."""
    from monitor.cluster import search  # the edit index's tables beside these

    with conn.transaction():
        conn.execute("select pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
        conn.execute(SCHEMA)
        search.create_tables(conn)


def save_config(conn: psycopg.Connection[Row], config: ClusterConfig) -> None:
    """Store the configuration and one row per shard; the shard count never changes (it would
    move domains between files)."""
    if not 1 <= config.shards <= MAX_SHARDS:
        raise ConfigError(f"shards must be between 1 and {MAX_SHARDS}, not {config.shards}")
    existing = conn.execute("select shards from redline_cluster").fetchone()
    if existing is not None and existing["shards"] != config.shards:
        raise ConfigError(
            f"this cluster has {existing['shards']} shards; the count cannot change "
            "(domains would move between shard files)"
        )
    values = {
        "shards": config.shards,
        "directory": str(config.directory),
        "check_every_s": config.check_every.total_seconds(),
        "discover_every_s": config.discover_every.total_seconds(),
        "crawl_timeout_s": config.crawl_timeout.total_seconds(),
        "stall_timeout_s": config.stall_timeout.total_seconds(),
        "rollup_every_s": config.rollup_every.total_seconds(),
        "revisit_s": config.revisit.total_seconds() if config.revisit else None,
    }
    columns = ", ".join(values)
    placeholders = ", ".join(f"%({name})s" for name in values)
    updates = ", ".join(f"{name} = excluded.{name}" for name in values)
    with conn.transaction():
        conn.execute(
            f"insert into redline_cluster (id, {columns}) values (1, {placeholders}) "
            f"on conflict (id) do update set {updates}",
            values,
        )
        conn.execute(
            "insert into redline_shards (shard) select generate_series(0, %s - 1) "
            "on conflict do nothing",
            [config.shards],
        )


def load_config(conn: psycopg.Connection[Row]) -> ClusterConfig:
    try:
        row = conn.execute("select * from redline_cluster").fetchone()
    except psycopg.errors.UndefinedTable as error:
        raise ClusterError("no Redline cluster here: run `redline cluster init` first") from error
    if row is None:
        raise ClusterError("no Redline cluster here: run `redline cluster init` first")
    return ClusterConfig(
        directory=Path(row["directory"]),
        shards=row["shards"],
        check_every=timedelta(seconds=row["check_every_s"]),
        discover_every=timedelta(seconds=row["discover_every_s"]),
        crawl_timeout=timedelta(seconds=row["crawl_timeout_s"]),
        stall_timeout=timedelta(seconds=row["stall_timeout_s"]),
        rollup_every=timedelta(seconds=row["rollup_every_s"]),
        revisit=timedelta(seconds=row["revisit_s"]) if row["revisit_s"] else None,
    )


def claim_rollup(conn: psycopg.Connection[Row], config: ClusterConfig, now: datetime) -> bool:
    """Whether a rollup is due now; if so it is marked queued (one caller wins)."""
    row = conn.execute(
        "update redline_cluster set rollup_queued_at = %s where rollup_queued_at is null "
        "or rollup_queued_at <= %s returning id",
        [now, now - config.rollup_every],
    ).fetchone()
    return row is not None


# --- shards ------------------------------------------------------------------------------------
def all_shards(conn: psycopg.Connection[Row]) -> list[Row]:
    return conn.execute("select * from redline_shards order by shard").fetchall()


def mark_due(conn: psycopg.Connection[Row], shard: int, articles: int, due_at: datetime) -> None:
    """New articles in a shard: count them and make the shard due no later than `due_at`."""
    conn.execute(
        "update redline_shards set articles = articles + %s, "
        "next_due_at = least(coalesce(next_due_at, %s), %s) where shard = %s",
        [articles, due_at, due_at, shard],
    )


def lock_shard(conn: psycopg.Connection[Row], shard: int) -> None:
    """Hold the shard's row until the transaction ends (`mark_due` and a summary wait for it)."""
    conn.execute("select shard from redline_shards where shard = %s for update", [shard])


def save_shard_summary(
    conn: psycopg.Connection[Row], shard: int, articles: int, next_due: datetime | None
) -> None:
    """What a round found in the shard file: its article count and next due check."""
    conn.execute(
        "update redline_shards set articles = %s, next_due_at = %s where shard = %s",
        [articles, next_due, shard],
    )


def pin_shard(conn: psycopg.Connection[Row], shard: int, node: str | None) -> None:
    if conn.execute("update redline_shards set node = %s where shard = %s", [node, shard]).rowcount:
        return
    raise ConfigError(f"no shard {shard} in this cluster")


# The crawls a round's job may last, at most: two of its node's ahead of it (the running one,
# another spider's batch waiting), then its own (monitor.cluster.crawls).
ROUND_CRAWLS = 3


@dataclass(frozen=True)
class Round:
    task: str  # "check" or "discover"
    shard: int
    node: str | None  # the node it is pinned to, if any


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period of length `every` that `now` is in, counted from the Unix epoch:
    every node's tick agrees on it."""
    seconds = every.total_seconds()
    if seconds <= 0:
        return now
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=now.tzinfo)


def lost_after(config: ClusterConfig) -> timedelta:
    """How long a round may run before it is lost (see `due_rounds`)."""
    return ROUND_CRAWLS * config.crawl_timeout + config.stall_timeout


def due_rounds(shards: list[Row], config: ClusterConfig, now: datetime) -> list[Round]:
    """The rounds to queue now. A check where an article is due, the shard's last check was
    queued before the current period of `check_every` began (articles falling due one by one
    are batched, and every shard due is queued at the period's first tick, together, so that a
    node takes them into one crawl) and has finished; a discovery where the shard has sources,
    on the same terms with `discover_every`. A round queued (or, once its job starts, started:
    `start_round`) but never finished, its job lost, is queued again once it has been running
    longer than it can: a job waits for at most two crawls of its node (the running one and
    another spider's batch ahead of it), then runs its own, each within the crawl timeout; the
    stall timeout on top."""
    lost = lost_after(config)
    rounds = []
    for row in shards:
        for task, every, wanted in (
            ("check", config.check_every, row["next_due_at"] is not None
             and row["next_due_at"] <= now),
            ("discover", config.discover_every, bool(row["sources"])),
        ):  # fmt: skip
            queued, finished = row[f"{task}_queued_at"], row[f"last_{task}_at"]
            if not wanted:
                continue
            if queued is not None:
                in_flight = finished is None or finished < queued
                if queued >= period_start(now, every) or (in_flight and queued + lost > now):
                    continue
            rounds.append(Round(task, row["shard"], row["node"]))
    return rounds


def mark_queued(conn: psycopg.Connection[Row], round_: Round, now: datetime) -> None:
    column = "check_queued_at" if round_.task == "check" else "discover_queued_at"
    conn.execute(
        f"update redline_shards set {column} = greatest({column}, %s) where shard = %s",
        [now, round_.shard],
    )


# --- rounds ------------------------------------------------------------------------------------
def start_round(
    conn: psycopg.Connection[Row], shard: int, task: str, node: str, job_id: int | None
) -> int:
    row = conn.execute(
        "insert into redline_rounds (shard, task, node, job_id) values (%s, %s, %s, %s) "
        "returning id",
        [shard, task, node, job_id],
    ).fetchone()
    assert row is not None
    # A job may wait in the queue longer than a round may run: its round counts from now.
    column = "check_queued_at" if task == "check" else "discover_queued_at"
    conn.execute(
        f"update redline_shards set {column} = greatest({column}, now()) where shard = %s", [shard]
    )
    conn.execute("update redline_nodes set running = %s where name = %s", [f"{task} {shard}", node])
    return int(row["id"])


def give_back_round(conn: psycopg.Connection[Row], round_id: int, exit_code: int) -> None:
    """A round its crawl left out (another crawl held the shard file): logged with its exit code,
    but the shard's last round stays the one before, and the next tick queues it again."""
    row = conn.execute(
        "update redline_rounds set finished_at = now(), exit_code = %s where id = %s "
        "returning shard, task, node",
        [exit_code, round_id],
    ).fetchone()
    assert row is not None
    column = "check_queued_at" if row["task"] == "check" else "discover_queued_at"
    conn.execute(f"update redline_shards set {column} = null where shard = %s", [row["shard"]])
    conn.execute("update redline_nodes set running = null where name = %s", [row["node"]])


def finish_round(conn: psycopg.Connection[Row], round_id: int, exit_code: int) -> None:
    row = conn.execute(
        "update redline_rounds set finished_at = now(), exit_code = %s where id = %s "
        "returning shard, task, node",
        [exit_code, round_id],
    ).fetchone()
    assert row is not None
    if row["task"] == "check":
        conn.execute(
            "update redline_shards set last_check_at = now(), last_check_node = %s, "
            "last_check_exit = %s where shard = %s",
            [row["node"], exit_code, row["shard"]],
        )
    else:
        conn.execute(
            "update redline_shards set last_discover_at = now() where shard = %s", [row["shard"]]
        )
    conn.execute("update redline_nodes set running = null where name = %s", [row["node"]])


def close_rounds_of_job(conn: psycopg.Connection[Row], job_id: int, why: str) -> list[Row]:
    """The open rounds of a job whose node died, closed in the log with `why` (no exit code: the
    crawl's end is unknown); returns them. Their node runs nothing any more."""
    rows = conn.execute(
        "update redline_rounds set finished_at = now(), note = %s "
        "where job_id = %s and finished_at is null returning shard, task, node",
        [why, job_id],
    ).fetchall()
    for row in rows:
        conn.execute(
            "update redline_nodes set running = null where name = %s and running = %s",
            [row["node"], f"{row['task']} {row['shard']}"],
        )
    return rows


def close_lost_rounds(
    conn: psycopg.Connection[Row], round_: Round, started_before: datetime, why: str
) -> int:
    """A round queued again because its last one never finished (`due_rounds`): the open rounds
    of that shard and task started before `started_before` (the rounds that are lost, never
    one that just started) are closed in the log with `why`."""
    return conn.execute(
        "update redline_rounds set finished_at = now(), note = %s where shard = %s and task = %s "
        "and finished_at is null and started_at < %s",
        [why, round_.shard, round_.task, started_before],
    ).rowcount


# --- sources -----------------------------------------------------------------------------------
def add_source(conn: psycopg.Connection[Row], kind: str, url: str, match: str, shard: int) -> bool:
    """Register a source in the cluster; returns whether it was new."""
    row = conn.execute(
        "insert into redline_sources (kind, url, match, shard) values (%s, %s, %s, %s) "
        "on conflict (url) do nothing returning id",
        [kind, url, match or None, shard],
    ).fetchone()
    if row is None:
        return False
    conn.execute(
        "update redline_shards set sources = sources + 1, discover_queued_at = null "
        "where shard = %s",
        [shard],
    )
    return True


def all_sources(conn: psycopg.Connection[Row]) -> list[Row]:
    return conn.execute(
        "select id, kind, url, match, shard, added_at from redline_sources order by id"
    ).fetchall()


# --- nodes -------------------------------------------------------------------------------------
def default_node_name() -> str:
    return socket.gethostname()


def register_node(conn: psycopg.Connection[Row], name: str, pid: int) -> None:
    conn.execute(
        "insert into redline_nodes (name, host, pid, started_at, last_seen) "
        "values (%s, %s, %s, now(), now()) on conflict (name) do update set host = excluded.host, "
        "pid = excluded.pid, started_at = now(), last_seen = now(), stopped_at = null, "
        "running = null",
        [name, socket.gethostname(), pid],
    )


def touch_node(conn: psycopg.Connection[Row], name: str) -> None:
    conn.execute("update redline_nodes set last_seen = now() where name = %s", [name])


def stop_node(conn: psycopg.Connection[Row], name: str) -> None:
    conn.execute(
        "update redline_nodes set stopped_at = now(), running = null where name = %s", [name]
    )
