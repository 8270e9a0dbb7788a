"""The SOSI STS (`/sts/services/NewSecurityTokenService`): DGWS 1.0.1 RequestSecurityToken → STS-signed ID card."""

from __future__ import annotations

import base64
import copy
import secrets
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from lxml import etree

import nsp_vocabulary as v
from mock_nsp.registers.clock import Clock, xs_datetime
from mock_nsp.security import ca as ca_mod
from mock_nsp.security import idcard, xmldsig
from mock_nsp.security.ca import TestCA
from mock_nsp.settings import RuntimeConfig
from mock_nsp.soap import SoapFault, body_child

WST = v.NS["wst"]
SAML = v.NS["saml"]
_LEVEL_FOR_TYPE = {"system": 3, "user": 4}
_CERT_KIND_FOR_TYPE = {"system": ca_mod.KIND_FUNCTION, "user": ca_mod.KIND_EMPLOYEE}
USER_CPR = "medcom:UserCivilRegistrationNumber"


@dataclass(frozen=True)
class Issued:
    """An issued card: the signed assertion and what was read from the request."""

    assertion: etree._Element
    card: idcard.IDCard


def sts_fault(reason: str, config: RuntimeConfig, code: str = "Client") -> SoapFault:
    return SoapFault(string=reason, code=code, http_status=config.sts_fault_http_status)


