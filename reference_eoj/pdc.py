"""PDC-DK 3.0 (Fælles Stamkort CDA) parser: the structured entries, never the narrative.

Entries are recognised by template id (code as a fallback); unknown entries are ignored so a future
entry type does not break the display (domain-nsp §9 rule 9). The narrative table is read only into
:attr:`Pdc.narrative`, which nothing but the ``narrative-render`` seeded defect uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone

import nsp_vocabulary as v
from reference_eoj.xml import Element, XmlError, attr, find, findall, parse, q, text

_TEMPLATE_TO_CODE = {root: code for code, root in v.ENTRY_TEMPLATES.items()}
_TS = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(?:\.\d+)?([+-]\d{4})?$")
_XSI_TYPE = q("xsi", "type")


class PdcError(ValueError):
    """The document is not a readable PDC."""


@dataclass(frozen=True)
class Provenance:
    source: str
    entered_by_kind: str | None = None
    entered_by_name: str | None = None
    entered_by_organisation: str | None = None
    entered_at: datetime | None = None
    #: the author's CPR as the document carries it (a masked author: "MSK"); never shown but by a seeded defect
    entered_by_cpr: str | None = None


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...] = ()
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None

    def texts(self) -> list[str]:
        return [*self.lines, " ".join(p for p in (self.postal_code, self.city) if p), self.country or ""]


@dataclass(frozen=True)
class Phone:
    use: str | None
    value: str


@dataclass(frozen=True)
class Person:
    given: tuple[str, ...]
    family: str | None

    @property
    def full(self) -> str:
        return " ".join([*self.given, self.family or ""]).strip()


@dataclass(frozen=True)
class Item:
    """One entry's values: the typed XML values by xsi:type, its id, period and provenance."""

    code: str
    entry_id: str | None
    values: dict[str, list[Element]]
    provenance: Provenance
    low: datetime | None = None
    high: datetime | None = None

    def value(self, xsi_type: str) -> Element | None:
        """The first value of that xsi:type, if any."""
        found = self.values.get(xsi_type)
        return found[0] if found else None


@dataclass
class Pdc:
    cpr: str
    document_id: str | None
    template_extension: str | None
    birth_date: date | None
    sex: str | None
    gp_name: str | None
    gp_yder: str | None
    gp_phones: list[Phone]
    gp_address: Address | None
    header_address: Address | None
    items: dict[str, list[Item]] = field(default_factory=dict)
    narrative: dict[str, list[str]] = field(default_factory=dict)
    #: elements where the PDC-DK schema does not allow them (MedCom's NAV example has one); read past, not refused
    misplaced: list[str] = field(default_factory=list)

    def unknown_codes(self) -> list[str]:
        """Entry codes this reader does not know (a later PDC version may add some; they are ignored)."""
        return sorted(code for code in self.items if code not in v.ENTRY_TEMPLATES)

    def first(self, code: str) -> Item | None:
        found = self.items.get(code)
        return found[0] if found else None

    def all(self, code: str) -> list[Item]:
        return self.items.get(code, [])

    def with_author_cprs_shown(self) -> Pdc:
        """The seeded defect ``author-cpr-shown``: every entered-by name followed by the author's CPR."""
        def shown(item: Item) -> Item:
            p = item.provenance
            if not p.entered_by_cpr:
                return item
            cpr = f" (CPR {p.entered_by_cpr})"
            return replace(item, provenance=replace(
                p, entered_by_name=p.entered_by_name and p.entered_by_name + cpr,
                entered_by_organisation=p.entered_by_organisation and p.entered_by_organisation + cpr))
        return replace(self, items={code: [shown(item) for item in items] for code, items in self.items.items()})


#: where MedCom's examples put elements the schema does not allow there (the NAV example's GP)
_MISPLACEABLE = ("recordTarget/providerOrganization",)


def parse_pdc(data: bytes) -> Pdc:
    try:
        root = parse(data)
    except XmlError as exc:
        raise PdcError(f"not XML: {exc}") from exc
    if root.tag != q("cda", "ClinicalDocument"):
        raise PdcError(f"not a CDA ClinicalDocument: {root.tag}")
    role = find(root, "cda:recordTarget/cda:patientRole")
    if role is None:
        raise PdcError("no recordTarget/patientRole")
    provider = find(role, "cda:providerOrganization")
    pdc = Pdc(
        cpr=attr(role, "cda:id", "extension") or "",
        document_id=attr(root, "cda:id", "extension"),
        template_extension=attr(root, "cda:templateId", "extension"),
        birth_date=_date(attr(role, "cda:patient/cda:birthTime", "value")),
        sex=attr(role, "cda:patient/cda:administrativeGenderCode", "code"),
        gp_name=text(provider, "cda:name") if provider is not None else None,
        gp_yder=attr(provider, "cda:id", "extension") if provider is not None else None,
        gp_phones=[p for t in findall(provider, "cda:telecom") if (p := phone(t))] if provider is not None else [],
        gp_address=address(find(provider, "cda:addr")) if provider is not None else None,
        header_address=address(find(role, "cda:addr")),
        misplaced=[path for path in _MISPLACEABLE if find(root, f"cda:{path.replace('/', '/cda:')}") is not None],
    )
    section = find(root, "cda:component/cda:structuredBody/cda:component/cda:section")
    if section is not None:
        pdc.items = _entries(section)
        pdc.narrative = _narrative(section)
    return pdc


