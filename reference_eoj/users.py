"""Logged-in employees (``POST /sut/users``), kept in the EOJ's SQLite state so they survive a restart."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Employee:
    """The employee of ``POST /sut/users`` (driver contract ``Employee``).

    The EOJ keeps its own copy of the contract's types instead of importing ``nspcert.driver``: it is the
    example vendors copy, and it must stand alone as a vendor's system does. A test
    (``tests/reference_eoj/test_eoj_contract_copies.py``) checks that the copies agree.
    """

    cpr: str
    given_name: str
    family_name: str
    authorisation_id: str
    role: str
    sor_code: str
    organisation_name: str
    identity_masked: bool = False
    #: the authorised professional the employee acts on behalf of (HSUID ResponsibleUser…); "" when none
    responsible_cpr: str = ""
    responsible_authorisation_id: str = ""
    #: the unit's ydernummer and SKS (SHAK) code, when it has them (contract 1.2); "" when not
    yder_number: str = ""
    sks_code: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Employee:
        missing = [k for k in ("cpr", "given_name", "family_name", "sor_code", "organisation_name") if not data.get(k)]
        if missing:
            raise ValueError(f"missing {', '.join(missing)}")
        responsible = _responsible(data.get("responsible_user"))
        return cls(
            cpr=_cpr(data["cpr"], "cpr"), given_name=str(data["given_name"]), family_name=str(data["family_name"]),
            authorisation_id=str(data.get("authorisation_id", "")), role=str(data.get("role", "")),
            sor_code=str(data["sor_code"]), organisation_name=str(data["organisation_name"]),
            identity_masked=bool(data.get("identity_masked", False)),
            responsible_cpr=responsible[0], responsible_authorisation_id=responsible[1],
            yder_number=str(data.get("yder_number") or ""), sks_code=str(data.get("sks_code") or ""),
        )


def _responsible(value: Any) -> tuple[str, str]:
    """``responsible_user`` → (CPR, authorisation id); absent → ("", "")."""
    if value is None:
        return "", ""
    if not isinstance(value, dict) or not value.get("authorisation_id"):
        raise ValueError("responsible_user must be {\"cpr\", \"authorisation_id\"} with an authorisation id")
    return _cpr(value.get("cpr"), "responsible_user.cpr"), str(value["authorisation_id"])


def _cpr(value: Any, name: str) -> str:
    cpr = str(value or "")
    if not (cpr.isdigit() and len(cpr) == 10):
        raise ValueError(f"{name} must be 10 digits")
    return cpr


class UserStore:
    """user_id → employee."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        db.execute("CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, employee TEXT NOT NULL)")

    def add(self, employee: Employee) -> str:
        user_id = str(uuid.uuid4())
        with self._db:
            self._db.execute("INSERT INTO users VALUES (?, ?)", (user_id, json.dumps(asdict(employee))))
        return user_id

    def get(self, user_id: str) -> Employee | None:
        row = self._db.execute("SELECT employee FROM users WHERE user_id = ?", (user_id,)).fetchone()
        return None if row is None else Employee(**json.loads(row[0]))

    def clear(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM users")
