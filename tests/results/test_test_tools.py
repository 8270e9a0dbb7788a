"""The report's test tools table lists the versions of the harness's key dependencies as the run had them
installed (nspcert.results.model.tools): recorded in session.json when the run ends, shown in summary.json's versions
and in certification.html's "1.4 Test tools", the same after a re-render."""

from __future__ import annotations

import json
import platform
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from nspcert.results.model.tools import KEY_DISTRIBUTIONS, NOT_INSTALLED, tool_versions
from nspcert.results.render.build import build_reports

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = "catalogue_steps/test_catalogue.py"


def test_the_versions_are_those_installed() -> None:
    versions = tool_versions()
    assert list(versions) == ["Python", *KEY_DISTRIBUTIONS]
    assert versions["Python"] == platform.python_version()
    assert {name: versions[name] for name in KEY_DISTRIBUTIONS} == {n: metadata.version(n) for n in KEY_DISTRIBUTIONS}


def test_a_distribution_that_is_not_installed_is_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nspcert.results.model.tools.KEY_DISTRIBUTIONS", ("pytest", "no-such-distribution"))
    assert tool_versions()["no-such-distribution"] == NOT_INSTALLED


def test_every_key_tool_is_a_declared_dependency_so_every_install_has_it() -> None:
    declared = set()
    for path in (ROOT / "pyproject.toml", ROOT / "mock-nsp" / "pyproject.toml"):
        dependencies = tomllib.loads(path.read_text(encoding="utf-8"))["project"]["dependencies"]
        declared |= {canonicalize_name(Requirement(d).name) for d in dependencies}
    assert {canonicalize_name(name) for name in KEY_DISTRIBUTIONS} <= declared


def test_a_run_reports_the_tools_that_judged_it(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass")
    run_dir = root / "run"
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={run_dir}")
    recorded = json.loads((run_dir / "session.json").read_text(encoding="utf-8"))["tools"]
    assert recorded == tool_versions()  # the inner run's own interpreter and libraries: this one's
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    names = list(summary["versions"])
    assert names[0] == "nspcert" and names.index("Python") < names.index("pytest") < names.index("PDC-DK")
    assert {k: summary["versions"][k] for k in recorded} == recorded
    html = (run_dir / "certification.html").read_text(encoding="utf-8")
    tools = html.split("<h3>1.4 ", 1)[1].split("</table>", 1)[0]  # Testværktøjer / Test tools
    for name, version in recorded.items():
        assert re.search(rf"<td>{re.escape(name)}</td><td>{re.escape(version)}</td>", tools), name
    session = json.loads((run_dir / "session.json").read_text(encoding="utf-8"))
    session["tools"]["pytest"] = "1.0-as-recorded"
    (run_dir / "session.json").write_text(json.dumps(session), encoding="utf-8")
    build_reports(run_dir)  # nspcert report: from the stored results, not from the process that re-renders
    rerendered = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["versions"]
    assert rerendered == summary["versions"] | {"pytest": "1.0-as-recorded"}
