"""`redline cluster status`: the nodes, and per shard its jobs, articles and last rounds, read from
Postgres (Redline's tables and procrastinate's queue) in three queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from monitor.cluster import coordination
from monitor.cluster.coordination import Row
from monitor.cluster.shards import shard_name

SHARD_TASKS = ("redline.check_shard", "redline.discover_shard")
# procrastinate's job states, as `cluster status` counts them per shard.
JOB_STATES = {"todo": "queued", "doing": "running", "failed": "failed"}


def cluster_status(conn: psycopg.Connection[Row]) -> dict[str, Any]:
    config = coordination.load_config(conn)
    # A node silent for the stall timeout is dead, whatever its row last said it ran: its jobs
    # are queued again by the next tick (and its rounds closed in `redline_rounds`).
    nodes = conn.execute(
        "select name, host, pid, started_at, last_seen, stopped_at, running, "
        "case when stopped_at is not null then 'stopped' "
        "when last_seen > now() - make_interval(secs => %s) then 'alive' else 'dead' end "
        "as state from redline_nodes order by name",
        [config.stall_timeout.total_seconds()],
    ).fetchall()
    for node in nodes:
        node["alive"] = node["state"] == "alive"
        node["running"] = node["running"] if node["alive"] else None
    jobs: dict[int, dict[str, int]] = {}
    for row in conn.execute(
        "select (args->>'shard')::int as shard, status::text as status, count(*) as n "
        "from procrastinate_jobs where task_name = any(%s) and status::text = any(%s) "
        "group by 1, 2",
        [list(SHARD_TASKS), list(JOB_STATES)],
    ):
        counts = jobs.setdefault(row["shard"], dict.fromkeys(JOB_STATES.values(), 0))
        counts[JOB_STATES[row["status"]]] += int(row["n"])
    shards = []
    for row in coordination.all_shards(conn):
        shards.append(
            {
                "shard": row["shard"],
                "file": f"{shard_name(row['shard'], config.shards)}.db",
                "node": row["node"],
                "articles": row["articles"],
                "sources": row["sources"],
                "next_due_at": row["next_due_at"],
                "last_check_at": row["last_check_at"],
                "last_check_node": row["last_check_node"],
                "last_check_exit": row["last_check_exit"],
                "last_discover_at": row["last_discover_at"],
                "jobs": jobs.get(row["shard"], dict.fromkeys(JOB_STATES.values(), 0)),
            }
        )
    return {
        "directory": str(config.directory),
        "shards": config.shards,
        "nodes": nodes,
        "nodes_alive": sum(1 for node in nodes if node["alive"]),
        "articles": sum(shard["articles"] for shard in shards),
        "jobs": {
            state: sum(shard["jobs"][state] for shard in shards) for state in JOB_STATES.values()
        },
        "per_shard": shards,
    }


def as_json(value: Any) -> Any:
    """Times as ISO 8601 text, for `--json`."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value
