"""The exchange journal: durable (SQLite, WAL), bounded (oldest dropped and counted), written off the
request path by one writer thread. `flush()` waits until everything queued is committed; `close()` drains
the queue before the process ends, so a graceful stop loses nothing."""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL, service TEXT NOT NULL, operation TEXT, status INTEGER, duration_ms REAL,
  cpr TEXT, cvr TEXT, doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_at ON journal(at);
CREATE TABLE IF NOT EXISTS marks (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, at TEXT NOT NULL,
  after_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta(key, value) VALUES ('dropped', 0);
"""
_BATCH = 256


@dataclass
class Filters:
    service: str | None = None
    operation: str | None = None
    cpr: str | None = None
    cvr: str | None = None
    since: str | None = None
    until: str | None = None
    mark: str | None = None
    limit: int = 1000
    after_id: int | None = None


@dataclass
class _Mark:
    name: str
    at: str
    done: threading.Event


class Journal:
    """Append exchanges with `record()`; query with `entries()` on a separate reader connection."""

    def __init__(self, path: Path, cap: int = 200_000) -> None:
        self.path = path
        self.cap = cap
        path.parent.mkdir(parents=True, exist_ok=True)
        self._queue: queue.Queue[dict[str, Any] | _Mark | threading.Event | None] = queue.Queue()
        self._writer_conn = self._connect()
        self._writer_conn.executescript(_SCHEMA)
        self._writer_conn.commit()
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    # --- writing -----------------------------------------------------------------------------------
    def record(self, entry: dict[str, Any]) -> None:
        """Queue an exchange (non-blocking)."""
        self._queue.put(entry)

    def mark(self, name: str, at: str) -> None:
        """A named marker, ordered after everything recorded before it."""
        done = threading.Event()
        self._queue.put(_Mark(name, at, done))
        done.wait(30)

    def flush(self, timeout: float = 30) -> None:
        done = threading.Event()
        self._queue.put(done)
        done.wait(timeout)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        self._thread.join(60)
        self._writer_conn.close()

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

    def _write(self, batch: list[dict[str, Any] | _Mark | threading.Event | None]) -> bool:
        conn, events, alive = self._writer_conn, [], True
        conn.execute("BEGIN")
        for item in batch:
            if item is None:
                alive = False
            elif isinstance(item, threading.Event):
                events.append(item)
            elif isinstance(item, _Mark):
                last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
                conn.execute("INSERT INTO marks(name, at, after_id) VALUES (?, ?, ?)", (item.name, item.at, last))
                events.append(item.done)
            else:
                _insert(conn, item)
        self._trim(conn)
        conn.execute("COMMIT")
        for event in events:
            event.set()
        return alive

    def _trim(self, conn: sqlite3.Connection) -> None:
        last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0]
        cur = conn.execute("DELETE FROM journal WHERE id <= ?", (last - self.cap,))
        if cur.rowcount > 0:
            conn.execute("UPDATE meta SET value = value + ? WHERE key = 'dropped'", (cur.rowcount,))

    # --- reading -----------------------------------------------------------------------------------
    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        conn = self._connect()
        try:
            yield conn
        finally:
            conn.close()

    def dropped(self) -> int:
        with self._reader() as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='dropped'").fetchone()[0])

    def entries(self, f: Filters) -> dict[str, Any]:
        self.flush()
        where, args = self._where(f)
        sql = f"SELECT id, doc FROM journal {where} ORDER BY id LIMIT ?"
        with self._reader() as conn:
            if f.mark is not None and _mark_after(conn, f.mark) is None:
                return {"entries": [], "dropped": self.dropped(), "error": f"unknown mark {f.mark!r}"}
            rows = conn.execute(sql, [*args, f.limit]).fetchall()
            dropped = int(conn.execute("SELECT value FROM meta WHERE key='dropped'").fetchone()[0])
        return {"entries": [_entry(row_id, doc) for row_id, doc in rows], "dropped": dropped}

    def _where(self, f: Filters) -> tuple[str, list[object]]:
        clauses: list[str] = []
        args: list[object] = []
        for column, value in (("service", f.service), ("operation", f.operation), ("cpr", f.cpr), ("cvr", f.cvr)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if f.since is not None:
            clauses.append("at >= ?")
            args.append(f.since)
        if f.until is not None:
            clauses.append("at <= ?")
            args.append(f.until)
        if f.after_id is not None:
            clauses.append("id > ?")
            args.append(f.after_id)
        if f.mark is not None:
            clauses.append("id > (SELECT after_id FROM marks WHERE name = ? ORDER BY id DESC LIMIT 1)")
            args.append(f.mark)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", args

    def marks(self) -> list[dict[str, Any]]:
        self.flush()
        with self._reader() as conn:
            rows = conn.execute("SELECT name, at, after_id FROM marks ORDER BY id").fetchall()
        return [{"name": n, "at": at, "after_id": a} for n, at, a in rows]


_MAX_BODY = 2 * 1024 * 1024


def _text_bodies(item: dict[str, Any]) -> None:
    for part in ("request", "response"):
        msg = item.get(part)
        if not isinstance(msg, dict) or not isinstance(msg.get("body"), bytes):
            continue
        raw: bytes = msg["body"]
        if len(raw) > _MAX_BODY:
            msg["body_bytes"], msg["truncated"] = len(raw), True
            raw = raw[:_MAX_BODY]
        msg["body"] = raw.decode("utf-8", errors="replace")


def _insert(conn: sqlite3.Connection, item: dict[str, Any]) -> None:
    _text_bodies(item)
    summary = item.get("summary") or {}
    idcard = summary.get("idcard") or {}
    conn.execute(
        "INSERT INTO journal(at, service, operation, status, duration_ms, cpr, cvr, doc) VALUES (?,?,?,?,?,?,?,?)",
        (item["at"], item["service"], item.get("operation"), item.get("status"), item.get("duration_ms"),
         summary.get("cpr"), idcard.get("cvr"), json.dumps(item, ensure_ascii=False)),
    )


def _mark_after(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT after_id FROM marks WHERE name = ? ORDER BY id DESC LIMIT 1", (name,)).fetchone()
    return int(row[0]) if row else None


def _entry(row_id: int, doc: str) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(doc)
    entry["id"] = row_id
    return entry
