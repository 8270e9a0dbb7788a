"""Fault injection (SPEC §3.2): rules matched by service, operation, CPR and CVR, with a count (`times`), a
`probability` and a `seed` so a run is repeatable. Each kind (`nsp_vocabulary.FaultKind`) is a behaviour that
decides what it adds to a request's `Injection` and, for the kinds that replace the answer, makes that answer."""

from __future__ import annotations

import random
import uuid
from array import array
from dataclasses import dataclass, field
from typing import Any

import nsp_vocabulary as v
from mock_nsp import soap
from mock_nsp.world.store import Json, Store
from nsp_vocabulary.faults import FaultKind

TEXT = "text/plain; charset=utf-8"


@dataclass
class FaultRule:
    id: str
    service: str
    kind: FaultKind
    params: dict[str, Any]
    operation: str | None = None
    cpr: str | None = None
    cvr: str | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None

    @classmethod
    def from_json(cls, data: Json) -> FaultRule:
        match = data.get("match") or {}
        return cls(id=str(data.get("id") or uuid.uuid4()), service=data["service"], kind=FaultKind(data["kind"]),
                   params=dict(data.get("params") or {}), operation=data.get("operation"), cpr=match.get("cpr"),
                   cvr=match.get("cvr"), times=data.get("times"), probability=data.get("probability"),
                   seed=data.get("seed"))

    def to_json(self, hits: int = 0) -> Json:
        match = {k: val for k, val in (("cpr", self.cpr), ("cvr", self.cvr)) if val is not None}
        return {"id": self.id, "service": self.service, "operation": self.operation, "match": match,
                "kind": str(self.kind), "params": self.params, "times": self.times, "probability": self.probability,
                "seed": self.seed, "hits": hits, "exhausted": self.times is not None and hits >= self.times}

    def matches(self, service: str, operation: str | None, cpr: str | None, cvr: str | None) -> bool:
        return (self.service in ("*", service) and (self.operation is None or self.operation == operation)
                and (self.cpr is None or self.cpr == cpr) and (self.cvr is None or self.cvr == cvr))

    def fire(self, hits: int, rng: bytes | None) -> tuple[bool, int, bytes | None]:
        """Whether the rule applies to this matching request, from its stored count and generator state; the
        count and state after it."""
        if self.times is not None and hits >= self.times:
            return False, hits, rng
        if self.probability is not None:
            generator = _generator(rng, self.seed)
            draw = generator.random()
            rng = _rng_bytes(generator)
            if draw >= self.probability:
                return False, hits, rng
        return True, hits + 1, rng


@dataclass
class Answer:
    """What a replacing fault sends instead of the service's answer (or `drop`: the connection breaks)."""

    status: int
    body: bytes
    content_type: str
    drop: bool = False
    #: the SOAP fault it answers (``{"code", "string"}``, the DGWS fault code as the code), for the journal
    fault: dict[str, str] | None = None


@dataclass
class Injection:
    """What the matching rules decided for one request."""

    delay_ms: float = 0.0
    rule: FaultRule | None = None
    unavailable: frozenset[str] = frozenset()
    #: what the service itself must build into its answer: MinLog2 per-entry failures (the rule's params), or an
    #: SFSK registry error (``{"kind": "registry_error", "code", "severity", "context"}``)
    entry_failure: dict[str, Any] | None = None
    fired: list[str] = field(default_factory=list)

    def answer(self, ns: str, message_id: str | None) -> Answer | None:
        """The answer of the replacing rule that fired, if one did."""
        return None if self.rule is None else BEHAVIOURS[self.rule.kind].answer(self.rule.params, ns, message_id)


class Behaviour:
    """A kind of fault: what it adds to the injection when its rule fires, and the answer it sends instead of the
    service's (only the kinds that replace the answer have one)."""

    def decide(self, rule: FaultRule, out: Injection, unavailable: set[str]) -> None:
        out.rule = rule

    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        raise NotImplementedError


class Delay(Behaviour):
    def decide(self, rule: FaultRule, out: Injection, unavailable: set[str]) -> None:
        out.delay_ms += float(rule.params.get("ms", 1000))


class RegisterUnavailable(Behaviour):
    def decide(self, rule: FaultRule, out: Injection, unavailable: set[str]) -> None:
        unavailable.add(str(rule.params.get("register", "fgvh")))


class EntryFailure(Behaviour):
    def decide(self, rule: FaultRule, out: Injection, unavailable: set[str]) -> None:
        out.entry_failure = {"seed": rule.seed, **rule.params}


class RegistryError(Behaviour):
    def decide(self, rule: FaultRule, out: Injection, unavailable: set[str]) -> None:
        out.entry_failure = {**rule.params, "kind": FaultKind.REGISTRY_ERROR.value}


