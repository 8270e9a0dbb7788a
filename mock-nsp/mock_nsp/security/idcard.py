"""DGWS 1.0.1 ID cards (`saml:Assertion id="IDCard"`): reading the attributes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

import nsp_vocabulary as v

SAML = v.NS["saml"]


@dataclass(frozen=True)
class IDCard:
    """What the gate and the journal need from an ID card."""

    card_id: str | None
    version: str | None
    type: str | None
    level: int | None
    cvr: str | None
    care_provider_name: str | None
    it_system: str | None
    issuer: str | None
    not_before: datetime | None
    not_on_or_after: datetime | None
    cert_hash: str | None
    user_cpr: str | None = None
    user_given_name: str | None = None
    user_surname: str | None = None
    user_role: str | None = None
    user_authorization_code: str | None = None

    def summary(self, valid: bool) -> dict[str, object]:
        return {
            "type": self.type,
            "level": self.level,
            "cvr": self.cvr,
            "expires": self.not_on_or_after.isoformat() if self.not_on_or_after else None,
            "valid": valid,
            "issuer": self.issuer,
            "version": self.version,
            "it_system": self.it_system,
            "user_cpr": self.user_cpr,
        }

    @property
    def user_name(self) -> str | None:
        names = [n for n in (self.user_given_name, self.user_surname) if n]
        return " ".join(names) or None


def attributes(assertion: etree._Element) -> dict[str, str]:
    """saml:Attribute Name → first AttributeValue text."""
    out: dict[str, str] = {}
    for attr in assertion.iter(f"{{{SAML}}}Attribute"):
        value = attr.find(f"{{{SAML}}}AttributeValue")
        name = attr.get("Name")
        if name and value is not None:
            out[name] = (value.text or "").strip()
    return out


def instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def read(assertion: etree._Element) -> IDCard:
    """Read an ID card; missing or malformed values come back as None (the caller decides)."""
    attrs = attributes(assertion)
    conditions = assertion.find(f"{{{SAML}}}Conditions")
    issuer = assertion.find(f"{{{SAML}}}Issuer")
    get = attrs.get
    return IDCard(
        card_id=get("sosi:IDCardID"),
        version=get("sosi:IDCardVersion"),
        type=get("sosi:IDCardType"),
        level=_int(get("sosi:AuthenticationLevel")),
        cvr=get("medcom:CareProviderID"),
        care_provider_name=get("medcom:CareProviderName"),
        it_system=get("medcom:ITSystemName"),
        issuer=(issuer.text or "").strip() if issuer is not None else None,
        not_before=instant(conditions.get("NotBefore")) if conditions is not None else None,
        not_on_or_after=instant(conditions.get("NotOnOrAfter")) if conditions is not None else None,
        cert_hash=get("sosi:OCESCertHash"),
        user_cpr=get("medcom:UserCivilRegistrationNumber"),
        user_given_name=get("medcom:UserGivenName"),
        user_surname=get("medcom:UserSurName"),
        user_role=get("medcom:UserRole"),
        user_authorization_code=get("medcom:UserAuthorizationCode"),
    )


def find_in_security(root: etree._Element) -> etree._Element | None:
    """The `saml:Assertion id="IDCard"` inside soap:Header/wsse:Security."""
    wsse = v.NS["wsse"]
    for ns in (v.NS["soap"], v.NS["soap12"]):
        sec = root.find(f"{{{ns}}}Header/{{{wsse}}}Security")
        if sec is not None:
            for assertion in sec.findall(f"{{{SAML}}}Assertion"):
                if assertion.get("id") == "IDCard":
                    return assertion
    return None
