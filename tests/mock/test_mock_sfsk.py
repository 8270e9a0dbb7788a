"""SFSK ITI-18/ITI-43 and the PDC they serve, checked against the real schemas and sample documents."""

from __future__ import annotations

import base64
import copy
from functools import cache

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, CPR_YOUNG, Mock, citizen, fgvh_value
from nsp_reference import reference

import nsp_vocabulary as v
from mock_nsp import client as dgws

CDA = v.NS["cda"]
XSI_TYPE = f"{{{v.NS['xsi']}}}type"


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(reference(f"sfsk/xsd/{name}"))))


def _body(response: bytes) -> etree._Element:
    body = etree.fromstring(response).find(f"{{{v.NS['soap']}}}Body")
    assert body is not None
    return body[0]


def _ids(response: bytes) -> list[str]:
    return [str(e.get("value")) for e in etree.fromstring(response).iter(f"{{{v.NS['rim']}}}ExternalIdentifier")
            if e.get("identificationScheme") == v.SCHEME_DOCUMENT_UNIQUE_ID]


def test_iti18_response_validates_against_the_real_query_schema(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    response = _body(r.content)
    schema("query.xsd").assertValid(etree.ElementTree(copy.deepcopy(response)))
    eo = response.find(f".//{{{v.NS['rim']}}}ExtrinsicObject")
    assert eo is not None
    assert eo.get("home") == v.SFSK_HOME_COMMUNITY_ID and eo.get("objectType") == v.ENTRY_TYPE_ON_DEMAND
    slots = {s.get("name"): s.findtext(f".//{{{v.NS['rim']}}}Value") for s in eo.findall(f"{{{v.NS['rim']}}}Slot")}
    assert slots["repositoryUniqueId"] == v.SFSK_REPOSITORY_UNIQUE_ID
    (doc_id,) = _ids(r.content)
    assert doc_id.startswith(v.SFSK_REPOSITORY_UNIQUE_ID + "^")
    fmt = eo.find(f"{{{v.NS['rim']}}}Classification")
    assert fmt is not None and fmt.get("nodeRepresentation") == v.FORMAT_CODE_PDC_V3


def test_iti18_errors_validate_too(mock: Mock) -> None:
    body = dgws.iti18_body(CPR_OLD)
    adhoc = body.find(f"{{{v.NS['rim']}}}AdhocQuery")
    assert adhoc is not None
    adhoc.set("id", "urn:uuid:00000000-0000-0000-0000-000000000000")
    response = _body(mock.call(v.PATH_SFSK_ITI18, body).content)
    schema("query.xsd").assertValid(etree.ElementTree(copy.deepcopy(response)))
    assert response.get("status") == v.RESPONSE_STATUS_FAILURE


@pytest.mark.parametrize(
    ("today", "fmt", "found"),
    [
        ("2025-01-14T12:00:00+01:00", v.FORMAT_CODE_PDC_V2, 1),
        ("2025-01-15T00:00:00+01:00", v.FORMAT_CODE_PDC_V2, 0),
        ("2025-01-15T00:00:00+01:00", v.FORMAT_CODE_PDC_V3, 1),
    ],
)
def test_v2_format_code_until_the_cutover(mock: Mock, today: str, fmt: str, found: int) -> None:
    mock.http.put("/__admin/clock", json={"now": today})
    mock.put_citizen(CPR_OLD)
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD, fmt))
    assert len(_ids(r.content)) == found


def test_v2_document_has_no_fgvh_and_a_v2_service_event(mock: Mock) -> None:
    mock.http.put("/__admin/clock", json={"now": "2025-01-10T12:00:00+01:00"})
    mock.put_citizen(CPR_OLD)
    (doc_id,) = _ids(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD, v.FORMAT_CODE_PDC_V2)).content)
    doc = _document(mock, doc_id)
    assert fgvh_value(doc) is None
    assert "pdc-v2.0" in [e.get("extension") for e in doc.iter(f"{{{CDA}}}id")]


