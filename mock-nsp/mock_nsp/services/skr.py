"""SKR (Stamkortregister) writes of the typed-in items, at `PATH_SKR` (/skr/dgws20210602), namespace
`http://sundhedsdatastyrelsen.dk/skr/2021/06/02`. The real FSK 3.0 operation names are not published [U];
the mock's interface (Create|Update|Delete × Relative, TemporaryAddress, Language, PatientContact, Dentist)
is described by its own WSDL at GET /skr/wsdl/dgws20210602.

Auth: FSK 3.0 mode (default) takes a level-3 system card plus HSUID with the acting user; legacy mode takes
a level-4 user card. A write is visible in the next ITI-43.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.citizens import Citizen
from mock_nsp.registers.clock import Clock
from mock_nsp.security.dgws import Requirement
from mock_nsp.services import skr_rules as rules
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.services.skr_rules import SkrFault
from mock_nsp.settings import RuntimeConfig
from mock_nsp.soap import SoapFault
from mock_nsp.world.citizens import CitizenRegister

SKR = v.NS["skr"]
Json = dict[str, Any]


def _t(parent: etree._Element | None, name: str) -> str | None:
    if parent is None:
        return None
    el = parent.find(f"{{{SKR}}}{name}")
    return (el.text or "").strip() if el is not None and el.text is not None else None


def _given(parent: etree._Element, name: str) -> str | None:
    """The text of a child that is present ("" when empty), None when it is absent: for fields whose emptiness
    is itself an error (dates)."""
    el = parent.find(f"{{{SKR}}}{name}")
    return None if el is None else (el.text or "")


def _all(parent: etree._Element, name: str) -> list[etree._Element]:
    return parent.findall(f"{{{SKR}}}{name}")


def fault(err: SkrFault) -> SoapFault:
    detail = etree.Element(f"{{{SKR}}}ValidationFault", nsmap={"skr": SKR})
    etree.SubElement(detail, f"{{{SKR}}}Code").text = err.code
    etree.SubElement(detail, f"{{{SKR}}}Text").text = err.text
    if err.field:
        etree.SubElement(detail, f"{{{SKR}}}Field").text = err.field
    return SoapFault(err.text, "Client", detail=[detail])


@dataclass
class Skr:
    citizens: CitizenRegister
    clock: Clock
    config: RuntimeConfig

    def handle(self, call: Call) -> Reply:
        op = call.operation or ""
        call.summary["skr_operation"] = op
        try:
            item_id = self._write(call, op)
        except SkrFault as err:
            call.summary["skr_fault"] = err.code
            raise fault(err) from None
        response = etree.Element(f"{{{SKR}}}{op}Response", nsmap={"skr": SKR})
        etree.SubElement(response, f"{{{SKR}}}Id").text = item_id
        call.summary["skr_item_id"] = item_id
        return Reply([response])

    def _write(self, call: Call, op: str) -> str:
        verb, kind = _split(op)
        body = call.body
        assert body is not None
        citizen = self._citizen(body, call)
        if not self.citizens.available("skr") or "skr" in call.unavailable:
            raise SkrFault(v.SKR_FAULT_REGISTER_UNAVAILABLE, "Stamkortregisteret er midlertidigt utilgængeligt")
        entered = self._entered(call, body)
        return self.citizens.modify(citizen.cpr, lambda data: _HANDLERS[kind](data["typed_in"], verb, body, entered))

    def _citizen(self, body: etree._Element, call: Call) -> Citizen:
        cpr = _t(body, "PersonCivilRegistrationIdentifier")
        call.summary["cpr"] = cpr
        citizen = self.citizens.get(cpr or "")
        if citizen is None:
            raise SkrFault(v.SKR_FAULT_UNKNOWN_CITIZEN, f"Ukendt borger {cpr}", "PersonCivilRegistrationIdentifier")
        if citizen.deceased:
            raise SkrFault(v.SKR_FAULT_CITIZEN_DECEASED, "Borgeren er død", "PersonCivilRegistrationIdentifier")
        return citizen

    def _entered(self, call: Call, body: etree._Element) -> Json:
        card, hs = call.gate.card, call.gate.hsuid
        by = body.find(f"{{{SKR}}}EnteredBy")
        name = _t(by, "Name") or (card.user_name if card else None) or "Sundhedsprofessionel"
        org = _t(by, "OrganisationName") or (hs.org_responsible_name if hs else None) or (
            card.care_provider_name if card else None)
        return {"by": "EnteredHealthcareprofessional", "name": name, "organisation": org,
                "sor": hs.org_using_id if hs else None,
                "cpr": (hs.acting_user_cpr if hs else None) or (card.user_cpr if card else None),
                "at": self.clock.now().isoformat()}


def _split(op: str) -> tuple[str, str]:
    for verb in ("Create", "Update", "Delete"):
        if op.startswith(verb) and op[len(verb):] in _HANDLERS:
            return verb, op[len(verb):]
    raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"Ukendt operation {op!r}")


def _target_id(verb: str, body: etree._Element) -> str:
    if verb == "Create":
        return str(uuid.uuid4())
    item_id = _t(body, "Id")
    if not item_id:
        raise SkrFault(v.SKR_FAULT_UNKNOWN_ITEM, "Id mangler", "Id")
    return item_id


def _unknown(item_id: str) -> SkrFault:
    return SkrFault(v.SKR_FAULT_UNKNOWN_ITEM, f"Ukendt element {item_id}", "Id")


def _section(body: etree._Element, name: str, verb: str) -> etree._Element:
    el = body.find(f"{{{SKR}}}{name}")
    if el is None and verb != "Delete":
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"{name} mangler", name)
    return el if el is not None else etree.Element("none")


def _phones(parent: etree._Element, field: str) -> list[Json]:
    return [{"use": rules.phone_use(p.get("use"), field), "value": (p.text or "").strip()}
            for p in _all(parent, "Phone")]


def _address(parent: etree._Element) -> Json:
    lines = [(e.text or "").strip() for e in _all(parent, "AddressLine")]
    out: Json = {"lines": lines}
    for key, name in (("postal_code", "PostalCode"), ("city", "City"), ("country", "Country")):
        if _t(parent, name):
            out[key] = _t(parent, name)
    return out


def _list_item(items: list[Json], verb: str, item_id: str, new: Json | None) -> str:
    index = next((i for i, item in enumerate(items) if item["id"] == item_id), None)
    if verb == "Create":
        assert new is not None
        items.append(new)
    elif index is None:
        raise _unknown(item_id)
    elif verb == "Delete":
        items.pop(index)
    else:
        assert new is not None
        items[index] = new
    return item_id


def _single_item(typed: Json, key: str, verb: str, item_id: str, new: Json | None) -> str:
    current = typed.get(key)
    if verb != "Create" and (current is None or current.get("id") != item_id):
        raise _unknown(item_id)
    typed[key] = None if verb == "Delete" else new
    return item_id


def _relative(typed: Json, verb: str, body: etree._Element, entered: Json) -> str:
    item_id = _target_id(verb, body)
    new = None
    if verb != "Delete":
        rel = _section(body, "Relative", verb)
        given, family, relation, note = (_t(rel, n) for n in ("GivenName", "FamilyName", "Relation", "Note"))
        if not given:
            raise SkrFault(v.SKR_FAULT_RELATIVE_GIVEN_NAME_MISSING, "Pårørendes fornavn mangler", "Relative/GivenName")
        for value, field in ((given, "GivenName"), (family, "FamilyName"), (relation, "Relation"), (note, "Note")):
            rules.no_cpr(value, f"Relative/{field}")
        new = {"id": item_id, "given": given, "family": family or "", "relation": relation or "",
               "phones": _phones(rel, "Relative/Phone"), "note": note or "", "entered": entered}
    return _list_item(typed["relatives"], verb, item_id, new)


def _temporary_address(typed: Json, verb: str, body: etree._Element, entered: Json) -> str:
    if verb == "Create" and typed.get("temporary_address"):
        raise SkrFault(v.SKR_FAULT_TEMPORARY_ADDRESS_EXISTS, "Borgeren har allerede en midlertidig adresse",
                       "TemporaryAddress")
    item_id = _target_id(verb, body)
    new = None
    if verb != "Delete":
        el = _section(body, "TemporaryAddress", verb)
        start, end = rules.period(_given(el, "From"), _given(el, "To"))
        new = {"id": item_id, "address": _address(el), "from": start, "to": end, "entered": entered}
    return _single_item(typed, "temporary_address", verb, item_id, new)


def _language(typed: Json, verb: str, body: etree._Element, entered: Json) -> str:
    item_id = _target_id(verb, body)
    new = None
    if verb != "Delete":
        el = _section(body, "Language", verb)
        new = {"id": item_id, "code": rules.language(_t(el, "Code")), "entered": entered}
    return _single_item(typed, "language", verb, item_id, new)


def _patient_contact(typed: Json, verb: str, body: etree._Element, entered: Json) -> str:
    item_id = _target_id(verb, body)
    new = None
    if verb != "Delete":
        phones = _phones(_section(body, "PatientContact", verb), "PatientContact/Phone")
        if len(phones) != 1 or not phones[0]["value"]:
            raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Angiv præcis ét telefonnummer", "PatientContact/Phone")
        new = {"id": item_id, **phones[0], "entered": entered}
    return _list_item(typed["contact_phones"], verb, item_id, new)


def _dentist(typed: Json, verb: str, body: etree._Element, entered: Json) -> str:
    item_id = _target_id(verb, body)
    new: Json | None = None
    if verb != "Delete":
        el = _section(body, "Dentist", verb)
        new = {"id": item_id, "entered": entered, "address": _address(el)}
        for key, name in (("yder_number", "YderNumber"), ("name", "Name"), ("clinic", "Clinic"), ("phone", "Phone")):
            if _t(el, name):
                new[key] = _t(el, name)
    return _single_item(typed, "dentist", verb, item_id, new)


_HANDLERS: dict[str, Callable[[Json, str, etree._Element, Json], str]] = {
    "Relative": _relative,
    "TemporaryAddress": _temporary_address,
    "Language": _language,
    "PatientContact": _patient_contact,
    "Dentist": _dentist,
}


def operation(body: etree._Element | None, action: str | None) -> str | None:
    name = local_name(body)
    if name and name.endswith("Request") and body is not None and etree.QName(body).namespace == SKR:
        return name[: -len("Request")]
    return name


def requirement(config: RuntimeConfig) -> Requirement:
    if config.skr_mode == "legacy":
        return Requirement(min_level=4, card_type="user")
    return Requirement(min_level=3, card_type="system", require_hsuid=True)
