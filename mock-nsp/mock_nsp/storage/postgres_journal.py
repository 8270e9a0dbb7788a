"""The hosted mode's journal: the `journal` and `marks` tables of PostgreSQL, written by each process's journal
writer thread on its own connection (group commit: one transaction per batch), read through a small pool.

Ids count per tenant: a batch locks its tenants' counters (`journal_tenants`, in name order, so two replicas never
deadlock), so entries from every replica get one gap-free sequence per tenant in commit order, and a mark's
`after_id` is exact."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from mock_nsp.storage.journal_sql import MARK_AFTER, entry, select
from mock_nsp.storage.postgres import CONNECT_TIMEOUT, unavailable
from mock_nsp.world.journal import Entry, Filters, Mark, UnknownMark

_COLUMNS = ("tenant", "id", "at", "service", "operation", "status", "duration_ms", "cpr", "cvr", "doc",
            "request_body", "response_body")
_INSERT = f"INSERT INTO journal ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"


class PostgresJournal:
    def __init__(self, url: str) -> None:
        self.url = url
        self._writer: psycopg.Connection[tuple[Any, ...]] | None = None
        self._readers = ConnectionPool(url, min_size=0, max_size=2, open=True, timeout=CONNECT_TIMEOUT,
                                       kwargs={"connect_timeout": int(CONNECT_TIMEOUT)},
                                       check=ConnectionPool.check_connection)

    def _connection(self) -> psycopg.Connection[tuple[Any, ...]]:
        if self._writer is None or self._writer.closed or self._writer.broken:
            self._writer = psycopg.connect(self.url, connect_timeout=int(CONNECT_TIMEOUT))
        return self._writer

    def write(self, items: list[Entry | Mark], cap: int) -> None:
        try:
            conn = self._connection()
            with conn.transaction():
                self._write(conn, items, cap)
        except psycopg.Error as exc:
            if self._writer is not None and (self._writer.broken or isinstance(exc, psycopg.OperationalError)):
                self._writer.close()
                self._writer = None
            raise unavailable(exc) from None

    def _write(self, conn: psycopg.Connection[tuple[Any, ...]], items: list[Entry | Mark], cap: int) -> None:
        counters: dict[str, list[int]] = {}
        for tenant in sorted({item.tenant for item in items}):
            conn.execute("INSERT INTO journal_tenants VALUES (%s, 0, 0) ON CONFLICT DO NOTHING", (tenant,))
            row = conn.execute("SELECT last_id, dropped FROM journal_tenants WHERE tenant = %s FOR UPDATE",
                               (tenant,)).fetchone()
            last, dropped = row if row is not None else (0, 0)
            counters[tenant] = [int(last), int(dropped)]
        rows: list[tuple[object, ...]] = []
        marks: list[tuple[str, str, str, int]] = []
        for item in items:
            counter = counters[item.tenant]
            if isinstance(item, Entry):
                counter[0] += 1
                rows.append((item.tenant, counter[0], *item.row))
            else:
                marks.append((item.tenant, item.name, item.at, counter[0]))
        with conn.cursor() as cur:
            if rows:  # bodies go as binary parameters (a text COPY would hex-encode them: twice the bytes)
                cur.executemany(_INSERT, rows)
            if marks:
                cur.executemany("INSERT INTO marks(tenant, name, at, after_id) VALUES (%s, %s, %s, %s)", marks)
        for tenant, (last, dropped) in counters.items():
            gone = conn.execute("DELETE FROM journal WHERE tenant = %s AND id <= %s", (tenant, last - cap)).rowcount
            conn.execute("UPDATE journal_tenants SET last_id = %s, dropped = %s WHERE tenant = %s",
                         (last, dropped + max(0, gone), tenant))

    def entries(self, f: Filters) -> dict[str, Any]:
        try:
            with self._readers.connection() as conn:
                if f.mark is not None and conn.execute(MARK_AFTER.replace("{p}", "%s"),
                                                       (f.tenant, f.mark)).fetchone() is None:
                    raise UnknownMark(f.mark)
                sql, args = select(f, "%s")
                rows = conn.execute(sql.encode(), args).fetchall()
                return {"entries": [entry(*r) for r in rows], "dropped": _dropped(conn, f.tenant)}
        except psycopg.Error as exc:
            raise unavailable(exc) from None

    def marks(self, tenant: str) -> list[dict[str, Any]]:
        try:
            with self._readers.connection() as conn:
                rows = conn.execute("SELECT name, at, after_id FROM marks WHERE tenant = %s ORDER BY seq", (tenant,))
                return [{"name": n, "at": at, "after_id": int(a)} for n, at, a in rows.fetchall()]
        except psycopg.Error as exc:
            raise unavailable(exc) from None

    def ping(self) -> None:
        try:
            with self._readers.connection() as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            raise unavailable(exc) from None

    def dropped(self, tenant: str) -> int:
        with self._readers.connection() as conn:
            return _dropped(conn, tenant)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._readers.close()


def _dropped(conn: psycopg.Connection[tuple[Any, ...]], tenant: str) -> int:
    found = conn.execute("SELECT dropped FROM journal_tenants WHERE tenant = %s", (tenant,)).fetchone()
    return int(found[0]) if found else 0
