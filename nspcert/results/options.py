"""The command-line options of the nspcert pytest plugin (group "nspcert"; see the collector's docstring)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nspcert", "nspcert certification reports and targets")
    group.addoption("--nspcert-report-dir", dest="nspcert_report_dir", default=None, metavar="DIR",
                    help="write nspcert results and reports (summary, certification.html, evidence.zip) to DIR")
    group.addoption("--sut", "--nspcert-sut", dest="nspcert_sut", default="reference", metavar="reference|URL|manual",
                    help="the system under test: the embedded reference EOJ, a driver URL, or manual prompts")
    group.addoption("--nsp", "--nspcert-nsp", dest="nspcert_nsp", default="embedded", metavar="embedded|docker|URL",
                    help="the mock NSP: started in-process, as a container, or already running at URL")
    group.addoption("--reference-defects", dest="nspcert_reference_defects", default="", metavar="A,B",
                    help="seeded defects to switch on in the reference EOJ")
    group.addoption("--reference-variants", dest="nspcert_reference_variants", default="", metavar="A,B",
                    help="allowed variants to switch on in the reference EOJ (docs/variants.md)")
    group.addoption("--nspcert-config", dest="nspcert_config", default=None, metavar="FILE",
                    help="the harness settings file")
    group.addoption("--nspcert-level", dest="nspcert_level", default="all", help="the level, for the report")
    group.addoption("--nspcert-test-type", dest="nspcert_test_type", default="self-test",
                    choices=("self-test", "certification"), help="the test type shown in the SUT table")
    group.addoption("--nspcert-waivers", dest="nspcert_waivers", default=None, metavar="FILE",
                    help="a reviewer's waiver file (JSON or CSV: requirement, reason, reviewer, date)")
    group.addoption("--nspcert-requirements", dest="nspcert_requirements", default=None, metavar="CSV",
                    help="the requirement catalogue (default features/requirements.csv under the rootdir)")
    group.addoption("--nspcert-test-cprs", dest="nspcert_test_cprs", default=None, metavar="FILE",
                    help="more CPR numbers to treat as synthetic, one a line")
    group.addoption("--nspcert-run-id", dest="nspcert_run_id", default=None, help="the run id shown in reports")
