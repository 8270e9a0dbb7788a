"""MedCom-style variants of a real PDC-DK 3.0 document, made from the one the platform builds.

MedCom's PDC-DK 3.0 test protocol ships example documents that differ from what the platform builds (a
narrative that contradicts the structured entries, a masked author, the GP where the schema forbids it:
`nspcert.arrange.medcom` makes the five from the mock NSP's document with the quirks below), and real SDS test
documents differ too (a 3.0 document still carrying the 2.0 service marker). The harness makes these
variants from the document the mock NSP builds, and has the mock serve the result verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

import nsp_vocabulary as v

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
#: well-formed XML that is no PDC: what a repository answering with the wrong document (an error page) serves
NOT_A_STAMKORT = b'<?xml version="1.0" encoding="UTF-8"?><html><body><p>Dokumentet findes ikke</p></body></html>'


def _tree(cda: bytes) -> etree._Element:
    return etree.fromstring(cda, _PARSER)


def _bytes(root: etree._Element) -> bytes:
    """The whole document: processing instructions before the root (a stylesheet) kept."""
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


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


# --- the quirks of MedCom's PDC-DK 3.0 test examples (nspcert/arrange/medcom.py) ---------------------------------------
MEDCOM_STYLESHEET = "http://svn.medcom.dk/svn/drafts/Standarder/HL7/CDA-Stylesheet/HL7_CDA/HL7_CDA_stylesheet.xsl"


def _observation(root: etree._Element, code: str) -> etree._Element:
    for observation in root.iterfind(".//cda:entry/cda:observation", v.NS):
        if observation.find(f"cda:code[@code='{code}']", v.NS) is not None:
            return observation
    raise ValueError(f"the document has no {code} entry")


def with_stylesheet(cda: bytes, href: str = MEDCOM_STYLESHEET) -> bytes:
    """Name an XSL stylesheet in a processing instruction before the document element, as MedCom's files do."""
    root = _tree(cda)
    root.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/xsl" href="{href}"'))
    return _bytes(root)


#: MedCom's generic CDA header template, which MedCom's examples name before the PDC-DK one (SDS's documents do not)
MEDCOM_HEADER_TEMPLATE = ("1.2.208.184.10.1.13", "2.0")


def with_medcom_header_template(cda: bytes) -> bytes:
    """Name MedCom's generic CDA header template (``1.2.208.184.10.1.13``, ``2.0``) before the PDC-DK one."""
    root = _tree(cda)
    templates = _header_templates(root)
    if not templates:
        raise ValueError(f"the document has no PDC-DK header template (root {v.PDC_TEMPLATE_ROOT})")
    generic = etree.Element(f"{{{v.NS['cda']}}}templateId", root=MEDCOM_HEADER_TEMPLATE[0],
                            extension=MEDCOM_HEADER_TEMPLATE[1])
    templates[0].addprevious(generic)
    return _bytes(root)


def with_masked_register_author(cda: bytes, code: str) -> bytes:
    """Give a register entry's author the masked CPR (``MSK``) instead of "no information" (``NI``), as MedCom's
    maximal examples do for the citizen's name and address."""
    root = _tree(cda)
    ident = _observation(root, code).find("cda:author/cda:assignedAuthor/cda:id", v.NS)
    if ident is None:
        raise ValueError(f"the {code} entry has no author id")
    ident.set("extension", v.MASKED_CPR)
    return _bytes(root)


def with_author_template_extension(cda: bytes, code: str, extension: str) -> bytes:
    """Set an entry's author templateId extension (MedCom's protection example has ``" 2019-08-14"``, with a leading
    space)."""
    root = _tree(cda)
    template = _observation(root, code).find("cda:author/cda:templateId", v.NS)
    if template is None:
        raise ValueError(f"the {code} entry has no author templateId")
    template.set("extension", extension)
    return _bytes(root)


def with_fgvh_unavailable_as_extension(cda: bytes) -> bytes:
    """Say "not available" as MedCom's NAV example does, ``extension="NAV"`` on the FGVH value root, instead of
    SDS's ``nullFlavor="NAV"``."""
    root = _tree(cda)
    value = _observation(root, "NoResuscitationRegistration").find("cda:value", v.NS)
    if value is None or value.get("nullFlavor") != "NAV":
        raise ValueError("the document's opt-out of resuscitation is not unavailable (nullFlavor NAV)")
    del value.attrib["nullFlavor"]
    value.set("assigningAuthorityName", "Sundhedsdatastyrelsen")
    value.set("extension", "NAV")
    value.set("root", v.OID_FGVH_VALUE)
    return _bytes(root)


def with_dentist_clinic_first(cda: bytes) -> bytes:
    """Put the dentist's clinic (TN) before the dentist's name (PN), as MedCom's maximal example orders them (SDS's
    documents name the dentist first)."""
    root = _tree(cda)
    values = _observation(root, "DentistTypedIn").findall("cda:value", v.NS)
    types = [value.get(f"{{{v.NS['xsi']}}}type") for value in values]
    if "TN" not in types or "PN" not in types:
        raise ValueError("the dentist entry has no clinic (TN) and name (PN) to reorder")
    values[types.index("PN")].addprevious(values[types.index("TN")])
    return _bytes(root)


@dataclass(frozen=True)
class RowEdit:
    """What the narrative table's row says instead (None: as built): the items of its value, its source
    ("Kilde/Indtastet af") and when it was changed ("Sidst ændret/Indtastet den")."""

    items: tuple[str, ...] | None = None
    source: str | None = None
    changed: str | None = None


def with_narrative_rows(cda: bytes, edits: Mapping[int, RowEdit]) -> bytes:
    """Change rows of the section's narrative table (by position, 0 = the first row after the headings); the
    structured entries stay as they are."""
    root = _tree(cda)
    rows = [row for row in root.iterfind(".//cda:section/cda:text//cda:tr", v.NS) if row.find("cda:td", v.NS) is not None]
    for index, edit in edits.items():
        if index >= len(rows):
            raise ValueError(f"the narrative has {len(rows)} rows, no row {index}")
        cells = rows[index].findall("cda:td", v.NS)
        if edit.items is not None:
            items = cells[1].find(".//cda:list", v.NS)
            if items is None:
                raise ValueError(f"narrative row {index} has no list of items")
            for item in list(items):
                items.remove(item)
            for text in edit.items:
                etree.SubElement(items, f"{{{v.NS['cda']}}}item").text = text
        for cell, said in ((cells[2], edit.source), (cells[3], edit.changed)):
            if said is not None:
                cell.text = said
    return _bytes(root)


def as_published(cda: bytes) -> bytes:
    """Indented with tabs and with CRLF line endings, as MedCom publishes its examples (the content is the same: XML
    reads a CRLF as a line feed)."""
    root = _tree(cda)
    etree.indent(root.getroottree(), space="\t")
    text = _bytes(root)
    return text.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


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
