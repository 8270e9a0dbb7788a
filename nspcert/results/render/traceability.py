"""The requirement and use-case tables: every catalogue row, with its verdict in this run or why it has none.

Requirement status (``status`` in summary.json):

    pass | fail | error | not_applicable | waived   the worst verdict of its scenarios in this run
    not_run         the catalogue has scenarios for it, but this run selected none (``-k``, ``--level``)
    manual_review   no scenario: its ``not_tested_reason`` says a reviewer judges it (see MANUAL_REVIEW)
    not_tested      no scenario: the reason why is in ``reason`` (empty: the catalogue gate should have refused it)

A use case (one feature file) is Optional when every one of its scenarios needs an optional capability: one
named by a ``@capability:`` tag or by the ``capability`` column of a requirement the scenario traces to (the
same rule that makes a scenario *not applicable*, steps/conftest.py). Otherwise it is Mandatory.
"""

from __future__ import annotations

import re
from typing import Any

from nspcert.catalogue.requirements import Requirement
from nspcert.results.model.verdicts import Verdict, worst

MANUAL_REVIEW = re.compile(r"manual(ly)? review|reviewed manually|the reviewer (judges|checks)", re.IGNORECASE)


def needs_capability(tags: list[str], requirements: dict[str, Requirement]) -> list[str]:
    """The optional capabilities a scenario needs: its ``capability:`` tags and its requirements' capability column."""
    from_tags = {t.split(":", 1)[1] for t in tags if t.startswith("capability:")}
    from_catalogue = {requirements[t[4:]].capability for t in tags if t.startswith("req:") and t[4:] in requirements}
    return sorted((from_tags | from_catalogue) - {""})


def requirement_rows(requirements: dict[str, Requirement], scenarios: list[dict[str, Any]],
                     layout: dict[str, Any], language: str = "da") -> list[dict[str, Any]]:
    """One row per catalogue requirement (then any id a scenario names that the catalogue lacks), its title and
    text in ``language`` (English where the catalogue has no Danish)."""
    in_catalogue = {t[4:] for f in layout["features"] for s in f["scenarios"] for t in s["tags"] if t.startswith("req:")}
    named = [r for s in scenarios for r in s["requirements"]]
    ids = list(dict.fromkeys([*requirements, *named]))
    return [_requirement_row(rid, requirements.get(rid), [s for s in scenarios if rid in s["requirements"]],
                             rid in in_catalogue, language) for rid in ids]


def _requirement_row(rid: str, req: Requirement | None, covering: list[dict[str, Any]],
                     has_scenarios: bool, language: str) -> dict[str, Any]:
    reason = req.not_tested_reason if req else ""
    title, text = req.worded(language) if req else ("", "")
    return {"id": rid, "title": title, "text": text,
            "level": req.level if req else "", "severity": req.severity if req else "",
            "conformance": req.conformance if req else "", "capability": req.capability if req else "",
            "status": _status(covering, has_scenarios, reason), "reason": "" if covering else reason,
            "manual_review": any(s["manual_review"] for s in covering) or bool(MANUAL_REVIEW.search(reason)),
            "scenarios": [s["number"] for s in covering]}


def _status(covering: list[dict[str, Any]], has_scenarios: bool, reason: str) -> str:
    if covering:
        return worst(Verdict(s["verdict"]) for s in covering).value
    if has_scenarios:
        return "not_run"
    return "manual_review" if MANUAL_REVIEW.search(reason) else "not_tested"


def use_case_rows(scenarios: list[dict[str, Any]], layout: dict[str, Any],
                  requirements: dict[str, Requirement]) -> list[dict[str, Any]]:
    """One row per feature file of the catalogue (or, without a stored layout, per feature that ran)."""
    ran: dict[str, list[dict[str, Any]]] = {}
    for s in scenarios:
        ran.setdefault(s["feature_file"], []).append(s)
    if not layout["features"]:
        return [_use_case_from_run(group) for group in ran.values()]
    return [_use_case(index, feature, ran.get(feature["file"], []), requirements)
            for index, feature in enumerate(layout["features"], start=1)]


def _use_case(index: int, feature: dict[str, Any], ran: list[dict[str, Any]],
              requirements: dict[str, Requirement]) -> dict[str, Any]:
    optional = bool(feature["scenarios"]) and all(needs_capability(s["tags"], requirements)
                                                  for s in feature["scenarios"])
    slots = sum(max(1, int(s["examples"])) for s in feature["scenarios"])
    return {"id": f"3.{index}", "title": feature["name"], "file": feature["file"], "mandatory": "O" if optional else "M",
            "scenarios": len(ran), "in_catalogue": slots,
            "verdict": worst(Verdict(s["verdict"]) for s in ran).value if ran else "not_run"}


def _use_case_from_run(group: list[dict[str, Any]]) -> dict[str, Any]:
    optional = all(s["capabilities"] for s in group)
    return {"id": group[0]["number"].rsplit(".", 1)[0], "title": group[0]["feature"], "file": group[0]["feature_file"],
            "mandatory": "O" if optional else "M", "scenarios": len(group), "in_catalogue": len(group),
            "verdict": worst(Verdict(s["verdict"]) for s in group).value}
