"""SOAP 1.1 over HTTP: post an envelope, get the body back or a typed error a user can be told about."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import httpx

import nsp_vocabulary as v
from reference_eoj.nsp.xml_style import Declaration, Namespaces, XmlStyle
from reference_eoj.variants import Variant, Variants
from reference_eoj.xml import Element, XmlError, find, parse, q, text


class NspError(Exception):
    """An NSP call failed; ``user_message`` is what the employee is shown (Danish)."""

    def __init__(self, detail: str, user_message: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.user_message = user_message


class TransportError(NspError):
    """No usable answer: connection refused, timeout, HTTP error without a SOAP fault, malformed body."""


@dataclass
class FaultInfo:
    code: str
    string: str
    dgws_code: str | None


class SoapFault(NspError):
    """The service answered a SOAP fault (possibly with HTTP 200, as the real STS does)."""

    def __init__(self, service: str, fault: FaultInfo, user_message: str | None = None) -> None:
        code = fault.dgws_code or fault.code
        super().__init__(f"{service}: SOAP fault {code}: {fault.string}",
                         user_message or f"{service} afviste kaldet: {fault.string}")
        self.fault = fault


@dataclass(frozen=True)
class WireStyle:
    """How requests are written: the XML form, and the HTTP headers (SOAP 1.1 §6.1.1: SOAPAction is a quoted
    URI; SDS's own client sends it unquoted, and the platform routes it)."""

    xml: XmlStyle = field(default_factory=XmlStyle)
    quoted_action: bool = True
    content_type: str = "text/xml; charset=utf-8"

    def headers(self, action: str) -> dict[str, str]:
        return {"Content-Type": self.content_type, "SOAPAction": f'"{action}"' if self.quoted_action else action}


#: JAXB's way: ``ns2``, ``ns3``, … for the payload, ``SOAP-ENV`` for the envelope
RENAMED = {v.NS["soap"]: "SOAP-ENV", v.NS["wsse"]: "wsse1", v.NS["wsu"]: "wsu1", v.NS["medcom"]: "dgws"}
#: SDS's NspClientDgws: its own prefixes for the envelope's namespaces (XmlNamespace.java), JAXB's for the payload
SDS = {v.NS["soap"]: "soap", v.NS["medcom"]: "medcom-legacy", v.NS["wsse"]: "wsse", v.NS["wsu"]: "wsu",
       v.NS["saml"]: "saml", v.NS["ds"]: "ds", v.NS["sosi"]: "sosi", v.NS["rim"]: "ns2", v.NS["query"]: "ns3",
       v.NS["xds"]: "ns4", v.NS["rs"]: "ns5"}


def wire_style(variants: Variants) -> WireStyle:
    """The style the switched-on variants ask for (the default: lxml's form, quoted SOAPAction)."""
    sds = Variant.SDS_FSK_CLIENT in variants
    namespaces: Namespaces = ("renamed" if Variant.XML_RENAMED_PREFIXES in variants or sds
                              else "default" if Variant.XML_DEFAULT_NAMESPACES in variants else "ours")
    layout = Variant.XML_LAYOUT in variants
    declaration: Declaration = "bom" if layout else "no" if sds else "yes"
    xml = XmlStyle(namespaces, SDS if sds else RENAMED, layout=layout, declaration=declaration)
    if sds or Variant.SOAPACTION_UNQUOTED in variants:
        return WireStyle(xml, quoted_action=False, content_type="text/xml;charset=utf-8")
    return WireStyle(xml)


class SoapClient:
    """Posts SOAP 1.1 envelopes to ``base_url`` + path."""

    def __init__(self, base_url: str, timeout: float, transport: httpx.BaseTransport | None = None,
                 style: WireStyle | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self.style = style or WireStyle()

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        return f"{self._http.base_url}".rstrip("/") + path

    def call(self, service: str, path: str, action: str, envelope: Element, version: str = "1.1") -> Element:
        """Send and return the response's ``soap:Body``; raise :class:`SoapFault` or :class:`TransportError`.
        ``version`` "1.2" sends the envelope as SOAP 1.2 (the seeded defect ``soap12-envelope``)."""
        headers = self.style.headers(action)
        if version == "1.2":
            envelope = as_soap12(envelope)
            headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'}
        try:
            response = self._http.post(path, content=self.style.xml.serialize(envelope), headers=headers)
        except httpx.HTTPError as exc:
            raise TransportError(f"{service}: {type(exc).__name__}: {exc}", f"{service} kunne ikke kontaktes") from exc
        return _body_of(service, response)


def as_soap12(envelope: Element) -> Element:
    """The same envelope in the SOAP 1.2 namespace (Envelope, Header and Body renamed)."""
    renamed = copy.deepcopy(envelope)
    for node in [renamed, *renamed]:
        if node.tag.startswith(f"{{{v.NS['soap']}}}"):
            node.tag = node.tag.replace(v.NS["soap"], v.NS["soap12"])
    return renamed


def _body_of(service: str, response: httpx.Response) -> Element:
    unavailable = f"{service} svarede ikke korrekt (HTTP {response.status_code})"
    try:
        envelope = parse(response.content)
    except XmlError as exc:
        raise TransportError(f"{service}: HTTP {response.status_code}, not XML: {exc}", unavailable) from exc
    body = find(envelope, "soap:Body")
    if envelope.tag != q("soap", "Envelope") or body is None:
        raise TransportError(f"{service}: HTTP {response.status_code}, not a SOAP envelope", unavailable)
    fault = find(body, "soap:Fault")
    if fault is not None:
        raise SoapFault(service, _fault_info(fault))
    if response.is_error:
        raise TransportError(f"{service}: HTTP {response.status_code} without a SOAP fault", unavailable)
    return body


def _fault_info(fault: Element) -> FaultInfo:
    dgws = fault.find(f".//{q('medcom', 'FaultCode')}")
    return FaultInfo(
        code=text(fault, "faultcode") or "",
        string=text(fault, "faultstring") or "",
        dgws_code=text(dgws) if dgws is not None else None,
    )
