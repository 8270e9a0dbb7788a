"""Arrange the national registers on the mock NSP in business terms (citizens, opt-outs, outages).

Steps say *what* is true of a citizen; these functions turn it into control-plane calls.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import nsp_vocabulary as v
from nspcert.arrange.people import Citizen
from nspcert.nsp.admin import MockNspAdmin

DANISH = ZoneInfo(v.DANISH_TZ)


def danish_now() -> dt.datetime:
    return dt.datetime.now(DANISH).replace(microsecond=0)


def register_citizen(nsp: MockNspAdmin, citizen: Citizen) -> Citizen:
    nsp.put_citizen(citizen.cpr, citizen.as_register())
    return citizen


def register_opt_out(nsp: MockNspAdmin, citizen: Citizen, at: dt.datetime) -> None:
    """The citizen registers an opt-out of resuscitation (FGVH) at ``at`` (it takes effect 7 days later)."""
    nsp.fgvh(citizen.cpr, "register", at.isoformat())


def withdraw_opt_out(nsp: MockNspAdmin, citizen: Citizen, at: dt.datetime) -> None:
    nsp.fgvh(citizen.cpr, "withdraw", at.isoformat())


def make_register_unavailable(nsp: MockNspAdmin, register: str) -> None:
    nsp.set_register_available(register, available=False)


def mark_protection_as(nsp: MockNspAdmin, marker: str) -> None:
    """The CPR register's words for a protected name and address in FSK (the docs say "BESKYTTET NAVN/ADRESSE",
    MedCom's 3.0 example "ADRESSEBESKYTTET"); until the scenario ends."""
    nsp.configure(protected_marker=marker)
