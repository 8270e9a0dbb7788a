"""The mock's controllable clock (Europe/Copenhagen calendar)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from nspcert import vocabulary as v

DK = ZoneInfo(v.DANISH_TZ)


class Clock:
    """Real time plus an offset, or a frozen instant. Always timezone-aware (UTC inside)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

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
        with self._lock:
            now = now.astimezone(UTC)
            self._frozen = now if frozen else None
            self._offset = now - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
            self._offset += delta

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta(0)
            self._frozen = None

    def to_json(self) -> dict[str, object]:
        return {
            "now": self.now().isoformat(),
            "local": self.local_now().isoformat(),
            "frozen": self._frozen is not None,
            "offset_seconds": self._offset.total_seconds(),
        }


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
