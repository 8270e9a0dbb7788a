"""The mock's controllable clock (Europe/Copenhagen calendar)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import nsp_vocabulary as v

if TYPE_CHECKING:
    from mock_nsp.world.store import Store

DK = ZoneInfo(v.DANISH_TZ)
#: the clock's section of a tenant's world
CLOCK = "clock"


class Clock:
    """Real time plus an offset, or a frozen instant. Always timezone-aware (UTC inside). In a tenant's world the
    clock is a section of its store: a change is written there (atomically, from the latest value) and every
    replica loads it (`load`) before its next request; without a store it is this object's own."""

    def __init__(self, store: Store | None = None, tenant: str = "") -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        self._store, self._tenant = store, tenant
        #: called after a change was stored (the world reloads it)
        self.on_write: Callable[[], None] = lambda: None

    def load(self, value: Any) -> None:
        value = value or state_json(timedelta(0), None)
        self._offset = timedelta(microseconds=int(value["offset_us"]))
        self._frozen = datetime.fromisoformat(value["frozen"]) if value["frozen"] else None

    def _change(self, change: Callable[[timedelta, datetime | None], tuple[timedelta, datetime | None]]) -> None:
        """Apply a change to the latest offset and frozen instant (atomically across replicas when stored)."""
        if self._store is None:
            with self._lock:
                self._offset, self._frozen = change(self._offset, self._frozen)
            return

        def apply(value: Any) -> dict[str, Any]:
            value = value or state_json(timedelta(0), None)
            offset = timedelta(microseconds=int(value["offset_us"]))
            return state_json(*change(offset, datetime.fromisoformat(value["frozen"]) if value["frozen"] else None))

        self._store.update_section(self._tenant, CLOCK, apply)
        self.on_write()

    @property
    def simulated(self) -> bool:
        """True while a scenario has set the platform's time (frozen or shifted): not the time a client's clock shows."""
        return self._frozen is not None or self._offset != timedelta(0)

    def now(self) -> datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return datetime.now(UTC) + self._offset

    def local_now(self) -> datetime:
        return self.now().astimezone(DK)

    def today(self) -> date:
        return self.local_now().date()

    def set(self, now: datetime, frozen: bool = False) -> None:
        now = now.astimezone(UTC)
        self._change(lambda offset, was: (now - datetime.now(UTC), now if frozen else None))

    def advance(self, delta: timedelta) -> None:
        self._change(lambda offset, frozen: (offset + delta, frozen + delta if frozen is not None else None))

    def reset(self) -> None:
        self._change(lambda offset, frozen: (timedelta(0), None))

    def to_json(self) -> dict[str, object]:
        return {
            "now": self.now().isoformat(),
            "local": self.local_now().isoformat(),
            "frozen": self._frozen is not None,
            "offset_seconds": self._offset.total_seconds(),
        }


def state_json(offset: timedelta, frozen: datetime | None) -> dict[str, Any]:
    return {"offset_us": offset // timedelta(microseconds=1), "frozen": frozen.isoformat() if frozen else None}


@lru_cache(maxsize=4096)  # pure, and every ITI-43 reads the same FGVH instants again
def parse_instant(value: str) -> datetime:
    """ISO-8601; a naive value is read as Danish local time."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=DK)
    return dt


def hl7_ts(dt: datetime) -> str:
    """HL7 TS in Danish local time, e.g. 20250203091500+0100."""
    return dt.astimezone(DK).strftime("%Y%m%d%H%M%S%z")


def xs_datetime(dt: datetime) -> str:
    """xs:dateTime in UTC with Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
