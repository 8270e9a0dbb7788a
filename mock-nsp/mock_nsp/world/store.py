"""The `Store` protocol: what the world needs from storage, row by row and tenant by tenant.

The world keeps its domain objects in memory and asks the store for what changed (`generation`, `load`); every
write goes through the store, which makes it durable (PostgreSQL) or simply holds it (memory), and moves the
tenant's generation so every replica's world reloads before it serves the next request. Read-modify-writes
(`modify_citizen`, `update_section`, `fire_faults`, `minlog_request`) are atomic across replicas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
Json = dict[str, Any]
#: a fault rule's firing: (id, hits, rng state or None) → (fired, hits, rng state)
Firing = Callable[[str, int, bytes | None], tuple[bool, int, bytes | None]]


class StoreUnavailable(RuntimeError):
    """The storage cannot be reached (PostgreSQL down): the mock answers 503 / a SOAP fault, never a trace."""


@dataclass(frozen=True)
class TenantRecord:
    """A tenant as stored: its name, the SHA-256 of its admin token (None: the default tenant, guarded by the
    process's own token), and its test CA (PEM, root and STS certificate with keys)."""

    name: str
    token_sha256: str | None
    ca_pem: dict[str, str]


@dataclass(frozen=True)
class CitizenRow:
    data: Json
    version: int
    document: bytes | None = None


@dataclass
class Loaded:
    """What changed in a tenant since the versions the caller holds."""

    generation: int
    sections: dict[str, Any]
    #: citizens whose version differs from the caller's (all when it holds none)
    citizens: dict[str, CitizenRow]
    #: every citizen's version (the caller drops those not listed)
    versions: dict[str, int]
    #: fault rules, oldest first (definitions only; hits are read when a rule fires)
    rules: list[Json] = field(default_factory=list)


class Store(Protocol):
    """Storage of every tenant's world (see the module's docstring)."""

    #: whether the store forgets on a restart what the journal can bring back (the MinLog2 records)
    restores_from_journal: bool

    def open(self) -> None: ...

    async def sync(self) -> None:
        """Make every write committed before this call (by any replica) visible to `generation`."""
        ...

    def close(self) -> None: ...

    def problems(self) -> list[str]:
        """Why the store cannot serve now (empty when it can)."""
        ...

    # --- tenants -------------------------------------------------------------------------------------
    def create_tenant(self, record: TenantRecord, sections: dict[str, Any]) -> bool:
        """Create a tenant with its first sections; False when the name is taken."""
        ...

    def tenant(self, name: str) -> TenantRecord | None: ...

    # --- change tracking -----------------------------------------------------------------------------
    def generation(self, tenant: str) -> int: ...

    def load(self, tenant: str, versions: dict[str, int]) -> Loaded: ...

    # --- writes (each moves the tenant's generation) -------------------------------------------------
    def put_section(self, tenant: str, key: str, value: Any) -> None: ...

    def update_section(self, tenant: str, key: str, change: Callable[[Any], Any]) -> Any: ...

    def put_citizen(self, tenant: str, cpr: str, data: Json) -> None: ...

    def delete_citizen(self, tenant: str, cpr: str) -> bool: ...

    def set_document(self, tenant: str, cpr: str, document: bytes | None) -> bool: ...

    def modify_citizen(self, tenant: str, cpr: str, change: Callable[[Json], T]) -> T:
        """Change a citizen's data from the latest stored data, atomically (KeyError: no such citizen)."""
        ...

    def add_fault(self, tenant: str, rule: Json, rng: bytes | None) -> None: ...

    def remove_fault(self, tenant: str, rule_id: str) -> bool: ...

    def reset(self, tenant: str, sections: dict[str, Any]) -> None:
        """No citizens, rules, MinLog2 records or near-misses; the sections as given."""
        ...

    # --- counters and records (not cached by the world) ----------------------------------------------
    def fire_faults(self, tenant: str, ids: list[str], fire: Firing) -> list[str]:
        """Fire the rules (in order) from their stored hits and generator states, atomically; the ids fired."""
        ...

    def fault_hits(self, tenant: str) -> dict[str, int]: ...

    def minlog_add(self, tenant: str, entries: list[Json], cap: int) -> int:
        """Keep accepted entries (the newest `cap`); returns how many older ones were dropped now."""
        ...

    def minlog_request(self, tenant: str, at: float, hour_ago: float) -> int:
        """Count a request at `at` (POSIX seconds), forget those at or before `hour_ago`; the count in the hour."""
        ...

    def minlog_entries(self, tenant: str) -> list[Json]: ...

    def minlog_requests(self, tenant: str) -> int: ...

    def append(self, tenant: str, kind: str, item: Json, cap: int) -> None:
        """Add to a bounded list (`violations`, `unmatched`), the newest `cap` kept."""
        ...

    def items(self, tenant: str, kind: str) -> list[Json]: ...

#: the tenant the root routes serve (`/…`); every other tenant's routes are under `/t/{name}/…`
DEFAULT_TENANT = "default"
