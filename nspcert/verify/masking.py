"""Checks of what the citizen is shown of masked employees (identity masking)."""

from __future__ import annotations

from typing import Any

from nspcert.checks import require
from nspcert.driver.contract import Employee
from nspcert.masking import pseudonym


def expect_pseudonymised(view: dict[str, Any], employee: Employee, citizen_cpr: str, salt: str) -> None:
    expected = pseudonym(employee.given_name, employee.family_name, citizen_cpr, salt)
    accesses = list(view.get("accesses") or [])
    require(bool(accesses), check="citizen's view of who used their data", expected="the employee's access listed",
            received="no accesses", where=f"citizen view of {citizen_cpr}")
    shown = [access.get("user") or {} for access in accesses]
    require(all(user.get("display_name") == expected and user.get("pseudonymised") for user in shown),
            check="masked employee shown by pseudonym", expected=f"pseudonym {expected} (current salt)",
            received=[user.get("display_name") for user in shown], where=f"citizen view of {citizen_cpr}")
