"""A tiny in-process NSP for unit tests (httpx.MockTransport): just enough of each service's answers.

It is not the mock NSP (mock_nsp/): it trusts everything and records what the EOJ sent.
"""

from __future__ import annotations

import base64
import copy
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from lxml import etree
from nsp_reference import reference

import nsp_vocabulary as v

NAV_SAMPLE = "pdc-samples/pdc-3.0-fgvh-nav-with-typed-in-data.xml"
FALSE_SAMPLE = "pdc-samples/pdc-3.0-fgvh-false-no-gp.xml"
NAV_CPR, FALSE_CPR = "2512484916", "0410009234"
SOAP = v.NS["soap"]


class SampleDocuments(dict[str, bytes]):
    """CPR → the document FSK serves; the real samples are read when first retrieved, so a test that never
    retrieves one runs without the reference files."""

    def __init__(self, samples: dict[str, str]) -> None:
        super().__init__()
        self._samples = samples

    def __contains__(self, cpr: object) -> bool:
        return super().__contains__(cpr) or cpr in self._samples

    def __missing__(self, cpr: str) -> bytes:
        if cpr not in self._samples:
            raise KeyError(cpr)
        self[cpr] = reference(self._samples[cpr]).read_bytes()
        return self[cpr]


def pdc_with_fgvh(value: str) -> bytes:
    """The fgvh-false sample with its FGVH value set to ``true``, ``false`` or ``NAV``."""
    text = reference(FALSE_SAMPLE).read_text("utf-8")
    old = 'extension="false" root="1.2.208.176.1.11"'
    new = 'nullFlavor="NAV"' if value == "NAV" else f'extension="{value}" root="1.2.208.176.1.11"'
    return text.replace(old, new).encode("utf-8")


@dataclass
class Exchange:
    path: str
    action: str
    envelope: etree._Element
    raw: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> etree._Element:
        return self.envelope.find(f"{{{SOAP}}}Body")[0]

    def header(self, prefix: str, local: str) -> etree._Element | None:
        return self.envelope.find(f"{{{SOAP}}}Header/{{{v.NS[prefix]}}}{local}")


