"""Arrange MinLog2 on the mock NSP, build a MinLog backlog in the SUT, and read back what MinLog received."""

from __future__ import annotations

from typing import Any

from nsp_vocabulary.faults import FaultKind
from nspcert.act.actors import LoggedInEmployee
from nspcert.arrange.people import Citizen
from nspcert.arrange.registers import register_citizen
from nspcert.checks import NonConformance
from nspcert.driver.contract import Employee, FlushResult, SutDriver, minlog_background_of
from nspcert.nsp.admin import MockNspAdmin

#: the requirement a SUT breaks when it cannot read an FSK the platform serves (a backlog cannot then be built)
FSK_LOADS = "FSK-CERT-DSP-01"


def minlog_down(nsp: MockNspAdmin) -> str:
    """MinLog2 answers every call with HTTP 503 until :func:`minlog_back`."""
    return nsp.add_fault({"service": "minlog", "kind": FaultKind.HTTP_STATUS.value, "params": {"status": 503}})


def minlog_back(nsp: MockNspAdmin, fault_id: str) -> None:
    nsp.remove_fault(fault_id)


def refuse_next_entry(nsp: MockNspAdmin) -> None:
    """The next entry MinLog2 receives is refused in FailedLogDataEntries (the rest of the batch is added)."""
    nsp.add_fault({"service": "minlog", "kind": FaultKind.ENTRY_FAILURE.value, "params": {"first_entries": 1}, "times": 1})


def refuse_every_first_entry(nsp: MockNspAdmin) -> None:
    """MinLog2 refuses the first entry of every request it receives, for the rest of the scenario."""
    nsp.add_fault({"service": "minlog", "kind": FaultKind.ENTRY_FAILURE.value, "params": {"first_entries": 1}})


def look_at(nsp: MockNspAdmin, driver: SutDriver, employee: LoggedInEmployee, citizens: list[Citizen]) -> list[str]:
    """The employee opens each citizen's record once, one after another; the CPRs looked at.

    Sequential on purpose: one driver, one connection, the same order every run. Each open must have read
    FSK, or the SUT has not used the citizen's data and the backlog the scenario names does not exist. The
    platform serves every citizen here without a fault, so an unread FSK is the SUT's non-conformance (a
    *fail* naming the FSK read requirement), not a broken harness.
    """
    for citizen in citizens:
        register_citizen(nsp, citizen)
    for citizen in citizens:
        screen = driver.open_record(citizen.cpr, employee.user_id)
        if not (screen.get("fsk") or {}).get("read"):
            raise NonConformance(
                "FSK read when the record is opened (needed to build the MinLog backlog)", expected="FSK read",
                received=f"FSK not read; messages {screen.get('messages')}", requirement=FSK_LOADS,
                where=f"screen model of citizen {citizen.cpr} after POST /sut/citizens/{citizen.cpr}/open")
    return [citizen.cpr for citizen in citizens]


def sends_on_its_own(driver: SutDriver) -> FlushResult:
    """One round of the system's own background MinLog2 sending, as its timer would run it now (capability
    ``minlog.background``): within its budget of 20 requests an hour, unlike ``flush_minlog``'s "send now"."""
    return minlog_background_of(driver)


def look_at_sending_on_its_own(nsp: MockNspAdmin, driver: SutDriver, employee: LoggedInEmployee,
                               citizens: list[Citizen]) -> list[FlushResult]:
    """The employee opens each citizen's record, one after another, and after each look the system's own background
    sending runs a round (:func:`sends_on_its_own`); the rounds' answers, in order."""
    rounds = []
    for citizen in citizens:
        look_at(nsp, driver, employee, [citizen])
        rounds.append(sends_on_its_own(driver))
    return rounds


def user_ids(employee: Employee) -> set[tuple[str, str]]:
    """The (source, value) pairs a MinLog2 ``UserPersonIdentifier`` may name the employee by: the CPR number, or the
    authorisation id (2025-03-12 schema, ``UserPersonIdSourceType``: "typically a CPR number but Autorisation is
    also allowed")."""
    return {("CPR", employee.cpr)} | ({("Autorisation", employee.authorisation_id)} if employee.authorisation_id
                                     else set())


def names_user(entry: dict[str, Any], employee: Employee) -> bool:
    return (entry.get("user_source"), entry.get("user_person_identifier")) in user_ids(employee)


def entries_for(nsp: MockNspAdmin, cpr: str, employee: Employee | None = None, day: str | None = None
                ) -> list[dict[str, Any]]:
    """MinLog2's entries about the citizen (on the Danish ``day``), of the ``employee`` by any of their ids."""
    entries = nsp.minlog_entries(**({"cpr": cpr} | ({"date": day} if day else {})))
    return [entry for entry in entries if employee is None or names_user(entry, employee)]
