"""An evidence file as a reviewer reads it inline: XML indented, and of a SOAP envelope the Body first, so what
was asked and answered is not hidden behind 3,000 characters of security header (the preview shows only the first
characters). The file in evidence.zip stays byte for byte what was sent."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

#: files above this size are previewed as they are (only the first characters are shown anyway)
INDENT_LIMIT = 2_000_000
_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def readable(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".xml" and len(data) <= INDENT_LIMIT:
        indented = _indented(data)
        if indented is not None:
            return indented
    return data.decode("utf-8", errors="replace")


def _indented(data: bytes) -> str | None:
    """The document re-serialised with indentation; None when it does not parse (shown as recorded)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    body, header = root.find(f"{{{_SOAP}}}Body"), root.find(f"{{{_SOAP}}}Header")
    if root.tag != f"{{{_SOAP}}}Envelope" or body is None:
        return _pretty(root)
    parts = [f"<!-- the SOAP Body -->\n{_pretty(body)}"]
    if header is not None:
        parts.append(f"<!-- the SOAP Header (before the Body in the file) -->\n{_pretty(header)}")
    return "\n".join(parts)


def _pretty(element: etree._Element) -> str:
    return etree.tostring(element, pretty_print=True, encoding="unicode")
