"""The evidence recorder: where screens and checks tell the report what the SUT showed and what was judged.

A reviewer of a *passing* run must see what the employee was shown and what each check received, not only "As
expected". So a :class:`~nspcert.act.screen.Screen` tells its recorder that it was shown and which part a check read,
and :func:`nspcert.checks.require` tells the recorder what a passing check received and where.

The recorder is explicit: the report collector's ``scenario_evidence`` fixture makes one per scenario and binds it with
:func:`recording` while the scenario runs; a screen keeps the recorder it was made under (or one handed to it), and
:func:`recorded` is the one a check reports to. Outside a scenario (or with reports off) the recorder is
:data:`NO_EVIDENCE`, which records nothing, so a test can build screens and run checks without a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from nspcert.act.screen import Screen


class Evidence(Protocol):
    """What the report records of a scenario while it runs."""

    def shown(self, screen: Screen) -> None:
        """The SUT showed ``screen`` (a screen model, a citizen view, a citizen list)."""

    def read(self, screen: Screen, part: str) -> None:
        """A check read the top-level ``part`` of ``screen`` (``fgvh``, ``relatives``, …)."""

    def passed(self, check: str, received: Any, where: str) -> None:
        """A check passed on ``received`` (what the SUT did) at ``where``."""


class _NoEvidence:
    """The recorder when no report is written: it records nothing."""

    def shown(self, screen: Screen) -> None:
        return None

    def read(self, screen: Screen, part: str) -> None:
        return None

    def passed(self, check: str, received: Any, where: str) -> None:
        return None


NO_EVIDENCE: Evidence = _NoEvidence()
_BOUND: ContextVar[Evidence] = ContextVar("nspcert_evidence", default=NO_EVIDENCE)


E = TypeVar("E", bound=Evidence)


@contextmanager
def recording(evidence: E) -> Iterator[E]:
    """Make ``evidence`` the recorder of the screens and checks of the code run inside (one scenario)."""
    token = _BOUND.set(evidence)
    try:
        yield evidence
    finally:
        _BOUND.reset(token)


def recorded() -> Evidence:
    """The recorder bound by :func:`recording` (:data:`NO_EVIDENCE` outside one)."""
    return _BOUND.get()
