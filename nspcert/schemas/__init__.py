"""Schemas the harness validates SUT output against, written by the project from the published facts.

`minlog2-registration.xsd` follows the MinLog2 registration schema of 2025-03-12 (domain-nsp.md §4.2):
unqualified children, fixed element order, length limits, times on or after 2015-01-01. The
conformance tests check it against the real schema in `../shared/nsp-reference/`.
"""

from __future__ import annotations

import functools
from importlib import resources

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@functools.cache
def minlog_schema() -> etree.XMLSchema:
    text = resources.files("nspcert.schemas").joinpath("minlog2-registration.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text, _PARSER))


def minlog_schema_errors(body: str) -> list[str]:
    """Schema errors of the RegistrationRequest inside a SOAP body (empty when valid)."""
    try:
        root = etree.fromstring(body.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as problem:
        return [f"not well-formed XML: {problem}"]
    request = next((node for node in root.iter() if etree.QName(node).localname == "RegistrationRequest"), None)
    if request is None:
        return ["no RegistrationRequest in the SOAP body"]
    schema = minlog_schema()
    if schema.validate(request):
        return []
    return [f"line {error.line}: {error.message}" for error in list(schema.error_log)]  # type: ignore[call-overload]
