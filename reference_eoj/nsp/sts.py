"""SOSI STS: a level-3 system ID card from the function certificate, reused until shortly before expiry.

The request is built as the SOSI Seal library builds it (DGWS 1.0.1): a ``saml:Assertion id="IDCard"``
with the ``IDCardData`` and ``SystemLog`` attribute statements, signed (enveloped XML-DSig over
``#IDCard``, exclusive c14n, RSA-SHA256) with the function certificate, in a ``wst:RequestSecurityToken``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.signer import XMLSigner

import nsp_vocabulary as v
from reference_eoj.clock import Clock
from reference_eoj.defects import Defect, Defects
from reference_eoj.nsp.soap import NspError, SoapClient, SoapFault
from reference_eoj.users import Employee
from reference_eoj.xml import Element, el, find, q, text

SEAL_ISSUER = "nspcert-reference-eoj"


@dataclass(frozen=True)
class FunctionCertificate:
    cert_pem: bytes
    key_pem: bytes

    @classmethod
    def load(cls, certificate: Path, private_key: Path) -> FunctionCertificate:
        return cls(certificate.read_bytes(), private_key.read_bytes())

    @property
    def ocs_cert_hash(self) -> str:
        """``sosi:OCESCertHash``: Base64 of the SHA-1 of the certificate's DER."""
        der = x509.load_pem_x509_certificate(self.cert_pem).public_bytes(Encoding.DER)
        return base64.b64encode(hashlib.sha1(der).digest()).decode()


@dataclass(frozen=True)
class IdCard:
    assertion: Element
    expires: datetime
    level: int
    card_type: str
    not_before: datetime | None = None


@dataclass(frozen=True)
class CardRequest:
    """Who the card is for: the system (level 3), or, only with the employee-card defect, a user (level 4)."""

    cvr: str
    organisation_name: str
    system_name: str
    employee: Employee | None = None


def build_request(cert: FunctionCertificate, who: CardRequest, now: datetime) -> Element:
    envelope = el(None, "soap", "Envelope")
    security = el(el(envelope, "soap", "Header"), "wsse", "Security")
    el(el(security, "wsu", "Timestamp"), "wsu", "Created", _z(now))
    rst = el(el(envelope, "soap", "Body"), "wst", "RequestSecurityToken", Context=v.STS_CONTEXT)
    el(rst, "wst", "TokenType", v.SAML_TOKEN_TYPE)
    el(rst, "wst", "RequestType", v.ACTION_STS_ISSUE)
    el(rst, "wst", "Claims").append(sign_assertion(idcard_assertion(cert, who, now), cert))
    el(el(rst, "wst", "Issuer"), "wsa", "Address", SEAL_ISSUER)
    return envelope


