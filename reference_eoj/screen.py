"""The screen model (driver contract ``screen-model.schema.json``): what the employee sees of FSK."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import nsp_vocabulary as v
from reference_eoj.clock import COPENHAGEN
from reference_eoj.defects import Defect, Defects
from reference_eoj.pdc import (
    Address,
    Item,
    Pdc,
    PdcError,
    Phone,
    Provenance,
    address,
    bool_extension,
    person,
    phone,
)
from reference_eoj.variants import Variant, Variants
from reference_eoj.xml import text

#: the driver contract version (nspcert/driver/openapi.yaml). The EOJ keeps its own copy rather than import
#: nspcert: it stands alone as the example vendors copy; tests/reference_eoj/test_eoj_contract_copies.py
#: checks that it agrees with nspcert.driver.CONTRACT_VERSION.
CONTRACT_VERSION = "1.3"
FGVH_UNAVAILABLE = f"Fravalg af genoplivningsforsøg: {v.FGVH_TEXT_NAV.lower()}"
FGVH_UNKNOWN = "Fravalg af genoplivningsforsøg: ukendt, Fælles Stamkort kunne ikke hentes"
PROTECTION_WORD = "BESKYTTET"
#: the variant ``fgvh-own-words``: the opt-out status in the system's own words rather than SDS's narrative
FGVH_OWN_WORDS = {
    "opted_out": "Fravalgt genoplivning ved hjertestop",
    "not_opted_out": "Intet fravalg af genoplivning",
    "unavailable": "Fravalg af genoplivning kan ikke oplyses lige nu",
    "unknown": "Ukendt om borgeren har fravalgt genoplivning (Fælles Stamkort kunne ikke læses)",
}
#: the variant ``relations-own-words``: the system's own words for a relation whose display name is other words
RELATION_OWN_WORDS = {"uspec_paaroerende": "Pårørende"}


@dataclass(frozen=True)
class ScreenContext:
    cpr: str
    opened_at: datetime
    defects: Defects
    remembered_address: Address | None = None
    variants: Variants = Variants()


def unreadable(ctx: ScreenContext, message: str) -> dict[str, Any]:
    """The screen when FSK could not be read: FGVH unknown, never 'no opt-out', and the error shown."""
    fgvh = _fgvh("not_opted_out" if Defect.FGVH_ERROR_AS_FALSE in ctx.defects else "unknown", ctx)
    return {
        **_frame(ctx, read=False, document_id=None), "citizen": None, "fgvh": fgvh, "gp": None,
        "coverage_group": None, "registrations": {k: _registration(None, None) for k in _REGISTRATIONS},
        "language": None, "temporary_address": None, "dentist": None, "contact_phones": [], "relatives": [],
        "custody": [], "messages": [{"level": "error", "text": message}],
    }


def empty_stamkort(ctx: ScreenContext) -> dict[str, Any]:
    """Only with the registry-failure-as-empty defect: a search that found nothing taken as an empty stamkort."""
    return {**unreadable(ctx, ""), **_frame(ctx, read=True, document_id=None),
            "fgvh": _fgvh("not_opted_out", ctx), "messages": []}


def from_pdc(pdc: Pdc, ctx: ScreenContext) -> dict[str, Any]:
    tz = UTC if Defect.TIMEZONE_UTC_DISPLAY in ctx.defects else COPENHAGEN
    messages = [] if pdc.template_extension == v.PDC_TEMPLATE_EXT_V3 else [
        {"level": "warning", "text": f"Ukendt version af Fælles Stamkort ({pdc.template_extension})"}]
    return {
        **_frame(ctx, read=True, document_id=pdc.document_id),
        "citizen": _citizen(pdc, ctx, tz),
        "fgvh": _fgvh(_fgvh_state(pdc.first("NoResuscitationRegistration"), ctx.defects), ctx,
                      _fgvh_raw(pdc.first("NoResuscitationRegistration"))),
        "gp": _gp(pdc),
        "coverage_group": _coverage(pdc.first("CoverageGroup"), tz),
        "registrations": {k: _registration(None if Defect.REGISTRATIONS_UNREAD in ctx.defects else pdc.first(code), tz)
                          for k, code in _REGISTRATIONS.items()},
        "language": _language(pdc.first("LanguageTypedIn"), tz),
        "temporary_address": _temporary_address(pdc.first("TempAddrTypedIn"), tz),
        "dentist": _dentist(pdc.first("DentistTypedIn"), tz, ctx),
        "contact_phones": [_with(p, item, tz) for item in pdc.all("PatientContactTypedIn") for p in _phones(item)],
        "relatives": [_relative(item, tz, ctx) for item in pdc.all("RelativeTypedIn")],
        "custody": [_custody(item, tz, ctx) for item in pdc.all("ChildCustody")],
        "messages": messages,
    }


def overview_row(screen: dict[str, Any], defects: Defects) -> dict[str, Any]:
    """A citizen on the employee's citizen list: CPR, name and the FGVH status with its symbol, as on the record."""
    citizen = screen.get("citizen") or {}
    fgvh = dict(screen["fgvh"])
    if Defect.OVERVIEW_WITHOUT_SYMBOL in defects:
        fgvh["symbol_shown"] = False
    return {"cpr": screen["cpr"], "name": citizen.get("name"), "fgvh": fgvh}


