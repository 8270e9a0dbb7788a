"""The embedded mode's journal: one SQLite file (WAL), written by the journal's one writer thread; a table per
tenant (`"journal:<tenant>"`, whose rowid is the entry id: one B-tree insert per exchange, ids of the tenant's own).

No fsync: a commit is in the operating system's hands once written, so a killed mock loses nothing; only an OS
crash or power loss could. With fsync at each checkpoint the group commit stalled for ~100 ms every few MB of
journal, and every waiting answer with it; checkpoints are kept small for the same reason."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from mock_nsp.storage.journal_sql import entry, select
from mock_nsp.world.journal import Entry, Filters, Mark, Row, UnknownMark

#: an exchange is ~25 KB (an ITI-43 answer carries a 15 KB base64 document): with 16 KB pages its overflow chain
#: is a quarter as long as with 4 KB ones, and a commit costs half the CPU
PAGE_SIZE = 16384
#: WAL pages after which a commit checkpoints them into the database (512 KB): the checkpoint runs inside the
#: commit that crosses the mark, and every answer waiting for that commit waits for it (16 MB took 15-18 ms)
WAL_CHECKPOINT_PAGES = 32
#: the schema's version (PRAGMA user_version); 1 was the single-tenant journal of mock-nsp 0.2
VERSION = 2
_COLUMNS = "at, service, operation, status, duration_ms, cpr, cvr, doc, request_body, response_body"
_TABLE = """CREATE TABLE IF NOT EXISTS "{name}" (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, service TEXT NOT NULL, operation TEXT, status INTEGER,
  duration_ms REAL, cpr TEXT, cvr TEXT, doc TEXT NOT NULL, request_body BLOB, response_body BLOB)"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, name TEXT NOT NULL,
  at TEXT NOT NULL, after_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal_tenants (tenant TEXT PRIMARY KEY, dropped INTEGER NOT NULL);
"""
#: a single-tenant journal (version 1) becomes the default tenant's: same rows, same ids, same marks
_FROM_V1 = """
ALTER TABLE journal RENAME TO "journal:default";
DROP INDEX IF EXISTS journal_at;
ALTER TABLE marks RENAME TO marks_v1;
{schema}
INSERT INTO marks(tenant, name, at, after_id) SELECT 'default', name, at, after_id FROM marks_v1 ORDER BY id;
INSERT INTO journal_tenants SELECT 'default', COALESCE((SELECT value FROM meta WHERE key = 'dropped'), 0);
DROP TABLE marks_v1; DROP TABLE meta;
"""
_MARK_AFTER = "SELECT after_id FROM marks WHERE tenant = ? AND name = ? ORDER BY seq DESC LIMIT 1"


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only on a new file (before WAL)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    return conn


def table(tenant: str) -> str:
    """A tenant's table (tenant names are [a-z0-9-]: nothing to escape in the quoted identifier)."""
    return f'"journal:{tenant}"'


class SqliteJournal:
    """The journal's `Backend` in one SQLite file: written by one thread, read on fresh connections (WAL: a
    reader never blocks the writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = connect(path)
        _migrate(self._conn)
        self._tables: set[str] = set()

    def write(self, items: list[Entry | Mark], cap: int) -> None:
        conn = self._conn
        conn.execute("BEGIN")
        try:
            pending: dict[str, list[Row]] = {}
            for item in items:
                self._ensure(item.tenant)
                if isinstance(item, Entry):
                    pending.setdefault(item.tenant, []).append(item.row)
                    continue
                self._insert(item.tenant, pending.pop(item.tenant, []))  # a mark comes after what was queued before
                conn.execute("INSERT INTO marks(tenant, name, at, after_id) VALUES (?, ?, ?, ?)",
                             (item.tenant, item.name, item.at, self._last(item.tenant)))
            for tenant, rows in pending.items():
                self._insert(tenant, rows)
            for tenant in {item.tenant for item in items}:
                self._trim(tenant, cap)
            conn.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _ensure(self, tenant: str) -> None:
        if tenant not in self._tables:
            self._conn.execute(_TABLE.format(name=f"journal:{tenant}"))
            self._tables.add(tenant)

    def _insert(self, tenant: str, rows: list[Row]) -> None:
        if rows:
            self._conn.executemany(f"INSERT INTO {table(tenant)}({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    def _last(self, tenant: str) -> int:
        """The last id given in the tenant's table (kept by AUTOINCREMENT even when the rows are dropped)."""
        found = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (f"journal:{tenant}",)).fetchone()
        return int(found[0]) if found else 0

    def _trim(self, tenant: str, cap: int) -> None:
        gone = self._conn.execute(f"DELETE FROM {table(tenant)} WHERE id <= ?", (self._last(tenant) - cap,)).rowcount
        if gone > 0:
            self._conn.execute("INSERT INTO journal_tenants VALUES (?, ?) ON CONFLICT(tenant) DO UPDATE SET "
                               "dropped = dropped + excluded.dropped", (tenant, gone))

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        conn = connect(self.path)
        try:
            yield conn
        finally:
            conn.close()

    def entries(self, f: Filters) -> dict[str, Any]:
        with self._reader() as conn:
            if f.mark is not None and conn.execute(_MARK_AFTER, (f.tenant, f.mark)).fetchone() is None:
                raise UnknownMark(f.mark)
            if not _exists(conn, f.tenant):
                return {"entries": [], "dropped": _dropped(conn, f.tenant)}
            sql, args = select(f, "?", table(f.tenant))
            rows = conn.execute(sql, args).fetchall()
            return {"entries": [entry(*r) for r in rows], "dropped": _dropped(conn, f.tenant)}

    def marks(self, tenant: str) -> list[dict[str, Any]]:
        with self._reader() as conn:
            rows = conn.execute("SELECT name, at, after_id FROM marks WHERE tenant = ? ORDER BY seq", (tenant,))
            return [{"name": n, "at": at, "after_id": a} for n, at, a in rows.fetchall()]

    def dropped(self, tenant: str) -> int:
        with self._reader() as conn:
            return _dropped(conn, tenant)

    def ping(self) -> None:
        with self._reader() as conn:
            conn.execute("SELECT COUNT(*) FROM journal_tenants").fetchone()

    def close(self) -> None:
        self._conn.close()


def _exists(conn: sqlite3.Connection, tenant: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (f"journal:{tenant}",)).fetchone() is not None


def _dropped(conn: sqlite3.Connection, tenant: str) -> int:
    found = conn.execute("SELECT dropped FROM journal_tenants WHERE tenant = ?", (tenant,)).fetchone()
    return int(found[0]) if found else 0


def _migrate(conn: sqlite3.Connection) -> None:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > VERSION:
        raise RuntimeError(f"the journal has schema version {version}; this mock knows up to {VERSION}")
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
