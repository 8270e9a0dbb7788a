"""The SOSI STS: real XML-DSig validation against the mock's trust store (SPEC §3.1)."""

from __future__ import annotations

import base64
import copy
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from lxml import etree
from mocknsp_support import CVR, Mock
from nsp_reference import reference

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.security import xmldsig
from mock_nsp.security.ca import cert_sha1_b64

SAML = v.NS["saml"]


def _request(mock: Mock, kind: str = "function", card_type: str = "system", **kwargs: object) -> bytes:
    cert = mock.certificate(kind, **{k: val for k, val in kwargs.items() if k in ("untrusted", "not_after",
                                                                                  "not_before")})
    extra = {k: val for k, val in kwargs.items() if k not in ("untrusted", "not_after", "not_before")}
    user = {"cpr": "0101701234", "given": "Hanne", "surname": "Test"} if card_type == "user" else None
    return dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org",
                               card_type=card_type, user=user, **extra)  # type: ignore[arg-type]


def _card(response: bytes) -> etree._Element:
    return etree.fromstring(dgws.card_from_response(response))


def _attr(card: etree._Element, name: str) -> str | None:
    for attr in card.iter(f"{{{SAML}}}Attribute"):
        if attr.get("Name") == name:
            return attr.findtext(f"{{{SAML}}}AttributeValue")
    return None


def test_system_card_level_3_from_function_certificate(mock: Mock) -> None:
    r = mock.sts(_request(mock))
    assert r.status_code == 200
    card = _card(r.content)
    assert card.get("id") == "IDCard"
    assert card.findtext(f"{{{SAML}}}Issuer") == v.MOCK_STS_ISSUER
    assert (_attr(card, "sosi:IDCardType"), _attr(card, "sosi:AuthenticationLevel")) == ("system", "3")
    assert _attr(card, "medcom:CareProviderID") == CVR
    sts_cert = mock.state.ca.sts.cert
    xmldsig.verify_enveloped(card, sts_cert, datetime.now(UTC))
    sig = card.find(f"{{{v.NS['ds']}}}Signature")
    assert sig is not None and sig.get("id") == "OCESSignature"


def test_user_card_level_4_from_employee_certificate(mock: Mock) -> None:
    r = mock.sts(_request(mock, "employee", "user"))
    assert r.status_code == 200, r.text
    card = _card(r.content)
    assert (_attr(card, "sosi:IDCardType"), _attr(card, "sosi:AuthenticationLevel")) == ("user", "4")
    assert _attr(card, "medcom:UserCivilRegistrationNumber") == "0101701234"


def _employee_request(mock: Mock, user: dict[str, str]) -> bytes:
    cert = mock.certificate("employee", cpr="0101701234")
    return dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org", card_type="user",
                               user=user)


def test_an_employee_certificate_carries_the_employees_cpr(mock: Mock) -> None:
    cert = mock.certificate("employee", cpr="0101701234")
    subject = x509.load_pem_x509_certificate(cert["certificate_pem"].encode()).subject
    assert subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)[0].value == f"CVR:{CVR}-RID:0101701234"


def test_the_user_card_carries_the_cpr_of_the_certificates_employee(mock: Mock) -> None:
    r = mock.sts(_employee_request(mock, {"given": "Hanne", "surname": "Test"}))
    assert r.status_code == 200, r.text
    card = _card(r.content)
    assert _attr(card, "medcom:UserCivilRegistrationNumber") == "0101701234"
    xmldsig.verify_enveloped(card, mock.state.ca.sts.cert, datetime.now(UTC))
    assert [st.get("id") for st in card.findall(f"{{{SAML}}}AttributeStatement")] == [
        "IDCardData", "UserLog", "SystemLog"]
    assert mock.journal(service="sts")[-1]["summary"]["idcard"]["user_cpr"] == "0101701234"


def test_a_user_card_for_another_cpr_than_the_certificates_is_refused(mock: Mock) -> None:
    r = mock.sts(_employee_request(mock, {"cpr": "0202802222", "given": "Hanne"}))
    assert r.status_code == 500
    assert "not the CPR of the certificate's employee" in r.text
    assert mock.sts(_employee_request(mock, {"cpr": "0101701234"})).status_code == 200


def test_sha256_signatures_are_accepted(mock: Mock) -> None:
    assert mock.sts(_request(mock, algorithm="rsa-sha256")).status_code == 200


def test_card_lifetime_is_configurable(mock: Mock) -> None:
    mock.http.put("/__admin/settings", json={"idcard_lifetime_seconds": 600})
    card = _card(mock.sts(_request(mock)).content)
    cond = card.find(f"{{{SAML}}}Conditions")
    assert cond is not None
    start = datetime.fromisoformat(str(cond.get("NotBefore")).replace("Z", "+00:00"))
    end = datetime.fromisoformat(str(cond.get("NotOnOrAfter")).replace("Z", "+00:00"))
    assert end - start == timedelta(seconds=600)


