"""certification.html: one self-contained file in MedCom's test-protocol layout, rendered from summary.json.

Layout (certification-process.md §1.3): front matter (standard table, change log, contents) · 1 Introduction
(purpose, self-test, test persons, tools, the F1–F4/OK scale) · 2 Vendor, SUT and result (vendor table, SUT
table with the test type, versions, result table, verdict counts) · 3 The test (use-case table, requirement
table, then per feature and scenario the six-column step table with links into ``evidence/``) · appendix
(evidence index with SHA-256, harness errors). Inline CSS only; no script, font or image is fetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

PREVIEW_LIMIT = 4000
SHOWN_LIMIT = 300  # characters of "Shown in …" text before the actual-result cell folds it

CSS = """
body{font-family:Calibri,Arial,Helvetica,sans-serif;font-size:10.5pt;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:20pt;color:#1f3864}h2{font-size:15pt;color:#1f3864;border-bottom:2px solid #1f3864;margin-top:2em}
h3{font-size:12.5pt;color:#2f5496;margin-top:1.6em}h4{font-size:11pt;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #999;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#d9e2f3}table.kv th{width:28%}
.pass,.OK{background:#e2efda}.fail,.F1,.F2,.F3{background:#f8cbad}.F4{background:#fff2cc}
.error{background:#d9d9d9}.not_applicable,.Not{background:#ededed}.waived{background:#fff2cc}
.badge{display:inline-block;padding:1px 8px;border-radius:3px;font-weight:bold}
.banner{padding:.6em 1em;border:2px solid #c00000;background:#fbe5d6;margin:1em 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;border:1px solid #ddd;padding:6px;font-size:9pt}
.msg{white-space:pre-wrap;font-family:Consolas,monospace;font-size:9pt}.muted{color:#666}
details{margin:.2em 0}summary{cursor:pointer}@media print{details{display:block}a{color:#000}}
"""

SCALE = [("F1", "Critical (kritisk)"), ("F2", "Serious (alvorlig)"), ("F3", "Significant (betydelig)"),
         ("F4", "Less significant (mindre betydelig)"), ("OK", "Approved (godkendt)"),
         ("Not relevant", "Not an error (ikke relevant)")]


def e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("\n<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'\n<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}\n</tbody></table>\n'


def _kv(rows: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"\n<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return f'\n<table class="kv"><tbody>{body}\n</tbody></table>\n'


def _badge(css: str, text: str) -> str:
    return f'<span class="badge {e(css.split()[0])}">{e(text)}</span>'


def _link(name: str, title: str = "") -> str:
    hint = f' title="{e(title)}"' if title else ""
    return f'<a href="evidence/{e(name)}"{hint}>{e(name)}</a>'


def _approval(summary: dict[str, Any]) -> str:
    scenarios = summary["scenarios"]
    if summary["harness_errors"] or any(s["verdict"] == "error" for s in scenarios):
        return "Cannot be assessed: the run had harness errors"
    if summary["counts"]["pass"] + summary["counts"]["fail"] + summary["counts"]["waived"] == 0:
        return "Cannot be assessed: nothing applicable ran"
    blocking = [s for s in scenarios if s["verdict"] == "fail" and s["severity"] in ("F1", "F2", "F3")]
    return "No: F1–F3 findings remain" if blocking else "Yes (proposed): only OK and F4 marks remain"


def front_matter(summary: dict[str, Any]) -> str:
    versions = summary["versions"]
    standard = _table(["English name", "Danish name", "Version", "Type"],
                      [["Shared Patient Master Card (FSK) incl. opt-out of resuscitation (FGVH)",
                        "Fælles Stamkort incl. fravalg af genoplivning ved hjertestop", "3.0 (PDC-DK 3.0)",
                        "Test protocol (generated)"]])
    changelog = _table(["Version", "Initials", "Date", "Description"],
                       [[e(versions.get("nspcert")), "nspcert", e(summary["started"][:10]),
                         f"Generated from run {e(summary['run_id'])}"]])
    toc = ("<ol><li><a href='#intro'>Introduction</a></li><li><a href='#sut'>Vendor, SUT and result</a></li>"
           "<li><a href='#test'>The test</a></li><li><a href='#appendix'>Evidence index</a></li></ol>")
    return (f"<h1>Test protocol — Fælles Stamkort 3.0</h1><p class='muted'>Run {e(summary['run_id'])} · "
            f"{e(summary['started'])} – {e(summary['finished'])}</p>{standard}<h4>Change log</h4>{changelog}"
            f"<h4>Contents</h4>{toc}")


def introduction(summary: dict[str, Any]) -> str:
    check = summary["evidence"]["cpr_check"]
    cpr = ("All CPR numbers in the evidence are synthetic " if check["passed"] else
           "<strong>The synthetic-CPR check FAILED</strong> ") + f"({check['candidates']} distinct numbers checked)."
    return (
        "<h2 id='intro'>1 Introduction</h2><h3>1.1 Purpose</h3><p>This protocol documents an automated run of the "
        "nspcert catalogue against the system under test (SUT): the SUT talked to a mock NSP that speaks the real "
        "NSP protocols, every exchange was recorded, and each check was judged by the harness.</p>"
        "<h3>1.2 Documentation of the test</h3><p>Every step below names the evidence files it produced: "
        "<code>FSK_&lt;step&gt;_&lt;letter&gt;_S</code> is what the SUT sent, <code>…_R</code> what it received. "
        "They are in <code>evidence.zip</code>, whose <code>manifest.json</code> holds the SHA-256 of every file "
        "and of this report.</p>"
        f"<h3>1.3 Test persons</h3><p>Synthetic citizens and employees created in the mock NSP. {cpr}</p>"
        "<h3>1.4 Test tools</h3>" + _table(["Component", "Version"],
                                           [[e(k), e(v)] for k, v in summary["versions"].items()]) +
        "<h3>1.5 Test result scale</h3>" + _table(["Mark", "Meaning"], [[e(m), e(t)] for m, t in SCALE]) +
        "<p>Approval requires that only OK and F4 marks remain. The harness proposes the mark from the verdict and "
        "the requirement's severity; a harness error is <em>Not assessed</em> and is never blamed on the vendor.</p>"
    )


def vendor_sut_result(summary: dict[str, Any]) -> str:
    sut = summary["sut"]
    test_type = summary["test_type"]
    boxes = " ".join(("☒ " if test_type == t else "☐ ") + label
                     for t, label in (("self-test", "Self-test"), ("certification", "Final test/certification")))
    counts = summary["counts"]
    banner = ""
    if summary["harness_errors"]:
        items = "".join(f"<li><b>{e(h['where'])}</b>: <span class='msg'>{e(h['message'][:2000])}</span></li>"
                        for h in summary["harness_errors"])
        banner = f"<div class='banner'><b>Harness errors — this run certifies nothing.</b><ul>{items}</ul></div>"
    return (
        "<h2 id='sut'>2 Vendor, SUT and result</h2>" + banner + "<h3>2.1 Vendor</h3>" +
        _kv([("Company", e(sut["vendor"])), ("Address", ""), ("Contact", ""), ("Phone", ""), ("Email", "")]) +
        "<h3>2.2 System under test</h3>" +
        _kv([("System", e(sut["system"])), ("Version", e(sut["version"])), ("Description", e(sut["description"])),
             ("Capabilities claimed", e(", ".join(sut["capabilities"]) or "none")), ("Test type", boxes),
             ("SUT / NSP", e(f"{summary['options'].get('sut', '')} / {summary['options'].get('nsp', '')}")),
             ("Level", e(summary["options"].get("level", "all")))]) +
        "<h3>2.3 Result</h3>" +
        _kv([("Test date", e(summary["started"][:10])), ("Test location", "nspcert (automated)"),
             ("Approved", e(_approval(summary))), ("Remarks", ""), ("Carried out by", "")]) +
        _table(["Pass", "Fail", "Waived", "Not applicable", "Error", "Total", "Run result"],
               [[str(counts["pass"]), str(counts["fail"]), str(counts["waived"]), str(counts["not_applicable"]),
                 str(counts["error"]), str(counts["total"]),
                 _badge(summary["result"], f"{summary['result']} (exit {summary['exit_code']})")]]) +
        _waivers(summary)
    )


def _waivers(summary: dict[str, Any]) -> str:
    if not summary["waivers"]:
        return ""
    rows = [[e(w["requirement"]), e(w["reason"]), e(w["reviewer"]), e(w["date"]), "yes" if w["applied"] else "no"]
            for w in summary["waivers"]]
    return "<h4>Waivers</h4>" + _table(["Requirement", "Reason", "Reviewer", "Date", "Applied"], rows)


def the_test(summary: dict[str, Any], evidence_dir: Path) -> str:
    use_cases = _table(["Use case", "Section", "Title", "M/O", "Scenarios", "Verdict"],
                       [[f"UC{e(u['id'].split('.', 1)[1])}", f"<a href='#s{e(u['id'])}'>{e(u['id'])}</a>",
                         e(u["title"]), e(u["mandatory"]), str(u["scenarios"]), _badge(u["verdict"], u["verdict"])]
                        for u in summary["use_cases"]])
    reqs = _table(["Requirement", "Title", "Severity", "Scenarios", "Verdict"],
                  [[e(r["id"]), e(r["title"]), e(r["severity"]),
                    ", ".join(f"<a href='#s{e(n)}'>{e(n)}</a>" for n in r["scenarios"]),
                    _badge(r["verdict"], r["verdict"])] for r in summary["requirements"]])
    parts = ["<h2 id='test'>3 The test</h2><h3>Use cases</h3>", use_cases, "<h3>Requirements</h3>", reqs]
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
            f"{_badge(s['verdict'], s['verdict_label'])} {_badge(s['assessment'], s['assessment'])}</h4>")
    req_rows = "".join(f"<li><b>{e(r)}</b> {e(reqs.get(r, {}).get('title', ''))}"
                       f"<br><span class='muted'>{e(reqs.get(r, {}).get('text', ''))}</span></li>"
                       for r in s["requirements"])
    meta = f"<ul>{req_rows}</ul>" if req_rows else ""
    if s["manual_review"]:
        meta += "<p><b>Manual review:</b> a reviewer must judge the attached evidence.</p>"
    rows = [[e(st["number"]), e(st["action"]), _data_cell(st, described), e(st["expected"]),
             _actual_cell(st), _badge(st["assessment"], st["assessment"])]
            for st in s["steps"]]
    table = _table(["Test step #", "Action", "Test data/test person", "Expected result", "Actual result",
                    "MedCom assessment"], rows)
    return head + meta + table + _failure(s) + _previews(s, evidence_dir)


def _example(s: dict[str, Any]) -> str:
    """An outline's example row, so its scenarios' headings differ: ' (entered at = …, Danish time = …)'."""
    values = s.get("example") or {}
    return " <span class='muted'>(" + e(", ".join(f"{k} = {v}" for k, v in values.items())) + ")</span>" if values else ""


def _actual_cell(step: dict[str, Any]) -> str:
    """The headline, then what the screen showed: folded when long (a maximal stamkort shows a lot)."""
    headline, _, shown = step["actual"].partition("\n")
    if len(shown) <= SHOWN_LIMIT:
        return f"<span class='msg'>{e(step['actual'])}</span>"
    parts = ", ".join(dict.fromkeys(part["part"] for part in step.get("shown", [])))
    return (f"<span class='msg'>{e(headline)}</span><details><summary>Shown: {e(_clip(parts, 120))}</summary>"
            f"<span class='msg'>{e(shown)}</span></details>")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _data_cell(step: dict[str, Any], described: dict[str, str]) -> str:
    data = f"<span class='msg'>{e(step['data'])}</span>" if step["data"] else ""
    links = "<br>".join(f"{_link(n, described.get(n, ''))} <span class='muted'>{e(_short(described.get(n, '')))}</span>"
                        for n in step["evidence"])
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
        rows.append(("Evidence named by the check", e(", ".join(map(str, nc["evidence"])))))
    if s.get("reproduce"):
        rows.append(("How to reproduce", f"<code>{e(s['reproduce'])}</code>"))
    if s["waiver"]:
        w = s["waiver"]
        rows.append(("Waiver", e(f"{w['reason']} — {w['reviewer']}, {w['date']}")))
    details = (f"<details><summary>Technical details</summary><pre>{e(s['details'])}</pre></details>"
               if s["details"] else "")
    return _kv(rows) + details


def _previews(s: dict[str, Any], evidence_dir: Path) -> str:
    """Inline previews of what was sent and received, for scenarios a reviewer must look into (not passes)."""
    if s["verdict"] == "pass" and not s["manual_review"]:
        return ""
    items = []
    for name in s["evidence"]:
        path = evidence_dir / name
        if not path.is_file() or path.suffix not in (".xml", ".json", ".txt") or name.endswith("_journal.json"):
            items.append(f"<div>{_link(name)}</div>")
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        cut = f"\n… ({len(text) - PREVIEW_LIMIT} more characters in the file)" if len(text) > PREVIEW_LIMIT else ""
        items.append(f"\n<details><summary>{_link(name)}</summary><pre>{e(text[:PREVIEW_LIMIT] + cut)}</pre></details>")
    return f"<div><b>Evidence</b>{''.join(items)}</div>" if items else ""


def appendix(summary: dict[str, Any]) -> str:
    rows = [[_link(f["name"]), e(f["step"]), e(f["direction"]), e(f["description"]),
             f"<code>{e(f['sha256'])}</code>"] for f in summary["evidence"]["files"]]
    return ("<h2 id='appendix'>Appendix: evidence index</h2><p>The files are in <code>evidence.zip</code> "
            "(unzip next to this report for the links to work); <code>manifest.json</code> in the zip lists the same "
            "SHA-256 values and that of this report.</p>" +
            _table(["File", "Step", "S/R", "Content", "SHA-256"], rows))


def render(summary: dict[str, Any], evidence_dir: Path) -> str:
    """The whole report as one HTML string."""
    body = (front_matter(summary) + introduction(summary) + vendor_sut_result(summary) +
            the_test(summary, evidence_dir) + appendix(summary))
    title = f"FSK 3.0 test protocol — {summary['sut']['system']} {summary['sut']['version']}"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")
