"""``reports/mutation.md`` from a mutation session (``tools/mutants.py``): the score and every survivor, triaged."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERDICTS = {"equivalent": "equivalent", "allowed-variant": "allowed variant"}
#: a survivor in code that runs only while a seeded defect is on (sampled before such code was left out)
DEFECT_ONLY = "equivalent (seeded-defect code)"


@dataclass(frozen=True)
class Mutant:
    module: str
    line: int
    operator: str
    column: int
    outcome: str  # killed by a fail | killed by a harness error | killed by a timeout | killed (other) | survived
    removed: tuple[str, ...]
    added: tuple[str, ...]
    diff: str
    requirements: tuple[str, ...] = ()

    @property
    def original(self) -> str:
        return self.removed[0].strip() if self.removed else ""


def diff_key(diff: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The file and the lines a unified diff removes and adds (Cosmic Ray's diff and ours name the same change)."""
    lines = diff.splitlines()
    file = next((line[6:] for line in lines if line.startswith("+++ b/")), "")
    removed = tuple(line[1:] for line in lines if line.startswith("-") and not line.startswith("---"))
    added = tuple(line[1:] for line in lines if line.startswith("+") and not line.startswith("+++"))
    return file.removeprefix("src/"), removed, added


def module_of(path: str | Path) -> str:
    """A mutated file's path inside its scratch's ``src`` (a session copied from another checkout names the
    original scratch)."""
    parts = Path(path).parts
    return Path(*parts[len(parts) - parts[::-1].index("src"):]).as_posix()


def load(scratch: Path) -> list[Mutant]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    outcomes = {}
    if (scratch / "outcomes.jsonl").is_file():
        for line in (scratch / "outcomes.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            outcomes[diff_key(record["diff"])] = record
    mutants = []
    with use_db(str(scratch / "session.sqlite"), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.test_outcome is None:
                continue
            mutation = item.mutations[0]
            module = module_of(mutation.module_path)
            _, removed, added = diff_key(result.diff or "")
            record = outcomes.get((module, removed, added), {})
            outcome = _outcome(result.test_outcome == TestOutcome.SURVIVED, result.output or "", record)
            mutants.append(Mutant(module, mutation.start_pos[0], mutation.operator_name.removeprefix("core/"),
                                  mutation.start_pos[1], outcome, removed, added, result.diff or "",
                                  tuple(record.get("requirements", ()))))
    return sorted(mutants, key=lambda m: (m.module, m.line, m.operator))


def _outcome(survived: bool, output: str, record: dict[str, Any]) -> str:
    if survived:
        return "survived"
    if output.strip() == "timeout":
        return "killed by a timeout"
    return {1: "killed by a fail", 3: "killed by a harness error"}.get(record.get("exit_code", -1), "killed (other)")


def triage_of(mutant: Mutant, triage: list[dict[str, str]]) -> dict[str, str] | None:
    for entry in triage:
        if (entry.get("module") == mutant.module and entry.get("operator", "").removeprefix("core/") == mutant.operator
                and entry.get("original", "").strip() == mutant.original):
            return entry
    return None


def defect_only(mutant: Mutant, scratch: Path, kind: str = "Defect") -> bool:
    """Whether the mutant is in code the clean reference EOJ never runs (tools.mutants.defect_guarded_spans): code
    only a seeded defect runs, or with ``kind`` "Variant" code only an allowed variant runs."""
    from tools.mutants import defect_guarded_spans

    source = scratch / "pristine" / mutant.module
    start = (mutant.line, mutant.column)
    return source.is_file() and any(low <= start < high for low, high in defect_guarded_spans(source, kind))


def verdict_of(mutant: Mutant, triage: list[dict[str, str]], scratch: Path) -> str:
    if defect_only(mutant, scratch):
        return DEFECT_ONLY
    if defect_only(mutant, scratch, "Variant"):
        return "allowed variant"
    return VERDICTS.get((triage_of(mutant, triage) or {}).get("verdict", ""), "untriaged")


def render(scratch: Path, triage: list[dict[str, str]]) -> str:
    meta = json.loads((scratch / "meta.json").read_text(encoding="utf-8"))
    mutants = load(scratch)
    survivors = [m for m in mutants if m.outcome == "survived"]
    verdicts = Counter(verdict_of(m, triage, scratch) for m in survivors)
    lines = [*_header(meta, len(mutants)), *_score(mutants, survivors, verdicts), "", "## Survivors", ""]
    for mutant in survivors:
        lines += _survivor(mutant, triage_of(mutant, triage), verdict_of(mutant, triage, scratch))
    return "\n".join(lines) + "\n"


def _header(meta: dict[str, Any], run: int) -> list[str]:
    lines = ["# Mutation testing of the reference EOJ", "",
             (f"Run {meta['at']} with Cosmic Ray (core operators) over the reference EOJ's protocol and display "
              f"code; the test command is the whole catalogue (`tools/mutants_test.py`). {meta['generated']} mutants "
              f"generated, {meta['annotations']} in type annotations left out (never evaluated: equivalent by "
              f"construction){_defect_only(meta)}, {meta['candidates']} candidates, a seeded sample of {run} (seed "
              f"{meta['seed']}, shard {meta['shard']}) run in {meta['minutes']} min."), ""]
    if meta.get("note"):
        lines += [meta["note"], ""]
    if "rerun" in meta:
        lines += [(f"The {meta['rerun']['survivors']} survivors were run again against the checks of "
                   f"{meta['rerun']['at']}."), ""]
    return lines


def _defect_only(meta: dict[str, Any]) -> str:
    if "defect_only" not in meta:
        return ""
    return (f" and {meta['defect_only']} in code only a seeded defect runs (the clean reference EOJ never runs it: "
            "equivalent by construction; the kill matrix judges it)" + _variant_only(meta))


def _variant_only(meta: dict[str, Any]) -> str:
    if "variant_only" not in meta:
        return ""
    return (f" and {meta['variant_only']} in code only an allowed variant runs (the allowed-variants matrix judges "
            "it)")


def _score(mutants: list[Mutant], survivors: list[Mutant], verdicts: Counter[str]) -> list[str]:
    equivalent = verdicts["equivalent"] + verdicts[DEFECT_ONLY]
    excluded = equivalent + verdicts["allowed variant"]
    killed, judged = len(mutants) - len(survivors), len(mutants) - excluded
    lines = [(f"**Score: {killed} of {judged} non-equivalent mutants killed = {killed / max(1, judged):.1%}** "
              f"({equivalent} equivalent and {verdicts['allowed variant']} allowed-variant survivors "
              "left out of the denominator)."), "", "| outcome | mutants |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in sorted(Counter(m.outcome for m in mutants).items())]
    lines += ["", "| survivors' triage | mutants |", "|---|---|"]
    return lines + [f"| {name} | {count} |" for name, count in sorted(verdicts.items())]


def _survivor(mutant: Mutant, entry: dict[str, str] | None, verdict: str) -> list[str]:
    verdict = "**untriaged**" if verdict == "untriaged" else verdict
    why = f" — {entry['why']}" if entry and entry.get("why") else ""
    if verdict == DEFECT_ONLY:
        why = " — in code the clean reference EOJ runs only with a seeded defect on (found by tools.mutants)"
    return [f"### {mutant.module}:{mutant.line} — {mutant.operator}", "", f"Triage: {verdict}{why}", "", "```diff",
            mutant.diff.strip(), "```", ""]
