"""Small lxml helpers for CDA."""

from __future__ import annotations

from lxml import etree

import nsp_vocabulary as v

CDA = "{" + v.NS["cda"] + "}"
XSI_TYPE = "{" + v.NS["xsi"] + "}type"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A CDA child element; `text` is its text."""
    el = etree.SubElement(parent, CDA + tag, attrs)
    if text is not None:
        el.text = text
    return el