class Sts:
    """Validates signed ID card requests against the trust store and issues STS-signed cards."""

    def __init__(self, ca: TestCA, clock: Clock) -> None:
        self.ca = ca
        self.clock = clock

    def issue(self, root: etree._Element, config: RuntimeConfig) -> Issued:
        request = self._request_card(root, config)
        cert = self._trusted_cert(request, config)
        covered = self._verified(request, cert, config)
        card = idcard.read(covered)
        self._check_card(card, cert, config)
        self._check_in_time(covered, card, config)
        return Issued(self._new_card(covered, card, cert, config), card)

    def _check_in_time(self, assertion: etree._Element, card: idcard.IDCard, config: RuntimeConfig) -> None:
        """The card the STS is asked to sign must be valid now by the STS's clock: issued and starting no later than
        now, ending after it. SOSI's clients date a card 5 minutes back for that (the sample STS request's IssueInstant
        and NotBefore lie 5 minutes before its wsu:Created), which also covers a client clock a little ahead.

        Not judged while a scenario has set the platform's time (frozen or shifted): a client dates its request by
        its own clock, which cannot know the simulated time unless it follows the platform's (driver capability
        ``clock``), and refusing it then would fail a correct system. The cards the STS issues are dated by the
        platform's time either way, and the services judge those."""
        if self.clock.simulated:
            return
        now = self.clock.now()
        issued = idcard.instant(assertion.get("IssueInstant"))
        if issued is None or issued > now:
            raise sts_fault(f"The ID card's IssueInstant {assertion.get('IssueInstant')!r} is not before the STS's "
                            f"time {xs_datetime(now)}", config)
        if card.not_before is None or card.not_before > now:
            raise sts_fault(f"The ID card is not valid yet (NotBefore after the STS's time {xs_datetime(now)})", config)
        if card.not_on_or_after is None or card.not_on_or_after <= now:
            raise sts_fault(f"The ID card has expired (NotOnOrAfter not after the STS's time {xs_datetime(now)})", config)

    def _request_card(self, root: etree._Element, config: RuntimeConfig) -> etree._Element:
        rst = body_child(root)
        if rst is None or rst.tag != f"{{{WST}}}RequestSecurityToken":
            raise sts_fault("Expected wst:RequestSecurityToken (WS-Trust 2005/02) in soap:Body", config)
        if rst.get("Context") not in (None, v.STS_CONTEXT):
            raise sts_fault(f"Unsupported Context {rst.get('Context')!r}", config)
        for assertion in rst.iterfind(f"{{{WST}}}Claims/{{{SAML}}}Assertion"):
            if assertion.get("id") == "IDCard":
                return assertion
        raise sts_fault("No saml:Assertion id=\"IDCard\" in wst:Claims", config)

    def _trusted_cert(self, assertion: etree._Element, config: RuntimeConfig) -> x509.Certificate:
        try:
            cert = xmldsig.embedded_certificate(assertion)
        except xmldsig.SignatureError as exc:
            raise sts_fault(f"Invalid signature: {exc}", config) from None
        if not self.ca.issued_by_me(cert):
            raise sts_fault("Certificate is not issued by a trusted CA", config)
        now = self.clock.now()
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise sts_fault("Certificate is expired or not yet valid", config)
        if config.function_certificates_revoked and ca_mod.cert_kind(cert) == ca_mod.KIND_FUNCTION:
            raise sts_fault("Certificate has been revoked", config)
        return cert

    def _verified(self, assertion: etree._Element, cert: x509.Certificate, config: RuntimeConfig) -> etree._Element:
        try:
            return xmldsig.verify_enveloped(assertion, cert, self.clock.now())
        except xmldsig.SignatureError as exc:
            raise sts_fault(f"Invalid signature on the ID card: {exc}", config) from None

    def _check_card(self, card: idcard.IDCard, cert: x509.Certificate, config: RuntimeConfig) -> None:
        for problem in self._problems(card, cert, config):
            raise sts_fault(problem, config)

    def _problems(self, card: idcard.IDCard, cert: x509.Certificate, config: RuntimeConfig) -> list[str]:
        problems: list[str] = []
        if card.version != v.IDCARD_VERSION:
            problems.append(f"IDCardVersion must be {v.IDCARD_VERSION}, was {card.version!r}")
        if card.type not in _LEVEL_FOR_TYPE:
            problems.append(f"IDCardType must be system or user, was {card.type!r}")
            return problems
        if card.level != _LEVEL_FOR_TYPE[card.type]:
            problems.append(f"AuthenticationLevel {card.level} is wrong for a {card.type} ID card")
        kind = ca_mod.cert_kind(cert)
        if kind != _CERT_KIND_FOR_TYPE[card.type]:
            problems.append(f"A {card.type} ID card needs a {_CERT_KIND_FOR_TYPE[card.type]} certificate, got {kind}")
        cert_cvr = ca_mod.cert_cvr(cert)
        if card.cvr is None or card.cvr != cert_cvr:
            problems.append(f"CareProviderID {card.cvr!r} does not match the certificate's CVR {cert_cvr!r}")
        if card.cert_hash and card.cert_hash != ca_mod.cert_sha1_b64(cert):
            problems.append("OCESCertHash does not match the signing certificate")
        problems.extend(_user_problems(card, ca_mod.cert_cpr(cert)))
        return problems

    def _new_card(
        self, request: etree._Element, card: idcard.IDCard, cert: x509.Certificate, config: RuntimeConfig
    ) -> etree._Element:
        now = self.clock.now().replace(microsecond=0)
        assertion = etree.Element(
            f"{{{SAML}}}Assertion",
            nsmap={"saml": SAML, "ds": v.NS["ds"]},
            IssueInstant=xs_datetime(now), Version="2.0", id="IDCard",
        )
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = v.MOCK_STS_ISSUER
        subject = request.find(f"{{{SAML}}}Subject")
        if subject is not None:
            assertion.append(copy.deepcopy(subject))
        _conditions(assertion, now, now + config.idcard_lifetime)
        _idcard_data(assertion, card, ca_mod.cert_sha1_b64(cert))
        for statement in request.findall(f"{{{SAML}}}AttributeStatement"):
            if statement.get("id") in ("UserLog", "SystemLog"):
                assertion.append(copy.deepcopy(statement))
        if card.type == "user" and not card.user_cpr:
            _user_log(assertion).append(_attribute(USER_CPR, str(ca_mod.cert_cpr(cert))))
        sts = self.ca.sts
        return xmldsig.sign_enveloped(assertion, sts.key, sts.cert_pem, config.sts_signature)


