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
    from mock_nsp.shared import Shared

DK = ZoneInfo(v.DANISH_TZ)
#: the clock's section of the shared state
CLOCK = "clock"


class Clock:
    """Real time plus an offset, or a frozen instant. Always timezone-aware (UTC inside). With a `Shared` state
    every worker's clock is the same: changes are written there and each worker loads them (section `clock`)."""

    def __init__(self, shared: Shared | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        self._shared = shared
        if shared is not None:
            shared.init(CLOCK, state_json(self._offset, None))
            shared.watch(CLOCK, self._load)

    def _load(self, value: Any) -> None:
        self._offset = timedelta(microseconds=int(value["offset_us"]))
        self._frozen = datetime.fromisoformat(value["frozen"]) if value["frozen"] else None

    def _change(self, change: Callable[[timedelta, datetime | None], tuple[timedelta, datetime | None]]) -> None:
        """Apply a change to the latest offset and frozen instant (atomically across workers when shared)."""
        if self._shared is None:
            with self._lock:
                self._offset, self._frozen = change(self._offset, self._frozen)
            return

        def apply(value: Any) -> dict[str, Any]:
            offset = timedelta(microseconds=int(value["offset_us"]))
            return state_json(*change(offset, datetime.fromisoformat(value["frozen"]) if value["frozen"] else None))

        self._shared.update(CLOCK, apply)

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