def _frame(ctx: ScreenContext, *, read: bool, document_id: str | None) -> dict[str, Any]:
    opened = ctx.opened_at.astimezone(COPENHAGEN).isoformat()
    return {"contract_version": CONTRACT_VERSION, "cpr": ctx.cpr, "opened_at": opened,
            "fsk": {"read": read, "retrieved_at": opened if read else None, "document_id": document_id}}


# --- FGVH ----------------------------------------------------------------------------------------------
def _fgvh_state(item: Item | None, defects: Defects) -> str:
    if Defect.FGVH_IGNORED in defects:
        return "not_opted_out"
    node = item.value("II") if item else None
    if node is None:  # no FGVH entry (an FSK 2.0 stamkort) or no value: the status is not known
        return "not_opted_out" if Defect.FGVH_MISSING_AS_FALSE in defects else "unknown"
    if fgvh_not_available(node):
        return "not_opted_out" if Defect.FGVH_NAV_AS_FALSE in defects else "unavailable"
    return {True: "opted_out", False: "not_opted_out", None: "unknown"}[bool_extension(item)]


def fgvh_not_available(node: Any) -> bool:
    """The opt-out register could not answer: SDS writes ``nullFlavor="NAV"``, MedCom's NAV example the value
    root with ``extension="NAV"``."""
    return bool(node.get("nullFlavor")) or (node.get("extension") or "").upper() == "NAV"


def _fgvh(state: str, ctx: ScreenContext, raw: str | None = None) -> dict[str, Any]:
    defects = ctx.defects
    texts = {"opted_out": v.FGVH_TEXT_TRUE, "not_opted_out": v.FGVH_TEXT_FALSE,
             "unavailable": FGVH_UNAVAILABLE, "unknown": FGVH_UNKNOWN}
    if Variant.FGVH_OWN_WORDS in ctx.variants:
        texts = dict(FGVH_OWN_WORDS)
    if Defect.FGVH_UNKNOWN_WORDS_NO_OPT_OUT in defects:
        texts["unknown"] = v.FGVH_TEXT_FALSE  # the defect: the unknown status in words that say "no opt-out"
    symbol = state == "opted_out" or (state == "not_opted_out" and Defect.FGVH_SYMBOL_ON_FALSE in defects)
    text = raw if raw is not None and Defect.FGVH_RAW_VALUE in defects else texts[state]
    return {"state": state, "symbol_shown": symbol, "text": text}


def _fgvh_raw(item: Item | None) -> str | None:
    """The value as the document codes it (``true``, ``false``, ``NAV``): what the raw-value defect shows."""
    node = item.value("II") if item else None
    return None if node is None else (node.get("nullFlavor") or node.get("extension"))


