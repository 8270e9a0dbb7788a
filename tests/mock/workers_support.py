"""A multi-process mock NSP (`python -m mock_nsp --workers N`) for the mock's own tests: started as a subprocess,
with a view of its state for the few tests that reach inside (the CA on disk, the clock in the shared state)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from mock_nsp.registers.clock import Clock
from mock_nsp.security.ca import TestCA
from mock_nsp.settings import Settings
from mock_nsp.shared import Shared
from nspcert.processes import free_port

ROOT = Path(__file__).resolve().parents[2]



@dataclass
class StateView:
    """What tests read or move inside the mock, reached from outside its processes."""

    ca: TestCA
    clock: Clock
    settings: Settings = field(default_factory=Settings)


class WorkerServer:
    def __init__(self, state_dir: Path, workers: int = 2, *extra: str) -> None:
        self.state_dir, self.port = state_dir, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(self.port), "--state-dir",
             str(state_dir), "--workers", str(workers), *extra], cwd=ROOT, stderr=subprocess.PIPE)
        self._wait_ready(workers)
        self._shared: Shared | None = None

    def _wait_ready(self, workers: int) -> None:
        """Healthy, and every worker answering (each asks for connections once its app has started)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if len(self.worker_pids()) == workers and len(self.pids_answering(4 * workers)) == workers:
                return
            time.sleep(0.1)
        self.stop()
        raise AssertionError("the multi-worker mock did not start: " + self._stderr())

    def _stderr(self) -> str:
        return (self.proc.stderr.read() if self.proc.stderr and self.proc.poll() is not None else b"").decode()

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def pids_answering(self, tries: int) -> set[int]:
        """The workers that answer `tries` fresh connections (the supervisor deals them in turn)."""
        pids = set()
        for _ in range(tries):
            try:
                r = httpx.get(self.url + "/__admin/health", timeout=2)
            except httpx.HTTPError:
                continue
            if r.status_code == 200:
                pids.add(int(r.json()["worker"]))
        return pids

    def client_on_each_worker(self) -> dict[int, httpx.Client]:
        """A keep-alive client per worker (connections are opened until every worker has one)."""
        clients: dict[int, httpx.Client] = {}
        for _ in range(200):
            http = httpx.Client(base_url=self.url, timeout=30)
            pid = int(http.get("/__admin/health").json()["worker"])
            if pid in clients:
                http.close()
            else:
                clients[pid] = http
            if len(clients) == len(self.worker_pids()):
                return clients
        raise AssertionError("could not reach every worker")

    def run_dir(self) -> Path:
        args = Path(f"/proc/{self.worker_pids()[0]}/cmdline").read_bytes().split(b"\0")
        return Path(args[args.index(b"--worker-of") + 1].decode())

    def state(self) -> StateView:
        if self._shared is None:
            self._shared = Shared(self.run_dir() / "state.sqlite")
        return StateView(TestCA.load_or_create(self.state_dir), Clock(self._shared))

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self._shared is not None:
            self._shared.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def spread(url: str) -> httpx.Client:
    """A client that opens a new connection for every request, so requests land on the workers at random."""
    return httpx.Client(base_url=url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0))


def wait_gone(pids: list[int], timeout: float = 10) -> Iterator[int]:
    """The pids still alive after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids):
        time.sleep(0.05)
    yield from (p for p in pids if Path(f"/proc/{p}").exists() and not _zombie(p))


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
