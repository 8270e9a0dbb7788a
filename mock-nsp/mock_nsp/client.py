"""A small DGWS client: signed STS requests and service envelopes, as SOSI Seal builds them.

Used by the mock's benchmark and tests; it is also a readable example of what a vendor sends.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

import nsp_vocabulary as v
from mock_nsp.security import xmldsig
from mock_nsp.security.ca import cert_sha1_b64

NS = v.NS
_E = {k: "{" + NS[k] + "}" for k in ("soap", "saml", "wst", "wsse", "wsu", "medcom", "ds", "wsa", "hsuid",
                                       "query", "rim", "xds")}
SAML, SOAP = _E["saml"], _E["soap"]


def _ts(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _attr(statement: etree._Element, name: str, value: str, name_format: str | None = None) -> None:
    attr = etree.SubElement(statement, SAML + "Attribute", Name=name)
    if name_format:
        attr.set("NameFormat", name_format)
    etree.SubElement(attr, SAML + "AttributeValue").text = value


def idcard_request(
    cert_pem: str, key_pem: str, cvr: str, org_name: str, system_name: str = "nspcert",
    card_type: str = "system", level: int | None = None, user: dict[str, str] | None = None,
    now: datetime | None = None, algorithm: str = "rsa-sha1", version: str = v.IDCARD_VERSION,
) -> bytes:
    """A signed DGWS 1.0.1 RequestSecurityToken (system card level 3, or user card level 4). `user` holds the
    employee of a user card: cpr, given, surname, role, authorization_code (each optional)."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    key = serialization.load_pem_private_key(key_pem.encode(), None, unsafe_skip_rsa_key_validation=True)
    assert isinstance(key, rsa.RSAPrivateKey)
    a = etree.Element(SAML + "Assertion", nsmap={"saml": NS["saml"], "ds": NS["ds"]},
                      IssueInstant=_ts(now - timedelta(minutes=5)), Version="2.0", id="IDCard")
    etree.SubElement(a, SAML + "Issuer").text = system_name
    _subject(a, cvr if card_type == "system" else None, (user or {}).get("cpr", ""))
    etree.SubElement(a, SAML + "Conditions", NotBefore=_ts(now - timedelta(minutes=5)),
                     NotOnOrAfter=_ts(now + timedelta(hours=24)))
    level = level if level is not None else (3 if card_type == "system" else 4)
    _statement(a, "IDCardData", [("sosi:IDCardID", base64.b64encode(secrets.token_bytes(16)).decode()),
                                 ("sosi:IDCardVersion", version), ("sosi:IDCardType", card_type),
                                 ("sosi:AuthenticationLevel", str(level)), ("sosi:OCESCertHash", cert_sha1_b64(cert))])
    if card_type == "user":
        u = user or {}
        _statement(a, "UserLog", [(name, u[key_]) for name, key_ in _USER_ATTRIBUTES if u.get(key_)])
    _statement(a, "SystemLog", [("medcom:ITSystemName", system_name), ("medcom:CareProviderID", cvr),
                                ("medcom:CareProviderName", org_name)])
    return _rst_envelope(xmldsig.sign_enveloped(a, key, cert_pem, algorithm), now, system_name)


#: a user card's UserLog attributes, from the keys of `user`
_USER_ATTRIBUTES = (("medcom:UserCivilRegistrationNumber", "cpr"), ("medcom:UserGivenName", "given"),
                    ("medcom:UserSurName", "surname"), ("medcom:UserRole", "role"),
                    ("medcom:UserAuthorizationCode", "authorization_code"))


