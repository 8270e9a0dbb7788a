"""The use-case and requirement tables of certification.html: every catalogue row, tested or not, and why not."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nspcert.results.htmlkit import badge, e, table

STATUS_LABELS = {
    "pass": "Pass", "fail": "Fail", "error": "Error (harness)", "not_applicable": "Not applicable",
    "waived": "Waived", "not_run": "Not run in this run", "manual_review": "Needs manual review",
    "not_tested": "Not tested",
}


def use_case_table(summary: dict[str, Any]) -> str:
    ran = {s["number"].rsplit(".", 1)[0] for s in summary["scenarios"]}
    rows = [[f"UC{e(u['id'].split('.', 1)[1])}",
             f"<a href='#s{e(u['id'])}'>{e(u['id'])}</a>" if u["id"] in ran else e(u["id"]),
             e(u["title"]), e(u["mandatory"]), f"{u['scenarios']} of {u.get('in_catalogue', u['scenarios'])}",
             badge(u["verdict"], STATUS_LABELS.get(u["verdict"], u["verdict"]))] for u in summary["use_cases"]]
    return ("<p>M = mandatory; O = optional: every scenario of the use case needs a capability the SUT may "
            "leave unclaimed.</p>" + table(["Use case", "Section", "Title", "M/O", "Scenarios run", "Verdict"], rows))


def requirement_table(summary: dict[str, Any]) -> str:
    rows = [[e(r["id"]), e(r["title"]), e(r.get("level", "")), e(r["conformance"]), e(r["severity"]),
             _coverage(r), _status(r)] for r in summary["requirements"]]
    return _status_counts(summary["requirements"]) + table(
        ["Requirement", "Title", "Level", "SHALL/ SHOULD", "Severity", "Scenarios, or why none", "Status"], rows)


def _coverage(row: dict[str, Any]) -> str:
    if row["scenarios"]:
        return ", ".join(f"<a href='#s{e(n)}'>{e(n)}</a>" for n in row["scenarios"])
    if row["status"] == "not_run":
        return "<span class='muted'>The catalogue has scenarios for it; this run selected none.</span>"
    return f"<span class='muted'>{e(row['reason']) or 'No scenario and no reason given.'}</span>"


def _status(row: dict[str, Any]) -> str:
    status = row["status"]
    text = badge(status, STATUS_LABELS.get(status, status))
    if row["manual_review"] and status != "manual_review":
        text += " " + badge("manual_review", "Needs manual review")
    return text


def _status_counts(rows: list[dict[str, Any]]) -> str:
    counts = Counter(r["status"] for r in rows)
    parts = ", ".join(f"{n} {STATUS_LABELS.get(status, status).lower()}" for status, n in counts.items())
    review = [r["id"] for r in rows if r["manual_review"]]
    also = f" A reviewer assesses these by hand as well: {', '.join(review)}." if review else ""
    return f"<p>{len(rows)} requirements in the catalogue: {e(parts)}.{e(also)}</p>"
