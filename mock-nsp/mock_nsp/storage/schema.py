"""Versioned schema migrations for the hosted mode: `migrations/NNN_name.sql`, applied in order, each once, in
its own transaction, recorded in `schema_migrations`. Checked at every start-up: a database behind the mock is
brought up to date (under an advisory lock, so replicas starting together apply each once); a database ahead of
the mock (a newer mock migrated it) is refused, naming both versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import psycopg

#: pg_advisory_lock key: 'mock-nsp' as eight bytes
_LOCK = int.from_bytes(b"mock-nsp", "big") & 0x7FFF_FFFF_FFFF_FFFF
_FILE = re.compile(r"(\d{3})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer mock."""


def migrations() -> list[Migration]:
    found = []
    for entry in resources.files("mock_nsp.storage.migrations").iterdir():
        match = _FILE.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def latest() -> int:
    return migrations()[-1].version


def migrate(conn: psycopg.Connection[tuple[Any, ...]]) -> list[int]:
    """Bring the schema up to date; the versions applied now."""
    applied_now: list[int] = []
    conn.autocommit = True
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK,))
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        done = {int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations").fetchall()}
        if done and max(done) > latest():
            raise SchemaTooNew(f"the database's schema is version {max(done)}; this mock knows versions up to "
                               f"{latest()}: run a newer mock-nsp")
        for migration in migrations():
            if migration.version in done:
                continue
            with conn.transaction():
                conn.execute(migration.sql.encode())
                conn.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, %s)",
                             (migration.version, migration.name))
            applied_now.append(migration.version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK,))
    return applied_now
