"""SKR (Stamkortregister) writes of the typed-in items, DGWS level 3 + HSUID naming the employee.

The real FSK 3.0 SKR operation names are not public (domain-nsp §2.4, only ``CreateTemporaryAddress``
is confirmed); this client speaks the interface the mock NSP publishes (``GET /skr/wsdl/dgws20210602``):
``{Create|Update|Delete}{Relative|TemporaryAddress|Language|PatientContact|Dentist}``, body
``skr:<Operation>Request`` with ``skr:PersonCivilRegistrationIdentifier``, the item's ``skr:Id`` for
update/delete, the item element and ``skr:EnteredBy`` (the employee's name and organisation; their CPR and
SOR code travel in HSUID); the answer ``skr:<Operation>Response`` carries the item's ``skr:Id``. SOAPAction
is the operation name. A business fault is a SOAP fault whose ``faultstring`` is the Danish text the user
is shown.
"""

from __future__ import annotations

from typing import Any

import nsp_vocabulary as v
from reference_eoj.nsp.soap import FaultInfo, NspError
from reference_eoj.xml import Element, el, text

ELEMENTS = {"relative": "Relative", "temporary_address": "TemporaryAddress", "language": "Language",
            "contact_phone": "PatientContact", "dentist": "Dentist"}
PATH = v.PATH_SKR


def operation(item: str, action: str) -> str:
    return f"{action.capitalize()}{ELEMENTS[item]}"


def request(cpr: str, item: str, action: str, values: dict[str, Any], item_id: str | None,
            entered_by: tuple[str, str]) -> Element:
    """The write request; ``entered_by`` is the employee's (name, organisation name)."""
    root = el(None, "skr", f"{operation(item, action)}Request")
    el(root, "skr", "PersonCivilRegistrationIdentifier", cpr)
    if item_id:
        el(root, "skr", "Id", item_id)
    if action != "delete":
        _BUILDERS[item](el(root, "skr", ELEMENTS[item]), values)
    author = el(root, "skr", "EnteredBy")
    el(author, "skr", "Name", entered_by[0])
    el(author, "skr", "OrganisationName", entered_by[1])
    return root


def is_validation_fault(fault: FaultInfo) -> bool:
    """SKR refused the content (a ``Client`` fault, not a DGWS gate fault): re-sending it cannot help."""
    return fault.code.rsplit(":", 1)[-1] == "Client" and fault.dgws_code is None


def parse_response(body: Element, item: str, action: str) -> str | None:
    name = f"{operation(item, action)}Response"
    response = next((n for n in body if str(n.tag).endswith(name)), None)
    if response is None:
        raise NspError(f"SKR: no {name}", "Stamkortregistret svarede ikke korrekt")
    return text(response, "skr:Id")


def _relative(node: Element, values: dict[str, Any]) -> None:
    _opt(node, "GivenName", values.get("given"))
    _opt(node, "FamilyName", values.get("family"))
    _opt(node, "Relation", values.get("relation"))
    for phone in values.get("phones") or []:
        el(node, "skr", "Phone", str(phone.get("value", "")), use=phone.get("use", "H"))
    _opt(node, "Note", values.get("note"))


def _temporary_address(node: Element, values: dict[str, Any]) -> None:
    _address(node, values.get("address") or {})
    _opt(node, "From", values.get("from"))
    _opt(node, "To", values.get("to"))


def _language(node: Element, values: dict[str, Any]) -> None:
    _opt(node, "Code", values.get("code"))


def _contact_phone(node: Element, values: dict[str, Any]) -> None:
    el(node, "skr", "Phone", str(values.get("value", "")), use=values.get("use", "H"))


def _dentist(node: Element, values: dict[str, Any]) -> None:
    _opt(node, "YderNumber", values.get("yder_number"))
    _opt(node, "Name", values.get("name"))
    _opt(node, "Clinic", values.get("clinic"))
    if values.get("address"):
        _address(node, values["address"])
    if values.get("phone"):
        el(node, "skr", "Phone", str(values["phone"]), use="WP")


def _address(parent: Element, address: dict[str, Any]) -> None:
    node = el(parent, "skr", "Address")
    for line in address.get("lines") or []:
        el(node, "skr", "AddressLine", str(line))
    _opt(node, "PostalCode", address.get("postal_code"))
    _opt(node, "City", address.get("city"))
    _opt(node, "Country", address.get("country"))


def _opt(parent: Element, local: str, value: Any) -> None:
    if value is not None and value != "":
        el(parent, "skr", local, str(value))


_BUILDERS = {"relative": _relative, "temporary_address": _temporary_address, "language": _language,
             "contact_phone": _contact_phone, "dentist": _dentist}