def test_entry_type_stable_only_finds_nothing(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    body = dgws.iti18_body(CPR_OLD)
    for slot in body.iter(f"{{{v.NS['rim']}}}Slot"):
        if slot.get("name") == "$XDSDocumentEntryType":
            slot.getparent().remove(slot)  # type: ignore[union-attr]
    assert _ids(mock.call(v.PATH_SFSK_ITI18, body).content) == []


def test_unknown_patient_is_empty_or_an_error(mock: Mock) -> None:
    assert _ids(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).content) == []
    mock.http.put("/__admin/settings", json={"unknown_patient": "error"})
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    assert b"XDSUnknownPatientId" in r.content


def _document(mock: Mock, doc_id: str) -> etree._Element:
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(doc_id))
    assert r.status_code == 200
    response = _body(r.content)
    rr = response.find(f"{{{v.NS['rs']}}}RegistryResponse")
    assert rr is not None and rr.get("status") == v.RESPONSE_STATUS_SUCCESS
    schema("rs.xsd").assertValid(etree.ElementTree(copy.deepcopy(rr)))
    text = response.findtext(f".//{{{v.NS['xds']}}}Document")
    return etree.fromstring(base64.b64decode(text or ""))


def test_unknown_document_id(mock: Mock) -> None:
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(f"{v.SFSK_REPOSITORY_UNIQUE_ID}^nope"))
    rr = _body(r.content).find(f"{{{v.NS['rs']}}}RegistryResponse")
    assert rr is not None
    schema("rs.xsd").assertValid(etree.ElementTree(copy.deepcopy(rr)))
    assert rr.get("status") == v.RESPONSE_STATUS_FAILURE and b"XDSDocumentUniqueIdError" in r.content


def test_document_override_is_served_verbatim(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    sample = reference("pdc-samples/pdc-3.0-fgvh-false-no-gp.xml").read_bytes()
    assert mock.http.put(f"/__admin/citizens/{CPR_OLD}/document", content=sample,
                         headers={"content-type": "text/xml"}).status_code == 200
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(mock.doc_id(CPR_OLD)))
    assert base64.b64decode(_body(r.content).findtext(f".//{{{v.NS['xds']}}}Document") or "") == sample


# --- the PDC's structure, compared with the real samples ---------------------------------------------
def _full_citizen() -> dict[str, object]:
    entered = {"by": "EnteredHealthcareprofessional", "name": "Hanne Hansen", "organisation": "Hjemmeplejen",
               "sor": "123451000016008", "at": "2025-01-02T10:00:00+01:00"}
    return citizen(
        gp={"yder_number": "012345", "name": "Lægerne Testvej", "phones": [{"use": "WP", "value": "+4511223344"}],
            "address": {"lines": ["Lægevej 2"], "postal_code": "2100", "city": "København Ø"}},
        organ_donor=True, custody=[{"cpr": "0101201234", "name": {"given": ["Lille"], "family": "Jensen"},
                                    "relation": "mor"}],
        fgvh={"registered_at": "2025-01-01T10:00:00+01:00"},
        typed_in={
            "language": {"code": "de", "entered": entered},
            "temporary_address": {"address": {"lines": ["Sommerhusvej 1"], "postal_code": "4500",
                                              "city": "Nykøbing Sj"}, "from": "2025-06-01", "to": None},
            "dentist": {"yder_number": "99999", "name": "Tand Læge", "clinic": "Smil", "phone": "+4587654321",
                        "address": {"lines": ["Tandvej 3"], "postal_code": "2100", "city": "København Ø"}},
            "contact_phones": [{"use": "MC", "value": "+4512345678"}, {"use": "H", "value": "+4533333333"}],
            "relatives": [{"given": "Hanne", "family": "Jensen", "relation": "datter",
                           "phones": [{"use": "H", "value": "+4544444444"}], "note": "\"'<>;&@/\\^*"}],
        },
    )


