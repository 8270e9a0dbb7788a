"""Builds the PDC-DK 3.0 (Fælles Stamkort) CDA from the register state at request time (SPEC §3.3, domain §2)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc import datatypes as dt
from mock_nsp.pdc import narrative, typed_in
from mock_nsp.pdc.common import DISPLAY, BuildContext, observation
from mock_nsp.pdc.xml import CDA, XSI_TYPE, sub
from mock_nsp.registers import fgvh
from mock_nsp.registers.citizens import Citizen
from mock_nsp.registers.clock import hl7_ts, parse_instant

__all__ = ["BuildContext", "BuildError", "TemplateCache", "build", "cache_key", "fgvh_value", "render", "template"]
Json = dict[str, Any]
_SDS = "Sundhedsdatastyrelsen"


#: where SDS's and MedCom's PDC-DK documents say their schema is
SCHEMA_LOCATION = "urn:hl7-org:v3 http://svn.medcom.dk/svn/releases/Standarder/HL7/Generic/Schema/CDA_SDTC.xsd"
NOW = "\ue000now\ue000"
DOC_ID = "\ue000document-id\ue000"


def build(citizen: Citizen, ctx: BuildContext) -> bytes:
    """The CDA document as UTF-8 bytes."""
    return render(template(citizen, ctx), ctx.now)


def render(tpl: bytes, now: datetime) -> bytes:
    """Fill a template's time of building and document id."""
    return tpl.replace(NOW.encode(), hl7_ts(now).encode()).replace(DOC_ID.encode(), str(uuid.uuid4()).encode())


