"""MinLog2 registration (`AddRegistrations`, schema 2025-03-12): per-entry validation and failures,
entries per request (> 500) and requests per hour (> 20) counted."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.clock import DK, Clock
from mock_nsp.security.dgws import Requirement
from mock_nsp.services import minlog_schema as schema
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.settings import RuntimeConfig
from mock_nsp.soap import SoapFault
from mock_nsp.world.citizens import CitizenRegister
from mock_nsp.world.minlog import MinlogRecords

ML = v.NS["minlog"]


def _text(found: dict[str, list[etree._Element]], name: str) -> str | None:
    els = found.get(name) or []
    return els[0].text if els else None


def _source(found: dict[str, list[etree._Element]], name: str) -> str | None:
    els = found.get(name) or []
    return els[0].get("source") if els else None


def parsed(found: dict[str, list[etree._Element]]) -> dict[str, Any]:
    """A Destination as JSON, with the Danish calendar day of its time."""
    first = _text(found, "DateTime") or _text(found, "FromDateTime")
    local = schema.parse_time(first, "DateTime").astimezone(DK).date().isoformat() if first else None
    out: dict[str, Any] = {
        "system_name": _text(found, "SystemName"), "activity": _text(found, "Activity"),
        "reason": _text(found, "Reason"), "date_time": _text(found, "DateTime"),
        "from_date_time": _text(found, "FromDateTime"), "to_date_time": _text(found, "ToDateTime"),
        "local_date": local, "organisation_id": _text(found, "OrganisationId"),
        "organisation_source": _source(found, "OrganisationId"),
        "organisation_name": _text(found, "OrganisationName"),
        "person_identifier": _text(found, "PersonIdentifier"), "person_source": _source(found, "PersonIdentifier"),
        "person_name": _text(found, "PersonName"), "correlation_id": _text(found, "CorrelationId"),
        "sequence_number": _text(found, "SequenceNumber"),
        "user_person_identifier": _text(found, "UserPersonIdentifier"),
        "user_source": _source(found, "UserPersonIdentifier"), "user_person_name": _text(found, "UserPersonName"),
        "user_role": _text(found, "UserRole"), "filters": [e.text for e in found.get("Filter", [])],
        "addition": _text(found, "Addition"), "criticality": _text(found, "Criticality"),
        "on_behalf_of_person_identifier": _text(found, "OnBehalfOfPersonIdentifier"),
        "on_behalf_of_source": _source(found, "OnBehalfOfPersonIdentifier"),
        "on_behalf_of_person_name": _text(found, "OnBehalfOfPersonName"),
        "on_behalf_of_user_role": _text(found, "OnBehalfOfUserRole"),
    }
    return out


def _sequence_number(entry: etree._Element) -> str | None:
    node = entry.find("Destination/SequenceNumber")
    return node.text if node is not None else None


@dataclass
class Minlog:
    store: MinlogRecords
    citizens: CitizenRegister
    clock: Clock
    config: RuntimeConfig

    def handle(self, call: Call) -> Reply:
        request = call.body
        if request is None or request.tag != f"{{{ML}}}RegistrationRequest":
            raise SoapFault("Expected minlog:RegistrationRequest (2025-03-12)", "Client")
        entries = schema.children(request)
        if not entries or any(local_name(e) != "LogDataEntry" or etree.QName(e).namespace for e in entries):
            raise SoapFault("RegistrationRequest must hold 1..n unqualified LogDataEntry", "Client")
        now = self.clock.now()
        problems = self.store.count_request(now, len(entries))
        call.summary["minlog_limits"] = problems
        if problems and self.config.minlog_limit_mode == "reject":
            raise SoapFault("; ".join(problems), "Client")
        failures, accepted, summary = self._register(entries, call, now)
        self.store.add(accepted)
        call.summary["minlog_entries"] = summary
        return Reply([_response(failures, len(accepted))])

    def _register(
        self, entries: list[etree._Element], call: Call, now: datetime
    ) -> tuple[list[tuple[str, str, str | None]], list[dict[str, Any]], list[dict[str, Any]]]:
        failures: list[tuple[str, str, str | None]] = []
        accepted: list[dict[str, Any]] = []
        summary: list[dict[str, Any]] = []
        inject = _Injector(call.entry_failure)
        for entry in entries:
            seq = _sequence_number(entry)
            try:
                item = self._entry(entry, call, now)
                inject.check(seq)
            except schema.EntryError as err:
                failures.append((err.code, err.text, seq))
                summary.append({"sequence_number": seq, "accepted": False, "fault": err.code, "text": err.text})
                continue
            accepted.append(item)
            summary.append({**item, "accepted": True})
        return failures, accepted, summary

    def _entry(self, entry: etree._Element, call: Call, now: datetime) -> dict[str, Any]:
        item = parsed(schema.check_entry(entry))
        if self.config.minlog_reject_unknown_cpr and self.citizens.get(item["person_identifier"] or "") is None:
            raise schema.EntryError(v.MINLOG_FAULT_UNKNOWN_CPR, "Unknown PersonIdentifier")
        item["received_at"] = now.isoformat()
        item["caller_cvr"] = call.gate.card.cvr if call.gate.card else None
        return item


class _Injector:
    """Per-entry failures from an `entry_failure` fault rule: named sequence numbers, the first N entries of
    the request (`first_entries`) or a seeded fraction."""

    def __init__(self, params: dict[str, Any] | None) -> None:
        self.params = params or {}
        self.rng = random.Random(self.params.get("seed"))
        self.seen = 0

    def check(self, seq: str | None) -> None:
        if not self.params:
            return
        named = self.params.get("sequence_numbers")
        fraction = self.params.get("fail_fraction")
        self.seen += 1
        first = int(self.params.get("first_entries", 0))
        hit = (named is not None and seq in named) or (fraction is not None and self.rng.random() < float(fraction))
        hit = hit or self.seen <= first
        if hit:
            raise schema.EntryError(str(self.params.get("code", v.MINLOG_FAULT_INJECTED)),
                                    str(self.params.get("string", "Injected entry failure")))


def _response(failures: list[tuple[str, str, str | None]], added: int) -> etree._Element:
    resp = etree.Element(f"{{{ML}}}RegistrationResponse", nsmap={"minlog": ML})
    for code, text, seq in failures:
        failed = etree.SubElement(resp, "FailedLogDataEntries")
        etree.SubElement(failed, "FaultCode").text = code
        etree.SubElement(failed, "FaultText").text = text
        if seq is not None and 1 <= len(seq) <= 36:
            etree.SubElement(failed, "SequenceNumber").text = seq
    etree.SubElement(resp, "NumberAdded").text = str(added)
    etree.SubElement(resp, "NumberFailed").text = str(len(failures))
    return resp


def operation(body: etree._Element | None, action: str | None) -> str | None:
    return "AddRegistrations" if local_name(body) == "RegistrationRequest" else local_name(body)


def requirement(config: RuntimeConfig) -> Requirement:
    return Requirement(min_level=config.minlog_min_level)
