"""Verdicts, evidence and reports of a certification run (SPEC §7).

The fixtures' evidence API (see :mod:`nspcert.results.collect.recorder`)::

    from nspcert.results import record_exchanges, record_file, record_sut_info, record_test_cprs, record_test_data, record_version

Three sub-packages, each importing only from the ones after it (tests/harness/test_architecture.py):

- ``collect`` — during a run (the pytest plugin): collector (scenario and step hooks), options, phases (verdict of
  a phase, waived fail → skip), session (run directory, session.json, building at the end), recorder (the
  evidence API), checked and screens (what passing checks received, what the employee was shown), redact, progress
- ``render`` — from the stored results: build (all derived reports), scenarios and step_text (scenario and step
  rows), traceability (requirement and use-case rows), summary (+ summary.schema.json), evidence (MedCom-named
  files, manifest, zip), cucumber, html, html_steps, html_catalogue, html_delta, htmlkit (certification.html),
  preview, delta (since a baseline run), words (Danish and English)
- ``model`` — the stored results and their rules: records, run (RunData: everything read back from a run
  directory), verdicts (verdicts, exit codes), waivers, layout (stable step numbers), cprcheck, tools (versions)
"""

from __future__ import annotations

from nspcert.results.collect.recorder import (
    record_exchanges,
    record_file,
    record_sut_info,
    record_test_cprs,
    record_test_data,
    record_version,
)
from nspcert.results.collect.scenario_evidence import ScenarioEvidence
from nspcert.results.model.verdicts import Verdict

__all__ = [
    "ScenarioEvidence",
    "Verdict",
    "record_exchanges",
    "record_file",
    "record_sut_info",
    "record_test_cprs",
    "record_test_data",
    "record_version",
]
