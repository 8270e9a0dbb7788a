"""The service plane: one pipeline per tenant — read, parse (SOAP), inspect, inject faults, gate (DGWS), handle
(the service), journal, answer. Never a stack trace."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import Any

from lxml import etree
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

import nsp_vocabulary as v
from mock_nsp import soap, xmlsafe
from mock_nsp.plane import exchange, nearmiss
from mock_nsp.plane.exchange import TEXT, BodyTooLarge, ClientDisconnect, Outcome, unreadable, unrecorded
from mock_nsp.security.dgws import GateResult
from mock_nsp.services import peek
from mock_nsp.services.base import Call, Reply, Service
from mock_nsp.world.faults import Injection
from mock_nsp.world.tenant import World

log = logging.getLogger("mock_nsp")
SOAP_TYPES = ("text/xml", "application/soap+xml")
#: statuses whose answers carry no body (RFC 9110 §15.3.5, §15.4.5); 1xx are refused by the fault schema
BODILESS = frozenset({204, 304})
#: a request body larger than this is parsed, checked, answered and journaled on a private event loop in a worker
#: thread: a 9 MiB MinLog2 batch takes seconds, and every other request would wait for it on the server's loop.
#: Small requests (an ITI-43 is a few KiB) stay on the server's loop: a thread hop would cost them latency.
OFF_LOOP_BYTES = 256 * 1024
_NONE = Injection()
_INTERNAL = soap.SoapFault("Internal error in the mock NSP", medcom_code=v.FAULT_INTERNAL_ERROR)


class Pipeline:
    def __init__(self, state: World, services: list[Service]) -> None:
        self.state = state
        self.by_path = {path: s for s in services for path in s.paths}
        self.by_body = {tag: s for s in services for tag in s.accepts}

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The service plane as a bare ASGI endpoint (see app.MockApp); a failure outside `handle`'s own guards
        (it has none left to fail in, but a mock must never answer with a stack trace) is a plain 500."""
        try:
            response = await self.handle(Request(scope, receive))
        except Exception:
            log.exception("internal error in the service plane")
            response = Response(soap.fault_envelope(_INTERNAL), 500, media_type=soap.CT_SOAP11)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        service = self.by_path[get_route_path(request.scope)]
        settings = self.state.settings
        try:
            raw = await exchange.read_body(request, settings.max_body_bytes, settings.body_timeout)
        except (BodyTooLarge, TimeoutError, ClientDisconnect) as exc:
            outcome = await self._finish(service, request, b"", unreadable(exc), started)
        else:
            await _answers_first()
            work = self._exchange(service, request, raw, started)
            outcome = await (_off_loop(work) if len(raw) > OFF_LOOP_BYTES else work)
        if outcome.drop:
            return DroppedResponse()
        return Response(outcome.body, outcome.status, media_type=None, headers={"content-type": outcome.content_type})

    async def _exchange(self, service: Service, request: Request, raw: bytes, started: float) -> Outcome:
        """Answer a request whose body has been read, and journal the exchange."""
        try:
            outcome = await self._outcome(service, request, raw)
        except Exception:
            log.exception("internal error in %s", service.name)
            outcome = Outcome(500, soap.fault_envelope(_INTERNAL))
        return await self._finish(service, request, raw, outcome, started)

    async def _finish(self, service: Service, request: Request, raw: bytes, outcome: Outcome,
                      started: float) -> Outcome:
        if outcome.status in BODILESS:
            outcome.body = b""  # HTTP forbids a body here; sending one puts a keep-alive connection out of step
        entry = exchange.journal_entry(self.state, request, service.name, raw, outcome, started)
        if await exchange.record(self.state, entry):
            return outcome
        return unrecorded(self.state)

    async def _outcome(self, service: Service, request: Request, raw: bytes) -> Outcome:
        ctype = exchange.headers(request).get("content-type", "").split(";")[0].strip().lower()
        if ctype not in SOAP_TYPES:
            return Outcome(415, f"unsupported content type {ctype!r}".encode(), TEXT)
        try:
            root = xmlsafe.parse(raw)
        except xmlsafe.XmlError as exc:
            return self._fault(service, soap.SOAP11, self._syntax_fault(service, str(exc)), {})
        ns = soap.envelope_ns(root)
        if ns == soap.SOAP12:  # every NSP binding is SOAP 1.1: refused before anything else (docs/soap-binding.md)
            return self._fault(service, soap.SOAP11, soap.version_mismatch(), {})
        if root.tag != f"{{{ns}}}Envelope":
            return self._fault(service, ns, self._syntax_fault(service, "Not a SOAP envelope"), {})
        return await self._envelope(service, request, root, ns)

    async def _envelope(self, service: Service, request: Request, root: etree._Element, ns: str) -> Outcome:
        body = soap.body_child(root)
        operation = service.operation(body, exchange.headers(request).get("soapaction"))
        gate = self.state.gate.inspect(root) if service.dgws else GateResult()
        summary = self._summary(service, request, body, ns, gate)
        unrouted = _unrouted(service, request, root)
        if unrouted is not None:  # the decoupling component routes on SOAPAction, before the service sees the call
            out = self._fault(service, ns, unrouted, summary, gate.message_id)
            out.operation = operation
            return out
        cvr = gate.card.cvr if gate.card else peek.claimed_cvr(service.name, body)
        matching = self.state.faults.matching(service.name, operation, summary["cpr"], cvr)
        injection = self.state.faults.decide(matching) if matching else _NONE
        if injection.fired:
            summary["injected"] = injection.fired
        if injection.delay_ms:
            await asyncio.sleep(injection.delay_ms / 1000)
        call = Call(root, ns, operation, gate, summary, injection.unavailable, body, injection.entry_failure)
        answer = injection.answer(ns, gate.message_id)
        out = self._serve(service, call) if answer is None else Outcome(answer.status, answer.body, answer.content_type,
                                                                        drop=answer.drop)
        if answer is not None and answer.fault is not None:  # journalled as a fault the service answered is
            summary["fault"] = answer.fault
        out.summary, out.operation = summary, operation
        return out

    def _summary(self, service: Service, request: Request, body: etree._Element | None, ns: str,
                 gate: GateResult) -> dict[str, Any]:
        """What the journal shows about the request: caller, near-misses, the citizen it is about."""
        summary = _gate_summary(gate)
        if body is not None and service.accepts and body.tag not in service.accepts:
            summary["near_miss"] = self._wrong_service(request, body)
        action = _soap_action(request, ns)
        if action and service.soap_actions and action not in service.soap_actions:
            summary["near_miss"] = nearmiss.note(
                self.state, request, service.name, exchange.path(request),
                f"SOAPAction {action!r} is not one of {', '.join(service.soap_actions)} (answered anyway)")
        cpr = peek.cpr(service.name, body, self.state.citizens) or (gate.hsuid.citizen_cpr if gate.hsuid else None)
        summary["cpr"] = cpr
        return summary

    def _serve(self, service: Service, call: Call) -> Outcome:
        """The DGWS gate (for all but the STS), then the service's own answer or fault."""
        config = self.state.config
        try:
            if service.dgws:
                self.state.gate.check(call.gate, service.requirement(config), config.whitelist_for(service.name))
            reply = service.handle(call)
        except soap.SoapFault as fault:
            return self._fault(service, call.ns, fault, call.summary, call.gate.message_id)
        return Outcome(reply.status, self._envelope_bytes(service, call.ns, reply, call.gate),
                       soap.content_type(call.ns))

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
        return reply.splice(soap.serialize(env))

    def _syntax_fault(self, service: Service, reason: str) -> soap.SoapFault:
        """XML that is no SOAP request: a DGWS syntax fault behind the gate, a client fault at the STS (with
        the HTTP status the STS answers its faults with)."""
        if service.dgws:
            return soap.dgws_fault(v.FAULT_SYNTAX_ERROR, reason)
        return soap.client_fault(reason, http_status=service.fault_http_status(self.state.config))

    def _fault(self, service: Service, ns: str, fault: soap.SoapFault, summary: dict[str, Any],
               message_id: str | None = None) -> Outcome:
        summary["fault"] = {"code": fault.medcom_code or fault.code, "string": fault.string}
        return Outcome(fault.http_status, soap.fault_envelope(fault, ns, message_id), soap.content_type(ns),
                       summary=summary)


