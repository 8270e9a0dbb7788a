"""The HSUID header (`hsuid:HsuidHeader`), parsed leniently: real senders differ from the published XSD
(e.g. NameFormat only on nsi:OrgUsingID), so elements are matched by local name and nothing is required."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

_FIELDS = {
    "nsi:UserType": "user_type",
    "nsi:ActingUserCivilRegistrationNumber": "acting_user_cpr",
    "nsi:OrgUsingID": "org_using_id",
    "nsi:SystemName": "system_name",
    "nsi:SystemVersion": "system_version",
    "nsi:SystemOwnerName": "system_owner",
    "nsi:ResponsibleUserCivilRegistrationNumber": "responsible_user_cpr",
    "nsi:ResponsibleUserAuthorizationCode": "authorization_code",
    "nsi:CitizenCivilRegistrationNumber": "citizen_cpr",
    "nsi:OrgResponsibleName": "org_responsible_name",
    "nsi:ConsentOverride": "consent_override",
    "nsi:CitizenUserRelation": "citizen_user_relation",
}


@dataclass
class Hsuid:
    """The HSUID fields the journal keeps."""

    user_type: str | None = None
    acting_user_cpr: str | None = None
    org_using_id: str | None = None
    org_using_id_name_format: str | None = None
    system_name: str | None = None
    system_version: str | None = None
    system_owner: str | None = None
    responsible_user_cpr: str | None = None
    authorization_code: str | None = None
    citizen_cpr: str | None = None
    org_responsible_name: str | None = None
    consent_override: str | None = None
    citizen_user_relation: str | None = None
    issuer: str | None = None

    def summary(self) -> dict[str, str | None]:
        return dict(self.__dict__)


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def find_header(header: etree._Element | None) -> etree._Element | None:
    if header is None:
        return None
    for child in header:
        if isinstance(child.tag, str) and _local(child) == "HsuidHeader":
            return child
    return None


_NS = "{http://www.nsi.dk/hsuid/2016/08/hsuid-1.1.xsd}"
_FAST_ATTRS = f"{_NS}Assertion/{_NS}AttributeStatement/{_NS}Attribute"
_VALUE = f"{_NS}AttributeValue"


def parse(header: etree._Element | None) -> Hsuid | None:
    """Parse the HSUID header under soap:Header, or None when there is none."""
    if header is None:
        return None
    fast = header.find(f"{_NS}HsuidHeader")
    if fast is not None:
        return _parse_fast(fast)
    node = find_header(header)
    if node is None:
        return None
    return _parse_lenient(node)


def _parse_fast(node: etree._Element) -> Hsuid:
    """The published namespace: direct paths (most requests)."""
    attrs = node.findall(_FAST_ATTRS)
    if not attrs:
        return _parse_lenient(node)
    out = Hsuid(issuer=(node.findtext(f"{_NS}Assertion/{_NS}Issuer") or "").strip() or None)
    for el in attrs:
        field = _FIELDS.get(el.get("Name") or "")
        if field is not None:
            value = next((c.text for c in el if c.tag == _VALUE), None)
            setattr(out, field, (value or "").strip())
            if field == "org_using_id":
                out.org_using_id_name_format = el.get("NameFormat")
    return out


def _parse_lenient(node: etree._Element) -> Hsuid:
    """Any namespace or nesting: match by local name."""
    out = Hsuid()
    for el in node.iter():
        if not isinstance(el.tag, str):
            continue
        name = _local(el)
        if name == "Issuer" and out.issuer is None:
            out.issuer = (el.text or "").strip() or None
        elif name == "Attribute":
            _attribute(out, el)
    return out


def _attribute(out: Hsuid, el: etree._Element) -> None:
    field = _FIELDS.get(el.get("Name") or "")
    if field is None:
        return
    value = next((c for c in el if isinstance(c.tag, str) and _local(c) == "AttributeValue"), None)
    setattr(out, field, (value.text or "").strip() if value is not None else None)
    if field == "org_using_id":
        out.org_using_id_name_format = el.get("NameFormat")
