"""The journal of a multi-process mock: one writer (a `Journal` in the supervisor) fed by every worker over a Unix
socket in the mock's private run directory.

Why one writer: workers writing the same SQLite file would queue on its write lock (and SQLite's busy handler
sleeps whole milliseconds), and a writer thread in each worker competes with its event loop for the GIL, which
costs more CPU than the SQLite work itself. One writer commits larger groups with no lock contention; the
acknowledgement is the batch's `done` callbacks, so `Journal` keeps its one implementation of a commit. Durability is
unchanged: a worker answers only once the writer reports the entry committed.

Wire: worker → writer frames `!I` length + marshal `(seq, kind, payload)`, kind `r` (a journal row), `m` (a mark:
name, at) or `f` (flush); writer → worker `!Q` acknowledgements: every item up to that sequence number is committed
(the writer commits each connection's items in order).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import marshal
import os
import selectors
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mock_nsp.journal import Done, Entry, Flush, Journal, JournalReader, Mark, row

log = logging.getLogger("mock_nsp.journal")
FRAME = struct.Struct("!I")
ACK = struct.Struct("!Q")
#: a frame larger than this is not a journal row (bodies are cut at 2 MiB each)
MAX_FRAME = 16 * 1024 * 1024


# --- the writer's side (supervisor) ------------------------------------------------------------------
class _Ack:
    """The `done` callback of one item from one worker connection."""

    def __init__(self, conn: _Conn, seq: int) -> None:
        self.conn, self.seq = conn, seq

    def __call__(self) -> None:
        self.conn.acked = max(self.conn.acked, self.seq)


class _Conn:
    """One worker's connection: bytes received and not yet framed, the last sequence number committed."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer, self.acked, self.sent = sock, bytearray(), 0, 0

    def frames(self) -> Iterator[tuple[int, str, Any]]:
        view, at = memoryview(self.buffer), 0
        while len(view) - at >= FRAME.size:
            (size,) = FRAME.unpack_from(view, at)
            if size > MAX_FRAME:
                raise ValueError(f"a journal frame of {size} bytes")
            if len(view) - at - FRAME.size < size:
                break
            yield marshal.loads(view[at + FRAME.size: at + FRAME.size + size])
            at += FRAME.size + size
        view.release()
        del self.buffer[:at]


class JournalServer:
    """The journal's only writer: one thread that reads every worker's items, commits what has arrived in one
    transaction, acknowledges, and reads again (a natural group commit: the longer a commit takes, the more the
    next one carries). One thread and no queue: nothing in the supervisor competes for the GIL."""

    def __init__(self, journal: Journal, path: Path) -> None:
        self.journal, self.path = journal, path
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        os.chmod(path, 0o600)
        self._listener.listen(64)
        self._listener.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journal-server", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(60)
        self._selector.close()
        self._listener.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._round()
            except Exception:  # the writer must outlive any one bad round (it is logged)
                log.exception("journal: the writer failed a round; it goes on")

    def _round(self) -> None:
        items: list[Entry | Mark | Flush] = []
        for key, _ in self._selector.select(timeout=0.2):
            if key.fileobj is self._listener:
                self._accept()
            else:
                items.extend(self._receive(key.data))
        if items:
            self.journal.write_items(items)
            self._acknowledge()

    def _accept(self) -> None:
        with contextlib.suppress(BlockingIOError):
            sock, _ = self._listener.accept()
            sock.setblocking(False)
            _large_buffer(sock, socket.SO_RCVBUF)
            self._selector.register(sock, selectors.EVENT_READ, _Conn(sock))

    def _receive(self, conn: _Conn) -> list[Entry | Mark | Flush]:
        """Everything the worker has sent so far (so one commit carries it all)."""
        try:
            while True:
                data = conn.sock.recv(1 << 20)
                if not data:
                    raise ConnectionResetError
                conn.buffer += data
        except BlockingIOError:
            pass
        except OSError:  # the worker went away (an orderly close too)
            self._drop(conn)
            return []
        try:
            return [_item(kind, payload, _Ack(conn, seq)) for seq, kind, payload in conn.frames()]
        except (ValueError, EOFError, TypeError):
            log.exception("journal: a worker sent an unreadable frame; its connection is closed")
            self._drop(conn)
            return []

    def _acknowledge(self) -> None:
        for key in list(self._selector.get_map().values()):
            conn = key.data
            if isinstance(conn, _Conn) and conn.acked > conn.sent:
                try:
                    conn.sock.send(ACK.pack(conn.acked))
                    conn.sent = conn.acked
                except OSError:
                    self._drop(conn)

    def _drop(self, conn: _Conn) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        conn.sock.close()


def _item(kind: str, payload: Any, done: _Ack) -> Entry | Mark | Flush:
    if kind == "r":
        return Entry(tuple(payload), done)
    if kind == "m":
        return Mark(str(payload[0]), str(payload[1]), done)
    return Flush(done)


