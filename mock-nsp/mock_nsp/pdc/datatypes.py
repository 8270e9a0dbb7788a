"""CDA data types (PN, AD, TEL) and what a protected citizen shows instead."""

from __future__ import annotations

from typing import Any

from lxml import etree

from mock_nsp.pdc.xml import XSI_TYPE, sub

Json = dict[str, Any]


def shown_name(data: Json, marker: str) -> Json:
    if data.get("protected"):
        return {"given": [], "family": marker}
    return data.get("name") or {"given": [], "family": ""}


def shown_address(data: Json, marker: str) -> Json:
    """The citizen's address as FSK shows it: the marker when protected; none for a deceased citizen, as CPR keeps
    no current address for the dead."""
    if data.get("protected"):
        return {"lines": [marker]}
    if data.get("deceased"):
        return {}
    return data.get("address") or {}


def name(parent: etree._Element, tag: str, name: Json, typed: str | None = None) -> etree._Element:
    el = sub(parent, tag, **({XSI_TYPE: typed} if typed else {}))
    for given in name.get("given", []):
        sub(el, "given", text=given)
    sub(el, "family", text=name.get("family", ""))
    return el


def addr(parent: etree._Element, tag: str, addr: Json, use: str, typed: str | None = None) -> etree._Element:
    attrs = {XSI_TYPE: typed} if typed else {}
    if not any(addr.get(key) for key in ("lines", "postal_code", "city", "country")):
        return sub(parent, tag, nullFlavor="NI", **attrs)  # no address known
    el = sub(parent, tag, use=use, **attrs)
    for line in addr.get("lines", []):
        sub(el, "streetAddressLine", text=line)
    for key, child in (("postal_code", "postalCode"), ("city", "city"), ("country", "country")):
        if addr.get(key):
            sub(el, child, text=addr[key])
    return el


def tel(value: str) -> str:
    return value if ":" in value else f"tel:{value}"
