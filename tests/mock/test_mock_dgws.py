"""The DGWS gate: every medcom:FaultCode, in the order of SPEC §3.1, plus HSUID parsing."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, CVR, Mock, medcom_fault, minlog_body, minlog_entry
from nsp_reference import reference

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.security import xmldsig

SAML = v.NS["saml"]


def _resign(mock: Mock, card: bytes, **changes: str) -> bytes:
    """Change attributes of an STS card and re-sign it with the mock STS key (a card the STS would not issue)."""
    el = etree.fromstring(card)
    for sig in el.findall(f"{{{v.NS['ds']}}}Signature"):
        el.remove(sig)
    for attr in el.iter(f"{{{SAML}}}Attribute"):
        if attr.get("Name") in changes:
            value = attr.find(f"{{{SAML}}}AttributeValue")
            assert value is not None
            value.text = changes[str(attr.get("Name"))]
    sts = mock.state.ca.sts
    return etree.tostring(xmldsig.sign_enveloped(el, sts.key, sts.cert_pem))


def test_a_valid_call_passes_the_gate(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    assert r.status_code == 200
    header = etree.fromstring(r.content).find(f".//{{{v.NS['medcom']}}}InResponseToMessageID")
    assert header is not None


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("no-card", v.FAULT_NO_VALID_IDCARD),
        ("tampered-card", v.FAULT_NO_VALID_IDCARD),
        ("self-signed-card", v.FAULT_NO_VALID_IDCARD),
        ("expired-card", v.FAULT_NO_VALID_IDCARD),
        ("wrong-version", v.FAULT_NO_VALID_IDCARD),
        ("no-message-id", v.FAULT_SYNTAX_ERROR),
        ("malformed-xml", v.FAULT_SYNTAX_ERROR),
        ("cvr-not-whitelisted", v.FAULT_ACCESS_DENIED),
        ("level-too-low", v.FAULT_ACCESS_DENIED),
        ("expired-and-no-message-id", v.FAULT_NO_VALID_IDCARD),
    ],
)
def test_gate_faults(mock: Mock, case: str, code: str) -> None:
    card = mock.card()
    body = dgws.iti18_body(CPR_OLD)
    if case == "no-card":
        r = mock.call(v.PATH_SFSK_ITI18, body, card=b"")
    elif case == "tampered-card":
        r = mock.call(v.PATH_SFSK_ITI18, body, card=card.replace(b">12345678<", b">87654321<"))
    elif case == "self-signed-card":
        cert = mock.certificate()
        own = etree.fromstring(card)
        for sig in own.findall(f"{{{v.NS['ds']}}}Signature"):
            own.remove(sig)
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_pem_private_key(cert["private_key_pem"].encode(), None)
        signed = xmldsig.sign_enveloped(own, key, cert["certificate_pem"])  # type: ignore[arg-type]
        r = mock.call(v.PATH_SFSK_ITI18, body, card=etree.tostring(signed))
    elif case in ("expired-card", "expired-and-no-message-id"):
        mock.state.clock.advance(timedelta(hours=25))
        r = mock.call(v.PATH_SFSK_ITI18, body, message_id=None if "message" in case else "auto")
    elif case == "wrong-version":
        r = mock.call(v.PATH_SFSK_ITI18, body, card=_resign(mock, card, **{"sosi:IDCardVersion": "1.0"}))
    elif case == "no-message-id":
        r = mock.call(v.PATH_SFSK_ITI18, body, message_id=None)
    elif case == "malformed-xml":
        r = mock.http.post(v.PATH_SFSK_ITI18, content=b"<soap:Envelope><unclosed>", headers={"content-type": "text/xml"})
    elif case == "cvr-not-whitelisted":
        mock.http.put("/__admin/settings", json={"cvr_whitelist": ["11111111"]})
        r = mock.call(v.PATH_SFSK_ITI18, body)
    else:
        mock.http.put("/__admin/settings", json={"sfsk_min_level": 4})
        r = mock.call(v.PATH_SFSK_ITI18, body)
    assert r.status_code == 500
    assert medcom_fault(r) == code


def _fresh_card(mock: Mock) -> bytes:
    """A card the STS issues now (not the one the Mock helper caches), so the STS's part is seen too."""
    cert = mock.certificate()
    r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org"))
    assert r.status_code == 200, r.text  # the STS issues cards to any trusted CVR: the whitelist is the gate's
    return dgws.card_from_response(r.content)


def test_a_service_whitelist_is_applied_by_the_gate_to_that_service_only(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.http.put("/__admin/settings", json={"cvr_whitelists": {"sfsk-registry": ["11111111"]}})
    assert r.json()["cvr_whitelists"] == {"sfsk-registry": ["11111111"]}
    card = _fresh_card(mock)
    refused = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card)
    assert (refused.status_code, medcom_fault(refused)) == (500, v.FAULT_ACCESS_DENIED)
    assert mock.call(v.PATH_MINLOG, minlog_body(minlog_entry()), card=card).status_code == 200
    mock.http.put("/__admin/settings", json={"cvr_whitelists": {"sfsk-registry": [CVR]}})
    assert mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card).status_code == 200


