"""The hosted mode's store: every tenant's world in PostgreSQL (psycopg 3, a connection pool).

Every write moves its tenant's `generation` in the same transaction; taking that row's lock first makes every
read-modify-write of a tenant atomic across replicas. Before each request the plane awaits `sync()`: one query
(`SELECT name, generation FROM tenants`) shared by every request that arrived while the previous one was in
flight, so a change committed before a request was sent is seen by it on whichever replica it lands, for one
round trip per batch of requests rather than per request. A replica reloads a world only when its generation
moved. Failures become `StoreUnavailable` (health 503 naming PostgreSQL, SOAP faults on the service plane); the
pool and the checker reconnect by themselves once PostgreSQL is back."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from mock_nsp.storage.schema import migrate
from mock_nsp.world.store import CitizenRow, Firing, Json, Loaded, StoreUnavailable, TenantRecord

T = TypeVar("T")
log = logging.getLogger("mock_nsp.postgres")
Conn = psycopg.Connection[tuple[Any, ...]]
#: how long a request waits for a pooled connection before PostgreSQL is declared unavailable
CONNECT_TIMEOUT = 5.0


def unavailable(exc: BaseException) -> StoreUnavailable:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return StoreUnavailable(f"PostgreSQL is unavailable ({text[:200]})")


class PostgresStore:
    restores_from_journal = False

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self.url = url
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, timeout=CONNECT_TIMEOUT,
                                    kwargs={"autocommit": False, "connect_timeout": int(CONNECT_TIMEOUT)},
                                    check=ConnectionPool.check_connection, reconnect_timeout=0)
        self._generations: dict[str, int] = {}
        self._opened = False
        self._failing: str | None = None
        self._next: asyncio.Future[None] | None = None
        self._checking = False
        self._aconn: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._aconn_loop: asyncio.AbstractEventLoop | None = None

    # --- life ----------------------------------------------------------------------------------------
    def open(self) -> None:
        """Open the pool and check the schema (applying the migrations it lacks)."""
        if self._opened:
            return
        with psycopg.connect(self.url, connect_timeout=int(CONNECT_TIMEOUT)) as conn:
            applied = migrate(conn)
        if applied:
            log.warning("PostgreSQL schema migrated to version %s", applied[-1])
        self._pool.open(wait=False)
        self._opened = True

    def close(self) -> None:
        self._pool.close()
        if self._aconn is not None:  # its event loop may be gone: close the connection itself
            self._aconn.pgconn.finish()
            self._aconn = None
        self._opened = False

    def problems(self) -> list[str]:
        try:
            with self._conn() as conn:
                conn.execute("SELECT 1")
        except StoreUnavailable as exc:
            return [str(exc)]
        return []

    @contextmanager
    def _conn(self) -> Iterator[Conn]:
        """A pooled connection in a transaction (committed when the block ends); any database failure is a
        StoreUnavailable, a broken connection is dropped by the pool."""
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
            self._failing = None
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
            self._failing = str(exc)
            raise unavailable(exc) from None

    def _bump(self, conn: Conn, tenant: str) -> None:
        """Lock the tenant's row and move its generation (every write starts here)."""
        row = conn.execute("UPDATE tenants SET generation = generation + 1 WHERE name = %s RETURNING generation",
                           (tenant,)).fetchone()
        if row is None:
            raise KeyError(tenant)
        self._seen(tenant, int(row[0]))

    def _seen(self, tenant: str, generation: int) -> None:
        if generation > self._generations.get(tenant, -1):
            self._generations[tenant] = generation

    # --- tenants -------------------------------------------------------------------------------------
    def create_tenant(self, record: TenantRecord, sections: dict[str, Any]) -> bool:
        with self._conn() as conn:
            created = conn.execute("INSERT INTO tenants(name, token_sha256, ca) VALUES (%s, %s, %s) "
                                   "ON CONFLICT (name) DO NOTHING RETURNING generation",
                                   (record.name, record.token_sha256, Jsonb(record.ca_pem))).fetchone()
            if created is None:
                return False
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO sections(tenant, key, value) VALUES (%s, %s, %s)",
                                [(record.name, key, Jsonb(value)) for key, value in sections.items()])
            return True

    def tenant(self, name: str) -> TenantRecord | None:
        with self._conn() as conn:
            row = conn.execute("SELECT name, token_sha256, ca FROM tenants WHERE name = %s", (name,)).fetchone()
        return None if row is None else TenantRecord(row[0], row[1], dict(row[2]))

    # --- change tracking -----------------------------------------------------------------------------
    async def sync(self) -> None:
        loop = asyncio.get_running_loop()
        if self._next is None or self._next.get_loop() is not loop:
            self._next = loop.create_future()
        waiting = self._next
        if not self._checking:
            self._checking = True
            loop.create_task(self._check())
        await asyncio.shield(waiting)

    async def _check(self) -> None:
        """Run generation checks while requests wait for one that started after they arrived."""
        try:
            while self._next is not None:
                waiting, self._next = self._next, None
                try:
                    rows = await self._generations_now()
                except Exception as exc:  # noqa: BLE001 - every failure means the store cannot be read
                    self._failing = str(exc)
                    waiting.set_exception(unavailable(exc))
                    waiting.exception()  # retrieved here too: a waiter may have given up
                    continue
                for name, generation in rows:
                    self._seen(name, int(generation))
                waiting.set_result(None)
        finally:
            self._checking = False

    async def _generations_now(self) -> list[tuple[Any, ...]]:
        loop = asyncio.get_running_loop()
        if self._aconn is None or self._aconn.closed or self._aconn_loop is not loop:
            self._aconn = await psycopg.AsyncConnection.connect(self.url, autocommit=True,
                                                                connect_timeout=int(CONNECT_TIMEOUT))
            self._aconn_loop = loop
        try:
            cur = await self._aconn.execute("SELECT name, generation FROM tenants")
            return await cur.fetchall()
        except Exception:
            await self._aconn.close()
            self._aconn = None
            raise

    def generation(self, tenant: str) -> int:
        found = self._generations.get(tenant)
        if found is None:
            with self._conn() as conn:
                row = conn.execute("SELECT generation FROM tenants WHERE name = %s", (tenant,)).fetchone()
            found = int(row[0]) if row else -1
            self._seen(tenant, found)
        return found

    def load(self, tenant: str, versions: dict[str, int]) -> Loaded:
        with self._conn() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot for every part
            generation = int(_one(conn.execute("SELECT generation FROM tenants WHERE name = %s", (tenant,)).fetchone()))
            sections = dict(conn.execute("SELECT key, value FROM sections WHERE tenant = %s", (tenant,)).fetchall())
            now = dict(conn.execute("SELECT cpr, version FROM citizens WHERE tenant = %s", (tenant,)).fetchall())
            moved = [cpr for cpr, version in now.items() if versions.get(cpr) != version]
            rows = conn.execute("SELECT cpr, data, version, document FROM citizens WHERE tenant = %s AND cpr = ANY(%s)",
                                (tenant, moved)).fetchall() if moved else []
            rules = [r[0] for r in conn.execute("SELECT rule FROM faults WHERE tenant = %s ORDER BY seq",
                                                (tenant,)).fetchall()]
        self._seen(tenant, generation)
        return Loaded(generation, sections,
                      {cpr: CitizenRow(data, int(version), bytes(doc) if doc is not None else None)
                       for cpr, data, version, doc in rows},
                      {cpr: int(version) for cpr, version in now.items()}, rules)

    # --- writes --------------------------------------------------------------------------------------
    def put_section(self, tenant: str, key: str, value: Any) -> None:
        with self._conn() as conn:
            self._bump(conn, tenant)
            _set_section(conn, tenant, key, value)

    def update_section(self, tenant: str, key: str, change: Callable[[Any], Any]) -> Any:
        with self._conn() as conn:
            self._bump(conn, tenant)
            row = conn.execute("SELECT value FROM sections WHERE tenant = %s AND key = %s", (tenant, key)).fetchone()
            value = change(row[0] if row else None)
            _set_section(conn, tenant, key, value)
            return value

    def put_citizen(self, tenant: str, cpr: str, data: Json) -> None:
        with self._conn() as conn:
            self._bump(conn, tenant)
            conn.execute("INSERT INTO citizens(tenant, cpr, data, version) VALUES (%s, %s, %s, "
                         "nextval('citizen_versions')) ON CONFLICT (tenant, cpr) DO UPDATE SET data = excluded.data, "
                         "version = excluded.version", (tenant, cpr, Jsonb(data)))

    def delete_citizen(self, tenant: str, cpr: str) -> bool:
        with self._conn() as conn:
            self._bump(conn, tenant)
            return conn.execute("DELETE FROM citizens WHERE tenant = %s AND cpr = %s", (tenant, cpr)).rowcount > 0

    def set_document(self, tenant: str, cpr: str, document: bytes | None) -> bool:
        with self._conn() as conn:
            self._bump(conn, tenant)
            return conn.execute("UPDATE citizens SET document = %s, version = nextval('citizen_versions') "
                                "WHERE tenant = %s AND cpr = %s", (document, tenant, cpr)).rowcount > 0

    def modify_citizen(self, tenant: str, cpr: str, change: Callable[[Json], T]) -> T:
        with self._conn() as conn:
            self._bump(conn, tenant)
            row = conn.execute("SELECT data FROM citizens WHERE tenant = %s AND cpr = %s", (tenant, cpr)).fetchone()
            if row is None:
                raise KeyError(cpr)
            data: Json = row[0]
            result = change(data)
            conn.execute("UPDATE citizens SET data = %s, version = nextval('citizen_versions') "
                         "WHERE tenant = %s AND cpr = %s", (Jsonb(data), tenant, cpr))
            return result

    def add_fault(self, tenant: str, rule: Json, rng: bytes | None) -> None:
        with self._conn() as conn:
            self._bump(conn, tenant)
            conn.execute("DELETE FROM faults WHERE tenant = %s AND id = %s", (tenant, rule["id"]))
            conn.execute("INSERT INTO faults(tenant, id, rule, rng) VALUES (%s, %s, %s, %s)",
                         (tenant, rule["id"], Jsonb(rule), rng))

    def remove_fault(self, tenant: str, rule_id: str) -> bool:
        with self._conn() as conn:
            self._bump(conn, tenant)
            return conn.execute("DELETE FROM faults WHERE tenant = %s AND id = %s", (tenant, rule_id)).rowcount > 0

    def reset(self, tenant: str, sections: dict[str, Any]) -> None:
        with self._conn() as conn:
            self._bump(conn, tenant)
            for table in ("sections", "citizens", "faults", "minlog_entries", "minlog_requests", "lists"):
                conn.execute(f"DELETE FROM {table} WHERE tenant = %s", (tenant,))
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO sections(tenant, key, value) VALUES (%s, %s, %s)",
                                [(tenant, key, Jsonb(value)) for key, value in sections.items()])

    # --- counters and records ------------------------------------------------------------------------
    def fire_faults(self, tenant: str, ids: list[str], fire: Firing) -> list[str]:
        fired: list[str] = []
        with self._conn() as conn:
            rows = conn.execute("SELECT id, hits, rng FROM faults WHERE tenant = %s AND id = ANY(%s) ORDER BY seq "
                                "FOR UPDATE", (tenant, ids)).fetchall()
            stored = {rule_id: (int(hits), bytes(rng) if rng is not None else None) for rule_id, hits, rng in rows}
            for rule_id in ids:
                if rule_id not in stored:
                    continue
                hit, hits, rng = fire(rule_id, *stored[rule_id])
                conn.execute("UPDATE faults SET hits = %s, rng = %s WHERE tenant = %s AND id = %s",
                             (hits, rng, tenant, rule_id))
                if hit:
                    fired.append(rule_id)
        return fired

    def fault_hits(self, tenant: str) -> dict[str, int]:
        with self._conn() as conn:
            return {rule_id: int(hits) for rule_id, hits in
                    conn.execute("SELECT id, hits FROM faults WHERE tenant = %s", (tenant,)).fetchall()}

    def minlog_add(self, tenant: str, entries: list[Json], cap: int) -> int:
        with self._conn() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"minlog:{tenant}",))
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO minlog_entries(tenant, entry) VALUES (%s, %s)",
                                [(tenant, Jsonb(e)) for e in entries])
            return conn.execute(_KEEP_NEWEST.format(table="minlog_entries", where="tenant = %s"),
                                (tenant, tenant, cap - 1)).rowcount

    def minlog_request(self, tenant: str, at: float, hour_ago: float) -> int:
        with self._conn() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"minlog-requests:{tenant}",))
            conn.execute("DELETE FROM minlog_requests WHERE tenant = %s AND at <= %s", (tenant, hour_ago))
            conn.execute("INSERT INTO minlog_requests(tenant, at) VALUES (%s, %s)", (tenant, at))
            return int(_one(conn.execute("SELECT COUNT(*) FROM minlog_requests WHERE tenant = %s", (tenant,)).fetchone()))

    def minlog_entries(self, tenant: str) -> list[Json]:
        with self._conn() as conn:
            return [r[0] for r in conn.execute("SELECT entry FROM minlog_entries WHERE tenant = %s ORDER BY seq",
                                               (tenant,)).fetchall()]

    def minlog_requests(self, tenant: str) -> int:
        with self._conn() as conn:
            return int(_one(conn.execute("SELECT COUNT(*) FROM minlog_requests WHERE tenant = %s", (tenant,)).fetchone()))

    def append(self, tenant: str, kind: str, item: Json, cap: int) -> None:
        with self._conn() as conn:
            conn.execute("INSERT INTO lists(tenant, kind, item) VALUES (%s, %s, %s)", (tenant, kind, Jsonb(item)))
            conn.execute(_KEEP_NEWEST.format(table="lists", where="tenant = %s AND kind = %s"),
                         (tenant, kind, tenant, kind, cap - 1))

    def items(self, tenant: str, kind: str) -> list[Json]:
        with self._conn() as conn:
            return [r[0] for r in conn.execute("SELECT item FROM lists WHERE tenant = %s AND kind = %s ORDER BY seq",
                                               (tenant, kind)).fetchall()]


#: delete all but the newest rows (the subquery finds the oldest to keep; with fewer rows it is NULL: none goes)
_KEEP_NEWEST = ("DELETE FROM {table} WHERE {where} AND seq < (SELECT seq FROM {table} WHERE {where} ORDER BY seq DESC "
                "OFFSET %s LIMIT 1)")


def _one(row: tuple[Any, ...] | None) -> Any:
    """The one value of a row that must exist."""
    if row is None:
        raise StoreUnavailable("PostgreSQL answered no row where one must be")
    return row[0]


def _set_section(conn: Conn, tenant: str, key: str, value: Any) -> None:
    conn.execute("INSERT INTO sections(tenant, key, value) VALUES (%s, %s, %s) ON CONFLICT (tenant, key) DO UPDATE "
                 "SET value = excluded.value", (tenant, key, Jsonb(value)))