# --- the citizen -------------------------------------------------------------------------------------------
def _citizen(pdc: Pdc, ctx: ScreenContext, tz: Any) -> dict[str, Any] | None:
    item = pdc.first("CitizenNameAddr")
    if item is None:
        return None
    names = person(item.values["PN"][0]) if item.values.get("PN") else None
    addr = address(item.values["AD"][0]) if item.values.get("AD") else None
    name = names.full if names else ""
    if item.values.get("PN") and is_protected(name):
        name = text(item.values["PN"][0], "cda:family") or name  # the marker, once (it is every name part)
    address_text = _address_text(addr)
    protected = _marked_protected(item) or is_protected(name, address_text)
    if protected and Defect.PROTECTION_MARKERS_SHOWN in ctx.defects:
        address_text = _raw_address(item)
    if address_text is None and Defect.ADDRESS_REQUIRED in ctx.defects:
        raise PdcError("the citizen has no address")
    if Defect.NARRATIVE_RENDER in ctx.defects:
        name, address_text = _from_narrative(pdc, name, address_text)
    leak = (protected and Defect.PROTECTED_ADDRESS_LEAK in ctx.defects) or (
        address_text is None and Defect.REMEMBERED_ADDRESS_SHOWN in ctx.defects)
    if leak and ctx.remembered_address is not None:
        addr, address_text = ctx.remembered_address, _address_text(ctx.remembered_address)
    return {
        "name": name, "given": list(names.given) if names else [], "family": names.family if names else None,
        "address": _address(addr), "address_text": address_text, "protected": protected,
        "birth_date": pdc.birth_date.isoformat() if pdc.birth_date else None, "sex": pdc.sex,
        "provenance": _provenance(item.provenance, tz),
    }


def is_protected(*texts: str | None) -> bool:
    return any(PROTECTION_WORD in (t or "").upper() for t in texts)


def _marked_protected(item: Item) -> bool:
    """The entry carries the protection marker: an II ``ConfAddr`` (MedCom root) beside the name and address."""
    return any(node.get("extension") == v.PROTECTED_II_EXTENSION and node.get("root") == v.PROTECTED_II_ROOT
               for node in item.values.get("II", []))


def _raw_address(item: Item) -> str:
    """What the protection-markers defect shows: the entry's values as coded, the II marker and the parts' null
    flavours included."""
    parts = [node.get("extension") or "" for node in item.values.get("II", [])]
    for node in item.values.get("AD", []):
        parts += [(child.text or child.get("nullFlavor") or "").strip() for child in node]
    return ", ".join(p for p in parts if p)


def _from_narrative(pdc: Pdc, name: str, address_text: str | None) -> tuple[str, str | None]:
    row = next((items for label, items in pdc.narrative.items() if "navn og adresse" in label.lower()), None)
    if not row:
        return name, address_text
    return row[0], ", ".join(i for i in row[1:] if i != "null") or None


def _address_text(addr: Address | None) -> str | None:
    if addr is None:
        return None
    return ", ".join(t for t in addr.texts() if t) or None


def _address(addr: Address | None) -> dict[str, Any] | None:
    if addr is None:
        return None
    return {"lines": list(addr.lines), "postal_code": addr.postal_code, "city": addr.city, "country": addr.country}


def _gp(pdc: Pdc) -> dict[str, Any] | None:
    if not pdc.gp_name:
        return None
    return {"yder_number": pdc.gp_yder, "name": pdc.gp_name, "phones": [_phone(p) for p in pdc.gp_phones],
            "address": _address(pdc.gp_address)}


# --- register data --------------------------------------------------------------------------------------
_REGISTRATIONS = {"organ_donor": "OrganDonorRegistration", "treatment_will": "TreatmentWillRegistration",
                  "living_will": "LivingWillRegistration"}


def _registration(item: Item | None, tz: Any) -> dict[str, Any]:
    registered = bool_extension(item)
    result: dict[str, Any] = {"registered": registered,
                              "text": {True: "Registreret", False: "Ikke registreret", None: "Ukendt"}[registered]}
    if item is not None:
        result["provenance"] = _provenance(item.provenance, tz)
    return result


def _coverage(item: Item | None, tz: Any) -> dict[str, Any] | None:
    node = item.value("II") if item else None
    if item is None or node is None or not node.get("extension"):
        return None
    return {"value": node.get("extension"), "provenance": _provenance(item.provenance, tz)}


# --- typed-in data ----------------------------------------------------------------------------------------
def _language(item: Item | None, tz: Any) -> dict[str, Any] | None:
    node = item.value("CD") if item else None
    if item is None or node is None:
        return None
    return {"code": node.get("code") or "", "display": node.get("displayName"),
            "provenance": _provenance(item.provenance, tz)}


