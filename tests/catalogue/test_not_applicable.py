"""Capability-based *not applicable* (SPEC §4): a SUT that does not claim a capability is not failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def nspcert_run(tmp_path: Path, capabilities: str, *requirements: str) -> tuple[int, dict[str, str]]:
    command = [sys.executable, "-m", "nspcert.cli", "run", "--report-dir", str(tmp_path), "--",
               *[f"--requirement={rid}" for rid in requirements], "-p", "no:xdist"]
    env = os.environ | {"REFERENCE_EOJ_CAPABILITIES": capabilities}
    finished = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    summary = json.loads(next(tmp_path.glob("*/summary.json")).read_text(encoding="utf-8"))
    return finished.returncode, {item["name"]: item["verdict"] for item in summary["scenarios"]}


def test_a_sut_without_minlog_gets_not_applicable_and_exit_4(tmp_path: Path) -> None:
    code, verdicts = nspcert_run(tmp_path, "", "FSK-SIT-LOG-02")
    assert set(verdicts.values()) == {"not_applicable"}, verdicts
    assert code == 4


def test_unclaimed_capabilities_do_not_hide_the_applicable_verdicts(tmp_path: Path) -> None:
    code, verdicts = nspcert_run(tmp_path, "clock", "FSK-SIT-LOG-02", "FSK-CERT-FGVH-02")
    assert sorted(set(verdicts.values())) == ["not_applicable", "pass"], verdicts
    assert code == 0
