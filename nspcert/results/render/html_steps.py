"""Section 3 of certification.html: per feature and scenario the six-column MedCom step table, failures, previews."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nspcert.results.render.html_catalogue import requirement_table, use_case_table
from nspcert.results.render.htmlkit import LIST_LIMIT, badge, clip, e, folded, kv, link, table
from nspcert.results.render.preview import readable
from nspcert.results.render.words import Words

PREVIEW_LIMIT = 4000
SHOWN_LIMIT = 300  # characters of "Shown in …" text before the actual-result cell folds it


def the_test(summary: dict[str, Any], evidence_dir: Path, w: Words) -> str:
    parts = [f"<h2 id='test'>3 {e(w('section.test'))}</h2><h3>{e(w('use_cases'))}</h3>", use_case_table(summary, w),
             f"<h3>{e(w('requirements'))}</h3>", requirement_table(summary, w)]
    feature = None
    requirement_text = {r["id"]: r for r in summary["requirements"]}
    described = {f["name"]: f["description"] for f in summary["evidence"]["files"]}
    for scenario in summary["scenarios"]:
        if scenario["feature_file"] != feature:
            feature = scenario["feature_file"]
            section = scenario["number"].rsplit(".", 1)[0]
            parts.append(f"\n<h3 id='s{e(section)}'>{e(section)} {e(scenario['feature'])}</h3>"
                         f"<p class='muted'>{e(feature)}</p>")
        parts.append(_scenario(scenario, requirement_text, described, evidence_dir, w))
    return "".join(parts)


def _scenario(s: dict[str, Any], reqs: dict[str, dict[str, Any]], described: dict[str, str],
              evidence_dir: Path, w: Words) -> str:
    head = (f"\n<h4 id='s{e(s['number'])}'>{e(s['number'])} {e(s['name'])}{_example(s)} "
            f"{badge(s['verdict'], s['verdict_label'])} {badge(s['assessment'], w.mark(s['assessment']))}</h4>")
    req_rows = "".join(f"<li><b>{e(r)}</b> {e(reqs.get(r, {}).get('title', ''))}"
                       f"<br><span class='muted'>{e(reqs.get(r, {}).get('text', ''))}</span></li>"
                       for r in s["requirements"])
    meta = f"<ul>{req_rows}</ul>" if req_rows else ""
    if s["manual_review"]:
        meta += f"<p>{w('scenario.manual_review')}</p>"
    rows = [[e(st["number"]), e(st["action"]), _data_cell(st, described, w), e(st["expected"]),
             _actual_cell(st, w), badge(st["assessment"], w.mark(st["assessment"]))]
            for st in s["steps"]]
    steps = table([e(w(f"step.{column}")) for column in ("number", "action", "data", "expected", "actual",
                                                         "assessment")], rows)
    return head + meta + steps + _failure(s, w) + _previews(s, evidence_dir, w)


def _example(s: dict[str, Any]) -> str:
    """An outline's example row, so its scenarios' headings differ: ' (entered at = …, Danish time = …)'."""
    values = s.get("example") or {}
    return " <span class='muted'>(" + e(", ".join(f"{k} = {v}" for k, v in values.items())) + ")</span>" if values else ""


def _actual_cell(step: dict[str, Any], w: Words) -> str:
    """The headline, then what the screen showed and what the checks received: folded when long (a maximal
    stamkort shows a lot, a MinLog step checks many entries)."""
    headline, _, shown = step["actual"].partition("\n")
    if len(shown) <= SHOWN_LIMIT:
        return f"<span class='msg'>{e(step['actual'])}</span>"
    parts = ", ".join(dict.fromkeys(part["part"] for part in step.get("shown", [])))
    checks = ", ".join(dict.fromkeys(step.get("checked", [])))
    label = "; ".join(text for text in (w("step.fold.shown", parts=parts) if parts else "",
                                        w("step.fold.checked", checks=checks) if checks else "") if text)
    return (f"<span class='msg'>{e(headline)}</span><details><summary>{e(clip(label, 120))}</summary>"
            f"<span class='msg'>{e(shown)}</span></details>")


def _data_cell(step: dict[str, Any], described: dict[str, str], w: Words) -> str:
    data = f"<span class='msg'>{e(step['data'])}</span>" if step["data"] else ""
    names = step["evidence"]
    links = folded([f"{link(n, described.get(n, ''))} <span class='muted'>{e(_short(described.get(n, '')))}</span>"
                    for n in names], w("step.files", n=len(names), first=names[0], last=names[-1]) if names else "",
                   more=w("evidence.more_items", n=len(names) - LIST_LIMIT))
    return "<br>".join(p for p in (data, links) if p)


def _short(description: str) -> str:
    """'sfsk-registry RegistryStoredQuery request, journal #41' → 'sfsk-registry RegistryStoredQuery'."""
    return description.split(", journal")[0].rsplit(" ", 1)[0] if ", journal" in description else description


def _failure(s: dict[str, Any], w: Words) -> str:
    if s["verdict"] in ("pass", "not_applicable"):
        return ""
    nc = s["nonconformance"] or {}
    phase = e(w("failure.in", phase=w.phase(s["failed_phase"]))) if s["failed_phase"] else ""
    rows = [(e(w("failure.verdict")), e(s["verdict_label"]) + phase),
            (e(w("failure.message")), f"<span class='msg'>{e(s['message'])}</span>")]
    rows += [(e(w(f"failure.{key}")), f"<span class='msg'>{e(nc[key])}</span>")
             for key in ("check", "expected", "received", "where", "requirement") if nc.get(key)]
    if nc.get("evidence"):
        rows.append((e(w("failure.evidence")), ", ".join(link(str(name)) for name in nc["evidence"])))
    if s.get("reproduce"):
        rows.append((e(w("failure.reproduce")), f"<code>{e(s['reproduce'])}</code>"))
    if s["waiver"]:
        waiver = s["waiver"]
        rows.append((e(w("failure.waiver")), e(f"{waiver['reason']} — {waiver['reviewer']}, {waiver['date']}")))
    details = (f"<details><summary>{e(w('failure.details'))}</summary><pre>{e(s['details'])}</pre></details>"
               if s["details"] else "")
    return kv(rows) + details


def _previews(s: dict[str, Any], evidence_dir: Path, w: Words) -> str:
    """Inline previews of what was sent and received, for scenarios a reviewer must look into (not passes)."""
    if s["verdict"] == "pass" and not s["manual_review"]:
        return ""
    named = (s["nonconformance"] or {}).get("evidence", [])
    items = [_preview(evidence_dir / name, w) for name in dict.fromkeys([*named, *s["evidence"]])]
    label = w("evidence.previewed", n=len(items))
    more = w("evidence.more_items", n=len(items) - LIST_LIMIT)
    return f"<div><b>{e(w('evidence'))}</b>{folded(items, label, separator='', more=more)}</div>" if items else ""


def _preview(path: Path, w: Words) -> str:
    if not path.is_file() or path.suffix not in (".xml", ".json", ".txt") or path.name.endswith("_journal.json"):
        return f"<div>{link(path.name)}</div>"
    text = readable(path)
    cut = "\n" + w("evidence.more_chars", n=len(text) - PREVIEW_LIMIT) if len(text) > PREVIEW_LIMIT else ""
    note = f" <span class='muted'>{e(w('evidence.indented'))}</span>" if path.suffix == ".xml" else ""
    return f"\n<details><summary>{link(path.name)}{note}</summary><pre>{e(text[:PREVIEW_LIMIT] + cut)}</pre></details>"


