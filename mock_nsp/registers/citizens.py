"""The citizen register (SPEC §3.3): the JSON model of ARCHITECTURE.md, normalised with defaults."""

from __future__ import annotations

import copy
import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stdnum.dk import cpr as cpr_mod

from mock_nsp.registers import fgvh
from mock_nsp.registers.clock import parse_instant
from nspcert import vocabulary as v

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


@dataclass
class CitizenStore:
    """Citizens and register availability; all access under one lock (control and service planes)."""

    citizens: dict[str, Citizen] = field(default_factory=dict)
    unavailable: set[str] = field(default_factory=set)
    doc_index: dict[str, tuple[str, str]] = field(default_factory=dict)
    versions: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.RLock = field(default_factory=threading.RLock)

    def put(self, cpr: str, raw: Json, now: datetime, check: Callable[[Citizen], None] | None = None) -> Citizen:
        """Store a citizen; `check` may refuse it (by raising) before anything is stored."""
        data = normalise(cpr, raw, now)
        if check is not None:
            check(Citizen(cpr, data))
        with self.lock:
            old = self.citizens.get(cpr)
            citizen = Citizen(cpr, data, next(self.versions), old.document if old else None)
            self.citizens[cpr] = citizen
            for variant in ("v3", "v2"):
                self.doc_index[document_id(cpr, variant)] = (cpr, variant)
            return citizen

    def get(self, cpr: str) -> Citizen | None:
        with self.lock:
            return self.citizens.get(cpr)

    def delete(self, cpr: str) -> bool:
        with self.lock:
            for variant in ("v3", "v2"):
                self.doc_index.pop(document_id(cpr, variant), None)
            return self.citizens.pop(cpr, None) is not None

    def touch(self, citizen: Citizen) -> None:
        with self.lock:
            citizen.version = next(self.versions)

    def available(self, register: str) -> bool:
        return register not in self.unavailable

    def set_available(self, register: str, available: bool) -> None:
        with self.lock:
            if available:
                self.unavailable.discard(register)
            else:
                self.unavailable.add(register)

    def by_document_id(self, doc_id: str) -> tuple[Citizen, str] | None:
        """(citizen, variant) for a document unique id."""
        with self.lock:
            hit = self.doc_index.get(doc_id)
            citizen = self.citizens.get(hit[0]) if hit else None
            return (citizen, hit[1]) if citizen is not None and hit is not None else None

    def clear(self) -> None:
        with self.lock:
            self.citizens.clear()
            self.unavailable.clear()
            self.doc_index.clear()

    def fgvh_action(self, cpr: str, action: str, at: datetime) -> Citizen:
        with self.lock:
            citizen = self.citizens.get(cpr)
            if citizen is None:
                raise KeyError(cpr)
            f = citizen.data["fgvh"]
            if action == "register":
                born = birth_date(cpr, citizen.data)
                if born is not None and not fgvh.may_register(born, at):
                    raise CitizenError("/at", "a citizen under 60 cannot register an FGVH opt-out")
                f["registered_at"], f["withdrawn_at"] = at.isoformat(), None
            else:
                f["withdrawn_at"] = at.isoformat()
            citizen.version = next(self.versions)
            return citizen
