"""The rollup database of a cluster, `DIR/rollup.db`: each pass copies every shard file's recent
changes into it (`monitor.store.rollup`, which reads and writes both with the store's schema)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from monitor import store
from monitor.cluster.shards import ROLLUP_FILE, shard_files
from monitor.store import rollup
from monitor.store.rollup import ROLLUP_WINDOW, copy_shard, prune

__all__ = ["ROLLUP_WINDOW", "RollupStats", "open_rollup", "roll_up", "rollup_path"]


@dataclass(frozen=True)
class RollupStats:
    shards: int
    changes: int
    pruned: int = 0


def rollup_path(directory: Path) -> Path:
    return Path(directory) / ROLLUP_FILE


def open_rollup(directory: Path) -> Database:
    return rollup.open_rollup(rollup_path(directory))


def roll_up(directory: Path, now: datetime | None = None) -> RollupStats:
    """One pass over every shard file of `directory`."""
    now = now or store.utc_now()
    target = open_rollup(directory)
    copied = 0
    files = shard_files(directory)
    try:
        for path in files:
            copied += copy_shard(target, path, now)
        pruned = prune(target, now - ROLLUP_WINDOW)
    finally:
        target.close()
    return RollupStats(shards=len(files), changes=copied, pruned=pruned)
