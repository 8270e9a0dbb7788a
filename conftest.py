"""Root conftest: loads the harness's fixture plugins and step libraries (by domain concept)."""

from __future__ import annotations

pytest_plugins = [
    "fixtures.settings",
    "fixtures.nsp",
    "fixtures.sut",
    "fixtures.people",
    "fixtures.manual_tester",
    "steps.identity_steps",
    "steps.stamkort_steps",
    "steps.fgvh_steps",
    "steps.faults_steps",
    "steps.skr_steps",
    "steps.minlog_steps",
    "steps.masking_steps",
    "steps.clock_steps",
]
