"""Section 2.4 of certification.html when the run has a baseline: what moved since it (:mod:`nspcert.results.render.delta`).

A reviewer re-certifying release 24.4 after an approved 24.3 reads the versions on both sides, the requirements
whose verdict changed, the scenarios added and removed, and for each changed scenario its changed steps with the
two actual results side by side.
"""

from __future__ import annotations

from typing import Any

from nspcert.results.render.htmlkit import badge, e, table
from nspcert.results.render.words import LANGUAGE_NAMES, Words


def delta_section(summary: dict[str, Any], w: Words) -> str:
    delta = summary.get("delta")
    if not delta:
        return ""
    baseline = delta["baseline"]
    parts = [f"<h3 id='delta'>2.4 {e(w('section.delta'))}</h3><p>{e(w('delta.intro', old=baseline['run_id']))}</p>"]
    if baseline.get("language", w.language) != summary.get("language", w.language):
        parts.append(f"<p class='muted'>{e(w('delta.languages', old=_language(baseline.get('language')), new=_language(summary.get('language'))))}</p>")
    headers = [e(w("delta.what")), e(w("delta.old", run_id=baseline["run_id"])), e(w("delta.new", run_id=summary["run_id"]))]
    parts.append(f"<h4>{e(w('delta.versions'))}</h4>" + table(headers, [
        [e(row["what"]), _changed(row["old"], row["new"]), _changed(row["new"], row["old"])] for row in delta["versions"]]))
    if not any(delta[key] for key in ("requirements", "added", "removed", "scenarios")):
        return "".join(parts) + f"<p>{e(w('delta.same'))}</p>"
    parts.append(_requirements(delta, headers, w))
    parts += [_listed(delta[key], w(f"delta.{key}"), w) for key in ("added", "removed") if delta[key]]
    if delta["scenarios"]:
        parts.append(f"<h4>{e(w('delta.scenarios'))}</h4>" + "".join(_scenario(s, headers, w) for s in delta["scenarios"]))
    return "".join(parts)


def _language(code: object) -> str:
    return LANGUAGE_NAMES.get(str(code), str(code))


def _changed(value: str, other: str) -> str:
    return f"<b>{e(value)}</b>" if value != other else e(value)


def _requirements(delta: dict[str, Any], headers: list[str], w: Words) -> str:
    if not delta["requirements"]:
        return f"<h4>{e(w('delta.requirements'))}</h4><p>{e(w('delta.requirements.none'))}</p>"
    rows = [[f"<b>{e(r['id'])}</b> {e(r['title'])}", badge(r["old"], w.status(r["old"])),
             badge(r["new"], w.status(r["new"]))] for r in delta["requirements"]]
    return f"<h4>{e(w('delta.requirements'))}</h4>" + table([e(w("requirement")), *headers[1:]], rows)


def _listed(scenarios: list[dict[str, Any]], title: str, w: Words) -> str:
    rows = [[e(s["number"]), e(s["name"]), badge(s["verdict"], w.verdict(s["verdict"]))] for s in scenarios]
    return f"<h4>{e(title)}</h4>" + table([e(w("step.number")), e(w("delta.scenario")), e(w("use_case.verdict"))], rows)


def _scenario(s: dict[str, Any], headers: list[str], w: Words) -> str:
    number = s["number"] if s["number"] == s["old_number"] else f"{s['old_number']} → {s['number']}"
    head = (f"\n<h4>{e(number)} {e(s['name'])}: {badge(s['old'], w.verdict(s['old']))} → "
            f"{badge(s['new'], w.verdict(s['new']))}</h4>")
    rows = [[f"{e(step['number'])} {e(step['action'])}", _side(step["old"], w), _side(step["new"], w)]
            for step in s["steps"]]
    return head + (table([e(w("delta.steps")), *headers[1:]], rows) if rows else "")


def _side(side: dict[str, str] | None, w: Words) -> str:
    if side is None:
        return f"<span class='muted'>{e(w('delta.absent'))}</span>"
    return f"{badge(side['assessment'], w.mark(side['assessment']))}<br><span class='msg'>{e(side['actual'])}</span>"
