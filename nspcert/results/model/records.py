"""The stored results of one run: what the collector writes and every report is rendered from.

A run directory holds::

    results/<key>.json      one ScenarioRecord per scenario (written by the worker that ran it)
    results/info-*.json     SUT capabilities, component versions, test CPRs handed over by the fixtures
    results/attachments/    files handed over with ``add_file`` (copied, so a re-render needs nothing else)
    session.json            pytest's side of the run (times, exit status, collection errors, tool versions)
    invocation.json         the CLI's side (options, run id), when started by ``nspcert run``
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RESULTS = "results"
ATTACHMENTS = "attachments"


@dataclass
class StepRecord:
    """One Gherkin step as it ran."""

    index: int
    keyword: str
    type: str
    name: str
    line: int
    status: str = "not run"  # passed | failed | not run | undefined
    started: float | None = None
    duration_s: float = 0.0
    data: str = ""
    #: the screen parts a check read in this step: {"screen": index into ScenarioRecord.screens, "part", "value"}
    judged: list[dict[str, Any]] = field(default_factory=list)
    #: the checks that passed in this step, by check and value: {"check", "received", "where": [...], "more"}
    checked: list[dict[str, Any]] = field(default_factory=list)
    checked_unlisted: int = 0  # passed checks beyond the groups kept (nspcert.results.collect.checked.GROUPS_KEPT)


@dataclass
class ExchangeRecord:
    """One redacted request/response pair from the mock NSP journal, attributed to a step."""

    step: int
    entry: dict[str, Any]


@dataclass
class FileRecord:
    """A file of evidence handed over by a fixture (a screenshot, a saved document)."""

    step: int
    stored: str
    name: str
    description: str
    direction: str = "S"


@dataclass
class ScreenRecord:
    """A screen model the harness read from the SUT (what the employee was shown), redacted, in the step it was read."""

    step: int
    cpr: str
    model: dict[str, Any]
    description: str = ""  # what it is, e.g. "the screen the employee was shown (citizen 0101601234)"


@dataclass
class ScenarioRecord:
    """One scenario (one pytest item) and its raw outcome, before waivers and severities are applied."""

    nodeid: str
    feature: dict[str, Any]
    scenario: dict[str, Any]
    requirements: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    outcome: str = "pass"
    message: str = ""
    details: str = ""
    nonconformance: dict[str, Any] | None = None
    failed_phase: str = ""
    started: float = 0.0
    duration_s: float = 0.0
    order: int = 0
    example: dict[str, str] = field(default_factory=dict)  # an outline's example row (values by column)
    example_index: int | None = None  # its row in the outline's examples (the catalogue numbers each row)
    steps: list[StepRecord] = field(default_factory=list)
    exchanges: list[ExchangeRecord] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    screens: list[ScreenRecord] = field(default_factory=list)
    test_cprs: list[str] = field(default_factory=list)  # CPRs the harness made in this scenario (synthetic)

    @property
    def key(self) -> str:
        return hashlib.sha1(self.nodeid.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioRecord:
        data = dict(data)
        data["steps"] = [StepRecord(**s) for s in data.get("steps", [])]
        data["exchanges"] = [ExchangeRecord(**e) for e in data.get("exchanges", [])]
        data["files"] = [FileRecord(**f) for f in data.get("files", [])]
        data["screens"] = [ScreenRecord(**s) for s in data.get("screens", [])]
        return cls(**data)


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically enough for one writer per file (tmp + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False), encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def save_record(run_dir: Path, record: ScenarioRecord) -> Path:
    path = run_dir / RESULTS / f"{record.key}.json"
    write_json(path, record.to_dict())
    return path


def load_records(run_dir: Path) -> list[ScenarioRecord]:
    """Every scenario record of a run, in catalogue order (feature file, line, then collection order)."""
    records = [ScenarioRecord.from_dict(read_json(p)) for p in sorted((run_dir / RESULTS).glob("*.json"))
               if not p.name.startswith("info-")]
    return sorted(records, key=lambda r: (r.feature.get("rel_filename", ""), r.scenario.get("line", 0), r.order, r.nodeid))


def load_info(run_dir: Path) -> dict[str, Any]:
    """Merge the info files the fixtures handed over (from every xdist worker)."""
    merged: dict[str, Any] = {"sut": {}, "versions": {}, "test_cprs": []}
    for path in sorted((run_dir / RESULTS).glob("info-*.json")):
        info = read_json(path)
        merged["sut"].update(info.get("sut", {}))
        merged["versions"].update(info.get("versions", {}))
        merged["test_cprs"] = sorted(set(merged["test_cprs"]) | set(info.get("test_cprs", [])))
    return merged