def _tamper(request: bytes) -> bytes:
    return request.replace(f">{CVR}<".encode(), b">87654321<", 1)


@pytest.mark.parametrize(
    ("case", "expect"),
    [
        ("tampered", "signature"),
        ("untrusted", "trusted CA"),
        ("expired", "expired"),
        ("wrong-level", "AuthenticationLevel"),
        ("employee-cert-for-system-card", "function certificate"),
        ("function-cert-for-user-card", "employee certificate"),
        ("wrong-version", "IDCardVersion"),
    ],
)
def test_bad_requests_are_refused_with_a_soap_fault(mock: Mock, case: str, expect: str) -> None:
    now = datetime.now(UTC)
    request = {
        "tampered": lambda: _tamper(_request(mock)),
        "untrusted": lambda: _request(mock, untrusted=True),
        "expired": lambda: _request(mock, not_before=(now - timedelta(days=30)).isoformat(),
                                    not_after=(now - timedelta(days=1)).isoformat()),
        "wrong-level": lambda: _request(mock, level=4),
        "employee-cert-for-system-card": lambda: _request(mock, "employee"),
        "function-cert-for-user-card": lambda: _request(mock, "function", "user"),
        "wrong-version": lambda: _request(mock, version="1.0"),
    }[case]()
    r = mock.sts(request)
    assert r.status_code == 500
    fault = etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault")
    assert fault is not None
    assert expect in (fault.findtext("faultstring") or "")


def test_faults_can_come_with_http_200_like_the_real_sts(mock: Mock) -> None:
    mock.http.put("/__admin/settings", json={"sts_fault_http_status": 200})
    r = mock.sts(_tamper(_request(mock)))
    assert r.status_code == 200
    assert etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault") is not None


@pytest.mark.parametrize("body", [b"<soap:Envelope><unclosed>", b"not xml", b"<a/>"])
def test_malformed_requests_get_the_configured_fault_status(mock: Mock, body: bytes) -> None:
    mock.http.put("/__admin/settings", json={"sts_fault_http_status": 200})
    r = mock.sts(body)
    assert r.status_code == 200
    assert etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault") is not None


def test_a_request_without_a_signature_is_refused(mock: Mock) -> None:
    root = etree.fromstring(_request(mock))
    for sig in root.iter(f"{{{v.NS['ds']}}}Signature"):
        sig.getparent().remove(sig)  # type: ignore[union-attr]
    assert mock.sts(etree.tostring(root)).status_code == 500


def _seal_sample() -> bytes:
    """The SOSI Seal STS request as Seal sent it: the stored copy was pretty-printed after signing, so the
    whitespace-only text nodes are removed again (with them, its own digest does not match)."""
    raw = reference("sts-samples/sts-request-system-idcard.xml").read_bytes()
    return etree.tostring(etree.fromstring(raw, etree.XMLParser(remove_blank_text=True)))


def test_the_real_seal_request_signature_verifies_but_its_ca_is_not_trusted(mock: Mock) -> None:
    """The SOSI Seal sample (RSA-SHA1, SHA-1 digest, exc-c14n, lowercase id, X509Data) verifies."""
    raw = _seal_sample()
    root = etree.fromstring(raw)
    assertion = next(a for a in root.iter(f"{{{SAML}}}Assertion") if a.get("id") == "IDCard")
    cert = xmldsig.embedded_certificate(assertion)
    covered = xmldsig.verify_enveloped(copy.deepcopy(assertion), cert, datetime(2025, 8, 26, 14, tzinfo=UTC))
    assert covered.get("id") == "IDCard"
    assert cert_sha1_b64(cert) == _attr(assertion, "sosi:OCESCertHash")
    r = mock.sts(raw)
    assert r.status_code == 500 and b"trusted CA" in r.content


def test_the_real_seal_request_fails_when_one_byte_changes() -> None:
    root = etree.fromstring(_seal_sample().replace(b"Service Consumer Test", b"Service Consumer Tesx"))
    assertion = next(a for a in root.iter(f"{{{SAML}}}Assertion") if a.get("id") == "IDCard")
    cert = xmldsig.embedded_certificate(assertion)
    with pytest.raises(xmldsig.SignatureError):
        xmldsig.verify_enveloped(assertion, cert, datetime(2025, 8, 26, 14, tzinfo=UTC))


def test_issued_card_validates_against_the_real_saml_schema(mock: Mock) -> None:
    schema = etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/saml.xsd"))))
    card = _card(mock.sts(_request(mock)).content)
    schema.assertValid(card)


def test_pkcs12_holds_the_certificate(mock: Mock) -> None:
    from cryptography.hazmat.primitives.serialization import pkcs12

    cert = mock.certificate()
    key, leaf, _ = pkcs12.load_key_and_certificates(base64.b64decode(cert["pkcs12_base64"]),
                                                    cert["pkcs12_password"].encode())
    assert key is not None and leaf == x509.load_pem_x509_certificate(cert["certificate_pem"].encode())
    ca = mock.http.get("/__admin/ca").json()
    assert ca["certificate_pem"] == cert["ca_pem"]


