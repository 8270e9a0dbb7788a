"""The re-certification delta: what moved between a baseline run (an approved 24.3) and a new run (24.4).

Computed from the two runs' ``summary.json`` only, so ``nspcert diff OLD NEW`` and the report of a run started with
``--baseline RUN`` say the same::

    {"baseline": {"run_id", "language"},
     "versions": [{"what": "SUT", "old": "Cura 24.3", "new": "Cura 24.4"}, {"what": "nspcert", …}, …],
     "requirements": [{"id", "title", "old": "pass", "new": "fail"}],     statuses: a verdict, not_run, not_tested, …
     "added": [{"nodeid", "name", "number", "verdict"}], "removed": […],
     "scenarios": [{"nodeid", "name", "number", "old_number", "old": "pass", "new": "fail",
                    "steps": [{"number", "action", "old": {"status", "assessment", "actual"}, "new": {…}}]}]}

A scenario is the same scenario in both runs when its node id is (``test_catalogue.py::test_<name>[<example>]``: the
Gherkin name, not the step number, which a new feature file may shift). It is listed when its verdict changed, or
a step's outcome did; its steps are listed when their status or proposed mark changed, or (both runs written in
the same language) what the step shows as its actual result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nspcert.results.model.records import read_json
from nspcert.results.render.words import Words

ABSENT = "absent"


class DeltaError(ValueError):
    """A run directory that holds no summary to compare."""


def load_summary(run_dir: Path) -> dict[str, Any]:
    """A run's summary.json (a run directory, or the summary file itself)."""
    path = run_dir if run_dir.is_file() else run_dir / "summary.json"
    if not path.is_file():
        raise DeltaError(f"{run_dir}: no summary.json (expected an nspcert run directory; re-render an old run "
                         "with `nspcert report RUN_DIR`)")
    data = read_json(path)
    if not isinstance(data, dict) or "scenarios" not in data or "requirements" not in data:
        raise DeltaError(f"{path}: not an nspcert summary (expected scenarios and requirements)")
    return data


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What moved from the ``old`` summary to the ``new`` one."""
    before = {s["nodeid"]: s for s in old["scenarios"]}
    after = {s["nodeid"]: s for s in new["scenarios"]}
    same_language = old.get("language", "en") == new.get("language", "en")
    changed = [_scenario_change(before[nodeid], scenario, same_language)
               for nodeid, scenario in after.items() if nodeid in before]
    return {
        "baseline": {"run_id": str(old.get("run_id", "")), "language": str(old.get("language", "en"))},
        "versions": versions(old, new),
        "requirements": _requirements(old["requirements"], new["requirements"]),
        "added": [_brief(s) for nodeid, s in after.items() if nodeid not in before],
        "removed": [_brief(s) for nodeid, s in before.items() if nodeid not in after],
        "scenarios": [change for change in changed if change is not None],
    }


def moved(delta: dict[str, Any]) -> bool:
    """Whether anything but the versions changed."""
    return any(delta[key] for key in ("requirements", "added", "removed", "scenarios"))


def versions(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """The SUT (system, version, vendor) and every component version, on both sides (changed or not)."""
    rows = [{"what": "SUT", "old": _system(old), "new": _system(new)},
            {"what": "SUT vendor", "old": str(old["sut"].get("vendor", "")), "new": str(new["sut"].get("vendor", ""))}]
    names = dict.fromkeys([*old.get("versions", {}), *new.get("versions", {})])
    rows += [{"what": name, "old": str(old.get("versions", {}).get(name, ABSENT)),
              "new": str(new.get("versions", {}).get(name, ABSENT))} for name in names]
    return rows


def _system(summary: dict[str, Any]) -> str:
    sut = summary.get("sut", {})
    return f"{sut.get('system', '')} {sut.get('version', '')}".strip()


def _requirements(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, str]]:
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    rows = []
    for rid in dict.fromkeys([*after, *before]):
        was, now = before.get(rid, {}).get("status", ABSENT), after.get(rid, {}).get("status", ABSENT)
        if was != now:
            title = after.get(rid, before.get(rid, {})).get("title", "")
            rows.append({"id": rid, "title": str(title), "old": str(was), "new": str(now)})
    return rows


def _brief(scenario: dict[str, Any]) -> dict[str, str]:
    return {"nodeid": scenario["nodeid"], "name": _name(scenario), "number": scenario["number"],
            "verdict": scenario["verdict"]}


def _name(scenario: dict[str, Any]) -> str:
    example = scenario.get("example") or {}
    values = ", ".join(f"{k} = {v}" for k, v in example.items())
    return f"{scenario['name']} ({values})" if values else str(scenario["name"])


def _scenario_change(old: dict[str, Any], new: dict[str, Any], same_language: bool) -> dict[str, Any] | None:
    steps = _step_changes(old["steps"], new["steps"], compare_text=same_language and old["verdict"] != new["verdict"])
    if old["verdict"] == new["verdict"] and not any(_outcome(s["old"]) != _outcome(s["new"]) for s in steps):
        return None
    return {"nodeid": new["nodeid"], "name": _name(new), "number": new["number"], "old_number": old["number"],
            "old": old["verdict"], "new": new["verdict"], "steps": steps}


def _step_changes(old: list[dict[str, Any]], new: list[dict[str, Any]], *, compare_text: bool) -> list[dict[str, Any]]:
    """Steps paired by position (the Gherkin of one scenario); a step only one side has is paired with None."""
    out = []
    for index in range(max(len(old), len(new))):
        was = _side(old[index]) if index < len(old) else None
        now = _side(new[index]) if index < len(new) else None
        differs = _outcome(was) != _outcome(now) or (compare_text and (was or {}).get("actual") != (now or {}).get("actual"))
        if differs:
            step = new[index] if index < len(new) else old[index]
            out.append({"number": step["number"], "action": step["action"], "old": was, "new": now})
    return out


def _side(step: dict[str, Any]) -> dict[str, str]:
    return {"status": step["status"], "assessment": step["assessment"], "actual": step["actual"]}


def _outcome(side: dict[str, str] | None) -> tuple[str, str] | None:
    return None if side is None else (side["status"], side["assessment"])


def as_text(delta: dict[str, Any], new_run_id: str, words: Words) -> str:
    """The delta as ``nspcert diff`` prints it: versions in two columns, then only what moved."""
    w = words
    old_head, new_head = w("delta.old", run_id=delta["baseline"]["run_id"]), w("delta.new", run_id=new_run_id)
    width = max(len(r["what"]) for r in delta["versions"]) + 2
    column = max([len(old_head), *(len(r["old"]) for r in delta["versions"])]) + 2
    lines = [f"{w('delta.versions')}:", f"  {'':{width}}{old_head:{column}}{new_head}"]
    lines += [f"  {r['what']:{width}}{r['old']:{column}}{r['new']}{'' if r['old'] == r['new'] else '   *'}"
              for r in delta["versions"]]
    if not moved(delta):
        return "\n".join([*lines, "", w("delta.same")]) + "\n"
    lines += ["", f"{w('delta.requirements')} ({len(delta['requirements'])}):"]
    lines += [f"  {r['id']}: {w.status(r['old'])} → {w.status(r['new'])}   {r['title']}" for r in delta["requirements"]]
    for key in ("added", "removed"):
        lines += ["", f"{w(f'delta.{key}')} ({len(delta[key])}):"]
        lines += [f"  {s['number']} {s['name']}: {w.verdict(s['verdict'])}" for s in delta[key]]
    lines += ["", f"{w('delta.scenarios')} ({len(delta['scenarios'])}):"]
    for s in delta["scenarios"]:
        lines.append(f"  {s['number']} {s['name']}: {w.verdict(s['old'])} → {w.verdict(s['new'])}")
        for step in s["steps"]:
            lines.append(f"    {step['number']} {step['action']}")
            for head, side in ((old_head, step["old"]), (new_head, step["new"])):
                lines.append(f"      {head}: " + _side_text(side, w).replace("\n", "\n" + " " * (8 + len(head))))
    return "\n".join(lines) + "\n"


def _side_text(side: dict[str, str] | None, w: Words) -> str:
    return w("delta.absent") if side is None else f"[{w.mark(side['assessment'])}] {side['actual']}"
