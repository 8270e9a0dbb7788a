"""MinLog2's request budget: at most 20 ``AddRegistrations`` requests an hour (domain-nsp §4.2, §9.26).

The EOJ's own background sending keeps it; an explicit flush (``POST /sut/minlog/flush``, the harness
asking "send now") is not held back, but its requests count against the hour all the same.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class RequestBudget:
    """How many requests may still be sent in the sliding hour (by a monotonic clock: the EOJ's settable
    clock jumps in tests, and a jump must neither free nor block real requests)."""

    def __init__(self, per_window: int = 20, window_seconds: float = 3600.0,
                 now: Callable[[], float] = time.monotonic) -> None:
        self._limit, self._window, self._now = per_window, window_seconds, now
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def remaining(self) -> int:
        with self._lock:
            self._forget_old()
            return max(0, self._limit - len(self._sent))

    def spend(self) -> None:
        with self._lock:
            self._sent.append(self._now())

    def _forget_old(self) -> None:
        horizon = self._now() - self._window
        while self._sent and self._sent[0] <= horizon:
            self._sent.popleft()
