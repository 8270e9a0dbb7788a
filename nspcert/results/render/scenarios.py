"""The summary entry of one scenario: verdict, severity, proposed assessment, and the six-column step rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from nspcert.results.model.layout import feature_path
from nspcert.results.model.records import ScenarioRecord, StepRecord
from nspcert.results.model.run import RunData
from nspcert.results.model.verdicts import Verdict, assessment, most_severe
from nspcert.results.model.waivers import Waiver, failing_requirements, find_waiver
from nspcert.results.render.step_text import JOURNAL_ID, describe_checks, describe_screens
from nspcert.results.render.traceability import needs_capability
from nspcert.results.render.words import Words

LEVEL_TAGS = ("sit", "cert", "e2e")


class EvidenceIndex:
    """A run's evidence files by step number (the scenario number holds its journal) and by screen."""

    def __init__(self, files: list[dict[str, Any]]) -> None:
        self._by_step: dict[str, list[str]] = {}
        self._screens: dict[tuple[str, int], str] = {}
        self._sent: dict[str, dict[int, str]] = {}
        self._exchanges: dict[str, dict[int, list[str]]] = {}
        for f in files:
            self._by_step.setdefault(f["step"], []).append(f["name"])
            if f.get("screen") is not None:
                self._screens[(f["scenario"], int(f["screen"]))] = f["name"]
            if f.get("journal") is None:
                continue
            self._exchanges.setdefault(f["scenario"], {}).setdefault(int(f["journal"]), []).append(f["name"])
            if f["direction"] == "S":
                self._sent.setdefault(f["scenario"], {})[int(f["journal"])] = f["name"]

    def names(self, number: str) -> list[str]:
        return list(self._by_step.get(number, []))

    def sent(self, nodeid: str) -> dict[int, str]:
        """Journal id → the evidence file of what the SUT sent in that exchange, for one scenario."""
        return self._sent.get(nodeid, {})

    def named(self, nodeid: str, text: str) -> list[str]:
        """The evidence files (sent and received) of every journal entry ``text`` names ("journal #17")."""
        exchanges = self._exchanges.get(nodeid, {})
        ids = dict.fromkeys(int(found) for found in JOURNAL_ID.findall(text))
        return [name for journal in ids for name in exchanges.get(journal, [])]

    def screens(self, nodeid: str) -> dict[int, str]:
        """Screen index → evidence file name, for one scenario."""
        return {index: name for (scenario, index), name in self._screens.items() if scenario == nodeid}


@dataclass(frozen=True)
class Judgement:
    """A scenario's verdict after waivers, and the severity its assessment is proposed from."""

    verdict: Verdict
    severity: str
    waiver: Waiver | None

    @property
    def assessment(self) -> str:
        return assessment(self.verdict, self.severity)


def judge(run: RunData, record: ScenarioRecord) -> Judgement:
    verdict = Verdict(record.outcome)
    failing = failing_requirements(record.nonconformance, record.requirements) if verdict is Verdict.FAIL else []
    waiver = find_waiver(failing, run.waivers, run.run_date) if failing else None
    nc = record.nonconformance or {}
    reqs = [run.requirements[r] for r in (failing or record.requirements) if r in run.requirements]
    severity = nc.get("severity") or most_severe(r.severity for r in reqs)
    return Judgement(Verdict.WAIVED if waiver is not None else verdict, severity, waiver)


def scenario_summary(run: RunData, record: ScenarioRecord, number: str, evidence: EvidenceIndex,
                     words: Words) -> dict[str, Any]:
    """The summary entry of one scenario (see ``$defs/scenario`` in summary.schema.json), its texts in ``words``."""
    judgement = judge(run, record)
    verdict = judgement.verdict
    screens = evidence.screens(record.nodeid)
    nonconformance = _with_named_evidence(record, evidence)
    failure_files = nonconformance["evidence"] if nonconformance else []
    steps = [_step_row(record, judgement, f"{number}.{step.index + 1}", step, evidence, screens, failure_files, words)
             for step in record.steps]
    return _identity(record, number, needs_capability(record.tags, run.requirements)) | {
        "verdict": verdict.value,
        "verdict_label": words.verdict(verdict.value),
        "severity": judgement.severity,
        "assessment": judgement.assessment,
        "message": record.message,
        "details": "" if verdict in (Verdict.FAIL, Verdict.WAIVED) else record.details,
        "failed_phase": record.failed_phase,
        "nonconformance": nonconformance,
        "waiver": None if judgement.waiver is None else asdict(judgement.waiver),
        "reproduce": _reproduce(run, record) if verdict is not Verdict.PASS else "",
        "duration_s": round(record.duration_s, 3),
        "steps": steps,
        "evidence": list(dict.fromkeys(evidence.names(number) + [n for step in steps for n in step["evidence"]])),
    }