async def _answers_first() -> None:
    """Let the loop send the answers that are ready before this request's work starts (one yield: this request goes
    to the back of the loop's ready queue). A request's answer waits for its journal commit; the acknowledgement wakes
    its task in the same loop pass as the requests that arrived meanwhile, and without the yield it waited behind all
    of their work (a pass: 5 ms at the median, 15 ms at the 99th percentile in the 2-worker bench)."""
    await asyncio.sleep(0)


async def _off_loop(work: Coroutine[Any, Any, Outcome]) -> Outcome:
    return await asyncio.to_thread(asyncio.run, work)


def _unrouted(service: Service, request: Request, root: etree._Element) -> soap.SoapFault | None:
    """On a ``/decoupling/`` path the decoupling component (SOSI-DCC) routes the call by its SOAPAction header,
    which it requires: one that names another operation reaches no service; an empty or missing one is routed
    only by the WS-Addressing Action the published WSDL names (what a client generated from it sends)."""
    path = exchange.path(request)
    if not path.startswith("/decoupling/") or not service.soap_actions:
        return None
    action = _soap_action(request, soap.SOAP11)
    if action in service.soap_actions or (not action and soap.wsa_action(root) in service.soap_actions):
        return None
    sent = f"SOAPAction {action!r}" if action else "no SOAPAction (nor a WS-Addressing Action)"
    return soap.client_fault(f"{sent}: the decoupling component routes {path} by SOAPAction, one of "
                             f"{', '.join(service.soap_actions)}")


def _soap_action(request: Request, ns: str) -> str:
    """SOAPAction (SOAP 1.1 header) or the `action` parameter of a SOAP 1.2 content type, unquoted."""
    if ns == soap.SOAP12:
        for part in exchange.headers(request).get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "action":
                return value.strip().strip('"')
        return ""
    return exchange.headers(request).get("soapaction", "").strip().strip('"')


def _gate_summary(gate: GateResult) -> dict[str, Any]:
    summary: dict[str, Any] = {"message_id": gate.message_id, "timestamp": gate.timestamp,
                               "security_level": gate.security_level}
    if gate.card is not None:
        summary["idcard"] = gate.card.summary(gate.card_valid)
    if gate.hsuid is not None:
        summary["hsuid"] = gate.hsuid.summary()
    return summary


class DroppedResponse(Response):
    """Sends the headers and part of a body, then ends the exchange without completing it: the server
    closes the connection and the client sees a dropped connection."""

    def __init__(self) -> None:
        super().__init__(b"", 200)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/xml; charset=utf-8"), (b"content-length", b"100000")]})
        await send({"type": "http.response.body", "body": b"<soap:Envelope", "more_body": True})
