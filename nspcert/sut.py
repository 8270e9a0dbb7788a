"""What an employee does in the SUT, in one call each (through any driver)."""

from __future__ import annotations

from nspcert.actors import LoggedInEmployee
from nspcert.driver.contract import Employee, SutDriver
from nspcert.screen import CITIZEN, Screen


def open_record(driver: SutDriver, employee: LoggedInEmployee, cpr: str, times: int = 1) -> Screen:
    """The employee opens the citizen's record ``times`` times; the screen after the last."""
    for _ in range(times):
        driver.open_record(cpr, employee.user_id)
    return Screen(cpr, driver.view(cpr, employee.user_id))


def citizen_view(driver: SutDriver, cpr: str) -> Screen:
    """What the citizen is shown of who used their data (identity masking): evidence like a screen."""
    return Screen(cpr, driver.citizen_view(cpr), viewer=CITIZEN)


def log_in(driver: SutDriver, staff: dict[str, LoggedInEmployee], role: str, employee: Employee) -> LoggedInEmployee:
    """The employee logs in to the SUT and joins the scenario's staff under ``role``."""
    staff[role] = LoggedInEmployee(employee, driver.log_in(employee))
    return staff[role]
