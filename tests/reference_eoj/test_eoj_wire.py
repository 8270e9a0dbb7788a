"""What the reference EOJ puts on the wire, checked against the real NSP schemas and samples."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree
from nsp_reference import reference
from signxml import XMLVerifier
from signxml.verifier import SignatureConfiguration

import nsp_vocabulary as v
from reference_eoj.nsp import idsas, minlog, sfsk
from reference_eoj.nsp.dgws import SystemIdentity, hsuid_header
from reference_eoj.nsp.sts import CardRequest, FunctionCertificate, build_request
from reference_eoj.users import Employee

NOW = datetime(2025, 3, 30, 0, 30, tzinfo=UTC)
EMPLOYEE = Employee("0101701234", "Hanne Marie", "Hansen", "AB123", "sygeplejerske", "123456789012345", "Testkommune")


def tag(prefix: str, local: str) -> str:
    return f"{{{v.NS[prefix]}}}{local}"


def schema(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(reference(relative))))


def test_sts_request_is_a_signed_system_idcard_like_seal(function_cert: tuple[Path, Path]) -> None:
    cert = FunctionCertificate.load(*function_cert)
    envelope = build_request(cert, CardRequest("12345678", "Testkommune", "nspcert reference EOJ"), NOW)
    parsed = etree.fromstring(etree.tostring(envelope))
    assertion = parsed.find(".//" + tag("saml", "Assertion"))
    attributes = {a.get("Name"): a.findtext(tag("saml", "AttributeValue"))
                  for a in assertion.iter(tag("saml", "Attribute"))}
    assert assertion.get("id") == "IDCard"
    assert attributes["sosi:IDCardVersion"] == "1.0.1"
    assert attributes["sosi:IDCardType"] == "system"
    assert attributes["sosi:AuthenticationLevel"] == "3"
    assert attributes["medcom:CareProviderID"] == "12345678"
    assert parsed.find(".//" + tag("wst", "RequestSecurityToken")).get("Context") == "www.sosi.dk"
    config = SignatureConfiguration(expect_references=1, location="./")
    XMLVerifier().verify(assertion, x509_cert=cert.cert_pem.decode(), id_attribute="id", expect_config=config,
                         validate_schema=False)  # SOSI puts a lowercase `id` on ds:Signature
    signature = assertion.find(tag("ds", "Signature"))
    assert signature.get("id") == "OCESSignature"
    assert signature.find(".//" + tag("ds", "CanonicalizationMethod")).get("Algorithm") == \
        "http://www.w3.org/2001/10/xml-exc-c14n#"


def test_sts_request_statements_match_the_real_seal_sample(function_cert: tuple[Path, Path]) -> None:
    sample = etree.parse(str(reference("sts-samples/sts-request-system-idcard.xml")))
    ours = build_request(FunctionCertificate.load(*function_cert), CardRequest("1", "x", "y"), NOW)

    def names(tree: etree._Element | etree._ElementTree) -> list[str]:
        return [str(a.get("Name")) for a in tree.iter(tag("saml", "Attribute"))]

    assert names(ours) == names(sample)


def test_hsuid_header_is_valid_against_the_real_xsd() -> None:
    header = hsuid_header(EMPLOYEE, "0408801111", SystemIdentity("EOJ", "1.0", "Vendor"), NOW)
    schema("sfsk/xsd/hsuid-1_1.xsd").assertValid(etree.fromstring(etree.tostring(header)))
    values = {a.get("Name"): a.findtext(tag("hsuid", "AttributeValue")) for a in header.iter(tag("hsuid", "Attribute"))}
    assert values["nsi:UserType"] == v.HSUID_USER_TYPE_PROFESSIONAL
    assert values["nsi:ActingUserCivilRegistrationNumber"] == EMPLOYEE.cpr
    assert values["nsi:OrgUsingID"] == EMPLOYEE.sor_code
    assert values["nsi:CitizenCivilRegistrationNumber"] == "0408801111"


def hsuid_values(employee: Employee) -> dict[str, str | None]:
    header = hsuid_header(employee, "0408801111", SystemIdentity("EOJ", "1.0", "Vendor"), NOW)
    schema("sfsk/xsd/hsuid-1_1.xsd").assertValid(etree.fromstring(etree.tostring(header)))
    return {a.get("Name"): a.findtext(tag("hsuid", "AttributeValue")) for a in header.iter(tag("hsuid", "Attribute"))}


def test_hsuid_names_the_professional_a_care_worker_acts_for() -> None:
    worker = Employee("0202702345", "Lis", "Berg", "", "social- og sundhedshjælper", "123456789012345", "Testkommune",
                      responsible_cpr="0101701234", responsible_authorisation_id="AB123")
    values = hsuid_values(worker)
    assert values["nsi:ActingUserCivilRegistrationNumber"] == "0202702345"
    assert values["nsi:ResponsibleUserCivilRegistrationNumber"] == "0101701234"
    assert values["nsi:ResponsibleUserAuthorizationCode"] == "AB123"


def test_hsuid_without_authorisation_or_responsible_user_names_no_responsible_user() -> None:
    values = hsuid_values(Employee("0202702345", "Lis", "Berg", "", "", "123456789012345", "Testkommune"))
    assert "nsi:ResponsibleUserCivilRegistrationNumber" not in values
    assert values["nsi:ActingUserCivilRegistrationNumber"] == "0202702345"
    assert hsuid_values(EMPLOYEE)["nsi:ResponsibleUserCivilRegistrationNumber"] == EMPLOYEE.cpr  # in own right


def test_iti18_query_is_valid_and_asks_for_pdc_v3() -> None:
    request = sfsk.find_documents("0408801111", v.FORMAT_CODE_PDC_V3)
    schema("sfsk/xsd/query.xsd").assertValid(etree.fromstring(etree.tostring(request)))
    slots = {s.get("name"): [x.text for x in s.iter(tag("rim", "Value"))] for s in request.iter(tag("rim", "Slot"))}
    assert slots["$XDSDocumentEntryPatientId"] == ["'0408801111^^^&1.2.208.176.1.2&ISO'"]
    assert slots["$XDSDocumentEntryFormatCode"] == ["('urn:ad:dk:medcom:pdc-v3.0:full^^1.2.208.184.100.10')"]
    assert slots["$XDSDocumentEntryStatus"] == [f"('{v.STATUS_APPROVED}')"]
    assert len(slots["$XDSDocumentEntryType"]) == 2


def test_minlog_request_is_valid_against_the_2025_schema() -> None:
    entry = minlog.LogEntry("f" * 36, "nspcert reference EOJ", "Opslag i Fælles Stamkort", "2025-03-30T02:30:00+02:00",
                            "123456789012345", "Testkommune", "0408801111", EMPLOYEE.cpr, "x" * 80, "sygeplejerske")
    request = minlog.registration_request([entry, entry])
    schema("minlog2/xsd/minlog2-registration_20250312.xsd").assertValid(etree.fromstring(etree.tostring(request)))


@pytest.mark.parametrize(("given", "family", "expected_input"), [
    ("Hanne Marie", "Hansen", "HANNE+MARIE+HANSEN+0408801111+c2FsdA=="),
    ("Jens", "Ørsted Nielsen", "JENS+ØRSTED+NIELSEN+0408801111+c2FsdA=="),
    ("jens ", "Nielsen", "JENS++NIELSEN+0408801111+c2FsdA=="),  # every space is a +, nothing trimmed
])
def test_pseudonym_is_uuid5_over_the_documented_input(given: str, family: str, expected_input: str) -> None:
    import uuid

    expected = str(uuid.uuid5(uuid.UUID(v.PSEUDONYM_NAMESPACE), expected_input))
    assert idsas.pseudonym(given, family, "0408801111", "c2FsdA==") == expected


@pytest.mark.parametrize(("given", "family", "expected"), [
    ("Hanne Marie", "Hansen", "b23ec71e-b55b-5eb8-b94e-c936022dad9e"),
    ("hanne marie", "HANSEN", "b23ec71e-b55b-5eb8-b94e-c936022dad9e"),  # upper case
    ("Hanne  Marie", "Hansen", "3c1b22ee-0d2a-5475-9e37-d9e426fc8d7f"),  # two spaces: HANNE++MARIE
])
def test_pseudonym_matches_a_vector_computed_by_hand(given: str, family: str, expected: str) -> None:
    # SPEC §5: UUID v5, namespace 6ba7b812-9dad-11d1-80b4-00c04fd430c8 (the RFC 4122 OID namespace), over
    # "HANNE+MARIE+HANSEN+0408801111+c2FsdA==" (and "HANNE++MARIE+…") in UTF-8; computed once with Python's
    # uuid.uuid5 outside this code base and written down here, so a change of the algorithm cannot recompute
    # its own answer. tests/harness/test_masking.py pins the harness's own computation to the same vectors.
    assert idsas.pseudonym(given, family, "0408801111", "c2FsdA==") == expected


@pytest.mark.parametrize(("status", "content", "error"), [
    (200, (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
          b"<faultcode>soap:Server</faultcode><faultstring>Certificate is not trusted</faultstring><detail>"
          b'<medcom:FaultCode xmlns:medcom="http://www.medcom.dk/dgws/2006/04/dgws-1.0.xsd">sosigw_access_denied'
          b"</medcom:FaultCode></detail></soap:Fault></soap:Body></soap:Envelope>"), "SoapFault"),
    (503, b"<html>down</html>", "TransportError"),
    (200, b"", "TransportError"),
    (200, b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "TransportError"),
])
def test_soap_answers_become_typed_errors(status: int, content: bytes, error: str) -> None:
    import httpx

    from reference_eoj.nsp.soap import NspError, SoapClient
    from reference_eoj.xml import el

    client = SoapClient("http://nsp.test", 1.0, httpx.MockTransport(lambda r: httpx.Response(status, content=content)))
    with pytest.raises(NspError) as raised:
        client.call("STS", v.PATH_STS, v.ACTION_STS_ISSUE, el(None, "soap", "Envelope"))
    assert type(raised.value).__name__ == error
    assert raised.value.user_message
    if error == "SoapFault":
        assert raised.value.fault.dgws_code == "sosigw_access_denied"  # type: ignore[attr-defined]
