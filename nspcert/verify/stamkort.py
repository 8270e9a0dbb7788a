"""Checks of the SUT's writes to FSK (SKR) and what the employee was told about them."""

from __future__ import annotations

from typing import Any

from nspcert.checks import require
from nspcert.driver.contract import ChangeResult, Employee
from nspcert.nsp.journal import Exchange, Exchanges


def expect_saved(result: ChangeResult) -> None:
    require(result.succeeded, check="stamkort change saved", expected="the employee told the change was saved",
            received=f"{_saved(result)}: {result.message!r}", where="POST /sut/citizens/{cpr}/stamkort")


def expect_not_saved(result: ChangeResult) -> None:
    """FSK-SIT-SKR-09: a write that could not reach FSK is not reported as saved, and the employee is told so."""
    require(not result.succeeded and bool(result.message.strip()), check="unsent change not reported as saved",
            expected="the change not saved, and a message telling the employee so",
            received=f"reported as {_saved(result)}: {result.message!r}", where="POST /sut/citizens/{cpr}/stamkort")


def _saved(result: ChangeResult) -> str:
    return "saved" if result.succeeded else "not saved"


def expect_refused_with_reason(result: ChangeResult, calls: Exchanges) -> None:
    """Not reported as saved, and the employee told why.

    When SKR refused the write, the message carries SKR's reason. A SUT may also refuse the change itself,
    before writing (local validation of the same rule): it conforms when no write reached SKR and it tells
    the employee, in a message, that the change was not saved.
    """
    writes = calls.service("skr")
    where = "the stamkort change (POST /sut/citizens/{cpr}/stamkort) and " + _writes_where(writes)
    require(not result.succeeded, check="refused change not reported as saved", expected="the change not saved",
            received=f"reported as {_saved(result)}: {result.message!r}", where=where)
    reasons = [str(call.fault.get("string") or "") for call in writes if call.fault]
    if reasons:
        require(any(reason and reason in result.message for reason in reasons), check="SKR's refusal shown to the "
                "employee", expected=f"SKR's reason ({reasons[0]})", received=repr(result.message), where=where)
        return
    accepted = [call.where() for call in writes]
    require(not accepted and bool(result.message.strip()), check="change refused by the system itself",
            expected="no write to SKR and a message telling the employee why",
            received=f"writes accepted by SKR: {accepted or 'none'}; message {result.message!r}", where=where)


def _writes_where(writes: list[Exchange]) -> str:
    """The SKR exchanges by journal id (the report links each to its evidence files)."""
    return ", ".join(call.where() for call in writes) or "no call to skr in the mock NSP journal"


def expect_single_attempt(result: ChangeResult, calls: Exchanges) -> None:
    """A refused change is sent to SKR at most once (a SUT that refused it itself sends it not at all)."""
    writes = calls.service("skr")
    require(len(writes) == 1 or (not writes and not result.succeeded), check="a refused write is not retried",
            expected="1 call to SKR (none if the system refused the change itself)",
            received=f"{len(writes)} calls, change reported as {_saved(result)}",
            where=_writes_where(writes))


#: the typed-in items a feature names → the element the SKR operation writes (Create|Update|Delete<element>)
SKR_ELEMENTS = {"relative": "Relatives", "temporary address": "TemporaryAddress", "language": "Language",
                "phone": "PatientContact", "dentist": "Dentist"}


def expect_only_written(calls: Exchanges, item: str) -> None:
    """The one change the employee made is the one write to FSK: nothing written on opening the record, no
    other item and no register data written with it."""
    writes = [str(call.summary.get("skr_operation") or call.operation) for call in calls.service("skr")]
    require(len(writes) == 1 and writes[0].endswith(SKR_ELEMENTS[item]), check="only the changed item written to FSK",
            expected=f"one write to SKR, of the {item}", received=", ".join(writes) or "no write",
            where="skr in the mock NSP journal")


def expect_held(found: list[dict[str, Any]], what: str, held: bool = True) -> None:
    require(bool(found) is held, check=f"FSK holds {what}", expected="held" if held else "not held",
            received=f"{len(found)} matching item(s)", where="the citizen's typed-in items in SKR")


def expect_value(value: Any, expected: Any, what: str) -> None:
    require(value == expected, check=f"FSK holds {what}", expected=repr(expected), received=repr(value),
            where="the citizen's typed-in items in SKR")


def expect_author(entered: dict[str, Any], employee: Employee) -> None:
    organisation = employee.organisation_name == entered.get("organisation") or employee.sor_code == entered.get("sor")
    require(entered.get("by") == "EnteredHealthcareprofessional" and organisation,
            check="author of the SKR write",
            expected=f"EnteredHealthcareprofessional of {employee.organisation_name} ({employee.sor_code})",
            received=entered, where="the item's entered-by in SKR")
