"""Changes an employee makes to the citizen's typed-in stamkort items, and what FSK then holds."""

from __future__ import annotations

from typing import Any

from nspcert.driver.contract import StamkortChange
from nspcert.nsp.admin import MockNspAdmin

ITEMS = {"language": "language", "mobile phone": "contact_phone", "dentist": "dentist"}


def split_name(name: str) -> tuple[str, str]:
    given, _, family = name.rpartition(" ")
    return given, family


def parse_address(text: str) -> dict[str, Any]:
    """'Sommerhusvej 3, 4500 Nykøbing Sj' → the contract's address object."""
    street, _, rest = text.partition(", ")
    postal_code, _, city = rest.partition(" ")
    return {"lines": [street], "postal_code": postal_code, "city": city}


def add_relative(name: str, relation: str, mobile: str | None = None, note: str | None = None) -> StamkortChange:
    given, family = split_name(name)
    values: dict[str, Any] = {"given": given, "family": family, "relation": relation}
    if mobile:
        values["phones"] = [{"use": "MC", "value": mobile}]
    if note:
        values["note"] = note
    return StamkortChange("relative", "create", values)


def temporary_address(address: str, start: str) -> StamkortChange:
    return StamkortChange("temporary_address", "create", {"address": parse_address(address), "from": start, "to": None})


def typed_item(item: str, value: str) -> StamkortChange:
    kind = ITEMS[item]
    values: dict[str, Any] = {
        "language": {"code": value},
        "contact_phone": {"use": "MC", "value": value},
        "dentist": {"name": value},
    }[kind]
    return StamkortChange(kind, "create", values)  # type: ignore[arg-type]


def typed_in(nsp: MockNspAdmin, cpr: str) -> dict[str, Any]:
    """The typed-in items FSK (the mock's SKR register) holds for the citizen now."""
    return dict(nsp.citizen(cpr).get("typed_in") or {})


def relatives_named(nsp: MockNspAdmin, cpr: str, name: str) -> list[dict[str, Any]]:
    given, family = split_name(name)
    return [item for item in typed_in(nsp, cpr).get("relatives") or []
            if item.get("given") == given and item.get("family") == family]


#: changes SKR must refuse (SPEC §3.1 business faults), by the words a feature uses for them
INVALID_CHANGES: dict[str, StamkortChange] = {
    "a relative without a given name": StamkortChange("relative", "create", {"given": "", "family": "Holm",
                                                                              "relation": "søster"}),
    "a relative whose name contains a CPR number": add_relative("Jens 0101601234 Olsen", "nabo"),
    "a relative whose relation contains a CPR number": add_relative("Jens Olsen", "nabo 010160-1234"),
    "a temporary address that ends before it starts": StamkortChange(
        "temporary_address", "create", {"address": parse_address("Fjordvej 9, 9000 Aalborg"), "from": "2025-07-01",
                                        "to": "2025-06-01"}),
    "a language that is not an ISO 639-1 code": StamkortChange("language", "create", {"code": "klingon"}),
}
