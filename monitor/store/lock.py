"""The crawl lock of a shard file: one crawl of a shard at a time, whoever starts it.

In a cluster, procrastinate's lock per shard keeps two jobs of a shard apart; this lock keeps any
two crawls apart, a manual `redline --db DIR/shard-07.db check` or `scrapy crawl` included. It is
an advisory `flock` on `shard-07.db.lock` beside the shard, taken by the crawl process itself and
released by the kernel when that process ends, however it ends (SIGKILL, power loss on the
node; on NFS v4 the server releases it with the client's lease), so a dead crawl never leaves a
stale lock. The file holds the holder's pid and host, for the message of whoever is refused.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import RedlineError, StorageError

# A cluster's shard files (monitor.cluster.shards.shard_name); the single-machine database is
# never locked, so that nothing changes for it.
SHARD_FILE = re.compile(r"shard-\d+\.db")
# The holder line of a lock file is short; a bound in case the file is something else.
HOLDER_BYTES = 200


class DatabaseBusy(RedlineError):
    """Another crawl holds this shard file's lock."""


@dataclass
class DatabaseLock:
    path: Path  # the lock file
    fd: int

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the only descriptor releases the flock
            self.fd = -1


def is_shard_file(db_path: Path) -> bool:
    return SHARD_FILE.fullmatch(Path(db_path).name) is not None


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(Path(db_path).name + ".lock")


def lock_database(db_path: Path) -> DatabaseLock:
    """Take the crawl lock of a database file at once, or raise DatabaseBusy saying who has it,
    or StorageError if the lock file cannot be opened or locked (a read-only or missing
    directory, an I/O error): the lock is never left held by a failure."""
    path = lock_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StorageError(
            f"cannot open the crawl lock {path}: {error.strerror or error}"
        ) from None
    locked = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise DatabaseBusy(
                    f"{Path(db_path).name} is being crawled by another process "
                    f"({_holder(path)}); not crawled by this one"
                ) from None
            raise StorageError(f"cannot lock {path}: {error.strerror or error}") from None
        _write_holder(fd)
        locked = True
        return DatabaseLock(path, fd)
    finally:
        if not locked:
            os.close(fd)


def _write_holder(fd: int) -> None:
    """The holder line, for whoever is refused; best effort: the flock is what counts."""
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
    except OSError:
        pass


def _holder(path: Path) -> str:
    try:
        with open(path, "rb") as file:
            line = file.read(HOLDER_BYTES).decode("utf-8", errors="replace").strip()
    except OSError:
        line = ""
    return line or "pid unknown"
