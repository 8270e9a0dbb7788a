"""cucumber.json from the stored results, for runs where pytest-bdd's own writer has nothing.

pytest-bdd keeps its scenario reports in the worker processes, so under pytest-xdist (``-n``) its
``--cucumberjson`` file is an empty list. The stored results hold the same facts; this writes them in the
Cucumber JSON format (features → elements → steps with result status and duration in nanoseconds).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nspcert.results.model.records import ScenarioRecord

_STATUS = {"passed": "passed", "failed": "failed", "undefined": "undefined", "not run": "skipped"}


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{t}", "line": line} for t in sorted(tags)]


def _element(record: ScenarioRecord, waived: bool) -> dict[str, Any]:
    line = int(record.scenario.get("line", 0))
    steps = []
    for step in record.steps:
        waived_step = waived and step.status == "failed"  # pytest-bdd reports a waived fail's step as skipped
        status = "skipped" if waived_step else _STATUS.get(step.status, "skipped")
        result: dict[str, Any] = {"status": status, "duration": int(step.duration_s * 1e9)}
        if step.status in ("failed", "undefined"):
            result["error_message"] = record.message
        steps.append({"keyword": step.keyword, "name": step.name, "line": step.line, "match": {"location": ""},
                      "result": result})
    return {"keyword": record.scenario.get("keyword", "Scenario"), "id": record.nodeid,
            "name": record.scenario.get("name", ""), "line": line, "description": record.scenario.get("description", ""),
            "tags": _tags(record.tags, line), "type": "scenario", "steps": steps}


def cucumber_json(records: list[ScenarioRecord], waived: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}
    for record in records:
        uri = str(record.feature.get("rel_filename", ""))
        feature = features.setdefault(uri, {
            "keyword": "Feature", "uri": uri, "name": record.feature.get("name", ""), "id": uri,
            "line": int(record.feature.get("line", 1) or 1), "description": record.feature.get("description", ""),
            "tags": _tags(list(record.feature.get("tags", [])), 1), "elements": []})
        feature["elements"].append(_element(record, record.nodeid in waived))
    return list(features.values())


def ensure_cucumber_json(run_dir: Path, records: list[ScenarioRecord], waived: frozenset[str] = frozenset()) -> bool:
    """Write ``cucumber.json`` from the records when it is missing or empty; True when written."""
    path = run_dir / "cucumber.json"
    try:
        existing = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    except ValueError:
        existing = []
    if existing or not records:
        return False
    path.write_text(json.dumps(cucumber_json(records, waived), indent=2, ensure_ascii=False), encoding="utf-8")
    return True
