"""Checks that judge the system under test, and the one exception that means "the SUT does not conform".

Every vendor-facing assertion in the harness goes through :func:`require` or raises
:class:`NonConformance` directly, so a failure always says what was expected, what was received,
where, which requirement it breaks and how to reproduce it (SPEC §7). Any *other* exception in a
scenario is a harness, mock or driver problem and is reported as an **error**, never blamed on the
vendor.

    require(view.fgvh.symbol_shown, check="FGVH symbol shown", expected="symbol shown",
            received=f"symbol_shown={view.fgvh.symbol_shown}", requirement="FSK-CERT-FGVH-01",
            where="screen model of 0101601234")

``received`` is what the SUT did, whether or not it conforms: a check that passes tells the scenario's evidence
recorder (:mod:`nspcert.evidence`) what it received and where, so a passing step's "Actual result" in the report
shows what was judged instead of only "As expected". Write it so it reads true on a pass too ("2 calls", not
"none").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nspcert.evidence import Evidence, recorded


@dataclass
class NonConformance(AssertionError):
    """The SUT did something the requirement forbids (verdict: *fail*)."""

    check: str
    expected: Any
    received: Any
    requirement: str = ""
    where: str = ""
    severity: str = ""
    reproduce: str = ""
    evidence: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [f"{self.check}: expected {self.expected}, but received {self.received}"]
        if self.where:
            lines.append(f"  where: {self.where}")
        if self.requirement:
            lines.append(f"  requirement: {self.requirement}" + (f" ({self.severity})" if self.severity else ""))
        if self.reproduce:
            lines.append(f"  reproduce: {self.reproduce}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-friendly data (reports store this, not the exception)."""
        return {
            "check": self.check,
            "expected": _text(self.expected),
            "received": _text(self.received),
            "requirement": self.requirement,
            "where": self.where,
            "severity": self.severity,
            "reproduce": self.reproduce,
            "evidence": list(self.evidence),
            "message": self.message,
        }


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def require(
    condition: bool,
    *,
    check: str,
    expected: Any,
    received: Any,
    requirement: str = "",
    where: str = "",
    reproduce: str = "",
    evidence: Evidence | None = None,
) -> None:
    """Raise :class:`NonConformance` unless ``condition`` holds; else tell the evidence recorder (``evidence``, by
    default the scenario's: :func:`nspcert.evidence.recorded`) what was received."""
    if not condition:
        raise NonConformance(
            check=check, expected=expected, received=received, requirement=requirement, where=where, reproduce=reproduce
        )
    (evidence or recorded()).passed(check, received, where)
