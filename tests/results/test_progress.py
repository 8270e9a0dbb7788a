"""Progress on long runs: scenarios done/total and the current feature, one updating line on a terminal, plain
lines in CI; pytest's own output goes to the run's pytest-output.txt."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from nspcert.results.collect.progress import PYTEST_OUTPUT, Progress, ProgressReporter, resolve

CATALOGUE = "catalogue_steps/test_catalogue.py"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_auto_is_a_line_on_a_terminal_and_plain_lines_in_ci_or_a_pipe() -> None:
    assert resolve("auto", Tty(), {}) == "line"
    assert resolve("auto", Tty(), {"CI": "true"}) == "plain"
    assert resolve("auto", Tty(), {"CI": "false"}) == "line"
    assert resolve("auto", Tty(), {"TERM": "dumb"}) == "plain"
    assert resolve("auto", io.StringIO(), {}) == "plain"
    assert resolve("off", Tty(), {}) == "off" and resolve("line", io.StringIO(), {"CI": "1"}) == "line"


def test_plain_lines_name_each_scenario_and_pytest_output_goes_to_the_run(catalogue, pytester: pytest.Pytester) -> None:
    catalogue("pass", "fail", "na")
    result = pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", "--nspcert-progress=plain")
    out = result.stdout.str()
    assert re.findall(r"^\[\d/3\] \S+ +.*$", out, re.M) == [
        "[1/3] pass   FGVH display › Opt-out shown", "[2/3] fail   FGVH display › Opt-out missing",
        "[3/3] n/a    FGVH display › One log per day"]
    assert "test session starts" not in out and "rootdir" not in out, "the tester sees progress, not pytest"
    written = (pytester.path / "run" / PYTEST_OUTPUT).read_text(encoding="utf-8")
    assert "test session starts" in written and "nspcert: reports in" in written and "FAILED" in written


def test_one_updating_line_on_a_terminal(catalogue, pytester: pytest.Pytester) -> None:
    catalogue("pass", "fail")
    result = pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", "--nspcert-progress=line")
    # each update starts with a carriage return and erases the line (pytester's output splits lines at \r too)
    updates = [line for line in result.stdout.lines if line.startswith("\x1b[K")]
    assert updates[0] == "\x1b[K[0/2]" and updates[-1] == "\x1b[K[2/2] 1 fail 1 pass", updates
    assert "\x1b[K[1/2] 1 pass · FGVH display › Opt-out missing" in updates, "the running scenario and its feature"
    raw = "\n".join(result.stdout.lines)
    assert raw.count("\x1b[K") == len(updates) >= 4


def test_the_updating_line_is_rewritten_in_place_and_fits_the_terminal(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    screen = Tty()
    reporter = ProgressReporter(None, Progress(total=115, done=36, feature="F" * 80, scenario="S" * 80),  # type: ignore[arg-type]
                                tmp_path, "line", screen, manual=False)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=(0, 0): os.terminal_size((60, 20)))
    reporter._show()
    written = screen.getvalue()
    assert written.startswith("\r\x1b[K[ 36/115]") and "\n" not in written
    assert len(written) == len("\r\x1b[K") + 59 and written.endswith("…")


def test_under_xdist_the_controller_counts_the_workers_scenarios(catalogue, pytester: pytest.Pytester) -> None:
    catalogue("pass", "fail", "na")
    result = pytester.runpytest_subprocess(CATALOGUE, "--nspcert-report-dir=run", "--nspcert-progress=plain",
                                           "-n", "2", "-p", "xdist")
    lines = sorted(re.findall(r"^\[\d/3\] .*$", result.stdout.str(), re.M))
    assert len(lines) == 3 and all("FGVH display › " in line for line in lines), result.stdout.str()
    assert lines[-1].startswith("[3/3]")
    assert (Path(pytester.path) / "run" / PYTEST_OUTPUT).is_file()
