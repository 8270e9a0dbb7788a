"""How a multi-process mock spreads its connections: the supervisor accepts every connection on the port and deals
it to the workers in turn, passing the socket itself over a Unix socket (SCM_RIGHTS); a worker serves the sockets
it is dealt as if it had accepted them.

Why not a SO_REUSEPORT socket per worker: the kernel picks the socket by a hash of the connection's addresses, so a
few keep-alive clients split unevenly (32 bench clients came out 12/20 and 13/19 over two workers), and every
client of the busier worker waits longer for as long as the connection lives (17 ms against 27 ms a request). Why
not one listening socket that both workers accept from: an idle worker's loop accepts a whole burst at once. Dealing
costs the supervisor one accept and one sendmsg per connection, not per request.

Wire: a worker connects to the supervisor's socket (`connections.sock` in the run directory) once it is ready to
serve; each message is one byte carrying one connection's descriptor. A worker that closes its end (stopping, or
dead) is dealt no more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("mock_nsp")
#: connections a listening port keeps waiting (uvicorn's default)
BACKLOG = 2048
#: descriptors taken from one message at most (one is sent per message)
_MAX_FDS = 16


# --- the supervisor's side ----------------------------------------------------------------------------
class Dealer:
    """Accepts on `listener` and deals each connection to the next ready worker; workers announce themselves on the
    Unix socket at `path`. Runs on the supervisor's event loop."""

    def __init__(self, listener: socket.socket, path: Path) -> None:
        self.listener, self.path = listener, path
        self.workers: list[socket.socket] = []
        self._turn = 0
        self._accepting = False
        self._loop = asyncio.get_running_loop()
        self._hub = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._hub.bind(str(path))
        os.chmod(path, 0o600)
        self._hub.listen(64)
        self._hub.setblocking(False)
        listener.setblocking(False)
        self._loop.add_reader(self._hub.fileno(), self._worker_arrives)

    def close(self) -> None:
        """Stop dealing (connections not yet accepted wait in the backlog until the listener closes)."""
        self._pause()
        self._loop.remove_reader(self._hub.fileno())
        for worker in list(self.workers):
            self._worker_leaves(worker)
        self._hub.close()

    def _worker_arrives(self) -> None:
        with contextlib.suppress(BlockingIOError):
            worker, _ = self._hub.accept()
            worker.setblocking(False)
            self.workers.append(worker)
            self._loop.add_reader(worker.fileno(), self._worker_speaks, worker)
            if not self._accepting:
                self._accepting = True
                self._loop.add_reader(self.listener.fileno(), self._accept)

    def _worker_speaks(self, worker: socket.socket) -> None:
        """A worker sends nothing: readable means it has closed its end (or died)."""
        try:
            data = worker.recv(64)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._worker_leaves(worker)

    def _worker_leaves(self, worker: socket.socket) -> None:
        self._loop.remove_reader(worker.fileno())
        with contextlib.suppress(ValueError):
            self.workers.remove(worker)
        worker.close()
        if not self.workers:
            self._pause()

    def _pause(self) -> None:
        if self._accepting:
            self._accepting = False
            self._loop.remove_reader(self.listener.fileno())

    def _accept(self) -> None:
        """Every connection waiting in the backlog, each to the next worker."""
        while self.workers:
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. out of descriptors: leave the rest in the backlog for the next round
                log.error("mock-nsp: accepting a connection failed: %s", exc)
                return
            with conn:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._deal(conn)

    def _deal(self, conn: socket.socket) -> None:
        """To the next worker whose socket takes it; a connection no worker takes is closed (and logged)."""
        for _ in range(len(self.workers)):
            self._turn = (self._turn + 1) % len(self.workers)
            worker = self.workers[self._turn]
            try:
                socket.send_fds(worker, [b"c"], [conn.fileno()])
                return
            except OSError:  # full (a stuck worker) or gone: the next one
                continue
        log.error("mock-nsp: no worker took a connection; it is closed")


# --- the worker's side --------------------------------------------------------------------------------
Adopt = Callable[[socket.socket], None]


class Taker:
    """A worker's end: `adopt` is called with each connection the supervisor deals (a connected, non-blocking
    socket). Runs on the worker's event loop."""

    def __init__(self, path: Path, adopt: Adopt) -> None:
        self.path, self.adopt = path, adopt
        self._sock: socket.socket | None = None

    async def open(self) -> None:
        """Connect to the supervisor: from now on this worker is dealt connections."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        await loop.sock_connect(sock, str(self.path))
        self._sock = sock
        loop.add_reader(sock.fileno(), self._receive)

    def close(self) -> None:
        """Be dealt no more connections (those already dealt are served on)."""
        if self._sock is not None:
            asyncio.get_running_loop().remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None

    def _receive(self) -> None:
        assert self._sock is not None
        while self._sock is not None:
            try:
                data, fds, _, _ = socket.recv_fds(self._sock, 64, _MAX_FDS)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                data, fds = b"", []
            for fd in fds:
                self._take(fd)
            if not data:
                log.error("mock-nsp: the supervisor's connection socket closed; no new connections come")
                self.close()
                return

    def _take(self, fd: int) -> None:
        try:
            conn = socket.socket(fileno=fd)
            conn.setblocking(False)
        except OSError:
            os.close(fd)
            return
        self.adopt(conn)
