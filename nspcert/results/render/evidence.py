"""The evidence bundle: MedCom-named files, the synthetic-CPR check, the manifest and evidence.zip.

File names follow MedCom's rule (standard, test step, running letter, S = SUT sends / R = SUT receives)::

    FSK_3.1.2.4_A_S.xml   the request the SUT sent in step 3.1.2.4 (first exchange of that step)
    FSK_3.1.2.4_A_R.xml   the mock NSP's response to it
    FSK_3.1.2_journal.json  every redacted journal entry of scenario 3.1.2 (headers, summaries)

The zip holds ``evidence/…``, ``certification.html``, ``summary.json`` and ``manifest.json`` (SHA-256 and
size of every other file in the zip). ``verify_bundle(zip)`` recomputes them.

The synthetic-CPR check of the files is :mod:`nspcert.results.model.cprcheck`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nspcert.results.model.records import RESULTS, ScenarioRecord

__all__ = [
    "EvidenceFile",
    "letter",
    "verify_bundle",
    "write_bundle",
    "write_evidence",
]

STANDARD = "FSK"
EVIDENCE_DIR = "evidence"
MANIFEST = "manifest.json"


@dataclass
class EvidenceFile:
    """One file of evidence as listed in summary.json and the manifest."""

    name: str
    scenario: str
    step: str
    direction: str
    description: str
    sha256: str = ""
    size: int = 0
    screen: int | None = None  # for a screen model: its index in the scenario's screens (links judged steps to it)
    journal: int | None = None  # for an exchange: its mock NSP journal id (links the checks that name it)


def letter(n: int) -> str:
    """The running letter of the n-th (0-based) piece of evidence in a step: A…Z, AA, AB, …"""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _extension(body: str) -> str:
    stripped = body.lstrip()
    if stripped.startswith("<"):
        return "xml"
    return "json" if stripped[:1] in ("{", "[") else "txt"


class _Letters:
    """The running letter of each step's evidence (A, B, … in the order the files are written)."""

    def __init__(self, number: str) -> None:
        self.number = number
        self._used: dict[int, int] = {}

    def next(self, step: int) -> tuple[str, str]:
        """(``FSK_<step>_<letter>``, step number) of the next piece of evidence of ``step`` (0-based)."""
        tag = letter(self._used.setdefault(step, 0))
        self._used[step] += 1
        step_number = f"{self.number}.{step + 1}"
        return f"{STANDARD}_{step_number}_{tag}", step_number


def write_evidence(run_dir: Path, record: ScenarioRecord, number: str) -> list[EvidenceFile]:
    """Write the scenario's evidence files into ``run_dir/evidence`` and describe them.

    Per step: the exchanges (request S, response R), then the screens (R), then attached files; then the
    scenario's journal."""
    out_dir = run_dir / EVIDENCE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    letters = _Letters(number)
    exchanges = _exchange_files(out_dir, record, letters)
    files = exchanges + _screen_files(out_dir, record, letters) + _attached_files(run_dir, out_dir, record, letters)
    files += _journal_file(out_dir, record, number, [f.name for f in exchanges])
    for f in files:
        f.sha256, f.size = _digest(out_dir / f.name)
    return files


def _exchange_files(out_dir: Path, record: ScenarioRecord, letters: _Letters) -> list[EvidenceFile]:
    files: list[EvidenceFile] = []
    for exchange in record.exchanges:
        entry = exchange.entry
        what = f"{entry.get('service', '?')} {entry.get('operation', '')}".strip()
        tag, step = letters.next(exchange.step)  # one letter for the request and its response
        for side, direction in (("request", "S"), ("response", "R")):
            part = entry.get(side) or {}
            body = str(part.get("body", ""))
            name = f"{tag}_{direction}.{_extension(body)}"
            (out_dir / name).write_text(body, encoding="utf-8")
            status = f", HTTP {part.get('status')}" if side == "response" and part.get("status") else ""
            journal = entry.get("id")
            files.append(EvidenceFile(name, record.nodeid, step, direction,
                                      f"{what} {side}, journal #{journal if journal is not None else '?'}{status}",
                                      journal=journal if isinstance(journal, int) else None))
    return files


