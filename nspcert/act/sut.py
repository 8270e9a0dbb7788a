"""What an employee does in the SUT, in one call each (through any driver)."""

from __future__ import annotations

from dataclasses import dataclass

from nspcert.act.actors import LoggedInEmployee
from nspcert.act.screen import CITIZEN, OVERVIEW, Screen
from nspcert.driver.contract import Employee, SutDriver, overview_of
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import FSK_SERVICES, Exchange


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


def citizen_list(driver: SutDriver, employee: LoggedInEmployee, cprs: list[str]) -> Screen:
    """The employee opens their citizen list holding ``cprs`` (capability ``overview``): evidence like a screen."""
    return Screen(", ".join(cprs), overview_of(driver, cprs, employee.user_id), viewer=OVERVIEW)


@dataclass(frozen=True)
class Turn:
    """One employee's open of a record, and the calls the SUT made to the platform during it."""

    role: str
    employee: Employee
    calls: list[Exchange]

    def calls_to_fsk(self) -> list[Exchange]:
        return [call for call in self.calls if call.service in FSK_SERVICES]


def take_turns(driver: SutDriver, nsp: MockNspAdmin, staff: dict[str, LoggedInEmployee], roles: list[str], cpr: str,
               scenario: str) -> list[Turn]:
    """The employees named by ``roles`` open the citizen's record one after another; each open's calls are told
    apart by a journal mark set just before it."""
    marks = [f"{scenario}#turn-{number}" for number in range(len(roles))]
    for mark, role in zip(marks, roles, strict=True):
        nsp.mark(mark)
        driver.open_record(cpr, staff[role].user_id)
    after = [[Exchange(entry) for entry in nsp.journal(mark=mark)] for mark in marks]
    turns = []
    for number, role in enumerate(roles):
        later = {call.id for call in after[number + 1]} if number + 1 < len(roles) else set()
        turns.append(Turn(role, staff[role].employee, [call for call in after[number] if call.id not in later]))
    return turns
