"""Read the parts of a recorded SOAP exchange that requirements are about (ITI-18 slots, ITI-43 ids, MinLog).

The harness judges the SUT from the bytes it sent, not from the mock's interpretation of them.
Parsing is hardened (no entities, no DTDs, no network) because the bytes come from the SUT.
"""

from __future__ import annotations

from lxml import etree

import nsp_vocabulary as v

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class UnreadableMessage(ValueError):
    """The recorded message is not XML the harness can read."""


def parse(body: str) -> etree._Element:
    try:
        return etree.fromstring(body.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as problem:
        raise UnreadableMessage(f"not well-formed XML: {problem}") from problem


#: WS-Addressing 1.0 (the SFSK WSDL's wsam:Action) and the 2004/08 submission
WSA_NAMESPACES = ("http://www.w3.org/2005/08/addressing", v.NS["wsa"])


def envelope_namespace(body: str) -> str:
    """The namespace of the message's root element (SOAP 1.1 or 1.2 for an envelope)."""
    return etree.QName(parse(body)).namespace or ""


def wsa_action(body: str) -> str:
    """The ``wsa:Action`` SOAP header's value ("" when there is none)."""
    root = parse(body)
    for ns in WSA_NAMESPACES:
        found = root.find(f"{{{etree.QName(root).namespace}}}Header/{{{ns}}}Action")
        if found is not None:
            return (found.text or "").strip()
    return ""


def iti18_slots(body: str) -> dict[str, list[str]]:
    """Slot name → values of the ITI-18 AdhocQuery (quotes and list parentheses kept as sent)."""
    root = parse(body)
    slots: dict[str, list[str]] = {}
    for slot in root.iterfind(".//rim:AdhocQuery/rim:Slot", v.NS):
        slots[slot.get("name", "")] = [value.text or "" for value in slot.iterfind("rim:ValueList/rim:Value", v.NS)]
    return slots


def iti18_query_id(body: str) -> str:
    query = parse(body).find(".//rim:AdhocQuery", v.NS)
    return "" if query is None else query.get("id", "")


def slot_values(raw: list[str]) -> list[str]:
    """Split `('a','b')` style XDS list values into plain values."""
    values = [part.strip().strip("'") for item in raw for part in item.strip().strip("()").split(",")]
    return [value for value in values if value]


def code_of(value: str) -> str:
    """`urn:ad:dk:medcom:pdc-v3.0:full^^1.2.208.184.100.10` → the code before its coding scheme."""
    return value.split("^^")[0]


def iti18_returned_ids(response_body: str) -> list[dict[str, str]]:
    """The (home, repository, document) ids of every ExtrinsicObject an ITI-18 answer returned."""
    found = []
    for extrinsic in parse(response_body).iterfind(".//rim:ExtrinsicObject", v.NS):
        repository = extrinsic.find("rim:Slot[@name='repositoryUniqueId']/rim:ValueList/rim:Value", v.NS)
        document = extrinsic.find(f"rim:ExternalIdentifier[@identificationScheme='{v.SCHEME_DOCUMENT_UNIQUE_ID}']",
                                  v.NS)
        found.append({"home": extrinsic.get("home", ""),
                      "repository": repository.text if repository is not None and repository.text else "",
                      "document": document.get("value", "") if document is not None else ""})
    return found


def iti43_requested_ids(body: str) -> list[dict[str, str]]:
    """The (home, repository, document) ids of every DocumentRequest in an ITI-43 request."""
    return [{"home": request.findtext("xds:HomeCommunityId", "", v.NS),
             "repository": request.findtext("xds:RepositoryUniqueId", "", v.NS),
             "document": request.findtext("xds:DocumentUniqueId", "", v.NS)}
            for request in parse(body).iterfind(".//xds:DocumentRequest", v.NS)]


def minlog_entry_count(body: str) -> int:
    return len(parse(body).findall(".//LogDataEntry"))


def minlog_sequence_numbers(body: str) -> list[str]:
    return [number.text or "" for number in parse(body).iterfind(".//LogDataEntry/Destination/SequenceNumber")]
