"""One tenant's MinLog2 records: the accepted entries (parsed, the newest `cap` kept; older ones counted as
dropped), the requests of the last hour (by the tenant's clock) and the limit violations they caused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import nsp_vocabulary as v
from mock_nsp.world.store import Store

#: the section counting the entries dropped by the cap
DROPPED = "minlog_dropped"
VIOLATIONS = "minlog_violations"
#: the violations listed (the newest)
KEEP_VIOLATIONS = 1000


@dataclass(frozen=True)
class Counted:
    """A request counted against the limits: when (the mock's clock) and the violations it caused."""

    at: datetime
    problems: list[str]


class MinlogRecords:
    def __init__(self, store: Store, tenant: str, cap: int = 200_000) -> None:
        self.store, self.tenant, self.cap = store, tenant, cap

    def add(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            return
        dropped = self.store.minlog_add(self.tenant, entries, self.cap)
        if dropped:
            self.store.update_section(self.tenant, DROPPED, lambda before: int(before or 0) + dropped)

    def count_request(self, now: datetime, entries: int) -> list[str]:
        """Record a request; return the limit violations it causes."""
        in_hour = self.store.minlog_request(self.tenant, now.timestamp(), (now - timedelta(hours=1)).timestamp())
        problems = _limit_problems(entries, in_hour)
        for problem in problems:
            self.store.append(self.tenant, VIOLATIONS, {"at": now.isoformat(), "problem": problem}, KEEP_VIOLATIONS)
        return problems

    def restore_requests(self, requests: list[Counted], now: datetime) -> None:
        """After a restart: the counted requests of the hour before ``now`` count again, and the violations are
        listed again (as :meth:`count_request` recorded them)."""
        hour_ago = (now - timedelta(hours=1)).timestamp()
        for r in requests:
            if r.at.timestamp() > hour_ago:
                self.store.minlog_request(self.tenant, r.at.timestamp(), hour_ago)
            for problem in r.problems:
                self.store.append(self.tenant, VIOLATIONS, {"at": r.at.isoformat(), "problem": problem},
                                  KEEP_VIOLATIONS)

    def entries(self) -> list[dict[str, Any]]:
        return self.store.minlog_entries(self.tenant)

    def stats(self, dropped: int) -> dict[str, Any]:
        return {"entries": len(self.store.minlog_entries(self.tenant)), "dropped": dropped,
                "requests_last_hour": self.store.minlog_requests(self.tenant),
                "violations": self.store.items(self.tenant, VIOLATIONS)}


def _limit_problems(entries: int, in_hour: int) -> list[str]:
    problems = []
    if entries > v.MINLOG_MAX_ENTRIES_PER_REQUEST:
        problems.append(f"{entries} entries in one request (max {v.MINLOG_MAX_ENTRIES_PER_REQUEST})")
    if in_hour > v.MINLOG_MAX_REQUESTS_PER_HOUR:
        problems.append(f"{in_hour} requests in the last hour (max {v.MINLOG_MAX_REQUESTS_PER_HOUR})")
    return problems