@dataclass
class FakeNsp:
    documents: dict[str, bytes] = field(default_factory=lambda: SampleDocuments({
        NAV_CPR: NAV_SAMPLE, FALSE_CPR: FALSE_SAMPLE}))
    exchanges: list[Exchange] = field(default_factory=list)
    card_lifetime: timedelta = timedelta(hours=24)
    down: set[str] = field(default_factory=set)  # paths answering 503
    minlog_fail: set[str] = field(default_factory=set)  # sequence numbers MinLog rejects (once each)
    minlog_refuse: set[str] = field(default_factory=set)  # sequence numbers MinLog rejects every time
    minlog_poison: set[str] = field(default_factory=set)  # a request with one of these is refused whole
    skr_fault: str | None = None
    skr_dgws_fault: str | None = None  # a medcom:FaultCode the DGWS gate answers SKR calls with
    card_refusals: int = 0  # the next searches refused with sosigw_no_valid_idcard_in_request
    sts_fault: str | None = None  # the STS refuses every card with this text
    card_starts_in: timedelta = timedelta(0)  # NotBefore of an issued card, after the caller's clock
    salt: str = "c2FsdC1vbmU="

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def calls(self, path: str) -> list[Exchange]:
        return [e for e in self.exchanges if e.path == path]

    def minlog_entries(self) -> list[etree._Element]:
        return [d for e in self.calls(v.PATH_MINLOG) for d in e.body.iter("Destination")]

    def handle(self, request: httpx.Request) -> httpx.Response:
        envelope = etree.fromstring(request.content)
        path = request.url.path
        self.exchanges.append(Exchange(path, request.headers.get("SOAPAction", "").strip('"'), envelope,
                                       request.content, dict(request.headers)))
        if path in self.down:
            return httpx.Response(503, text="<html>Service Unavailable</html>")
        if envelope.tag != f"{{{SOAP}}}Envelope":  # every NSP binding is SOAP 1.1
            return _fault("soap:VersionMismatch", "SOAP 1.1 only", status=500)
        handler = {v.PATH_STS: self._sts, v.PATH_SFSK_ITI18: self._iti18, v.PATH_SFSK_ITI43: self._iti43,
                   v.PATH_MINLOG: self._minlog, v.PATH_SKR: self._skr, v.PATH_IDSAS_SALT: self._salt}[path]
        return handler(self.exchanges[-1])

    def _sts(self, exchange: Exchange) -> httpx.Response:
        if self.sts_fault:
            return _fault("soap:Client", self.sts_fault, status=500)
        card = copy.deepcopy(next(exchange.body.iter(f"{{{v.NS['saml']}}}Assertion")))
        card.find(f"{{{v.NS['saml']}}}Issuer").text = v.MOCK_STS_ISSUER
        created = exchange.envelope.findtext(f".//{{{v.NS['wsu']}}}Created") or ""
        issued = datetime.fromisoformat(created.replace("Z", "+00:00"))  # the caller's clock
        conditions = card.find(f"{{{v.NS['saml']}}}Conditions")
        conditions.set("NotOnOrAfter", (issued + self.card_lifetime).strftime("%Y-%m-%dT%H:%M:%SZ"))
        conditions.set("NotBefore", (issued + self.card_starts_in).strftime("%Y-%m-%dT%H:%M:%SZ"))
        rstr = etree.Element(f"{{{v.NS['wst']}}}RequestSecurityTokenResponse")
        etree.SubElement(rstr, f"{{{v.NS['wst']}}}RequestedSecurityToken").append(card)
        return _soap(rstr)

    def _iti18(self, exchange: Exchange) -> httpx.Response:
        if self.card_refusals:
            self.card_refusals -= 1
            return _dgws_fault(v.FAULT_NO_VALID_IDCARD)
        slots = {s.get("name"): [x.text for x in s.iter(f"{{{v.NS['rim']}}}Value")]
                 for s in exchange.body.iter(f"{{{v.NS['rim']}}}Slot")}
        cpr = (slots["$XDSDocumentEntryPatientId"][0] or "").strip("'").split("^")[0]
        response = etree.Element(f"{{{v.NS['query']}}}AdhocQueryResponse", status=v.RESPONSE_STATUS_SUCCESS)
        objects = etree.SubElement(response, f"{{{v.NS['rim']}}}RegistryObjectList")
        if cpr in self.documents and v.FORMAT_CODE_PDC_V3 in (slots["$XDSDocumentEntryFormatCode"][0] or ""):
            document_id = f"{v.SFSK_REPOSITORY_UNIQUE_ID}^{cpr}-{uuid.uuid4()}"
            obj = etree.SubElement(objects, f"{{{v.NS['rim']}}}ExtrinsicObject", home=v.SFSK_HOME_COMMUNITY_ID,
                                   objectType=v.ENTRY_TYPE_ON_DEMAND, id=document_id)
            slot = etree.SubElement(obj, f"{{{v.NS['rim']}}}Slot", name="repositoryUniqueId")
            etree.SubElement(etree.SubElement(slot, f"{{{v.NS['rim']}}}ValueList"), f"{{{v.NS['rim']}}}Value").text = \
                v.SFSK_REPOSITORY_UNIQUE_ID
            etree.SubElement(obj, f"{{{v.NS['rim']}}}ExternalIdentifier",
                             identificationScheme=v.SCHEME_DOCUMENT_UNIQUE_ID, value=document_id)
        return _soap(response)

    def _iti43(self, exchange: Exchange) -> httpx.Response:
        document_id = exchange.body.findtext(f".//{{{v.NS['xds']}}}DocumentUniqueId") or ""
        cpr = document_id.split("^")[-1].split("-")[0]
        response = etree.Element(f"{{{v.NS['xds']}}}RetrieveDocumentSetResponse")
        etree.SubElement(response, f"{{{v.NS['rs']}}}RegistryResponse", status=v.RESPONSE_STATUS_SUCCESS)
        doc = etree.SubElement(response, f"{{{v.NS['xds']}}}DocumentResponse")
        etree.SubElement(doc, f"{{{v.NS['xds']}}}DocumentUniqueId").text = document_id
        etree.SubElement(doc, f"{{{v.NS['xds']}}}Document").text = base64.b64encode(self.documents[cpr]).decode()
        return _soap(response)

    def _minlog(self, exchange: Exchange) -> httpx.Response:
        seqs = [d.findtext("SequenceNumber") for d in exchange.body.iter("Destination")]
        if self.minlog_poison & set(seqs):
            return _fault("soap:Client", "cvc-complex-type.2.4.a: Invalid content was found", status=500)
        failed = [s for s in seqs if s in self.minlog_fail | self.minlog_refuse]
        self.minlog_fail -= set(failed)
        response = etree.Element(f"{{{v.NS['minlog']}}}RegistrationResponse")
        for seq in failed:
            entry = etree.SubElement(response, "FailedLogDataEntries")
            etree.SubElement(entry, "FaultCode").text = "TEST"
            etree.SubElement(entry, "SequenceNumber").text = seq
        etree.SubElement(response, "NumberAdded").text = str(len(seqs) - len(failed))
        etree.SubElement(response, "NumberFailed").text = str(len(failed))
        return _soap(response)

    def _skr(self, exchange: Exchange) -> httpx.Response:
        if self.skr_dgws_fault:
            return _dgws_fault(self.skr_dgws_fault)
        if self.skr_fault:
            return _fault("soap:Client", self.skr_fault, status=500)
        name = etree.QName(exchange.body).localname.replace("Request", "Response")
        return _soap(etree.Element(f"{{{v.NS['skr']}}}{name}"))  # SKR's answer carries no data

    def _salt(self, exchange: Exchange) -> httpx.Response:
        response = etree.Element(f"{{{v.NS['idsas']}}}GetCurrentSaltResponse")
        etree.SubElement(response, f"{{{v.NS['idsas']}}}Salt").text = self.salt
        return _soap(response)


def _soap(payload: etree._Element, status: int = 200) -> httpx.Response:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP})
    etree.SubElement(envelope, f"{{{SOAP}}}Body").append(payload)
    return httpx.Response(status, content=etree.tostring(envelope), headers={"Content-Type": "text/xml"})


def _fault(code: str, string: str, status: int = 500) -> httpx.Response:
    fault = etree.Element(f"{{{SOAP}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = string
    return _soap(fault, status)


def _dgws_fault(code: str) -> httpx.Response:
    fault = etree.Element(f"{{{SOAP}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Server"
    etree.SubElement(fault, "faultstring").text = "DGWS gate"
    etree.SubElement(etree.SubElement(fault, "detail"), f"{{{v.NS['medcom']}}}FaultCode").text = code
    return _soap(fault, 500)
