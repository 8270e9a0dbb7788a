"""MinLog2's request budget: at most 20 ``AddRegistrations`` requests an hour (domain-nsp §4.2, §9.26).

The EOJ's own background sending keeps it (its timer, and ``POST /sut/minlog/background``, one round of it); an
explicit flush (``POST /sut/minlog/flush``, the harness asking "send now") is not held back, but its requests count
against the hour all the same. The requests sent are kept in the EOJ's database (its state dir), so a restart
within the hour gives no fresh allowance; ``POST /sut/reset`` forgets them with the queue.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

_SCHEMA = "CREATE TABLE IF NOT EXISTS minlog_requests (at REAL NOT NULL)"


class RequestBudget:
    """How many requests may still be sent in the sliding hour, by the EOJ's own clock (``now``: the service passes
    its settable clock, driver capability ``clock``, as seconds since the epoch), as everything else it judges by
    time (the MinLog day, card expiry): an hour later by that clock frees the requests sent an hour before. A
    request sent at a time the clock has since been set back before still counts (setting the clock back frees
    nothing). Not a monotonic clock, which means nothing to the next process. ``per_window`` is the EOJ's setting
    (``Settings.minlog_requests_per_hour``, MinLog2's 20), kept in that one place. ``db`` keeps the send times
    durably; without it they are kept for this process only."""

    def __init__(self, per_window: int, window_seconds: float = 3600.0,
                 now: Callable[[], float] = time.time, db: sqlite3.Connection | None = None) -> None:
        if per_window < 0 or window_seconds <= 0:
            raise ValueError(f"a request budget needs per_window >= 0 and window_seconds > 0, "
                             f"not {per_window} and {window_seconds}")
        self._limit, self._window, self._now = per_window, window_seconds, now
        self._db = db if db is not None else sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(_SCHEMA)

    def remaining(self) -> int:
        with self._lock, self._db:
            self._db.execute("DELETE FROM minlog_requests WHERE at <= ?", (self._now() - self._window,))
            sent = int(self._db.execute("SELECT COUNT(*) FROM minlog_requests").fetchone()[0])
        return max(0, self._limit - sent)

    def spend(self) -> None:
        """Count one request (committed before it is sent, so a crash mid-request does not forget it)."""
        with self._lock, self._db:
            self._db.execute("INSERT INTO minlog_requests (at) VALUES (?)", (self._now(),))

    def forget(self) -> None:
        """Forget every request sent (the driver's reset: a fresh system, its queue forgotten too)."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM minlog_requests")
