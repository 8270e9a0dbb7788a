"""The service plane: read, parse, inspect, inject faults, gate, handle, answer, journal. Never a stack trace."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from mock_nsp import nearmiss, soap, xmlsafe
from mock_nsp.faults import Injection
from mock_nsp.security.dgws import GateResult
from mock_nsp.services import peek
from mock_nsp.services.base import Call, Reply, Service
from mock_nsp.state import MockState
from nspcert import vocabulary as v

log = logging.getLogger("mock_nsp")
SOAP_TYPES = ("text/xml", "application/soap+xml")
#: statuses whose answers carry no body (RFC 9110 §15.3.5, §15.4.5); 1xx are refused by the fault schema
BODILESS = frozenset({204, 304})


class BodyTooLarge(Exception):
    pass


@dataclass
class Outcome:
    """What goes back on the wire (or `drop` for a connection drop)."""

    status: int
    body: bytes
    content_type: str = soap.CT_SOAP11
    drop: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    operation: str | None = None


async def read_body(request: Request, limit: int, timeout: float = 30.0) -> bytes:
    """The body, at most `limit` bytes, within `timeout` seconds (a slow sender gets 408, not a hang)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(declared)
    chunks, size = [], 0
    async with asyncio.timeout(timeout):
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(str(size))
            chunks.append(chunk)
    return b"".join(chunks)


class Dispatcher:
    def __init__(self, state: MockState, services: list[Service]) -> None:
        self.state = state
        self.by_path = {path: s for s in services for path in s.paths}
        self.by_body = {tag: s for s in services for tag in s.accepts}

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        service = self.by_path[request.url.path]
        raw = b""
        try:
            raw = await read_body(request, self.state.settings.max_body_bytes, self.state.settings.body_timeout)
            outcome = await self._outcome(service, request, raw)
        except BodyTooLarge:
            outcome = Outcome(413, b"request body too large", "text/plain; charset=utf-8")
        except TimeoutError:
            outcome = Outcome(408, b"request body not received in time", "text/plain; charset=utf-8")
        except Exception:
            log.exception("internal error in %s", service.name)
            fault = soap.SoapFault("Internal error in the mock NSP", medcom_code=v.FAULT_INTERNAL_ERROR)
            outcome = Outcome(500, soap.fault_envelope(fault))
        if outcome.status in BODILESS:
            outcome.body = b""  # HTTP forbids a body here; sending one puts a keep-alive connection out of step
        await self._journal(service, request, raw, outcome, started)
        if outcome.drop:
            return DroppedResponse()
        return Response(outcome.body, outcome.status, media_type=None, headers={"content-type": outcome.content_type})

    async def _outcome(self, service: Service, request: Request, raw: bytes) -> Outcome:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in SOAP_TYPES:
            return Outcome(415, f"unsupported content type {ctype!r}".encode(), "text/plain; charset=utf-8")
        try:
            root = xmlsafe.parse(raw)
        except xmlsafe.XmlError as exc:
            return self._fault(service, soap.SOAP11, _syntax_fault(service, str(exc)), {})
        ns = soap.envelope_ns(root)
        if root.tag != f"{{{ns}}}Envelope":
            return self._fault(service, ns, _syntax_fault(service, "Not a SOAP envelope"), {})
        return await self._envelope(service, request, root, ns)

    async def _envelope(self, service: Service, request: Request, root: etree._Element, ns: str) -> Outcome:
        body = soap.body_child(root)
        operation = service.operation(body, request.headers.get("soapaction"))
        gate = self.state.gate.inspect(root) if service.dgws else GateResult()
        summary = _summary(gate)
        if body is not None and service.accepts and body.tag not in service.accepts:
            summary["near_miss"] = self._wrong_service(request, body)
        action = _soap_action(request, ns)
        if action and service.soap_actions and action not in service.soap_actions:
            summary["near_miss"] = nearmiss.note(
                self.state, request, service.name, request.url.path,
                f"SOAPAction {action!r} is not one of {', '.join(service.soap_actions)} (answered anyway)")
        cpr = peek.cpr(service.name, body, self.state.citizens) or (gate.hsuid.citizen_cpr if gate.hsuid else None)
        summary["cpr"] = cpr
        injection = self.state.faults.decide(service.name, operation, cpr, gate.card.cvr if gate.card else None)
        if injection.fired:
            summary["injected"] = injection.fired
        if injection.delay_ms:
            await asyncio.sleep(injection.delay_ms / 1000)
        if injection.rule is not None:
            out = _injected(injection, ns, gate.message_id)
            out.summary, out.operation = summary, operation
            return out
        call = Call(root, ns, request.headers.get("soapaction"), operation, gate, summary, injection.unavailable, body,
                    injection.entry_failure)
        try:
            if service.dgws:
                self.state.gate.check(gate, service.requirement(self.state.config))
            reply = service.handle(call)
        except soap.SoapFault as fault:
            out = self._fault(service, ns, fault, summary, gate.message_id)
            out.operation = operation
            return out
        out = Outcome(reply.status, self._envelope_bytes(service, ns, reply, gate), soap.content_type(ns))
        out.summary, out.operation = summary, operation
        return out

    def _wrong_service(self, request: Request, body: etree._Element) -> dict[str, Any]:
        other = self.by_body.get(str(body.tag))
        if other is None:
            return nearmiss.note(self.state, request, None, None, f"no service answers the body element {body.tag}", 0)
        return nearmiss.note(self.state, request, other.name, other.paths[0],
                             f"the body element {body.tag} belongs to {other.name} at {other.paths[0]}")

    def _envelope_bytes(self, service: Service, ns: str, reply: Reply, gate: GateResult) -> bytes:
        env, header, body = soap.new_envelope(ns)
        if service.dgws:
            header.append(soap.medcom_header(gate.message_id))
        header.extend(reply.header_elements)
        body.extend(reply.elements)
        return soap.serialize(env)

    def _fault(self, service: Service, ns: str, fault: soap.SoapFault, summary: dict[str, Any],
               message_id: str | None = None) -> Outcome:
        summary["fault"] = {"code": fault.medcom_code or fault.code, "string": fault.string}
        return Outcome(fault.http_status, soap.fault_envelope(fault, ns, message_id), soap.content_type(ns),
                       summary=summary)

    async def _journal(self, service: Service, request: Request, raw: bytes, out: Outcome, started: float) -> None:
        duration = (time.perf_counter() - started) * 1000
        await record(self.state, {
            "at": self.state.clock.now().isoformat(),
            "service": service.name,
            "operation": out.operation,
            "status": 0 if out.drop else out.status,
            "duration_ms": round(duration, 3),
            "request": {"method": request.method, "path": request.url.path, "headers": dict(request.headers),
                        "body": raw},
            "response": {"status": 0 if out.drop else out.status, "headers": {"content-type": out.content_type},
                         "body": out.body, "dropped": out.drop},
            "summary": out.summary,
        })


