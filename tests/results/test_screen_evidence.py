"""Screens as evidence when the SUT's screen model is filled lazily (a manual tester answers part by part)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nspcert.act.screen import Screen
from nspcert.results.collect.recorder import ScenarioState
from nspcert.results.collect.screens import judged, shown
from nspcert.results.model.records import ScenarioRecord, StepRecord


class AskingModel(dict[str, Any]):
    """Like the manual driver's screen: a part is asked for (and counted) only when it is read."""

    def __init__(self, known: dict[str, Any], later: dict[str, Callable[[], Any]]) -> None:
        super().__init__(known)
        self.later, self.asked = later, []

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.later:
            self.asked.append(key)
            self[key] = self.later.pop(key)()
        return super().get(key, default)

    def keys(self) -> Any:
        self._ask_all()
        return super().keys()

    def __iter__(self) -> Iterator[str]:
        self._ask_all()
        return super().__iter__()

    def items(self) -> Any:
        self._ask_all()
        return super().items()

    def _ask_all(self) -> None:
        for key in list(self.later):
            self.get(key)


def scenario_state() -> ScenarioState:
    record = ScenarioRecord(nodeid="x", feature={}, scenario={},
                            steps=[StepRecord(index=0, keyword="Then", type="then", name="check", line=1)])
    return ScenarioState(record, current_step=0)


def test_showing_a_lazy_screen_asks_nothing_and_its_evidence_grows_with_what_checks_read() -> None:
    model = AskingModel({"fgvh": {"state": "opted_out"}}, {"relatives": lambda: [{"name": "Else"}],
                                                         "dentist": lambda: {"name": "Tand"}})
    state = scenario_state()
    screen = Screen("0101601234", model)
    shown(state, screen)
    assert model.asked == [], "wrapping and recording the screen must not ask the tester anything"
    assert state.record.screens[0].model == {"fgvh": {"state": "opted_out"}}

    screen.model.get("relatives")
    judged(state, screen, "relatives")
    assert model.asked == ["relatives"]
    assert state.record.screens[0].model["relatives"] == [{"name": "Else"}]
    assert "dentist" not in state.record.screens[0].model, "a part nobody asked for is not evidence"
    assert state.record.steps[0].judged == [{"screen": 0, "part": "relatives", "value": [{"name": "Else"}]}]


def test_a_screen_written_as_json_is_the_whole_model() -> None:
    """The leak check serialises the whole screen: the read-tracking view must not hide it from json.dumps."""
    plain = Screen("0101601234", {"citizen": {"name": "Jens Hansen"}})
    assert "Jens Hansen" in json.dumps(plain.model)
    lazy = Screen("0101601234", AskingModel({"fgvh": {}}, {"relatives": lambda: [{"name": "Else"}]}))
    assert "Else" in json.dumps(lazy.model), "serialising the whole screen asks for its every part"


def test_the_citizen_view_is_evidence_with_the_part_a_check_read(tmp_path: Path) -> None:
    from nspcert import checks
    from nspcert.act.screen import CITIZEN
    from nspcert.driver.contract import Employee
    from nspcert.results.collect.checked import CheckWatch
    from nspcert.results.render.evidence import write_evidence
    from nspcert.verify.masking import expect_name_hidden

    state = scenario_state()
    view = Screen("0101601234", {"contract_version": "1.1", "cpr": "0101601234", "accesses": [
        {"date": "2025-06-01", "organisation_name": "Hjemmeplejen", "activity": "Opslag i Fælles Stamkort",
         "user": {"display_name": "b23ec71e-b55b-5eb8-b94e-c936022dad9e", "pseudonymised": True}}]}, viewer=CITIZEN)
    shown(state, view)
    unlisten = checks.listen(CheckWatch(lambda: state))
    try:
        view.model.get("accesses")
        judged(state, view, "accesses")
        expect_name_hidden(view, Employee("0101801234", "Hanne", "Holm", "ABC12", "sygeplejerske", "1", "Org"))
    finally:
        unlisten()
    assert state.record.steps[0].judged[0]["part"] == "accesses"
    assert state.record.steps[0].checked == [], "the check of the view is shown by the part it read"
    (evidence,) = write_evidence(tmp_path, state.record, "3.1.1")
    assert evidence.name == "FSK_3.1.1.1_A_R.json" and evidence.screen == 0
    assert evidence.description == "what the citizen was shown of who used their data (citizen 0101601234)"
    assert json.loads((tmp_path / "evidence" / evidence.name).read_text("utf-8"))["accesses"][0]["user"][
        "display_name"] == "b23ec71e-b55b-5eb8-b94e-c936022dad9e"
