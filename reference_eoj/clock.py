"""The EOJ's settable clock (driver capability ``clock``) and the Danish calendar."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import nsp_vocabulary as v

COPENHAGEN = ZoneInfo(v.DANISH_TZ)


class Clock:
    """Real time plus an offset; setting the time keeps the clock running from there."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._lock = threading.Lock()

    @property
    def offset(self) -> timedelta:
        return self._offset

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        return datetime.now(UTC) + self._offset

    def local_now(self) -> datetime:
        return self.now().astimezone(COPENHAGEN)

    def set(self, now: datetime | None) -> None:
        """Make ``now`` the current time (naive means Danish local time); ``None`` restores real time."""
        with self._lock:
            self._offset = timedelta(0) if now is None else to_aware(now) - datetime.now(UTC)


def to_aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=COPENHAGEN)


def danish_day(moment: datetime) -> date:
    """The Danish calendar day of an instant."""
    return to_aware(moment).astimezone(COPENHAGEN).date()


def utc_day(moment: datetime) -> date:
    return to_aware(moment).astimezone(UTC).date()


def standard_time_day(moment: datetime) -> date:
    """The day by Danish standard time (UTC+1) all year: wrong on summer-time days (the minlog-standard-time-day
    defect)."""
    return (to_aware(moment).astimezone(UTC) + timedelta(hours=1)).date()
