"""Mutation testing of the reference EOJ's protocol and display code against the whole catalogue (``make mutants``).

The seeded defects of the kill matrix grew up with the checks; mutants did not. Cosmic Ray writes one mutant at a
time into a scratch copy of ``reference_eoj`` that ``PYTHONPATH`` puts before the installed one, and runs the test
command ``tools/mutants_test.py`` — a whole ``nspcert run`` (embedded mock NSP, the reference EOJ started as its
own process, so it imports the mutant). Cosmic Ray fits that test command; mutmut 3 does not, since it activates a
mutant through its own in-process pytest run and could not reach the reference EOJ, a separate process.

    python -m tools.mutants [--sample 150] [--seed 1] [--shard 1/1] [--report reports/mutation.md]
    python -m tools.mutants --survivors          # run the last session's survivors again against today's checks
    python -m tools.mutants --report-only        # re-render the report from the last session (triage changed)

Mutants inside type annotations are left out before sampling: with ``from __future__ import annotations`` no
annotation is ever evaluated, so they are equivalent by construction. So are mutants in code that runs, or whose value
counts, only while a seeded defect is switched on (the body of ``if Defect.X in defects:``, the other operands of an
``and`` beside such a check): the clean reference EOJ never runs it, so no check of the catalogue could see it; the
kill matrix judges that code. Code only an allowed variant runs (``if Variant.X in variants:``) is left out the
same way: the catalogue runs the clean reference EOJ, and the allowed-variants matrix judges that code. The switch
``Defect.X in defects`` itself is mutated (``in`` → ``not in`` switches a defect on). The rest are sampled (seeded, the same sample for the same code), sharded for several machines if asked,
and every survivor is matched against
``tools/mutation-triage.toml``: *equivalent* (no behaviour a user or the platform could see, and why), *allowed
variant* (a behaviour the standard allows: it belongs in the allowed-variants matrix). A survivor a sharper check
now catches is proven killed by running the survivors again (``--survivors``: the same mutants, today's checks).
The score is killed / (sampled − equivalent − allowed variants).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".work" / "mutants"
TRIAGE = ROOT / "tools" / "mutation-triage.toml"
#: the reference EOJ's protocol (NSP clients, MinLog queue, SKR) and display (PDC reading, screen model) code
MODULES = ("nsp", "screen.py", "pdc.py", "minlog_queue.py", "minlog_budget.py", "citizen_view.py", "service.py",
           "clock.py", "users.py", "xml.py")


def prepare(scratch: Path) -> list[Path]:
    """A mutable and a pristine copy of the reference EOJ; the files to mutate (in the mutable copy)."""
    shutil.rmtree(scratch, ignore_errors=True)
    restore_pristine(scratch)
    return [scratch / "src" / "reference_eoj" / name for name in MODULES]


def restore_pristine(scratch: Path) -> None:
    """Both copies as the reference EOJ is today. A re-run of survivors names mutants by place in the code, so it
    is for sharper checks against an unchanged reference EOJ; a changed EOJ needs a new session."""
    for copy in ("src", "pristine"):
        shutil.rmtree(scratch / copy / "reference_eoj", ignore_errors=True)
        shutil.copytree(ROOT / "reference_eoj", scratch / copy / "reference_eoj",
                        ignore=shutil.ignore_patterns("__pycache__"))


def annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where ``path``'s annotations are (never evaluated under ``from __future__ import annotations``)."""
    spans = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.arg | ast.AnnAssign):
            found.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.returns)
        spans += [((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0)) for a in found if a]
    return spans


Span = tuple[tuple[int, int], tuple[int, int]]


def _span(node: ast.AST) -> Span:
    return ((node.lineno, node.col_offset), (node.end_lineno or node.lineno, node.end_col_offset or 0))  # type: ignore[attr-defined]


#: the switches of the reference EOJ: ``Defect.X in defects`` (a seeded defect), ``Variant.X in variants`` (an
#: allowed variant, judged by the allowed-variants matrix)
DEFECT, VARIANT = "Defect", "Variant"


def is_switch(node: ast.AST, kind: str = DEFECT) -> bool:
    """``<kind>.X in <…>``: true only while that seeded defect (or allowed variant) is switched on."""
    return (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.In)
            and isinstance(node.left, ast.Attribute) and isinstance(node.left.value, ast.Name)
            and node.left.value.id == kind)


def _guarded_by_and(test: ast.AST, kind: str) -> list[ast.AST] | None:
    """The operands of ``test`` other than its switch, if ``test`` is true only with the switch on."""
    if is_switch(test, kind):
        return []
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and any(is_switch(v, kind) for v in test.values):
        return [value for value in test.values if not is_switch(value, kind)]
    return None


