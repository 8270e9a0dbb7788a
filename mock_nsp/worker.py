"""One worker process of a multi-process mock (`mock-nsp --workers N`, started by the supervisor): the same app,
with the shared state and the journal writer of the supervisor's run directory, on its own SO_REUSEPORT socket."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import sys
from pathlib import Path

from mock_nsp.journal_remote import RemoteJournal
from mock_nsp.settings import Settings
from mock_nsp.supervisor import JOURNAL_SOCKET

PR_SET_PDEATHSIG = 1


def run(settings: Settings, run_dir: Path, log_level: str) -> int:
    import uvicorn

    from mock_nsp.app import create_app
    from mock_nsp.state import MockState

    _die_with_parent()
    assert settings.state_dir is not None and settings.journal_path is not None
    journal = RemoteJournal(settings.journal_path, run_dir / JOURNAL_SOCKET)
    app = create_app(settings, MockState.create(settings, journal))
    config = uvicorn.Config(app, log_level=log_level, access_log=False, proxy_headers=False, server_header=False)
    uvicorn.Server(config).run(sockets=[_socket(settings.host, settings.port)])
    return 0


def _socket(host: str, port: int) -> socket.socket:
    """This worker's listening socket on the shared port (the kernel spreads connections over the workers)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _die_with_parent() -> None:
    """SIGKILL when the supervisor dies, however it dies: a killed mock must leave no worker answering without
    its journal writer (Linux; elsewhere a worker notices the lost journal connection and reports unhealthy)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the supervisor died before prctl
        os._exit(1)