def _structure(doc: etree._Element) -> tuple[list[tuple[str, str | None]], dict[str, list[str]]]:
    header = [(etree.QName(el).localname, el.get("extension") if etree.QName(el).localname == "templateId" else None)
              for el in doc if isinstance(el.tag, str)]
    entries: dict[str, list[str]] = {}
    for obs in doc.iter(f"{{{CDA}}}observation"):
        code = obs.find(f"{{{CDA}}}code")
        assert code is not None
        shape = [f"{etree.QName(c).localname}:{c.get(XSI_TYPE) or ''}" for c in obs if isinstance(c.tag, str)]
        entries[str(code.get("code"))] = [s for i, s in enumerate(shape) if i == 0 or shape[i - 1] != s]
    return header, entries


def test_the_pdc_has_the_structure_of_the_real_samples(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, _full_citizen())
    ours = mock.pdc(CPR_OLD)
    sample = etree.parse(str(reference("pdc-samples/pdc-3.0-fgvh-nav-with-typed-in-data.xml"))).getroot()
    our_header, our_entries = _structure(ours)
    sample_header, sample_entries = _structure(sample)
    assert [h for h in our_header if h[0] != "documentationOf"] == [h for h in sample_header if h[0] != "documentationOf"]
    for code, children in sample_entries.items():
        assert our_entries[code] == children, code
    assert set(our_entries) == set(v.ENTRY_TEMPLATES)


def test_every_entry_carries_its_template_id(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, _full_citizen())
    for obs in mock.pdc(CPR_OLD).iter(f"{{{CDA}}}observation"):
        code = obs.find(f"{{{CDA}}}code")
        tpl = obs.find(f"{{{CDA}}}templateId")
        assert code is not None and tpl is not None
        assert tpl.get("root") == v.ENTRY_TEMPLATES[str(code.get("code"))]
        expected = v.FGVH_TEMPLATE_EXT if code.get("code") == "NoResuscitationRegistration" else v.ENTRY_TEMPLATE_EXT
        assert tpl.get("extension") == expected


