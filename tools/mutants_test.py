"""The test command of a mutation run (``tools/mutants.py``): the whole catalogue against the mutated reference EOJ.

Cosmic Ray has just written one mutant into the scratch copy of ``reference_eoj`` that ``PYTHONPATH`` puts first;
this runs ``nspcert run`` (embedded mock NSP, the reference EOJ the harness starts, which imports the mutant) and
exits with its code: 0 the mutant survived; anything else killed it. Stopping at the first failing scenario
(``--maxfail 1``) is enough to kill. Each outcome is appended to ``outcomes.jsonl`` in the scratch folder with the
mutant's diff and the requirements the failing scenarios named, so the report tells a kill by a failed check from
a kill by a crash (a harness error) or a hang.
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: the scratch folder of the run (set by tools/mutants.py): src/ (mutated) and pristine/ (the original)
SCRATCH_VARIABLE = "NSPCERT_MUTANTS_SCRATCH"


def mutant_diff(scratch: Path) -> str:
    """The difference between the pristine and the mutated copy (one file changed)."""
    lines: list[str] = []
    for mutated in sorted((scratch / "src").rglob("*.py")):
        relative = mutated.relative_to(scratch / "src")
        original = (scratch / "pristine" / relative).read_text(encoding="utf-8").splitlines(keepends=True)
        changed = mutated.read_text(encoding="utf-8").splitlines(keepends=True)
        if original != changed:
            lines += difflib.unified_diff(original, changed, f"a/{relative}", f"b/{relative}", n=1)
    return "".join(lines)


def run_catalogue(report_dir: Path) -> tuple[int, dict[str, object]]:
    # Cosmic Ray sets PYTHONDONTWRITEBYTECODE: no stale bytecode of an earlier mutant is ever read (the harness's
    # own, unchanged, is read from its caches as usual)
    command = [sys.executable, "-m", "nspcert.cli", "run", "-n", "2", "--report-dir", str(report_dir),
               "--", "--maxfail", "1", "-q"]
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode
    summaries = list(report_dir.glob("*/summary.json"))
    summary = json.loads(summaries[0].read_text(encoding="utf-8")) if summaries else {}
    return code, summary


def failing_requirements(summary: dict[str, object]) -> list[str]:
    scenarios = summary.get("scenarios", [])
    assert isinstance(scenarios, list)
    return sorted({rid for item in scenarios if item.get("verdict") in ("fail", "error")
                   for rid in item.get("requirements", [])})


def main() -> int:
    scratch = Path(os.environ[SCRATCH_VARIABLE])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutant-run-") as reports:
        code, summary = run_catalogue(Path(reports))
    outcome = {"diff": mutant_diff(scratch), "exit_code": code, "seconds": round(time.monotonic() - started, 1),
               "requirements": failing_requirements(summary)}
    with (scratch / "outcomes.jsonl").open("a", encoding="utf-8") as log:
        log.write(json.dumps(outcome) + "\n")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
