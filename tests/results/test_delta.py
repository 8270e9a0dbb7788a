"""The re-certification delta: ``nspcert diff OLD NEW`` and the report of a run with ``--baseline``.

A fixed pair of runs first (the golden run, and a "release 1.2.4" of it in which the passing scenario fails, the
waived one is gone and a new one came), then a real pair: the FGVH feature against the clean reference EOJ and
against it with a seeded defect switched on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_reports_golden import fixed_records, make_fixed_run

from nspcert.cli import main
from nspcert.results.model.records import StepRecord, save_record, write_json
from nspcert.results.render.build import build_reports
from nspcert.results.render.delta import compare, load_summary
from nspcert.results.render.summary import validate

OPT_OUT = "steps/test_catalogue.py::test_opt_out_shown"


def release(run_dir: Path) -> Path:
    """The fixed run as the next release: 1.2.4, the opt-out step now fails, the waived scenario removed, one added."""
    make_fixed_run(run_dir)
    (run_dir / "results").joinpath(f"{fixed_records()[2].key}.json").unlink()  # the waived scenario: removed
    passed = fixed_records()[0]
    passed.outcome, passed.message = "fail", "FGVH symbol: expected shown, but received not shown"
    passed.nonconformance = {"check": "FGVH symbol", "expected": "shown", "received": "not shown",
                             "requirement": "FSK-CERT-FGVH-01", "where": "", "severity": "", "reproduce": "",
                             "evidence": []}
    passed.steps[2].status, passed.steps[3].status = "failed", "not run"
    save_record(run_dir, passed)
    added = fixed_records()[0]
    added.nodeid, added.scenario = "steps/test_catalogue.py::test_print", {"name": "No print", "line": 3}
    added.feature = {**added.feature, "path": "certification/print.feature", "name": "Not in this run"}
    added.requirements, added.tags = ["FSK-CERT-FGVH-04"], ["cert", "req:FSK-CERT-FGVH-04"]
    added.steps = [StepRecord(index=0, keyword="Then", type="then", name="no print is offered", line=4,
                              status="passed")]
    save_record(run_dir, added)
    info = json.loads((run_dir / "results" / "info-main.json").read_text(encoding="utf-8"))
    info["sut"]["system"]["version"] = "1.2.4"
    write_json(run_dir / "results" / "info-main.json", info)
    session = json.loads((run_dir / "session.json").read_text(encoding="utf-8"))
    write_json(run_dir / "session.json", session | {"run_id": "20261202T090000Z-b2b2b2"})
    return run_dir


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = make_fixed_run(tmp_path / "old")
    build_reports(old)
    new = release(tmp_path / "new")
    build_reports(new)
    return old, new


def test_the_delta_names_what_moved_and_only_that(pair: tuple[Path, Path]) -> None:
    delta = compare(load_summary(pair[0]), load_summary(pair[1]))
    assert {"what": "SUT", "old": "Reference EOJ 1.2.3", "new": "Reference EOJ 1.2.4"} in delta["versions"]
    assert {"what": "nspcert", "old": "0.1.0", "new": "0.1.0"} in delta["versions"], "versions on both sides"
    assert [(r["id"], r["old"], r["new"]) for r in delta["requirements"]] == [
        ("FSK-CERT-FGVH-01", "pass", "fail"), ("FSK-CERT-FGVH-03", "waived", "not_run"),
        ("FSK-CERT-FGVH-04", "not_run", "pass")]
    assert [s["name"] for s in delta["added"]] == ["No print"]
    assert [s["name"] for s in delta["removed"]] == ["Unreachable FSK is unknown"]
    (changed,) = delta["scenarios"]
    assert (changed["nodeid"], changed["old"], changed["new"]) == (OPT_OUT, "pass", "fail")
    assert [step["number"] for step in changed["steps"]] == ["3.1.1.3", "3.1.1.4"], "the steps that moved"
    then = changed["steps"][0]
    assert then["old"]["assessment"] == "OK" and then["old"]["actual"].startswith("Som forventet\nVist i")
    assert (then["new"]["status"], then["new"]["assessment"]) == ("failed", "F1")
    assert then["new"]["actual"].startswith("FGVH symbol: expected shown, but received not shown\nVist i")


def test_nspcert_diff_prints_the_delta_and_exits_1(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(pair[0]), str(pair[1]), "--language", "en"]) == 1
    out = capsys.readouterr().out
    for expected in ("nspcert diff: 20261125T170500Z-abcdef → 20261202T090000Z-b2b2b2",
                     "SUT         Reference EOJ 1.2.3", "Reference EOJ 1.2.4   *",
                     "FSK-CERT-FGVH-01: Pass → Fail   Fravalg vises",  # the title as the new run has it
                     "Scenarios added (1):\n  3.2.1 No print: Pass",
                     "Scenarios removed (1):\n  3.1.4 Unreachable FSK is unknown: Waived",
                     "3.1.1 Opt-out shown with the symbol: Pass → Fail",
                     ("    3.1.1.3 Then the opt-out symbol is shown\n"
                      "      Baseline (20261125T170500Z-abcdef): [OK] Som forventet\n"),
                     "      This run (20261202T090000Z-b2b2b2): [F1] FGVH symbol: expected shown, but received not shown"):
        assert expected in out, expected
    assert main(["diff", str(pair[0]), str(pair[1]), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["scenarios"][0]["new"] == "fail"
    assert main(["diff", str(pair[0]), str(pair[0])]) == 0
    assert "Intet ændret: samme resultat for hvert krav og scenarie." in capsys.readouterr().out


def test_nspcert_diff_refuses_a_folder_that_is_no_run(tmp_path: Path, pair: tuple[Path, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(tmp_path / "nowhere"), str(pair[1])]) == 2
    assert "OLD_RUN" in capsys.readouterr().err


def test_the_report_of_a_run_with_a_baseline_has_the_delta_section(pair: tuple[Path, Path]) -> None:
    old, new = pair
    assert main(["report", str(new), "--baseline", str(old)]) == 0
    summary = json.loads((new / "summary.json").read_text(encoding="utf-8"))
    validate(summary)
    assert summary["delta"]["baseline"]["run_id"] == "20261125T170500Z-abcdef"
    html = (new / "certification.html").read_text(encoding="utf-8")
    assert "<ul><li><a href='#delta'>2.4 Ændringer siden grundlaget</a></li></ul>" in html
    section = html[html.index("<h3 id='delta'>"):html.index("<h2 id='test'>")]
    assert "2.4 Ændringer siden grundlaget" in section
    assert "<td>SUT</td><td><b>Reference EOJ 1.2.3</b></td><td><b>Reference EOJ 1.2.4</b></td>" in section
    side_by_side = ("<td>3.1.1.3 Then the opt-out symbol is shown</td><td><span class=\"badge OK\">OK</span><br>"
                    "<span class='msg'>Som forventet")
    assert side_by_side in section
    assert "<span class='msg'>FGVH symbol: expected shown, but received not shown\nVist i" in section
    build_reports(new, "en")  # re-rendered: the same delta, kept in the run (baseline-summary.json)
    html = (new / "certification.html").read_text(encoding="utf-8")
    assert "2.4 Changes since the baseline" in html
    assert "Note: the baseline is written in dansk (Danish), this run in English; texts are not compared." in html


SCENARIO = "An unavailable opt-out register is never shown"


@pytest.mark.slow
def test_a_seeded_defect_is_the_delta_of_a_real_re_certification(tmp_path: Path) -> None:
    """Release "24.3" is the clean reference EOJ; "24.4" has the seeded defect fgvh-nav-as-false (it shows NAV as
    no opt-out): the delta is FSK-CERT-FGVH-03 from pass to fail, in the report and in `nspcert diff`."""
    def run(*extra: str) -> Path:
        reports = tmp_path / f"reports-{len(extra)}"
        command = [sys.executable, "-m", "nspcert.cli", "run", "--level", "cert", "-k", "symbol or (unavailable and not medcom)",
                   "--report-dir", str(reports), *extra, "--", "-p", "no:xdist"]
        finished = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
                                  env={**os.environ, "CI": "true"})
        runs = [p for p in reports.iterdir() if p.name != "latest"] if reports.is_dir() else []
        assert len(runs) == 1, finished.stdout[-3000:] + finished.stderr[-3000:]
        return runs[0]

    approved = run()
    release = run("--defects", "fgvh-nav-as-false", "--baseline", str(approved))
    summary = json.loads((release / "summary.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["old"], r["new"]) for r in summary["delta"]["requirements"]] == [
        ("FSK-CERT-FGVH-03", "pass", "fail")]
    (changed,) = summary["delta"]["scenarios"]
    assert changed["name"].startswith(SCENARIO) and (changed["old"], changed["new"]) == ("pass", "fail")
    assert changed["steps"] and all(step["old"]["assessment"] == "OK" for step in changed["steps"])
    assert "F1" in {step["new"]["assessment"] for step in changed["steps"]}
    html = (release / "certification.html").read_text(encoding="utf-8")
    assert "FSK-CERT-FGVH-03</b> Utilgængeligt register er ikke &#x27;intet fravalg&#x27;" in html
    finished = subprocess.run([sys.executable, "-m", "nspcert.cli", "diff", str(approved), str(release)],
                              capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 1, finished.stderr
    assert "FSK-CERT-FGVH-03: Bestået → Fejlet" in finished.stdout