def _subject(assertion: etree._Element, cvr: str | None, cpr: str) -> None:
    """The holder-of-key subject: the organisation (system card) or the employee (user card)."""
    subject = etree.SubElement(assertion, SAML + "Subject")
    fmt, subject_id = ("medcom:cvrnumber", cvr) if cvr is not None else ("medcom:cprnumber", cpr)
    etree.SubElement(subject, SAML + "NameID", Format=fmt).text = subject_id
    conf = etree.SubElement(subject, SAML + "SubjectConfirmation")
    etree.SubElement(conf, SAML + "ConfirmationMethod").text = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"
    ki = etree.SubElement(etree.SubElement(conf, SAML + "SubjectConfirmationData"), _E["ds"] + "KeyInfo")
    etree.SubElement(ki, _E["ds"] + "KeyName").text = "OCESSignature"


def _statement(assertion: etree._Element, statement_id: str, values: list[tuple[str, str]]) -> None:
    statement = etree.SubElement(assertion, SAML + "AttributeStatement", id=statement_id)
    for name, value in values:
        _attr(statement, name, value, "medcom:cvrnumber" if name == "medcom:CareProviderID" else None)


def _rst_envelope(assertion: etree._Element, now: datetime, system_name: str) -> bytes:
    nsmap = {k: NS[k] for k in ("ds", "medcom", "saml", "sosi", "wsa", "wsse", "wst", "wsu", "xsd", "xsi")}
    nsmap["soapenv"] = NS["soap"]
    env = etree.Element(SOAP + "Envelope", nsmap=nsmap, id="Envelope")
    sec = etree.SubElement(etree.SubElement(env, SOAP + "Header"), _E["wsse"] + "Security")
    etree.SubElement(etree.SubElement(sec, _E["wsu"] + "Timestamp"), _E["wsu"] + "Created").text = _ts(now)
    rst = etree.SubElement(etree.SubElement(env, SOAP + "Body"), _E["wst"] + "RequestSecurityToken",
                           Context=v.STS_CONTEXT)
    etree.SubElement(rst, _E["wst"] + "TokenType").text = v.SAML_TOKEN_TYPE
    etree.SubElement(rst, _E["wst"] + "RequestType").text = "http://schemas.xmlsoap.org/ws/2005/02/trust/Issue"
    etree.SubElement(rst, _E["wst"] + "Claims").append(assertion)
    etree.SubElement(etree.SubElement(rst, _E["wst"] + "Issuer"), _E["wsa"] + "Address").text = system_name
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def card_from_response(response: bytes) -> bytes:
    """The STS-issued `saml:Assertion` (serialised exactly as received) from an STS response."""
    root = etree.fromstring(response)
    node = root.find(f".//{_E['wst']}RequestedSecurityToken/{SAML}Assertion")
    if node is None:
        raise ValueError("no ID card in the STS response")
    return etree.tostring(node)


def hsuid_header(acting_cpr: str, org_sor: str, system_name: str = "nspcert", system_version: str = "1.0",
                 system_owner: str = "nspcert", citizen_cpr: str | None = None,
                 authorization_code: str | None = None) -> etree._Element:
    h = _E["hsuid"]
    header = etree.Element(h + "HsuidHeader", nsmap={"hsuid": NS["hsuid"]})
    a = etree.SubElement(header, h + "Assertion", IssueInstant=_ts(datetime.now(UTC)), Version="2.0",
                         id="HSUID")
    etree.SubElement(a, h + "Issuer").text = system_name
    st = etree.SubElement(a, h + "AttributeStatement", id="HSUIDdata")
    values = [("nsi:UserType", v.HSUID_USER_TYPE_PROFESSIONAL), ("nsi:ActingUserCivilRegistrationNumber", acting_cpr),
              ("nsi:OrgUsingID", org_sor), ("nsi:SystemOwnerName", system_owner), ("nsi:SystemName", system_name),
              ("nsi:SystemVersion", system_version)]
    if citizen_cpr:
        values.append(("nsi:CitizenCivilRegistrationNumber", citizen_cpr))
    if authorization_code:
        values += [("nsi:ResponsibleUserCivilRegistrationNumber", acting_cpr),
                   ("nsi:ResponsibleUserAuthorizationCode", authorization_code)]
    for name, value in values:
        attr = etree.SubElement(st, h + "Attribute", Name=name)
        if name == "nsi:OrgUsingID":
            attr.set("NameFormat", v.HSUID_ORG_NAMEFORMAT_SOR)
        etree.SubElement(attr, h + "AttributeValue").text = value
    return header


