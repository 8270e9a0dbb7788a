"""Reading the journal: connections, filters (service, operation, CPR, CVR, time, mark, paging) to SQL, rows to
entries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: an exchange is ~25 KB (an ITI-43 answer carries a 15 KB base64 document): with 16 KB pages its overflow chain
#: is a quarter as long as with 4 KB ones, and a commit costs half the CPU
PAGE_SIZE = 16384
#: WAL pages after which a commit checkpoints them into the database (512 KB). The checkpoint runs inside the commit
#: that crosses the mark, and every answer waiting for that commit waits for it: 1,000 pages (16 MB) took 15-18 ms,
#: 32 take under 1 ms, for the same CPU per row (the same pages are copied, in smaller steps)
WAL_CHECKPOINT_PAGES = 32


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


def entries(conn: sqlite3.Connection, f: Filters) -> dict[str, Any]:
    if f.mark is not None and _mark_after(conn, f.mark) is None:
        raise UnknownMark(f.mark)
    where, args = _where(f)
    sql = f"SELECT id, doc, request_body, response_body FROM journal {where} ORDER BY id LIMIT ?"
    rows = conn.execute(sql, [*args, f.limit]).fetchall()
    dropped = int(conn.execute("SELECT value FROM meta WHERE key='dropped'").fetchone()[0])
    return {"entries": [_entry(*row) for row in rows], "dropped": dropped}


def marks(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT name, at, after_id FROM marks ORDER BY id").fetchall()
    return [{"name": n, "at": at, "after_id": a} for n, at, a in rows]


def _where(f: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    args: list[object] = []
    for column, value in (("service", f.service), ("operation", f.operation), ("cpr", f.cpr), ("cvr", f.cvr)):
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    bounds: tuple[tuple[str, object], ...] = (("at >= ?", f.since), ("at <= ?", f.until), ("id > ?", f.after_id))
    for clause, bound in bounds:
        if bound is not None:
            clauses.append(clause)
            args.append(bound)
    if f.mark is not None:
        clauses.append("id > (SELECT after_id FROM marks WHERE name = ? ORDER BY id DESC LIMIT 1)")
        args.append(f.mark)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", args


def _mark_after(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT after_id FROM marks WHERE name = ? ORDER BY id DESC LIMIT 1", (name,)).fetchone()
    return int(row[0]) if row else None


def _entry(row_id: int, doc: str, request: bytes | None, response: bytes | None) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(doc)
    entry["id"] = row_id
    for part, body in (("request", request), ("response", response)):
        if body is not None and isinstance(entry.get(part), dict):
            entry[part]["body"] = body.decode("utf-8", errors="replace")
    return entry


def connect(path: Path) -> sqlite3.Connection:
    """WAL, and no fsync: a commit is in the operating system's hands once written, so a killed mock (SPEC §8)
    loses nothing; only an OS crash or power loss could. With fsync at each checkpoint (synchronous=NORMAL) the
    group commit stalled for ~100 ms every few MB of journal, and every waiting answer with it; checkpoints are kept
    small for the same reason (WAL_CHECKPOINT_PAGES)."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
    conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only on a new file (before WAL)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    return conn


class JournalReader:
    """Querying the journal, on a fresh reader connection each time (WAL: reading never blocks the writer)."""

    path: Path

    async def open(self) -> None:
        """Get ready to record, on the event loop that will record (a remote journal connects)."""

    def flush(self, timeout: float = 30) -> None:
        """Wait until everything recorded so far is committed."""

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        conn = connect(self.path)
        try:
            yield conn
        finally:
            conn.close()

    def dropped(self) -> int:
        with self._reader() as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='dropped'").fetchone()[0])

    def entries(self, f: Filters) -> dict[str, Any]:
        """`{"entries": [...], "dropped": N}`; raises UnknownMark for a mark never set."""
        self.flush()
        with self._reader() as conn:
            return entries(conn, f)

    def marks(self) -> list[dict[str, Any]]:
        self.flush()
        with self._reader() as conn:
            return marks(conn)