# --- the worker's side -------------------------------------------------------------------------------
class RemoteJournal(JournalReader):
    """A worker's journal: rows go to the supervisor's writer; reading opens the database directly. The socket is
    driven with the loop's add_reader/add_writer, not a stream transport: a 25 KB row per request through uvloop's
    stream writer cost a third of the worker's CPU once the socket buffer filled."""

    def __init__(self, path: Path, socket_path: Path) -> None:
        self.path, self.socket_path = path, socket_path
        self.batch_done: Callable[[list[Done]], None] = _each
        self._pending: deque[tuple[int, Done | None]] = deque()
        self._out: deque[memoryview] = deque()
        self._acks = bytearray()
        self._seq = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._sock: socket.socket | None = None

    async def open(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.setblocking(False)
        _large_buffer(sock, socket.SO_SNDBUF)
        self._loop, self._loop_thread = asyncio.get_running_loop(), threading.get_ident()
        await self._loop.sock_connect(sock, str(self.socket_path))
        self._sock = sock
        self._loop.add_reader(sock.fileno(), self._read_acks)

    @property
    def alive(self) -> bool:
        return self._sock is not None

    def record(self, entry: dict[str, Any], done: Done | None = None) -> None:
        self._submit("r", row(entry), done)

    def mark(self, name: str, at: str) -> None:
        self._wait("m", (name, at), 30)

    def flush(self, timeout: float = 30) -> None:
        self._wait("f", None, timeout)

    def close(self) -> None:
        if self._sock is not None and self._loop is not None:
            self._loop.remove_reader(self._sock.fileno())
            self._loop.remove_writer(self._sock.fileno())
            self._sock.close()
            self._sock = None

    def _wait(self, kind: str, payload: Any, timeout: float) -> None:
        """Mark and flush block: they run in a worker thread, never on the event loop (it sends for them)."""
        if threading.get_ident() == self._loop_thread:
            raise RuntimeError("journal: a blocking call on the event loop")
        done = threading.Event()
        self._submit(kind, payload, done.set)
        done.wait(timeout)

    def _submit(self, kind: str, payload: Any, done: Done | None) -> None:
        if self._loop is None or self._sock is None:
            log.error("journal: not connected to the writer; an item is not recorded")
            if done is not None:
                done()
        elif threading.get_ident() == self._loop_thread:
            self._send(kind, payload, done)
        else:  # an off-loop request (a large body) or a control-plane thread
            self._loop.call_soon_threadsafe(self._send, kind, payload, done)

    def _send(self, kind: str, payload: Any, done: Done | None) -> None:
        if self._sock is None:
            log.error("journal: the writer is gone; an item is not recorded")
            return  # whoever waits times out (exchange.record answers after 30 s, health says why)
        self._seq += 1
        data = marshal.dumps((self._seq, kind, payload))
        self._pending.append((self._seq, done))
        self._out.append(memoryview(FRAME.pack(len(data)) + data))
        if len(self._out) == 1:
            self._write()

    def _write(self) -> None:
        """Send what is queued; wait for the socket to drain when it is full."""
        assert self._sock is not None and self._loop is not None
        while self._out:
            try:
                sent = self._sock.send(self._out[0])
            except BlockingIOError:
                sent = 0
            except OSError:
                self._lost()
                return
            if sent < len(self._out[0]):
                self._out[0] = self._out[0][sent:]
                self._loop.add_writer(self._sock.fileno(), self._write)
                return
            self._out.popleft()
        self._loop.remove_writer(self._sock.fileno())

    def _read_acks(self) -> None:
        assert self._sock is not None
        try:
            data = self._sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
            return
        self._acks += data
        whole = len(self._acks) - len(self._acks) % ACK.size
        if whole:
            (seq,) = ACK.unpack_from(self._acks, whole - ACK.size)  # the latest covers the earlier ones
            del self._acks[:whole]
            self._acknowledged(seq)

    def _acknowledged(self, seq: int) -> None:
        callbacks = []
        while self._pending and self._pending[0][0] <= seq:
            callback = self._pending.popleft()[1]
            if callback is not None:
                callbacks.append(callback)
        if callbacks:
            self.batch_done(callbacks)

    def _lost(self) -> None:
        log.error("journal: the connection to the writer was lost; answers wait for entries that cannot be recorded")
        self.close()


def _large_buffer(sock: socket.socket, option: int) -> None:
    """A few MB of socket buffer, so a burst of rows does not stall the sender (SO_*BUFFORCE needs root)."""
    force = {socket.SO_SNDBUF: 32, socket.SO_RCVBUF: 33}[option]  # SO_SNDBUFFORCE, SO_RCVBUFFORCE (Linux)
    for opt in (force, option):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, opt, 4 * 1024 * 1024)
            return


def _each(callbacks: list[Done]) -> None:
    for callback in callbacks:
        callback()
