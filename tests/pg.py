"""A real PostgreSQL server for the cluster tests: Debian's `postgresql` package, started with
initdb and pg_ctl in a temporary directory (in memory where /dev/shm is there) on 127.0.0.1 and a
free port, stopped at the end.

initdb and pg_ctl refuse to run as root (and CI runs as root): then they run as the `postgres`
user through `runuser`. The server binaries are not on PATH on Debian; `pg_config --bindir` or
the package's versioned directory (/usr/lib/postgresql/N/bin) finds them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

# A server that has not answered after this long is not going to.
START_TIMEOUT_S = 60
# The server's files live in memory where the system has a tmpfs for it: every test creates a
# database (~10 MB of files, written with fsync off), and on a disk the kernel writes them back
# while the suite runs; deleting the data directory at the end then waits for that writeback
# (40-60 s after the cluster tests on a busy machine, against under a second in memory).
MEMORY_DIR = Path("/dev/shm")


class PostgresUnavailable(Exception):
    """No PostgreSQL server can be started here; the reason says why."""


def find_bindir() -> Path:
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if found:
            candidates.append(Path(found))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    candidates += [Path(p) for p in versions]
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found (no initdb via pg_config --bindir or "
        "/usr/lib/postgresql/*/bin): `make test` installs Debian's postgresql where apt-get works"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    def __init__(self) -> None:
        self.bindir = find_bindir()
        in_memory = MEMORY_DIR.is_dir() and os.access(MEMORY_DIR, os.W_OK)
        self.root = Path(
            tempfile.mkdtemp(prefix="redline-pg-", dir=MEMORY_DIR if in_memory else None)
        )
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            [*prefix, *command],
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
            check=False,
            cwd=self.root,
        )

    def start(self) -> PostgresServer:
        if self.as_root:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root and runuser is missing")
            try:
                shutil.chown(self.root, user="postgres", group="postgres")
            except (LookupError, PermissionError) as error:
                raise PostgresUnavailable(
                    f"no postgres user to run the server as: {error}"
                ) from error
        self.root.chmod(0o700)
        init = self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        started = self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", str(START_TIMEOUT_S), "start",
        )  # fmt: skip
        if started.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-1000:]
            raise PostgresUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log}")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"create database {name}")
        return self.url(name)

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
