"""SKR (Stamkortregister) writes of the typed-in items, DGWS level 3 + HSUID naming the employee.

"SKR – Guide til anvendere" (NSPOP; docs/skr.md says what it settles and what it leaves open): SKR's structures are
HL7 CDA, a create carries the item's id (a UUID the client makes), the answer carries no data. So the EOJ writes
each item as the entry FSK will show it (`{Create|Update|Delete}{Relatives|TemporaryAddress|Language|
PatientContact|Dentist}`, body ``skr:<Operation>Request``): the citizen (``fsk:citizen/hl7:id``), then the
``hl7:observation`` with the entry's template, the item's ``id`` (its SKR id root, the UUID), code, typed values
and an author naming the employee's organisation (SOR code and name; the employee's CPR travels in HSUID); a delete
names the item by its ``hl7:id``. SOAPAction is the operation name. A business fault is a SOAP fault whose
``faultstring`` is the Danish text the user is shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import nsp_vocabulary as v
from reference_eoj.nsp.soap import FaultInfo, NspError
from reference_eoj.xml import Element, el, q

#: the driver contract's items → the SKR operations' items
ITEMS = {"relative": "Relatives", "temporary_address": "TemporaryAddress", "language": "Language",
         "contact_phone": "PatientContact", "dentist": "Dentist"}
ELEMENTS = ITEMS
PATH = v.PATH_SKR


@dataclass(frozen=True)
class Write:
    """A write to send: its body and the id of the item it creates, changes or deletes."""

    payload: Element
    item_id: str


def operation(item: str, action: str) -> str:
    return f"{action.capitalize()}{ITEMS[item]}"


def request(cpr: str, item: str, action: str, values: dict[str, Any], item_id: str | None,
            organisation: tuple[str, str], sparse: bool = False) -> Write:
    """The write request; ``organisation`` is the employee's (SOR code, name). A new item gets a new UUID.

    ``sparse`` (the variant ``skr-sparse-writes``): what SKR sets or the CDA lets a client leave out is left out —
    no author (SKR takes the organisation from HSUID) and no ``high`` for an open end."""
    code = v.SKR_ITEMS[ITEMS[item]]
    ident = item_id or str(uuid.uuid4())
    root = el(None, "skr", f"{operation(item, action)}Request")
    el(el(root, "fsk", "citizen"), "cda", "id", root=v.OID_CPR, extension=cpr, assigningAuthorityName="CPR")
    if action == "delete":
        el(root, "cda", "id", root=v.SKR_ITEM_ID_ROOTS[code], extension=ident)
        return Write(root, ident)
    obs = el(root, "cda", "observation", classCode="OBS", moodCode="EVN")
    el(obs, "cda", "templateId", root=v.ENTRY_TEMPLATES[code], extension=v.ENTRY_TEMPLATE_EXT)
    el(obs, "cda", "id", root=v.SKR_ITEM_ID_ROOTS[code], extension=ident)
    el(obs, "cda", "code", code=code, codeSystem=v.OID_MEDCOM_MESSAGE_CODES, codeSystemName="MedCom Message Codes")
    if item == "temporary_address":
        _temporary_address(obs, values, sparse)
    else:
        _BUILDERS[item](obs, values)
    if not sparse:
        _author(obs, organisation)
    return Write(root, ident)


def is_validation_fault(fault: FaultInfo) -> bool:
    """SKR refused the content (a ``Client`` fault, not a DGWS gate fault): re-sending it cannot help."""
    return fault.code.rsplit(":", 1)[-1] == "Client" and fault.dgws_code is None


def parse_response(body: Element, item: str, action: str) -> None:
    """SKR's answer to a write: the operation's (empty) response element."""
    name = f"{operation(item, action)}Response"
    if next((n for n in body if str(n.tag).endswith(name)), None) is None:
        raise NspError(f"SKR: no {name}", "Stamkortregistret svarede ikke korrekt")


def _value(obs: Element, xsi_type: str, text: str | None = None, **attrs: Any) -> Element:
    node = el(obs, "cda", "value", text, **attrs)
    node.set(q("xsi", "type"), xsi_type)
    return node


def _name(obs: Element, given: str | None, family: str | None) -> None:
    name = _value(obs, "PN")
    el(name, "cda", "given", str(given or ""))
    if family:
        el(name, "cda", "family", str(family))


def _tel(obs: Element, use: Any, number: Any) -> None:
    text = str(number or "")
    _value(obs, "TEL", use=str(use or ""), value=text if ":" in text else f"tel:{text}")


def _address(obs: Element, address: dict[str, Any], use: str) -> None:
    node = _value(obs, "AD", use=use)
    for line in address.get("lines") or []:
        el(node, "cda", "streetAddressLine", str(line))
    for key, tag in (("postal_code", "postalCode"), ("city", "city"), ("country", "country")):
        if address.get(key):
            el(node, "cda", tag, str(address[key]))


def _relative(obs: Element, values: dict[str, Any]) -> None:
    _name(obs, values.get("given"), values.get("family"))
    relation = values.get("relation")
    if relation:
        _value(obs, "CD", code=str(relation), codeSystem=v.OID_MEDCOM_RELATION_CODES,
               codeSystemName="MedCom Relation Codes", displayName=v.relation_display(str(relation)))
    for phone in values.get("phones") or []:
        _tel(obs, phone.get("use", "H"), phone.get("value"))
    if values.get("note"):
        _value(obs, "ST", str(values["note"]))


def _temporary_address(obs: Element, values: dict[str, Any], sparse: bool = False) -> None:
    period = el(obs, "cda", "effectiveTime")
    for tag, key in (("low", "from"), ("high", "to")):
        day = values.get(key)
        if day:
            el(period, "cda", tag, value=str(day).replace("-", ""))
        elif not (sparse and tag == "high"):  # an open end: nullFlavor, or (sparse) no bound at all
            el(period, "cda", tag, nullFlavor="NI")
    _address(obs, values.get("address") or {}, "H")


def _language(obs: Element, values: dict[str, Any]) -> None:
    _value(obs, "CD", code=str(values.get("code") or ""), codeSystem=v.OID_ISO_639_1, codeSystemName="ISO-639-1")


def _contact_phone(obs: Element, values: dict[str, Any]) -> None:
    _tel(obs, values.get("use", "H"), values.get("value"))


def _dentist(obs: Element, values: dict[str, Any]) -> None:
    if values.get("yder_number"):
        _value(obs, "II", root=v.OID_YDER, extension=str(values["yder_number"]), assigningAuthorityName="Yderregisteret")
    if values.get("name"):
        given, _, family = str(values["name"]).rpartition(" ")
        _name(obs, given or family, family if given else None)
    if values.get("clinic"):
        _value(obs, "TN", str(values["clinic"]))
    if values.get("address"):
        _address(obs, values["address"], "WP")
    if values.get("phone"):
        _tel(obs, "WP", values["phone"])


def _author(obs: Element, organisation: tuple[str, str]) -> None:
    """The employee's organisation, as the entry's author shows a health professional (SOR code and name)."""
    assigned = el(el(obs, "cda", "author"), "cda", "assignedAuthor")
    sor, name = organisation
    if sor:
        el(assigned, "cda", "id", root=v.OID_SOR, extension=sor, assigningAuthorityName="SOR")
    el(assigned, "cda", "code", code="EnteredHealthcareprofessional", codeSystem=v.OID_MEDCOM_MESSAGE_CODES)
    el(el(assigned, "cda", "representedOrganization"), "cda", "name", name)


_BUILDERS = {"relative": _relative, "temporary_address": _temporary_address, "language": _language,
             "contact_phone": _contact_phone, "dentist": _dentist}
