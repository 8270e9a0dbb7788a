"""The exchange journal: every tenant's exchanges in one store (SQLite in embedded mode, PostgreSQL in hosted mode),
written off the request path by one writer thread per process with group commit. An answer waits for its entry's
commit (`record(…, done)`), so a killed process never loses an answered exchange; when the commit fails, `done`
says so and the caller answers a fault instead. Bounded per tenant (oldest dropped, counted); entry ids count per
tenant, so a tenant's journal reads as a mock of its own."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mock_nsp.world.store import DEFAULT_TENANT

__all__ = ["Backend", "Entry", "Filters", "Journal", "Mark", "UnknownMark", "row"]
_BATCH = 256
log = logging.getLogger("mock_nsp.world.journal")
#: called once the item is committed (True) or could not be (False)
Done = Callable[[bool], None]
Row = tuple[object, ...]


class UnknownMark(LookupError):
    """A `mark` filter names a mark that was never set."""


@dataclass
class Filters:
    service: str | None = None
    operation: str | None = None
    cpr: str | None = None
    cvr: str | None = None
    since: str | None = None
    until: str | None = None
    mark: str | None = None
    limit: int = 10000
    after_id: int | None = None
    tenant: str = DEFAULT_TENANT


@dataclass
class Mark:
    tenant: str
    name: str
    at: str
    done: Done | None = None


@dataclass
class Entry:
    tenant: str
    row: Row
    done: Done | None = None


@dataclass
class Flush:
    done: Done | None


class Backend(Protocol):
    """Where the journal is kept (mock_nsp.storage.sqlite_journal, mock_nsp.storage.postgres_journal)."""

    def write(self, items: list[Entry | Mark], cap: int) -> None:
        """Commit entries and marks in one transaction, in order (ids per tenant; the oldest beyond `cap`
        dropped and counted); raises on failure, having rolled back."""
        ...

    def entries(self, f: Filters) -> dict[str, Any]: ...

    def marks(self, tenant: str) -> list[dict[str, Any]]: ...

    def dropped(self, tenant: str) -> int: ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""
        ...

    def close(self) -> None: ...


class Journal:
    """Append exchanges with `record()` (one writer thread, group commit); query with `entries()`."""

    def __init__(self, backend: Backend | Path, cap: int = 200_000) -> None:
        if isinstance(backend, Path):
            from mock_nsp.storage.sqlite_journal import SqliteJournal

            backend = SqliteJournal(backend)
        self.backend, self.cap = backend, cap
        self._queue: queue.SimpleQueue[Entry | Mark | Flush | None] = queue.SimpleQueue()
        self._closed = False
        #: the last write failed (storage down): health names it until a write succeeds again
        self.failing: str | None = None
        #: called by the writer thread with the `done` callbacks of each written batch and whether it was
        #: committed (replaceable, e.g. to wake an event loop once per batch instead of once per entry)
        self.batch_done: Callable[[list[Done], bool], None] = _each
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    # --- writing -----------------------------------------------------------------------------------
    def record(self, entry: dict[str, Any], done: Done | None = None, tenant: str = DEFAULT_TENANT) -> None:
        """Queue an exchange (non-blocking); `done(committed)` is called from the writer thread."""
        self.record_row(row(entry), done, tenant)

    def record_row(self, entry_row: Row, done: Done | None = None, tenant: str = DEFAULT_TENANT) -> None:
        if self._closed:
            log.warning("journal closed: an exchange after shutdown is not recorded")
            if done is not None:
                done(False)
            return
        self._queue.put(Entry(tenant, entry_row, done))

    def mark(self, name: str, at: str, tenant: str = DEFAULT_TENANT) -> None:
        """A named marker, ordered after everything recorded before it; raises when it could not be stored."""
        committed: list[bool] = []
        event = threading.Event()

        def done(ok: bool) -> None:
            committed.append(ok)
            event.set()

        self._queue.put(Mark(tenant, name, at, done))
        if not event.wait(30) or not committed[0]:
            raise JournalUnavailable(self.failing or "the journal did not record the mark in time")

    def flush(self, timeout: float = 30) -> None:
        """Wait until everything queued so far is written (or given up)."""
        event = threading.Event()
        self._queue.put(Flush(lambda ok: event.set()))
        event.wait(timeout)

    @property
    def alive(self) -> bool:
        """Whether exchanges are being recorded (the writer runs and the last write succeeded)."""
        return not self._closed and self._thread.is_alive() and self.failing is None

    def problems(self) -> list[str]:
        if self._closed or not self._thread.is_alive():
            return ["the journal is not recording"]
        if self.failing:
            try:
                self.backend.ping()  # back? the next write will tell for sure; health need not wait for one
            except Exception as exc:  # noqa: BLE001 - any failure: still not recording
                return [f"the journal is not recording: {_reason(exc)}"]
            self.failing = None
        return []

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(60)
        self.backend.close()

    # --- reading -----------------------------------------------------------------------------------
    def entries(self, f: Filters) -> dict[str, Any]:
        """`{"entries": [...], "dropped": N}` of `f.tenant`; raises UnknownMark for a mark never set."""
        self.flush()
        return self.backend.entries(f)

    def marks(self, tenant: str = DEFAULT_TENANT) -> list[dict[str, Any]]:
        self.flush()
        return self.backend.marks(tenant)

    def dropped(self, tenant: str = DEFAULT_TENANT) -> int:
        return self.backend.dropped(tenant)

    # --- the writer thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            item = self._queue.get()
            batch = [item]
            while len(batch) < _BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if not self._write(batch):
                return

    def _write(self, batch: list[Entry | Mark | Flush | None]) -> bool:
        """Write a batch in one transaction; on failure retry, then write the items one by one so one bad entry
        cannot take the others with it. The writer never dies; what could not be written is reported as such."""
        items = [item for item in batch if isinstance(item, Entry | Mark)]
        flushes = [item.done for item in batch if isinstance(item, Flush) and item.done is not None]
        if self._try(items, attempts=3):
            self.batch_done([item.done for item in items if item.done is not None], True)
        else:
            for item in items:
                ok = self._try([item], attempts=1)
                if item.done is not None:
                    self.batch_done([item.done], ok)
        for flushed in flushes:
            flushed(True)
        return None not in batch

    def _try(self, items: list[Entry | Mark], attempts: int) -> bool:
        for attempt in range(attempts):
            try:
                if items:
                    self.backend.write(items, self.cap)
                self.failing = None
                return True
            except Exception as exc:  # noqa: BLE001 - a storage failure of any kind is reported, never fatal
                self.failing = _reason(exc)
                if attempt + 1 < attempts:
                    time.sleep(0.05)
        log.error("journal: could not record %d item(s): %s", len(items), self.failing)
        return False


class JournalUnavailable(RuntimeError):
    """The journal could not record (its storage is down)."""


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _each(callbacks: list[Done], ok: bool) -> None:
    for callback in callbacks:
        callback(ok)


_MAX_BODY = 2 * 1024 * 1024


def _body(item: dict[str, Any], part: str) -> bytes | None:
    """Take the body out of the JSON document (it is stored as a BLOB, unescaped)."""
    msg = item.get(part)
    if not isinstance(msg, dict) or "body" not in msg:
        return None
    raw = msg.pop("body")
    data = raw if isinstance(raw, bytes) else str(raw).encode()
    if len(data) > _MAX_BODY:
        msg["body_bytes"], msg["truncated"] = len(data), True
        data = data[:_MAX_BODY]
    return data


def row(item: dict[str, Any]) -> Row:
    """The stored row of an exchange (made by the caller, so the writer thread mostly waits in the database):
    at, service, operation, status, duration_ms, cpr, cvr, document, request body, response body."""
    request, response = _body(item, "request"), _body(item, "response")
    summary = item.get("summary") or {}
    idcard = summary.get("idcard") or {}
    return (item["at"], item["service"], item.get("operation"), item.get("status"), item.get("duration_ms"),
            summary.get("cpr"), idcard.get("cvr"), json.dumps(item, ensure_ascii=False, check_circular=False),
            request, response)
