"""The reports of a fixed run: certification.html against a golden file in each language (Danish, the default, and
English), summary.json against its schema, evidence.zip against its manifest. Regenerate the golden files with
``NSPCERT_UPDATE_GOLDEN=1``."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import jsonschema
import pytest

from nspcert.results.model.records import (
    ExchangeRecord,
    ScenarioRecord,
    ScreenRecord,
    StepRecord,
    save_record,
    write_json,
)
from nspcert.results.render.build import build_reports
from nspcert.results.render.evidence import verify_bundle
from nspcert.results.render.summary import load_schema, validate

GOLDEN = {"da": Path(__file__).parent / "data" / "certification.golden.html",
          "en": Path(__file__).parent / "data" / "certification.golden.en.html"}
T0 = 1795539900.0  # 2026-11-25T17:05:00Z
FEATURE = {"name": "FGVH display", "rel_filename": "features/certification/fgvh.feature",
           "description": "Opt-out of resuscitation", "tags": [], "line": 1, "path": "certification/fgvh.feature"}
LAYOUT = {"features": [
    {"file": "certification/fgvh.feature", "name": "FGVH display", "scenarios": [
        {"line": 5, "name": "Opt-out shown with the symbol", "tags": ["cert", "req:FSK-CERT-FGVH-01"], "examples": 0},
        {"line": 12, "name": "NAV is never shown as no opt-out", "tags": ["cert", "req:FSK-CERT-FGVH-02"], "examples": 0},
        {"line": 16, "name": "Not selected in this run", "tags": ["cert", "req:FSK-CERT-FGVH-04"], "examples": 0},
        {"line": 20, "name": "Unreachable FSK is unknown", "tags": ["cert", "req:FSK-CERT-FGVH-03"], "examples": 0}]},
    {"file": "certification/print.feature", "name": "Not in this run", "scenarios": [
        {"line": 3, "name": "No print", "tags": ["cert", "req:FSK-CERT-FGVH-04"], "examples": 0}]},
    {"file": "sit/minlog.feature", "name": "MinLog", "scenarios": [
        {"line": 3, "name": "One log a day", "tags": ["sit", "req:FSK-SIT-MINLOG-01"], "examples": 0}]}]}
#: a Danish title and text for every row but the last (a catalogue from before the Danish columns reads in English)
REQUIREMENTS = """id,level,area,title,text,source,conformance,severity,capability,not_tested_reason,title_da,text_da
FSK-CERT-FGVH-01,CERT,FGVH,Opt-out shown,The SUT shows the FGVH symbol when the citizen opted out,PDC,SHALL,F1,,,\
Fravalg vises,Systemet viser FGVH-symbolet når borgeren har fravalgt
FSK-CERT-FGVH-02,CERT,FGVH,NAV shown,NAV is shown as temporarily unavailable <never "no opt-out">,PDC,SHALL,F2,,,\
NAV vises,NAV vises som midlertidigt utilgængelig <aldrig "intet fravalg">
FSK-CERT-FGVH-03,CERT,FGVH,Unknown,FSK unreachable is shown as unknown,PDC,SHALL,F3,,,Ukendt,FSK der ikke kan nås vises som ukendt
FSK-SIT-MINLOG-01,SIT,MINLOG,One log a day,One entry per employee per citizen per day,MinLog2,SHALL,F2,minlog,,\
Én log om dagen,Én registrering pr. medarbejder pr. borger pr. døgn
FSK-CERT-FGVH-04,CERT,FGVH,Not selected,A requirement whose scenarios this run did not select,PDC,SHALL,F2,,,\
Ikke valgt,Et krav hvis scenarier denne kørsel ikke valgte
FSK-CERT-SPR-01,CERT,SPR,No print function,The SUT offers no print of the stamkort,PDC,SHALL,F3,,\
"The reviewer checks it (manual review).",Ingen udskrift,Systemet tilbyder ingen udskrift af stamkortet
FSK-SIT-ADM-01,SIT,ADM,Prerequisites recorded,The report names the SUT version,§0,SHALL,F4,,Recorded by the harness itself.,\
Forudsætninger registreret,Rapporten angiver systemets version
"""


def _steps(*names: tuple[str, str, str]) -> list[StepRecord]:
    return [StepRecord(index=i, keyword=k, type=t, name=n, line=10 + i, status="passed", started=T0 + i,
                       duration_s=0.01) for i, (k, t, n) in enumerate(names)]


def _exchange(step: int, cpr: str) -> ExchangeRecord:
    return ExchangeRecord(step=step, entry={
        "id": 40 + step, "at": "2026-11-25T17:05:01Z", "service": "sfsk-registry", "operation": "RegistryStoredQuery",
        "status": 200, "request": {"method": "POST", "path": "/sfsk/iti18", "headers": {"Authorization": "[REDACTED]"},
                                   "body": f"<soap:Envelope><PatientId>{cpr}^^^&amp;1.2.208.176.1.2&amp;ISO"
                                           "</PatientId></soap:Envelope>"},
        "response": {"status": 200, "headers": {}, "body": "<soap:Envelope><rs:Success/></soap:Envelope>"}})


SCREEN = {"cpr": "0408801111", "citizen": {"name": "Jens Jensen"},
          "fgvh": {"state": "opted_out", "symbol_shown": True, "text": "Borger har fravalgt genoplivning"}}


def fixed_records() -> list[ScenarioRecord]:
    given = ("Given", "given", 'a citizen "Jens" who opted out on 2025-02-01')
    when = ("When", "when", "the employee opens the record")
    passed = ScenarioRecord(
        nodeid="steps/test_catalogue.py::test_opt_out_shown", feature=FEATURE,
        scenario={"name": "Opt-out shown with the symbol", "line": 5, "description": ""},
        requirements=["FSK-CERT-FGVH-01"], tags=["cert", "req:FSK-CERT-FGVH-01"], started=T0, duration_s=0.2,
        steps=_steps(given, when, ("Then", "then", "the opt-out symbol is shown"),
                     ("And", "then", "the system searched for FSK in version 3.0")),
        exchanges=[_exchange(1, "0408801111")], screens=[ScreenRecord(step=1, cpr="0408801111", model=SCREEN)])
    passed.steps[2].judged = [{"screen": 0, "part": "fgvh", "value": SCREEN["fgvh"]}]
    # a step that judges what the SUT sent shows what its checks received and links the exchange they name
    passed.steps[3].checked = [
        {"check": "FSK search (ITI-18)", "received": "1", "where": ["sfsk-registry in the mock NSP journal"], "more": 0},
        {"check": "ITI-18 $XDSDocumentEntryFormatCode", "received": "urn:ad:dk:medcom:pdc-v3.0:full",
         "where": ["sfsk-registry RegistryStoredQuery (journal #41)"], "more": 0}]
    failed_step = _steps(given, when, ("Then", "then", 'FGVH is shown as "temporarily unavailable"'))
    failed_step[2].status = "failed"
    nc = {"check": "FGVH state", "expected": "unavailable", "received": "not_opted_out", "requirement":
          "FSK-CERT-FGVH-02", "where": "screen model of 0408801111, journal #41", "severity": "",
          "reproduce": "nspcert run -k test_nav", "evidence": [],
          "message": "FGVH state: expected unavailable, but received not_opted_out"}
    failed = ScenarioRecord(
        nodeid="steps/test_catalogue.py::test_nav", feature=FEATURE,
        scenario={"name": "NAV is never shown as no opt-out", "line": 12, "description": ""},
        requirements=["FSK-CERT-FGVH-02"], tags=["cert", "req:FSK-CERT-FGVH-02"], outcome="fail",
        message=nc["message"], nonconformance=nc, failed_phase="call", started=T0, duration_s=0.3,
        steps=failed_step, exchanges=[_exchange(1, "0408801111")])
    waived_steps = _steps(given, ("Then", "then", "FGVH is shown as unknown"))
    waived_steps[1].status = "failed"
    waived = ScenarioRecord(
        nodeid="steps/test_catalogue.py::test_unknown", feature=FEATURE,
        scenario={"name": "Unreachable FSK is unknown", "line": 20, "description": ""},
        requirements=["FSK-CERT-FGVH-03"], tags=["cert", "req:FSK-CERT-FGVH-03"], outcome="fail",
        message="FGVH state: expected unknown, but received unavailable", failed_phase="call", started=T0,
        nonconformance={"check": "FGVH state", "expected": "unknown", "received": "unavailable",
                        "requirement": "", "where": "", "severity": "", "reproduce": "", "evidence": []},
        steps=waived_steps)
    na = ScenarioRecord(
        nodeid="steps/test_catalogue.py::test_minlog", feature={**FEATURE, "name": "MinLog",
                                                                 "rel_filename": "features/sit/minlog.feature",
                                                                 "path": "sit/minlog.feature"},
        scenario={"name": "One log a day", "line": 3, "description": ""}, requirements=["FSK-SIT-MINLOG-01"],
        tags=["capability:minlog", "req:FSK-SIT-MINLOG-01", "sit"], outcome="not_applicable",
        message="not applicable: SUT does not claim capability 'minlog'", failed_phase="setup", started=T0,
        steps=[StepRecord(index=0, keyword="Given", type="given", name="the SUT claims minlog", line=4)])
    return [passed, failed, waived, na]


def make_fixed_run(run_dir: Path, language: str | None = None) -> Path:
    """The fixed run; started with ``--language`` ``language`` (None: a run from before the option, so Danish)."""
    for record in fixed_records():
        save_record(run_dir, record)
    write_json(run_dir / "results" / "info-main.json", {
        "sut": {"system": {"name": "Reference EOJ", "version": "1.2.3", "vendor": "nspcert project"},
                "capabilities": ["stamkort.write", "clock"], "contract_version": "1.0"},
        "versions": {"mock_nsp": "0.1.0"}, "test_cprs": []})
    options = {"sut": "reference", "nsp": "embedded", "level": "all", "test_type": "certification"}
    write_json(run_dir / "session.json", {
        "run_id": "20261125T170500Z-abcdef", "harness_version": "0.1.0", "started": T0, "finished": T0 + 4.5,
        "tools": {"Python": "3.11.7", "pytest": "9.2.0", "pytest-bdd": "9.0.1", "lxml": "6.2.0", "signxml": "5.2.0"},
        "pytest_exitstatus": 1, "collected": 4, "collection_errors": [], "internal_errors": [],
        "options": options | ({"language": language} if language else {})})
    write_json(run_dir / "waivers.json", [{"requirement": "FSK-CERT-FGVH-03", "reason": "known issue, fixed in 1.3",
                                           "reviewer": "AB (MedCom)", "date": "2026-11-20", "expires": ""}])
    (run_dir / "requirements.csv").write_text(REQUIREMENTS, encoding="utf-8")
    write_json(run_dir / "catalogue.json", LAYOUT)
    write_json(run_dir / "vendor.json", {"address": "Testvej 1, 2100 København Ø", "contact": "Jens Hansen",
                                         "email": "certificering@journal.example"})
    return run_dir


def normalise(html: str) -> str:
    html = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", html)
    html = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<time>", html)
    return re.sub(r"\d+\.\d+ ?s\b", "<duration>", html)


@pytest.fixture
def fixed_run(tmp_path: Path) -> Path:
    run_dir = make_fixed_run(tmp_path / "20261125T170500Z-abcdef")
    build_reports(run_dir)
    return run_dir


@pytest.mark.parametrize("language", ["da", "en"])
def test_certification_html_matches_the_golden_file(tmp_path: Path, language: str) -> None:
    run_dir = make_fixed_run(tmp_path / "20261125T170500Z-abcdef", language)
    build_reports(run_dir)
    html = normalise((run_dir / "certification.html").read_text(encoding="utf-8"))
    if os.environ.get("NSPCERT_UPDATE_GOLDEN"):
        GOLDEN[language].parent.mkdir(parents=True, exist_ok=True)
        GOLDEN[language].write_text(html, encoding="utf-8")
    assert html == GOLDEN[language].read_text(encoding="utf-8")


def test_the_report_is_danish_unless_english_is_asked_for(fixed_run: Path) -> None:
    """A run started without --language (or from before it) is reported in Danish; `nspcert report --language en`
    re-renders it in English, and a later re-render without it is Danish again: the run's own language."""
    html = (fixed_run / "certification.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in html and json.loads((fixed_run / "summary.json").read_text())["language"] == "da"
    build_reports(fixed_run, "en")
    assert '<html lang="en">' in (fixed_run / "certification.html").read_text(encoding="utf-8")
    build_reports(fixed_run)
    assert (fixed_run / "certification.html").read_text(encoding="utf-8") == html


def test_certification_html_is_self_contained(fixed_run: Path) -> None:
    html = (fixed_run / "certification.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "@import" not in html and "url(" not in html
    with zipfile.ZipFile(fixed_run / "evidence.zip") as bundle:
        unzipped = set(bundle.namelist())
    for name in re.findall(r'href="(evidence/[^"]+)"', html):
        assert name in unzipped, f"{name}: the link works once evidence.zip is unzipped"


SAID = {  # (Danish, English): what the protocol says in each language
    "columns": (("Teststep nr.", "Handling", "Testdata/testperson", "Forventet resultat", "Faktisk resultat",
                 "MedComs vurdering"),
                ("Test step #", "Action", "Test data/test person", "Expected result", "Actual result",
                 "MedCom assessment")),
    "texts": (('Vist i FSK_3.1.1.2_B_R.json: fgvh = {&quot;state&quot;: &quot;opted_out&quot;', "Som forventet",
               "Gennemføres uden fejl", "F3 (dispenseret)", "Ikke relevant", "☒ Endelig test/certificering",
               "Testprotokol — Fælles Stamkort 3.0", "F1</td><td>Kritisk", "Fravalg vises",
               "NAV vises som midlertidigt utilgængelig &lt;aldrig &quot;intet fravalg&quot;&gt;",
               "Forudsætninger registreret"),  # every row has Danish words (the catalogue refuses one without)
              ('Shown in FSK_3.1.1.2_B_R.json: fgvh = {&quot;state&quot;: &quot;opted_out&quot;', "As expected",
               "Completes without error", "F3 (waived)", "Not relevant", "☒ Final test/certification",
               "Test protocol — Fælles Stamkort 3.0", "F1</td><td>Critical", "Opt-out shown",
               "&lt;never &quot;no opt-out&quot;&gt;", "Prerequisites recorded")),
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_html_shows_what_was_tested_sent_and_failed(tmp_path: Path, language: str) -> None:
    run_dir = make_fixed_run(tmp_path / "run", language)
    build_reports(run_dir)
    html = (run_dir / "certification.html").read_text(encoding="utf-8")
    index = ("da", "en").index(language)
    for expected in (*SAID["columns"][index], *SAID["texts"][index], "FSK_3.1.2.2_A_S.xml",
                     ("ITI-18 $XDSDocumentEntryFormatCode: urn:ad:dk:medcom:pdc-v3.0:full — sfsk-registry "
                      "RegistryStoredQuery (journal #41, FSK_3.1.1.2_A_S.xml)"),
                     "FGVH state: expected unavailable, but received not_opted_out", "F2", "Reference EOJ",
                     "MinLog2", "2025-03-12", "Opt-out shown with the symbol"):  # the Gherkin stays as written
        assert expected in html, expected
    other = SAID["columns"][1 - index]
    assert not any(column in html for column in other), "one language, not a mix"
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert {s["assessment"] for s in summary["scenarios"]} == {"OK", "F2", "F3 (waived)", "Not relevant"}, \
        "the codes a tool reads are the same in every language"


def test_summary_validates_against_its_schema(fixed_run: Path) -> None:
    summary = json.loads((fixed_run / "summary.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(load_schema())
    validate(summary)
    assert summary["counts"] == {"pass": 1, "fail": 1, "error": 0, "not_applicable": 1, "waived": 1, "total": 4}
    assert (summary["exit_code"], summary["result"]) == (1, "failed")
    broken = {**summary, "exit_code": 7}
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_the_manifest_verifies_and_detects_tampering(fixed_run: Path, tmp_path: Path) -> None:
    bundle = fixed_run / "evidence.zip"
    assert verify_bundle(bundle) == []
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert {"certification.html", "summary.json", "manifest.json", "evidence/FSK_3.1.1.2_A_S.xml",
            "evidence/FSK_3.1.1.2_A_R.xml"} <= set(names)
    assert {r["path"] for r in manifest["reports"]} == {"certification.html", "summary.json"}
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in names:
            data = src.read(name)
            dst.writestr(name, b"<changed/>" if name == "evidence/FSK_3.1.1.2_A_S.xml" else data)
    assert verify_bundle(tampered) == ["evidence/FSK_3.1.1.2_A_S.xml: SHA-256 does not match the manifest"]


def test_rerendering_gives_the_same_reports(fixed_run: Path) -> None:
    first = (fixed_run / "summary.json").read_text(encoding="utf-8")
    html = (fixed_run / "certification.html").read_text(encoding="utf-8")
    build_reports(fixed_run)
    assert (fixed_run / "summary.json").read_text(encoding="utf-8") == first
    assert (fixed_run / "certification.html").read_text(encoding="utf-8") == html


def test_a_real_looking_cpr_in_the_evidence_makes_the_run_a_harness_error(tmp_path: Path) -> None:
    run_dir = make_fixed_run(tmp_path / "run")
    record = fixed_records()[0]
    record.exchanges = [_exchange(1, "0101601234")]  # valid date, modulus 11 holds, not on an allow-list
    save_record(run_dir, record)
    built = build_reports(run_dir)
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert built["exit_code"] == 3
    assert {"file": "FSK_3.1.1.2_A_S.xml", "cpr": "010160-xxxx"} in summary["evidence"]["cpr_check"]["findings"]
    assert "possible real CPR numbers" in (run_dir / "certification.html").read_text(encoding="utf-8")


def test_cucumber_json_is_written_from_the_results_when_pytest_bdd_wrote_none(fixed_run: Path) -> None:
    features = json.loads((fixed_run / "cucumber.json").read_text(encoding="utf-8"))
    assert [f["uri"] for f in features] == ["features/certification/fgvh.feature", "features/sit/minlog.feature"]
    failed = features[0]["elements"][1]["steps"][2]["result"]
    assert failed["status"] == "failed" and "expected unavailable" in failed["error_message"]


def test_the_journal_names_the_body_files_instead_of_repeating_them(fixed_run: Path) -> None:
    with zipfile.ZipFile(fixed_run / "evidence.zip") as bundle:
        journal = json.loads(bundle.read("evidence/FSK_3.1.1_journal.json"))
    (entry,) = journal
    assert entry["request"] == {"method": "POST", "path": "/sfsk/iti18", "headers": {"Authorization": "[REDACTED]"},
                                "body_file": "FSK_3.1.1.2_A_S.xml"}
    assert entry["response"]["body_file"] == "FSK_3.1.1.2_A_R.xml" and "body" not in entry["response"]


def test_a_step_with_thousands_of_exchanges_stays_readable(tmp_path: Path) -> None:
    run_dir = make_fixed_run(tmp_path / "run")
    record = fixed_records()[0]
    record.exchanges = [_exchange(1, "0408801111") for _ in range(1000)]
    save_record(run_dir, record)
    build_reports(run_dir)
    html = (run_dir / "certification.html").read_text(encoding="utf-8")
    assert "<details><summary>2001 evidensfiler (FSK_3.1.1.2_A_S.xml … FSK_3.1.1.2_ALM_R.json)</summary>" in html
    assert "… og 1901 flere, alle i evidence.zip (listet i dens manifest.json)" in html
    assert html.count('href="evidence/FSK_3.1.1.2_') < 250, "about 100 in the step, 100 in the evidence index"
    assert verify_bundle(run_dir / "evidence.zip") == []
    with zipfile.ZipFile(run_dir / "evidence.zip") as bundle:
        assert sum(n.startswith("evidence/FSK_3.1.1.2_") for n in bundle.namelist()) == 2001


def test_a_cpr_is_synthetic_only_in_the_scenario_that_made_it(tmp_path: Path) -> None:
    run_dir = make_fixed_run(tmp_path / "run")
    maker, other = fixed_records()[:2]
    maker.test_cprs, maker.exchanges = ["0101601235"], [_exchange(1, "0101601235")]  # fails modulus 11
    other.exchanges = [_exchange(1, "0101601235")]
    save_record(run_dir, maker)
    save_record(run_dir, other)
    build_reports(run_dir)
    check = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["evidence"]["cpr_check"]
    assert check["findings"] == [{"file": "FSK_3.1.2.2_A_S.xml", "cpr": "010160-xxxx"}], \
        "made in 3.1.1, so fine there; in 3.1.2 nobody made it and modulus 11 no longer excuses it"
