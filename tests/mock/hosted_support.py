"""Hosted-mode mocks for the mock's own tests: replicas in this process (each its own app, store and journal writer
on one PostgreSQL database), or as real processes (`python -m mock_nsp --database … --workers N`)."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
from mocknsp_support import Mock
from starlette.testclient import TestClient

from mock_nsp.plane.app import app_for
from mock_nsp.settings import Settings
from nspcert.processes import free_port
from tools.postgres import TempPostgres

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count()


def new_database(pg: TempPostgres) -> str:
    return pg.database(f"t{os.getpid()}_{next(_names)}")


@contextmanager
def replicas(url: str, state_dir: Path, n: int = 2) -> Iterator[list[Mock]]:
    """`n` replicas of one hosted mock, each with its own app (store, pool, journal writer) in this process."""
    with ExitStack() as stack:
        mocks = []
        for _ in range(n):
            http = stack.enter_context(TestClient(app_for(Settings(database=url, state_dir=state_dir))))
            m = Mock(http)
            m.app_state = http.app.state.mock  # type: ignore[attr-defined]
            mocks.append(m)
        yield mocks


class HostedServer:
    """`python -m mock_nsp --database URL --workers N`: uvicorn's process manager and N worker processes."""

    def __init__(self, url: str, state_dir: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(self.port), "--database", url,
             "--state-dir", str(state_dir), "--workers", str(workers)], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(self.answering(4 * workers)) == workers:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError("the hosted mock did not start: " + (self.proc.stderr.read() if self.proc.stderr else
                                                                     b"").decode()[-3000:])

    def answering(self, tries: int) -> set[int]:
        """The worker pids that answer `tries` fresh connections."""
        pids = set()
        for _ in range(tries):
            try:
                r = httpx.get(self.url + "/__admin/health", timeout=2)
            except httpx.HTTPError:
                continue
            if r.status_code == 200:
                pids.add(int(r.json()["worker"]))
        return pids

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