class HttpStatus(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        return Answer(int(p.get("status", 503)), str(p.get("body", "Service Unavailable")).encode(), TEXT)


class SoapFault(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        fault = soap.SoapFault(str(p.get("string", "Injected fault")), str(p.get("code", "Server")),
                               http_status=int(p.get("http_status", 500)))
        return Answer(fault.http_status, soap.fault_envelope(fault, ns), soap.content_type(ns),
                      fault={"code": fault.code, "string": fault.string})


class DgwsFault(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        fault = soap.dgws_fault(str(p.get("code", v.FAULT_INTERNAL_ERROR)), str(p.get("string", "Injected DGWS fault")))
        fault.http_status = int(p.get("http_status", 500))
        return Answer(fault.http_status, soap.fault_envelope(fault, ns, message_id), soap.content_type(ns),
                      fault={"code": fault.medcom_code or fault.code, "string": fault.string})


_MALFORMED = b'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="' + soap.SOAP11.encode() + b'"><soap:Bo'


class MalformedBody(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        return Answer(int(p.get("status", 200)), str(p.get("body", "")).encode() or _MALFORMED, soap.content_type(ns))


class EmptyBody(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        return Answer(int(p.get("status", 200)), b"", soap.content_type(ns))


class ConnectionDrop(Behaviour):
    def answer(self, p: dict[str, Any], ns: str, message_id: str | None) -> Answer:
        return Answer(200, b"", soap.content_type(ns), drop=True)


BEHAVIOURS: dict[FaultKind, Behaviour] = {
    FaultKind.DELAY: Delay(), FaultKind.HTTP_STATUS: HttpStatus(), FaultKind.SOAP_FAULT: SoapFault(),
    FaultKind.DGWS_FAULT: DgwsFault(), FaultKind.MALFORMED_BODY: MalformedBody(), FaultKind.EMPTY_BODY: EmptyBody(),
    FaultKind.CONNECTION_DROP: ConnectionDrop(), FaultKind.REGISTER_UNAVAILABLE: RegisterUnavailable(),
    FaultKind.ENTRY_FAILURE: EntryFailure(), FaultKind.REGISTRY_ERROR: RegistryError(),
}


class FaultBook:
    """One tenant's rules: their definitions cached (a request is matched without touching the store); a
    matching rule is fired through the store from its stored count and generator state, so `times` and
    `probability`+`seed` give the same sequence whichever replica draws."""

    def __init__(self, store: Store, tenant: str) -> None:
        self.store, self.tenant = store, tenant
        self.rules: list[FaultRule] = []

    def load(self, rules: list[Json]) -> None:
        self.rules = [FaultRule.from_json(rule) for rule in rules]

    def add(self, data: Json) -> FaultRule:
        rule = FaultRule.from_json(data)
        rng = _rng_bytes(random.Random(rule.seed)) if rule.probability is not None else None
        self.store.add_fault(self.tenant, rule.to_json(), rng)
        return rule

    def remove(self, rule_id: str) -> bool:
        return self.store.remove_fault(self.tenant, rule_id)

    def listed(self) -> list[Json]:
        hits = self.store.fault_hits(self.tenant)
        return [rule.to_json(hits.get(rule.id, 0)) for rule in self.rules]

    def matching(self, service: str, operation: str | None, cpr: str | None, cvr: str | None) -> list[FaultRule]:
        return [r for r in self.rules if r.matches(service, operation, cpr, cvr)]

    def decide(self, matching: list[FaultRule]) -> Injection:
        """Delays add up; `register_unavailable` collects registers; the first replacing kind wins (a later one is
        not even drawn)."""
        out = Injection()
        if not matching:
            return out
        by_id = {rule.id: rule for rule in matching}
        replacing = False

        def fire(rule_id: str, hits: int, rng: bytes | None) -> tuple[bool, int, bytes | None]:
            nonlocal replacing
            rule = by_id[rule_id]
            if replacing and rule.kind.replaces_answer:
                return False, hits, rng
            fired, hits, rng = rule.fire(hits, rng)
            replacing = replacing or (fired and rule.kind.replaces_answer)
            return fired, hits, rng

        unavailable: set[str] = set()
        for rule_id in self.store.fire_faults(self.tenant, list(by_id), fire):
            out.fired.append(rule_id)
            BEHAVIOURS[by_id[rule_id].kind].decide(by_id[rule_id], out, unavailable)
        out.unavailable = frozenset(unavailable)
        return out


def _generator(state: bytes | None, seed: int | None) -> random.Random:
    generator = random.Random(seed)
    if state is not None:
        generator.setstate((3, tuple(array("I", state)), None))
    return generator


def _rng_bytes(rng: random.Random) -> bytes:
    """The Mersenne Twister's state, compactly (625 32-bit words; `random()` never sets a gauss value)."""
    return array("I", rng.getstate()[1]).tobytes()