def _with_named_evidence(record: ScenarioRecord, evidence: EvidenceIndex) -> dict[str, Any] | None:
    """The NonConformance with the evidence files of the exchanges its ``where`` and ``received`` name."""
    nc = record.nonconformance
    if not nc:
        return None
    named = evidence.named(record.nodeid, f"{nc.get('where', '')} {nc.get('received', '')}")
    return {**nc, "evidence": list(dict.fromkeys([*nc.get("evidence", []), *named]))}


def _identity(record: ScenarioRecord, number: str, capabilities: list[str]) -> dict[str, Any]:
    tags = record.tags
    return {
        "number": number,
        "nodeid": record.nodeid,
        "feature": str(record.feature.get("name", "")),
        "feature_file": feature_path(record),
        "name": str(record.scenario.get("name", "")),
        "example": dict(record.example),
        "requirements": list(record.requirements),
        "levels": [t for t in LEVEL_TAGS if t in tags],
        "capabilities": capabilities,
        "manual_review": "manual-review" in tags,
    }


def _reproduce(run: RunData, record: ScenarioRecord) -> str:
    """The NonConformance's own recipe, else the command that re-runs just this scenario against the same target."""
    own = str((record.nonconformance or {}).get("reproduce", ""))
    if own:
        return own
    options = run.session.get("options", {})
    name = record.nodeid.split("::")[-1]
    parts = ["nspcert run", f'-k "{name.split("[")[0]}"']
    parts += [f"--{key} {options[key]}" for key in ("sut", "nsp") if options.get(key)]
    if options.get("reference_defects"):
        parts.append(f"--defects {options['reference_defects']}")
    if options.get("reference_variants"):
        parts.append(f"--variants {options['reference_variants']}")
    return " ".join(parts)


def _step_row(record: ScenarioRecord, judgement: Judgement, number: str, step: StepRecord, evidence: EvidenceIndex,
              screens: dict[int, str], failure_files: list[str], words: Words) -> dict[str, Any]:
    actual, mark = _actual(record, judgement, step, words)
    shown = describe_screens(step.judged, screens, words)
    checked, checked_files = describe_checks(step, evidence.sent(record.nodeid), words)
    own = evidence.names(number)
    judged_files = [screens[j["screen"]] for j in step.judged if j["screen"] in screens] + checked_files
    if step.status == "failed":
        judged_files += failure_files
    return {
        "number": number,
        "keyword": step.keyword,
        "type": step.type,
        "action": f"{step.keyword} {step.name}",
        "data": step.data,
        "expected": step.name if step.type == "then" else words("step.completes"),
        "status": step.status,
        "actual": "\n".join(part for part in (actual, shown, checked) if part),
        "assessment": mark,
        "evidence": own + [name for name in dict.fromkeys(judged_files) if name not in own],
        "shown": [{"file": screens.get(j["screen"], ""), "part": j["part"]} for j in step.judged],
        "checked": [group["check"] for group in step.checked],
    }


def _actual(record: ScenarioRecord, judgement: Judgement, step: StepRecord, words: Words) -> tuple[str, str]:
    """The step's "Actual result" headline and its proposed MedCom mark (a code: "Not relevant" in any language)."""
    if judgement.verdict is Verdict.NOT_APPLICABLE:
        reason = record.message.split(":", 1)[1].strip() if ":" in record.message else record.message
        return words("step.not_relevant", reason=reason), "Not relevant"
    if step.status == "passed":
        return words("step.as_expected" if step.type == "then" else "step.done"), "OK"
    if step.status in ("failed", "undefined"):
        return record.message or step.status, judgement.assessment
    return words("step.not_run"), "—"
