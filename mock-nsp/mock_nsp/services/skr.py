"""SKR (Stamkortregister) writes of the typed-in items, DGWS interface ``dgws20210602`` at `PATH_SKR`, operations in
``http://sundhedsdatastyrelsen.dk/skr/2021/06/02`` (docs/skr.md says what "SKR – Guide til anvendere" settles and
what it leaves open).

``{Create|Update|Delete}{Relatives|TemporaryAddress|Language|PatientContact|Dentist}``: the request names the
citizen (``fsk:citizen/hl7:id``, the CPR root) and carries the item as the CDA entry the PDC shows
(`skr_items`); a delete names the item by its ``hl7:id``. The client makes the item's id (a UUID) on create, so
the answer is empty (``<skr:CreateRelativesResponse/>``, as the guide's example). A refused write is a SOAP
``Client`` fault with the Danish message and ``skr:ValidationFault {Code, Text, Field}``. After every write SKR
notifies NAS on topic ``…PersonalDataCard/2020/11/01:DataCardUpdated`` with only the CPR; the mock records the
``wsnt:Notify`` it would send in the write's journal entry (``summary.nas_notification``).

Auth: FSK 3.0 mode (default) takes a level-3 system card plus HSUID with the acting user; legacy mode the level-4
user card the guide's earlier versions required. A write is visible in the next ITI-43.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.citizens import Citizen
from mock_nsp.registers.clock import Clock
from mock_nsp.security.dgws import Requirement
from mock_nsp.services import skr_items as items
from mock_nsp.services import skr_rules as rules
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.services.skr_rules import SkrFault
from mock_nsp.settings import RuntimeConfig
from mock_nsp.soap import SoapFault
from mock_nsp.world.citizens import CitizenRegister

SKR = v.NS["skr"]
FSK = v.NS["fsk"]
CDA = v.NS["cda"]
Json = dict[str, Any]
#: the register's key of each item, and whether the citizen can hold several
_KEYS = {"RelativeTypedIn": ("relatives", True), "PatientContactTypedIn": ("contact_phones", True),
         "TempAddrTypedIn": ("temporary_address", False), "LanguageTypedIn": ("language", False),
         "DentistTypedIn": ("dentist", False)}


def fault(err: SkrFault) -> SoapFault:
    detail = etree.Element(f"{{{SKR}}}ValidationFault", nsmap={"skr": SKR})
    etree.SubElement(detail, f"{{{SKR}}}Code").text = err.code
    etree.SubElement(detail, f"{{{SKR}}}Text").text = err.text
    if err.field:
        etree.SubElement(detail, f"{{{SKR}}}Field").text = err.field
    return SoapFault(err.text, "Client", detail=[detail])


def nas_notification(cpr: str) -> str:
    """The NAS 2.0 ``Notify`` SKR sends after a write: the topic and the citizen's CPR, nothing of the change."""
    notify = etree.Element(f"{{{v.NS['wsnt']}}}Notify", nsmap={"wsnt": v.NS["wsnt"], "advis": v.NS["advis"]})
    message = etree.SubElement(notify, f"{{{v.NS['wsnt']}}}NotificationMessage")
    etree.SubElement(message, f"{{{v.NS['wsnt']}}}Topic", Dialect=v.NAS_TOPIC_DIALECT).text = v.NAS_TOPIC_DATA_CARD_UPDATED
    content = etree.SubElement(etree.SubElement(message, f"{{{v.NS['wsnt']}}}Message"), f"{{{v.NS['advis']}}}NotifyContent")
    content.set("id", cpr)
    content.set("idType", v.NAS_ID_TYPE_CPR)
    return etree.tostring(notify, encoding="unicode")


@dataclass(frozen=True)
class Write:
    verb: str
    code: str
    cpr: str
    item_id: str
    item: Json | None
    organisation: str | None


@dataclass
class Skr:
    citizens: CitizenRegister
    clock: Clock
    config: RuntimeConfig

    def handle(self, call: Call) -> Reply:
        op = call.operation or ""
        call.summary["skr_operation"] = op
        try:
            write = self._write(call, op)
        except SkrFault as err:
            call.summary["skr_fault"] = err.code
            raise fault(err) from None
        call.summary["skr_item_id"] = write.item_id
        call.summary["nas_notification"] = {"topic": v.NAS_TOPIC_DATA_CARD_UPDATED, "cpr": write.cpr,
                                            "notify": nas_notification(write.cpr)}
        return Reply([etree.Element(f"{{{SKR}}}{op}Response", nsmap={"skr": SKR})])

    def _write(self, call: Call, op: str) -> Write:
        body = call.body
        assert body is not None
        verb, code = split(op)
        citizen = self._citizen(body, call)
        if not self.citizens.available("skr") or "skr" in call.unavailable:
            raise SkrFault(v.SKR_FAULT_REGISTER_UNAVAILABLE, "Stamkortregisteret er midlertidigt utilgængeligt")
        write = request(body, verb, code, citizen.cpr)
        entered = self._entered(call, write.organisation)
        self.citizens.modify(citizen.cpr, lambda data: apply(data["typed_in"], write, entered))
        return write

    def _citizen(self, body: etree._Element, call: Call) -> Citizen:
        ident = body.find(f"{{{FSK}}}citizen/{{{CDA}}}id")
        cpr = ident.get("extension") if ident is not None and ident.get("root") == v.OID_CPR else None
        call.summary["cpr"] = cpr
        citizen = self.citizens.get(cpr or "")
        if citizen is None:
            raise SkrFault(v.SKR_FAULT_UNKNOWN_CITIZEN, f"Ukendt borger {cpr}", "citizen/id")
        if citizen.deceased:
            raise SkrFault(v.SKR_FAULT_CITIZEN_DECEASED, "Borgeren er død", "citizen/id")
        return citizen

    def _entered(self, call: Call, organisation: str | None) -> Json:
        """SKR's author of the write: a health professional of the caller's organisation (HSUID's SOR code)."""
        card, hs = call.gate.card, call.gate.hsuid
        name = (card.user_name if card else None) or "Sundhedsprofessionel"
        org = organisation or (hs.org_responsible_name if hs else None) or (card.care_provider_name if card else None)
        return {"by": "EnteredHealthcareprofessional", "name": name, "organisation": org,
                "sor": hs.org_using_id if hs else None,
                "cpr": (hs.acting_user_cpr if hs else None) or (card.user_cpr if card else None),
                "at": self.clock.now().isoformat()}


