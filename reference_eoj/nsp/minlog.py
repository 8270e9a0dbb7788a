"""MinLog2 ``AddRegistrations`` (schema 2025-03-12): build a ``RegistrationRequest``, read the response."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import nsp_vocabulary as v
from reference_eoj.nsp.soap import NspError
from reference_eoj.xml import Element, el, find, findall, plain, text

ACTION = v.ACTIONS_MINLOG[1]  # AddRegistrations_20250312, as SDS's own client sends it


@dataclass(frozen=True)
class LogEntry:
    """One use of FSK data by one employee on one citizen (one ``LogDataEntry``).

    ``user_cpr`` is the employee's CPR number (the once-a-day key); ``user_source``/``user_id`` and
    ``organisation_source``/``organisation_id`` are what the entry names them by (``reference_eoj.identifiers``).
    """

    sequence_number: str
    system_name: str
    activity: str
    at: str  # xs:dateTime with the Danish offset
    organisation_id: str
    organisation_name: str
    citizen_cpr: str
    user_cpr: str
    user_name: str
    user_role: str
    organisation_source: str = "SOR"
    user_source: str = "CPR"
    user_id: str = ""
    #: the authorised professional the employee acts for (OnBehalfOfPersonIdentifier, source CPR); "" when none
    on_behalf_cpr: str = ""
    #: ``Addition``: empty, as FSK use needs none (only the vaerdispring defect writes one)
    addition: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LogEntry:
        if "organisation_sor" in data:  # an entry queued by an EOJ before the identifiers could vary
            data = {**{k: val for k, val in data.items() if k != "organisation_sor"},
                    "organisation_id": data["organisation_sor"]}
        return cls(**data)


@dataclass(frozen=True)
class Form:
    """How entries are written (the allowed variants ``minlog-interval``, ``minlog-utc-times`` and
    ``minlog-optional-elements``; the 2025-03-12 schema allows each)."""

    interval: bool = False  # FromDateTime/ToDateTime instead of DateTime
    utc: bool = False  # times in UTC ("…Z") instead of with the Danish offset
    optional_elements: bool = False  # Source, Addition, Criticality, CorrelationId


@dataclass(frozen=True)
class RegistrationResult:
    added: int
    failed: dict[str, str]  # sequence number → fault code and text


def registration_request(entries: list[LogEntry], form: Form = Form()) -> Element:
    """``minlog:RegistrationRequest`` with unqualified children in the schema's fixed order and limits."""
    request = el(None, "minlog", "RegistrationRequest")
    for entry in entries:
        log_entry = plain(request, "LogDataEntry")
        if form.optional_elements:  # as SDS's MinLogService: the source system, and its own source
            source = plain(log_entry, "Source")
            plain(source, "SystemName", entry.system_name[:25])
            plain(plain(source, "Source"), "SystemName", entry.system_name[:25])
        _destination(plain(log_entry, "Destination"), entry, form)
    return request


def _destination(destination: Element, entry: LogEntry, form: Form) -> None:
    plain(destination, "SystemName", entry.system_name[:25])
    plain(destination, "Activity", entry.activity[:75])
    if entry.addition or form.optional_elements:
        plain(destination, "Addition", (entry.addition or "Ingen")[:50])
    if form.optional_elements:
        plain(destination, "Criticality", "Ingen")
    at = _time(entry.at, form.utc)
    if form.interval:
        plain(destination, "FromDateTime", at)
        plain(destination, "ToDateTime", at)
    else:
        plain(destination, "DateTime", at)
    plain(destination, "OrganisationId", entry.organisation_id[:200], source=entry.organisation_source)
    plain(destination, "OrganisationName", entry.organisation_name[:200])
    plain(destination, "PersonIdentifier", entry.citizen_cpr, source="CPR")
    if form.optional_elements:
        plain(destination, "CorrelationId", entry.sequence_number[:46])
    plain(destination, "SequenceNumber", entry.sequence_number[:36])
    plain(destination, "UserPersonIdentifier", (entry.user_id or entry.user_cpr)[:50], source=entry.user_source)
    plain(destination, "UserPersonName", entry.user_name[:50])
    if entry.user_role:
        plain(destination, "UserRole", entry.user_role[:200])
    if entry.on_behalf_cpr:  # FSK-SIT-LOG-15: required whenever the employee acts for a professional
        plain(destination, "OnBehalfOfPersonIdentifier", entry.on_behalf_cpr, source="CPR")


def _time(at: str, utc: bool) -> str:
    """``at`` (with the Danish offset) as written: unchanged, or the same instant in UTC."""
    if not utc:
        return at
    return datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
