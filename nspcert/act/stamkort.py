"""Changes an employee makes to the citizen's typed-in stamkort items, and what FSK then holds."""

from __future__ import annotations

from typing import Any

from nspcert.driver.contract import StamkortChange
from nspcert.nsp.admin import MockNspAdmin

#: the patient's own phones in FSK, by the words a feature uses, with their use code (H, MC, WP)
PHONES = {"home phone": "H", "mobile phone": "MC", "work phone": "WP"}
#: the single typed-in items a feature names → the driver contract's item
ITEMS = {"language": "language", "dentist": "dentist", **dict.fromkeys(PHONES, "contact_phone")}


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


def change_relative(item_id: str, name: str, relation: str) -> StamkortChange:
    given, family = split_name(name)
    return StamkortChange("relative", "update", {"given": given, "family": family, "relation": relation}, item_id)


def temporary_address(address: str, start: str, end: str | None = None, item_id: str | None = None
                      ) -> StamkortChange:
    """A new temporary address, or (with ``item_id``) the one FSK holds changed to this."""
    values = {"address": parse_address(address), "from": start, "to": end}
    return StamkortChange("temporary_address", "update" if item_id else "create", values, item_id)


def item_values(item: str, value: str) -> dict[str, Any]:
    """The contract's values of a single typed-in item ('language', 'home phone', 'dentist', …)."""
    kind = ITEMS[item]
    if kind == "contact_phone":
        return {"use": PHONES[item], "value": value}
    return {"code": value} if kind == "language" else {"name": value}


def typed_item(item: str, value: str, item_id: str | None = None) -> StamkortChange:
    """Register the item, or (with ``item_id``, the item's FSK id) change the one FSK holds."""
    action = "update" if item_id else "create"
    return StamkortChange(ITEMS[item], action, item_values(item, value), item_id)  # type: ignore[arg-type]


def removal(item: str, item_id: str) -> StamkortChange:
    """Remove the item ('language', 'work phone', 'temporary address', …) with this FSK id."""
    return StamkortChange(ITEMS.get(item, item.replace(" ", "_")), "delete", {}, item_id)  # type: ignore[arg-type]


def typed_in(nsp: MockNspAdmin, cpr: str) -> dict[str, Any]:
    """The typed-in items FSK (the mock's SKR register) holds for the citizen now."""
    return dict(nsp.citizen(cpr).get("typed_in") or {})


def held(nsp: MockNspAdmin, cpr: str, item: str) -> dict[str, Any] | None:
    """The single typed-in item FSK holds now ('language', 'temporary address', 'work phone', …), with its id."""
    typed = typed_in(nsp, cpr)
    if item in PHONES:
        return next((p for p in typed.get("contact_phones") or [] if p.get("use") == PHONES[item]), None)
    found = typed.get(item.replace(" ", "_"))
    return dict(found) if found else None


def held_value(nsp: MockNspAdmin, cpr: str, item: str) -> str | None:
    """What FSK holds for the item, in the words of the feature (a code, a number or a name)."""
    found = held(nsp, cpr, item) or {}
    return found.get({"language": "code", "dentist": "name"}.get(item, "value"))


def fsk_id(nsp: MockNspAdmin, cpr: str, item: str) -> str:
    """The FSK id of the item, which the SUT names when it changes or removes it (the driver's ``item_id``)."""
    found = held(nsp, cpr, item)
    if not found or not found.get("id"):
        raise LookupError(f"FSK holds no {item} with an id for citizen {cpr}; the scenario's Given did not arrange it")
    return str(found["id"])


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
