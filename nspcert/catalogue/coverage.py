"""Traceability: requirement → scenarios → verdict, and the gate that keeps the catalogue honest (SPEC §6).

The gate fails when a scenario names a requirement id the catalogue does not know, or when a SHALL
requirement has neither a scenario nor a written `not_tested_reason`.

    nspcert coverage [--features DIR] [--requirements CSV] [--run-dir reports/latest] [--output FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nspcert.catalogue.features import ScenarioRecord, scenarios
from nspcert.catalogue.files import features_dir, requirements_csv
from nspcert.catalogue.requirements import Requirement, load_requirements

REGENERATE = "nspcert coverage"


@dataclass
class Traceability:
    requirements: dict[str, Requirement]
    matrix: dict[str, list[ScenarioRecord]] = field(default_factory=dict)
    unknown: list[tuple[ScenarioRecord, str]] = field(default_factory=list)
    untagged: list[ScenarioRecord] = field(default_factory=list)

    @property
    def untested_shall(self) -> list[Requirement]:
        return [
            requirement for requirement in self.requirements.values()
            if requirement.mandatory and not self.matrix.get(requirement.id) and not requirement.not_tested_reason
        ]

    def problems(self) -> list[str]:
        found = [f"{record.label}: unknown requirement id {rid!r} (not in requirements.csv)"
                 for record, rid in self.unknown]
        found += [f"{record.label}: scenario traces to no requirement (add a @req: tag)" for record in self.untagged]
        found += [f"{requirement.id} ({requirement.title}): SHALL requirement with no scenario and no not_tested_reason"
                  for requirement in self.untested_shall]
        return found


def trace(requirements: dict[str, Requirement], records: Sequence[ScenarioRecord]) -> Traceability:
    """Match every scenario's `@req:` tags against the catalogue."""
    result = Traceability(requirements, {rid: [] for rid in requirements})
    for record in records:
        if not record.requirement_ids:
            result.untagged.append(record)
        for rid in record.requirement_ids:
            if rid in requirements:
                result.matrix[rid].append(record)
            else:
                result.unknown.append((record, rid))
    return result


def scenario_verdicts(run_dir: Path | None) -> dict[tuple[str, str], list[str]]:
    """(feature file under features/, scenario name) → the verdicts of its runs, from a run's summary.json."""
    summary = run_dir / "summary.json" if run_dir else None
    if summary is None or not summary.is_file():
        return {}
    verdicts: dict[tuple[str, str], list[str]] = {}
    for item in json.loads(summary.read_text(encoding="utf-8")).get("scenarios", []):
        key = (_feature_key(item.get("feature_file", "")), item.get("name", ""))
        verdicts.setdefault(key, []).append(str(item.get("verdict", "")).replace("_", " "))
    return verdicts


def _outline_pattern(name: str) -> re.Pattern[str]:
    """A scenario name; an outline's `<placeholders>` match whatever its examples put there."""
    return re.compile(re.sub(r"\\<[^>]*\\>|<[^>]*>", ".+", re.escape(name)))


def _feature_key(path: str) -> str:
    return Path(path).as_posix().removeprefix("features/")


def requirement_verdict(records: Sequence[ScenarioRecord], verdicts: dict[tuple[str, str], list[str]]) -> str:
    """The worst verdict among a requirement's scenarios (error > fail > waived > pass > not applicable)."""
    ranking = ["error", "fail", "waived", "pass", "not applicable"]
    seen = [verdict for record in records for (file, name), found in verdicts.items()
            if file == _feature_key(record.feature_file) and _outline_pattern(record.name).fullmatch(name)
            for verdict in found]
    for verdict in ranking:
        if verdict in seen:
            return verdict
    return "not run" if records else "not tested"


def write_matrix(result: Traceability, verdicts: dict[tuple[str, str], list[str]], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["requirement", "level", "conformance", "severity", "title", "scenarios", "verdict",
                         "not_tested_reason"])
        for rid, requirement in result.requirements.items():
            records = result.matrix.get(rid, [])
            writer.writerow([rid, requirement.level, requirement.conformance, requirement.severity, requirement.title,
                             " | ".join(record.label for record in records), requirement_verdict(records, verdicts),
                             requirement.not_tested_reason])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nspcert coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=Path, default=None, help="default: the shipped catalogue's features")
    parser.add_argument("--requirements", type=Path, default=None, help="default: the shipped requirements.csv")
    parser.add_argument("--run-dir", type=Path, default=Path("reports/latest"))
    parser.add_argument("--output", type=Path, default=None, help="default: RUN_DIR/requirements-coverage.csv")
    args = parser.parse_args(argv)
    result = trace(load_requirements(args.requirements or requirements_csv()), scenarios(args.features or features_dir()))
    output = args.output or args.run_dir / "requirements-coverage.csv"
    write_matrix(result, scenario_verdicts(args.run_dir), output)
    covered = sum(1 for records in result.matrix.values() if records)
    print(f"{len(result.requirements)} requirements, {covered} traced to scenarios; matrix written to {output}")
    for problem in result.problems():
        print(f"TRACEABILITY: {problem}", file=sys.stderr)
    return 1 if result.problems() else 0
