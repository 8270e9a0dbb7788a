"""``nspcert run --sut python:…`` end to end: a catalogue subset through an in-process Python driver.

The driver (``inprocess_eoj``) runs the reference EOJ inside the harness's process against a real mock NSP
subprocess; the harness wraps it so that every answer is validated, as it wraps an HTTP adapter's driver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nspcert.catalogue.fixtures.sut import provision_function_certificate
from nspcert.nsp.admin import MockNspAdmin
from nspcert.processes import start

REQUIREMENTS = ("FSK-CERT-FGVH-01", "FSK-SIT-LOG-02", "FSK-SIT-SKR-04")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def adapter_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A running mock NSP and the in-process driver's settings pointing at it."""
    work = tmp_path_factory.mktemp("python-driver")
    mock = start("mock-nsp", "mock_nsp", ["--journal", str(work / "journal.sqlite")], "/__admin/health", work)
    try:
        admin = MockNspAdmin(mock.base_url)
        certificate, key = provision_function_certificate(admin, work / "certificates")
        admin.close()
        yield {"INPROCESS_EOJ_NSP_URL": mock.base_url, "INPROCESS_EOJ_CERTIFICATE": str(certificate),
               "INPROCESS_EOJ_PRIVATE_KEY": str(key), "INPROCESS_EOJ_STATE_DIR": str(work / "eoj"),
               "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")])}
    finally:
        mock.stop()


def nspcert_run(tmp_path: Path, env: dict[str, str]) -> tuple[int, dict[str, dict[str, str]]]:
    command = [sys.executable, "-m", "nspcert.cli", "run", "--sut", "python:inprocess_eoj:create",
               "--nsp", env["INPROCESS_EOJ_NSP_URL"], "--report-dir", str(tmp_path), "--",
               *[f"--requirement={rid}" for rid in REQUIREMENTS], "-p", "no:xdist"]
    finished = subprocess.run(command, cwd=tmp_path, env=os.environ | env, capture_output=True, text=True, timeout=300,
                              check=False)
    summaries = list(tmp_path.glob("*/summary.json"))
    assert summaries, finished.stdout[-3000:] + finished.stderr[-3000:]
    summary = json.loads(summaries[0].read_text(encoding="utf-8"))
    return finished.returncode, {item["name"]: item for item in summary["scenarios"]}


def test_the_catalogue_passes_through_a_python_driver(tmp_path: Path, adapter_env: dict[str, str]) -> None:
    code, scenarios = nspcert_run(tmp_path, adapter_env)
    verdicts = {name: item["verdict"] for name, item in scenarios.items()}
    assert len(verdicts) >= len(REQUIREMENTS) and set(verdicts.values()) == {"pass"}, verdicts
    assert code == 0


def test_a_python_driver_breaking_the_screen_model_is_a_harness_error(tmp_path: Path,
                                                                      adapter_env: dict[str, str]) -> None:
    code, scenarios = nspcert_run(tmp_path, adapter_env | {"INPROCESS_EOJ_BREAK": "fgvh"})
    opened = {name: item for name, item in scenarios.items() if item["verdict"] == "error"}
    assert opened and "screen model invalid" in json.dumps(opened), scenarios
    assert "fail" not in {item["verdict"] for item in scenarios.values()}  # never blamed on the vendor
    assert code == 3