def test_the_real_seal_request_layout_is_accepted_when_signed_by_a_trusted_certificate(mock: Mock) -> None:
    """The Seal sample, as it is, with only the signer swapped for a certificate from the mock's CA."""
    from cryptography.hazmat.primitives import serialization

    cert = mock.certificate(cvr="33257872")
    root = etree.fromstring(_seal_sample())
    assertion = next(a for a in root.iter(f"{{{SAML}}}Assertion") if a.get("id") == "IDCard")
    sig = assertion.find(f"{{{v.NS['ds']}}}Signature")
    assert sig is not None
    assertion.remove(sig)
    for attr in assertion.iter(f"{{{SAML}}}Attribute"):
        if attr.get("Name") == "sosi:OCESCertHash":
            value = attr.find(f"{{{SAML}}}AttributeValue")
            assert value is not None
            value.text = cert_sha1_b64(x509.load_pem_x509_certificate(cert["certificate_pem"].encode()))
    key = serialization.load_pem_private_key(cert["private_key_pem"].encode(), None)
    signed = xmldsig.sign_enveloped(assertion, key, cert["certificate_pem"], "rsa-sha1")  # type: ignore[arg-type]
    claims = root.find(f".//{{{v.NS['wst']}}}Claims")
    assert claims is not None
    claims.remove(assertion)
    claims.append(signed)
    created = root.findtext(f".//{{{v.NS['wsu']}}}Created")  # the STS judges the card's period by its own clock
    assert mock.http.put("/__admin/clock", json={"now": created}).status_code == 200
    r = mock.sts(etree.tostring(root))
    assert r.status_code == 200, r.text
    assert _attr(_card(r.content), "medcom:CareProviderID") == "33257872"


def test_sts_response_security_header_validates_against_the_real_wsse_schema(mock: Mock) -> None:
    schema = etree.XMLSchema(etree.parse(str(reference("sfsk/xsd/wsse.xsd"))))
    root = etree.fromstring(mock.sts(_request(mock)).content)
    security = root.find(f".//{{{v.NS['wsse']}}}Security")
    assert security is not None
    schema.assertValid(etree.ElementTree(copy.deepcopy(security)))
    call = etree.fromstring(dgws.service_envelope(mock.card(), etree.Element("x")))
    service_security = call.find(f".//{{{v.NS['wsse']}}}Security")
    assert service_security is not None
    schema.assertValid(etree.ElementTree(copy.deepcopy(service_security)))


@pytest.mark.parametrize(("part", "shift", "complaint"), [
    ("IssueInstant", timedelta(minutes=6), "IssueInstant"),
    ("NotBefore", timedelta(minutes=6), "not valid yet"),
    ("NotOnOrAfter", -timedelta(hours=24, minutes=1), "expired"),
])
def test_a_card_not_valid_now_by_the_sts_clock_is_not_signed(mock: Mock, part: str, shift: timedelta,
                                                              complaint: str) -> None:
    """The STS is asked to sign a card valid now (SOSI's clients date it 5 minutes back): one that starts later, or
    has ended, is refused."""
    from cryptography.hazmat.primitives import serialization

    cert = mock.certificate()
    root = etree.fromstring(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org"))
    assertion = next(a for a in root.iter(f"{{{SAML}}}Assertion") if a.get("id") == "IDCard")
    holder = assertion if part == "IssueInstant" else assertion.find(f"{{{SAML}}}Conditions")
    assert holder is not None
    moved = datetime.fromisoformat(str(holder.get(part)).replace("Z", "+00:00")) + shift
    holder.set(part, moved.strftime("%Y-%m-%dT%H:%M:%SZ"))
    signature = assertion.find(f"{{{v.NS['ds']}}}Signature")
    assert signature is not None
    assertion.remove(signature)
    key = serialization.load_pem_private_key(cert["private_key_pem"].encode(), None)
    signed = xmldsig.sign_enveloped(assertion, key, cert["certificate_pem"], "rsa-sha256")  # type: ignore[arg-type]
    claims = root.find(f".//{{{v.NS['wst']}}}Claims")
    assert claims is not None
    claims.remove(assertion)
    claims.append(signed)
    r = mock.sts(etree.tostring(root))
    assert r.status_code == 500 and complaint in r.text


def test_while_a_scenario_sets_the_platforms_time_a_card_dated_by_the_clients_clock_is_signed(mock: Mock) -> None:
    """A client that does not follow the platform's clock dates its request by real time; with the platform's time
    set for a scenario (here a year back) the STS must not refuse it: that would fail a correct system."""
    mock.http.put("/__admin/clock", json={"now": "2025-01-14T12:00:00+01:00"}).raise_for_status()
    cert = mock.certificate()
    r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "Test Org"))
    assert r.status_code == 200, r.text
    assert dgws.card_from_response(r.content) is not None
