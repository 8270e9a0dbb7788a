"""The typed-in (SKR) entries: language, temporary address, dentist, patient contact, relatives.

Written as MedCom's PDC-DK 3.0 examples write them: the author's CPR masked (``MSK``), a citizen or relative named
by their name, a health professional by the SOR code and name of their organisation; a relation as its MedCom
code with the display name; the dentist with title, given and family name and then the clinic as a ``TN`` (in SDS's order: MedCom's maximal
example names the clinic first), or, as one example does, as an ``EN`` whose given name is the clinic.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc import datatypes as dt
from mock_nsp.pdc import narrative
from mock_nsp.pdc.common import DISPLAY, BuildContext, observation
from mock_nsp.pdc.xml import XSI_TYPE, sub
from mock_nsp.registers.clock import hl7_ts, parse_instant

Json = dict[str, Any]


def typed_in_author(obs: etree._Element, entered: Json) -> None:
    author = sub(obs, "author")
    sub(author, "templateId", root=v.AUTHOR_TEMPLATE_TYPED_IN, extension=v.ENTRY_TEMPLATE_EXT)
    author_time(author, entered.get("at"))
    assigned = sub(author, "assignedAuthor")
    by = entered.get("by", "EnteredCitizen")
    professional = by == "EnteredHealthcareprofessional" and entered.get("sor")
    if professional:
        sub(assigned, "id", root=v.OID_SOR, extension=entered["sor"], assigningAuthorityName="SOR")
    else:
        sub(assigned, "id", root=v.OID_CPR, extension=v.MASKED_CPR, assigningAuthorityName="CPR")
    entered_code(assigned, by)
    if not professional:
        dt.name(sub(assigned, "assignedPerson"), "name", dt.split_name(entered.get("name") or ""))
    if by == "EnteredHealthcareprofessional" and entered.get("organisation"):
        sub(sub(assigned, "representedOrganization"), "name", text=entered["organisation"])


def entered_code(assigned: etree._Element, by: str) -> None:
    sub(assigned, "code", code=by, codeSystem=v.OID_MEDCOM_MESSAGE_CODES, codeSystemName="MedCom Message Codes",
        displayName=v.ENTERED_BY_DISPLAY.get(by, by))


def author_time(author: etree._Element, at: str | None) -> None:
    if at:
        sub(author, "time", value=hl7_ts(parse_instant(at)))
    else:
        sub(author, "time", nullFlavor="NI")


def relation(parent: etree._Element, code: str, display: str | None) -> str:
    """The relation's CD (MedCom Relation Codes); returns the display name the narrative shows."""
    shown = display or v.relation_display(code)
    sub(parent, "value", **{XSI_TYPE: "CD"}, code=code, codeSystem=v.OID_MEDCOM_RELATION_CODES,
        codeSystemName="MedCom Relation Codes", displayName=shown)
    return shown


def _typed(data: Json, ctx: BuildContext, key: str) -> Any:
    if not ctx.available("skr"):
        return None
    return (data.get("typed_in") or {}).get(key)