def defect_guarded_spans(path: Path, kind: str = DEFECT) -> list[Span]:
    """Where ``path``'s code runs, or its value counts, only while a seeded defect (``kind`` :data:`VARIANT`: an
    allowed variant) is on: the body of an ``if`` or conditional expression whose test is such a switch (or an
    ``and`` with one), and the other operands of that ``and`` (its value is false whatever they are, unless the
    switch is on)."""
    spans: list[Span] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.BoolOp):
            others = _guarded_by_and(node, kind)
            spans += [_span(value) for value in others or []]
        if isinstance(node, ast.If) and _guarded_by_and(node.test, kind) is not None:
            spans += [_span(statement) for statement in node.body]
        if isinstance(node, ast.IfExp) and _guarded_by_and(node.test, kind) is not None:
            spans.append(_span(node.body))
    return spans


def in_spans(item: object, spans: dict[str, list[Span]]) -> bool:
    mutation = item.mutations[0]  # type: ignore[attr-defined]
    start = tuple(mutation.start_pos)
    return any(low <= start < high for low, high in spans[str(mutation.module_path)])


def candidates(scratch: Path, targets: Sequence[Path]) -> tuple[list[object], int, int, int, int]:
    """Every mutant Cosmic Ray makes of ``targets`` but those in annotations and in code only a seeded defect or an
    allowed variant runs: (mutants, generated, in annotations, in seeded-defect code, in allowed-variant code)."""
    from cosmic_ray.commands import init
    from cosmic_ray.work_db import use_db

    files = [path for target in targets for path in ([target] if target.is_file() else sorted(target.rglob("*.py")))]
    annotations = {str(path): annotation_spans(path) for path in files}
    guarded = {str(path): defect_guarded_spans(path) for path in files}
    variant = {str(path): defect_guarded_spans(path, VARIANT) for path in files}
    with use_db(str(scratch / "all.sqlite")) as db:
        init(files, db, {})
        every = list(db.work_items)
    typed = [item for item in every if not in_spans(item, annotations)]
    clean = [item for item in typed if not in_spans(item, guarded)]
    kept = [item for item in clean if not in_spans(item, variant)]
    return (sorted(kept, key=_order), len(every), len(every) - len(typed), len(typed) - len(clean),
            len(clean) - len(kept))


def _order(item: object) -> tuple[str, tuple[int, int], str]:
    mutation = item.mutations[0]  # type: ignore[attr-defined]
    return str(mutation.module_path), tuple(mutation.start_pos), mutation.operator_name


def sample(items: list[object], size: int, seed: int, shard: tuple[int, int]) -> list[object]:
    chosen = sorted(random.Random(seed).sample(items, min(size, len(items))), key=_order)
    index, count = shard
    return chosen[index - 1::count]