def _temporary_address(item: Item | None, tz: Any) -> dict[str, Any] | None:
    addr = address(item.value("AD")) if item else None
    if item is None or addr is None:
        return None
    start = item.low.astimezone(tz).date().isoformat() if item.low else None
    end = item.high.astimezone(tz).date().isoformat() if item.high else None
    return {"address": _address(addr), "from": start, "to": end,
            "period_text": f"{start or '?'} - {end or 'ingen slutdato'}", "provenance": _provenance(item.provenance, tz)}


def _dentist(item: Item | None, tz: Any, ctx: ScreenContext) -> dict[str, Any] | None:
    if item is None:
        return None
    ids, names = item.values.get("II", []), item.values.get("PN", [])
    clinic = None if Defect.DENTIST_CLINIC_DROPPED in ctx.defects else _clinic(item)
    return {
        "yder_number": ids[0].get("extension") if ids else None,
        "name": person(names[0]).full if names else clinic or "",
        "clinic": clinic,
        "address": _address(address(item.value("AD"))),
        "phones": [_phone(p) for p in _phones(item)], "provenance": _provenance(item.provenance, tz),
    }


def _clinic(item: Item) -> str | None:
    """The dentist's clinic: a TN, or an EN whose given name is the clinic (MedCom's different-narrative example)."""
    if item.values.get("TN"):
        return text(item.values["TN"][0])
    if item.values.get("EN"):
        return person(item.values["EN"][0]).full or None
    return None


def _relative(item: Item, tz: Any, ctx: ScreenContext) -> dict[str, Any]:
    names = person(item.values["PN"][0]) if item.values.get("PN") else None
    relation = item.value("CD")
    note = item.value("ST")
    return {
        "id": item.entry_id, "given": " ".join(names.given) if names else None,
        "family": names.family if names else None, "name": names.full if names else "",
        "relation": _relation(relation, ctx),
        "phones": [_phone(p) for p in _phones(item)], "note": _note(note),
        "provenance": _provenance(item.provenance, tz),
    }


def _note(note: Any) -> str | None:
    """A note as entered: its line breaks kept (MedCom's example has one), each line's indentation trimmed."""
    if note is None or not note.text:
        return None
    return "\n".join(line.strip() for line in note.text.strip().splitlines())


def _custody(item: Item, tz: Any, ctx: ScreenContext) -> dict[str, Any]:
    ids, names, relation = item.values.get("II", []), item.values.get("PN", []), item.value("CD")
    shown = (relation.get("displayName") or relation.get("code")) if relation is not None else None
    return {
        "cpr": ids[0].get("extension") if ids else None, "name": person(names[0]).full if names else "",
        "relation": "forælder" if shown and Defect.CUSTODY_RELATION_FIXED in ctx.defects else _relation(relation, ctx),
        "provenance": _provenance(item.provenance, tz),
    }


def _relation(node: Any, ctx: ScreenContext) -> str | None:
    """A relation is shown by its display name (the code only when the document gives none); with the variant
    ``relations-own-words`` in the system's own words where it has them."""
    if node is None:
        return None
    if Defect.RELATION_CODE_SHOWN in ctx.defects:
        return str(node.get("code") or "")
    if Variant.RELATIONS_OWN_WORDS in ctx.variants and node.get("code") in RELATION_OWN_WORDS:
        return RELATION_OWN_WORDS[str(node.get("code"))]
    return str(node.get("displayName") or node.get("code") or "")


def _phones(item: Item) -> list[Phone]:
    return [p for node in item.values.get("TEL", []) if (p := phone(node))]


def _phone(p: Phone) -> dict[str, Any]:
    return {"use": p.use, "value": p.value}


def _with(p: Phone, item: Item, tz: Any) -> dict[str, Any]:
    return {**_phone(p), "provenance": _provenance(item.provenance, tz)}


def _provenance(p: Provenance, tz: Any) -> dict[str, Any]:
    """FSK data are marked as such, with who entered them and when; entered-by CPRs are never shown."""
    entered_by = None
    if p.entered_by_kind:
        professional = p.entered_by_kind == "EnteredHealthcareprofessional"
        entered_by = {"kind": p.entered_by_kind, "name": None if professional else p.entered_by_name,
                      "organisation": p.entered_by_organisation if professional else None}
    local = p.entered_at.astimezone(tz) if p.entered_at else None
    return {"from_fsk": True, "source": p.source, "entered_by": entered_by,
            "entered_at": local.isoformat() if local else None,
            "entered_at_display": local.strftime("%d-%m-%Y %H:%M") if local else None}
