"""A minimal vendor adapter for the Python-driver loader tests (``driver_sample_adapter:create``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nspcert.driver.contract import Capabilities, ChangeResult, Employee, FlushResult, StamkortChange, SystemInfo


class SampleAdapter:
    def __init__(self, name: str = "Sample EOJ") -> None:
        self.name = name
        self.users: dict[str, Employee] = {}

    def capabilities(self) -> Capabilities:
        return Capabilities(SystemInfo(self.name, "1.0", "Vendor"), frozenset({"clock"}))

    def reset(self) -> None:
        self.users.clear()

    def log_in(self, employee: Employee) -> str:
        self.users[employee.cpr] = employee
        return employee.cpr

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        return self.view(cpr, user_id)

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        return {"cpr": cpr}

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        return ChangeResult(True, "Gemt")

    def set_clock(self, now: datetime | None) -> None:
        return None

    def flush_minlog(self) -> FlushResult:
        return FlushResult(0, 0, 0)

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        return {"cpr": cpr, "accesses": []}

    def close(self) -> None:
        return None


def create(**kwargs: Any) -> SampleAdapter:
    return SampleAdapter(**kwargs)


def incomplete() -> object:
    return object()