def test_the_all_services_whitelist_still_works_and_a_service_may_open_up(mock: Mock) -> None:
    mock.http.put("/__admin/settings", json={"cvr_whitelist": ["11111111"], "cvr_whitelists": {"minlog": None}})
    card = _fresh_card(mock)
    assert medcom_fault(mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card)) == v.FAULT_ACCESS_DENIED
    assert medcom_fault(mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body("x"), card=card)) == v.FAULT_ACCESS_DENIED
    assert mock.call(v.PATH_MINLOG, minlog_body(minlog_entry()), card=card).status_code == 200
    mock.http.post("/__admin/reset")
    assert mock.http.get("/__admin/settings").json()["cvr_whitelists"] == {}


def test_the_fault_validates_against_the_real_medcom_schema(mock: Mock) -> None:
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), message_id=None)
    schema = etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/medcom.xsd"))))
    root = etree.fromstring(r.content)
    for name in ("FaultCode", "Header"):
        node = root.find(f".//{{{v.NS['medcom']}}}{name}")
        assert node is not None
        schema.assertValid(etree.ElementTree(copy.deepcopy(node)))


@pytest.mark.parametrize("code", v.DGWS_FAULT_CODES)
def test_every_dgws_fault_code_can_be_injected(mock: Mock, code: str) -> None:
    mock.fault(service="sfsk-registry", kind="dgws_fault", params={"code": code}, times=1)
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    assert (r.status_code, medcom_fault(r)) == (500, code)
    assert mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code == 200


def test_hsuid_is_parsed_and_kept(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), hsuid=mock.hsuid(citizen=CPR_OLD))
    hsuid = mock.journal(service="sfsk-registry")[-1]["summary"]["hsuid"]
    assert hsuid["user_type"] == v.HSUID_USER_TYPE_PROFESSIONAL
    assert hsuid["acting_user_cpr"] == "0101701234"
    assert (hsuid["org_using_id"], hsuid["org_using_id_name_format"]) == ("123451000016008", "nsi:sor")
    assert (hsuid["system_name"], hsuid["system_version"], hsuid["system_owner"]) == ("nspcert", "1.0", "nspcert")
    assert hsuid["citizen_cpr"] == CPR_OLD


def _enumeration(xsd: str, type_name: str) -> set[str]:
    schema = etree.parse(str(reference(xsd)))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    (simple,) = [t for t in schema.iter(f"{xs}simpleType") if t.get("name") == type_name]
    return {e.get("value", "") for e in simple.iter(f"{xs}enumeration")}


@pytest.mark.reference
def test_the_org_using_id_name_formats_are_the_real_xsd_s() -> None:
    assert set(v.HSUID_ORG_NAMEFORMATS) == _enumeration("sfsk/xsd/hsuid-1_1.xsd", "subjectIdentifierType")


@pytest.mark.parametrize("name_format", v.HSUID_ORG_NAMEFORMATS)
def test_every_org_using_id_name_format_is_parsed_and_kept(mock: Mock, name_format: str) -> None:
    header = mock.hsuid()
    org = next(a for a in header.iter(f"{{{v.NS['hsuid']}}}Attribute") if a.get("Name") == "nsi:OrgUsingID")
    org.set("NameFormat", name_format)
    mock.put_citizen(CPR_OLD)
    assert mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), hsuid=header).status_code == 200
    assert mock.journal(service="sfsk-registry")[-1]["summary"]["hsuid"]["org_using_id_name_format"] == name_format


def test_hsuid_sent_as_the_real_xsd_says_also_parses(mock: Mock) -> None:
    header = mock.hsuid()
    schema = etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/hsuid-1_1.xsd"))))
    for attr in header.iter(f"{{{v.NS['hsuid']}}}Attribute"):
        attr.set("NameFormat", attr.get("NameFormat") or "nsi:sor")  # the XSD wants it everywhere
    schema.assertValid(etree.ElementTree(header))
    mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), hsuid=header)
    assert mock.journal(service="sfsk-registry")[-1]["summary"]["hsuid"]["acting_user_cpr"] == "0101701234"


def test_hsuid_can_be_required(mock: Mock) -> None:
    mock.http.put("/__admin/settings", json={"require_hsuid": True})
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    assert medcom_fault(r) == v.FAULT_ACCESS_DENIED
    assert mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), hsuid=mock.hsuid()).status_code == 200


@pytest.mark.parametrize("path", [v.PATH_SFSK_ITI18, v.PATH_STS, v.PATH_MINLOG])
def test_a_soap12_envelope_is_refused_with_a_soap11_version_mismatch(mock: Mock, path: str) -> None:
    """Every NSP binding is SOAP 1.1; SOAP 1.1 §4.4.1 answers another envelope namespace with VersionMismatch."""
    env = dgws.service_envelope(mock.card(), dgws.iti18_body(CPR_OLD))
    env = env.replace(v.NS["soap"].encode(), v.NS["soap12"].encode())
    r = mock.http.post(path, content=env,
                       headers={"content-type": f'application/soap+xml; charset=utf-8; action="{v.ACTION_ITI18}"'})
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(r.content)
    assert root.tag == f"{{{v.NS['soap']}}}Envelope"
    assert root.findtext(f".//{{{v.NS['soap']}}}Fault/faultcode") == "soap:VersionMismatch"
    assert mock.journal()[-1]["summary"]["fault"]["code"] == "VersionMismatch"


def test_the_answer_header_validates_against_the_real_medcom_schema(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    header = etree.fromstring(r.content).find(f".//{{{v.NS['medcom']}}}Header")
    assert header is not None
    etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/medcom.xsd")))).assertValid(
        etree.ElementTree(copy.deepcopy(header)))
