"""certification.html: one self-contained file in MedCom's test-protocol layout, rendered from summary.json.

Layout (certification-process.md §1.3): front matter (standard table, change log, contents) · 1 Introduction
(purpose, self-test, test persons, tools, the F1–F4/OK scale) · 2 Vendor, SUT and result (vendor table, SUT
table with the test type, versions, result table, verdict counts) · 3 The test (use-case table, requirement
table, then per feature and scenario the six-column step table with links into ``evidence/``) · appendix
(evidence index with SHA-256, harness errors). Inline CSS only; no script, font or image is fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nspcert.results.html_steps import the_test
from nspcert.results.htmlkit import CSS, LIST_LIMIT, badge, e, kv, link, table

SCALE = [("F1", "Critical (kritisk)"), ("F2", "Serious (alvorlig)"), ("F3", "Significant (betydelig)"),
         ("F4", "Less significant (mindre betydelig)"), ("OK", "Approved (godkendt)"),
         ("Not relevant", "Not an error (ikke relevant)")]


def _approval(summary: dict[str, Any]) -> str:
    scenarios = summary["scenarios"]
    if summary["harness_errors"] or any(s["verdict"] == "error" for s in scenarios):
        return "Cannot be assessed: the run had harness errors"
    if summary["counts"]["pass"] + summary["counts"]["fail"] + summary["counts"]["waived"] == 0:
        return "Cannot be assessed: nothing applicable ran"
    blocking = [s for s in scenarios if s["verdict"] == "fail" and s["severity"] in ("F1", "F2", "F3")]
    proposal = "No: F1–F3 findings remain" if blocking else "Yes (proposed): only OK and F4 marks remain"
    return proposal + _pending(summary["requirements"])


def _pending(requirements: list[dict[str, Any]]) -> str:
    """What the harness could not judge: the reviewer still has to (the automated proposal does not cover it)."""
    manual = [r["id"] for r in requirements if r["manual_review"]]
    unjudged = [r["id"] for r in requirements if r["status"] == "not_run"]
    notes = ([f"{len(manual)} requirement(s) need manual review ({', '.join(manual)})"] if manual else []) + (
        [f"{len(unjudged)} requirement(s) not run in this run"] if unjudged else [])
    return "; " + "; ".join(notes) if notes else ""


def front_matter(summary: dict[str, Any]) -> str:
    versions = summary["versions"]
    standard = table(["English name", "Danish name", "Version", "Type"],
                      [["Shared Patient Master Card (FSK) incl. opt-out of resuscitation (FGVH)",
                        "Fælles Stamkort incl. fravalg af genoplivning ved hjertestop", "3.0 (PDC-DK 3.0)",
                        "Test protocol (generated)"]])
    changelog = table(["Version", "Initials", "Date", "Description"],
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
        "<h3>1.4 Test tools</h3>" + table(["Component", "Version"],
                                           [[e(k), e(v)] for k, v in summary["versions"].items()]) +
        "<h3>1.5 Test result scale</h3>" + table(["Mark", "Meaning"], [[e(m), e(t)] for m, t in SCALE]) +
        "<p>Approval requires that only OK and F4 marks remain. The harness proposes the mark from the verdict and "
        "the requirement's severity; a harness error is <em>Not assessed</em> and is never blamed on the vendor.</p>"
    )


def vendor_sut_result(summary: dict[str, Any]) -> str:
    return ("<h2 id='sut'>2 Vendor, SUT and result</h2>" + _banner(summary) + "<h3>2.1 Vendor</h3>" +
            _vendor(summary) + "<h3>2.2 System under test</h3>" + _sut(summary) + "<h3>2.3 Result</h3>" +
            _result(summary) + _waivers(summary))


def _banner(summary: dict[str, Any]) -> str:
    if not summary["harness_errors"]:
        return ""
    items = "".join(f"<li><b>{e(h['where'])}</b>: <span class='msg'>{e(h['message'][:2000])}</span></li>"
                    for h in summary["harness_errors"])
    return f"<div class='banner'><b>Harness errors — this run certifies nothing.</b><ul>{items}</ul></div>"


def _sut(summary: dict[str, Any]) -> str:
    sut, options = summary["sut"], summary["options"]
    boxes = " ".join(("☒ " if summary["test_type"] == t else "☐ ") + label
                     for t, label in (("self-test", "Self-test"), ("certification", "Final test/certification")))
    return kv([("System", e(sut["system"])), ("Version", e(sut["version"])), ("Description", e(sut["description"])),
               ("Capabilities claimed", e(", ".join(sut["capabilities"]) or "none")), ("Test type", boxes),
               ("SUT / NSP", e(f"{options.get('sut', '')} / {options.get('nsp', '')}")),
               ("Level", e(options.get("level", "all")))])


def _result(summary: dict[str, Any]) -> str:
    counts = summary["counts"]
    return (kv([("Test date", e(summary["started"][:10])), ("Test location", "nspcert (automated)"),
                ("Approved", e(_approval(summary))), ("Remarks", ""), ("Carried out by", "")]) +
            table(["Pass", "Fail", "Waived", "Not applicable", "Error", "Total", "Run result"],
                  [[*(str(counts[k]) for k in ("pass", "fail", "waived", "not_applicable", "error", "total")),
                    badge(summary["result"], f"{summary['result']} (exit {summary['exit_code']})")]]))


def _vendor(summary: dict[str, Any]) -> str:
    vendor = summary.get("vendor") or {"company": summary["sut"]["vendor"]}
    rows = [(label, e(vendor.get(key, ""))) for key, label in
            (("company", "Company"), ("address", "Address"), ("contact", "Contact"), ("phone", "Phone"),
             ("email", "Email"))]
    missing = "" if any(vendor.get(k) for k in ("address", "contact", "phone", "email")) else (
        "<p class='muted'>Fill in the vendor table with a [vendor] table in the --config file (see README).</p>")
    return kv(rows) + missing


def _waivers(summary: dict[str, Any]) -> str:
    if not summary["waivers"]:
        return ""
    rows = [[e(w["requirement"]), e(w["reason"]), e(w["reviewer"]), e(w["date"]), "yes" if w["applied"] else "no"]
            for w in summary["waivers"]]
    return "<h4>Waivers</h4>" + table(["Requirement", "Reason", "Reviewer", "Date", "Applied"], rows)


def appendix(summary: dict[str, Any]) -> str:
    """The evidence index, one folded table per scenario (the manifest in the zip has the same SHA-256 values)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in summary["evidence"]["files"]:
        groups.setdefault(f["scenario"], []).append(f)
    names = {s["nodeid"]: f"{s['number']} {s['name']}" for s in summary["scenarios"]}
    sections = [_evidence_group(names.get(nodeid, nodeid), files) for nodeid, files in groups.items()]
    return ("<h2 id='appendix'>Appendix: evidence index</h2><p>The files are in <code>evidence.zip</code> "
            "(unzip it: it holds this report beside <code>evidence/</code>, so the links work there); "
            "<code>manifest.json</code> in the zip lists every file's SHA-256 and that of this report.</p>" +
            "".join(sections))


def _evidence_group(title: str, files: list[dict[str, Any]]) -> str:
    rows = [[link(f["name"]), e(f["step"]), e(f["direction"]), e(f["description"]), f"<code>{e(f['sha256'])}</code>"]
            for f in files[:LIST_LIMIT]]
    more = (f"<p class='muted'>… and {len(files) - LIST_LIMIT} more files of this scenario, listed in manifest.json."
            "</p>" if len(files) > LIST_LIMIT else "")
    return (f"\n<details><summary>{e(title)}: {len(files)} files</summary>"
            f"{table(['File', 'Step', 'S/R', 'Content', 'SHA-256'], rows)}{more}</details>")


def render(summary: dict[str, Any], evidence_dir: Path) -> str:
    """The whole report as one HTML string."""
    body = (front_matter(summary) + introduction(summary) + vendor_sut_result(summary) +
            the_test(summary, evidence_dir) + appendix(summary))
    title = f"FSK 3.0 test protocol — {summary['sut']['system']} {summary['sut']['version']}"
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")
