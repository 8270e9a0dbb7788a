"""Exit codes for each verdict mix (SPEC §7), judged by the plugin and by ``nspcert run``."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

CATALOGUE = "catalogue_steps/test_catalogue.py"

def read_summary(run_dir: Path) -> dict:
    return json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))


MATRIX = [
    (["pass"], 0, {"pass": 1}),
    (["pass", "na"], 0, {"pass": 1, "not_applicable": 1}),
    (["pass", "fail"], 1, {"pass": 1, "fail": 1}),
    (["pass", "error"], 3, {"pass": 1, "error": 1}),
    (["fail", "error"], 3, {"fail": 1, "error": 1}),
    (["pass", "bare"], 3, {"pass": 1, "error": 1}),
    (["na"], 4, {"not_applicable": 1}),
    (["pass", "-k", "no_such_scenario"], 4, {}),
    ([], 3, {}),  # a feature without scenarios is a collection error
]


@pytest.mark.parametrize(("kinds", "code", "counts"), MATRIX, ids=["+".join(k) or "none" for k, _, _ in MATRIX])
def test_exit_code_for_verdict_mix(catalogue, pytester: pytest.Pytester, kinds, code, counts) -> None:
    extra = kinds[kinds.index("-k"):] if "-k" in kinds else []
    root = catalogue(*kinds[:len(kinds) - len(extra)])
    run_dir = root / "run"
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={run_dir}", *extra)
    summary = read_summary(run_dir)
    assert summary["exit_code"] == code
    assert {k: v for k, v in summary["counts"].items() if v and k != "total"} == counts


def test_a_waived_failure_passes_the_run(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass", "fail")
    waivers = root / "waivers.json"
    waivers.write_text(json.dumps([{"requirement": "FSK-CERT-FGVH-02", "reason": "accepted for pilot",
                                    "reviewer": "MedCom/AB", "date": "2026-11-01"}]))
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}",
                       f"--nspcert-waivers={waivers}")
    summary = read_summary(root / "run")
    assert (summary["exit_code"], summary["counts"]["waived"], summary["counts"]["fail"]) == (0, 1, 0)
    assert summary["waivers"][0]["applied"] is True
    assert summary["scenarios"][1]["assessment"] == "F3 (waived)"


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_ci_sees_a_waived_failure_as_skipped_with_the_waiver_and_the_failure(catalogue, pytester, workers) -> None:
    root = catalogue("pass", "fail")
    waivers = root / "waivers.json"
    waivers.write_text(json.dumps([{"requirement": "FSK-CERT-FGVH-02", "reason": "accepted for pilot",
                                    "reviewer": "MedCom/AB", "date": "2026-11-01"}]))
    result = pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", f"--nspcert-waivers={waivers}", *workers)
    assert result.ret == 0, "pytest agrees with nspcert's exit code"
    run_dir = root / "run"
    case = next(c for c in ET.parse(run_dir / "junit.xml").iter("testcase") if "missing" in c.get("name", ""))
    assert case.find("failure") is None
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith(
        "waived: FSK-CERT-FGVH-02 (accepted for pilot; MedCom/AB, 2026-11-01). The failure: FGVH symbol shown: "
        "expected the symbol, but received no symbol")
    assert {p.get("name"): p.get("value") for p in case.iter("property")}["nspcert_verdict"] == "waived"
    allure = [json.loads(p.read_text()) for p in (run_dir / "allure-results").glob("*-result.json")]
    assert {r["name"]: r["status"] for r in allure} == {"Opt-out shown": "passed", "Opt-out missing": "skipped"}
    cucumber = json.loads((run_dir / "cucumber.json").read_text())
    assert [s["result"]["status"] for s in cucumber[0]["elements"][1]["steps"]] == ["passed", "passed", "skipped"]


def test_a_failure_message_names_the_requirement_from_the_tag(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("fail")
    result = pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}")
    result.stdout.fnmatch_lines(["*requirement: FSK-CERT-FGVH-02*"])
    scenario = read_summary(root / "run")["scenarios"][0]
    assert scenario["verdict"] == "fail" and scenario["assessment"] == "F3"
    assert scenario["nonconformance"]["where"] == "screen model of 0101601234"


def test_a_bare_assertion_is_an_error_not_a_fail(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("bare")
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}")
    scenario = read_summary(root / "run")["scenarios"][0]
    assert scenario["verdict"] == "error"
    assert scenario["assessment"] == "Not assessed"
    assert "not a NonConformance" in scenario["message"]


def test_files_and_outlines_are_reported(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("shot", "outline")
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}")
    summary = read_summary(root / "run")
    shot, right, wrong = summary["scenarios"]
    assert shot["manual_review"] and shot["steps"][1]["evidence"] == ["FSK_3.1.1.2_A_R.png"]
    with zipfile.ZipFile(root / "run" / "evidence.zip") as bundle:
        assert bundle.read("evidence/FSK_3.1.1.2_A_R.png") == b"PNG"
    assert not (root / "run" / "evidence").exists(), "the zip is the evidence; no unzipped copy stays beside it"
    assert [right["verdict"], wrong["verdict"]] == ["pass", "fail"]
    assert wrong["steps"][1]["action"] == "Then the state is wrong"


def test_without_a_report_dir_the_plugin_does_nothing(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass")
    result = pytester.runpytest(CATALOGUE)
    result.assert_outcomes(passed=1)
    assert not list(root.glob("**/summary.json"))


def _cli(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    if args[0] == "run":
        args = ("run", "--catalogue", CATALOGUE, *args[1:])
    return pytester.run(sys.executable, "-m", "nspcert.cli", *args, timeout=120)


def test_cli_run_writes_every_report_and_exits_1_on_a_fail(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass", "fail", "na")
    result = _cli(pytester, "run", "--report-dir", "reports", "--run-id", "20261125T170500Z-abcdef")
    assert result.ret == 1, result.stdout.str() + result.stderr.str()
    run_dir = root / "reports" / "20261125T170500Z-abcdef"
    for name in ("junit.xml", "cucumber.json", "summary.json", "certification.html", "evidence.zip"):
        assert (run_dir / name).is_file(), name
    assert (root / "reports" / "latest" / "summary.json").is_file()
    attachments = list((run_dir / "allure-results").glob("*-attachment*"))
    assert attachments, "the recorded exchanges are attached to allure"
    everything = "".join(p.read_text(errors="replace") for p in run_dir.rglob("*") if p.is_file()
                         and p.suffix in (".xml", ".json", ".html", ".txt"))
    assert "SECRET-TOKEN" not in everything and "c2lnbmF0dXJl" not in everything
    assert "[REDACTED]" in "".join(p.read_text() for p in attachments)
    junit = (run_dir / "junit.xml").read_text()
    assert 'name="nspcert_verdict" value="fail"' in junit


@pytest.mark.parametrize(("args", "kinds", "code"), [
    (["--level", "cert"], ["pass", "error"], 3),
    (["--level", "sit"], ["pass"], 4),
    (["--sut", "refrence"], ["pass"], 2),
    (["--waivers", "missing.json"], ["pass"], 2),
    (["--", "--no-such-option"], ["pass"], 2),
], ids=["error-3", "nothing-ran-4", "bad-sut-2", "bad-waivers-2", "pytest-usage-2"])
def test_cli_exit_codes(catalogue, pytester: pytest.Pytester, args: list[str], kinds: list[str], code: int) -> None:
    catalogue(*kinds)
    result = _cli(pytester, "run", "--report-dir", "reports", *args)
    assert result.ret == code, result.stdout.str() + result.stderr.str()


@pytest.mark.parametrize("workers", [["-n", "0"], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_run_stopped_by_maxfail_is_the_vendors_fail_in_one_process_and_under_xdist(catalogue, pytester,
                                                                                      workers) -> None:
    """pytest ends a --maxfail stop "failed" in one process but "interrupted" under xdist; neither is a harness
    error (SPEC §7): the run failed, and nspcert says that it stopped early."""
    catalogue("fail", "pass", "pass")
    result = _cli(pytester, "run", "--report-dir", "reports", *workers, "--", "--maxfail", "1")
    assert result.ret == 1, result.stdout.str() + result.stderr.str()
    assert "stopping after 1 failures (--maxfail)" in result.stdout.str()


def test_cli_report_rerenders_a_run(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass")
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}")
    (root / "run" / "certification.html").unlink()
    result = _cli(pytester, "report", str(root / "run"))
    assert result.ret == 0
    assert (root / "run" / "certification.html").is_file()
    assert _cli(pytester, "report", str(root / "nowhere")).ret == 2


def test_cli_verify(catalogue, pytester: pytest.Pytester) -> None:
    root = catalogue("pass")
    pytester.runpytest(CATALOGUE, f"--nspcert-report-dir={root / 'run'}")
    assert _cli(pytester, "verify", str(Path(root / "run" / "evidence.zip"))).ret == 0


def test_numbers_come_from_the_catalogue_not_from_the_selection(catalogue, pytester: pytest.Pytester) -> None:
    catalogue("pass", "fail", "outline")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", "-k", "outline and wrong")
    summary = read_summary(pytester.path / "run")
    (wrong,) = summary["scenarios"]
    assert wrong["number"] == "3.1.4", "pass 3.1.1, fail 3.1.2, the outline's rows 3.1.3 and 3.1.4"
    assert wrong["steps"][1]["number"] == "3.1.4.2"
    assert wrong["example"] == {"who": "did not", "state": "wrong"}
    html = (pytester.path / "run" / "certification.html").read_text(encoding="utf-8")
    assert "3.1.4 Outline <span class='muted'>(who = did not, state = wrong)</span>" in html


def test_a_passing_step_shows_what_the_screen_showed(catalogue, pytester: pytest.Pytester) -> None:
    catalogue("screen")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run")
    scenario = read_summary(pytester.path / "run")["scenarios"][0]
    when, then = scenario["steps"][1:]
    assert when["evidence"] == ["FSK_3.1.1.2_A_R.json"]
    assert then["evidence"] == ["FSK_3.1.1.2_A_R.json"], "the Then step links the screen it judged"
    assert then["actual"] == ('Som forventet\nVist i FSK_3.1.1.2_A_R.json: fgvh = '
                              '{"state": "opted_out", "symbol_shown": true, "text": "Fravalgt genoplivning"}')
    with zipfile.ZipFile(pytester.path / "run" / "evidence.zip") as bundle:
        screen = json.loads(bundle.read("evidence/FSK_3.1.1.2_A_R.json"))
    assert screen["citizen"] == {"name": "Jens Jensen"}, "the whole screen model is evidence"


def test_every_catalogue_requirement_is_listed_with_its_status_or_reason(catalogue, pytester) -> None:
    catalogue("pass", "fail")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", "-k", "optout_shown", "--nspcert-language=en")
    rows = {r["id"]: r for r in read_summary(pytester.path / "run")["requirements"]}
    assert list(rows) == ["FSK-CERT-FGVH-01", "FSK-CERT-FGVH-02", "FSK-SIT-MINLOG-01", "FSK-SIT-ADM-01",
                          "FSK-CERT-SPR-01"], "every row of requirements.csv, in its order"
    assert [rows[r]["status"] for r in rows] == ["pass", "not_run", "not_tested", "not_tested", "manual_review"]
    assert rows["FSK-CERT-SPR-01"]["reason"] == "Not observable; the reviewer checks it (manual review)."
    html = (pytester.path / "run" / "certification.html").read_text(encoding="utf-8")
    assert "Recorded by the harness itself." in html and "Needs manual review" in html
    assert ("Yes (proposed): only OK and F4 marks remain; 1 requirement(s) need manual review (FSK-CERT-SPR-01); "
            "1 requirement(s) not run in this run") in html, "the approval proposal says what it does not cover"


def test_a_use_case_is_optional_when_its_requirements_need_a_capability(catalogue, pytester) -> None:
    root = catalogue("pass")
    (root / "features" / "minlog.feature").write_text(
        "Feature: MinLog\n  @sit @req:FSK-SIT-MINLOG-01\n  Scenario: Logged once\n"
        "    Given the SUT does not claim minlog\n    Then one entry is logged\n")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run")
    use_cases = {u["file"]: u["mandatory"] for u in read_summary(pytester.path / "run")["use_cases"]}
    assert use_cases == {"catalogue.feature": "M", "minlog.feature": "O"}, "no @capability tag: the csv column says"


def test_the_vendor_table_comes_from_the_config_file(catalogue, pytester) -> None:
    catalogue("pass")
    config = pytester.path / "nspcert.toml"
    config.write_text('[vendor]\naddress = "Testvej 1, 2100 København Ø"\ncontact = "Jens Hansen"\n'
                      'phone = "+45 12 34 56 78"\nemail = "cert@journal.example"\n', encoding="utf-8")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", f"--nspcert-config={config}")
    summary = read_summary(pytester.path / "run")
    assert summary["vendor"] == {"company": "nspcert", "address": "Testvej 1, 2100 København Ø",
                                 "contact": "Jens Hansen", "phone": "+45 12 34 56 78", "email": "cert@journal.example"}
    html = (pytester.path / "run" / "certification.html").read_text(encoding="utf-8")
    assert "<tr><th>Kontaktperson</th><td>Jens Hansen</td></tr>" in html


def test_allure_gets_the_first_exchanges_in_full_and_an_index_of_the_rest(catalogue, pytester) -> None:
    catalogue("many")
    pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run")
    attachments = sorted((pytester.path / "run" / "allure-results").glob("*-attachment*"))
    assert len(attachments) == 2 * 25 + 1, "25 exchanges (request and response), then one index"
    index = next(p.read_text() for p in attachments if "more exchanges" in p.read_text())
    assert index.startswith("5 more exchanges (bodies in evidence.zip)") and "#29 HTTP 200" in index
    with zipfile.ZipFile(pytester.path / "run" / "evidence.zip") as bundle:
        assert sum(name.endswith("_S.xml") for name in bundle.namelist()) == 30, "the zip holds every exchange"


def test_a_run_pytest_refuses_leaves_no_run_directory_and_keeps_latest(catalogue, pytester) -> None:
    root = catalogue("pass")
    assert _cli(pytester, "run", "--report-dir", "reports", "--run-id", "20261125T170500Z-aaaaaa").ret == 0
    result = _cli(pytester, "run", "--report-dir", "reports", "--run-id", "20261125T170600Z-bbbbbb",
                  "--", "--no-such-option")
    assert result.ret == 2
    assert sorted(p.name for p in (root / "reports").iterdir()) == ["20261125T170500Z-aaaaaa", "latest"]
    assert (root / "reports" / "latest").resolve().name == "20261125T170500Z-aaaaaa"


@pytest.mark.parametrize(("args", "complaint"), [
    (["--nsp", "http://127.0.0.1:9"], "no mock NSP answers at http://127.0.0.1:9/__admin/health"),
    (["--waivers", "typo.json"], 'FSK-CERT-FGVH-2 (did you mean "FSK-CERT-FGVH-02"?)'),
], ids=["unreachable-nsp", "waiver-for-unknown-requirement"])
def test_a_run_that_cannot_work_is_refused_before_it_starts(catalogue, pytester, args, complaint) -> None:
    root = catalogue("pass")
    (root / "typo.json").write_text(json.dumps([{"requirement": "FSK-CERT-FGVH-2", "reason": "r", "reviewer": "AB",
                                                  "date": "2026-11-01"}]))
    result = _cli(pytester, "run", "--report-dir", "reports", *args)
    assert result.ret == 2, result.stdout.str() + result.stderr.str()
    assert complaint in result.stderr.str()
    assert not (root / "reports").exists(), "no run directory for a run that never started"


def test_pytest_alone_refuses_a_waiver_for_an_unknown_requirement(catalogue, pytester) -> None:
    root = catalogue("pass")
    (root / "typo.json").write_text(json.dumps([{"requirement": "FSK-CERT-FGVH-2", "reason": "r", "reviewer": "AB",
                                                  "date": "2026-11-01"}]))
    result = pytester.runpytest(CATALOGUE, "--nspcert-report-dir=run", "--nspcert-waivers=typo.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*FSK-CERT-FGVH-2 (did you mean*"])
