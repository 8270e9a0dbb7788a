"""The people in a scenario once they are in play: an employee logged in to the SUT."""

from __future__ import annotations

from dataclasses import dataclass

from nspcert.driver.contract import Employee


@dataclass(frozen=True, slots=True)
class LoggedInEmployee:
    employee: Employee
    user_id: str

    @property
    def cpr(self) -> str:
        return self.employee.cpr