def test_header_says_v3(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    doc = mock.pdc(CPR_OLD)
    tpl = doc.find(f"{{{CDA}}}templateId")
    assert tpl is not None and (tpl.get("root"), tpl.get("extension")) == (v.PDC_TEMPLATE_ROOT, "3.0")
    assert v.PDC_SERVICE_EVENT_V3 in [e.get("extension") for e in doc.iter(f"{{{CDA}}}id")]
    assert doc.find(f".//{{{CDA}}}providerOrganization") is None  # no GP → absent, like the real sample


def test_narrative_rows_match_the_entries(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, _full_citizen())
    doc = mock.pdc(CPR_OLD)
    rows = doc.findall(f".//{{{CDA}}}tbody/{{{CDA}}}tr")
    entries = list(doc.iter(f"{{{CDA}}}observation"))
    assert len(rows) - 1 == len(entries)
    texts = "".join(doc.find(f".//{{{CDA}}}text").itertext())  # type: ignore[union-attr]
    assert "\"'<>;&@/\\^*" in texts


def test_protected_name_and_address_show_the_marker(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, citizen(protected=True))
    doc = mock.pdc(CPR_OLD)
    text = etree.tostring(doc, encoding="unicode")
    assert v.PROTECTED_MARKER_DEFAULT in text and "Testvej" not in text and "Jens" not in text


def _typed_in_author_ids(doc: etree._Element) -> list[etree._Element]:
    return [author.find(f"{{{CDA}}}assignedAuthor/{{{CDA}}}id") for author in doc.iter(f"{{{CDA}}}author")
            if author.find(f"{{{CDA}}}templateId[@root='{v.AUTHOR_TEMPLATE_TYPED_IN}']") is not None]


def test_typed_in_author_is_masked_with_entered_by_code(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, _full_citizen())
    doc = mock.pdc(CPR_OLD)
    codes = {c.get("code") for c in doc.iter(f"{{{CDA}}}code")}
    assert "EnteredHealthcareprofessional" in codes and "EnteredCitizen" in codes
    cprs = [i.get("extension") for i in _typed_in_author_ids(doc) if i is not None and i.get("root") == v.OID_CPR]
    assert cprs and set(cprs) == {v.MASKED_CPR}


@pytest.mark.reference
def test_the_masked_author_is_marked_as_medcoms_documents_mark_it() -> None:
    """MedCom's maximal PDC-DK 3.0 example: every typed-in author identified by CPR carries the masked marker the
    mock writes (a health professional's entry is identified by SOR there)."""
    doc = etree.parse(str(reference("medcom-pdc-3.0/PDC-DK_Eks_maksimalt-eksempel.xml"))).getroot()
    cprs = [i.get("extension") for i in _typed_in_author_ids(doc) if i is not None and i.get("root") == v.OID_CPR]
    assert len(cprs) >= 4 and set(cprs) == {v.MASKED_CPR}


@pytest.mark.parametrize(
    ("now", "withdrawn", "expected"),
    [
        ("2025-02-07T23:59:59+01:00", None, "false"),
        ("2025-02-08T00:00:00+01:00", None, "true"),
        ("2025-03-01T00:00:00+01:00", "2025-02-20T12:00:00+01:00", "false"),
        ("2025-02-20T11:00:00+01:00", "2025-02-20T12:00:00+01:00", "true"),
    ],
)
def test_fgvh_lifecycle(mock: Mock, now: str, withdrawn: str | None, expected: str) -> None:
    mock.http.put("/__admin/clock", json={"now": now})
    mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2025-02-01T23:30:00+01:00", "withdrawn_at": withdrawn}))
    assert fgvh_value(mock.pdc(CPR_OLD)) == expected


def test_fgvh_across_the_summer_time_change(mock: Mock) -> None:
    mock.http.put("/__admin/clock", json={"now": "2025-04-02T23:59:00+02:00"})
    mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2025-03-27T00:30:00+01:00"}))
    assert fgvh_value(mock.pdc(CPR_OLD)) == "false"
    mock.http.post("/__admin/clock/advance", json={"minutes": 1})
    assert fgvh_value(mock.pdc(CPR_OLD)) == "true"


def test_fgvh_register_and_withdraw_through_the_control_plane(mock: Mock) -> None:
    mock.http.put("/__admin/clock", json={"now": "2025-02-01T10:00:00+01:00"})
    mock.put_citizen(CPR_OLD)
    assert mock.http.post(f"/__admin/citizens/{CPR_OLD}/fgvh", json={"action": "register"}).status_code == 200
    mock.http.post("/__admin/clock/advance", json={"days": 7})
    assert fgvh_value(mock.pdc(CPR_OLD)) == "true"
    mock.http.post(f"/__admin/citizens/{CPR_OLD}/fgvh", json={"action": "withdraw"})
    assert fgvh_value(mock.pdc(CPR_OLD)) == "false"


def test_registering_fgvh_under_60_is_refused(mock: Mock) -> None:
    mock.put_citizen(CPR_YOUNG, citizen(birth_date="2005-01-01"))
    r = mock.http.post(f"/__admin/citizens/{CPR_YOUNG}/fgvh", json={"action": "register"})
    assert r.status_code == 422 and r.json()["path"] == "/at"
    r = mock.http.put(f"/__admin/citizens/{CPR_YOUNG}",
                      json=citizen(birth_date="2005-01-01", fgvh={"registered_at": "2025-01-01T00:00:00Z"}))
    assert r.status_code == 422 and r.json()["path"] == "/fgvh/registered_at"


@pytest.mark.parametrize("register", ["organ_donor", "treatment_will", "living_will"])
def test_other_registers_unavailable_give_nav(mock: Mock, register: str) -> None:
    mock.put_citizen(CPR_OLD)
    mock.http.put(f"/__admin/registers/{register}", json={"available": False})
    doc = mock.pdc(CPR_OLD)
    navs = [o for o in doc.iter(f"{{{CDA}}}value") if o.get("nullFlavor") == "NAV"]
    assert len(navs) == 1


def test_cpr_register_unavailable_is_a_registry_error(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    doc_id = mock.doc_id(CPR_OLD)
    mock.http.put("/__admin/registers/cpr", json={"available": False})
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(doc_id))
    assert v.XDS_ERROR_REGISTRY_NOT_AVAILABLE.encode() in r.content
