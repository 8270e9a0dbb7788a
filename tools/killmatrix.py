"""The defect kill matrix (SPEC §5): run the catalogue against the reference EOJ with each seeded defect.

A defect is *killed* when at least one scenario tracing to one of the defect's requirements fails with
a NonConformance whose message names such a requirement. With no defect, every applicable scenario
must pass. Each run is a real `pytest` of the catalogue in a subprocess, read back from its JUnit XML.

    python -m tools.killmatrix [--workers 2] [--output reports/kill-matrix.md]

A development tool: it needs the repository (the reference EOJ's seeded defects and their documentation), so it
lives outside the shipped library.

``--whole-catalogue [--defects a,b]`` instead runs the *whole* catalogue with each defect (slow: a minute a
defect) and compares the requirements its failing scenarios name with the defect's ``requirements`` and
``also_breaks`` in ``reference_eoj/defects.py``: it prints what is missing or never fails, and exits 1 then.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from nspcert.catalogue.files import stage

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CatalogueRun:
    defect: str
    requirements: tuple[str, ...]
    passed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    exit_code: int = 0

    @property
    def killers(self) -> list[str]:
        """Failed scenarios whose message names one of the defect's requirements."""
        return [name for name, message in self.failed.items() if any(rid in message for rid in self.requirements)]

    @property
    def killed(self) -> bool:
        return bool(self.killers) and not self.errors


def run_catalogue(defect: str, requirements: Sequence[str], workdir: Path, workers: int = 0,
                  variants: Sequence[str] = ()) -> CatalogueRun:
    """One catalogue run; ``defect`` "" is the clean reference EOJ over the whole catalogue; ``variants`` are
    allowed variants switched on beside it (``tools.variantsmatrix``)."""
    batch = hashlib.sha1(",".join(sorted(variants)).encode()).hexdigest()[:8]
    label = defect or (f"variants-{batch}" if variants else "clean")
    junit = workdir / f"junit-{label}-{workers}.xml"
    parallel = ["-n", str(workers)] if workers else ["-p", "no:xdist"]
    catalogue = stage(workdir / f"catalogue-{label}-{workers}")
    command = [sys.executable, "-m", "pytest", *catalogue, *parallel, "-q",
               f"--junitxml={junit}", "-o", "junit_family=xunit2"]
    if defect:
        command += ["--reference-defects", defect, *[f"--requirement={rid}" for rid in requirements]]
    if variants:
        command += ["--reference-variants", ",".join(variants)]
    finished = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=600, check=False)
    result = CatalogueRun(defect, tuple(requirements), exit_code=finished.returncode)
    if not junit.is_file():
        result.errors["<pytest>"] = (finished.stdout + finished.stderr)[-3000:]
        return result
    read_junit(junit, result)
    return result


def read_junit(path: Path, into: CatalogueRun) -> None:
    for case in etree.parse(str(path)).iter("testcase"):
        name = case.get("name", "")
        failure, error, skipped = case.find("failure"), case.find("error"), case.find("skipped")
        if failure is not None:
            into.failed[name] = (failure.get("message") or "") + "\n" + (failure.text or "")
        elif error is not None:
            into.errors[name] = (error.get("message") or "") + "\n" + (error.text or "")[-1500:]
        elif skipped is not None:
            into.skipped.append(name)
        else:
            into.passed.append(name)


def defect_catalogue() -> dict[str, tuple[str, ...]]:
    from reference_eoj.defects import CATALOGUE

    return {defect.value: info.requirements for defect, info in CATALOGUE.items()}


def run_matrix(workers: int = 2) -> tuple[CatalogueRun, list[CatalogueRun]]:
    defects = defect_catalogue()
    with tempfile.TemporaryDirectory(prefix="killmatrix-") as tmp, ThreadPoolExecutor(workers) as pool:
        clean = pool.submit(run_catalogue, "", (), Path(tmp))
        runs = list(pool.map(lambda item: run_catalogue(item[0], item[1], Path(tmp)), defects.items()))
        return clean.result(), runs


def verdicts(run: CatalogueRun) -> dict[str, str]:
    """Scenario → verdict, to compare a serial with a parallel run."""
    table = dict.fromkeys(run.passed, "pass") | dict.fromkeys(run.failed, "fail")
    return table | dict.fromkeys(run.errors, "error") | dict.fromkeys(run.skipped, "not applicable")


#: "requirement: FSK-SIT-LOG-02" or "requirement: FSK-CERT-FGVH-04, FSK-SIT-ERR-04 (F1)" in a failure message
_NAMED = re.compile(r"requirement: (FSK-[A-Z0-9-]+(?:, FSK-[A-Z0-9-]+)*)")


def failing_requirements(run: CatalogueRun) -> set[str]:
    """The requirements the failing scenarios' messages name (a failure without one is not the SUT's)."""
    return {rid.strip() for message in run.failed.values() for match in _NAMED.finditer(message)
            for rid in match.group(1).split(",")}


def whole_catalogue_differences(defect: str, run: CatalogueRun) -> list[str]:
    """How the defect's documented requirements differ from what a whole-catalogue run saw fail."""
    from reference_eoj.defects import CATALOGUE, Defect

    info = CATALOGUE[Defect(defect)]
    documented, failing = {*info.requirements, *info.also_breaks}, failing_requirements(run)
    lines = [f"{defect}: fails {rid}, not documented" for rid in sorted(failing - documented)]
    lines += [f"{defect}: documents {rid}, but no scenario of it failed" for rid in sorted(documented - failing)]
    return lines + [f"{defect}: harness error in {name}" for name in run.errors]


def sweep(defects: Sequence[str], workers: int) -> list[str]:
    """Run the whole catalogue with each defect; the differences from the documentation (empty: it agrees)."""
    with tempfile.TemporaryDirectory(prefix="killmatrix-whole-") as tmp:
        differences: list[str] = []
        for defect in defects:
            found = whole_catalogue_differences(defect, run_catalogue(defect, (), Path(tmp), workers))
            print("\n".join(found) or f"{defect}: as documented", flush=True)
            differences += found
        return differences


def render(clean: CatalogueRun, runs: Sequence[CatalogueRun]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Defect kill matrix", "", f"Run {stamp} against the reference EOJ.", "",
             (f"Clean reference EOJ: {len(clean.passed)} passed, {len(clean.failed)} failed, "
             f"{len(clean.errors)} errors, {len(clean.skipped)} not applicable."), "",
             "| defect | requirements | verdict | failing scenarios |", "|---|---|---|---|"]
    for run in runs:
        verdict = "killed" if run.killed else ("ERROR" if run.errors else "SURVIVED")
        scenarios = "; ".join(run.killers) or "; ".join(run.errors) or "—"
        lines.append(f"| {run.defect} | {', '.join(run.requirements)} | {verdict} | {scenarios} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.killmatrix", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "kill-matrix.md")
    parser.add_argument("--whole-catalogue", action="store_true",
                        help="check each defect's documented requirements against a whole-catalogue run")
    parser.add_argument("--defects", default="", help="with --whole-catalogue: only these defects (a,b)")
    args = parser.parse_args(argv)
    if args.whole_catalogue:
        chosen = [d for d in args.defects.split(",") if d] or list(defect_catalogue())
        return 1 if sweep(chosen, args.workers) else 0
    clean, runs = run_matrix(args.workers)
    text = render(clean, runs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    healthy = not clean.failed and not clean.errors and all(run.killed for run in runs)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
