"""Verdicts, evidence and reports of a certification run (SPEC §7).

The fixtures' evidence API (see :mod:`nspcert.results.recorder`)::

    from nspcert.results import record_exchanges, record_file, record_sut_info, record_test_cprs, record_test_data, record_version

Modules: verdicts (the model and exit codes) · collector (pytest hooks) · recorder (evidence API) · model (stored
results) · redact · waivers · requirements · summary (+ summary.schema.json) · evidence (files, CPR check,
manifest, zip) · html (certification.html) · build (all derived reports from stored results).
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
