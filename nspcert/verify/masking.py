"""Checks of what the citizen is shown of masked employees (identity masking).

The citizen view is a :class:`nspcert.act.screen.Screen` (viewer ``citizen``): it is evidence, and the part a
check reads (``accesses``) is what the step shows in "Actual result"."""

from __future__ import annotations

import json
from typing import Any

from nspcert.act.masking import pseudonym
from nspcert.act.screen import Screen
from nspcert.checks import require
from nspcert.driver.contract import Employee
from nspcert.nsp.journal import Exchanges


def expect_salt_fetched(calls: Exchanges) -> None:
    """The SUT asked IDSAS for the current salt (GetCurrentSalt) and got it."""
    fetched = [call for call in calls.service("idsas") if not call.fault and call.operation == "GetCurrentSalt"]
    require(bool(fetched), check="IDSAS salt fetched", expected="a GetCurrentSalt call answered by the platform",
            received=", ".join(f"{c.operation} {c.fault.get('code', '')}" for c in calls.service("idsas")) or "none",
            where="idsas in the mock NSP journal")


def _accesses(view: Screen) -> list[dict[str, Any]]:
    accesses = list(view.part("accesses") or [])
    require(bool(accesses), check="citizen's view of who used their data", expected="the employee's access listed",
            received=f"{len(accesses)} accesses listed", where=view.where())
    return accesses


def expect_name_hidden(view: Screen, employee: Employee) -> None:
    """The use is listed, every user shown as a pseudonym, and the employee's name nowhere in the view."""
    users = [access.get("user") or {} for access in _accesses(view)]
    text = json.dumps(view.whole(), ensure_ascii=False).upper()
    named = [name for name in (employee.given_name, employee.family_name) if name.upper() in text]
    require(all(user.get("pseudonymised") for user in users) and not named,
            check="masked employee hidden from the citizen", expected="every user pseudonymised, no employee name",
            received=f"users {[user.get('display_name') for user in users]}, names shown: {named or 'none'}",
            where=view.where())


def expect_pseudonymised(view: Screen, employee: Employee, salt: str) -> None:
    expected = pseudonym(employee.given_name, employee.family_name, view.cpr, salt)
    shown = [access.get("user") or {} for access in _accesses(view)]
    require(all(user.get("display_name") == expected and user.get("pseudonymised") for user in shown),
            check="masked employee shown by pseudonym", expected=f"pseudonym {expected} (current salt)",
            received=[user.get("display_name") for user in shown], where=view.where())