def service_envelope(card: bytes | None, body: etree._Element, hsuid: etree._Element | None = None,
                     message_id: str | None = "auto", now: datetime | None = None) -> bytes:
    """A DGWS service request: wsse:Security (Timestamp + card), medcom:Header, optional HSUID, body."""
    now = now or datetime.now(UTC)
    nsmap = {"soap": NS["soap"], "wsse": NS["wsse"], "wsu": NS["wsu"], "medcom": NS["medcom"]}
    env = etree.Element(SOAP + "Envelope", nsmap=nsmap)
    header = etree.SubElement(env, SOAP + "Header")
    sec = etree.SubElement(header, _E["wsse"] + "Security")
    etree.SubElement(etree.SubElement(sec, _E["wsu"] + "Timestamp"), _E["wsu"] + "Created").text = _ts(now)
    if card:
        sec.append(etree.fromstring(card))
    mh = etree.SubElement(header, _E["medcom"] + "Header")
    etree.SubElement(mh, _E["medcom"] + "SecurityLevel").text = "3"
    linking = etree.SubElement(mh, _E["medcom"] + "Linking")
    etree.SubElement(linking, _E["medcom"] + "FlowID").text = str(uuid.uuid4())
    if message_id is not None:
        mid = str(uuid.uuid4()) if message_id == "auto" else message_id
        etree.SubElement(linking, _E["medcom"] + "MessageID").text = mid
    etree.SubElement(mh, _E["medcom"] + "RequireNonRepudiationReceipt").text = "no"
    if hsuid is not None:
        header.append(hsuid)
    etree.SubElement(env, SOAP + "Body").append(body)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def iti18_body(cpr: str, format_code: str = v.FORMAT_CODE_PDC_V3) -> etree._Element:
    q, r = _E["query"], _E["rim"]
    req = etree.Element(q + "AdhocQueryRequest", nsmap={"query": NS["query"], "rim": NS["rim"]})
    etree.SubElement(req, q + "ResponseOption", returnComposedObjects="true", returnType="LeafClass")
    adhoc = etree.SubElement(req, r + "AdhocQuery", id=v.FIND_DOCUMENTS_QUERY_ID)
    slots = [("$XDSDocumentEntryPatientId", [f"'{v.patient_id(cpr)}'"]),
             ("$XDSDocumentEntryStatus", [f"('{v.STATUS_APPROVED}')"]),
             ("$XDSDocumentEntryType", [f"('{v.ENTRY_TYPE_ON_DEMAND}')", f"('{v.ENTRY_TYPE_STABLE}')"]),
             ("$XDSDocumentEntryFormatCode", [f"('{format_code}^^{v.FORMAT_CODING_SCHEME}')"])]
    for name, values in slots:
        vl = etree.SubElement(etree.SubElement(adhoc, r + "Slot", name=name), r + "ValueList")
        for value in values:
            etree.SubElement(vl, r + "Value").text = value
    return req


def iti43_body(document_unique_id: str, repository: str = v.SFSK_REPOSITORY_UNIQUE_ID,
               home: str | None = v.SFSK_HOME_COMMUNITY_ID) -> etree._Element:
    x = _E["xds"]
    req = etree.Element(x + "RetrieveDocumentSetRequest", nsmap={"xds": NS["xds"]})
    dr = etree.SubElement(req, x + "DocumentRequest")
    if home:
        etree.SubElement(dr, x + "HomeCommunityId").text = home
    etree.SubElement(dr, x + "RepositoryUniqueId").text = repository
    etree.SubElement(dr, x + "DocumentUniqueId").text = document_unique_id
    return req
