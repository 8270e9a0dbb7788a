"""Safe XML parsing and small element builders over the shared NSP vocabulary."""

from __future__ import annotations

from typing import Any

from lxml import etree

import nsp_vocabulary as v

Element = etree._Element

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
    remove_comments=False,
)


class XmlError(ValueError):
    """The bytes are not well-formed XML (or use forbidden constructs)."""


def parse(data: bytes | str) -> Element:
    """Parse untrusted XML: no entity resolution, no DTD, no network."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw[:2048] or b"<!ENTITY" in raw:
        raise XmlError("DTDs and entities are not accepted")
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(str(exc)) from exc


def q(prefix: str, local: str) -> str:
    """Clark notation for ``prefix:local`` from the shared namespace table."""
    return f"{{{v.NS[prefix]}}}{local}"


def el(parent: Element | None, prefix: str, local: str, text: str | None = None, **attrs: Any) -> Element:
    """Create ``prefix:local`` (as a child of ``parent`` if given), with text and attributes."""
    nsmap = {prefix: v.NS[prefix]}
    node = etree.Element(q(prefix, local), nsmap=nsmap) if parent is None else etree.SubElement(parent, q(prefix, local))
    for key, value in attrs.items():
        node.set(key, str(value))
    if text is not None:
        node.text = text
    return node


def plain(parent: Element, local: str, text: str | None = None, **attrs: Any) -> Element:
    """An unqualified child element (MinLog2's ``elementFormDefault="unqualified"``)."""
    node = etree.SubElement(parent, local)
    for key, value in attrs.items():
        node.set(key, str(value))
    if text is not None:
        node.text = text
    return node


def find(node: Element, path: str) -> Element | None:
    return node.find(path, namespaces=v.NS)


def findall(node: Element, path: str) -> list[Element]:
    return list(node.findall(path, namespaces=v.NS))


def text(node: Element | None, path: str | None = None) -> str | None:
    target = node if node is None or path is None else node.find(path, namespaces=v.NS)
    if target is None or target.text is None:
        return None
    return " ".join(target.text.split())


def to_bytes(node: Element) -> bytes:
    return etree.tostring(node, xml_declaration=True, encoding="utf-8")


def attr(node: Element | None, path: str, name: str) -> str | None:
    """Attribute ``name`` of the first element at ``path`` below ``node`` (``"."`` for ``node`` itself)."""
    if node is None:
        return None
    target = node if path == "." else node.find(path, namespaces=v.NS)
    return None if target is None else target.get(name)