def _user_problems(card: idcard.IDCard, cert_cpr: str | None) -> list[str]:
    """A user card names the employee whose certificate signed it: the STS fills in the certificate's CPR, and
    refuses another."""
    if card.type != "user":
        return []
    if cert_cpr is None and not card.user_cpr:
        return [f"A user ID card needs {USER_CPR} (the certificate carries no CPR)"]
    if cert_cpr is not None and card.user_cpr and card.user_cpr != cert_cpr:
        return [f"{USER_CPR} {card.user_cpr} is not the CPR of the certificate's employee"]
    return []


def _user_log(assertion: etree._Element) -> etree._Element:
    """The card's UserLog statement, made (before SystemLog, as DGWS orders them) if the request had none."""
    statements = {st.get("id"): st for st in assertion.findall(f"{{{SAML}}}AttributeStatement")}
    if "UserLog" in statements:
        return statements["UserLog"]
    statement = etree.Element(f"{{{SAML}}}AttributeStatement", id="UserLog")
    system = statements.get("SystemLog")
    if system is not None:
        system.addprevious(statement)
    else:
        assertion.append(statement)
    return statement


def _attribute(name: str, value: str) -> etree._Element:
    attr = etree.Element(f"{{{SAML}}}Attribute", Name=name)
    etree.SubElement(attr, f"{{{SAML}}}AttributeValue").text = value
    return attr


def _conditions(assertion: etree._Element, not_before: datetime, not_after: datetime) -> None:
    etree.SubElement(
        assertion, f"{{{SAML}}}Conditions", NotBefore=xs_datetime(not_before), NotOnOrAfter=xs_datetime(not_after)
    )


def _idcard_data(assertion: etree._Element, card: idcard.IDCard, cert_hash: str) -> None:
    statement = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement", id="IDCardData")
    values = (
        ("sosi:IDCardID", base64.b64encode(secrets.token_bytes(16)).decode()),
        ("sosi:IDCardVersion", v.IDCARD_VERSION),
        ("sosi:IDCardType", card.type or ""),
        ("sosi:AuthenticationLevel", str(card.level)),
        ("sosi:OCESCertHash", cert_hash),
    )
    for name, value in values:
        attr = etree.SubElement(statement, f"{{{SAML}}}Attribute", Name=name)
        etree.SubElement(attr, f"{{{SAML}}}AttributeValue").text = value


def response_parts(issued: Issued, now: datetime) -> tuple[etree._Element, etree._Element]:
    """(wsse:Security header, wst:RequestSecurityTokenResponse) carrying the card."""
    security = etree.Element(f"{{{v.NS['wsse']}}}Security", nsmap={"wsse": v.NS["wsse"], "wsu": v.NS["wsu"]})
    ts = etree.SubElement(security, f"{{{v.NS['wsu']}}}Timestamp")
    etree.SubElement(ts, f"{{{v.NS['wsu']}}}Created").text = xs_datetime(now)
    rstr = etree.Element(f"{{{WST}}}RequestSecurityTokenResponse", nsmap={"wst": WST, "wsa": v.NS["wsa"]},
                         Context=v.STS_CONTEXT)
    etree.SubElement(rstr, f"{{{WST}}}TokenType").text = v.SAML_TOKEN_TYPE
    etree.SubElement(rstr, f"{{{WST}}}RequestedSecurityToken").append(issued.assertion)
    status = etree.SubElement(rstr, f"{{{WST}}}Status")
    etree.SubElement(status, f"{{{WST}}}Code").text = f"{WST}/status/valid"
    issuer = etree.SubElement(rstr, f"{{{WST}}}Issuer")
    etree.SubElement(issuer, f"{{{v.NS['wsa']}}}Address").text = v.MOCK_STS_ISSUER
    return security, rstr
