"""What the mock NSP used to ignore or could not model, and now answers as the platform does (issue 12): the coding
scheme of an ITI-18 format code, a replacement CPR number, a revoked function certificate, a deceased citizen's
address, MinLog2's Addition and OnBehalfOf… elements, and injected faults in the journal's summary."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, medcom_fault, minlog_body, minlog_entry

import nsp_vocabulary as v
from mock_nsp import client as dgws

RIM = v.NS["rim"]


def _found(response: Any) -> int:
    return len(list(etree.fromstring(response.content).iter(f"{{{RIM}}}ExtrinsicObject")))


def _with_format_code(cpr: str, coded: str) -> etree._Element:
    body = dgws.iti18_body(cpr)
    for slot in body.iter(f"{{{RIM}}}Slot"):
        if slot.get("name") == "$XDSDocumentEntryFormatCode":
            slot.find(f"{{{RIM}}}ValueList/{{{RIM}}}Value").text = coded  # type: ignore[union-attr]
    return body


@pytest.mark.parametrize(("coded", "found"), [
    (f"('{v.FORMAT_CODE_PDC_V3}^^{v.FORMAT_CODING_SCHEME}')", 1),
    (f"('{v.FORMAT_CODE_PDC_V3}^^2.16.840.1.113883.6.1')", 0),  # the right code in another scheme is another code
    (f"('{v.FORMAT_CODE_PDC_V3}')", 0),  # a code without its scheme names nothing
])
def test_a_format_code_counts_only_in_its_coding_scheme(mock: Mock, coded: str, found: int) -> None:
    mock.put_citizen(CPR_OLD)
    assert _found(mock.call(v.PATH_SFSK_ITI18, _with_format_code(CPR_OLD, coded))) == found


def test_a_replacement_cpr_number_is_searched_and_holds_no_stamkort(mock: Mock) -> None:
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body("0101551AB1"))
    response = etree.fromstring(r.content).find(f".//{{{v.NS['query']}}}AdhocQueryResponse")
    assert response is not None and response.get("status") == v.RESPONSE_STATUS_SUCCESS and _found(r) == 0
    assert mock.journal(service="sfsk-registry")[-1]["summary"]["cpr"] == "0101551AB1"


def test_a_revoked_function_certificate_gets_no_id_card(mock: Mock) -> None:
    assert mock.http.put("/__admin/settings", json={"function_certificates_revoked": True}).status_code == 200
    cert = mock.certificate()
    r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Test Org"))
    assert r.status_code == 500 and b"revoked" in r.content
    mock.http.post("/__admin/reset")
    r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Test Org"))
    assert r.status_code == 200


def test_a_deceased_citizen_has_a_name_and_no_address(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, citizen(deceased=True))
    pdc = mock.pdc(CPR_OLD)
    cda = v.NS["cda"]
    observation = next(o for o in pdc.iter(f"{{{cda}}}observation")
                       if o.find(f"{{{cda}}}code").get("code") == "CitizenNameAddr")  # type: ignore[union-attr]
    values = {value.get(f"{{{v.NS['xsi']}}}type"): value for value in observation.findall(f"{{{cda}}}value")}
    assert values["PN"].findtext(f"{{{cda}}}family") == "Jensen"
    assert values["AD"].get("nullFlavor") == "NI" and len(values["AD"]) == 0
    assert pdc.find(f".//{{{cda}}}patientRole/{{{cda}}}addr").get("nullFlavor") == "NI"  # type: ignore[union-attr]


def test_minlog_records_addition_and_on_behalf_of(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    entry = minlog_entry(Addition="Værdispring", OnBehalfOfPersonIdentifier=("CPR", "0202601234"))
    ordered = {k: entry[k] for k in ("SystemName", "Activity", "Addition", "DateTime", "OrganisationId",
                                     "OrganisationName", "PersonIdentifier", "SequenceNumber", "UserPersonIdentifier",
                                     "UserPersonName", "OnBehalfOfPersonIdentifier")}
    assert mock.call(v.PATH_MINLOG, minlog_body(ordered)).status_code == 200
    (logged,) = mock.http.get("/__admin/minlog/entries").json()["entries"]
    assert logged["addition"] == "Værdispring"
    assert (logged["on_behalf_of_source"], logged["on_behalf_of_person_identifier"]) == ("CPR", "0202601234")


def test_an_injected_fault_is_in_the_journal_as_a_served_one_is(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.fault(service="sfsk-registry", kind="dgws_fault", params={"code": v.FAULT_NO_VALID_IDCARD}, times=1)
    assert medcom_fault(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))) == v.FAULT_NO_VALID_IDCARD
    assert mock.journal(service="sfsk-registry")[-1]["summary"]["fault"]["code"] == v.FAULT_NO_VALID_IDCARD
