"""certification.html: one self-contained file in MedCom's test-protocol layout, rendered from summary.json.

Layout (certification-process.md §1.3): front matter (standard table, change log, contents) · 1 Introduction
(purpose, self-test, test persons, tools, the F1–F4/OK scale) · 2 Vendor, SUT and result (vendor table, SUT
table with the test type, versions, result table, verdict counts) · 3 The test (use-case table, requirement
table, then per feature and scenario the six-column step table with links into ``evidence/``) · appendix
(evidence index with SHA-256, harness errors); with a baseline run, the changes since it
(:mod:`nspcert.results.render.html_delta`). In Danish (MedCom's words, :mod:`nspcert.results.render.words`) unless the summary's
``language`` is ``en``. Inline CSS only; no script, font or image is fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nspcert.results.render.html_delta import delta_section
from nspcert.results.render.html_steps import the_test
from nspcert.results.render.htmlkit import CSS, LIST_LIMIT, badge, e, kv, link, table
from nspcert.results.render.words import Words

MARKS = ("F1", "F2", "F3", "F4", "OK", "Not relevant")


def _approval(summary: dict[str, Any], w: Words) -> str:
    scenarios = summary["scenarios"]
    if summary["harness_errors"] or any(s["verdict"] == "error" for s in scenarios):
        return w("approval.errors")
    if summary["counts"]["pass"] + summary["counts"]["fail"] + summary["counts"]["waived"] == 0:
        return w("approval.nothing")
    blocking = [s for s in scenarios if s["verdict"] == "fail" and s["severity"] in ("F1", "F2", "F3")]
    proposal = w("approval.no") if blocking else w("approval.yes")
    return proposal + _pending(summary["requirements"], w)


def _pending(requirements: list[dict[str, Any]], w: Words) -> str:
    """What the harness could not judge: the reviewer still has to (the automated proposal does not cover it)."""
    manual = [r["id"] for r in requirements if r["manual_review"]]
    unjudged = [r["id"] for r in requirements if r["status"] == "not_run"]
    notes = ([w("approval.manual", n=len(manual), ids=", ".join(manual))] if manual else []) + (
        [w("approval.not_run", n=len(unjudged))] if unjudged else [])
    return "; " + "; ".join(notes) if notes else ""


def front_matter(summary: dict[str, Any], w: Words) -> str:
    versions = summary["versions"]
    standard = table([w("standard.english_name"), w("standard.danish_name"), w("standard.version"),
                      w("standard.type")],
                     [[w("standard.english"), w("standard.danish"), "3.0 (PDC-DK 3.0)", w("standard.kind")]])
    changelog = table([w("standard.version"), w("changelog.initials"), w("changelog.date"),
                       w("changelog.description")],
                      [[e(versions.get("nspcert")), "nspcert", e(summary["started"][:10]),
                        e(w("changelog.generated", run_id=summary["run_id"]))]])
    delta = f"<ul><li><a href='#delta'>2.4 {e(w('section.delta'))}</a></li></ul>" if summary.get("delta") else ""
    toc = (f"<ol><li><a href='#intro'>{e(w('section.intro'))}</a></li><li><a href='#sut'>{e(w('section.sut'))}</a>"
           f"{delta}</li><li><a href='#test'>{e(w('section.test'))}</a></li>"
           f"<li><a href='#appendix'>{e(w('section.appendix'))}</a></li></ol>")
    run = w("doc.run", run_id=summary["run_id"], started=summary["started"], finished=summary["finished"])
    return (f"<h1>{e(w('doc.title'))}</h1><p class='muted'>{e(run)}</p>{standard}<h4>{e(w('changelog'))}</h4>"
            f"{changelog}<h4>{e(w('contents'))}</h4>{toc}")


def introduction(summary: dict[str, Any], w: Words) -> str:
    check = summary["evidence"]["cpr_check"]
    cpr = w("intro.cpr.passed" if check["passed"] else "intro.cpr.failed", n=check["candidates"])
    tools = table([w("intro.tools.component"), w("standard.version")],
                  [[e(k), e(v)] for k, v in summary["versions"].items()])
    scale = table([w("intro.scale.mark"), w("intro.scale.meaning")],
                  [[e(w.mark(m)), e(f"{w('scale.' + m)}")] for m in MARKS])
    return (
        f"<h2 id='intro'>1 {e(w('section.intro'))}</h2><h3>1.1 {e(w('intro.purpose'))}</h3>"
        f"<p>{w('intro.purpose.text')}</p><h3>1.2 {e(w('intro.documentation'))}</h3>"
        f"<p>{w('intro.documentation.text')}</p><h3>1.3 {e(w('intro.persons'))}</h3>"
        f"<p>{w('intro.persons.text', cpr=cpr)}</p><h3>1.4 {e(w('intro.tools'))}</h3>{tools}"
        f"<h3>1.5 {e(w('intro.scale'))}</h3>{scale}<p>{w('intro.scale.text')}</p>"
    )


def vendor_sut_result(summary: dict[str, Any], w: Words) -> str:
    return (f"<h2 id='sut'>2 {e(w('section.sut'))}</h2>" + _banner(summary, w) + f"<h3>2.1 {e(w('vendor'))}</h3>" +
            _vendor(summary, w) + f"<h3>2.2 {e(w('sut'))}</h3>" + _sut(summary, w) +
            f"<h3>2.3 {e(w('result'))}</h3>" + _result(summary, w) + _waivers(summary, w) + delta_section(summary, w))


def _banner(summary: dict[str, Any], w: Words) -> str:
    if not summary["harness_errors"]:
        return ""
    items = "".join(f"<li><b>{e(h['where'])}</b>: <span class='msg'>{e(h['message'][:2000])}</span></li>"
                    for h in summary["harness_errors"])
    return f"<div class='banner'><b>{e(w('banner'))}</b><ul>{items}</ul></div>"


def _sut(summary: dict[str, Any], w: Words) -> str:
    sut, options = summary["sut"], summary["options"]
    boxes = " ".join(("☒ " if summary["test_type"] == t else "☐ ") + e(w(key))
                     for t, key in (("self-test", "sut.self_test"), ("certification", "sut.certification")))
    return kv([(e(w("sut.system")), e(sut["system"])), (e(w("sut.version")), e(sut["version"])),
               (e(w("sut.description")), e(sut["description"])),
               (e(w("sut.capabilities")), e(", ".join(sut["capabilities"]) or w("sut.capabilities.none"))),
               (e(w("sut.test_type")), boxes),
               (e(w("sut.targets")), e(f"{options.get('sut', '')} / {options.get('nsp', '')}")),
               (e(w("sut.level")), e(options.get("level", "all")))])


def _result(summary: dict[str, Any], w: Words) -> str:
    counts = summary["counts"]
    outcome = w("outcome.badge", result=w.outcome(summary["result"]), code=summary["exit_code"])
    verdicts = ("pass", "fail", "waived", "not_applicable", "error")
    return (kv([(e(w("result.date")), e(summary["started"][:10])),
                (e(w("result.location")), e(w("result.location.value"))),
                (e(w("result.approved")), e(_approval(summary, w))), (e(w("result.remarks")), ""),
                (e(w("result.by")), "")]) +
            table([*(e(w.verdict(v)) for v in verdicts), e(w("count.total")), e(w("count.result"))],
                  [[*(str(counts[k]) for k in (*verdicts, "total")), badge(summary["result"], outcome)]]))


def _vendor(summary: dict[str, Any], w: Words) -> str:
    vendor = summary.get("vendor") or {"company": summary["sut"]["vendor"]}
    rows = [(e(w(f"vendor.{key}")), e(vendor.get(key, ""))) for key in ("company", "address", "contact", "phone",
                                                                         "email")]
    missing = "" if any(vendor.get(k) for k in ("address", "contact", "phone", "email")) else (
        f"<p class='muted'>{e(w('vendor.missing'))}</p>")
    return kv(rows) + missing


def _waivers(summary: dict[str, Any], w: Words) -> str:
    if not summary["waivers"]:
        return ""
    rows = [[e(x["requirement"]), e(x["reason"]), e(x["reviewer"]), e(x["date"]), e(w("yes" if x["applied"] else "no"))]
            for x in summary["waivers"]]
    return f"<h4>{e(w('waivers'))}</h4>" + table(
        [e(w(f"waivers.{k}")) for k in ("requirement", "reason", "reviewer", "date", "applied")], rows)


def appendix(summary: dict[str, Any], w: Words) -> str:
    """The evidence index, one folded table per scenario (the manifest in the zip has the same SHA-256 values)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in summary["evidence"]["files"]:
        groups.setdefault(f["scenario"], []).append(f)
    names = {s["nodeid"]: f"{s['number']} {s['name']}" for s in summary["scenarios"]}
    sections = [_evidence_group(names.get(nodeid, nodeid), files, w) for nodeid, files in groups.items()]
    return (f"<h2 id='appendix'>{e(w('section.appendix'))}</h2><p>{w('appendix.text')}</p>" + "".join(sections))