def _entries(section: Element) -> dict[str, list[Item]]:
    items: dict[str, list[Item]] = {}
    for observation in findall(section, "cda:entry/cda:observation"):
        item = _item(observation)
        if item is not None:
            items.setdefault(item.code, []).append(item)
    return items


def _item(observation: Element) -> Item | None:
    template = attr(observation, "cda:templateId", "root")
    code = _TEMPLATE_TO_CODE.get(template or "") or attr(observation, "cda:code", "code")
    if not code:
        return None
    values: dict[str, list[Element]] = {}
    for value in findall(observation, "cda:value"):
        values.setdefault((value.get(_XSI_TYPE) or "").split(":")[-1], []).append(value)
    return Item(
        code=code,
        entry_id=attr(observation, "cda:id", "extension"),
        values=values,
        provenance=_provenance(observation),
        low=timestamp(attr(observation, "cda:effectiveTime/cda:low", "value")),
        high=timestamp(attr(observation, "cda:effectiveTime/cda:high", "value")),
    )


def _provenance(observation: Element) -> Provenance:
    author = find(observation, "cda:author/cda:assignedAuthor")
    if author is None:
        return Provenance(source="Fælles Stamkort")
    organisation = text(author, "cda:representedOrganization/cda:name")
    kind = attr(author, "cda:code", "code")
    if kind not in v.ENTERED_BY_CODES:
        return Provenance(source=organisation or "Fælles Stamkort")
    name_node = find(author, "cda:assignedPerson/cda:name")
    return Provenance(
        source=attr(author, "cda:code", "displayName") or kind or "",
        entered_by_kind=kind,
        entered_by_name=person(name_node).full if name_node is not None else None,
        entered_by_organisation=organisation,
        entered_at=timestamp(attr(observation, "cda:author/cda:time", "value")),
        entered_by_cpr=attr(author, "cda:id", "extension") if attr(author, "cda:id", "root") == v.OID_CPR else None,
    )


def _narrative(section: Element) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for row in findall(section, "cda:text//cda:tr"):
        cells = findall(row, "cda:td")
        if len(cells) >= 2:
            label = text(cells[0]) or ""
            rows[label] = [t for i in findall(cells[1], ".//cda:item") if (t := text(i))]
    return rows


def person(node: Element) -> Person:
    return Person(tuple(t for g in findall(node, "cda:given") if (t := text(g))), text(node, "cda:family"))


def address(node: Element | None) -> Address | None:
    if node is None:
        return None
    return Address(
        lines=tuple(t for line in findall(node, "cda:streetAddressLine") if (t := text(line)) and t != "null"),
        postal_code=text(node, "cda:postalCode"), city=text(node, "cda:city"), country=text(node, "cda:country"),
    )


def phone(node: Element) -> Phone | None:
    value = node.get("value") or ""
    number = value.removeprefix("tel:")
    if not number or number == "null":
        return None
    return Phone(use=node.get("use"), value=number)


def bool_extension(item: Item | None) -> bool | None:
    """``true``/``false`` of an II registration value; None when absent or nullFlavor."""
    node = item.value("II") if item else None
    if node is None or node.get("nullFlavor"):
        return None
    return {"true": True, "false": False}.get((node.get("extension") or "").lower())


def timestamp(value: str | None) -> datetime | None:
    """An HL7 TS (``yyyyMMdd[HHmm[ss]][+zzzz]``) as an aware datetime (UTC when no offset)."""
    match = _TS.match(value or "")
    if not match:
        return None
    y, mo, d, h, mi, s, tz = match.groups()
    offset = UTC
    if tz:
        sign = 1 if tz[0] == "+" else -1
        offset = timezone(sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])))
    return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=offset)


def _date(value: str | None) -> date | None:
    stamp = timestamp((value or "")[:8])
    return stamp.date() if stamp else None
