"""The mock's mutable state, shared by every worker process: one SQLite database (WAL) that all of them read and
write, and in each worker caches that are refreshed before every request when the database has moved.

Why SQLite: it is already how the journal is shared, it gives short cross-process transactions for read-modify-
write (fault counters, SKR writes, FGVH actions) and it costs nothing to check for change: `PRAGMA data_version`
moves when another connection commits, and each section (a `kv` row) has its own generation, so a worker reloads
only what changed. A control-plane write committed by one worker is therefore seen by the very next request on
any worker.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT, gen INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS citizens (cpr TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER NOT NULL,
  document BLOB);
CREATE TABLE IF NOT EXISTS faults (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
  rule TEXT NOT NULL, hits INTEGER NOT NULL DEFAULT 0, rng BLOB);
CREATE TABLE IF NOT EXISTS minlog_entries (id INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS minlog_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS minlog_violations (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unmatched (id INTEGER PRIMARY KEY AUTOINCREMENT, item TEXT NOT NULL);
"""
#: tables a reset empties (the kv sections are reset by their owners)
RESET_TABLES = ("citizens", "faults", "minlog_entries", "minlog_requests", "minlog_violations", "unmatched")
Loader = Callable[[Any], None]


class Shared:
    """One worker's connection to the shared state. `watch(key, loader)` registers a cached section; `sync()`
    (before each request) calls the loaders of the sections that changed since the last call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._loaders: dict[str, Loader] = {}
        self._gens: dict[str, int] = {}
        self._data_version = -1
        self._dirty = True

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- sections ----------------------------------------------------------------------------------
    def init(self, key: str, value: Any) -> None:
        """Give a section its first value unless it has one (the first process to start wins)."""
        with self.write() as conn:
            conn.execute("INSERT OR IGNORE INTO kv(key, value, gen) VALUES (?, ?, 1)", (key, json.dumps(value)))

    def watch(self, key: str, loader: Loader) -> None:
        self._loaders[key] = loader
        self._gens.pop(key, None)
        self._dirty = True

    def get(self, key: str) -> Any:
        with self._lock:
            row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row and row[0] is not None else None

    def put(self, key: str, value: Any) -> None:
        with self.write() as conn:
            set_kv(conn, key, value)

    def update(self, key: str, change: Callable[[Any], Any]) -> Any:
        """Read-modify-write a section in one transaction (no worker's write is lost); returns the new value."""
        with self.write() as conn:
            row = conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
            value = change(json.loads(row[0]) if row and row[0] is not None else None)
            set_kv(conn, key, value)
        return value

    # --- transactions and change tracking -----------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (taken at once, so read-modify-write is atomic across workers); this worker's
        caches are refreshed after it commits."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
            self._dirty = True
            self._sync()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    def sync(self) -> None:
        """Bring the cached sections up to date; a few microseconds when nothing changed."""
        with self._lock:
            self._sync()

    def _sync(self) -> None:
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self._data_version and not self._dirty:
            return
        self._data_version, self._dirty = version, False
        self._conn.execute("BEGIN")  # one snapshot for every section
        try:
            gens = dict(self._conn.execute("SELECT key, gen FROM kv").fetchall())
            for key, loader in self._loaders.items():
                if key in gens and gens[key] != self._gens.get(key):
                    row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
                    loader(json.loads(row[0]) if row[0] is not None else None)
                    self._gens[key] = gens[key]
        finally:
            self._conn.execute("COMMIT")


def set_kv(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Write a section and move its generation (inside a write transaction)."""
    conn.execute("INSERT INTO kv(key, value, gen) VALUES (?, ?, 1) ON CONFLICT(key) DO UPDATE SET "
                 "value = excluded.value, gen = gen + 1", (key, json.dumps(value)))


def bump(conn: sqlite3.Connection, key: str) -> int:
    """Move a section's generation without a value (e.g. the citizens table changed); returns the new one."""
    conn.execute("INSERT INTO kv(key, value, gen) VALUES (?, NULL, 1) ON CONFLICT(key) DO UPDATE SET gen = gen + 1",
                 (key,))
    return int(conn.execute("SELECT gen FROM kv WHERE key = ?", (key,)).fetchone()[0])


class SharedList:
    """A bounded list of JSON items in a table of the shared state (the newest `cap` kept)."""

    def __init__(self, shared: Shared, table: str, cap: int) -> None:
        self.shared, self.table, self.cap = shared, table, cap

    def append(self, item: dict[str, Any]) -> None:
        with self.shared.write() as conn:
            conn.execute(f"INSERT INTO {self.table}(item) VALUES (?)", (json.dumps(item),))
            conn.execute(f"DELETE FROM {self.table} WHERE id <= (SELECT MAX(id) FROM {self.table}) - ?", (self.cap,))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self.shared.read() as conn:
            rows = conn.execute(f"SELECT item FROM {self.table} ORDER BY id").fetchall()
        return iter([json.loads(item) for (item,) in rows])
