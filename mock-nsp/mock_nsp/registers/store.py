"""The citizen register and register availability, kept in the shared state (`mock_nsp.shared`): every write is
one transaction on the database, and each worker reads a cache of `Citizen`s that is reloaded (only the rows
whose version moved) when the `citizens` section's generation moves."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mock_nsp.registers import fgvh
from mock_nsp.registers.citizens import Citizen, CitizenError, Json, birth_date, document_id, normalise
from mock_nsp.shared import Shared, bump, set_kv

T = TypeVar("T")
#: the generation of the citizens table; also the version a written citizen gets (so versions never repeat)
CITIZENS = "citizens"
REGISTERS = "registers"


class CitizenStore:
    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.citizens: dict[str, Citizen] = {}
        self.doc_index: dict[str, tuple[str, str]] = {}
        self.unavailable: frozenset[str] = frozenset()
        shared.init(REGISTERS, [])
        shared.watch(REGISTERS, self._load_registers)
        shared.watch(CITIZENS, self._load_citizens)
        with shared.write() as conn:
            bump(conn, CITIZENS)  # a section exists to watch

    # --- reading (from this worker's cache, fresh after `Shared.sync`) ------------------------------
    def get(self, cpr: str) -> Citizen | None:
        return self.citizens.get(cpr)

    def available(self, register: str) -> bool:
        return register not in self.unavailable

    def by_document_id(self, doc_id: str) -> tuple[Citizen, str] | None:
        """(citizen, variant) for a document unique id."""
        hit = self.doc_index.get(doc_id)
        citizen = self.citizens.get(hit[0]) if hit else None
        return (citizen, hit[1]) if citizen is not None and hit is not None else None

    # --- writing ------------------------------------------------------------------------------------
    def put(self, cpr: str, raw: Json, now: datetime, check: Callable[[Citizen], None] | None = None) -> Citizen:
        """Store a citizen (keeping a document override); `check` may refuse it (by raising) before anything is
        stored."""
        data = normalise(cpr, raw, now)
        if check is not None:
            check(Citizen(cpr, data))
        with self.shared.write() as conn:
            conn.execute("INSERT INTO citizens(cpr, data, version) VALUES (?, ?, ?) ON CONFLICT(cpr) DO UPDATE SET "
                         "data = excluded.data, version = excluded.version", (cpr, json.dumps(data), bump(conn, CITIZENS)))
        return self._written(cpr)

    def delete(self, cpr: str) -> bool:
        with self.shared.write() as conn:
            gone = conn.execute("DELETE FROM citizens WHERE cpr = ?", (cpr,)).rowcount > 0
            bump(conn, CITIZENS)
        return gone

    def set_document(self, cpr: str, document: bytes | None) -> Citizen:
        """Serve `document` verbatim instead of building the PDC (None: build it again)."""
        with self.shared.write() as conn:
            self._row(conn, cpr)
            conn.execute("UPDATE citizens SET document = ?, version = ? WHERE cpr = ?",
                         (document, bump(conn, CITIZENS), cpr))
        return self._written(cpr)

    def modify(self, cpr: str, change: Callable[[Json], T]) -> T:
        """Change a citizen's data in one transaction, from the latest stored data (a concurrent write on another
        worker is never lost); an exception from `change` leaves the citizen as it was."""
        with self.shared.write() as conn:
            data = self._row(conn, cpr)
            result = change(data)
            conn.execute("UPDATE citizens SET data = ?, version = ? WHERE cpr = ?",
                         (json.dumps(data), bump(conn, CITIZENS), cpr))
        return result

    def fgvh_action(self, cpr: str, action: str, at: datetime) -> Citizen:
        def apply(data: Json) -> None:
            f = data["fgvh"]
            if action == "register":
                born = birth_date(cpr, data)
                if born is not None and not fgvh.may_register(born, at):
                    raise CitizenError("/at", "a citizen under 60 cannot register an FGVH opt-out")
                f["registered_at"], f["withdrawn_at"] = at.isoformat(), None
            else:
                f["withdrawn_at"] = at.isoformat()

        self.modify(cpr, apply)
        return self._written(cpr)

    def set_available(self, register: str, available: bool) -> None:
        def apply(current: Any) -> list[str]:
            names = set(current or [])
            if available:
                names.discard(register)
            else:
                names.add(register)
            return sorted(names)

        self.shared.update(REGISTERS, apply)

    def clear(self, conn: sqlite3.Connection) -> None:
        """Part of a reset transaction: no citizens, every register available."""
        conn.execute("DELETE FROM citizens")
        bump(conn, CITIZENS)
        set_kv(conn, REGISTERS, [])

    # --- cache --------------------------------------------------------------------------------------
    def _row(self, conn: sqlite3.Connection, cpr: str) -> Json:
        row = conn.execute("SELECT data FROM citizens WHERE cpr = ?", (cpr,)).fetchone()
        if row is None:
            raise KeyError(cpr)
        data: Json = json.loads(row[0])
        return data

    def _written(self, cpr: str) -> Citizen:
        citizen = self.citizens.get(cpr)
        if citizen is None:  # deleted by another worker in between
            raise KeyError(cpr)
        return citizen

    def _load_registers(self, value: Any) -> None:
        self.unavailable = frozenset(value or [])

    def _load_citizens(self, value: Any) -> None:
        """Reload the citizens whose version moved; drop the deleted ones (a new dict: readers never see a
        half-loaded one)."""
        with self.shared.read() as conn:
            versions = dict(conn.execute("SELECT cpr, version FROM citizens").fetchall())
            citizens = {cpr: c for cpr, c in self.citizens.items() if versions.get(cpr) == c.version}
            for cpr, version in versions.items():
                if cpr not in citizens:
                    data, document = conn.execute("SELECT data, document FROM citizens WHERE cpr = ?",
                                                  (cpr,)).fetchone()
                    citizens[cpr] = Citizen(cpr, json.loads(data), version, document)
        self.doc_index = {document_id(cpr, variant): (cpr, variant) for cpr in citizens for variant in ("v3", "v2")}
        self.citizens = citizens
