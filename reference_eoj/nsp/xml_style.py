"""How the EOJ writes its SOAP messages as bytes: the same XML infoset in the forms XML and SOAP 1.1 treat as equal.

By default lxml writes the envelope as built (the prefixes of ``nsp_vocabulary.NS``, declared where first used, an
XML declaration, no layout). The allowed variants (``reference_eoj.variants``) write the same infoset differently:

* ``renamed`` prefixes: every namespace under another prefix, all declared on the root element (as JAXB and CXF
  clients do; *Namespaces in XML 1.0* §3: a prefix is only a placeholder for its namespace name);
* ``default`` namespaces: every element in a default namespace declared where it changes, an unqualified element
  below a qualified one undeclaring it (``xmlns=""``, MinLog2's unqualified children; *Namespaces in XML 1.0* §6.2);
* ``layout``: indentation with CRLF line ends between elements (whitespace in element-only content, XML 1.0 §2.10,
  §2.11), the attributes of each element in reverse order (XML 1.0 §3.1: their order "is not significant"),
  a UTF-8 byte order mark and an encoding declaration (XML 1.0 §4.3.3, §2.8).

A signed ``saml:Assertion`` (the ID card, and the card in an STS request) is always written exactly as lxml writes
it: its XML signature covers its exclusive canonical form, which keeps its prefixes and whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

import nsp_vocabulary as v
from reference_eoj.xml import Element, to_bytes

Namespaces = Literal["ours", "renamed", "default"]
Declaration = Literal["yes", "no", "bom"]
BOM = b"\xef\xbb\xbf"
_SIGNED = f"{{{v.NS['saml']}}}Assertion"
_EOL = "\r\n"
_XML = "http://www.w3.org/XML/1998/namespace"


@dataclass(frozen=True)
class XmlStyle:
    """``namespaces``: ours | renamed | default; ``prefixes``: URI → prefix for ``renamed`` (others get ``nsN``);
    ``layout``: indent and reverse attribute order; ``declaration``: yes | no | bom (a BOM and the declaration)."""

    namespaces: Namespaces = "ours"
    prefixes: dict[str, str] = field(default_factory=dict)
    layout: bool = False
    declaration: Declaration = "yes"

    def serialize(self, root: Element) -> bytes:
        if self.namespaces == "ours" and not self.layout and self.declaration == "yes":
            return to_bytes(root)
        writer = _Writer(self)
        writer.element(root, {}, None, 0)
        text = "".join(writer.parts).encode("utf-8")
        if self.declaration == "no":
            return text
        declaration = b'<?xml version="1.0" encoding="UTF-8"?>' + (_EOL.encode() if self.layout else b"")
        return (BOM if self.declaration == "bom" else b"") + declaration + text


class _Writer:
    """Writes an element tree with the style's namespace declarations and layout."""

    def __init__(self, style: XmlStyle) -> None:
        self.style = style
        self.parts: list[str] = []
        self._generated: dict[str, str] = {}
        ours = {uri: prefix for prefix, uri in v.NS.items()}
        self._table = ours if style.namespaces == "ours" else style.prefixes

    # --- prefixes ---------------------------------------------------------------------------------------
    def _prefix(self, uri: str) -> str:
        if uri == _XML:
            return "xml"
        if uri in self._table:
            return self._table[uri]
        if uri not in self._generated:
            self._generated[uri] = f"ns{len(self._generated) + 1}"
        return self._generated[uri]

    def _used(self, root: Element) -> list[str]:
        """Every namespace used by an element or attribute below ``root``, signed subtrees left out."""
        seen: dict[str, None] = {}
        for node in _unsigned(root):
            for name in (node.tag, *node.attrib.keys()):
                uri = etree.QName(name).namespace
                if uri and uri != _XML:
                    seen.setdefault(uri)
        return list(seen)

    # --- elements ---------------------------------------------------------------------------------------
    def element(self, node: Element, scope: dict[str, str], default: str | None, depth: int) -> None:
        """``scope``: URI → prefix declared above; ``default``: the default namespace in scope (None: none)."""
        if node.tag == _SIGNED:
            self.parts.append(etree.tostring(node, encoding="unicode", with_tail=False))
            return
        uri, local = etree.QName(node).namespace, etree.QName(node).localname
        declarations: dict[str, str] = {}
        if self.style.namespaces == "default":
            name, default = self._default_name(uri, local, default, declarations)
        else:
            if depth == 0:
                declarations.update({f"xmlns:{self._prefix(u)}": u for u in self._used(node)})
                scope = {u: self._prefix(u) for u in self._used(node)}
            name = f"{scope[uri]}:{local}" if uri else local
        attributes = self._attributes(node, scope, declarations)
        items = [*declarations.items(), *attributes]
        if self.style.layout:
            items.reverse()
        self.parts.append(f"<{name}" + "".join(f' {key}="{_attr(value)}"' for key, value in items))
        self._content(node, name, scope, default, depth)

    def _default_name(self, uri: str | None, local: str, default: str | None,
                      declarations: dict[str, str]) -> tuple[str, str | None]:
        if (uri or None) != default:
            declarations["xmlns"] = uri or ""
        return local, uri or None

    def _attributes(self, node: Element, scope: dict[str, str], declarations: dict[str, str]) -> list[tuple[str, str]]:
        out = []
        for key, raw in node.attrib.items():
            value = raw if isinstance(raw, str) else raw.decode()
            uri, local = etree.QName(key).namespace, etree.QName(key).localname
            if not uri:
                out.append((local, value))
                continue
            prefix = scope.get(uri) or self._prefix(uri)
            if uri not in scope and prefix != "xml":
                declarations[f"xmlns:{prefix}"] = uri
            out.append((f"{prefix}:{local}", value))
        return out

    def _content(self, node: Element, name: str, scope: dict[str, str], default: str | None, depth: int) -> None:
        children = list(node)
        if not children and not node.text:
            self.parts.append("/>")
            return
        self.parts.append(">")
        if node.text and (not self.style.layout or node.text.strip() or not children):
            self.parts.append(_text(node.text))
        for child in children:
            if self.style.layout and not (node.text or "").strip():
                self.parts.append(_EOL + "  " * (depth + 1))
            if isinstance(child.tag, str):
                self.element(child, scope, default, depth + 1)
            else:  # a comment or processing instruction: written as it is
                self.parts.append(etree.tostring(child, encoding="unicode", with_tail=False))
            if child.tail and (not self.style.layout or child.tail.strip()):
                self.parts.append(_text(child.tail))
        if self.style.layout and children and not (node.text or "").strip():
            self.parts.append(_EOL + "  " * depth)
        self.parts.append(f"</{name}>")


def _unsigned(root: Element) -> Iterator[Element]:
    """``root`` and its descendants, without signed subtrees (they keep their own declarations)."""
    if root.tag == _SIGNED:
        return
    yield root
    for child in root:
        if isinstance(child.tag, str):
            yield from _unsigned(child)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))
