"""The typed-in (SKR) entries: language, temporary address, dentist, patient contact, relatives."""

from __future__ import annotations

from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc import datatypes as dt
from mock_nsp.pdc import narrative
from mock_nsp.pdc.common import DISPLAY, ENTERED_DISPLAY, BuildContext, observation
from mock_nsp.pdc.xml import XSI_TYPE, sub
from mock_nsp.registers.clock import hl7_ts, parse_instant

Json = dict[str, Any]


def typed_in_author(obs: etree._Element, entered: Json) -> None:
    author = sub(obs, "author")
    sub(author, "templateId", root=v.AUTHOR_TEMPLATE_TYPED_IN, extension=v.ENTRY_TEMPLATE_EXT)
    sub(author, "time", value=hl7_ts(parse_instant(entered["at"])))
    assigned = sub(author, "assignedAuthor")
    sub(assigned, "id", root=v.OID_CPR, extension=v.MASKED_CPR, assigningAuthorityName="CPR")
    by = entered.get("by", "EnteredCitizen")
    sub(assigned, "code", code=by, codeSystem=v.OID_MEDCOM_MESSAGE_CODES, codeSystemName="MedCom Message Codes",
        displayName=str(ENTERED_DISPLAY.get(by, by)))
    given, _, family = (entered.get("name") or "").rpartition(" ")
    dt.name(sub(assigned, "assignedPerson"), "name", {"given": given.split() if given else [], "family": family})
    if by == "EnteredHealthcareprofessional" and entered.get("organisation"):
        org = sub(assigned, "representedOrganization")
        if entered.get("sor"):
            sub(org, "id", root=v.OID_SOR, extension=entered["sor"], assigningAuthorityName="SOR")
        sub(org, "name", text=entered["organisation"])


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


def dentist(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    item = _typed(data, ctx, "dentist")
    if not item:
        return
    obs = observation(section, "DentistTypedIn", "1.2.208.184.15.13", item["id"])
    if item.get("yder_number"):
        sub(obs, "value", **{XSI_TYPE: "II"}, root=v.OID_YDER, extension=item["yder_number"],
            assigningAuthorityName="Yderregisteret")
    given, _, family = (item.get("name") or "").rpartition(" ")
    dt.name(obs, "value", {"given": given.split() if given else [], "family": family}, typed="PN")
    if item.get("clinic"):
        sub(obs, "value", **{XSI_TYPE: "TN"}, text=item["clinic"])
    if item.get("address"):
        dt.addr(obs, "value", item["address"], use="WP", typed="AD")
    if item.get("phone"):
        sub(obs, "value", **{XSI_TYPE: "TEL"}, use="WP", value=dt.tel(item["phone"]))
    typed_in_author(obs, item["entered"])
    lines = [item.get("name") or "", item.get("clinic") or "", *narrative.address_lines(item.get("address") or {})]
    if item.get("phone"):
        lines.append(dt.tel(item["phone"]))
    table.typed_row(DISPLAY["DentistTypedIn"], [x for x in lines if x], item["entered"])


def contacts(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    phones = _typed(data, ctx, "contact_phones") or []
    if not phones:
        return
    obs = observation(section, "PatientContactTypedIn", "1.2.208.184", phones[0]["id"])
    for phone in phones:
        sub(obs, "value", **{XSI_TYPE: "TEL"}, use=phone["use"], value=dt.tel(phone["value"]))
    latest = max((p["entered"] for p in phones), key=lambda e: parse_instant(e["at"]))
    typed_in_author(obs, latest)
    table.typed_row(DISPLAY["PatientContactTypedIn"], [dt.tel(p["value"]) for p in phones], latest)


def relatives(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    for rel in _typed(data, ctx, "relatives") or []:
        obs = observation(section, "RelativeTypedIn", "1.2.208.184.15.3", rel["id"])
        name = {"given": [rel["given"]] if rel.get("given") else [], "family": rel.get("family", "")}
        dt.name(obs, "value", name, typed="PN")
        relation = rel.get("relation")
        if relation:
            sub(obs, "value", **{XSI_TYPE: "CD"}, code=relation, codeSystem=v.OID_MEDCOM_RELATION_CODES,
                codeSystemName="MedCom Relation Codes", displayName=relation)
        for phone in rel.get("phones", []):
            sub(obs, "value", **{XSI_TYPE: "TEL"}, use=phone["use"], value=dt.tel(phone["value"]))
        if rel.get("note"):
            sub(obs, "value", **{XSI_TYPE: "ST"}, text=rel["note"])
        typed_in_author(obs, rel["entered"])
        lines = [narrative.full_name(name), relation or "", *(dt.tel(p["value"]) for p in rel.get("phones", [])),
                 rel.get("note") or ""]
        table.typed_row(DISPLAY["RelativeTypedIn"], [x for x in lines if x], rel["entered"])
