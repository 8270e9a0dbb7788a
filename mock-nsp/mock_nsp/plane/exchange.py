"""What every route of the mock shares about one HTTP exchange: reading the body within bounds, the answer,
and recording it in the journal."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import ClientDisconnect, Request

from mock_nsp import soap
from mock_nsp.world.tenant import World

__all__ = ["BodyTooLarge", "ClientDisconnect", "Outcome", "headers", "journal_entry", "path", "read_body", "record",
           "unreadable", "unrecorded"]
log = logging.getLogger("mock_nsp")
TEXT = "text/plain; charset=utf-8"


def headers(request: Request) -> dict[str, str]:
    """The request's headers as a plain dict (the first of repeated ones, as Starlette's `Headers.get`), made once
    per request: a `Headers` lookup scans and decodes the raw list every time."""
    cached: dict[str, str] | None = request.scope.get(_HEADERS)
    if cached is None:
        cached = request.scope[_HEADERS] = dict(request.headers)
    return cached


def path(request: Request) -> str:
    """The request path, with a tenant's prefix (what `request.url.path` gives, without building and re-parsing a
    URL)."""
    return str(request.scope["path"])


_HEADERS = "mock_nsp.headers"


class BodyTooLarge(Exception):
    """The request body is larger than the route accepts."""


async def read_body(request: Request, limit: int, timeout: float, keep: int | None = None) -> bytes:
    """The body, at most `limit` bytes, within `timeout` seconds (a slow sender gets 408, not a hang).
    With `keep`, only the first `keep` bytes are kept in memory (the rest is read and counted, not stored).
    Raises BodyTooLarge, TimeoutError, or ClientDisconnect when the client goes away mid-body."""
    declared = headers(request).get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(declared)
    chunks: list[bytes] = []
    size = kept = 0
    async with asyncio.timeout(timeout):
        async for chunk in _chunks(request):
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(str(size))
            if keep is None or kept < keep:
                chunks.append(chunk if keep is None else chunk[: keep - kept])
                kept += len(chunks[-1])
    return b"".join(chunks)


async def _chunks(request: Request) -> AsyncIterator[bytes]:
    """The body's chunks straight from the ASGI messages (what `Request.stream` does, minus its bookkeeping: the
    mock reads each body once)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


@dataclass
class Outcome:
    """What goes back on the wire (or `drop` for a connection drop)."""

    status: int
    body: bytes
    content_type: str = soap.CT_SOAP11
    drop: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    operation: str | None = None


def unreadable(exc: BodyTooLarge | TimeoutError | ClientDisconnect) -> Outcome:
    """The answer to a request whose body could not be read within bounds (a gone client gets none)."""
    if isinstance(exc, BodyTooLarge):
        return Outcome(413, b"request body too large", TEXT)
    if isinstance(exc, TimeoutError):
        return Outcome(408, b"request body not received in time", TEXT)
    return Outcome(400, b"", TEXT, drop=True, summary={"client_disconnected": True})


def journal_entry(state: World, request: Request, service: str, raw: bytes, out: Outcome,
                  started: float) -> dict[str, Any]:
    """The journal's record of one exchange (see docs/ARCHITECTURE.md, Journal)."""
    status = 0 if out.drop else out.status
    return {
        # `at` is the mock's (settable) clock; `received_at` the real time, which orders exchanges between the
        # harness's steps however a scenario moves the clock
        "at": state.clock.now().isoformat(), "received_at": datetime.now(UTC).isoformat(), "service": service, "operation": out.operation, "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "request": {"method": request.method, "path": path(request), "headers": dict(headers(request)),
                    "body": raw},
        "response": {"status": status, "headers": {"content-type": out.content_type}, "body": out.body,
                     "dropped": out.drop},
        "summary": out.summary,
    }


async def record(state: World, entry: dict[str, Any]) -> bool:
    """Journal an exchange; whether it was committed. With `journal_durable` (the default) the answer waits until
    the entry is committed (group commit by the writer thread), so killing the mock never loses an answered
    exchange; an entry that could not be committed (the store is down) is reported, and the caller answers a
    fault instead of the answer it could not record."""
    if not state.settings.journal_durable:
        state.journal.record(entry)
        return True
    loop = asyncio.get_running_loop()
    committed: asyncio.Future[bool] = loop.create_future()
    state.journal.journal.batch_done = _wake_batch
    state.journal.record(entry, _Waiter(committed))
    # a timer rather than asyncio.wait_for: the same bound for a fraction of the cost on every answer
    timer = loop.call_later(COMMIT_TIMEOUT, _give_up, committed)
    try:
        return await committed
    finally:
        timer.cancel()


#: how long an answer waits for its journal entry before it is given up (a fault is answered instead)
COMMIT_TIMEOUT = 30.0


def _give_up(committed: asyncio.Future[bool]) -> None:
    if not committed.done():
        log.error("journal: an entry was not committed within %s s", COMMIT_TIMEOUT)
        committed.set_result(False)


class _Waiter:
    """A journal `done` callback that resolves a future on its own loop."""

    def __init__(self, future: asyncio.Future[bool]) -> None:
        self.future = future

    def __call__(self, ok: bool) -> None:
        _wake(self.future.get_loop(), [self.future], ok)


def _wake_batch(callbacks: list[Callable[[bool], None]], ok: bool) -> None:
    """Wake each event loop once per written batch (not once per entry)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[bool]]] = {}
    for callback in callbacks:
        if isinstance(callback, _Waiter):
            by_loop.setdefault(callback.future.get_loop(), []).append(callback.future)
        else:
            callback(ok)
    for loop, futures in by_loop.items():
        _wake(loop, futures, ok)


def _wake(loop: asyncio.AbstractEventLoop, futures: list[asyncio.Future[bool]], ok: bool) -> None:
    """Resolve the futures on their loop, from the writer thread (which must survive a loop that has gone away
    meanwhile)."""
    with suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(_resolve, futures, ok)


def _resolve(futures: list[asyncio.Future[bool]], ok: bool) -> None:
    for future in futures:
        if not future.done():
            future.set_result(ok)


def unrecorded(world: World, ns: str = soap.SOAP11) -> Outcome:
    """The answer to a request whose exchange could not be journaled: a SOAP fault naming the problem (never the
    answer itself: no client gets an answer the journal does not have)."""
    problems = "; ".join(world.problems()) or "the journal did not record the exchange"
    fault = soap.SoapFault(f"The mock NSP cannot record exchanges now: {problems}", "Server", http_status=503)
    return Outcome(503, soap.fault_envelope(fault, ns), soap.content_type(ns))