def _evidence_group(title: str, files: list[dict[str, Any]], w: Words) -> str:
    rows = [[link(f["name"]), e(f["step"]), e(f["direction"]), e(f["description"]), f"<code>{e(f['sha256'])}</code>"]
            for f in files[:LIST_LIMIT]]
    more = (f"<p class='muted'>{e(w('appendix.more', n=len(files) - LIST_LIMIT))}</p>"
            if len(files) > LIST_LIMIT else "")
    headers = [e(w("appendix.file")), e(w("appendix.step")), e(w("appendix.direction")), e(w("appendix.content")),
               "SHA-256"]
    return (f"\n<details><summary>{e(w('appendix.group', title=title, n=len(files)))}</summary>"
            f"{table(headers, rows)}{more}</details>")


def render(summary: dict[str, Any], evidence_dir: Path) -> str:
    """The whole report as one HTML string, in the language of the summary (Danish by default)."""
    w = Words.of(summary.get("language"))
    body = (front_matter(summary, w) + introduction(summary, w) + vendor_sut_result(summary, w) +
            the_test(summary, evidence_dir, w) + appendix(summary, w))
    title = w("doc.page_title", system=summary["sut"]["system"], version=summary["sut"]["version"])
    return (f'<!DOCTYPE html>\n<html lang="{w.language}"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")
