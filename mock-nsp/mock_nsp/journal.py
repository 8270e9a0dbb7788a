"""The exchange journal: durable (SQLite, WAL), bounded (oldest dropped and counted), written off the
request path by one writer thread. `flush()` waits until everything queued is committed; `close()` drains
the queue before the process ends, so a graceful stop loses nothing."""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mock_nsp.journal_query import Filters, JournalReader, UnknownMark, connect

__all__ = ["Entry", "Filters", "Flush", "Journal", "JournalReader", "Mark", "UnknownMark", "row"]
_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, service TEXT NOT NULL, operation TEXT, status INTEGER, duration_ms REAL,
  cpr TEXT, cvr TEXT, doc TEXT NOT NULL, request_body BLOB, response_body BLOB
);
CREATE INDEX IF NOT EXISTS journal_at ON journal(at);
CREATE TABLE IF NOT EXISTS marks (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, at TEXT NOT NULL,
  after_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('dropped', 0);
"""
_BATCH = 256
log = logging.getLogger("mock_nsp.journal")


def _release(item: _Item) -> None:
    """Wake whoever waits for an item that could not be written (it is logged, not silently kept)."""
    if item is not None and item.done is not None:
        item.done()


def _migrate(conn: sqlite3.Connection) -> None:
    """Journals written by an older mock lack the body columns."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(journal)")}
    for column in ("request_body", "response_body"):
        if column not in columns:
            conn.execute(f"ALTER TABLE journal ADD COLUMN {column} BLOB")


Done = Callable[[], None]
Row = tuple[object, ...]


@dataclass
class Mark:
    name: str
    at: str
    done: Done | None


@dataclass
class Flush:
    done: Done | None


@dataclass
class Entry:
    row: Row
    done: Done | None = None


_Item = Entry | Mark | Flush | None


class Journal(JournalReader):
    """Append exchanges with `record()` (one writer thread, group commit); query with `entries()`."""

    def __init__(self, path: Path, cap: int = 200_000, thread: bool = True) -> None:
        """Without `thread`, the owner writes batches itself with `write_items` (see journal_remote.py)."""
        self.path = path
        self.cap = cap
        path.parent.mkdir(parents=True, exist_ok=True)
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._writer_conn = connect(path)
        self._writer_conn.executescript(_SCHEMA)
        _migrate(self._writer_conn)
        self._closed = False
        #: called by the writer thread with the `done` callbacks of each committed batch (replaceable, e.g. to
        #: wake an event loop once per batch instead of once per entry)
        self.batch_done: Callable[[list[Callable[[], None]]], None] = self._each
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        if thread:
            self._thread.start()

    # --- writing -----------------------------------------------------------------------------------
    @staticmethod
    def _each(callbacks: list[Callable[[], None]]) -> None:
        for callback in callbacks:
            callback()

    def record(self, entry: dict[str, Any], done: Callable[[], None] | None = None) -> None:
        """Queue an exchange (non-blocking); `done` is called from the writer thread once it is committed."""
        if self._closed:
            log.warning("journal closed: an exchange after shutdown is not recorded")
            if done is not None:
                done()
            return
        self.record_row(row(entry), done)

    def record_row(self, entry_row: Row, done: Done | None = None) -> None:
        """Queue a row made by `row()` (possibly in another process)."""
        if self._closed:
            if done is not None:
                done()
            return
        self._queue.put(Entry(entry_row, done))

    def mark(self, name: str, at: str) -> None:
        """A named marker, ordered after everything recorded before it."""
        done = threading.Event()
        self.mark_then(name, at, done.set)
        done.wait(30)

    def mark_then(self, name: str, at: str, done: Done | None) -> None:
        """Queue a mark; `done` is called once it is committed."""
        self._queue.put(Mark(name, at, done))

    def flush(self, timeout: float = 30) -> None:
        done = threading.Event()
        self.flush_then(done.set)
        done.wait(timeout)

    def flush_then(self, done: Done) -> None:
        self._queue.put(Flush(done))

    @property
    def alive(self) -> bool:
        """Whether exchanges are being recorded (the writer thread runs and the journal is open)."""
        return not self._closed and (self._thread.is_alive() or self._thread.ident is None)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        if self._thread.ident is not None:
            self._thread.join(60)
        self._writer_conn.close()

    def write_items(self, items: list[Entry | Mark | Flush]) -> None:
        """Commit items in one transaction, in the owner's thread (a journal made without a thread)."""
        self._write(list(items))

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

    def _write(self, batch: list[_Item]) -> bool:
        """Write a batch in one transaction; on a database error retry, then write the entries one by one
        so one bad entry cannot take the others with it (and the writer never dies)."""
        for _ in range(3):
            try:
                return self._write_batch(batch)
            except sqlite3.Error:
                self._rollback()
                time.sleep(0.05)
        alive = True
        for item in batch:
            try:
                alive = self._write_batch([item]) and alive
            except sqlite3.Error:
                self._rollback()
                log.exception("journal: could not record an entry")
                _release(item)
        return alive

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self._writer_conn.execute("ROLLBACK")

    def _write_batch(self, batch: list[_Item]) -> bool:
        """One transaction; the `done` callbacks are called in queue order once it is committed."""
        conn, alive = self._writer_conn, True
        callbacks: list[Callable[[], None]] = []
        rows: list[Row] = []
        conn.execute("BEGIN")
        for item in batch:
            if item is None:
                alive = False
                continue
            if isinstance(item, Mark):  # after the rows queued before it
                _insert(conn, rows)
                rows = []
                last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
                conn.execute("INSERT INTO marks(name, at, after_id) VALUES (?, ?, ?)", (item.name, item.at, last))
            elif isinstance(item, Entry):
                rows.append(item.row)
            if item.done is not None:
                callbacks.append(item.done)
        _insert(conn, rows)
        self._trim(conn)
        conn.execute("COMMIT")
        if callbacks:
            self.batch_done(callbacks)
        return alive

    def _trim(self, conn: sqlite3.Connection) -> None:
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
        cur = conn.execute("DELETE FROM journal WHERE id <= ?", (last - self.cap,))
        if cur.rowcount > 0:
            conn.execute("UPDATE meta SET value = value + ? WHERE key = 'dropped'", (cur.rowcount,))


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
    """The database row of an exchange (made by the caller, so the writer thread mostly waits in SQLite)."""
    request, response = _body(item, "request"), _body(item, "response")
    summary = item.get("summary") or {}
    idcard = summary.get("idcard") or {}
    return (item["at"], item["service"], item.get("operation"), item.get("status"), item.get("duration_ms"),
            summary.get("cpr"), idcard.get("cvr"), json.dumps(item, ensure_ascii=False, check_circular=False), request, response)


def _insert(conn: sqlite3.Connection, rows: list[Row]) -> None:
    if rows:
        conn.executemany(
            "INSERT INTO journal(at, service, operation, status, duration_ms, cpr, cvr, doc, request_body,"
            " response_body) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
