"""One tenant's world: settings, clock, CA/STS/gate, registers, faults, salt, MinLog2 records, near-misses and
its view of the journal. Domain objects in memory, reloaded from the store when its generation moved."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from mock_nsp.registers.clock import CLOCK, Clock, state_json
from mock_nsp.security.ca import TestCA
from mock_nsp.security.dgws import DgwsGate
from mock_nsp.security.sts import Sts
from mock_nsp.settings import RuntimeConfig, Settings
from mock_nsp.world.citizens import REGISTERS, CitizenRegister
from mock_nsp.world.faults import FaultBook
from mock_nsp.world.journal import Filters, Journal, UnknownMark
from mock_nsp.world.minlog import DROPPED, Counted, MinlogRecords
from mock_nsp.world.store import Loaded, Store
from nsp_vocabulary import SERVICE_MINLOG

#: the journal mark a reset leaves (the embedded mode rebuilds the MinLog2 records from after the last one)
RESET_MARK = "mock-nsp:reset"
CONFIG = "config"
SALT = "salt"
UNMATCHED = "unmatched"
#: near-misses listed (the newest)
KEEP_UNMATCHED = 1000


def new_salt() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def first_sections(settings: Settings, salt: str | None = None) -> dict[str, Any]:
    """A new (or reset) world's sections: the start-up settings, the real clock, every register up."""
    return {CONFIG: settings.runtime.to_json(), CLOCK: state_json(timedelta(0), None), REGISTERS: [],
            SALT: salt or new_salt(), DROPPED: 0}


class TenantJournal:
    """The journal as one tenant sees it: what it records is its own, what it reads is only its own."""

    def __init__(self, journal: Journal, tenant: str) -> None:
        self.journal, self.tenant = journal, tenant

    def record(self, entry: dict[str, Any], done: Any = None) -> None:
        self.journal.record(entry, done, self.tenant)

    def mark(self, name: str, at: str) -> None:
        self.journal.mark(name, at, self.tenant)

    def entries(self, f: Filters) -> dict[str, Any]:
        f.tenant = self.tenant
        return self.journal.entries(f)

    def marks(self) -> list[dict[str, Any]]:
        return self.journal.marks(self.tenant)

    @property
    def alive(self) -> bool:
        return self.journal.alive

    def problems(self) -> list[str]:
        return self.journal.problems()


class NearMisses:
    """Requests that reached no service, or the wrong one (bounded, newest kept)."""

    def __init__(self, store: Store, tenant: str) -> None:
        self.store, self.tenant = store, tenant

    def append(self, item: dict[str, Any]) -> None:
        self.store.append(self.tenant, UNMATCHED, item, KEEP_UNMATCHED)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.store.items(self.tenant, UNMATCHED))


class World:
    """What one tenant's platform holds (the name `World` of the single-tenant mock)."""

    def __init__(self, name: str, settings: Settings, store: Store, journal: Journal, ca: TestCA) -> None:
        self.name, self.settings, self.store = name, settings, store
        self.config: RuntimeConfig = settings.runtime.copy()
        self.clock = Clock(store, name)
        self.ca = ca
        self.sts, self.gate = Sts(ca, self.clock), DgwsGate(ca, self.clock)
        self.citizens = CitizenRegister(store, name)
        self.faults = FaultBook(store, name)
        self.minlog = MinlogRecords(store, name)
        self.unmatched = NearMisses(store, name)
        self.journal = TenantJournal(journal, name)
        self.salt = ""
        self.minlog_dropped = 0
        self.generation = -1
        self.ready = True
        #: the SHA-256 of the tenant's admin token (None: the default tenant, guarded by the process's own)
        self.token_sha256: str | None = None
        self.clock.on_write = self.citizens.on_write = self.refresh

    # --- freshness -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload what another request (on any replica) changed; a dictionary look-up when nothing did."""
        if self.store.generation(self.name) != self.generation:
            self.load(self.store.load(self.name, self.citizens.versions()))

    def load(self, loaded: Loaded) -> None:
        sections = loaded.sections
        config = RuntimeConfig()
        config.update(sections.get(CONFIG) or {})
        self.config.__dict__.update(config.__dict__)  # in place: the services hold this object
        self.clock.load(sections.get(CLOCK))
        self.citizens.load(loaded)
        self.faults.load(loaded.rules)
        self.salt = str(sections.get(SALT) or "")
        self.minlog_dropped = int(sections.get(DROPPED) or 0)
        self.generation = loaded.generation

    # --- platform-wide changes -----------------------------------------------------------------------
    def rotate_salt(self, salt: str | None) -> str:
        self.store.put_section(self.name, SALT, salt or new_salt())
        self.refresh()
        return self.salt

    def update_config(self, data: dict[str, object]) -> None:
        """Apply a schema-validated partial settings update (from the latest stored settings)."""
        def apply(current: Any) -> dict[str, object]:
            config = RuntimeConfig()
            config.update(current or {})
            config.update(data)
            return config.to_json()

        self.store.update_section(self.name, CONFIG, apply)
        self.refresh()

    def reset(self) -> None:
        """Clear registers, faults, clock offset, settings, MinLog2 records and near-misses (the salt stays); the
        journal keeps its history, with a mark where the reset happened."""
        self.journal.mark(RESET_MARK, self.clock.now().isoformat())
        self.store.reset(self.name, first_sections(self.settings, self.salt))
        self.refresh()

    def add_fault(self, data: dict[str, Any]) -> dict[str, Any]:
        rule = self.faults.add(data)
        self.refresh()
        return rule.to_json()

    def remove_fault(self, rule_id: str) -> bool:
        gone = self.faults.remove(rule_id)
        self.refresh()
        return gone

    def clear_faults(self) -> None:
        for rule in list(self.faults.rules):
            self.faults.remove(rule.id)
        self.refresh()

    def minlog_stats(self) -> dict[str, Any]:
        return self.minlog.stats(self.minlog_dropped)

    def problems(self) -> list[str]:
        """Why this world cannot serve now (empty when it can)."""
        return ([] if self.ready else ["starting"]) + self.store.problems() + self.journal.problems()

    def restore_minlog(self) -> None:
        """Bring back from the journal what MinLog2 held since the last reset (the embedded mode keeps its world
        in memory): the accepted entries, and the requests counted against the hourly limit (those of the last
        hour, and the violations)."""
        entries: list[dict[str, Any]] = []
        requests: list[Counted] = []
        for exchange in self._minlog_since_reset():
            summary = exchange.get("summary") or {}
            entries += [entry for entry in summary.get("minlog_entries") or [] if entry.pop("accepted", False)]
            if "minlog_limits" in summary:  # the request was counted (services.minlog.Minlog.handle)
                requests.append(Counted(datetime.fromisoformat(exchange["at"]), list(summary["minlog_limits"] or [])))
        self.minlog.add(entries)
        self.minlog.restore_requests(requests, self.clock.now())
        self.refresh()

    def _minlog_since_reset(self) -> Iterator[dict[str, Any]]:
        """Every MinLog2 exchange after the last reset mark, oldest first."""
        after: int | None = None
        while True:
            try:
                page = self.journal.entries(Filters(service=SERVICE_MINLOG, mark=RESET_MARK, after_id=after,
                                                    limit=1000))
            except UnknownMark:  # never reset: all of the journal counts
                page = self.journal.entries(Filters(service=SERVICE_MINLOG, after_id=after, limit=1000))
            yield from page["entries"]
            if len(page["entries"]) < 1000:
                return
            after = page["entries"][-1]["id"]
