"""The citizen register and the registers' availability, as one tenant's world holds them: `Citizen`s read from
memory, every write through the store (so every replica sees it before its next request)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from mock_nsp.registers import fgvh
from mock_nsp.registers.citizens import Citizen, CitizenError, Json, birth_date, document_id, normalise
from mock_nsp.world.store import Loaded, Store

T = TypeVar("T")
#: the section naming the registers that are down
REGISTERS = "registers"


class CitizenRegister:
    def __init__(self, store: Store, tenant: str) -> None:
        self.store, self.tenant = store, tenant
        self.citizens: dict[str, Citizen] = {}
        self.doc_index: dict[str, tuple[str, str]] = {}
        self.unavailable: frozenset[str] = frozenset()
        #: called after every write: the world reloads what moved, so the writer reads its own write back
        self.on_write: Callable[[], None] = lambda: None

    # --- reading -------------------------------------------------------------------------------------
    def get(self, cpr: str) -> Citizen | None:
        return self.citizens.get(cpr)

    def available(self, register: str) -> bool:
        return register not in self.unavailable

    def by_document_id(self, doc_id: str) -> tuple[Citizen, str] | None:
        """(citizen, variant) for a document unique id."""
        hit = self.doc_index.get(doc_id)
        citizen = self.citizens.get(hit[0]) if hit else None
        return (citizen, hit[1]) if citizen is not None and hit is not None else None

    # --- writing (the world reloads what moved before the caller reads it back) ----------------------
    def put(self, cpr: str, raw: Json, now: datetime, check: Callable[[Citizen], None] | None = None) -> Citizen:
        """Store a citizen (keeping a document override); `check` may refuse it (by raising) before anything is
        stored."""
        data = normalise(cpr, raw, now)
        if check is not None:
            check(Citizen(cpr, data))
        self.store.put_citizen(self.tenant, cpr, data)
        return self._written(cpr)

    def delete(self, cpr: str) -> bool:
        gone = self.store.delete_citizen(self.tenant, cpr)
        self.on_write()
        return gone

    def set_document(self, cpr: str, document: bytes | None) -> Citizen:
        """Serve `document` verbatim instead of building the PDC (None: build it again)."""
        if not self.store.set_document(self.tenant, cpr, document):
            raise KeyError(cpr)
        return self._written(cpr)

    def modify(self, cpr: str, change: Callable[[Json], T]) -> T:
        """Change a citizen's data from the latest stored data (a concurrent write elsewhere is never lost); an
        exception from `change` leaves the citizen as it was."""
        try:
            return self.store.modify_citizen(self.tenant, cpr, change)
        finally:
            self.on_write()

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

        self.store.update_section(self.tenant, REGISTERS, apply)
        self.on_write()

    def _written(self, cpr: str) -> Citizen:
        self.on_write()
        citizen = self.citizens.get(cpr)
        if citizen is None:  # deleted by another request in between
            raise KeyError(cpr)
        return citizen

    # --- loading -------------------------------------------------------------------------------------
    def versions(self) -> dict[str, int]:
        return {cpr: c.version for cpr, c in self.citizens.items()}

    def load(self, loaded: Loaded) -> None:
        """Take what moved (a new dict: a reader never sees a half-loaded one)."""
        self.unavailable = frozenset(loaded.sections.get(REGISTERS) or [])
        citizens = {cpr: c for cpr, c in self.citizens.items() if loaded.versions.get(cpr) == c.version}
        for cpr, row in loaded.citizens.items():
            citizens[cpr] = Citizen(cpr, row.data, row.version, row.document)
        if citizens.keys() != self.citizens.keys():
            self.doc_index = {document_id(cpr, variant): (cpr, variant) for cpr in citizens for variant in ("v3", "v2")}
        self.citizens = citizens
