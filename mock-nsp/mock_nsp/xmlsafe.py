"""Hardened XML parsing: no entities, no DTDs, no network, bounded trees, DOCTYPE refused."""

from __future__ import annotations

from lxml import etree


class XmlError(ValueError):
    """The bytes are not acceptable XML."""


_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=False,
    collect_ids=False,
)


def parse(data: bytes) -> etree._Element:
    """Parse untrusted XML; anything with a DOCTYPE (entity tricks, XXE) is refused."""
    if not data or data.isspace():
        raise XmlError("empty body")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise XmlError("DOCTYPE and entity declarations are not allowed")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"malformed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        raise XmlError("DOCTYPE is not allowed")
    return root


def text(el: etree._Element | None) -> str | None:
    """Stripped text of an element, or None."""
    if el is None or el.text is None:
        return None
    return el.text.strip()
