"""The whole catalogue through ``nspcert run --sut manual``, with a robot tester at the terminal.

The robot (``manual_robot``) reads every prompt by its key, acts on the reference EOJ through the HTTP
driver and answers from the EOJ's screen model. That proves every prompt of the catalogue is answerable and
that the answers lead to the same verdicts as the HTTP driver: all pass against the clean reference EOJ, and
with a seeded defect the same scenarios fail as when the HTTP driver reads the same screens.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from manual_robot import Robot, http_verdicts, run_with_robot, verdicts
from running_mock import running_mock

from nspcert.catalogue.fixtures.settings import HarnessSettings
from nspcert.catalogue.fixtures.sut import start_reference_eoj
from nspcert.driver.http import HttpDriver
from nspcert.driver.manual import EVIDENCE_FILE, EVIDENCE_LOG
from nspcert.driver.manual_prompts import read_log
from nspcert.nsp.admin import MockNspAdmin

DEFECT = "fgvh-nav-as-false"
#: the seeded defect's run is the FGVH requirements' scenarios (the kill matrix: it breaks FSK-CERT-FGVH-03 only)
FGVH = tuple(f"--requirement=FSK-CERT-FGVH-0{n}" for n in range(1, 5))
#: the catalogue had 115 scenarios and examples when this was written; a run with fewer selected too little
CATALOGUE_AT_LEAST = 100
pytestmark = pytest.mark.slow


@dataclass
class ManualRun:
    code: int
    verdicts: dict[str, str]
    robot: Robot
    run_dir: Path
    seconds: float
    transcript: str


@pytest.fixture(scope="module")
def mock_nsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockNspAdmin]:
    with running_mock(tmp_path_factory.mktemp("manual-catalogue")) as admin:
        yield admin


def manual_run(tmp_path: Path, nsp: MockNspAdmin, defects: tuple[str, ...] = (), *pytest_args: str) -> ManualRun:
    """``nspcert run --sut manual`` against ``nsp`` with the robot acting on a reference EOJ with ``defects``."""
    settings = HarnessSettings(sut="reference", nsp=nsp.base_url, defects=defects, nsp_token=None,
                               log_dir=tmp_path / "logs")
    eoj = start_reference_eoj(settings, nsp, tmp_path / "eoj")
    transcript: list[str] = []
    started = time.monotonic()
    try:
        with HttpDriver(eoj.base_url) as sut:
            robot = Robot(sut)
            command = [sys.executable, "-m", "nspcert.cli", "run", "--sut", "manual", "--nsp", nsp.base_url,
                       "--report-dir", str(tmp_path / "reports"), "--", *pytest_args]
            code = run_with_robot(command, robot, cwd=str(tmp_path), env=dict(os.environ), timeout=float(os.environ.get("MANUAL_ROBOT_TIMEOUT", "600")),
                                  transcript=transcript)
    finally:
        eoj.stop()
    summaries = list((tmp_path / "reports").glob("*/summary.json"))
    assert summaries, "".join(transcript)[-5000:]
    summary = json.loads(summaries[0].read_text(encoding="utf-8"))
    assert summary["harness_errors"] == [], summary["harness_errors"]
    return ManualRun(code, verdicts(summary), robot, summaries[0].parent, time.monotonic() - started,
                     "".join(transcript))




#: the scenarios needing a capability the manual driver never claims (``manual.NOT_BY_HAND``: minlog.background)
NOT_BY_HAND_SCENARIOS = (
    "test_catalogue.py::test_the_systems_own_sending_keeps_to_20_minlog_requests_an_hour_and_sends_the_rest_later",)


def test_every_scenario_passes_through_the_manual_driver(tmp_path: Path, mock_nsp: MockNspAdmin) -> None:
    run = manual_run(tmp_path, mock_nsp, (), *os.environ.get("MANUAL_ROBOT_ARGS", "").split())
    print(f"manual run: {len(run.verdicts)} scenarios in {run.seconds:.0f} s, {len(run.robot.asked)} answers")
    kinds = sorted({problem.split(": '")[0].split(': "')[0] for problem in run.robot.problems})
    assert kinds == [], run.robot.problems[:5]
    assert len(run.verdicts) >= CATALOGUE_AT_LEAST
    failed = {name: verdict for name, verdict in run.verdicts.items() if verdict != "pass"}
    assert failed == dict.fromkeys(NOT_BY_HAND_SCENARIOS, "not_applicable")  # a person runs no background round
    assert run.code == 0
    evidence = run.run_dir / "manual-evidence"
    assert (evidence / EVIDENCE_FILE).is_file()
    assert len(read_log(evidence)) == len(run.robot.asked) and (evidence / EVIDENCE_LOG).is_file()


def test_a_seeded_defect_fails_the_same_scenarios_as_through_the_http_driver(tmp_path: Path,
                                                                             mock_nsp: MockNspAdmin) -> None:
    run = manual_run(tmp_path, mock_nsp, (DEFECT,), *FGVH)
    assert run.robot.problems == []
    first = run.transcript.index("\nsystem.name> ")
    guide = run.transcript.index("Connect your system to the mock NSP before the first question.")
    assert guide < first and f"listens at {mock_nsp.base_url} " in run.transcript[guide:first], \
        "the tester connects their system before the first question"
    assert "PKCS#12 password" in run.transcript[guide:first]
    assert "*** Your system's first call has arrived at the mock NSP: sts Issue" in run.transcript
    assert "test session starts" not in run.transcript and "-m pytest" not in run.transcript, \
        "the tester sees the workflow, not pytest's output"
    assert "── Scenario 1 of " in run.transcript and re.search(r"── \[ *1/\d+\] pass: ", run.transcript), \
        "each scenario's heading before its questions, and its verdict after them"
    over_http = http_verdicts(tmp_path, (DEFECT,), *FGVH)
    assert run.verdicts == over_http
    failed = sorted(name for name, verdict in run.verdicts.items() if verdict == "fail")
    print(f"with {DEFECT}: {len(failed)} of {len(run.verdicts)} fail through both drivers: {failed}")
    assert failed and set(run.verdicts.values()) == {"pass", "fail"}, run.verdicts
    assert run.code == 1
