"""The embedded mode's journal: one SQLite file (WAL), written by the journal's one writer thread.

No fsync: a commit is in the operating system's hands once written, so a killed mock loses nothing; only an OS
crash or power loss could. With fsync at each checkpoint the group commit stalled for ~100 ms every few MB of
journal, and every waiting answer with it; checkpoints are kept small for the same reason."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from mock_nsp.storage.journal_sql import MARK_AFTER, entry, select
from mock_nsp.world.journal import Entry, Filters, Mark, UnknownMark

#: an exchange is ~25 KB (an ITI-43 answer carries a 15 KB base64 document): with 16 KB pages its overflow chain
#: is a quarter as long as with 4 KB ones, and a commit costs half the CPU
PAGE_SIZE = 16384
#: WAL pages after which a commit checkpoints them into the database (512 KB): the checkpoint runs inside the
#: commit that crosses the mark, and every answer waiting for that commit waits for it (16 MB took 15-18 ms)
WAL_CHECKPOINT_PAGES = 32
#: the schema's version (PRAGMA user_version); 1 was the single-tenant journal of mock-nsp 0.2
VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, id INTEGER NOT NULL,
  at TEXT NOT NULL, service TEXT NOT NULL, operation TEXT, status INTEGER, duration_ms REAL,
  cpr TEXT, cvr TEXT, doc TEXT NOT NULL, request_body BLOB, response_body BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS journal_tenant_id ON journal(tenant, id);
CREATE TABLE IF NOT EXISTS marks (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, name TEXT NOT NULL,
  at TEXT NOT NULL, after_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal_tenants (tenant TEXT PRIMARY KEY, last_id INTEGER NOT NULL,
  dropped INTEGER NOT NULL);
"""
#: a single-tenant journal (version 1) becomes the default tenant's
_FROM_V1 = """
ALTER TABLE journal RENAME TO journal_v1;
ALTER TABLE marks RENAME TO marks_v1;
{schema}
INSERT INTO journal(tenant, id, at, service, operation, status, duration_ms, cpr, cvr, doc, request_body,
  response_body) SELECT 'default', id, at, service, operation, status, duration_ms, cpr, cvr, doc, request_body,
  response_body FROM journal_v1 ORDER BY id;
INSERT INTO marks(tenant, name, at, after_id) SELECT 'default', name, at, after_id FROM marks_v1 ORDER BY id;
INSERT INTO journal_tenants SELECT 'default', COALESCE((SELECT MAX(id) FROM journal_v1), 0),
  COALESCE((SELECT value FROM meta WHERE key = 'dropped'), 0);
DROP TABLE journal_v1; DROP TABLE marks_v1; DROP TABLE meta;
"""


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only on a new file (before WAL)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    return conn


class SqliteJournal:
    """The journal's `Backend` in one SQLite file: written by one thread, read on fresh connections (WAL: a
    reader never blocks the writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = connect(path)
        _migrate(self._conn)

    def write(self, items: list[Entry | Mark], cap: int) -> None:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            counters: dict[str, list[int]] = {}
            for item in items:
                last = counters.get(item.tenant) or counters.setdefault(item.tenant, self._counter(item.tenant))
                if isinstance(item, Entry):
                    last[0] += 1
                    conn.execute("INSERT INTO journal(tenant, id, at, service, operation, status, duration_ms, cpr,"
                                 " cvr, doc, request_body, response_body) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                                 (item.tenant, last[0], *item.row))
                else:
                    conn.execute("INSERT INTO marks(tenant, name, at, after_id) VALUES (?, ?, ?, ?)",
                                 (item.tenant, item.name, item.at, last[0]))
            for tenant, (last_id, dropped) in counters.items():
                gone = conn.execute("DELETE FROM journal WHERE tenant = ? AND id <= ?", (tenant, last_id - cap)).rowcount
                conn.execute("INSERT INTO journal_tenants VALUES (?, ?, ?) ON CONFLICT(tenant) DO UPDATE SET "
                             "last_id = excluded.last_id, dropped = excluded.dropped",
                             (tenant, last_id, dropped + max(0, gone)))
            conn.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _counter(self, tenant: str) -> list[int]:
        found = self._conn.execute("SELECT last_id, dropped FROM journal_tenants WHERE tenant = ?", (tenant,)).fetchone()
        return [int(found[0]), int(found[1])] if found else [0, 0]

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        conn = connect(self.path)
        try:
            yield conn
        finally:
            conn.close()

    def entries(self, f: Filters) -> dict[str, Any]:
        with self._reader() as conn:
            if f.mark is not None and conn.execute(MARK_AFTER.replace("{p}", "?"), (f.tenant, f.mark)).fetchone() is None:
                raise UnknownMark(f.mark)
            sql, args = select(f, "?")
            rows = conn.execute(sql, args).fetchall()
            return {"entries": [entry(*r) for r in rows], "dropped": _dropped(conn, f.tenant)}

    def marks(self, tenant: str) -> list[dict[str, Any]]:
        with self._reader() as conn:
            rows = conn.execute("SELECT name, at, after_id FROM marks WHERE tenant = ? ORDER BY seq", (tenant,))
            return [{"name": n, "at": at, "after_id": a} for n, at, a in rows.fetchall()]

    def ping(self) -> None:
        with self._reader() as conn:
            conn.execute("SELECT COUNT(*) FROM journal_tenants").fetchone()

    def dropped(self, tenant: str) -> int:
        with self._reader() as conn:
            return _dropped(conn, tenant)

    def close(self) -> None:
        self._conn.close()


def _dropped(conn: sqlite3.Connection, tenant: str) -> int:
    found = conn.execute("SELECT dropped FROM journal_tenants WHERE tenant = ?", (tenant,)).fetchone()
    return int(found[0]) if found else 0


def _migrate(conn: sqlite3.Connection) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > VERSION:
        raise RuntimeError(f"the journal {conn} has schema version {version}; this mock knows up to {VERSION}")
    if version == VERSION:
        return
    old = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'journal'").fetchone() is not None
    if old:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(journal)")}
        for column in ("request_body", "response_body"):  # journals of the first mock versions
            if column not in columns:
                conn.execute(f"ALTER TABLE journal ADD COLUMN {column} BLOB")
    conn.executescript("BEGIN;" + (_FROM_V1.format(schema=_SCHEMA) if old else _SCHEMA)
                       + f"PRAGMA user_version = {VERSION}; COMMIT;")
