"""summary.json: the machine-readable verdict of a run, validated against ``summary.schema.json``.

It is built from the stored results only (never from a live pytest session), so ``nspcert report RUN_DIR``
re-creates the same file, and ``certification.html`` is rendered from it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from nspcert.results.model.layout import numbering
from nspcert.results.model.run import RunData
from nspcert.results.model.verdicts import Verdict, exit_code, overall
from nspcert.results.render.scenarios import EvidenceIndex, scenario_summary
from nspcert.results.render.traceability import requirement_rows, use_case_rows
from nspcert.results.render.words import Words

SCHEMA_VERSION = "1.2"
SPEC_VERSIONS = {"PDC-DK": "3.0", "DGWS": "1.0.1", "MinLog2": "2025-03-12", "FSK": "3.0"}


def load_schema() -> dict[str, Any]:
    text = resources.files("nspcert.results.render").joinpath("summary.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate(summary: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` (best match first) unless ``summary`` fits the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(summary))
    if error is not None:
        raise error


def _iso(ts: Any) -> str:
    return datetime.fromtimestamp(float(ts or 0), tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def make_summary(run: RunData, evidence_files: list[dict[str, Any]], cpr_check: dict[str, Any]) -> dict[str, Any]:
    """summary.json for a run whose evidence files are already written."""
    numbers = numbering(run.records, run.layout)
    index = EvidenceIndex(evidence_files)
    words = Words.of(run.language)
    scenarios = [scenario_summary(run, r, numbers[r.nodeid], index, words) for r in run.records]
    counts = _counts(scenarios)
    harness_errors = _harness_errors(run.session) + _cpr_errors(cpr_check)
    code = exit_code(counts, harness_errors=len(harness_errors), evidence_safe=bool(cpr_check["passed"]))
    return _header(run) | {
        "result": overall(code),
        "exit_code": code,
        "counts": counts,
        "versions": _versions(run),
        "sut": _sut(run.info.get("sut", {})),
        "vendor": _vendor(run),
        "harness_errors": harness_errors,
        "requirements": requirement_rows(run.requirements, scenarios, run.layout, words.language),
        "use_cases": use_case_rows(scenarios, run.layout, run.requirements),
        "waivers": _waiver_rows(run, scenarios),
        "scenarios": scenarios,
        "evidence": {"bundle": "evidence.zip", "files": evidence_files, "cpr_check": cpr_check},
    }


def _header(run: RunData) -> dict[str, Any]:
    started, finished = run.session.get("started"), run.session.get("finished")
    return {"schema_version": SCHEMA_VERSION, "language": Words.of(run.language).language, "run_id": run.run_id,
            "started": _iso(started),
            "finished": _iso(finished), "duration_s": round(float(finished or 0) - float(started or 0), 3),
            "test_type": str(run.session.get("options", {}).get("test_type", "self-test")),
            "options": run.session.get("options", {}), "invocation": run.invocation}


def _counts(scenarios: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(s["verdict"] for s in scenarios)
    return {v.value: counts.get(v.value, 0) for v in Verdict} | {"total": len(scenarios)}


def _cpr_errors(cpr_check: dict[str, Any]) -> list[dict[str, str]]:
    """A bundle that may hold a real person's CPR certifies nothing (rule: results/cprcheck.py)."""
    if cpr_check["passed"]:
        return []
    found = ", ".join(f"{f['cpr']} in {f['file']}" for f in cpr_check["findings"][:10])
    return [{"where": "evidence", "message": "possible real CPR numbers in the evidence (not made by the harness in "
             f"that scenario, not named by the catalogue, and a possible birth date): {found}"}]


def _waiver_rows(run: RunData, scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    applied = {(s["waiver"] or {}).get("requirement") for s in scenarios}
    return [asdict(w) | {"applied": w.requirement in applied} for w in run.waivers]


def _harness_errors(session: dict[str, Any]) -> list[dict[str, str]]:
    errors = [{"where": e.get("nodeid") or "collection", "message": e.get("message", "")}
              for e in session.get("collection_errors", [])]
    errors += [{"where": "pytest internal error", "message": m} for m in session.get("internal_errors", [])]
    status = session.get("pytest_exitstatus")
    if (status == 3 or (status == 2 and not session.get("stopped"))) and not errors:
        errors.append({"where": "pytest", "message": f"the run was interrupted or crashed (pytest exit {status})"})
    if not session:
        errors.append({"where": "session", "message": "session.json is missing: the pytest run did not finish"})
    return errors


def _versions(run: RunData) -> dict[str, str]:
    """The report's test tools: the harness, the components the run talked to, the libraries that judged
    (``nspcert.results.model.tools``, as recorded when the run ended), the standards' versions."""
    versions = {"nspcert": str(run.session.get("harness_version", ""))}
    versions |= {str(k): str(v) for k, v in run.info.get("versions", {}).items()}
    versions |= {str(k): str(v) for k, v in run.session.get("tools", {}).items() if k not in versions}
    return versions | {k: v for k, v in SPEC_VERSIONS.items() if k not in versions}


def _vendor(run: RunData) -> dict[str, str]:
    """MedCom's vendor table: the [vendor] table of --config; the company defaults to the SUT's own answer."""
    given = {k: str(v) for k, v in run.vendor.items()}
    company = given.get("company") or _sut(run.info.get("sut", {}))["vendor"]
    return {"company": company} | {k: given.get(k, "") for k in ("address", "contact", "phone", "email")}


def _sut(sut: dict[str, Any]) -> dict[str, Any]:
    """Flat SUT facts from the driver's capabilities answer (``{"system": {name, version, vendor}, …}`` or flat)."""
    if isinstance(sut.get("system"), dict):
        sut = {**sut, **{("system" if k == "name" else k): v for k, v in sut["system"].items()}}
    caps = sut.get("capabilities", [])
    return {"system": str(sut.get("system", sut.get("name", "")) or "not reported"),
            "version": str(sut.get("version", "") or "not reported"),
            "vendor": str(sut.get("vendor", "") or "not reported"),
            "description": str(sut.get("description", "")),
            "capabilities": sorted(str(c) for c in caps) if isinstance(caps, list) else sorted(map(str, caps))}