class BuildError(ValueError):
    """The register state cannot be made into a PDC; `path` is the JSON pointer of the part that failed."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def template(citizen: Citizen, ctx: BuildContext) -> bytes:
    """The document with placeholders for the time of building and the document id: everything else
    depends only on the register state (see `cache_key`)."""
    nsmap: dict[str | None, str] = {None: v.NS["cda"], "xsi": v.NS["xsi"], "sdtc": v.NS["sdtc"]}
    doc = etree.Element(f"{CDA}ClinicalDocument", nsmap=nsmap, moodCode="EVN")  # type: ignore[arg-type]
    doc.set(f"{{{v.NS['xsi']}}}schemaLocation", SCHEMA_LOCATION)
    with _part("/"):
        _header(doc, citizen, ctx)
    section = _section(doc)
    table = narrative.Table(section)
    for add, path in _ENTRIES:
        with _part(path):
            add(section, table, citizen.data, ctx)
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8")


@contextmanager
def _part(path: str) -> Iterator[None]:
    """Name the part of the citizen being built when it fails (the control plane answers 422 with it)."""
    try:
        yield
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise BuildError(path, f"cannot build the PDC: {type(exc).__name__}: {exc}") from exc


# --- header ------------------------------------------------------------------------------------------
def _header(doc: etree._Element, citizen: Citizen, ctx: BuildContext) -> None:
    ts = NOW
    sub(doc, "realmCode", code="DK")
    sub(doc, "typeId", root="2.16.840.1.113883.1.3", extension="POCD_HD000040")
    ext = v.PDC_TEMPLATE_EXT_V3 if ctx.variant == "v3" else "2.0"
    sub(doc, "templateId", root=v.PDC_TEMPLATE_ROOT, extension=ext)
    sub(doc, "id", root="1.2.208.184", extension=DOC_ID, assigningAuthorityName="MedCom")
    sub(doc, "code", code="PDC", codeSystem=v.OID_MEDCOM_MESSAGE_CODES, codeSystemName="MedCom Message Codes",
        displayName="Stamkort")
    sub(doc, "title", text=f"Personal Data Card for {citizen.cpr}")
    sub(doc, "effectiveTime", value=ts)
    sub(doc, "confidentialityCode", code="N", codeSystem="2.16.840.1.113883.5.25")
    sub(doc, "languageCode", code="da-DK")
    _record_target(doc, citizen, ctx)
    _sds_author(doc, ts)
    _custodian(doc)
    _service_events(doc, ts, ctx.variant)


def _record_target(doc: etree._Element, citizen: Citizen, ctx: BuildContext) -> None:
    data = citizen.data
    role = sub(sub(doc, "recordTarget", typeCode="RCT", contextControlCode="OP"), "patientRole", classCode="PAT")
    sub(role, "id", root=v.OID_CPR, extension=citizen.cpr, assigningAuthorityName="CPR")
    dt.addr(role, "addr", dt.shown_address(data, ctx.protected_marker, header=True), use="H")
    patient = sub(role, "patient", classCode="PSN")
    dt.name(patient, "name", dt.shown_name(data, ctx.protected_marker))
    sub(patient, "administrativeGenderCode", code=data.get("sex", "UN"), codeSystem="2.16.840.1.113883.5.1")
    if data.get("birth_date"):
        sub(patient, "birthTime", value=str(data["birth_date"]).replace("-", ""))
    if data.get("gp") and ctx.available("yder"):
        _gp(role, data["gp"])


def _gp(role: etree._Element, gp: Json) -> None:
    org = sub(role, "providerOrganization")
    sub(org, "id", root=v.OID_YDER, extension=gp["yder_number"], assigningAuthorityName="Yderregisteret")
    sub(org, "name", text=gp["name"])
    for phone in gp.get("phones", []):
        sub(org, "telecom", use=phone["use"], value=dt.tel(phone["value"]))
    if gp.get("email"):
        sub(org, "telecom", use="HP", value=f"mailto:{gp['email']}")
    if gp.get("address"):
        dt.addr(org, "addr", gp["address"], use="H")


def _sds_author(doc: etree._Element, ts: str) -> None:
    author = sub(doc, "author")
    sub(author, "time", value=ts)
    assigned = sub(author, "assignedAuthor")
    sub(assigned, "id", root=v.OID_SOR, extension=v.SDS_SOR_CODE, assigningAuthorityName="SOR")
    sub(sub(assigned, "representedOrganization"), "name", text=_SDS)


def _custodian(doc: etree._Element) -> None:
    org = sub(sub(sub(doc, "custodian"), "assignedCustodian"), "representedCustodianOrganization")
    sub(org, "id", root=v.OID_SOR, extension=v.SDS_SOR_CODE, assigningAuthorityName="SOR")
    sub(org, "name", text=_SDS)


def _service_events(doc: etree._Element, ts: str, variant: str) -> None:
    event = sub(sub(doc, "documentationOf", typeCode="DOC"), "serviceEvent", classCode="ACT", moodCode="EVN")
    sub(event, "templateId", root="1.2.208.184.10.1.11")
    period = sub(event, "effectiveTime")
    sub(period, "low", value=ts)
    sub(period, "high", nullFlavor="NA")
    event = sub(sub(doc, "documentationOf", typeCode="DOC"), "serviceEvent", classCode="ACT", moodCode="EVN")
    sub(event, "templateId", root="1.2.208.184.10.1.10", extension="2019-09-10")
    code = v.PDC_SERVICE_EVENT_V3 if variant == "v3" else "pdc-v2.0"
    sub(event, "id", root=v.FORMAT_CODING_SCHEME, extension=code, assigningAuthorityName="MedCom")


def _section(doc: etree._Element) -> etree._Element:
    body = sub(sub(doc, "component", typeCode="COMP", contextConductionInd="true"), "structuredBody",
               classCode="DOCBODY", moodCode="EVN")
    section = sub(sub(body, "component", typeCode="COMP", contextConductionInd="true"), "section",
                  classCode="DOCSECT", moodCode="EVN")
    sub(section, "templateId", root=v.PDC_SECTION_TEMPLATE, extension=v.ENTRY_TEMPLATE_EXT)
    return section


# --- entries -----------------------------------------------------------------------------------------
#: register → (author id root, author assigningAuthorityName, organisation name)
_REGISTER_AUTHOR = {
    "cpr": (v.OID_CPR, "CPR", "CPR"),
    "sygesikring": ("1.2.208.176.2.7", "Sygesikringen", "Sygesikringen"),
    "organ_donor": ("1.2.208.176.1.10", "CPR", "Dansk Center For Organdonation"),
    "treatment_will": ("1.2.208.176.1.9", _SDS, _SDS),
    "living_will": ("1.2.208.176.1.8", _SDS, _SDS),
    "fgvh": ("1.2.208.176.1.8", _SDS, _SDS),
}


def _register_author(obs: etree._Element, register: str, at: str | None = None) -> None:
    root, authority, org = _REGISTER_AUTHOR[register]
    author = sub(obs, "author")
    sub(author, "templateId", root=v.AUTHOR_TEMPLATE_REGISTER, extension=v.ENTRY_TEMPLATE_EXT)
    typed_in.author_time(author, at)
    assigned = sub(author, "assignedAuthor")
    sub(assigned, "id", root=root, extension="NI", assigningAuthorityName=authority)
    sub(sub(assigned, "representedOrganization"), "name", text=org)


def _name_addr(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    obs = observation(section, "CitizenNameAddr")
    name, addr = dt.shown_name(data, ctx.protected_marker), dt.shown_address(data, ctx.protected_marker)
    dt.name(obs, "value", name, typed="PN")
    if data.get("protected"):
        dt.protection_marker(obs)
    dt.addr(obs, "value", addr, use="H", typed="AD")
    _register_author(obs, "cpr")
    shown = [ctx.protected_marker, ctx.protected_marker] if data.get("protected") else [
        narrative.full_name(name), *narrative.address_lines(addr)]
    table.row(DISPLAY["CitizenNameAddr"], shown, "CPR")


def _coverage(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    obs = observation(section, "CoverageGroup")
    group = str(data.get("coverage_group", "1"))
    sub(obs, "value", **{XSI_TYPE: "II"}, root="1.2.208.176.1.99.99.99", extension=group,
        assigningAuthorityName="Sygesikringen")
    _register_author(obs, "sygesikring")
    table.row(DISPLAY["CoverageGroup"], [group], "CPR")


def _flag(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext,
          code: str, register: str, value_root: str) -> None:
    obs = observation(section, code)
    _, _, org = _REGISTER_AUTHOR[register]
    if ctx.available(register):
        flag = "true" if data.get(register) else "false"
        sub(obs, "value", **{XSI_TYPE: "II"}, root=value_root, extension=flag, assigningAuthorityName=org)
        shown = "Ja" if flag == "true" else "Nej"
    else:
        sub(obs, "value", **{XSI_TYPE: "II"}, nullFlavor="NAV")
        shown = v.FGVH_TEXT_NAV
    _register_author(obs, register)
    table.row(DISPLAY[code], [shown], org)


def _organ_donor(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    _flag(section, table, data, ctx, "OrganDonorRegistration", "organ_donor", "1.2.208.176.1.10")


def _treatment_will(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    _flag(section, table, data, ctx, "TreatmentWillRegistration", "treatment_will", "1.2.208.176.1.9")


def _living_will(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    _flag(section, table, data, ctx, "LivingWillRegistration", "living_will", "1.2.208.176.1.8")


def cache_key(citizen: Citizen, ctx: BuildContext) -> tuple[object, ...]:
    """Everything a template depends on; FGVH's value is the only part that changes with time."""
    return (citizen.cpr, citizen.version, ctx.variant, fgvh_value(citizen.data, ctx), ctx.unavailable,
            ctx.protected_marker)


