"""The citizen register (SPEC §3.3): the JSON model of ARCHITECTURE.md, normalised with defaults."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from stdnum.dk import cpr as cpr_mod

import nsp_vocabulary as v
from mock_nsp.registers import fgvh
from mock_nsp.registers.clock import parse_instant

_DOC_NAMESPACE = uuid.UUID("0c5d1a8e-6f0b-4f5e-9d0a-3b7f1e2a9c41")
Json = dict[str, Any]


class CitizenError(ValueError):
    """A business-rule violation in control-plane input; `path` is a JSON pointer."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class Citizen:
    cpr: str
    data: Json
    version: int = 0
    document: bytes | None = None

    @property
    def deceased(self) -> bool:
        return bool(self.data.get("deceased"))

    def fgvh_times(self) -> tuple[datetime | None, datetime | None]:
        f = self.data.get("fgvh") or {}
        reg, wd = f.get("registered_at"), f.get("withdrawn_at")
        return (parse_instant(reg) if reg else None, parse_instant(wd) if wd else None)


def birth_date(cpr: str, data: Json) -> date | None:
    if data.get("birth_date"):
        return date.fromisoformat(str(data["birth_date"]))
    try:
        born: date = cpr_mod.get_birth_date(cpr)
        return born
    except Exception:  # noqa: BLE001 - synthetic CPRs may not carry a valid date
        return None


def document_id(cpr: str, variant: str = "v3") -> str:
    """The SFSK document unique id, stable per citizen and format."""
    return f"{v.SFSK_REPOSITORY_UNIQUE_ID}^{uuid.uuid5(_DOC_NAMESPACE, f'{cpr}/{variant}')}"


def _default_entered(data: Json, now: datetime) -> Json:
    name = data.get("name") or {}
    full = " ".join([*name.get("given", []), name.get("family", "")]).strip()
    return {"by": "EnteredCitizen", "name": full, "at": now.isoformat()}


def normalise(cpr: str, raw: Json, now: datetime) -> Json:
    """Apply defaults, give typed-in items ids and authors, check the business rules."""
    data = copy.deepcopy(raw)
    data["cpr"] = cpr
    data.setdefault("address", {})
    data.setdefault("protected", False)
    data.setdefault("deceased", False)
    data.setdefault("gp", None)
    data.setdefault("coverage_group", "1")
    for flag in ("organ_donor", "treatment_will", "living_will"):
        data.setdefault(flag, False)
    data.setdefault("custody", [])
    data.setdefault("fgvh", {})
    data["fgvh"].setdefault("registered_at", None)
    data["fgvh"].setdefault("withdrawn_at", None)
    if "sex" not in data:
        data["sex"] = "M" if int(cpr[-1]) % 2 else "F"
    born = birth_date(cpr, data)
    if born is not None:
        data.setdefault("birth_date", born.isoformat())
    _typed_in(data, now)
    _check_fgvh(cpr, data)
    return data


def _typed_in(data: Json, now: datetime) -> None:
    typed = data.setdefault("typed_in", {})
    for key in ("language", "temporary_address", "dentist"):
        typed.setdefault(key, None)
        if typed[key] is not None:
            _stamp(typed[key], data, now)
    for key in ("contact_phones", "relatives"):
        typed.setdefault(key, [])
        for item in typed[key]:
            _stamp(item, data, now)


def _stamp(item: Json, data: Json, now: datetime) -> None:
    item.setdefault("id", str(uuid.uuid4()))
    item.setdefault("entered", _default_entered(data, now))
    item["entered"].setdefault("at", now.isoformat())


def _check_fgvh(cpr: str, data: Json) -> None:
    reg = data["fgvh"].get("registered_at")
    if not reg:
        return
    born = birth_date(cpr, data)
    if born is not None and not fgvh.may_register(born, parse_instant(reg)):
        raise CitizenError("/fgvh/registered_at", "a citizen under 60 cannot register an FGVH opt-out")
