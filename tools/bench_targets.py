"""What `tools.bench` measures, each started on free loopback ports and stopped afterwards: the embedded mock (one
process), the hosted mock (N replicas on one PostgreSQL behind HAProxy), a checkout's mock (the code before a
change, for like-for-like figures), and WireMock serving the same answer bytes as a static stub."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from nspcert.processes import free_port
from tools import bench_proc as proc_info
from tools.postgres import TempPostgres

#: where `npm install wiremock` puts WireMock's standalone jar (kept between runs)
WIREMOCK_DIR = Path(__file__).resolve().parents[1] / ".work" / "wiremock"
WIREMOCK_VERSION = "3.13.2"


@dataclass
class Target:
    """A running server: where clients connect, and the processes whose CPU and memory count."""

    name: str
    port: int
    pids: Callable[[], list[int]]
    admin: str | None = None
    notes: list[str] = field(default_factory=list)


def _wait(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in time")


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()


def _mock(python: str, port: int, workdir: Path, *extra: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([python, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(port), "--state-dir",
                             str(workdir / "state"), "--journal", str(workdir / "journal.sqlite"), "--journal-cap",
                             "100000", *extra], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def embedded(workdir: Path) -> Iterator[Target]:
    port = free_port()
    proc = _mock(sys.executable, port, workdir)
    try:
        _wait(f"http://127.0.0.1:{port}/__admin/health", proc)
        yield Target("embedded, 1 process", port, lambda: proc_info.tree(proc.pid), f"http://127.0.0.1:{port}")
    finally:
        _stop([proc])


@contextlib.contextmanager
def checkout(root: Path, workers: int, workdir: Path) -> Iterator[Target]:
    """The mock of another checkout (its own .venv), e.g. a worktree of main before a change."""
    port = free_port()
    proc = _mock(str(root / ".venv" / "bin" / "python"), port, workdir, "--workers", str(workers), cwd=root)
    try:
        _wait(f"http://127.0.0.1:{port}/__admin/health", proc)
        name = f"before ({root.name}), " + ("1 process" if workers == 1 else f"--workers {workers}")
        yield Target(name, port, lambda: proc_info.tree(proc.pid), f"http://127.0.0.1:{port}")
    finally:
        _stop([proc])


def _haproxy_config(port: int, backends: list[int]) -> str:
    servers = "\n".join(f"  server r{i} 127.0.0.1:{p}" for i, p in enumerate(backends))
    return (f"global\n  maxconn 4096\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n"
            f"  timeout server 60s\n  option http-keep-alive\nfrontend mock\n  bind 127.0.0.1:{port}\n"
            f"  default_backend replicas\nbackend replicas\n  balance roundrobin\n  http-reuse always\n{servers}\n")


@contextlib.contextmanager
def hosted(pg: TempPostgres, replicas: int, workdir: Path, root: Path | None = None) -> Iterator[Target]:
    """`replicas` mock processes on one fresh database, behind HAProxy when installed (else, with more than one
    replica, uvicorn's own process manager dealing the connections); with `root`, the mock of that checkout (its
    own .venv), e.g. a worktree of main before a change."""
    url = pg.database(f"bench_{replicas}_{time.monotonic_ns()}")
    python, cwd = (sys.executable, None) if root is None else (str(root / ".venv" / "bin" / "python"), root)
    haproxy = shutil.which("haproxy")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        if haproxy is None and replicas > 1:
            port = free_port()
            procs.append(_mock(python, port, workdir, "--database", url, "--workers", str(replicas), cwd=cwd))
            front, notes = port, ["no HAProxy installed: uvicorn --workers deals the connections"]
        else:
            ports = [free_port() for _ in range(replicas)]
            for i, p in enumerate(ports):
                procs.append(_mock(python, p, workdir / f"r{i}", "--database", url, cwd=cwd))
                _wait(f"http://127.0.0.1:{p}/__admin/health", procs[-1])
            front, notes = ports[0], []
            if haproxy is not None:
                front = free_port()
                config = workdir / "haproxy.cfg"
                config.write_text(_haproxy_config(front, ports))
                procs.append(subprocess.Popen([haproxy, "-f", str(config)], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
        _wait(f"http://127.0.0.1:{front}/__admin/health", procs[-1])
        lb = " behind HAProxy" if haproxy else ""
        name = f"hosted, {replicas} replica{'s' if replicas > 1 else ''}{lb}"
        if root is not None:
            name = f"before ({root.name}), {name}"

        def pids() -> list[int]:
            return [pid for proc in procs for pid in proc_info.tree(proc.pid)] + pg.pids()

        yield Target(name, front, pids, f"http://127.0.0.1:{front}", notes)
    finally:
        _stop(procs)


def wiremock_jar() -> Path | None:
    """WireMock's standalone jar from the npm package `wiremock` (installed on first use); None without Java/npm."""
    if shutil.which("java") is None:
        return None
    found = sorted(WIREMOCK_DIR.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    if not found and shutil.which("npm") is not None:
        WIREMOCK_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(WIREMOCK_DIR),
                        f"wiremock@{WIREMOCK_VERSION}"], check=False, capture_output=True)
        found = sorted(WIREMOCK_DIR.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    return found[-1] if found else None


@contextlib.contextmanager
def wiremock(jar: Path, path: str, answer: bytes, content_type: str) -> Iterator[Target]:
    """WireMock answering POST `path` with exactly `answer` (a static stub: no parsing, no gate, no journal)."""
    port = free_port()
    proc = subprocess.Popen(["java", "-jar", str(jar), "--port", str(port), "--bind-address", "127.0.0.1",
                             "--no-request-journal", "--disable-banner", "--async-response-enabled", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/__admin/health", proc)
        import base64

        stub = {"request": {"method": "POST", "url": path},
                "response": {"status": 200, "base64Body": base64.b64encode(answer).decode(),
                             "headers": {"Content-Type": content_type, "Content-Length": str(len(answer))}}}
        httpx.post(f"http://127.0.0.1:{port}/__admin/mappings", content=json.dumps(stub)).raise_for_status()
        yield Target("WireMock static stub (same bytes)", port, lambda: proc_info.tree(proc.pid))
    finally:
        _stop([proc])
