"""Screens as evidence: every screen model the harness reads, and the parts of it each step's checks judged.

The scenario's evidence (:mod:`nspcert.results.collect.scenario_evidence`) files what its screens tell
it here. A screen is stored (redacted) on the step that read it; a part a check
reads (``fgvh``, ``relatives``, …) is stored on the step running the check, once per screen and part. The
evidence writer saves each screen as ``FSK_<step>_<letter>_R.json`` (R: the SUT shows it), and the step table
shows the judged parts in "Actual result" with a link to that file.
"""

from __future__ import annotations

from nspcert.act.screen import Screen
from nspcert.results.collect.recorder import ScenarioState
from nspcert.results.collect.redact import redact_value
from nspcert.results.model.records import ScreenRecord


def shown(state: ScenarioState, screen: Screen) -> None:
    """Store a screen the harness read from the SUT on the running step."""
    state.screens_seen.append(screen)
    model = redact_value(screen.known())  # a manual tester's screen grows as checks ask: see judged()
    state.record.screens.append(ScreenRecord(step=state.step_index, cpr=screen.cpr, model=model,
                                             description=screen.describe()))


def judged(state: ScenarioState, screen: Screen, part: str) -> None:
    """Store, once per screen and part, what a check in the running step read of a screen."""
    index = next((i for i, seen in enumerate(state.screens_seen) if seen is screen), None)
    if index is None or not state.record.steps:
        return
    step = state.record.steps[state.step_index]
    if any(j["screen"] == index and j["part"] == part for j in step.judged):
        return
    value = redact_value(screen.known().get(part))
    state.record.screens[index].model[part] = value
    step.judged.append({"screen": index, "part": part, "value": value})
