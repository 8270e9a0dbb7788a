"""The CDA structures of SKR writes: an item is the typed-in entry the PDC shows (docs/skr.md).

A create or update carries the item as an ``hl7:observation`` with the entry's template, its ``id`` (the SKR id
root, a UUID extension the client made), its ``code`` and its typed values (PN, CD, TEL, ST, AD, II, TN/EN), as
MedCom's PDC-DK 3.0 examples show them; the author is SKR's to set (from the caller's ID card and HSUID), so an
author in the request is read only for the organisation's name. Each function turns one item into the register's
model (docs/ARCHITECTURE.md, ``typed_in``) and applies SKR's rules (`skr_rules`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.services import skr_rules as rules
from mock_nsp.services.skr_rules import SkrFault

CDA = v.NS["cda"]
XSI_TYPE = f"{{{v.NS['xsi']}}}type"
Json = dict[str, Any]


def _q(local: str) -> str:
    return f"{{{CDA}}}{local}"


def values(obs: etree._Element, typed: str) -> list[etree._Element]:
    """The entry's values of one xsi:type (``PN``, ``CD``, …; a prefix on the type is allowed)."""
    return [el for el in obs.findall(_q("value")) if (el.get(XSI_TYPE) or "").rpartition(":")[2] == typed]


def _text(el: etree._Element | None) -> str:
    return (el.text or "").strip() if el is not None else ""


def _person(el: etree._Element) -> Json:
    return {"prefix": [_text(p) for p in el.findall(_q("prefix")) if _text(p)],
            "given": [_text(g) for g in el.findall(_q("given")) if _text(g)],
            "family": _text(el.find(_q("family")))}


def address(el: etree._Element) -> Json:
    out: Json = {"lines": [_text(line) for line in el.findall(_q("streetAddressLine")) if _text(line)]}
    for key, child in (("postal_code", "postalCode"), ("city", "city"), ("country", "country")):
        if _text(el.find(_q(child))):
            out[key] = _text(el.find(_q(child)))
    return out


def _phone(el: etree._Element, field: str) -> Json:
    number = (el.get("value") or "").removeprefix("tel:").strip()
    if not number:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Telefonnummer mangler", field)
    return {"use": rules.phone_use(el.get("use"), field), "value": number}


def organisation(obs: etree._Element) -> str | None:
    """The organisation a request's author names (``representedOrganization/name``), if it names one."""
    return _text(obs.find(f"{_q('author')}/{_q('assignedAuthor')}/{_q('representedOrganization')}/{_q('name')}")) or None


def relative(obs: etree._Element, code: str) -> Json:
    names = values(obs, "PN")
    person = _person(names[0]) if names else {"given": [], "family": ""}
    given, family = " ".join(person["given"]), str(person["family"])
    if not given:
        raise SkrFault(v.SKR_FAULT_RELATIVE_GIVEN_NAME_MISSING, "Pårørendes fornavn mangler", f"{code}/value[PN]/given")
    relation = values(obs, "CD")
    item: Json = {"given": given, "family": family, "phones": [], "note": ""}
    rules.no_cpr(given, f"{code}/value[PN]/given")
    rules.no_cpr(family, f"{code}/value[PN]/family")
    if relation:
        item["relation"] = relation[0].get("code") or ""
        rules.no_cpr(item["relation"], f"{code}/value[CD]/@code")
        if relation[0].get("displayName"):
            item["relation_display"] = relation[0].get("displayName")
            rules.no_cpr(item["relation_display"], f"{code}/value[CD]/@displayName")
    item["phones"] = [_phone(el, f"{code}/value[TEL]") for el in values(obs, "TEL")]
    notes = values(obs, "ST")
    if notes and (notes[0].text or "").strip():
        item["note"] = notes[0].text
        rules.no_cpr(item["note"], f"{code}/value[ST]")
    return item


def temporary_address(obs: etree._Element, code: str) -> Json:
    places = values(obs, "AD")
    if not places:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Adressen mangler", f"{code}/value[AD]")
    period = obs.find(_q("effectiveTime"))
    low = period.find(_q("low")) if period is not None else None
    high = period.find(_q("high")) if period is not None else None
    start, end = rules.period(_bound(low), _bound(high), f"{code}/effectiveTime")
    return {"address": address(places[0]), "from": start, "to": end}


def _bound(el: etree._Element | None) -> str | None:
    """A period bound's value; absent or ``nullFlavor`` (an open end) is None."""
    if el is None or el.get("nullFlavor"):
        return None
    return el.get("value") or ""


def language(obs: etree._Element, code: str) -> Json:
    coded = values(obs, "CD")
    item: Json = {"code": rules.language(coded[0].get("code") if coded else None, f"{code}/value[CD]/@code")}
    if coded and coded[0].get("displayName"):
        item["display"] = coded[0].get("displayName")
    return item


def patient_contact(obs: etree._Element, code: str) -> Json:
    phones = values(obs, "TEL")
    if len(phones) != 1:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Angiv præcis ét telefonnummer", f"{code}/value[TEL]")
    return _phone(phones[0], f"{code}/value[TEL]")


def dentist(obs: etree._Element, code: str) -> Json:
    item: Json = {}
    ids = values(obs, "II")
    if ids and ids[0].get("extension"):
        item["yder_number"] = ids[0].get("extension")
    names = values(obs, "PN")
    if names:
        item["person"] = _person(names[0])
        item["name"] = " ".join([*item["person"]["given"], item["person"]["family"]]).strip()
    clinics, entities = values(obs, "TN"), values(obs, "EN")
    if clinics and _text(clinics[0]):
        item["clinic"] = _text(clinics[0])
    elif entities:
        item["clinic"], item["clinic_as"] = " ".join(_person(entities[0])["given"]), "EN"
    places = values(obs, "AD")
    if places:
        item["address"] = address(places[0])
    item["phones"] = [_phone(el, f"{code}/value[TEL]")["value"] for el in values(obs, "TEL")]
    if not (item.get("name") or item.get("clinic") or item.get("yder_number")):
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Tandlægen mangler navn, klinik eller ydernummer", f"{code}/value")
    return item


#: the PDC entry code → how its values become the register's item
PARSERS: dict[str, Callable[[etree._Element, str], Json]] = {
    "RelativeTypedIn": relative,
    "TempAddrTypedIn": temporary_address,
    "LanguageTypedIn": language,
    "PatientContactTypedIn": patient_contact,
    "DentistTypedIn": dentist,
}
