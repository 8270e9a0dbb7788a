"""Fault injection (SPEC §3.2): rules matched by service, operation, CPR and CVR, with a count (`times`),
a `probability` and a `seed` so a run is repeatable."""

from __future__ import annotations

import random
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

DELAY = "delay"
ENTRY_FAILURE = "entry_failure"
#: an SFSK answer with status Failure and a RegistryErrorList, as the real registry sends it (not a SOAP fault)
REGISTRY_ERROR = "registry_error"
REPLACING = frozenset({"http_status", "soap_fault", "dgws_fault", "malformed_body", "empty_body", "connection_drop"})


@dataclass
class FaultRule:
    id: str
    service: str
    kind: str
    params: dict[str, Any]
    operation: str | None = None
    cpr: str | None = None
    cvr: str | None = None
    times: int | None = None
    probability: float | None = None
    seed: int | None = None
    hits: int = 0
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FaultRule:
        match = data.get("match") or {}
        seed = data.get("seed")
        return cls(
            id=str(data.get("id") or uuid.uuid4()), service=data["service"], kind=data["kind"],
            params=dict(data.get("params") or {}), operation=data.get("operation"), cpr=match.get("cpr"),
            cvr=match.get("cvr"), times=data.get("times"), probability=data.get("probability"), seed=seed,
            rng=random.Random(seed),
        )

    def to_json(self) -> dict[str, Any]:
        match = {k: val for k, val in (("cpr", self.cpr), ("cvr", self.cvr)) if val is not None}
        return {
            "id": self.id, "service": self.service, "operation": self.operation, "match": match,
            "kind": self.kind, "params": self.params, "times": self.times, "probability": self.probability,
            "seed": self.seed, "hits": self.hits, "exhausted": self.exhausted,
        }

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, service: str, operation: str | None, cpr: str | None, cvr: str | None) -> bool:
        return (
            self.service in ("*", service)
            and (self.operation is None or self.operation == operation)
            and (self.cpr is None or self.cpr == cpr)
            and (self.cvr is None or self.cvr == cvr)
        )

    def fire(self) -> bool:
        """Decide (and count) whether the rule applies to this matching request."""
        if self.exhausted:
            return False
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        self.hits += 1
        return True


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


class FaultStore:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, data: dict[str, Any]) -> FaultRule:
        rule = FaultRule.from_json(data)
        with self._lock:
            self._rules = [r for r in self._rules if r.id != rule.id] + [rule]
        return rule

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [r.to_json() for r in self._rules]

    def decide(self, service: str, operation: str | None, cpr: str | None, cvr: str | None) -> Injection:
        """Delays add up; `register_unavailable` collects registers; the first other kind wins."""
        out = Injection()
        unavailable: set[str] = set()
        with self._lock:
            if not self._rules:
                return out
            for rule in self._rules:
                if out.rule is not None and rule.kind in REPLACING:
                    continue
                if not rule.matches(service, operation, cpr, cvr) or not rule.fire():
                    continue
                out.fired.append(rule.id)
                if rule.kind == DELAY:
                    out.delay_ms += float(rule.params.get("ms", 1000))
                elif rule.kind == "register_unavailable":
                    unavailable.add(str(rule.params.get("register", "fgvh")))
                elif rule.kind == ENTRY_FAILURE:
                    out.entry_failure = {"seed": rule.seed, **rule.params}
                elif rule.kind == REGISTRY_ERROR:
                    out.entry_failure = {**rule.params, "kind": REGISTRY_ERROR}
                else:
                    out.rule = rule
        out.unavailable = frozenset(unavailable)
        return out
