"""A throwaway PostgreSQL server for the hosted mode's tests and the benchmark: Debian's `postgresql` binaries,
its own `initdb` in a temporary directory, `pg_ctl` to start and stop it on a free loopback port, trust
authentication for local clients only. As root it runs as the `postgres` user (PostgreSQL refuses root).

    with TempPostgres() as pg:          # pg.url: postgresql://postgres@127.0.0.1:PORT/postgres
        pg.stop(); pg.start()           # the server goes away and comes back (same data)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from nspcert.processes import free_port

#: where Debian's packages put the server programs (`apt-get install postgresql`)
DEBIAN = Path("/usr/lib/postgresql")


class NoPostgres(RuntimeError):
    """PostgreSQL's server programs are not installed."""


def bindir() -> Path:
    """The newest installed server's programs (Debian's layout, else `initdb` on the PATH)."""
    versions = sorted((p for p in DEBIAN.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if versions:
        return versions[-1]
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise NoPostgres("PostgreSQL is not installed (Debian: apt-get install -y postgresql)")


class TempPostgres:
    def __init__(self, port: int | None = None) -> None:
        self.bin = bindir()
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="nspcert-pg-"))
        self.data = self.root / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self._as, str(self.bin / program), *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(args)} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                   "-c fsync=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                  "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        done = subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
                              capture_output=True, check=False)
        return done.returncode == 0

    def pids(self) -> list[int]:
        """The server's processes (postmaster and its children), for CPU accounting."""
        from tools.bench_proc import tree

        try:
            return tree(int((self.data / "postmaster.pid").read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            return []

    def database(self, name: str) -> str:
        """A new, empty database on this server; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def __enter__(self) -> TempPostgres:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def wait_until(check: object, timeout: float = 30.0) -> None:
    """Poll `check()` until it is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.1)
    raise TimeoutError("condition not met in time")