def idcard_assertion(cert: FunctionCertificate, who: CardRequest, now: datetime) -> Element:
    assertion = el(None, "saml", "Assertion", IssueInstant=_z(now - timedelta(minutes=5)), Version="2.0", id="IDCard")
    el(assertion, "saml", "Issuer", SEAL_ISSUER)
    subject = el(assertion, "saml", "Subject")
    if who.employee is None:
        el(subject, "saml", "NameID", who.cvr, Format="medcom:cvrnumber")
    else:
        el(subject, "saml", "NameID", who.employee.cpr, Format="medcom:cprnumber")
    confirmation = el(subject, "saml", "SubjectConfirmation")
    el(confirmation, "saml", "ConfirmationMethod", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")
    key_info = el(el(confirmation, "saml", "SubjectConfirmationData"), "ds", "KeyInfo")
    el(key_info, "ds", "KeyName", "OCESSignature")
    el(assertion, "saml", "Conditions", NotBefore=_z(now - timedelta(minutes=5)), NotOnOrAfter=_z(now + timedelta(hours=24)))
    card_type, level = ("system", "3") if who.employee is None else ("user", "4")
    _statement(assertion, "IDCardData", [
        ("sosi:IDCardID", base64.b64encode(secrets.token_bytes(16)).decode(), None),
        ("sosi:IDCardVersion", v.IDCARD_VERSION, None),
        ("sosi:IDCardType", card_type, None),
        ("sosi:AuthenticationLevel", level, None),
        ("sosi:OCESCertHash", cert.ocs_cert_hash, None),
    ])
    if who.employee is not None:
        _statement(assertion, "UserLog", _user_log(who.employee))
    _statement(assertion, "SystemLog", [
        ("medcom:ITSystemName", who.system_name, None),
        ("medcom:CareProviderID", who.cvr, "medcom:cvrnumber"),
        ("medcom:CareProviderName", who.organisation_name, None),
    ])
    return assertion


def _user_log(employee: Employee) -> list[tuple[str, str, str | None]]:
    return [
        ("medcom:UserCivilRegistrationNumber", employee.cpr, None),
        ("medcom:UserGivenName", employee.given_name, None),
        ("medcom:UserSurName", employee.family_name, None),
        ("medcom:UserRole", employee.role, None),
        ("medcom:UserAuthorizationCode", employee.authorisation_id, None),
    ]


def _statement(assertion: Element, statement_id: str, attributes: list[tuple[str, str, str | None]]) -> None:
    statement = el(assertion, "saml", "AttributeStatement", id=statement_id)
    for name, value, name_format in attributes:
        attribute = el(statement, "saml", "Attribute", Name=name)
        if name_format:
            attribute.set("NameFormat", name_format)
        el(attribute, "saml", "AttributeValue", value)


def sign_assertion(assertion: Element, cert: FunctionCertificate) -> Element:
    """Enveloped XML-DSig over ``#IDCard`` with exclusive c14n, as SOSI Seal does (RSA-SHA256)."""
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256, digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed: Element = signer.sign(
        assertion, key=cert.key_pem, cert=cert.cert_pem.decode(), reference_uri="#IDCard", id_attribute="id",
    )
    signature = find(signed, "ds:Signature")
    if signature is not None:
        signature.set("id", "OCESSignature")
    return signed


def parse_response(body: Element) -> IdCard:
    """The STS-signed ``saml:Assertion id="IDCard"`` of a ``wst:RequestSecurityTokenResponse``."""
    assertion = next((a for a in body.iter(q("saml", "Assertion")) if a.get("id") == "IDCard"), None)
    conditions = None if assertion is None else find(assertion, "saml:Conditions")
    if assertion is None or conditions is None or not conditions.get("NotOnOrAfter"):
        raise NspError("STS: answer without an ID card", "Der kunne ikke hentes et ID-kort fra STS")
    not_before = conditions.get("NotBefore")
    return IdCard(
        assertion=copy.deepcopy(assertion),
        expires=_instant(str(conditions.get("NotOnOrAfter"))),
        level=int(_attribute(assertion, "sosi:AuthenticationLevel") or 0),
        card_type=_attribute(assertion, "sosi:IDCardType") or "",
        not_before=_instant(not_before) if not_before else None,
    )


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _attribute(assertion: Element, name: str) -> str | None:
    for attribute in assertion.iter(q("saml", "Attribute")):
        if attribute.get("Name") == name:
            return text(attribute, "saml:AttributeValue")
    return None


class IdCardProvider:
    """Issues ID cards from the STS and reuses them until ``card_renew_margin`` before ``NotOnOrAfter``.

    The margin also covers a few minutes of difference between the EOJ's clock and the platform's: a card is
    renewed while the platform still accepts it. A card is used as the STS issued it, whatever its NotBefore says
    by the EOJ's own clock (the STS's clock decides when a card starts; NSP checks it by the same clock)."""

    def __init__(self, soap: SoapClient, cert: FunctionCertificate, who: CardRequest, clock: Clock,
                 margin: timedelta, defects: Defects) -> None:
        self._soap, self._cert, self._who, self._clock = soap, cert, who, clock
        self._margin, self._defects = margin, defects
        self._cards: dict[str, IdCard] = {}

    def card_for(self, employee: Employee | None) -> IdCard:
        """The card for a call made on behalf of ``employee`` (``None``: a pure system call)."""
        per_employee = Defect.EMPLOYEE_CARD in self._defects and employee is not None
        key = employee.cpr if per_employee and employee is not None else "system"
        card = self._cards.get(key)
        if card is None or self._must_renew(card):
            card = self._issue(employee if per_employee else None)
            self._cards[key] = card
        return card

    def forget(self) -> None:
        self._cards.clear()

    def _must_renew(self, card: IdCard) -> bool:
        if Defect.IGNORE_IDCARD_EXPIRY in self._defects:
            return False
        margin = timedelta(0) if Defect.IDCARD_RENEW_AT_EXPIRY in self._defects else self._margin
        return self._clock.now() >= card.expires - margin

    def _issue(self, employee: Employee | None) -> IdCard:
        who = CardRequest(self._who.cvr, self._who.organisation_name, self._who.system_name, employee)
        request = build_request(self._cert, who, self._clock.now())
        try:
            body = self._soap.call("STS", v.PATH_STS, v.ACTION_STS_ISSUE, request)
        except SoapFault as exc:
            raise refused(exc, self._defects) from exc
        card = parse_response(body)
        if (Defect.IDCARD_STRICT_NOT_BEFORE in self._defects and card.not_before is not None
                and card.not_before > self._clock.now()):
            raise NspError(f"STS: the ID card is not valid before {card.not_before.isoformat()}",
                           "Der kunne ikke hentes et gyldigt ID-kort fra STS")
        return card


#: words by which an STS refusal names the function certificate as its cause
_CERTIFICATE_WORDS = ("certificate", "certifikat")
CERTIFICATE_REFUSED = "systemets funktionscertifikat blev afvist af STS"


def refused(exc: SoapFault, defects: Defects) -> NspError:
    """The STS would not issue a card. When it names the function certificate (expired, not yet valid, revoked),
    the employee is told so, for someone to renew it; any other refusal as STS's own words."""
    reason = exc.fault.string or exc.fault.code
    if Defect.CERTIFICATE_ERROR_GENERIC in defects:
        return NspError(exc.detail, "Fælles Stamkort kunne ikke hentes")
    if any(word in reason.lower() for word in _CERTIFICATE_WORDS):
        return SoapFault("STS", exc.fault, f"Fælles Stamkort kunne ikke hentes: {CERTIFICATE_REFUSED} ({reason})")
    return SoapFault("STS", exc.fault, f"Fælles Stamkort kunne ikke hentes: STS udstedte ikke et ID-kort ({reason})")


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
