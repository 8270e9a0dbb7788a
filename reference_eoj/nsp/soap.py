"""SOAP 1.1 over HTTP: post an envelope, get the body back or a typed error a user can be told about."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from reference_eoj.xml import Element, XmlError, find, parse, q, text, to_bytes


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


class SoapClient:
    """Posts SOAP 1.1 envelopes to ``base_url`` + path."""

    def __init__(self, base_url: str, timeout: float, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def call(self, service: str, path: str, action: str, envelope: Element) -> Element:
        """Send and return the response's ``soap:Body``; raise :class:`SoapFault` or :class:`TransportError`."""
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'}
        try:
            response = self._http.post(path, content=to_bytes(envelope), headers=headers)
        except httpx.HTTPError as exc:
            raise TransportError(f"{service}: {type(exc).__name__}: {exc}", f"{service} kunne ikke kontaktes") from exc
        return _body_of(service, response)


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
