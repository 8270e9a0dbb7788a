"""The catalogue's layout, so MedCom step numbers come from the catalogue and not from what a run selected.

At the start of a reporting run the controller reads every feature file under the features base directory
and stores ``catalogue.json`` in the run directory (so ``nspcert report`` re-renders the same numbers)::

    {"features": [{"file": "certification/fgvh-display.feature", "name": "…",
                   "scenarios": [{"line": 7, "name": "…", "tags": ["cert", "req:FSK-CERT-FGVH-01"], "examples": 0},
                                 {"line": 92, "name": "…", "tags": […], "examples": 3}]}],
     "cprs": ["0101201234"]}

``cprs`` lists the CPR numbers the feature files themselves name (test data the catalogue chose; they count as
synthetic in the evidence check). Feature ``n`` is the n-th file in path order; inside it every scenario takes one number and every example
row of an outline one number each, in file order. So ``-k`` or ``--level`` never renumbers a scenario, and
an evidence file name (``FSK_<step>_<letter>_<S|R>``) means the same step in every run of one catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from nspcert.results.model.cprcheck import cprs_in
from nspcert.results.model.records import ScenarioRecord, read_json, write_json

LAYOUT = "catalogue.json"


def read_layout(features_dir: Path) -> dict[str, Any]:
    """The layout of every ``*.feature`` file under ``features_dir`` (an empty layout when it does not exist)."""
    from gherkin.parser import Parser

    features = []
    cprs: set[str] = set()
    for path in sorted(features_dir.rglob("*.feature")) if features_dir.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        cprs |= cprs_in(text)
        feature = cast(dict[str, Any], Parser().parse(text).get("feature") or {})
        features.append({"file": path.relative_to(features_dir).as_posix(), "name": feature.get("name", ""),
                         "scenarios": [_scenario(s, _tags(feature)) for s in _scenarios(feature)]})
    return {"features": features, "cprs": sorted(cprs)}


def _scenarios(feature: dict[str, Any]) -> Iterator[tuple[dict[str, Any], list[str]]]:
    for child in feature.get("children", []):
        if "scenario" in child:
            yield child["scenario"], []
        for grandchild in child.get("rule", {}).get("children", []):
            if "scenario" in grandchild:
                yield grandchild["scenario"], _tags(child["rule"])


def _scenario(found: tuple[dict[str, Any], list[str]], inherited: list[str]) -> dict[str, Any]:
    scenario, rule_tags = found
    rows = sum(len(block.get("tableBody", [])) for block in scenario.get("examples", []))
    return {"line": scenario["location"]["line"], "name": scenario["name"],
            "tags": sorted(set(inherited + rule_tags + _tags(scenario))), "examples": rows}


def _tags(node: dict[str, Any]) -> list[str]:
    return [str(tag["name"]).removeprefix("@") for tag in node.get("tags", [])]


def save_layout(run_dir: Path, features_dir: Path) -> None:
    write_json(run_dir / LAYOUT, read_layout(features_dir))


def load_layout(run_dir: Path) -> dict[str, Any]:
    path = run_dir / LAYOUT
    data = read_json(path) if path.is_file() else {}
    return data if isinstance(data, dict) and isinstance(data.get("features"), list) else {"features": []}


def slots(layout: dict[str, Any]) -> dict[tuple[str, int, int], str]:
    """(feature file, scenario line, example index) → ``3.<feature>.<scenario>`` for the whole catalogue."""
    out: dict[tuple[str, int, int], str] = {}
    for f_index, feature in enumerate(layout["features"], start=1):
        number = 0
        for scenario in feature["scenarios"]:
            for example in range(max(1, int(scenario["examples"]))):
                number += 1
                out[(feature["file"], int(scenario["line"]), example)] = f"3.{f_index}.{number}"
    return out


def numbering(records: list[ScenarioRecord], layout: dict[str, Any]) -> dict[str, str]:
    """Each record's number: its catalogue slot; a record the layout does not know comes after the catalogue."""
    known = slots(layout)
    out: dict[str, str] = {}
    unknown: list[ScenarioRecord] = []
    for record in records:
        number = known.get(_slot_key(record))
        if number is None:
            unknown.append(record)
        else:
            out[record.nodeid] = number
    out.update(_after_catalogue(unknown, len(layout["features"]), known))
    return out


def _slot_key(record: ScenarioRecord) -> tuple[str, int, int]:
    index = record.example_index if record.example_index is not None else 0
    return feature_path(record), int(record.scenario.get("line", 0)), index


def feature_path(record: ScenarioRecord) -> str:
    """The record's feature file relative to the features directory (older records have only rel_filename)."""
    return str(record.feature.get("path") or record.feature.get("rel_filename", ""))


def _after_catalogue(records: list[ScenarioRecord], feature_count: int,
                     known: dict[tuple[str, int, int], str]) -> dict[str, str]:
    """Numbers for records outside the layout (an old run, a catalogue changed mid-run): after every known slot."""
    features: dict[str, int] = {}
    used: dict[str, int] = {}
    for (file, _line, _example), number in known.items():
        features.setdefault(file, int(number.split(".")[1]))
        used[file] = max(used.get(file, 0), int(number.split(".")[2]))
    out: dict[str, str] = {}
    for record in records:
        file = feature_path(record)
        if file not in features:
            feature_count += 1
            features[file] = feature_count
        used[file] = used.get(file, 0) + 1
        out[record.nodeid] = f"3.{features[file]}.{used[file]}"
    return out
