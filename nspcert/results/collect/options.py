"""The command-line options of the nspcert pytest plugin (group "nspcert"; see the collector's docstring)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nspcert", "nspcert certification reports and targets")
    group.addoption("--nspcert-report-dir", dest="nspcert_report_dir", default=None, metavar="DIR",
                    help="write nspcert results and reports (summary, certification.html, evidence.zip) to DIR")
    group.addoption("--sut", "--nspcert-sut", dest="nspcert_sut", default="reference", metavar="reference|URL|manual",
                    help="the system under test: the embedded reference EOJ, a driver URL, or manual prompts")
    group.addoption("--nspcert-nsp-port", dest="nspcert_nsp_port", default=None, type=int, metavar="PORT",
                    help="the embedded mock NSP listens on this port of 127.0.0.1 (default: a free one)")
    group.addoption("--nspcert-ui", dest="nspcert_ui", action="store_true", default=False,
                    help="a manual run's questions in the browser: a local page (127.0.0.1, with a token)")
    group.addoption("--nspcert-ui-port", dest="nspcert_ui_port", default=0, type=int, metavar="PORT",
                    help="the port of the manual run's page (default: a free one)")
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
    group.addoption("--nspcert-language", dest="nspcert_language", default="da", choices=("da", "en"),
                    help="the language of certification.html and summary.json's texts: da (Danish, the default) or en")
    group.addoption("--nspcert-progress", dest="nspcert_progress", default="off",
                    choices=("off", "auto", "line", "plain"),
                    help="show scenarios done/total and the feature on the terminal instead of pytest's output "
                         "(which goes to <run>/pytest-output.txt): auto = one updating line on a terminal, plain "
                         "lines in CI (nspcert run passes auto)")
    group.addoption("--nspcert-baseline", dest="nspcert_baseline", default=None, metavar="RUN_DIR",
                    help="an earlier run (an approved release) whose changes the report shows")
