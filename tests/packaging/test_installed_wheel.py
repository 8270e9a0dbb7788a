"""nspcert as a vendor installs it: the two wheels in a fresh virtualenv, run from a folder that is no checkout.

The wheels are built from this checkout (``python -m build``); the virtualenv gets them without their
dependencies, which it borrows from the development environment's site-packages through a ``.pth`` path (never
its editable installs: a ``.pth`` file's own paths are not site directories, so their ``.pth`` hooks do not run).
So the test proves what the wheels carry — catalogue, steps, fixtures, ini, schemas — not what pip downloads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

VENDOR_FEATURE = """@cert
Feature: Our own opt-out check
  Background:
    Given a nurse is logged in to the system

  @req:FSK-CERT-FGVH-02
  Scenario: Our nurses see no symbol for a citizen who has not opted out
    Given a citizen aged 70
    And the citizen has not registered an opt-out of resuscitation
    When the nurse opens the citizen's record
    Then the opt-out symbol is not shown
"""


#: what each distribution is built from, by the folder it is laid out in (copied out first: a build writes build/
#: and *.egg-info beside its sources)
SOURCES = {"mock-nsp": ["mock-nsp/pyproject.toml", "mock-nsp/README.md", "mock-nsp/mock_nsp", "mock-nsp/nsp_vocabulary"],
           "nspcert": ["pyproject.toml", "README.md", "nspcert", "reference_eoj"]}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out, sources = tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("sources")
    for name, parts in SOURCES.items():
        (sources / name).mkdir()
        for part in parts:
            source, target = ROOT / part, sources / name / Path(part).name
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
            else:
                shutil.copyfile(source, target)
        build = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out),
                                str(sources / name)], capture_output=True, text=True, timeout=300, check=False)
        assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    return sorted(out.glob("*.whl"))


@pytest.fixture(scope="module")
def installed(wheels: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the two wheels of its own; its ``bin`` folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
                              "--no-deps", "--quiet", *map(str, wheels)], capture_output=True, text=True, timeout=300,
                             check=False)
    assert install.returncode == 0, install.stderr[-2000:]
    return venv / "bin"


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "NSPCERT", "REFERENCE_EOJ"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def test_the_wheels_carry_the_catalogue_and_no_development_tools(wheels: list[Path]) -> None:
    harness = next(w for w in wheels if w.name.startswith("nspcert-"))
    names = zipfile.ZipFile(harness).namelist()
    assert "nspcert/catalogue/features/requirements.csv" in names and "nspcert/catalogue/pytest.ini" in names
    assert any(n.startswith("nspcert/catalogue/features/sit/") and n.endswith(".feature") for n in names)
    assert "nspcert/catalogue/steps/fgvh_steps.py" in names and "nspcert/catalogue/fixtures/sut.py" in names
    assert not [n for n in names if n.startswith(("tools/", "tests/", "mock_nsp/"))]
    mock = next(w for w in wheels if w.name.startswith("nspcert_mock-"))
    assert not [n for n in zipfile.ZipFile(mock).namelist() if n.startswith(("nspcert/", "reference_eoj/"))]


def test_the_installed_harness_runs_the_whole_catalogue_from_any_folder(installed: Path, tmp_path: Path) -> None:
    finished = _run(installed, tmp_path, "nspcert", "run", "-n", "2")
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    summary = json.loads((tmp_path / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["pass"] >= 100 and summary["counts"]["fail"] == 0
    assert all(item["nodeid"].startswith("test_catalogue.py::") for item in summary["scenarios"])  # no folder named
    coverage = _run(installed, tmp_path, "nspcert", "coverage", "--run-dir", "reports/latest")
    assert coverage.returncode == 0, coverage.stderr
    assert (tmp_path / "reports" / "latest" / "requirements-coverage.csv").is_file()
    report = _run(installed, tmp_path, "nspcert", "report", "reports/latest")
    assert report.returncode == 0 and "re-rendered" in report.stdout, report.stderr


def test_a_vendors_own_feature_runs_beside_the_catalogue_with_the_shipped_steps(installed: Path,
                                                                                 tmp_path: Path) -> None:
    (tmp_path / "our-features").mkdir()
    (tmp_path / "our-features" / "our-fgvh.feature").write_text(VENDOR_FEATURE, encoding="utf-8")
    finished = _run(installed, tmp_path, "nspcert", "run", "--features", "our-features", "-k", "our_nurses",
                    "--", "-p", "no:xdist")
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    summary = json.loads((tmp_path / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
    [ours] = summary["scenarios"]
    assert ours["verdict"] == "pass" and ours["feature_file"] == "our-features/our-fgvh.feature"
    assert ours["requirements"] == ["FSK-CERT-FGVH-02"]


def test_the_harness_imports_no_test_tooling_of_the_repository(installed: Path, tmp_path: Path) -> None:
    probe = ("import sys, nspcert.cli, nspcert.catalogue.suite, mock_nsp.plane.app, reference_eoj.app; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tools', 'tests', 'hypothesis', 'zeep')))")
    finished = _run(installed, tmp_path, "python", "-c", probe)
    assert finished.returncode == 0 and finished.stdout.strip() == "[]", finished.stdout + finished.stderr
