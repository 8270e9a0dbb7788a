"""MedCom-style variants of a real PDC-DK 3.0 document, made from the one the platform builds.

MedCom's PDC-DK 3.0 test protocol ships example documents that differ from the norm on purpose (a
narrative that contradicts the structured entries; a 3.0 document still carrying the 2.0 service
marker, as real SDS test documents do). The harness makes the same variants from the document the mock
NSP builds for a synthetic citizen, and has the mock serve the result verbatim.
"""

from __future__ import annotations

from lxml import etree

import nsp_vocabulary as v

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
WRONG_FAMILY = "Forkert Efternavn"
#: well-formed XML that is no PDC: what a repository answering with the wrong document (an error page) serves
NOT_A_STAMKORT = b'<?xml version="1.0" encoding="UTF-8"?><html><body><p>Dokumentet findes ikke</p></body></html>'
WRONG_NAME = "XXX"


def _tree(cda: bytes) -> etree._Element:
    return etree.fromstring(cda, _PARSER)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def with_differing_narrative(cda: bytes, replacements: dict[str, str]) -> bytes:
    """Replace names in the section's narrative text only; the structured entries stay as they are."""
    root = _tree(cda)
    for text in root.iterfind(".//cda:section/cda:text", v.NS):
        for node in text.iter():
            for old, new in replacements.items():
                node.text = node.text.replace(old, new) if node.text else node.text
                node.tail = node.tail.replace(old, new) if node.tail else node.tail
    return _bytes(root)


def with_service_marker(cda: bytes, marker: str = "pdc-v2.0") -> bytes:
    """Set the serviceEvent version marker (the header template still says 3.0)."""
    root = _tree(cda)
    for event_id in root.iterfind(".//cda:documentationOf/cda:serviceEvent/cda:id", v.NS):
        if event_id.get("extension") == v.PDC_SERVICE_EVENT_V3:
            event_id.set("extension", marker)
    return _bytes(root)


def template_version(cda: bytes) -> str:
    """The PDC-DK version the document's header template names (its ``extension``, "3.0" today)."""
    for template in _header_templates(_tree(cda)):
        return str(template.get("extension") or "")
    raise ValueError(f"the document has no PDC-DK header template (root {v.PDC_TEMPLATE_ROOT})")


def with_template_version(cda: bytes, version: str) -> bytes:
    """Say in the header template that the document is of another PDC-DK version (e.g. a future 4.0)."""
    root = _tree(cda)
    for template in _header_templates(root):
        template.set("extension", version)
    return _bytes(root)


def _header_templates(root: etree._Element) -> list[etree._Element]:
    return [t for t in root.iterfind("cda:templateId", v.NS) if t.get("root") == v.PDC_TEMPLATE_ROOT]


def protection_marker(cda: bytes) -> str:
    """The words the document puts in place of a protected citizen's name (the CitizenNameAddr entry's PN)."""
    for observation in _tree(cda).iterfind(".//cda:entry/cda:observation", v.NS):
        if observation.find("cda:code[@code='CitizenNameAddr']", v.NS) is not None:
            marker = (observation.findtext("cda:value/cda:family", "", v.NS) or "").strip()
            if marker:
                return marker
    raise ValueError("the document has no name in its CitizenNameAddr entry (no protection marker to expect)")


def with_gp_outside_patient_role(cda: bytes) -> bytes:
    """Move the GP (providerOrganization) from patientRole up to recordTarget, where MedCom's NAV example has it:
    the document no longer validates against the PDC-DK schema, yet a robust system still shows it."""
    root = _tree(cda)
    target = root.find("cda:recordTarget", v.NS)
    gp = root.find("cda:recordTarget/cda:patientRole/cda:providerOrganization", v.NS)
    if target is None or gp is None:
        raise ValueError("the document has no GP in recordTarget/patientRole to move")
    target.append(gp)
    return _bytes(root)


def with_unknown_entry_and_long_birth_time(cda: bytes) -> bytes:
    """Add an entry type FSK may bring in a later version, and give birthTime a clock time and offset."""
    root = _tree(cda)
    birth = root.find(".//cda:recordTarget/cda:patientRole/cda:patient/cda:birthTime", v.NS)
    if birth is not None and len(birth.get("value", "")) == 8:
        birth.set("value", birth.get("value", "") + "000000+0000")
    section = root.find(".//cda:component/cda:structuredBody/cda:component/cda:section", v.NS)
    if section is not None:
        section.append(_future_entry())
    return _bytes(root)


def _future_entry() -> etree._Element:
    cda = v.NS["cda"]
    entry = etree.Element(f"{{{cda}}}entry", typeCode="COMP")
    observation = etree.SubElement(entry, f"{{{cda}}}observation", classCode="OBS", moodCode="EVN")
    etree.SubElement(observation, f"{{{cda}}}templateId", root=f"{v.PDC_SECTION_TEMPLATE}.99", extension="2030-01-01")
    etree.SubElement(observation, f"{{{cda}}}code", code="FutureRegistration", codeSystem=v.OID_MEDCOM_MESSAGE_CODES,
                     displayName="En fremtidig registrering")
    value = etree.SubElement(observation, f"{{{cda}}}value", extension="true", root="1.2.208.176.1.99")
    value.set(f"{{{v.NS['xsi']}}}type", "II")
    return entry


def without_fgvh_entry(cda: bytes) -> bytes:
    """The stamkort without its NoResuscitationRegistration entry and narrative row, as an FSK 2.0 stamkort was
    (FGVH came with 3.0), and with the 2.0 service marker such a document carried."""
    root = _tree(cda)
    for section in root.iterfind(".//cda:section", v.NS):
        for entry in section.findall("cda:entry", v.NS):
            if entry.find("cda:observation/cda:code[@code='NoResuscitationRegistration']", v.NS) is not None:
                section.remove(entry)
    for table in root.iterfind(".//cda:section/cda:text//cda:tbody", v.NS):
        for row in table.findall("cda:tr", v.NS):
            if "genoplivning" in (row.findtext("cda:td", "", v.NS) or "").lower():
                table.remove(row)
    return with_service_marker(_bytes(root))
