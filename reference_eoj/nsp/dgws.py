"""DGWS 1.0.1 envelopes: ``wsse:Security`` (timestamp + STS ID card), ``medcom:Header`` and the HSUID header."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import nsp_vocabulary as v
from reference_eoj.defects import Defect, Defects
from reference_eoj.nsp.sts import IdCard
from reference_eoj.users import Employee
from reference_eoj.xml import Element, el

HSUID_ISSUER = "nspcert-reference-eoj"


@dataclass(frozen=True)
class SystemIdentity:
    """The EOJ as HSUID names it: ``nsi:SystemName``, ``nsi:SystemVersion``, ``nsi:SystemOwnerName``."""

    name: str
    version: str
    owner: str


class MessageIds:
    """A fresh ``Linking/MessageID`` per call (the reused-message-id defect repeats the first one)."""

    def __init__(self, defects: Defects) -> None:
        self._fixed = str(uuid.uuid4()) if Defect.REUSED_MESSAGE_ID in defects else None

    def next(self) -> str:
        return self._fixed or str(uuid.uuid4())


@dataclass(frozen=True)
class HeaderOptions:
    """Which optional headers the envelope carries, and in which order (the allowed variants
    ``headers-all-optional`` and ``headers-minimal``; medcom.xsd and SOAP 1.1 §4.2 allow each)."""

    medcom: Literal["ours", "minimal", "all"] = "ours"
    addressing: bool = False  # wsa:Action, wsa:MessageID and wsa:To (WS-Addressing 1.0)
    reversed_order: bool = False  # HSUID, WS-Addressing, medcom:Header, then wsse:Security
    consent_override: bool = False  # HSUID nsi:ConsentOverride false


@dataclass(frozen=True)
class Addressing:
    """The SOAPAction of the call and the URL it goes to (for ``wsa:Action`` and ``wsa:To``)."""

    action: str
    to: str


def envelope(card: IdCard, payload: Element, *, now: datetime, message_id: str, flow_id: str,
             hsuid: Element | None, options: HeaderOptions = HeaderOptions(),
             addressing: Addressing | None = None, timestamp: bool = True, level: int | None = None) -> Element:
    """A SOAP 1.1 envelope carrying ``payload`` with the DGWS headers (and HSUID when given); ``timestamp=False``
    leaves wsu:Timestamp out (the no-timestamp defect), ``level`` names another SecurityLevel than the card's (the
    security-level-not-the-cards defect)."""
    root = el(None, "soap", "Envelope")
    header = el(root, "soap", "Header")
    security = el(None, "wsse", "Security")
    if timestamp:
        el(el(security, "wsu", "Timestamp"), "wsu", "Created", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    security.append(copy.deepcopy(card.assertion))
    blocks = [security, medcom_header(card.level if level is None else level, message_id, flow_id, options.medcom)]
    if hsuid is not None:
        blocks.append(hsuid)
    if options.addressing and addressing is not None:
        blocks += ws_addressing(addressing, message_id)
    header.extend(reversed(blocks) if options.reversed_order else blocks)
    el(root, "soap", "Body").append(payload)
    return root


def medcom_header(level: int, message_id: str, flow_id: str, form: str = "ours") -> Element:
    """``medcom:Header`` in medcom.xsd's order: SecurityLevel, TimeOut, Linking, Priority,
    RequireNonRepudiationReceipt."""
    medcom = el(None, "medcom", "Header")
    el(medcom, "medcom", "SecurityLevel", str(level))
    if form == "all":
        el(medcom, "medcom", "TimeOut", "unbound")
    linking = el(medcom, "medcom", "Linking")
    if form != "minimal":
        el(linking, "medcom", "FlowID", flow_id)
    el(linking, "medcom", "MessageID", message_id)
    if form == "all":
        el(medcom, "medcom", "Priority", "RUTINE")
    if form != "minimal":
        el(medcom, "medcom", "RequireNonRepudiationReceipt", "no")
    return medcom


def ws_addressing(addressing: Addressing, message_id: str) -> list[Element]:
    return [el(None, "wsa10", "Action", addressing.action), el(None, "wsa10", "MessageID", f"urn:uuid:{message_id}"),
            el(None, "wsa10", "To", addressing.to)]


def hsuid_header(employee: Employee, citizen_cpr: str, system: SystemIdentity, now: datetime, *,
                 responsible_user: bool = True, organisation: tuple[str, str] | None = None,
                 consent_override: bool = False) -> Element:
    """``hsuid:HsuidHeader`` for a health professional acting in the EOJ (valid against hsuid-1_1.xsd).

    ``organisation`` is ``nsi:OrgUsingID``'s (NameFormat, value): the unit's SOR code by default, its ydernummer
    (``nsi:ynumber``) or SKS code (``nsi:skskode``) in a variant. The XSD makes ``NameFormat`` mandatory on every
    attribute with the values ``nsi:sor``/``nsi:skskode``/``nsi:ynumber``, so every attribute carries the
    organisation's. ``responsible_user=False`` leaves the ResponsibleUser… attributes out (the seeded defect
    ``hsuid-no-responsible-user``); ``consent_override`` adds ``nsi:ConsentOverride`` false.
    """
    name_format, unit = organisation or (v.HSUID_ORG_NAMEFORMAT_SOR, employee.sor_code)
    header = el(None, "hsuid", "HsuidHeader")
    assertion = el(header, "hsuid", "Assertion", IssueInstant=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   Version="2.0", id="HSUID")
    el(assertion, "hsuid", "Issuer", HSUID_ISSUER)
    statement = el(assertion, "hsuid", "AttributeStatement", id="HSUIDdata")
    attributes = _hsuid_attributes(employee, unit, citizen_cpr, system)
    if responsible_user:
        attributes += _responsible_user(employee)
    if consent_override:
        attributes.append(("nsi:ConsentOverride", "false"))
    for name, value in attributes:
        attribute = el(statement, "hsuid", "Attribute", Name=name, NameFormat=name_format)
        el(attribute, "hsuid", "AttributeValue", value)
    return header


def _hsuid_attributes(employee: Employee, unit: str, citizen_cpr: str, system: SystemIdentity
                      ) -> list[tuple[str, str]]:
    return [
        ("nsi:UserType", v.HSUID_USER_TYPE_PROFESSIONAL),
        ("nsi:ActingUserCivilRegistrationNumber", employee.cpr),
        ("nsi:OrgUsingID", unit),
        ("nsi:OrgResponsibleName", employee.organisation_name),
        ("nsi:SystemOwnerName", system.owner),
        ("nsi:SystemName", system.name),
        ("nsi:SystemVersion", system.version),
        ("nsi:CitizenCivilRegistrationNumber", citizen_cpr),
    ]


def _responsible_user(employee: Employee) -> list[tuple[str, str]]:
    """Who answers for the access: the professional the employee acts for, else an authorised employee."""
    if employee.responsible_cpr:
        cpr, code = employee.responsible_cpr, employee.responsible_authorisation_id
    elif employee.authorisation_id:
        cpr, code = employee.cpr, employee.authorisation_id
    else:
        return []
    return [("nsi:ResponsibleUserCivilRegistrationNumber", cpr), ("nsi:ResponsibleUserAuthorizationCode", code)]
