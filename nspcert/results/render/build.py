"""Build every derived report of a run from its stored results (used at session end and by ``nspcert report``).

    results/ + session.json + invocation.json + waivers.json + requirements.csv (+ baseline-summary.json)
        → cucumber.json (only when pytest-bdd wrote none, as under xdist)
        → evidence/FSK_*.xml → summary.json (with the delta from the baseline) → certification.html
        → manifest.json → evidence.zip
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from nspcert.results.model.cprcheck import check_cprs, cprs_in
from nspcert.results.model.layout import numbering
from nspcert.results.model.records import write_json
from nspcert.results.model.run import RunData, load_run
from nspcert.results.model.verdicts import Verdict
from nspcert.results.render import evidence, html
from nspcert.results.render.cucumber import ensure_cucumber_json
from nspcert.results.render.delta import compare, load_summary
from nspcert.results.render.scenarios import judge
from nspcert.results.render.summary import make_summary, validate

SUMMARY = "summary.json"
HTML = "certification.html"
#: the baseline run's summary, kept in the run (``--baseline RUN``) so every re-render shows the same delta
BASELINE = "baseline-summary.json"


def _run_allow_list(run: RunData) -> frozenset[str]:
    """Synthetic for every scenario: run-wide harness CPRs, the catalogue's own CPRs, --nspcert-test-cprs."""
    allow = {str(c) for c in run.info.get("test_cprs", [])} | set(run.layout.get("cprs", []))
    allow |= {cpr for record in run.records for step in record.steps for cpr in cprs_in(step.name)}  # Gherkin text
    extra = run.run_dir / "test-cprs.txt"
    if extra.is_file():
        allow |= {line.strip().replace("-", "") for line in extra.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")}
    return frozenset(allow)


def _cpr_groups(run: RunData, files: list[evidence.EvidenceFile]) -> list[tuple[list[str], frozenset[str]]]:
    """Each scenario's evidence files with what they may hold: the run's allow-list and the scenario's own people."""
    shared = _run_allow_list(run)
    return [([f.name for f in files if f.scenario == record.nodeid], shared | set(record.test_cprs))
            for record in run.records]


def build_reports(run_dir: Path, language: str | None = None) -> dict[str, Any]:
    """(Re)build evidence, summary.json, certification.html, manifest and evidence.zip; return the headline.

    The texts are in ``language`` when given, else in the language the run was started with (Danish by default)."""
    run = load_run(run_dir, language)
    waived = frozenset(r.nodeid for r in run.records if judge(run, r).verdict is Verdict.WAIVED)
    ensure_cucumber_json(run_dir, run.records, waived)
    shutil.rmtree(run_dir / evidence.EVIDENCE_DIR, ignore_errors=True)
    numbers = numbering(run.records, run.layout)
    files = [f for r in run.records for f in evidence.write_evidence(run_dir, r, numbers[r.nodeid])]
    cpr_check = check_cprs(run_dir / evidence.EVIDENCE_DIR, _cpr_groups(run, files), run.run_date)
    summary = make_summary(run, evidence.as_dicts(files), cpr_check)
    if (run_dir / BASELINE).is_file():
        summary["delta"] = compare(load_summary(run_dir / BASELINE), summary)
    validate(summary)
    write_json(run_dir / SUMMARY, summary)
    (run_dir / HTML).write_text(html.render(summary, run_dir / evidence.EVIDENCE_DIR), encoding="utf-8")
    evidence.write_bundle(run_dir, files, [HTML, SUMMARY], run.run_id, cpr_check)
    return {"counts": summary["counts"], "exit_code": summary["exit_code"], "result": summary["result"],
            "run_dir": str(run_dir)}