def environment(scratch: Path) -> dict[str, str]:
    """The mutable copy first on the path (the test command runs in the scratch folder, never in the checkout,
    whose own reference_eoj ``python -m`` would put first)."""
    from tools.mutants_test import SCRATCH_VARIABLE

    paths = [str(scratch / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
    return {"PYTHONPATH": os.pathsep.join(p for p in paths if p), SCRATCH_VARIABLE: str(scratch)}


def baseline(scratch: Path) -> float:
    """The unmutated catalogue must pass; its duration sets the timeout."""
    started = time.monotonic()
    code = subprocess.run([sys.executable, "-m", "tools.mutants_test"], cwd=scratch, env=os.environ | environment(scratch),
                          check=False).returncode
    if code != 0:
        raise SystemExit(f"the catalogue does not pass against the unmutated reference EOJ (exit {code})")
    (scratch / "outcomes.jsonl").unlink()
    return time.monotonic() - started


def execute(database: Path, chosen: Iterable[object], timeout: float) -> None:
    """Run ``chosen`` as a new session in ``database``."""
    from cosmic_ray.commands import execute as cosmic_execute
    from cosmic_ray.config import ConfigDict
    from cosmic_ray.work_db import use_db

    config = ConfigDict({"timeout": timeout, "test-command": f"{sys.executable} -m tools.mutants_test",
                         "distributor": {"name": "local"}})
    os.environ.update(environment(database.parent))
    os.chdir(database.parent)  # not the checkout: `python -m` puts the working folder first, before the mutant
    with use_db(str(database)) as db:
        db.clear()
        db.add_work_items(list(chosen))
        cosmic_execute(db, config)


def rerun_survivors(scratch: Path, timeout: float) -> tuple[int, int]:
    """Run the session's survivors in ``scratch`` again against today's checks and today's reference EOJ; put their
    new results in the session. A survivor is found again in today's code by what it changes (module, operator, the
    line it removes and the line it adds, indentation aside), not by its place, so a session of an earlier reference EOJ can be re-run
    after the code around it moved; one no longer in today's code keeps its old result. (survivors, found again)"""
    from cosmic_ray.work_db import use_db
    from cosmic_ray.work_item import TestOutcome

    with use_db(str(scratch / "session.sqlite")) as db:
        survivors = [(item, result) for item, result in db.completed_work_items
                     if result.test_outcome == TestOutcome.SURVIVED]
    run = scratch / "rerun"
    today = {_change(item, result.diff or ""): item for item, result in survivors}
    found = remap(run, today)
    execute(run / "rerun.sqlite", found.values(), timeout)
    outcomes = run / "outcomes.jsonl"
    with use_db(str(run / "rerun.sqlite")) as rerun, use_db(str(scratch / "session.sqlite")) as db:
        old_job = {new.job_id: today[change].job_id for change, new in found.items()}  # type: ignore[attr-defined]
        for job_id, result in rerun.results:
            db.set_result(old_job[job_id], result)
    if outcomes.is_file():  # the report reads each mutant's kind of kill from the scratch's log
        with (scratch / "outcomes.jsonl").open("a", encoding="utf-8") as log:
            log.write(outcomes.read_text(encoding="utf-8"))
    return len(survivors), len(found)


Change = tuple[str, str, tuple[str, ...], tuple[str, ...]]


def _change(item: object, diff: str) -> Change:
    """What a mutant changes: module (relative to the scratch's src), operator, the lines removed and added."""
    from tools.mutants_report import diff_key, module_of

    _, removed, added = diff_key(diff)
    mutation = item.mutations[0]  # type: ignore[attr-defined]
    return (module_of(mutation.module_path), mutation.operator_name, tuple(line.strip() for line in removed),
            tuple(line.strip() for line in added))


def remap(run: Path, wanted: dict[Change, object]) -> dict[Change, object]:
    """Today's mutants (in a fresh scratch ``run``) that make the ``wanted`` changes."""
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.plugins import get_operator

    from tools.mutants_report import module_of
    from tools.mutants_test import mutant_diff

    prepare(run)
    src = run / "src"
    found: dict[Change, object] = {}
    for item in candidates(run, [src / "reference_eoj" / name for name in MODULES])[0]:
        mutation = item.mutations[0]  # type: ignore[attr-defined]
        module = module_of(mutation.module_path)
        line = Path(mutation.module_path).read_text(encoding="utf-8").splitlines()[mutation.start_pos[0] - 1].strip()
        if not any(m == module and o == mutation.operator_name and r[:1] == (line,) for m, o, r, _ in wanted):
            continue
        source = Path(mutation.module_path).read_text(encoding="utf-8")
        mutated = mutate_code(source, get_operator(mutation.operator_name)(**mutation.operator_args),
                              mutation.occurrence)
        if mutated is None:
            continue
        Path(mutation.module_path).write_text(mutated, encoding="utf-8")
        try:
            change = _change(item, mutant_diff(run))
        finally:
            Path(mutation.module_path).write_text(source, encoding="utf-8")
        if change in wanted:
            found.setdefault(change, item)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.mutants", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=150, help="how many mutants to run (default 150: about an hour)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard", default="1/1", help="run the i-th of n parts of the sample (i/n)")
    parser.add_argument("--report", type=Path, default=ROOT / "reports" / "mutation.md")
    parser.add_argument("--survivors", action="store_true", help="run the last session's survivors again")
    parser.add_argument("--report-only", action="store_true", help="re-render the report of the last session")
    parser.add_argument("--scratch", type=Path, default=SCRATCH,
                        help="the session's folder (default .work/mutants), e.g. a copy of another checkout's")
    args = parser.parse_args(argv)
    scratch: Path = args.scratch.resolve()
    if args.survivors:
        meta = json.loads((scratch / "meta.json").read_text(encoding="utf-8"))
        again, found = rerun_survivors(scratch, timeout=max(120.0, 4 * meta["baseline_s"]))
        meta["rerun"] = {"survivors": again, "found": found, "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
        (scratch / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    elif not args.report_only:
        started = time.monotonic()
        kept, generated, annotations, defect_only, variant_only = candidates(scratch, prepare(scratch))
        index, count = (int(part) for part in args.shard.split("/"))
        chosen = sample(kept, args.sample, args.seed, (index, count))
        seconds = baseline(scratch)
        print(f"mutants: {generated} generated, {annotations} in annotations, {defect_only} in seeded-defect code and "
              f"{variant_only} in allowed-variant code left out, {len(kept)} candidates, {len(chosen)} to run; the unmutated catalogue passes in {seconds:.0f} s",
              flush=True)
        execute(scratch / "session.sqlite", chosen, timeout=max(120.0, 4 * seconds))
        meta = {"generated": generated, "annotations": annotations, "defect_only": defect_only,
                "variant_only": variant_only,
                "candidates": len(kept), "sample": args.sample,
                "seed": args.seed, "shard": args.shard, "baseline_s": round(seconds),
                "minutes": round((time.monotonic() - started) / 60), "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
        (scratch / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    from tools.mutants_report import render

    text = render(scratch, load_triage(TRIAGE))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    print(text.split("\n## ", 1)[0])
    return 0


def load_triage(path: Path) -> list[dict[str, str]]:
    return list(tomllib.loads(path.read_text(encoding="utf-8")).get("mutant", [])) if path.is_file() else []


if __name__ == "__main__":
    raise SystemExit(main())
