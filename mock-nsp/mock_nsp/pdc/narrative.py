"""The section's narrative table "Øvrige oplysninger" (Oplysning / Værdi / Kilde-Indtastet af / Sidst ændret)."""

from __future__ import annotations

from typing import Any

from lxml import etree

from mock_nsp.pdc.xml import sub
from mock_nsp.registers.clock import DK, parse_instant

_HEADINGS = ("Oplysning", "Værdi", "Kilde/Indtastet af", "Sidst ændret/Indtastet den")
NOT_GIVEN = "Ikke oplyst"


class Table:
    """Rows are appended as entries are built, so narrative and structured entries agree."""

    def __init__(self, section: etree._Element) -> None:
        text = sub(section, "text")
        sub(text, "paragraph", text="Øvrige oplysninger")
        self.body = sub(sub(text, "table", width="100%"), "tbody")
        head = sub(self.body, "tr")
        for heading in _HEADINGS:
            sub(head, "th", text=heading)

    def row(self, label: str, values: list[str], source: str, changed: str = NOT_GIVEN) -> None:
        tr = sub(self.body, "tr")
        sub(tr, "td", text=label)
        items = sub(sub(tr, "td"), "list")
        for value in values:
            sub(items, "item", text=value)
        sub(tr, "td", text=source)
        sub(tr, "td", text=changed)

    def typed_row(self, label: str, values: list[str], entered: dict[str, Any]) -> None:
        """A typed-in item: entered by whom (a health professional by their organisation) and when."""
        at = entered.get("at")
        changed = parse_instant(at).astimezone(DK).strftime("%Y-%m-%d %H:%M:%S %z") if at else NOT_GIVEN
        professional = entered.get("by") == "EnteredHealthcareprofessional" and entered.get("organisation")
        who = entered.get("organisation") if professional else entered.get("name")
        self.row(label, values, who or NOT_GIVEN, changed)


def full_name(name: dict[str, Any]) -> str:
    return " ".join([*name.get("given", []), name.get("family", "")]).strip()


def address_lines(addr: dict[str, Any]) -> list[str]:
    lines = list(addr.get("lines", []))
    town = " ".join(x for x in (addr.get("postal_code"), addr.get("city")) if x)
    if town:
        lines.append(town)
    if addr.get("country"):
        lines.append(addr["country"])
    return lines
