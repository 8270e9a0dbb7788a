"""Verdicts, evidence and reports of a certification run (SPEC §7).

The fixtures' evidence API (see :mod:`nspcert.results.recorder`)::

    from nspcert.results import record_exchanges, record_file, record_sut_info, record_test_cprs, record_test_data, record_version

Modules, by what they do:

- during a run (pytest plugin): collector (scenario and step hooks), options, phases (verdict of a phase, waived
  fail → skip), session (run directory, session.json, building at the end), screens (screens as evidence),
  recorder (the evidence API), layout (the catalogue's layout: stable step numbers)
- stored results: model (records), run (RunData: everything read back from a run directory)
- reports: build (all derived reports) · scenarios (scenario and step rows) · traceability (requirement and
  use-case rows) · summary (+ summary.schema.json) · evidence (MedCom-named files, manifest, zip) · cprcheck
  (synthetic-CPR check) · cucumber · html, html_steps, html_catalogue, htmlkit (certification.html)
- rules: verdicts (verdicts, exit codes) · waivers · redact · requirements (the catalogue's rows)
"""

from __future__ import annotations

from nspcert.results.recorder import (
    ScenarioEvidence,
    record_exchanges,
    record_file,
    record_sut_info,
    record_test_cprs,
    record_test_data,
    record_version,
)
from nspcert.results.verdicts import Verdict

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
