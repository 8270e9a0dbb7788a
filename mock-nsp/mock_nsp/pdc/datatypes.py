"""CDA data types (PN, AD, TEL, II) and what a protected citizen shows instead.

A protected name and address is written as MedCom's PDC-DK 3.0 example *navne-og-adressebeskyttelse* writes it:
the marker in place of every name part and the street, an II ``ConfAddr`` marker beside them in the entry, the
entry's postal code, city and country ``nullFlavor="NI"``, and in the header the postal code ``0000``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc.xml import XSI_TYPE, sub

Json = dict[str, Any]
_ADDRESS_PARTS = (("postal_code", "postalCode"), ("city", "city"), ("country", "country"))


def shown_name(data: Json, marker: str) -> Json:
    if data.get("protected"):
        return {"given": [marker], "family": marker}
    return data.get("name") or {"given": [], "family": ""}


def shown_address(data: Json, marker: str, header: bool = False) -> Json:
    """The address the document shows; a protected one is the marker (in the header with postal code 0000 and the
    marker as city, in the entry with the other parts ``nullFlavor="NI"``: see `addr`); none for a deceased citizen."""
    if data.get("protected"):
        if header:
            return {"lines": [marker], "postal_code": v.PROTECTED_POSTAL_CODE, "city": marker}
        return {"lines": [marker], "postal_code": None, "city": None, "country": None}
    if data.get("deceased"):
        return {}  # CPR keeps no current address for the dead
    return data.get("address") or {}


def protection_marker(parent: etree._Element) -> etree._Element:
    """The II that says the name and address beside it are protected."""
    return sub(parent, "value", **{XSI_TYPE: "II"}, root=v.PROTECTED_II_ROOT, extension=v.PROTECTED_II_EXTENSION,
               assigningAuthorityName="MedCom")


def name(parent: etree._Element, tag: str, name: Json, typed: str | None = None) -> etree._Element:
    el = sub(parent, tag, **({XSI_TYPE: typed} if typed else {}))
    for prefix in name.get("prefix", []):
        sub(el, "prefix", text=prefix)
    for given in name.get("given", []):
        sub(el, "given", text=given)
    sub(el, "family", text=name.get("family") or None)
    return el


def split_name(full: str) -> Json:
    """A name written as one string: the last word the family name, the others given names."""
    given, _, family = (full or "").strip().rpartition(" ")
    return {"given": given.split() if given else [], "family": family}


def addr(parent: etree._Element, tag: str, addr: Json, use: str, typed: str | None = None) -> etree._Element:
    """An AD; a part present with the value None is written ``nullFlavor="NI"`` (no information)."""
    attrs = {XSI_TYPE: typed} if typed else {}
    if not any(addr.get(key) for key in ("lines", "postal_code", "city", "country")):
        return sub(parent, tag, nullFlavor="NI", **attrs)  # no address known
    el = sub(parent, tag, use=use, **attrs)
    for line in addr.get("lines", []):
        sub(el, "streetAddressLine", text=line)
    for key, child in _ADDRESS_PARTS:
        if key in addr and addr[key] is None:
            sub(el, child, nullFlavor="NI")
        elif addr.get(key):
            sub(el, child, text=addr[key])
    return el


def tel(value: str) -> str:
    return value if ":" in value else f"tel:{value}"
