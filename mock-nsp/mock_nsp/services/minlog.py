"""MinLog2 registration (`AddRegistrations`, schema 2025-03-12): per-entry validation and failures,
entries per request (> 500) and requests per hour (> 20) counted."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.clock import DK, Clock
from mock_nsp.registers.store import CitizenStore
from mock_nsp.security.dgws import Requirement
from mock_nsp.services import minlog_schema as schema
from mock_nsp.services.base import Call, Reply, local_name
from mock_nsp.settings import RuntimeConfig
from mock_nsp.shared import Shared, set_kv
from mock_nsp.soap import SoapFault

ML = v.NS["minlog"]
DROPPED = "minlog_dropped"


@dataclass(frozen=True)
class Counted:
    """A request counted against the limits: when (the mock's clock) and the violations it caused."""

    at: datetime
    problems: list[str]


class MinlogStore:
    """Accepted MinLog2 entries (parsed, the newest `cap` kept; older ones are counted as dropped) and request
    accounting, in the shared state (every worker counts the same hour)."""

    def __init__(self, shared: Shared, cap: int = 200_000) -> None:
        self.shared = shared
        self.cap = cap
        shared.init(DROPPED, 0)

    def add(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            return
        with self.shared.write() as conn:
            conn.executemany("INSERT INTO minlog_entries(entry) VALUES (?)", [(json.dumps(e),) for e in entries])
            last = conn.execute("SELECT MAX(id) FROM minlog_entries").fetchone()[0]
            dropped = conn.execute("DELETE FROM minlog_entries WHERE id <= ?", (last - self.cap,)).rowcount
            if dropped > 0:
                before = conn.execute("SELECT value FROM kv WHERE key = ?", (DROPPED,)).fetchone()
                set_kv(conn, DROPPED, (json.loads(before[0]) if before else 0) + dropped)

    def count_request(self, now: datetime, entries: int) -> list[str]:
        """Record a request; return the limit violations it causes."""
        with self.shared.write() as conn:
            conn.execute("DELETE FROM minlog_requests WHERE at <= ?", ((now - timedelta(hours=1)).timestamp(),))
            conn.execute("INSERT INTO minlog_requests(at) VALUES (?)", (now.timestamp(),))
            in_hour = int(conn.execute("SELECT COUNT(*) FROM minlog_requests").fetchone()[0])
            problems = _limit_problems(entries, in_hour)
            conn.executemany("INSERT INTO minlog_violations(item) VALUES (?)",
                             [(json.dumps({"at": now.isoformat(), "problem": p}),) for p in problems])
            _keep_last_violations(conn)
        return problems

    def restore_requests(self, requests: list[Counted], now: datetime) -> None:
        """After a restart: the counted requests of the hour before ``now`` count again, and the violations are
        listed again (as :meth:`count_request` recorded them)."""
        hour_ago = (now - timedelta(hours=1)).timestamp()
        with self.shared.write() as conn:
            conn.executemany("INSERT INTO minlog_requests(at) VALUES (?)",
                             [(r.at.timestamp(),) for r in requests if r.at.timestamp() > hour_ago])
            conn.executemany("INSERT INTO minlog_violations(item) VALUES (?)",
                             [(json.dumps({"at": r.at.isoformat(), "problem": p}),) for r in requests for p in r.problems])
            _keep_last_violations(conn)

    def clear(self, conn: sqlite3.Connection) -> None:
        """Part of a reset transaction (the tables themselves are emptied by the reset)."""
        set_kv(conn, DROPPED, 0)

    def entries(self) -> list[dict[str, Any]]:
        with self.shared.read() as conn:
            return [json.loads(e) for (e,) in conn.execute("SELECT entry FROM minlog_entries ORDER BY id")]

    def stats(self) -> dict[str, Any]:
        with self.shared.read() as conn:
            count = conn.execute("SELECT COUNT(*) FROM minlog_entries").fetchone()[0]
            requests = conn.execute("SELECT COUNT(*) FROM minlog_requests").fetchone()[0]
            violations = [json.loads(item) for (item,) in conn.execute("SELECT item FROM minlog_violations ORDER BY id")]
        return {"entries": count, "dropped": int(self.shared.get(DROPPED) or 0), "requests_last_hour": requests,
                "violations": violations}


def _keep_last_violations(conn: sqlite3.Connection, keep: int = 1000) -> None:
    conn.execute("DELETE FROM minlog_violations WHERE id <= (SELECT MAX(id) FROM minlog_violations) - ?", (keep,))


def _limit_problems(entries: int, in_hour: int) -> list[str]:
    problems = []
    if entries > v.MINLOG_MAX_ENTRIES_PER_REQUEST:
        problems.append(f"{entries} entries in one request (max {v.MINLOG_MAX_ENTRIES_PER_REQUEST})")
    if in_hour > v.MINLOG_MAX_REQUESTS_PER_HOUR:
        problems.append(f"{in_hour} requests in the last hour (max {v.MINLOG_MAX_REQUESTS_PER_HOUR})")
    return problems


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
    store: MinlogStore
    citizens: CitizenStore
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
