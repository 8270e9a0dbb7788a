"""The use-case and requirement tables of certification.html: every catalogue row, tested or not, and why not."""

from __future__ import annotations

from collections import Counter
from typing import Any

from nspcert.results.render.htmlkit import badge, e, table
from nspcert.results.render.words import Words


def use_case_table(summary: dict[str, Any], w: Words) -> str:
    ran = {s["number"].rsplit(".", 1)[0] for s in summary["scenarios"]}
    rows = [[f"UC{e(u['id'].split('.', 1)[1])}",
             f"<a href='#s{e(u['id'])}'>{e(u['id'])}</a>" if u["id"] in ran else e(u["id"]),
             e(u["title"]), e(w(f"use_case.{u['mandatory']}")),
             e(w("use_case.run.value", run=u["scenarios"], all=u.get("in_catalogue", u["scenarios"]))),
             badge(u["verdict"], w.status(u["verdict"]))] for u in summary["use_cases"]]
    headers = [e(w(key)) for key in ("use_case", "use_case.section", "use_case.title", "use_case.mandatory",
                                     "use_case.run", "use_case.verdict")]
    return f"<p>{e(w('use_cases.legend'))}</p>" + table(headers, rows)


def requirement_table(summary: dict[str, Any], w: Words) -> str:
    rows = [[e(r["id"]), e(r["title"]), e(r.get("level", "")), e(w.conformance(r["conformance"])), e(r["severity"]),
             _coverage(r, w), _status(r, w)] for r in summary["requirements"]]
    headers = [e(w(f"requirement{key}")) for key in ("", ".title", ".level", ".conformance", ".severity",
                                                      ".coverage", ".status")]
    return _status_counts(summary["requirements"], w) + table(headers, rows)


def _coverage(row: dict[str, Any], w: Words) -> str:
    if row["scenarios"]:
        return ", ".join(f"<a href='#s{e(n)}'>{e(n)}</a>" for n in row["scenarios"])
    if row["status"] == "not_run":
        return f"<span class='muted'>{e(w('requirement.selected_none'))}</span>"
    return f"<span class='muted'>{e(row['reason']) or e(w('requirement.no_reason'))}</span>"


def _status(row: dict[str, Any], w: Words) -> str:
    status = row["status"]
    text = badge(status, w.status(status))
    if row["manual_review"] and status != "manual_review":
        text += " " + badge("manual_review", w.status("manual_review"))
    return text


def _status_counts(rows: list[dict[str, Any]], w: Words) -> str:
    counts = Counter(r["status"] for r in rows)
    parts = ", ".join(f"{n} {w.status(status).lower()}" for status, n in counts.items())
    review = [r["id"] for r in rows if r["manual_review"]]
    also = w("requirements.also", ids=", ".join(review)) if review else ""
    return f"<p>{e(w('requirements.counts', n=len(rows), parts=parts))}{e(also)}</p>"
