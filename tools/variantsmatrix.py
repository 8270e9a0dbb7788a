"""The allowed-variants matrix, the dual of the kill matrix: every variant a correct system may choose passes.

The reference EOJ's variants (``reference_eoj/variants.py``, ``docs/variants.md``) are choices the standards leave
to the vendor. The matrix runs the *whole* catalogue with them switched on and requires every applicable scenario
to pass: a fail would be the harness failing a correct system, an error the harness or mock breaking on a shape the
platform accepts. Variants that make the same choice differently (an *axis* in common) never run together; the
others share a run, so the matrix takes as many catalogue runs as the busiest axis has variants.

    python -m tools.variantsmatrix [--workers 2] [--variants a,b] [--output reports/variants-matrix.md]

A development tool: it needs the repository's reference EOJ, so it lives outside the shipped library.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tools.killmatrix import ROOT, CatalogueRun, run_catalogue


@dataclass
class BatchRun:
    variants: tuple[str, ...]
    run: CatalogueRun
    seconds: float

    @property
    def passed(self) -> bool:
        return not self.run.failed and not self.run.errors and self.run.exit_code == 0 and bool(self.run.passed)


def catalogue() -> dict[str, tuple[str, ...]]:
    """Variant → its axes."""
    from reference_eoj.variants import CATALOGUE

    return {variant.value: info.axes for variant, info in CATALOGUE.items()}


def batches(axes: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """The variants in as few runs as their axes allow: a variant joins the first run with none of its axes
    (the variants with most axes placed first)."""
    runs: list[tuple[list[str], set[str]]] = []
    for variant in sorted(axes, key=lambda name: (-len(axes[name]), name)):
        own = set(axes[variant])
        home = next((run for run in runs if not own & run[1]), None)
        if home is None:
            runs.append(([variant], own))
        else:
            home[0].append(variant)
            home[1].update(own)
    return [sorted(names) for names, _ in runs]


def run_matrix(chosen: Sequence[str] | None = None, workers: int = 2) -> list[BatchRun]:
    """Run the whole catalogue once per batch of variants (``workers`` pytest-xdist workers each)."""
    every = catalogue()
    axes = {name: every[name] for name in (chosen or every)}
    results = []
    with tempfile.TemporaryDirectory(prefix="variantsmatrix-") as tmp:
        for batch in batches(axes):
            started = time.monotonic()
            run = run_catalogue("", (), Path(tmp), workers=workers, variants=batch)
            results.append(BatchRun(tuple(batch), run, time.monotonic() - started))
    return results


def render(results: Sequence[BatchRun]) -> str:
    from reference_eoj.variants import CATALOGUE, Variant

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    total = sum(result.seconds for result in results)
    lines = ["# Allowed-variants matrix", "",
             (f"Run {stamp} against the reference EOJ: {len(results)} whole-catalogue runs, {total:.0f} s "
             "(the sources that allow each variant: docs/variants.md)."), "",
             "| run | variants | passed | failed | errors | not applicable | seconds | verdict |",
             "|---|---|---|---|---|---|---|---|"]
    for number, result in enumerate(results, 1):
        run = result.run
        lines.append(f"| {number} | {', '.join(result.variants)} | {len(run.passed)} | {len(run.failed)} | "
                     f"{len(run.errors)} | {len(run.skipped)} | {result.seconds:.0f} | "
                     f"{'accepted' if result.passed else 'REFUSED'} |")
    lines += ["", "| variant | run | checks that must accept it | verdict |", "|---|---|---|---|"]
    for number, result in enumerate(results, 1):
        for name in result.variants:
            judged = ", ".join(CATALOGUE[Variant(name)].judged_by)
            lines.append(f"| {name} | {number} | {judged} | {'accepted' if result.passed else 'REFUSED'} |")
    refused = [result for result in results if not result.passed]
    for result in refused:
        lines += ["", f"## Refused: {', '.join(result.variants)}", ""]
        lines += [f"- fail `{name}`: {message.strip().splitlines()[0] if message.strip() else ''}"
                  for name, message in result.run.failed.items()]
        lines += [f"- error `{name}`: {message.strip()[:300]}" for name, message in result.run.errors.items()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.variantsmatrix", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--variants", default="", help="only these variants (a,b)")
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "variants-matrix.md")
    args = parser.parse_args(argv)
    chosen = [name for name in args.variants.split(",") if name] or None
    unknown = sorted(set(chosen or ()) - set(catalogue()))
    if unknown:
        print(f"unknown variant(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    results = run_matrix(chosen, args.workers)
    text = render(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
