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
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

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
        return _OneWrite(protocol)


class _OneWrite(asyncio.Protocol):
    """The protocol, given a transport that sends an answer's head together with its body."""

    def __init__(self, inner: asyncio.Protocol) -> None:
        self.inner = inner

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.inner.connection_made(_HeadWithBody(cast(asyncio.Transport, transport)))

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


class _HeadWithBody(asyncio.Transport):
    """uvicorn writes a response's status line and headers, then its body, each with its own `write`, and uvloop
    sends each at once: two sends, and two wake-ups of the client, per answer. The head is held until the body
    comes (in the same step) and both go in one send; a head that nothing follows in the step goes out at the
    loop's next pass. Everything else is the connection's own transport."""

    def __init__(self, transport: asyncio.Transport) -> None:
        super().__init__()
        self._transport = transport
        self._head: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            self._transport.writelines([head, data])
        elif _is_head(data):
            self._head = bytes(data)
            asyncio.get_running_loop().call_soon(self._flush)
        else:
            self._transport.write(data)

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview]) -> None:
        self._flush()
        self._transport.writelines(list_of_data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def abort(self) -> None:
        self._head = None
        self._transport.abort()

    def _flush(self) -> None:
        if self._head is not None:
            head, self._head = self._head, None
            self._transport.write(head)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._head or b"")

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()


def _is_head(data: bytes | bytearray | memoryview) -> bool:
    """A final response's status line and headers as uvicorn writes them (1xx heads go at once)."""
    return bytes(data[:9]) == b"HTTP/1.1 " and data[9:10] != b"1" and bytes(data[-4:]) == b"\r\n\r\n"


def _die_with_parent() -> None:
    """SIGKILL when the supervisor dies, however it dies: a killed mock must leave no worker answering without
    its journal writer (Linux; elsewhere a worker notices the lost journal connection and reports unhealthy)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the supervisor died before prctl
        os._exit(1)
