"""One worker process of a multi-process mock (`mock-nsp --workers N`, started by the supervisor): the same app,
with the shared state and the journal writer of the supervisor's run directory, serving the connections the
supervisor deals it (handoff.py)."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import uvicorn

from mock_nsp.handoff import Taker
from mock_nsp.journal_remote import RemoteJournal
from mock_nsp.settings import Settings
from mock_nsp.supervisor import CONNECTIONS_SOCKET, JOURNAL_SOCKET

PR_SET_PDEATHSIG = 1


def run(settings: Settings, run_dir: Path, log_level: str) -> int:
    from mock_nsp.app import create_app
    from mock_nsp.state import MockState

    _die_with_parent()
    assert settings.state_dir is not None and settings.journal_path is not None
    journal = RemoteJournal(settings.journal_path, run_dir / JOURNAL_SOCKET)
    app = create_app(settings, MockState.create(settings, journal))
    config = uvicorn.Config(app, log_level=log_level, access_log=False, proxy_headers=False, server_header=False)
    DealtServer(config, run_dir / CONNECTIONS_SOCKET).run(sockets=[])
    return 0


class DealtServer(uvicorn.Server):
    """uvicorn without a listening socket of its own: it serves the connections the supervisor deals it, each with
    the protocol uvicorn gives the connections it accepts, and asks for them only once the app has started."""

    def __init__(self, config: uvicorn.Config, connections: Path) -> None:
        super().__init__(config)
        self._taker = Taker(connections, self._adopt)
        self._adopting: set[asyncio.Task[Any]] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        if self.started:
            await self._taker.open()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._taker.close()
        await super().shutdown(sockets=sockets)

    def _adopt(self, conn: socket.socket) -> None:
        task = asyncio.get_running_loop().create_task(self._serve_dealt(conn))
        self._adopting.add(task)
        task.add_done_callback(self._adopting.discard)

    async def _serve_dealt(self, conn: socket.socket) -> None:
        try:
            await asyncio.get_running_loop().connect_accepted_socket(self._protocol, sock=conn)
        except OSError:  # the client went away before it was served
            conn.close()

    def _protocol(self) -> asyncio.Protocol:
        """What uvicorn's own `create_server` makes for an accepted connection (Server.startup's create_protocol)."""
        make = self.config.http_protocol_class  # typed as a bare asyncio.Protocol class, as uvicorn notes itself
        protocol: asyncio.Protocol = make(config=self.config, server_state=self.server_state,  # type: ignore[call-arg]
                                          app_state=self.lifespan.state)
        return protocol


def _die_with_parent() -> None:
    """SIGKILL when the supervisor dies, however it dies: a killed mock must leave no worker answering without
    its journal writer (Linux; elsewhere a worker notices the lost journal connection and reports unhealthy)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the supervisor died before prctl
        os._exit(1)