def split(op: str) -> tuple[str, str]:
    """``CreateRelatives`` → (``Create``, ``RelativeTypedIn``)."""
    for verb in v.SKR_VERBS:
        if op.startswith(verb) and op[len(verb):] in v.SKR_ITEMS:
            return verb, v.SKR_ITEMS[op[len(verb):]]
    raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"Ukendt operation {op!r}")


def request(body: etree._Element, verb: str, code: str, cpr: str) -> Write:
    """What the request asks: the item's id and (for create and update) the item."""
    if verb == "Delete":
        ident = body.find(f"{{{CDA}}}id")
        return Write(verb, code, cpr, _item_id(ident, code, "id"), None, None)
    obs = body.find(f"{{{CDA}}}observation")
    if obs is None:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"{code} mangler (hl7:observation)", "observation")
    template = obs.find(f"{{{CDA}}}templateId")
    entry_code = obs.find(f"{{{CDA}}}code")
    if (template is None or template.get("root") != v.ENTRY_TEMPLATES[code]) and (
            entry_code is None or entry_code.get("code") != code):
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, f"Observationen er ikke en {code}", "observation/templateId")
    item_id = _item_id(obs.find(f"{{{CDA}}}id"), code, "observation/id")
    return Write(verb, code, cpr, item_id, items.PARSERS[code](obs, code), items.organisation(obs))


def _item_id(ident: etree._Element | None, code: str, field: str) -> str:
    if ident is None:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST, "Id mangler", field)
    if ident.get("root") != v.SKR_ITEM_ID_ROOTS[code]:
        raise SkrFault(v.SKR_FAULT_INVALID_REQUEST,
                       f"Id'ets rod {ident.get('root')!r} er ikke {v.SKR_ITEM_ID_ROOTS[code]} ({code})", f"{field}/@root")
    return rules.item_id(ident.get("extension"), f"{field}/@extension")


def apply(typed: Json, write: Write, entered: Json) -> str:
    """Change the citizen's typed-in items as the write asks; the item's id."""
    key, several = _KEYS[write.code]
    new = None if write.item is None else {"id": write.item_id, **write.item, "entered": entered}
    if several:
        _in_list(typed.setdefault(key, []), write, new)
    else:
        _single(typed, key, write, new)
    return write.item_id


def _in_list(found: list[Json], write: Write, new: Json | None) -> None:
    index = next((i for i, item in enumerate(found) if item.get("id") == write.item_id), None)
    if write.verb == "Create" and index is not None:
        raise SkrFault(v.SKR_FAULT_ITEM_EXISTS, f"Der findes allerede et element med id {write.item_id}",
                       "observation/id")
    if write.verb != "Create" and index is None:
        raise _unknown(write.item_id)
    if index is not None:
        found.pop(index)
    if new is not None:
        found.insert(len(found) if index is None else index, new)


def _single(typed: Json, key: str, write: Write, new: Json | None) -> None:
    current = typed.get(key)
    if write.verb == "Create" and current is not None:
        if write.code == "TempAddrTypedIn":
            raise SkrFault(v.SKR_FAULT_TEMPORARY_ADDRESS_EXISTS, "Borgeren har allerede en midlertidig adresse",
                           "observation")
        raise SkrFault(v.SKR_FAULT_ITEM_EXISTS, f"Borgeren har allerede en {write.code}; ret den i stedet",
                       "observation")
    if write.verb != "Create" and (current is None or current.get("id") != write.item_id):
        raise _unknown(write.item_id)
    typed[key] = new


def _unknown(item_id: str) -> SkrFault:
    return SkrFault(v.SKR_FAULT_UNKNOWN_ITEM, f"Ukendt element {item_id}", "id")


def operation(body: etree._Element | None, action: str | None) -> str | None:
    name = local_name(body)
    if name and name.endswith("Request") and body is not None and etree.QName(body).namespace == SKR:
        return name[: -len("Request")]
    return name


def requirement(config: RuntimeConfig) -> Requirement:
    if config.skr_mode == "legacy":
        return Requirement(min_level=4, card_type="user")
    return Requirement(min_level=3, card_type="system", require_hsuid=True)
