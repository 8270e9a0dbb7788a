"""MinLog2 ``AddRegistrations`` (schema 2025-03-12): build a ``RegistrationRequest``, read the response."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import nsp_vocabulary as v
from reference_eoj.nsp.soap import NspError
from reference_eoj.xml import Element, el, find, findall, plain, text

ACTION = v.ACTIONS_MINLOG[1]  # AddRegistrations_20250312, as SDS's own client sends it


@dataclass(frozen=True)
class LogEntry:
    """One use of FSK data by one employee on one citizen (one ``LogDataEntry``)."""

    sequence_number: str
    system_name: str
    activity: str
    at: str  # xs:dateTime with the Danish offset
    organisation_sor: str
    organisation_name: str
    citizen_cpr: str
    user_cpr: str
    user_name: str
    user_role: str
    #: the authorised professional the employee acts for (OnBehalfOfPersonIdentifier, source CPR); "" when none
    on_behalf_of_cpr: str = ""
    #: ``Addition``: empty, as FSK use needs none (only the vaerdispring defect writes one)
    addition: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogEntry:
        return cls(**data)


@dataclass(frozen=True)
class RegistrationResult:
    added: int
    failed: dict[str, str]  # sequence number → fault code and text


def registration_request(entries: list[LogEntry]) -> Element:
    """``minlog:RegistrationRequest`` with unqualified children in the schema's fixed order and limits."""
    request = el(None, "minlog", "RegistrationRequest")
    for entry in entries:
        destination = plain(plain(request, "LogDataEntry"), "Destination")
        plain(destination, "SystemName", entry.system_name[:25])
        plain(destination, "Activity", entry.activity[:75])
        if entry.addition:
            plain(destination, "Addition", entry.addition[:50])
        plain(destination, "DateTime", entry.at)
        plain(destination, "OrganisationId", entry.organisation_sor[:200], source="SOR")
        plain(destination, "OrganisationName", entry.organisation_name[:200])
        plain(destination, "PersonIdentifier", entry.citizen_cpr, source="CPR")
        plain(destination, "SequenceNumber", entry.sequence_number[:36])
        plain(destination, "UserPersonIdentifier", entry.user_cpr, source="CPR")
        plain(destination, "UserPersonName", entry.user_name[:50])
        if entry.user_role:
            plain(destination, "UserRole", entry.user_role[:200])
        if entry.on_behalf_of_cpr:
            plain(destination, "OnBehalfOfPersonIdentifier", entry.on_behalf_of_cpr, source="CPR")
    return request


def parse_response(body: Element) -> RegistrationResult:
    response = find(body, "minlog:RegistrationResponse")
    if response is None:
        raise NspError("MinLog2: no RegistrationResponse", "MinLog svarede ikke korrekt")
    failed = {
        text(f, "SequenceNumber") or "": f"{text(f, 'FaultCode')}: {text(f, 'FaultText') or ''}".strip()
        for f in findall(response, "FailedLogDataEntries")
    }
    failed.pop("", None)  # a failure without a sequence number cannot be correlated to an entry
    return RegistrationResult(added=int(text(response, "NumberAdded") or 0), failed=failed)