async def record(state: MockState, entry: dict[str, Any]) -> None:
    """Journal an exchange. With `journal_durable` (the default) the answer waits until the entry is
    committed (group commit by the writer thread), so killing the mock never loses an answered exchange."""
    if not state.settings.journal_durable:
        state.journal.record(entry)
        return
    committed = asyncio.get_running_loop().create_future()
    state.journal.batch_done = _wake_batch
    state.journal.record(entry, _Waiter(committed))
    try:
        await asyncio.wait_for(committed, timeout=30)
    except TimeoutError:
        log.error("journal: an entry was not committed within 30 s; answering anyway")


class _Waiter:
    """A journal `done` callback that resolves a future on its own loop."""

    def __init__(self, future: asyncio.Future[None]) -> None:
        self.future = future

    def __call__(self) -> None:
        self.future.get_loop().call_soon_threadsafe(_resolve, [self.future])


def _wake_batch(callbacks: list[Callable[[], None]]) -> None:
    """Wake each event loop once per committed batch (not once per entry)."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for callback in callbacks:
        if isinstance(callback, _Waiter):
            by_loop.setdefault(callback.future.get_loop(), []).append(callback.future)
        else:
            callback()
    for loop, futures in by_loop.items():
        loop.call_soon_threadsafe(_resolve, futures)


def _resolve(futures: list[asyncio.Future[None]]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)


def _soap_action(request: Request, ns: str) -> str:
    """SOAPAction (SOAP 1.1 header) or the `action` parameter of a SOAP 1.2 content type, unquoted."""
    if ns == soap.SOAP12:
        for part in request.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "action":
                return value.strip().strip('"')
        return ""
    return request.headers.get("soapaction", "").strip().strip('"')


def _summary(gate: GateResult) -> dict[str, Any]:
    summary: dict[str, Any] = {"message_id": gate.message_id}
    if gate.card is not None:
        summary["idcard"] = gate.card.summary(gate.card_valid)
    if gate.hsuid is not None:
        summary["hsuid"] = gate.hsuid.summary()
    return summary


def _syntax_fault(service: Service, reason: str) -> soap.SoapFault:
    if service.dgws:
        return soap.dgws_fault(v.FAULT_SYNTAX_ERROR, reason)
    return soap.client_fault(reason)


_MALFORMED = b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="' + soap.SOAP11.encode() + b'"><soap:Bo'


def _injected(injection: Injection, ns: str, message_id: str | None) -> Outcome:
    rule = injection.rule
    assert rule is not None
    p = rule.params
    if rule.kind == "http_status":
        status = int(p.get("status", 503))
        return Outcome(status, str(p.get("body", "Service Unavailable")).encode(), "text/plain; charset=utf-8")
    if rule.kind == "soap_fault":
        fault = soap.SoapFault(str(p.get("string", "Injected fault")), str(p.get("code", "Server")),
                               http_status=int(p.get("http_status", 500)))
        return Outcome(fault.http_status, soap.fault_envelope(fault, ns), soap.content_type(ns))
    if rule.kind == "dgws_fault":
        fault = soap.dgws_fault(str(p.get("code", v.FAULT_INTERNAL_ERROR)), str(p.get("string", "Injected DGWS fault")))
        fault.http_status = int(p.get("http_status", 500))
        return Outcome(fault.http_status, soap.fault_envelope(fault, ns, message_id), soap.content_type(ns))
    if rule.kind == "malformed_body":
        return Outcome(int(p.get("status", 200)), str(p.get("body", "")).encode() or _MALFORMED, soap.content_type(ns))
    if rule.kind == "empty_body":
        return Outcome(int(p.get("status", 200)), b"", soap.content_type(ns))
    return Outcome(200, b"", soap.content_type(ns), drop=True)


class DroppedResponse(Response):
    """Sends the headers and part of a body, then ends the exchange without completing it: the server
    closes the connection and the client sees a dropped connection."""

    def __init__(self) -> None:
        super().__init__(b"", 200)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/xml; charset=utf-8"), (b"content-length", b"100000")]})
        await send({"type": "http.response.body", "body": b"<soap:Envelope", "more_body": True})
