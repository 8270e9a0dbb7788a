"""Checks as evidence: what each passing check received, on the step that ran it.

A Then step that judges what the SUT *sent* (ID card, HSUID, ITI-18 parameters, MinLog entries) used to
read "As expected" on a pass, which leaves a reviewer to take the harness's word for it. Every passing
:func:`nspcert.checks.require` tells the scenario's evidence recorder its check, what it received and where; the step
stores that (redacted, grouped by check and value, bounded), and the step table shows it under the
headline, with the exchange's evidence file when ``where`` names a journal entry::

    As expected
    ITI-18 $XDSDocumentEntryFormatCode: urn:ad:dk:medcom:pdc-v3.0:full — sfsk-registry RegistryStoredQuery
    (journal #17, FSK_3.2.1.2_A_S.xml)

A check of a screen the scenario read is not listed when its step already shows the part the check read ("Shown in
…", :mod:`nspcert.results.collect.screens`); a check that read the whole screen (nothing protected shown) is.
"""

from __future__ import annotations

import json
from typing import Any

from nspcert.results.collect.recorder import ScenarioState
from nspcert.results.collect.redact import redact_value
from nspcert.results.model.records import StepRecord

#: places kept per check and value (the rest are counted), and groups kept per step
PLACES_KEPT = 20
GROUPS_KEPT = 50


def passed(state: ScenarioState, check: str, received: Any, where: str) -> None:
    """Store a passed check on the running step (a check outside a step, e.g. in a fixture, has no row)."""
    if state.current_step is None or not state.record.steps:
        return
    step = state.record.steps[state.current_step]
    if _shows_a_part_of(step, state, where):
        return  # a screen check: the step shows the screen part it read
    text = as_text(redact_value(received))
    group = next((g for g in step.checked if g["check"] == check and g["received"] == text), None)
    if group is None:
        if len(step.checked) >= GROUPS_KEPT:
            step.checked_unlisted += 1
            return
        group = {"check": check, "received": text, "where": [], "more": 0}
        step.checked.append(group)
    if where in group["where"]:
        return
    if len(group["where"]) < PLACES_KEPT:
        group["where"].append(where)
    else:
        group["more"] += 1


def _shows_a_part_of(step: StepRecord, state: ScenarioState, where: str) -> bool:
    """Whether the step already shows a part it read of the screen ``where`` names (a check that read the whole
    screen read no single part: its own line says what it judged)."""
    screens = {index for index, seen in enumerate(state.screens_seen) if seen.where() == where}
    return any(judged["screen"] in screens for judged in step.judged)


def as_text(value: Any) -> str:
    """A received value as a reviewer reads it: text as is, a list of plain values comma-separated, else JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value) or "(none)"
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
