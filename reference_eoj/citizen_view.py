"""Who used the citizen's data, as the citizen is shown it (driver capability ``citizen-view``).

Employees whose unit asked for identity masking appear as IDSAS pseudonyms, never by name.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from reference_eoj.nsp.idsas import pseudonym
from reference_eoj.nsp.soap import NspError
from reference_eoj.users import Employee

MASKED_WITHOUT_SALT = "Skjult medarbejder"


class AccessLog:
    """One row per employee × citizen × Danish day on which the employee used the citizen's FSK data."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        db.execute("CREATE TABLE IF NOT EXISTS accesses (citizen_cpr TEXT NOT NULL, user_cpr TEXT NOT NULL, "
                   "day TEXT NOT NULL, at TEXT NOT NULL, activity TEXT NOT NULL, employee TEXT NOT NULL, "
                   "PRIMARY KEY (citizen_cpr, user_cpr, day))")

    def record(self, citizen_cpr: str, employee: Employee, day: date, at: datetime, activity: str) -> None:
        with self._db:
            self._db.execute("INSERT OR IGNORE INTO accesses VALUES (?, ?, ?, ?, ?, ?)",
                             (citizen_cpr, employee.cpr, day.isoformat(), at.isoformat(), activity,
                              json.dumps(asdict(employee))))

    def for_citizen(self, citizen_cpr: str) -> list[tuple[str, str, str, Employee]]:
        rows = self._db.execute("SELECT day, at, activity, employee FROM accesses WHERE citizen_cpr = ? "
                                "ORDER BY at", (citizen_cpr,)).fetchall()
        return [(r[0], r[1], r[2], Employee(**json.loads(r[3]))) for r in rows]

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM accesses")


def citizen_view(cpr: str, log: AccessLog, salt: Callable[[], str], contract_version: str,
                 name_without_salt: bool = False) -> dict[str, Any]:
    """What the citizen is shown of who used their data; ``name_without_salt`` (the name-when-salt-missing defect)
    shows a masked employee by name when no salt could be fetched."""
    messages: list[dict[str, str]] = []
    try:
        current_salt: str | None = salt()
    except NspError as exc:
        current_salt = None
        messages.append({"level": "error", "text": exc.user_message})
    accesses = [_access(cpr, day, at, activity, employee, current_salt, name_without_salt)
                for day, at, activity, employee in log.for_citizen(cpr)]
    return {"contract_version": contract_version, "cpr": cpr, "accesses": accesses, "messages": messages}


def _access(cpr: str, day: str, at: str, activity: str, employee: Employee, salt: str | None,
            name_without_salt: bool) -> dict[str, Any]:
    if not employee.identity_masked or (salt is None and name_without_salt):
        user = {"display_name": employee.full_name, "pseudonymised": False}
    elif salt is None:
        user = {"display_name": MASKED_WITHOUT_SALT, "pseudonymised": True}
    else:
        user = {"display_name": pseudonym(employee.given_name, employee.family_name, cpr, salt), "pseudonymised": True}
    return {"date": day, "at": at, "organisation_name": employee.organisation_name, "activity": activity, "user": user}
