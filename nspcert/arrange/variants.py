"""Stamkort variants for the display scenarios, modelled on MedCom's PDC-DK 3.0 test examples.

Each function adds register data to a synthetic :class:`~nspcert.arrange.people.Citizen` in the mock NSP's
citizen model (docs/ARCHITECTURE.md), so the PDC the mock builds carries exactly that variant.
"""

from __future__ import annotations

from typing import Any

from nspcert.arrange.people import Citizen

ORGANISATION = "Plejecenter Herlev"
ORGANISATION_SOR = "265161000016006"


def entered(by: str, at: str = "2025-01-15T14:34:00+01:00", name: str = "", organisation: str = "") -> dict[str, Any]:
    who = {"by": by, "at": at, "name": name, "organisation": organisation, "sor": ORGANISATION_SOR if organisation else ""}
    return {key: value for key, value in who.items() if value}


def by_citizen(at: str = "2025-01-15T14:34:00+01:00") -> dict[str, Any]:
    return entered("EnteredCitizen", at)


def relative(given: str, family: str, relation: str, *, note: str = "", phones: list[dict[str, str]] | None = None,
             who: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"given": given, "family": family, "relation": relation, "phones": phones or [], "note": note,
            "entered": who or by_citizen()}


def typed_in(citizen: Citizen) -> dict[str, Any]:
    items: dict[str, Any] = citizen.register.setdefault("typed_in", {})
    return items


def with_relatives(citizen: Citizen, *relatives: dict[str, Any]) -> Citizen:
    typed_in(citizen).setdefault("relatives", []).extend(relatives)
    return citizen


def with_temporary_address(citizen: Citizen, start: str, end: str | None, who: dict[str, Any] | None = None) -> Citizen:
    typed_in(citizen)["temporary_address"] = {
        "address": {"lines": ["Sommerhusvej 3"], "postal_code": "4500", "city": "Nykøbing Sj"},
        "from": start, "to": end, "entered": who or by_citizen()}
    return citizen


def with_typed_item(citizen: Citizen, kind: str, values: dict[str, Any], who: dict[str, Any] | None = None) -> Citizen:
    """A single typed-in item (``language``, ``dentist`` or one ``contact_phone``) held in FSK."""
    item = {**values, "entered": who or by_citizen()}
    if kind == "contact_phone":
        typed_in(citizen).setdefault("contact_phones", []).append(item)
    else:
        typed_in(citizen)[kind] = item
    return citizen


GP_NAME, GP_YDER_NUMBER = "Lægerne Strandvejen", "012345"
GP: dict[str, Any] = {"yder_number": GP_YDER_NUMBER, "name": GP_NAME, "phones": [{"use": "WP", "value": "+4539404142"}],
      "address": {"lines": ["Strandvejen 100"], "postal_code": "2900", "city": "Hellerup"}}


def with_gp(citizen: Citizen) -> Citizen:
    """The citizen's GP, as the Yderregister gives it."""
    citizen.register["gp"] = dict(GP)
    return citizen


def with_custody(citizen: Citizen, children: list[Citizen], relation: str = "mor") -> Citizen:
    """``citizen`` holds custody of ``children`` as their ``relation`` (MedCom relation code: mor, far, værge)."""
    citizen.register["custody"] = [
        {"cpr": child.cpr, "name": {"given": child.given, "family": child.family}, "relation": relation}
        for child in children]
    return citizen
