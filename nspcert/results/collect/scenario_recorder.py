"""The evidence recorder of one running scenario (:class:`nspcert.evidence.Evidence`).

The collector's ``evidence`` fixture makes one per scenario and binds it while the scenario runs; the screens the
scenario reads and the checks that pass report to it, and it files each on the step running
(:mod:`nspcert.results.collect.screens`, :mod:`nspcert.results.collect.checked`).
"""

from __future__ import annotations

from typing import Any

from nspcert.act.screen import Screen
from nspcert.results.collect import checked, screens
from nspcert.results.collect.recorder import ScenarioState


class ScenarioRecorder:
    """Screens shown, parts read and checks passed, as evidence of the scenario whose ``state`` it holds."""

    def __init__(self, state: ScenarioState) -> None:
        self.state = state

    def shown(self, screen: Screen) -> None:
        screens.shown(self.state, screen)

    def read(self, screen: Screen, part: str) -> None:
        screens.judged(self.state, screen, part)

    def passed(self, check: str, received: Any, where: str) -> None:
        checked.passed(self.state, check, received, where)
