"""DGWS 1.0.1 envelopes: ``wsse:Security`` (timestamp + STS ID card), ``medcom:Header`` and the HSUID header."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

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


def envelope(card: IdCard, payload: Element, *, now: datetime, message_id: str, flow_id: str,
             hsuid: Element | None, timestamp: bool = True) -> Element:
    """A SOAP 1.1 envelope carrying ``payload`` with the DGWS headers (and HSUID when given); ``timestamp=False``
    leaves wsu:Timestamp out (the no-timestamp defect)."""
    root = el(None, "soap", "Envelope")
    header = el(root, "soap", "Header")
    security = el(header, "wsse", "Security")
    if timestamp:
        el(el(security, "wsu", "Timestamp"), "wsu", "Created", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    security.append(copy.deepcopy(card.assertion))
    medcom = el(header, "medcom", "Header")
    el(medcom, "medcom", "SecurityLevel", str(card.level))
    linking = el(medcom, "medcom", "Linking")
    el(linking, "medcom", "FlowID", flow_id)
    el(linking, "medcom", "MessageID", message_id)
    el(medcom, "medcom", "RequireNonRepudiationReceipt", "no")
    if hsuid is not None:
        header.append(hsuid)
    el(root, "soap", "Body").append(payload)
    return root


def hsuid_header(employee: Employee, citizen_cpr: str, system: SystemIdentity, now: datetime, *,
                 responsible_user: bool = True) -> Element:
    """``hsuid:HsuidHeader`` for a health professional acting in the EOJ (valid against hsuid-1_1.xsd).

    The XSD makes ``NameFormat`` mandatory on every attribute with the values ``nsi:sor``/``nsi:skskode``/
    ``nsi:ynumber``; the organisation is a SOR code, so every attribute carries ``nsi:sor``.
    ``responsible_user=False`` leaves the ResponsibleUser… attributes out (the seeded defect
    ``hsuid-no-responsible-user``).
    """
    header = el(None, "hsuid", "HsuidHeader")
    assertion = el(header, "hsuid", "Assertion", IssueInstant=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   Version="2.0", id="HSUID")
    el(assertion, "hsuid", "Issuer", HSUID_ISSUER)
    statement = el(assertion, "hsuid", "AttributeStatement", id="HSUIDdata")
    attributes = _hsuid_attributes(employee, citizen_cpr, system)
    if responsible_user:
        attributes += _responsible_user(employee)
    for name, value in attributes:
        attribute = el(statement, "hsuid", "Attribute", Name=name, NameFormat=v.HSUID_ORG_NAMEFORMAT_SOR)
        el(attribute, "hsuid", "AttributeValue", value)
    return header


def _hsuid_attributes(employee: Employee, citizen_cpr: str, system: SystemIdentity) -> list[tuple[str, str]]:
    return [
        ("nsi:UserType", v.HSUID_USER_TYPE_PROFESSIONAL),
        ("nsi:ActingUserCivilRegistrationNumber", employee.cpr),
        ("nsi:OrgUsingID", employee.sor_code),
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
