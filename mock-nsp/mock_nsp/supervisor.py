"""`mock-nsp --workers N` (N > 1): the service plane in N worker processes.

The supervisor prepares what the workers share before any of them starts — the test CA in the state directory, a
fresh shared-state database (with the MinLog2 entries restored from the journal) in a private run directory —
listens on the port, then starts the workers (`mock-nsp … --worker-of RUN_DIR`) and becomes the journal's only
writer (see journal_remote.py). It accepts every connection and deals it to the workers in turn (handoff.py), so
each worker serves an equal share of the clients. Workers are separate interpreters started afresh (not forked
copies), so no thread or lock of the supervisor leaks into them. A worker that dies is started again; SIGTERM or
SIGINT stops them all; if the supervisor itself is killed, the kernel kills the workers (PR_SET_PDEATHSIG), so a
killed mock leaves nothing answering without its journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from mock_nsp.handoff import BACKLOG, Dealer
from mock_nsp.journal import Journal
from mock_nsp.journal_remote import JournalServer
from mock_nsp.settings import Settings
from mock_nsp.state import MockState, restore_minlog

log = logging.getLogger("mock_nsp")
SHARED_DB = "state.sqlite"
JOURNAL_SOCKET = "journal.sock"
CONNECTIONS_SOCKET = "connections.sock"
#: a worker that keeps dying is not restarted forever
MAX_RESTARTS = 20


def serve(settings: Settings, workers: int, argv: list[str]) -> int:
    """Run the mock with `workers` worker processes until SIGTERM/SIGINT; `argv` is the command line the workers
    are started with (plus what the supervisor fixed: port, state directory, journal, run directory)."""
    run_dir = Path(tempfile.mkdtemp(prefix="mock-nsp-run-"))
    try:
        settings = _prepared(settings, run_dir)
        journal = Journal(_journal_path(settings), settings.journal_cap, thread=False)
        # what preparing left (modules, the CA, the state it restored) lives as long as the process: out of every
        # collection, or a full one stops the journal writer, and every answer waiting for a commit (84 ms seen)
        gc.freeze()
        try:
            with _listening(settings.host, settings.port) as listener:
                port = int(listener.getsockname()[1])
                args = [*argv, "--port", str(port), "--state-dir", str(settings.state_dir),
                        "--journal", str(_journal_path(settings)), "--worker-of", str(run_dir)]
                asyncio.run(_supervise(journal, listener, run_dir, workers, args))
        finally:
            journal.close()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    return 0


def _journal_path(settings: Settings) -> Path:
    assert settings.state_dir is not None
    return settings.journal_path or settings.state_dir / "journal.sqlite"


def _prepared(settings: Settings, run_dir: Path) -> Settings:
    """Settings every worker shares: a state directory (the CA is made here, once; a temporary one that outlives
    the run, like a single process's default journal, when none is given) and a fresh shared state."""
    state_dir = settings.state_dir or Path(tempfile.mkdtemp(prefix="mock-nsp-"))
    settings = replace(settings, state_dir=state_dir, shared_state=run_dir / SHARED_DB)
    journal = Journal(_journal_path(settings), settings.journal_cap)
    state = MockState.create(settings, journal)
    try:
        restore_minlog(state)
    finally:
        state.close()
    return settings


@contextlib.contextmanager
def _listening(host: str, port: int) -> Iterator[socket.socket]:
    """The mock's listening socket (`port` 0: any free one); the supervisor accepts on it for the workers."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(BACKLOG)
        yield sock


async def _supervise(journal: Journal, listener: socket.socket, run_dir: Path, workers: int,
                     args: list[str]) -> None:
    server = JournalServer(journal, run_dir / JOURNAL_SOCKET)
    server.start()
    dealer = Dealer(listener, run_dir / CONNECTIONS_SOCKET)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    procs = [_spawn(args) for _ in range(workers)]
    try:
        await _watch(procs, args, stop)
    finally:
        dealer.close()
        await asyncio.to_thread(_stop_all, procs)
        server.close()


async def _watch(procs: list[subprocess.Popen[bytes]], args: list[str], stop: asyncio.Event) -> None:
    restarts = 0
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
        for i, proc in enumerate(procs):
            if proc.poll() is not None and not stop.is_set():
                restarts += 1
                if restarts > MAX_RESTARTS:
                    log.error("mock-nsp: workers keep dying; stopping")
                    return
                log.error("mock-nsp: worker %d exited with %s; starting it again", proc.pid, proc.returncode)
                procs[i] = _spawn(args)


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "mock_nsp", *args])


def _stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM (uvicorn finishes the requests in flight, whose journal entries the supervisor still commits)."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
