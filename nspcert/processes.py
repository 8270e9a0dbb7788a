"""Start the mock NSP and the reference EOJ as real processes on free loopback ports, and stop them.

Both are separate programs (SPEC §2), so the harness runs them as subprocesses: killing one mid-run
is a real test, and a crash in one never takes the harness down with it. Output goes to a log file
that is kept with the run's reports.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx


class ProcessStartError(RuntimeError):
    """A program the harness depends on did not become ready (an *error*, never the vendor's fault)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Program:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self, timeout: float = 5.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def start(name: str, module: str, args: Sequence[str], ready_path: str, log_dir: Path,
          env: dict[str, str] | None = None, timeout: float = 20.0, port: int | None = None) -> Program:
    """Run ``python -m module --host 127.0.0.1 --port P *args`` (P: ``port``, else a free one) and wait until
    ``ready_path`` answers 200."""
    port = port or free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    command = [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port), *args]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    program = Program(name, f"http://127.0.0.1:{port}", process, log_path)
    _wait_ready(program, ready_path, timeout)
    return program


def _wait_ready(program: Program, ready_path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if program.process.poll() is not None:
            raise ProcessStartError(f"{program.name} exited with {program.process.returncode}:\n{program.log_tail()}")
        try:
            if httpx.get(program.base_url + ready_path, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    program.stop()
    raise ProcessStartError(f"{program.name} not ready at {program.base_url}{ready_path} after {timeout}s:\n"
                            f"{program.log_tail()}")
