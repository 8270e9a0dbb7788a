"""Section 3 of certification.html: per feature and scenario the six-column MedCom step table, failures, previews."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nspcert.results.html_catalogue import requirement_table, use_case_table
from nspcert.results.htmlkit import badge, clip, e, folded, kv, link, table
from nspcert.results.preview import readable

PREVIEW_LIMIT = 4000
SHOWN_LIMIT = 300  # characters of "Shown in …" text before the actual-result cell folds it


def the_test(summary: dict[str, Any], evidence_dir: Path) -> str:
    parts = ["<h2 id='test'>3 The test</h2><h3>Use cases</h3>", use_case_table(summary), "<h3>Requirements</h3>",
             requirement_table(summary)]
    feature = None
    requirement_text = {r["id"]: r for r in summary["requirements"]}
    described = {f["name"]: f["description"] for f in summary["evidence"]["files"]}
    for scenario in summary["scenarios"]:
        if scenario["feature_file"] != feature:
            feature = scenario["feature_file"]
            section = scenario["number"].rsplit(".", 1)[0]
            parts.append(f"\n<h3 id='s{e(section)}'>{e(section)} {e(scenario['feature'])}</h3>"
                         f"<p class='muted'>{e(feature)}</p>")
        parts.append(_scenario(scenario, requirement_text, described, evidence_dir))
    return "".join(parts)


def _scenario(s: dict[str, Any], reqs: dict[str, dict[str, Any]], described: dict[str, str],
              evidence_dir: Path) -> str:
    head = (f"\n<h4 id='s{e(s['number'])}'>{e(s['number'])} {e(s['name'])}{_example(s)} "
            f"{badge(s['verdict'], s['verdict_label'])} {badge(s['assessment'], s['assessment'])}</h4>")
    req_rows = "".join(f"<li><b>{e(r)}</b> {e(reqs.get(r, {}).get('title', ''))}"
                       f"<br><span class='muted'>{e(reqs.get(r, {}).get('text', ''))}</span></li>"
                       for r in s["requirements"])
    meta = f"<ul>{req_rows}</ul>" if req_rows else ""
    if s["manual_review"]:
        meta += "<p><b>Manual review:</b> a reviewer must judge the attached evidence.</p>"
    rows = [[e(st["number"]), e(st["action"]), _data_cell(st, described), e(st["expected"]),
             _actual_cell(st), badge(st["assessment"], st["assessment"])]
            for st in s["steps"]]
    steps = table(["Test step #", "Action", "Test data/test person", "Expected result", "Actual result",
                   "MedCom assessment"], rows)
    return head + meta + steps + _failure(s) + _previews(s, evidence_dir)


def _example(s: dict[str, Any]) -> str:
    """An outline's example row, so its scenarios' headings differ: ' (entered at = …, Danish time = …)'."""
    values = s.get("example") or {}
    return " <span class='muted'>(" + e(", ".join(f"{k} = {v}" for k, v in values.items())) + ")</span>" if values else ""


def _actual_cell(step: dict[str, Any]) -> str:
    """The headline, then what the screen showed and what the checks received: folded when long (a maximal
    stamkort shows a lot, a MinLog step checks many entries)."""
    headline, _, shown = step["actual"].partition("\n")
    if len(shown) <= SHOWN_LIMIT:
        return f"<span class='msg'>{e(step['actual'])}</span>"
    parts = ", ".join(dict.fromkeys(part["part"] for part in step.get("shown", [])))
    checks = ", ".join(dict.fromkeys(step.get("checked", [])))
    label = "; ".join(text for text in (f"Shown: {parts}" if parts else "", f"Checked: {checks}" if checks else "")
                      if text)
    return (f"<span class='msg'>{e(headline)}</span><details><summary>{e(clip(label, 120))}</summary>"
            f"<span class='msg'>{e(shown)}</span></details>")


def _data_cell(step: dict[str, Any], described: dict[str, str]) -> str:
    data = f"<span class='msg'>{e(step['data'])}</span>" if step["data"] else ""
    names = step["evidence"]
    links = folded([f"{link(n, described.get(n, ''))} <span class='muted'>{e(_short(described.get(n, '')))}</span>"
                    for n in names], f"{len(names)} evidence files ({names[0]} … {names[-1]})" if names else "")
    return "<br>".join(p for p in (data, links) if p)


def _short(description: str) -> str:
    """'sfsk-registry RegistryStoredQuery request, journal #41' → 'sfsk-registry RegistryStoredQuery'."""
    return description.split(", journal")[0].rsplit(" ", 1)[0] if ", journal" in description else description


def _failure(s: dict[str, Any]) -> str:
    if s["verdict"] in ("pass", "not_applicable"):
        return ""
    nc = s["nonconformance"] or {}
    rows = [("Verdict", e(s["verdict_label"]) + (f" (in {e(s['failed_phase'])})" if s["failed_phase"] else "")),
            ("Message", f"<span class='msg'>{e(s['message'])}</span>")]
    rows += [(label, f"<span class='msg'>{e(nc[key])}</span>") for key, label in
             (("check", "Check"), ("expected", "Expected"), ("received", "Received"), ("where", "Where"),
              ("requirement", "Requirement")) if nc.get(key)]
    if nc.get("evidence"):
        rows.append(("Evidence named by the check", ", ".join(link(str(name)) for name in nc["evidence"])))
    if s.get("reproduce"):
        rows.append(("How to reproduce", f"<code>{e(s['reproduce'])}</code>"))
    if s["waiver"]:
        w = s["waiver"]
        rows.append(("Waiver", e(f"{w['reason']} — {w['reviewer']}, {w['date']}")))
    details = (f"<details><summary>Technical details</summary><pre>{e(s['details'])}</pre></details>"
               if s["details"] else "")
    return kv(rows) + details


def _previews(s: dict[str, Any], evidence_dir: Path) -> str:
    """Inline previews of what was sent and received, for scenarios a reviewer must look into (not passes)."""
    if s["verdict"] == "pass" and not s["manual_review"]:
        return ""
    named = (s["nonconformance"] or {}).get("evidence", [])
    items = [_preview(evidence_dir / name) for name in dict.fromkeys([*named, *s["evidence"]])]
    label = f"{len(items)} evidence files, previewed"
    return f"<div><b>Evidence</b>{folded(items, label, separator='')}</div>" if items else ""


def _preview(path: Path) -> str:
    if not path.is_file() or path.suffix not in (".xml", ".json", ".txt") or path.name.endswith("_journal.json"):
        return f"<div>{link(path.name)}</div>"
    text = readable(path)
    cut = f"\n… ({len(text) - PREVIEW_LIMIT} more characters in the file)" if len(text) > PREVIEW_LIMIT else ""
    note = " <span class='muted'>(indented, SOAP Body first; the file is as recorded)</span>" if path.suffix == ".xml" else ""
    return f"\n<details><summary>{link(path.name)}{note}</summary><pre>{e(text[:PREVIEW_LIMIT] + cut)}</pre></details>"


