"""The command-line options of the nspcert pytest plugin (group "nspcert"; see the collector's docstring)."""

from __future__ import annotations

import pytest

from nspcert.settings import RUN_SETTINGS, option_kwargs


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nspcert", "nspcert certification reports and targets")
    group.addoption("--nspcert-report-dir", dest="nspcert_report_dir", default=None, metavar="DIR",
                    help="write nspcert results and reports (summary, certification.html, evidence.zip) to DIR")
    for setting in RUN_SETTINGS:  # the harness's settings, each from its row (nspcert.settings)
        assert setting.flag and setting.option
        group.addoption(setting.flag, *setting.aliases, dest=setting.option, **option_kwargs(setting))
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