def language(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    item = _typed(data, ctx, "language")
    if not item:
        return
    obs = observation(section, "LanguageTypedIn", "1.2.208.184.15.7", item["id"], fsk=True)
    display = item.get("display") or item["code"]
    sub(obs, "value", **{XSI_TYPE: "CD"}, code=item["code"], codeSystem=v.OID_ISO_639_1, codeSystemName="ISO-639-1",
        displayName=display)
    typed_in_author(obs, item["entered"])
    table.typed_row(DISPLAY["LanguageTypedIn"], [display], item["entered"])


def temp_address(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    item = _typed(data, ctx, "temporary_address")
    if not item:
        return
    obs = observation(section, "TempAddrTypedIn", "1.2.208.184.15.2", item["id"])
    period = sub(obs, "effectiveTime")
    _period_bound(period, "low", item.get("from"))
    _period_bound(period, "high", item.get("to"))
    dt.addr(obs, "value", item["address"], use="H", typed="AD")
    typed_in_author(obs, item["entered"])
    span = f"Periode: {item.get('from') or ''} - {item.get('to') or ''}"
    table.typed_row(DISPLAY["TempAddrTypedIn"], [span, *narrative.address_lines(item["address"])], item["entered"])


def _period_bound(period: etree._Element, tag: str, day: str | None) -> None:
    if day:
        sub(period, tag, value=hl7_ts(parse_instant(f"{day}T00:00:00")))
    else:
        sub(period, tag, nullFlavor="NI")


def dentist_phones(item: Json) -> list[str]:
    """The dentist's phone numbers: ``phones`` (several), or the one ``phone``."""
    return [str(p) for p in item.get("phones") or ([item["phone"]] if item.get("phone") else [])]


def dentist(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    item = _typed(data, ctx, "dentist")
    if not item:
        return
    obs = observation(section, "DentistTypedIn", "1.2.208.184.15.13", item["id"])
    if item.get("yder_number"):
        sub(obs, "value", **{XSI_TYPE: "II"}, root=v.OID_YDER, extension=item["yder_number"],
            assigningAuthorityName="Yderregisteret")
    person = item.get("person") or (dt.split_name(item["name"]) if item.get("name") else None)
    if person:
        dt.name(obs, "value", person, typed="PN")
    clinic = item.get("clinic")
    if clinic and item.get("clinic_as") == "EN":
        dt.name(obs, "value", {"given": [clinic], "family": ""}, typed="EN")
    elif clinic:
        sub(obs, "value", **{XSI_TYPE: "TN"}, text=clinic)
    if item.get("address"):
        dt.addr(obs, "value", item["address"], use="WP", typed="AD")
    phones = dentist_phones(item)
    for phone in phones:
        sub(obs, "value", **{XSI_TYPE: "TEL"}, use="WP", value=dt.tel(phone))
    typed_in_author(obs, item["entered"])
    shown = clinic or item.get("name") or ""
    lines = [shown, *narrative.address_lines(item.get("address") or {}), *(dt.tel(p) for p in phones)]
    table.typed_row(DISPLAY["DentistTypedIn"], [x for x in lines if x], item["entered"])


def contacts(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    phones = _typed(data, ctx, "contact_phones") or []
    if not phones:
        return
    obs = observation(section, "PatientContactTypedIn", "1.2.208.184", phones[0]["id"])
    for phone in phones:
        sub(obs, "value", **{XSI_TYPE: "TEL"}, use=phone["use"], value=dt.tel(phone["value"]))
    latest = max((p["entered"] for p in phones), key=lambda e: parse_instant(e["at"]) if e.get("at") else _NEVER)
    typed_in_author(obs, latest)
    table.typed_row(DISPLAY["PatientContactTypedIn"], [dt.tel(p["value"]) for p in phones], latest)


_NEVER = parse_instant("1800-01-01T00:00:00+00:00")


def relatives(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    for rel in _typed(data, ctx, "relatives") or []:
        obs = observation(section, "RelativeTypedIn", "1.2.208.184.15.3", rel["id"])
        name = {"given": [rel["given"]] if rel.get("given") else [], "family": rel.get("family", "")}
        dt.name(obs, "value", name, typed="PN")
        shown = relation(obs, rel["relation"], rel.get("relation_display")) if rel.get("relation") else ""
        for phone in rel.get("phones", []):
            sub(obs, "value", **{XSI_TYPE: "TEL"}, use=phone["use"], value=dt.tel(phone["value"]))
        if rel.get("note"):
            sub(obs, "value", **{XSI_TYPE: "ST"}, text=rel["note"])
        typed_in_author(obs, rel["entered"])
        lines = [narrative.full_name(name), shown, *(dt.tel(p["value"]) for p in rel.get("phones", [])),
                 rel.get("note") or ""]
        table.typed_row(DISPLAY["RelativeTypedIn"], [x for x in lines if x], rel["entered"])
