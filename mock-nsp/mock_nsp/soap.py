"""SOAP 1.1/1.2 envelopes and faults."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from lxml import etree

import nsp_vocabulary as v

SOAP11 = v.NS["soap"]
SOAP12 = v.NS["soap12"]
CT_SOAP11 = "text/xml; charset=utf-8"
CT_SOAP12 = "application/soap+xml; charset=utf-8"


@dataclass
class SoapFault(Exception):
    """A fault to answer with. `medcom_code` puts a DGWS `medcom:FaultCode` in the detail."""

    string: str
    code: str = "Server"
    medcom_code: str | None = None
    http_status: int = 500
    detail: list[etree._Element] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.string}"


def envelope_ns(root: etree._Element | None) -> str:
    """The envelope namespace of a parsed request (SOAP 1.1 when unknown)."""
    if root is not None and etree.QName(root).namespace == SOAP12:
        return SOAP12
    return SOAP11


def content_type(ns: str) -> str:
    return CT_SOAP12 if ns == SOAP12 else CT_SOAP11


def new_envelope(ns: str = SOAP11, nsmap: dict[str, str] | None = None) -> tuple[
    etree._Element, etree._Element, etree._Element
]:
    """(envelope, header, body)."""
    prefix = "soap" if ns == SOAP11 else "env"
    namespaces: dict[str, str] = {prefix: ns}
    namespaces.update(nsmap or {})
    env = etree.Element(f"{{{ns}}}Envelope", nsmap=namespaces)
    header = etree.SubElement(env, f"{{{ns}}}Header")
    body = etree.SubElement(env, f"{{{ns}}}Body")
    return env, header, body


def serialize(env: etree._Element) -> bytes:
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def fault_envelope(fault: SoapFault, ns: str = SOAP11, message_id: str | None = None) -> bytes:
    """A fault envelope; DGWS faults carry `medcom:Header` (InResponseToMessageID) and `medcom:FaultCode`."""
    medcom = v.NS["medcom"]
    env, header, body = new_envelope(ns, {"medcom": medcom} if fault.medcom_code else None)
    if fault.medcom_code:
        header.append(medcom_header(message_id))
    if ns == SOAP12:
        _fault12(body, fault)
    else:
        _fault11(body, fault)
    return serialize(env)


def medcom_header(message_id: str | None) -> etree._Element:
    """The answer's `medcom:Header`: a new MessageID and InResponseToMessageID."""
    medcom = v.NS["medcom"]
    mh = etree.Element(f"{{{medcom}}}Header", nsmap={"medcom": medcom})
    etree.SubElement(mh, f"{{{medcom}}}SecurityLevel").text = "3"
    linking = etree.SubElement(mh, f"{{{medcom}}}Linking")
    etree.SubElement(linking, f"{{{medcom}}}MessageID").text = str(uuid.uuid4())
    if message_id:
        etree.SubElement(linking, f"{{{medcom}}}InResponseToMessageID").text = message_id
    etree.SubElement(mh, f"{{{medcom}}}FlowStatus").text = "flow_finalized_succesfully"
    return mh


def _detail_children(fault: SoapFault) -> list[etree._Element]:
    children = list(fault.detail)
    if fault.medcom_code:
        code = etree.Element(f"{{{v.NS['medcom']}}}FaultCode")
        code.text = fault.medcom_code
        children.insert(0, code)
    return children


def _fault11(body: etree._Element, fault: SoapFault) -> None:
    el = etree.SubElement(body, f"{{{SOAP11}}}Fault")
    code = fault.code if ":" in fault.code else f"soap:{fault.code}"
    etree.SubElement(el, "faultcode").text = code
    etree.SubElement(el, "faultstring").text = fault.string
    children = _detail_children(fault)
    if children:
        detail = etree.SubElement(el, "detail")
        detail.extend(children)


def _fault12(body: etree._Element, fault: SoapFault) -> None:
    el = etree.SubElement(body, f"{{{SOAP12}}}Fault")
    code = etree.SubElement(el, f"{{{SOAP12}}}Code")
    value = "env:Sender" if fault.code == "Client" else "env:Receiver"
    etree.SubElement(code, f"{{{SOAP12}}}Value").text = value
    reason = etree.SubElement(el, f"{{{SOAP12}}}Reason")
    txt = etree.SubElement(reason, f"{{{SOAP12}}}Text")
    txt.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    txt.text = fault.string
    children = _detail_children(fault)
    if children:
        etree.SubElement(el, f"{{{SOAP12}}}Detail").extend(children)


def version_mismatch() -> SoapFault:
    """SOAP 1.1 §4.4.1: a message whose Envelope is in another namespace (a SOAP 1.2 envelope) is answered with a
    ``VersionMismatch`` fault in the SOAP 1.1 namespace (§4.1.2; SOAP 1.2 Part 1 appendix A)."""
    return SoapFault("The SOAP 1.2 envelope namespace is not accepted: this binding is SOAP 1.1 "
                     f"({SOAP11})", code="VersionMismatch")


def dgws_fault(medcom_code: str, string: str) -> SoapFault:
    return SoapFault(string=string, code="Server", medcom_code=medcom_code)


def client_fault(string: str, http_status: int = 500) -> SoapFault:
    return SoapFault(string=string, code="Client", http_status=http_status)


def body_child(root: etree._Element) -> etree._Element | None:
    """The first element child of soap:Body."""
    ns = envelope_ns(root)
    body = root.find(f"{{{ns}}}Body")
    if body is None:
        return None
    for child in body:
        if isinstance(child.tag, str):
            return child
    return None


#: WS-Addressing 1.0 (what the SFSK WSDL's wsam:Action asks for) and the 2004/08 submission
WSA_NAMESPACES = ("http://www.w3.org/2005/08/addressing", v.NS["wsa"])


def wsa_action(root: etree._Element) -> str:
    """The ``wsa:Action`` header's value ("" when there is none)."""
    header = header_el(root)
    for ns in WSA_NAMESPACES:
        found = header.find(f"{{{ns}}}Action") if header is not None else None
        if found is not None:
            return (found.text or "").strip()
    return ""


def header_el(root: etree._Element) -> etree._Element | None:
    return root.find(f"{{{envelope_ns(root)}}}Header")
