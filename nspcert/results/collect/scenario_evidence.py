"""The evidence of one running scenario: the ``scenario_evidence`` fixture, and the recorder of
:mod:`nspcert.evidence`.

The collector's autouse fixture ``scenario_evidence`` makes one per scenario and binds it while the scenario runs
(``nspcert.evidence.recording``). Fixtures hand it exchanges and files (``add_exchange``, ``add_file``); the screens
the scenario reads and the checks that pass report to it (``shown``, ``read``, ``passed``), and it files each on the
step running (:mod:`nspcert.results.collect.screens`, :mod:`nspcert.results.collect.checked`). Without reports
(no ``--nspcert-report-dir``) it records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from nspcert.act.screen import Screen
from nspcert.results.collect import checked, screens
from nspcert.results.collect.recorder import ScenarioState, record_exchanges, record_file


class ScenarioEvidence:
    """A handle on the current scenario's evidence (``state``: None when no report is written)."""

    def __init__(self, request: pytest.FixtureRequest | None, state: ScenarioState | None) -> None:
        self._request, self.state = request, state

    def add_exchange(self, entry: Mapping[str, Any], *, step: int | None = None) -> None:
        self.add_exchanges([entry], step=step)

    def add_exchanges(self, entries: Iterable[Mapping[str, Any]], *, step: int | None = None) -> None:
        if self._request is not None:
            record_exchanges(self._request, entries, step=step)

    def add_file(self, path: str | Path, description: str, *, direction: str = "S", step: int | None = None) -> None:
        if self._request is not None:
            record_file(self._request, path, description, direction=direction, step=step)

    def shown(self, screen: Screen) -> None:
        if self.state is not None:
            screens.shown(self.state, screen)

    def read(self, screen: Screen, part: str) -> None:
        if self.state is not None:
            screens.judged(self.state, screen, part)

    def passed(self, check: str, received: Any, where: str) -> None:
        if self.state is not None:
            checked.passed(self.state, check, received, where)