class TemplateCache:
    """Bounded cache of templates by `cache_key`; a hit still renders a fresh time and document id."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._items: dict[tuple[object, ...], bytes] = {}

    def document(self, citizen: Citizen, ctx: BuildContext) -> bytes:
        key = cache_key(citizen, ctx)
        tpl = self._items.get(key)
        if tpl is None:
            if len(self._items) >= self.size:
                self._items.clear()
            tpl = self._items[key] = template(citizen, ctx)
        return render(tpl, ctx.now)


def fgvh_value(data: Json, ctx: BuildContext) -> str:
    f = data.get("fgvh") or {}
    reg, wd = f.get("registered_at"), f.get("withdrawn_at")
    return fgvh.value(parse_instant(reg) if reg else None, parse_instant(wd) if wd else None, ctx.now,
                      ctx.available("fgvh"))


def _fgvh(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    if ctx.variant != "v3":
        return
    obs = observation(section, "NoResuscitationRegistration")
    state = fgvh_value(data, ctx)
    if state == fgvh.NAV:
        sub(obs, "value", **{XSI_TYPE: "II"}, nullFlavor="NAV")
    else:
        sub(obs, "value", **{XSI_TYPE: "II"}, root=v.OID_FGVH_VALUE, extension=state, assigningAuthorityName=_SDS)
    _register_author(obs, "fgvh", None if state == fgvh.NAV else _fgvh_changed(data))
    text = {fgvh.TRUE: v.FGVH_TEXT_TRUE, fgvh.FALSE: v.FGVH_TEXT_FALSE}.get(state, v.FGVH_TEXT_NAV)
    table.row(DISPLAY["NoResuscitationRegistration"], [text], _SDS)


def _fgvh_changed(data: Json) -> str | None:
    """When the opt-out was last registered or withdrawn (the entry's author time, as in MedCom's maximal
    examples); None when the citizen never registered one."""
    f = data.get("fgvh") or {}
    times = [t for t in (f.get("registered_at"), f.get("withdrawn_at")) if t]
    return max(times, key=parse_instant) if times else None


def _custody(section: etree._Element, table: narrative.Table, data: Json, ctx: BuildContext) -> None:
    for child in data.get("custody", []):
        obs = observation(section, "ChildCustody")
        sub(obs, "value", **{XSI_TYPE: "II"}, root=v.OID_CPR, extension=child["cpr"], assigningAuthorityName="CPR")
        name = child.get("name") or {"given": [], "family": ""}
        dt.name(obs, "value", name, typed="PN")
        relation = typed_in.relation(obs, child.get("relation", "forældre"), child.get("relation_display"))
        _custody_author(obs, dt.shown_name(data, ctx.protected_marker))
        table.row(DISPLAY["ChildCustody"],
                  [f"Relation: {relation}", f"CPR: {child['cpr']}", f"Navn: {narrative.full_name(name)}"], "CPR")


def _custody_author(obs: etree._Element, citizen: Json) -> None:
    """As MedCom's maximal example: the register template, no time, the citizen (masked CPR) as the one who
    holds the custody."""
    author = sub(obs, "author")
    sub(author, "templateId", root=v.AUTHOR_TEMPLATE_REGISTER, extension=v.ENTRY_TEMPLATE_EXT)
    typed_in.author_time(author, None)
    assigned = sub(author, "assignedAuthor")
    sub(assigned, "id", root=v.OID_CPR, extension=v.MASKED_CPR, assigningAuthorityName="CPR")
    typed_in.entered_code(assigned, "EnteredCitizen")
    dt.name(sub(assigned, "assignedPerson"), "name", citizen)


#: the entry builders in document order, each with the part of the citizen JSON it reads
_ENTRIES: tuple[tuple[Callable[[etree._Element, narrative.Table, Json, BuildContext], None], str], ...] = (
    (_custody, "/custody"), (_name_addr, "/name"), (_coverage, "/coverage_group"), (_organ_donor, "/organ_donor"),
    (_treatment_will, "/treatment_will"), (_living_will, "/living_will"), (_fgvh, "/fgvh"),
    (typed_in.language, "/typed_in/language"), (typed_in.temp_address, "/typed_in/temporary_address"),
    (typed_in.dentist, "/typed_in/dentist"), (typed_in.contacts, "/typed_in/contact_phones"),
    (typed_in.relatives, "/typed_in/relatives"),
)
