"""Checks of how the SUT searches and retrieves FSK (ITI-18, ITI-43)."""

from __future__ import annotations

import nsp_vocabulary as v
from nspcert.checks import require
from nspcert.nsp import wire
from nspcert.nsp.journal import Exchange, Exchanges
from nspcert.verify.identity import count


def searches(calls: Exchanges) -> list[Exchange]:
    found = calls.service("sfsk-registry")
    require(bool(found), check="FSK search (ITI-18)", expected="at least one search", received=count(found),
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
            "$XDSDocumentEntryFormatCode": (wire.slot_values(slots.get("$XDSDocumentEntryFormatCode", [])),
                                            [f"{v.FORMAT_CODE_PDC_V3}^^{v.FORMAT_CODING_SCHEME}"]),
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


def _retrieved(calls: Exchanges) -> list[tuple[Exchange, dict[str, str]]]:
    """Every document the SUT asked the repository for; at least one."""
    retrieves = calls.service("sfsk-repository")
    require(bool(retrieves), check="FSK retrieve (ITI-43)", expected="a retrieve after the search",
            received=count(retrieves), where="sfsk-repository in the journal")
    return [(call, requested) for call in retrieves for requested in wire.iti43_requested_ids(call.request_body)]


def _returned(calls: Exchanges) -> list[dict[str, str]]:
    return [ids for call in searches(calls) for ids in wire.iti18_returned_ids(_response(call))]


def expect_retrieved_what_was_found(calls: Exchanges) -> None:
    """ITI-43 asks for exactly the document(s) ITI-18 returned (FSK-SIT-QRY-03)."""
    found = [ids["document"] for ids in _returned(calls)]
    for call, requested in _retrieved(calls):
        require(requested["document"] in found, check="ITI-43 DocumentUniqueId",
                expected=f"one of the document ids ITI-18 returned: {found}", received=requested["document"],
                where=call.where())


def expect_entry_metadata_used(calls: Exchanges) -> None:
    """The repository of each retrieve is the one the entry's metadata named, and a HomeCommunityId, when the
    retrieve carries one, is the entry's (FSK-CERT-MD-01). The HomeCommunityId is optional in ITI-43 (the SFSK
    WSDL's IHEXDSB.xsd: ``DocumentRequest/HomeCommunityId minOccurs="0"``), and SDS's own FSK client sends none
    (docs/variants.md, ``sds-fsk-client``)."""
    entries = {ids["document"]: ids for ids in _returned(calls)}
    for call, requested in _retrieved(calls):
        entry = entries.get(requested["document"], {})
        named = {"repository": entry.get("repository"), "home": entry.get("home") or None}
        used = {"repository": requested["repository"], "home": requested["home"] or None}
        right = bool(entry) and used["repository"] == named["repository"] and used["home"] in (None, named["home"])
        require(right, check="XDS metadata of the FSK entry used in ITI-43",
                expected=f"the entry's RepositoryUniqueId {named['repository']}, and its HomeCommunityId "
                         f"{named['home']} or none", received=used, where=call.where())


def expect_reads(calls: Exchanges, count: int) -> None:
    retrieves = calls.service("sfsk-repository")
    require(len(retrieves) >= count, check="FSK read from the platform on every open",
            expected=f"{count} retrieves (one per open)", received=f"{len(retrieves)}",
            where="sfsk-repository in the journal")


def _response(call: Exchange) -> str:
    return str((call.entry.get("response") or {}).get("body", ""))


def _codes(raw: list[str]) -> list[str]:
    return [wire.code_of(value) for value in wire.slot_values(raw)]


def expect_searched_for(calls: Exchanges, cpr: str) -> None:
    """FSK-CERT-FGVH-08: FSK was searched for the citizen by the number the system knows them by (a replacement CPR
    number too), not skipped."""
    sent = [wire.slot_values(wire.iti18_slots(call.request_body).get("$XDSDocumentEntryPatientId", []))
            for call in searches(calls)]
    require([v.patient_id(cpr)] in sent, check="FSK searched for the citizen", expected=v.patient_id(cpr),
            received=sent, where="sfsk-registry in the journal")
