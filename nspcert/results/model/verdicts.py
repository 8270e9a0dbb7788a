"""The verdict model (SPEC §7) and the exit codes of ``nspcert run``.

    pass            every step ran and no check failed
    fail            the SUT does not conform: a :class:`nspcert.checks.NonConformance` was raised
    error           anything else: the harness, the mock or the driver broke (never blamed on the vendor).
                    This includes a *bare* ``AssertionError`` (harness code must fail the SUT only through
                    ``NonConformance``/``require``), ``pytest.fail``, an undefined step, an xfail, and a skip
                    whose reason does not start with "not applicable"
    not_applicable  ``pytest.skip("not applicable: …")`` — the SUT does not claim the capability
    waived          a *fail* whose requirement(s) a reviewer's waiver file names (applied when reports are built)

Precedence inside one scenario (setup, call, teardown): error > fail > not_applicable > pass.

Exit codes of a run, in order of precedence::

    3  a harness error (any *error* verdict, a collection error, pytest crashed, an unsafe evidence bundle)
    2  usage or configuration error (decided by the CLI before or instead of a run)
    4  nothing ran (no scenario collected, or none applicable)
    1  at least one *fail*
    0  every applicable scenario passed (waived failures allowed)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_HARNESS_ERROR = 3
EXIT_NOTHING_RAN = 4

NOT_APPLICABLE_PREFIX = "not applicable"
SEVERITY_ORDER = ("F1", "F2", "F3", "F4")
DEFAULT_SEVERITY = "F2"


class Verdict(enum.StrEnum):
    """One scenario's verdict."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"


_PRECEDENCE = (Verdict.ERROR, Verdict.FAIL, Verdict.WAIVED, Verdict.NOT_APPLICABLE, Verdict.PASS)

def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The verdict that dominates: error > fail > waived > not applicable > pass (pass when empty)."""
    present = set(verdicts)
    return next((v for v in _PRECEDENCE if v in present), Verdict.PASS)


def is_not_applicable(skip_reason: str) -> bool:
    """True for ``pytest.skip("not applicable: …")`` (also with pytest's "Skipped: " prefix)."""
    reason = skip_reason.strip()
    if reason.lower().startswith("skipped:"):
        reason = reason[len("skipped:"):].strip()
    return reason.lower().startswith(NOT_APPLICABLE_PREFIX)


def most_severe(severities: Iterable[str]) -> str:
    """The most severe of F1–F4 (F1 is worst); ``DEFAULT_SEVERITY`` when none is known."""
    known = [s for s in severities if s in SEVERITY_ORDER]
    return min(known, key=SEVERITY_ORDER.index) if known else DEFAULT_SEVERITY


def assessment(verdict: Verdict, severity: str) -> str:
    """MedCom's proposed assessment: OK, F1–F4 (a fail, by the requirement's severity) or "Not relevant"."""
    if verdict is Verdict.PASS:
        return "OK"
    if verdict is Verdict.NOT_APPLICABLE:
        return "Not relevant"
    if verdict is Verdict.ERROR:
        return "Not assessed"
    if verdict is Verdict.WAIVED:
        return f"{severity} (waived)"
    return severity


def exit_code(counts: Mapping[str, int], *, harness_errors: int = 0, evidence_safe: bool = True) -> int:
    """The run's exit code from its verdict counts (keys are :class:`Verdict` values)."""
    if harness_errors or counts.get(Verdict.ERROR, 0) or not evidence_safe:
        return EXIT_HARNESS_ERROR
    applicable = sum(counts.get(v, 0) for v in (Verdict.PASS, Verdict.FAIL, Verdict.WAIVED))
    if applicable == 0:
        return EXIT_NOTHING_RAN
    if counts.get(Verdict.FAIL, 0):
        return EXIT_FAIL
    return EXIT_OK


def overall(code: int) -> str:
    """A one-word run result for summaries."""
    return {EXIT_OK: "passed", EXIT_FAIL: "failed", EXIT_HARNESS_ERROR: "error",
            EXIT_NOTHING_RAN: "nothing-ran", EXIT_USAGE: "usage-error"}.get(code, "error")
