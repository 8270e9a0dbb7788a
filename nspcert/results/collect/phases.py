"""The verdict of one pytest phase (setup, call, teardown), and the waiver that turns a fail into a skip.

Verdict rules: :mod:`nspcert.results.model.verdicts`. A *fail* whose broken requirements all have a waiver in force
(:mod:`nspcert.results.model.waivers`) is reported to pytest as **skipped**, with the waiver and the failure in the
reason: so junit.xml (``<skipped>``), allure (status skipped), cucumber.json (step skipped) and the terminal
agree with the exit code and summary.json, which call it *waived*. The stored record keeps the raw *fail*, so
the reports can name the failure and re-apply the waivers.
"""

from __future__ import annotations

from datetime import date

import pytest

from nspcert.checks import NonConformance
from nspcert.results.collect.session import DETAILS_LIMIT
from nspcert.results.model.records import ScenarioRecord
from nspcert.results.model.verdicts import Verdict, is_not_applicable, worst
from nspcert.results.model.waivers import Waiver, failing_requirements, find_waiver


def waive_report(report: pytest.TestReport, record: ScenarioRecord, waivers: list[Waiver], on: date) -> bool:
    """Turn the report of the phase that failed into a skip when a waiver covers the failure; True when it did."""
    if not report.failed or record.outcome != Verdict.FAIL or record.failed_phase != report.when:
        return False
    failing = failing_requirements(record.nonconformance, record.requirements)
    waiver = find_waiver(failing, waivers, on)
    if waiver is None:
        return False
    first_line = record.message.splitlines()[0] if record.message else "fail"
    report.outcome = "skipped"
    reason = (f"waived: {', '.join(failing)} ({waiver.reason}; {waiver.reviewer}, {waiver.date}). "
              f"The failure: {first_line}")
    report.longrepr = (report.location[0], report.location[1] or 0, reason)
    return True


def apply_phase(record: ScenarioRecord, report: pytest.TestReport, exc: BaseException | None) -> None:
    record.duration_s = round(record.duration_s + report.duration, 6)
    verdict, message = phase_verdict(report, exc)
    if verdict is Verdict.PASS:
        return
    previous = Verdict(record.outcome)
    if worst([previous, verdict]) is previous and previous is not Verdict.PASS:
        return
    record.outcome = verdict.value
    record.message = message
    record.failed_phase = report.when
    record.details = report.longreprtext[-DETAILS_LIMIT:] if report.longrepr else ""
    record.nonconformance = exc.to_dict() if isinstance(exc, NonConformance) else None


def phase_verdict(report: pytest.TestReport, exc: BaseException | None) -> tuple[Verdict, str]:
    if hasattr(report, "wasxfail"):
        return Verdict.ERROR, f"an xfail in the catalogue is a harness problem: {report.wasxfail or 'xfail'}"
    if report.skipped:
        reason = str(getattr(exc, "msg", "") or _skip_reason(report))
        if is_not_applicable(reason):
            return Verdict.NOT_APPLICABLE, reason
        return Verdict.ERROR, f"skipped for a reason other than 'not applicable': {reason}"
    if not report.failed:
        return Verdict.PASS, ""
    if isinstance(exc, NonConformance):
        return Verdict.FAIL, exc.message
    if exc is None:
        return Verdict.ERROR, report.longreprtext.strip().splitlines()[-1] if report.longrepr else "failed"
    kind = "bare AssertionError (not a NonConformance)" if isinstance(exc, AssertionError) else type(exc).__name__
    return Verdict.ERROR, f"{kind} in {report.when}: {exc}".strip()


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr or "")