def _screen_files(out_dir: Path, record: ScenarioRecord, letters: _Letters) -> list[EvidenceFile]:
    files: list[EvidenceFile] = []
    for index, screen in enumerate(record.screens):
        tag, step = letters.next(screen.step)
        name = f"{tag}_R.json"
        (out_dir / name).write_text(json.dumps(screen.model, indent=2, ensure_ascii=False), encoding="utf-8")
        description = screen.description or f"the screen the employee was shown (citizen {screen.cpr})"
        files.append(EvidenceFile(name, record.nodeid, step, "R", description, screen=index))
    return files


def _attached_files(run_dir: Path, out_dir: Path, record: ScenarioRecord, letters: _Letters) -> list[EvidenceFile]:
    files: list[EvidenceFile] = []
    for item in record.files:
        tag, step = letters.next(item.step)
        name = f"{tag}_{item.direction}{Path(item.name).suffix or '.bin'}"
        (out_dir / name).write_bytes((run_dir / RESULTS / item.stored).read_bytes())
        files.append(EvidenceFile(name, record.nodeid, step, item.direction, item.description))
    return files


def _journal_file(out_dir: Path, record: ScenarioRecord, number: str, bodies: list[str]) -> list[EvidenceFile]:
    """The scenario's journal entries (headers, status, the mock's summary), each body named by its file.

    The bodies are already in the S/R files (``bodies``: request, response, request, … in exchange order);
    repeating them here doubled the bundle."""
    if not record.exchanges:
        return []
    name = f"{STANDARD}_{number}_journal.json"
    entries = [{"step": f"{number}.{x.step + 1}", **x.entry,
                "request": _without_body(x.entry.get("request"), bodies[2 * i]),
                "response": _without_body(x.entry.get("response"), bodies[2 * i + 1])}
               for i, x in enumerate(record.exchanges)]
    (out_dir / name).write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")
    return [EvidenceFile(name, record.nodeid, number, "", "the scenario's mock NSP journal (redacted; bodies are "
                         "in the files it names)")]


def _without_body(part: Any, body_file: str) -> dict[str, Any]:
    kept = {k: v for k, v in (part or {}).items() if k != "body"}
    return kept | {"body_file": body_file}


def _digest(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def write_bundle(run_dir: Path, files: list[EvidenceFile], reports: list[str], run_id: str,
                 cpr_check: dict[str, Any]) -> Path:
    """Write manifest.json and evidence.zip (evidence files + reports + manifest)."""
    entries: list[dict[str, Any]] = [{"path": f"{EVIDENCE_DIR}/{f.name}", "sha256": f.sha256, "size": f.size, "step": f.step,
                "direction": f.direction, "description": f.description} for f in files]
    report_entries: list[dict[str, Any]] = []
    for name in reports:
        digest, size = _digest(run_dir / name)
        report_entries.append({"path": name, "sha256": digest, "size": size})
    manifest = {"run_id": run_id, "algorithm": "sha256", "files": entries, "reports": report_entries,
                "cpr_check": cpr_check}
    (run_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    bundle = run_dir / "evidence.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for entry in [*entries, *report_entries]:
            zf.write(run_dir / entry["path"], entry["path"])
        zf.write(run_dir / MANIFEST, MANIFEST)
    # the zip is the evidence: an unzipped copy beside it doubled the run's size (``nspcert report`` rewrites it)
    shutil.rmtree(run_dir / EVIDENCE_DIR, ignore_errors=True)
    return bundle


def verify_bundle(bundle: Path) -> list[str]:
    """Problems found in an evidence.zip: missing, extra or altered files (empty when it verifies)."""
    problems: list[str] = []
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        if MANIFEST not in names:
            return [f"{MANIFEST} is missing"]
        manifest = json.loads(zf.read(MANIFEST))
        listed = [*manifest.get("files", []), *manifest.get("reports", [])]
        for entry in listed:
            if entry["path"] not in names:
                problems.append(f"{entry['path']}: listed but missing")
            elif hashlib.sha256(zf.read(entry["path"])).hexdigest() != entry["sha256"]:
                problems.append(f"{entry['path']}: SHA-256 does not match the manifest")
        extra = names - {e["path"] for e in listed} - {MANIFEST}
        problems.extend(f"{name}: in the zip but not in the manifest" for name in sorted(extra))
        if not manifest.get("cpr_check", {}).get("passed", False):
            problems.append("the synthetic-CPR check did not pass")
    return problems


def as_dicts(files: list[EvidenceFile]) -> list[dict[str, Any]]:
    return [asdict(f) for f in files]
