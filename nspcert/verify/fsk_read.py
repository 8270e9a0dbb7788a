"""Checks of how the SUT searches and retrieves FSK (ITI-18, ITI-43)."""

from __future__ import annotations

from nspcert import vocabulary as v
from nspcert.checks import require
from nspcert.nsp import wire
from nspcert.nsp.journal import Exchange, Exchanges


def searches(calls: Exchanges) -> list[Exchange]:
    found = calls.service("sfsk-registry")
    require(bool(found), check="FSK search (ITI-18)", expected="at least one search", received="none",
            where="sfsk-registry in the mock NSP journal")
    return found


def expect_v3_search(calls: Exchanges, cpr: str) -> None:
    for call in searches(calls):
        slots = wire.iti18_slots(call.request_body)
        wanted = {
            "query id": (wire.iti18_query_id(call.request_body), v.FIND_DOCUMENTS_QUERY_ID),
            "$XDSDocumentEntryPatientId": (wire.slot_values(slots.get("$XDSDocumentEntryPatientId", [])),
                                           [v.patient_id(cpr)]),
            "$XDSDocumentEntryStatus": (wire.slot_values(slots.get("$XDSDocumentEntryStatus", [])),
                                        [v.STATUS_APPROVED]),
            "$XDSDocumentEntryFormatCode": (_codes(slots.get("$XDSDocumentEntryFormatCode", [])),
                                            [v.FORMAT_CODE_PDC_V3]),
        }
        for name, (sent, expected) in wanted.items():
            require(sent == expected, check=f"ITI-18 {name}", expected=expected, received=sent, where=call.where())
        types = wire.slot_values(slots.get("$XDSDocumentEntryType", []))
        require(v.ENTRY_TYPE_ON_DEMAND in types, check="ITI-18 $XDSDocumentEntryType",
                expected=f"includes the on-demand type {v.ENTRY_TYPE_ON_DEMAND}", received=types, where=call.where())


def expect_no_v2_search(calls: Exchanges) -> None:
    for call in searches(calls):
        codes = _codes(wire.iti18_slots(call.request_body).get("$XDSDocumentEntryFormatCode", []))
        require(v.FORMAT_CODE_PDC_V2 not in codes, check="no FSK 2.0 search",
                expected=f"no {v.FORMAT_CODE_PDC_V2}", received=codes, where=call.where())


def expect_retrieve_with_returned_ids(calls: Exchanges) -> None:
    returned = [ids for call in searches(calls) for ids in wire.iti18_returned_ids(_response(call))]
    retrieves = calls.service("sfsk-repository")
    require(bool(retrieves), check="FSK retrieve (ITI-43)", expected="a retrieve after the search",
            received="none", where="sfsk-repository in the journal")
    for call in retrieves:
        for requested in wire.iti43_requested_ids(call.request_body):
            require(requested in returned, check="ITI-43 document ids",
                    expected=f"one of the ids ITI-18 returned: {returned}", received=requested, where=call.where())


def expect_reads(calls: Exchanges, count: int) -> None:
    retrieves = calls.service("sfsk-repository")
    require(len(retrieves) >= count, check="FSK read from the platform on every open",
            expected=f"{count} retrieves (one per open)", received=f"{len(retrieves)}",
            where="sfsk-repository in the journal")


def _response(call: Exchange) -> str:
    return str((call.entry.get("response") or {}).get("body", ""))


def _codes(raw: list[str]) -> list[str]:
    return [wire.code_of(value) for value in wire.slot_values(raw)]
