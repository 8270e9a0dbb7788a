"""Read the Gherkin catalogue into plain records: which scenario carries which tags (with inheritance).

Uses the official Gherkin parser that pytest-bdd itself uses, so what we trace is what pytest-bdd runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from gherkin.parser import Parser


@dataclass(frozen=True, slots=True)
class ScenarioRecord:
    feature: str
    feature_file: str
    name: str
    line: int
    tags: tuple[str, ...]

    @property
    def requirement_ids(self) -> tuple[str, ...]:
        return tuple(tag.removeprefix("req:") for tag in self.tags if tag.startswith("req:"))

    @property
    def label(self) -> str:
        return f"{self.feature_file}:{self.line} {self.name}"


def scenarios(root: Path) -> list[ScenarioRecord]:
    """Every scenario under ``root`` with its own, its rule's and its feature's tags."""
    records: list[ScenarioRecord] = []
    for path in sorted(root.rglob("*.feature")):
        document = Parser().parse(path.read_text(encoding="utf-8"))
        feature = document.get("feature")
        if feature:
            records.extend(_feature_scenarios(cast(dict[str, Any], feature), path.relative_to(root.parent).as_posix()))
    return records


def _feature_scenarios(feature: dict[str, Any], file: str) -> Iterator[ScenarioRecord]:
    inherited = _tags(feature)
    for child in feature["children"]:
        if "rule" in child:
            rule = child["rule"]
            for grandchild in rule["children"]:
                if "scenario" in grandchild:
                    yield _record(grandchild["scenario"], feature, file, inherited + _tags(rule))
        elif "scenario" in child:
            yield _record(child["scenario"], feature, file, inherited)


def _record(scenario: dict[str, Any], feature: dict[str, Any], file: str, inherited: tuple[str, ...]) -> ScenarioRecord:
    return ScenarioRecord(
        feature=feature["name"], feature_file=file, name=scenario["name"],
        line=scenario["location"]["line"], tags=inherited + _tags(scenario),
    )


def _tags(node: dict[str, Any]) -> tuple[str, ...]:
    return tuple(tag["name"].removeprefix("@") for tag in node.get("tags", []))
