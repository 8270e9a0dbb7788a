"""The embedded mode's store: every tenant's world in this process's memory (a mock starts empty every time;
the journal, in SQLite, is what outlives it)."""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mock_nsp.world.store import CitizenRow, Firing, Json, Loaded, TenantRecord

T = TypeVar("T")


@dataclass
class _Tenant:
    record: TenantRecord
    generation: int = 1
    sections: dict[str, Any] = field(default_factory=dict)
    citizens: dict[str, CitizenRow] = field(default_factory=dict)
    rules: dict[str, Json] = field(default_factory=dict)
    hits: dict[str, tuple[int, bytes | None]] = field(default_factory=dict)
    minlog: list[Json] = field(default_factory=list)
    requests: deque[float] = field(default_factory=deque)
    lists: dict[str, deque[Json]] = field(default_factory=dict)


class MemoryStore:
    """A `Store` in a dict, one lock for every read-modify-write (the control plane runs some in threads)."""

    def __init__(self) -> None:
        self._tenants: dict[str, _Tenant] = {}
        self._lock = threading.RLock()
        self._version = 0

    #: a restart forgets everything; the MinLog2 records come back from the journal
    restores_from_journal = True

    def open(self) -> None:
        """Nothing to open."""

    async def sync(self) -> None:
        """Every write is in this process already."""

    def close(self) -> None:
        """Nothing to close."""

    def problems(self) -> list[str]:
        return []

    # --- tenants -------------------------------------------------------------------------------------
    def create_tenant(self, record: TenantRecord, sections: dict[str, Any]) -> bool:
        with self._lock:
            if record.name in self._tenants:
                return False
            self._tenants[record.name] = _Tenant(record, sections=copy.deepcopy(sections))
            return True

    def tenant(self, name: str) -> TenantRecord | None:
        found = self._tenants.get(name)
        return found.record if found else None

    def _t(self, name: str) -> _Tenant:
        return self._tenants[name]

    def _moved(self, t: _Tenant) -> int:
        t.generation += 1
        self._version += 1
        return self._version

    # --- change tracking -----------------------------------------------------------------------------
    def generation(self, tenant: str) -> int:
        return self._tenants[tenant].generation

    def load(self, tenant: str, versions: dict[str, int]) -> Loaded:
        with self._lock:
            t = self._t(tenant)
            return Loaded(t.generation, copy.deepcopy(t.sections),
                          {cpr: row for cpr, row in t.citizens.items() if versions.get(cpr) != row.version},
                          {cpr: row.version for cpr, row in t.citizens.items()},
                          [copy.deepcopy(rule) for rule in t.rules.values()])

    # --- writes --------------------------------------------------------------------------------------
    def put_section(self, tenant: str, key: str, value: Any) -> None:
        with self._lock:
            t = self._t(tenant)
            t.sections[key] = copy.deepcopy(value)
            self._moved(t)

    def update_section(self, tenant: str, key: str, change: Callable[[Any], Any]) -> Any:
        with self._lock:
            t = self._t(tenant)
            value = change(copy.deepcopy(t.sections.get(key)))
            t.sections[key] = copy.deepcopy(value)
            self._moved(t)
            return value

    def put_citizen(self, tenant: str, cpr: str, data: Json) -> None:
        with self._lock:
            t = self._t(tenant)
            t.citizens[cpr] = CitizenRow(copy.deepcopy(data), self._moved(t))

    def delete_citizen(self, tenant: str, cpr: str) -> bool:
        with self._lock:
            t = self._t(tenant)
            gone = t.citizens.pop(cpr, None) is not None
            self._moved(t)
            return gone

    def set_document(self, tenant: str, cpr: str, document: bytes | None) -> bool:
        with self._lock:
            t = self._t(tenant)
            row = t.citizens.get(cpr)
            if row is None:
                return False
            t.citizens[cpr] = CitizenRow(row.data, self._moved(t), document)
            return True

    def modify_citizen(self, tenant: str, cpr: str, change: Callable[[Json], T]) -> T:
        with self._lock:
            t = self._t(tenant)
            row = t.citizens[cpr]
            data = copy.deepcopy(row.data)
            result = change(data)
            t.citizens[cpr] = CitizenRow(data, self._moved(t), row.document)
            return result

    def add_fault(self, tenant: str, rule: Json, rng: bytes | None) -> None:
        with self._lock:
            t = self._t(tenant)
            t.rules.pop(rule["id"], None)
            t.rules[rule["id"]] = copy.deepcopy(rule)
            t.hits[rule["id"]] = (0, rng)
            self._moved(t)

    def remove_fault(self, tenant: str, rule_id: str) -> bool:
        with self._lock:
            t = self._t(tenant)
            gone = t.rules.pop(rule_id, None) is not None
            t.hits.pop(rule_id, None)
            self._moved(t)
            return gone

    def reset(self, tenant: str, sections: dict[str, Any]) -> None:
        with self._lock:
            t = self._t(tenant)
            t.sections, t.citizens, t.rules, t.hits = copy.deepcopy(sections), {}, {}, {}
            t.minlog, t.requests, t.lists = [], deque(), {}
            self._moved(t)

    # --- counters and records ------------------------------------------------------------------------
    def fire_faults(self, tenant: str, ids: list[str], fire: Firing) -> list[str]:
        fired: list[str] = []
        with self._lock:
            t = self._t(tenant)
            for rule_id in ids:
                if rule_id not in t.hits:
                    continue
                hit, hits, rng = fire(rule_id, *t.hits[rule_id])
                t.hits[rule_id] = (hits, rng)
                if hit:
                    fired.append(rule_id)
        return fired

    def fault_hits(self, tenant: str) -> dict[str, int]:
        return {rule_id: hits for rule_id, (hits, _) in self._t(tenant).hits.items()}

    def minlog_add(self, tenant: str, entries: list[Json], cap: int) -> int:
        with self._lock:
            t = self._t(tenant)
            t.minlog.extend(copy.deepcopy(entries))
            dropped = max(0, len(t.minlog) - cap)
            del t.minlog[:dropped]
            return dropped

    def minlog_request(self, tenant: str, at: float, hour_ago: float) -> int:
        with self._lock:
            t = self._t(tenant)
            t.requests = deque(r for r in t.requests if r > hour_ago)
            t.requests.append(at)
            return len(t.requests)

    def minlog_entries(self, tenant: str) -> list[Json]:
        with self._lock:
            return copy.deepcopy(self._t(tenant).minlog)

    def minlog_requests(self, tenant: str) -> int:
        return len(self._t(tenant).requests)

    def append(self, tenant: str, kind: str, item: Json, cap: int) -> None:
        with self._lock:
            t = self._t(tenant)
            t.lists.setdefault(kind, deque(maxlen=cap)).append(copy.deepcopy(item))

    def items(self, tenant: str, kind: str) -> list[Json]:
        with self._lock:
            return copy.deepcopy(list(self._t(tenant).lists.get(kind, ())))
