"""Screens as evidence when the SUT's screen model is filled lazily (a manual tester answers part by part)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nspcert.act.screen import Screen
from nspcert.driver.manual_screen import AskedOnRead
from nspcert.evidence import recording
from nspcert.results.collect.recorder import ScenarioState
from nspcert.results.collect.scenario_evidence import ScenarioEvidence
from nspcert.results.model.records import ScenarioRecord, StepRecord


class Asked:
    """The questions a lazy screen asked, in order."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def later(self, key: str, value: Any) -> Callable[[], Any]:
        def ask() -> Any:
            self.keys.append(key)
            return value
        return ask


def scenario_state() -> ScenarioState:
    record = ScenarioRecord(nodeid="x", feature={}, scenario={},
                            steps=[StepRecord(index=0, keyword="Then", type="then", name="check", line=1)])
    return ScenarioState(record, current_step=0)


def test_showing_a_lazy_screen_asks_nothing_and_its_evidence_grows_with_what_checks_read() -> None:
    """The manual driver's screen model asks a part when a check reads it; recording it must not ask anything."""
    asked = Asked()
    citizen = AskedOnRead({"name": "Jens"}, {"provenance": asked.later("citizen.provenance", {"from_fsk": True})})
    model = AskedOnRead({"fgvh": {"state": "opted_out"}, "citizen": citizen},
                        {"relatives": asked.later("relatives", [{"name": "Else"}]),
                         "dentist": asked.later("dentist", {"name": "Tand"})})
    state = scenario_state()
    with recording(ScenarioEvidence(None, state)):
        screen = Screen("0101601234", model)
    assert asked.keys == [], "making and recording the screen must not ask the tester anything, nested parts included"
    assert state.record.screens[0].model == {"fgvh": {"state": "opted_out"}, "citizen": {"name": "Jens"}}

    screen.part("relatives")
    assert asked.keys == ["relatives"]
    assert state.record.screens[0].model["relatives"] == [{"name": "Else"}]
    assert "dentist" not in state.record.screens[0].model, "a part nobody asked for is not evidence"
    assert state.record.steps[0].judged == [{"screen": 0, "part": "relatives", "value": [{"name": "Else"}]}]


def test_the_whole_screen_is_every_part_as_plain_data() -> None:
    """The leak check serialises the whole screen: a lazy screen is asked for every part, nested ones too."""
    plain = Screen("0101601234", {"citizen": {"name": "Jens Hansen"}})
    assert "Jens Hansen" in json.dumps(plain.whole())
    asked = Asked()
    relative = AskedOnRead({"name": "Else"}, {"provenance": asked.later("provenance", {"source": "FSK"})})
    lazy = Screen("0101601234", AskedOnRead({"fgvh": {}}, {"relatives": asked.later("relatives", [relative])}))
    assert json.dumps(lazy.whole()) == (
        '{"fgvh": {}, "relatives": [{"name": "Else", "provenance": {"source": "FSK"}}]}')
    assert asked.keys == ["relatives", "provenance"]
    assert lazy.known() == lazy.whole(), "once asked, what is known is the whole"


def test_the_citizen_view_is_evidence_with_the_part_a_check_read(tmp_path: Path) -> None:
    from nspcert.act.screen import CITIZEN
    from nspcert.driver.contract import Employee
    from nspcert.results.render.evidence import write_evidence
    from nspcert.verify.masking import expect_name_hidden

    state = scenario_state()
    recorder = ScenarioEvidence(None, state)
    view = Screen("0101601234", {"contract_version": "1.1", "cpr": "0101601234", "accesses": [
        {"date": "2025-06-01", "organisation_name": "Hjemmeplejen", "activity": "Opslag i Fælles Stamkort",
         "user": {"display_name": "b23ec71e-b55b-5eb8-b94e-c936022dad9e", "pseudonymised": True}}]}, viewer=CITIZEN, evidence=recorder)
    with recording(recorder):
        expect_name_hidden(view, Employee("0101801234", "Hanne", "Holm", "ABC12", "sygeplejerske", "1", "Org"))
    assert state.record.steps[0].judged[0]["part"] == "accesses"
    assert state.record.steps[0].checked == [], "the check of the view is shown by the part it read"
    (evidence,) = write_evidence(tmp_path, state.record, "3.1.1")
    assert evidence.name == "FSK_3.1.1.1_A_R.json" and evidence.screen == 0
    assert evidence.description == "what the citizen was shown of who used their data (citizen 0101601234)"
    assert json.loads((tmp_path / "evidence" / evidence.name).read_text("utf-8"))["accesses"][0]["user"][
        "display_name"] == "b23ec71e-b55b-5eb8-b94e-c936022dad9e"
