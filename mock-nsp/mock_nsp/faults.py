"""Fault injection (SPEC §3.2): rules matched by service, operation, CPR and CVR, with a count (`times`),
a `probability` and a `seed` so a run is repeatable."""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from array import array
from dataclasses import dataclass, field
from typing import Any

from mock_nsp.shared import Shared, bump

DELAY = "delay"
ENTRY_FAILURE = "entry_failure"
#: an SFSK answer with status Failure and a RegistryErrorList, as the real registry sends it (not a SOAP fault)
REGISTRY_ERROR = "registry_error"
FAULTS = "faults"
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
    """The rules, in the shared state. Each worker caches the rules' definitions (section `faults`) to match a
    request without touching the database; only when a rule matches is it fired, in one short transaction that
    reads and writes its hit count and random generator, so `times` and `probability`+`seed` behave as with a
    single process (the same sequence, whichever worker draws)."""

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self._rules: list[FaultRule] = []
        shared.init(FAULTS, None)
        shared.watch(FAULTS, self._load)

    def add(self, data: dict[str, Any]) -> FaultRule:
        rule = FaultRule.from_json(data)
        with self.shared.write() as conn:
            conn.execute("DELETE FROM faults WHERE id = ?", (rule.id,))
            conn.execute("INSERT INTO faults(id, rule, hits, rng) VALUES (?, ?, 0, ?)",
                         (rule.id, json.dumps(rule.to_json()), _rng_bytes(rule.rng)))
            bump(conn, FAULTS)
        return rule

    def remove(self, rule_id: str) -> bool:
        with self.shared.write() as conn:
            gone = conn.execute("DELETE FROM faults WHERE id = ?", (rule_id,)).rowcount > 0
            bump(conn, FAULTS)
        return gone

    def clear(self, conn: sqlite3.Connection | None = None) -> None:
        """Remove every rule (inside a reset's transaction when given one)."""
        if conn is not None:
            conn.execute("DELETE FROM faults")
            bump(conn, FAULTS)
            return
        with self.shared.write() as own:
            self.clear(own)

    def list(self) -> list[dict[str, Any]]:
        with self.shared.read() as conn:
            rows = conn.execute("SELECT rule, hits FROM faults ORDER BY seq").fetchall()
        return [_listed(json.loads(rule), hits) for rule, hits in rows]

    def _load(self, value: Any) -> None:
        with self.shared.read() as conn:
            rows = conn.execute("SELECT rule FROM faults ORDER BY seq").fetchall()
        self._rules = [FaultRule.from_json(json.loads(rule)) for (rule,) in rows]

    def decide(self, service: str, operation: str | None, cpr: str | None, cvr: str | None) -> Injection:
        """Delays add up; `register_unavailable` collects registers; the first other kind wins."""
        matching = [r for r in self._rules if r.matches(service, operation, cpr, cvr)]
        if not matching:
            return Injection()
        with self.shared.write() as conn:
            return _decide(conn, matching)


def _decide(conn: sqlite3.Connection, matching: list[FaultRule]) -> Injection:
    out = Injection()
    unavailable: set[str] = set()
    for rule in matching:
        if out.rule is not None and rule.kind in REPLACING:
            continue
        if not _fire(conn, rule):
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


def _fire(conn: sqlite3.Connection, rule: FaultRule) -> bool:
    """Fire a rule from its stored count and generator state (it may have been removed meanwhile)."""
    row = conn.execute("SELECT hits, rng FROM faults WHERE id = ?", (rule.id,)).fetchone()
    if row is None:
        return False
    rule.hits = int(row[0])
    if row[1] is not None:
        rule.rng.setstate((3, tuple(array("I", row[1])), None))
    fired = rule.fire()
    conn.execute("UPDATE faults SET hits = ? WHERE id = ?", (rule.hits, rule.id))
    if rule.probability is not None:
        conn.execute("UPDATE faults SET rng = ? WHERE id = ?", (_rng_bytes(rule.rng), rule.id))
    return fired


def _rng_bytes(rng: random.Random) -> bytes:
    """The Mersenne Twister's state, compactly (625 32-bit words; `random()` never sets a gauss value)."""
    return array("I", rng.getstate()[1]).tobytes()


def _listed(rule: dict[str, Any], hits: int) -> dict[str, Any]:
    times = rule.get("times")
    return {**rule, "hits": hits, "exhausted": times is not None and hits >= times}
