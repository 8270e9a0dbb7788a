"""Passing checks as evidence: a step that judges what the SUT sent shows what it received, not only "As expected"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nspcert.act.screen import Screen
from nspcert.checks import NonConformance, require
from nspcert.driver.contract import Employee
from nspcert.evidence import recording
from nspcert.nsp.journal import Exchanges
from nspcert.results.collect.recorder import ScenarioState
from nspcert.results.collect.scenario_evidence import ScenarioEvidence
from nspcert.results.model.records import ScenarioRecord, StepRecord
from nspcert.results.render.step_text import LINES_SHOWN
from nspcert.results.render.step_text import describe_checks as describe
from nspcert.results.render.words import Words
from nspcert.verify import identity

NURSE = Employee(cpr="0101801234", given_name="Hanne", family_name="Holm", authorisation_id="ABC12",
                 role="sygeplejerske", sor_code="123456789012345", organisation_name="Hjemmeplejen Nord")


def _call(journal_id: int, service: str, operation: str, acting: str = NURSE.cpr) -> dict[str, object]:
    return {"id": journal_id, "service": service, "operation": operation,
            "summary": {"hsuid": {"user_type": "nsi:HealthcareProfessional", "acting_user_cpr": acting}}}


@pytest.fixture
def state() -> Iterator[ScenarioState]:
    record = ScenarioRecord(nodeid="x", feature={}, scenario={}, steps=[
        StepRecord(index=0, keyword="When", type="when", name="the nurse opens the record", line=1),
        StepRecord(index=1, keyword="Then", type="then", name="every call named the nurse", line=2)])
    running = ScenarioState(record, current_step=1)
    with recording(ScenarioEvidence(None, running)):
        yield running


def test_a_passing_check_records_what_it_received_and_where(state: ScenarioState) -> None:
    calls = Exchanges([_call(17, "sfsk-registry", "RegistryStoredQuery"),
                       _call(18, "sfsk-repository", "RetrieveDocumentSet")])
    identity.expect_acting_employee(calls.fsk_calls(), NURSE)
    assert state.record.steps[1].checked == [
        {"check": "call to FSK recorded", "received": "2", "where": ["mock NSP journal for this scenario"], "more": 0},
        {"check": "HSUID acting user", "received": f"nsi:HealthcareProfessional with CPR {NURSE.cpr}",
         "where": ["sfsk-registry RegistryStoredQuery (journal #17)", "sfsk-repository RetrieveDocumentSet (journal #18)"],
         "more": 0}]
    text, files = describe(state.record.steps[1], {17: "FSK_3.1.1.1_A_S.xml"}, Words.of("en"))
    assert text.splitlines()[1] == (
        f"HSUID acting user: nsi:HealthcareProfessional with CPR {NURSE.cpr} — sfsk-registry RegistryStoredQuery "
        "(journal #17, FSK_3.1.1.1_A_S.xml); sfsk-repository RetrieveDocumentSet (journal #18)")
    assert files == ["FSK_3.1.1.1_A_S.xml"], "the exchange the check names is linked; one without a file is not"


def test_a_failing_check_records_nothing_and_a_check_outside_a_step_has_no_row(state: ScenarioState) -> None:
    with pytest.raises(NonConformance):
        identity.expect_acting_employee(Exchanges([_call(17, "sfsk-registry", "X", acting="0101801235")]).fsk_calls(),
                                        NURSE)
    assert [group["check"] for group in state.record.steps[1].checked] == ["call to FSK recorded"]
    state.current_step = None  # a fixture between steps
    require(True, check="set-up", expected="x", received="x", where="")
    assert [group["check"] for group in state.record.steps[1].checked] == ["call to FSK recorded"]


def test_a_screen_check_is_left_to_the_screen_part_it_read(state: ScenarioState) -> None:
    screen = Screen("0101801234", {"fgvh": {"state": "opted_out"}})
    assert state.screens_seen == [screen], "a screen made while a scenario records is shown to its recorder"
    require(screen.fgvh.state == "opted_out", check="FGVH status shown", expected="opted_out", received="opted_out",
            where=screen.where())
    assert state.record.steps[1].checked == []
    assert [judged["part"] for judged in state.record.steps[1].judged] == ["fgvh"]


def test_a_check_that_read_the_whole_screen_says_what_it_judged(state: ScenarioState) -> None:
    """"Nothing protected is shown" reads no single part: its step would otherwise say only "As expected"."""
    from nspcert.verify import display

    screen = Screen("0101801234", {"citizen": {"name": "Navne- og adressebeskyttet", "address_text": None}})
    display.expect_nothing_leaked(screen, "Hansen", "Testvej 1")
    assert state.record.steps[1].checked == [{
        "check": "nothing protected or masked shown", "received": "none of 'Hansen', 'Testvej 1' anywhere on the screen",
        "where": [screen.where()], "more": 0}]


def test_many_passing_checks_stay_short_and_secrets_stay_out(state: ScenarioState) -> None:
    for n in range(30):
        require(True, check=f"check {n}", expected="", received={"salt": "c2FsdA==", "n": n}, where=f"entry {n}")
    for n in range(40):
        require(True, check="MinLog2 organisation", expected="", received="SOR 1", where=f"MinLog2 entry {n}")
    step = state.record.steps[1]
    assert step.checked[0]["received"] == '{"n": 0, "salt": "[REDACTED]"}'
    text, _ = describe(step, {}, Words.of("en"))
    lines = text.splitlines()
    assert len(lines) == LINES_SHOWN + 1 and lines[-1] == f"… and {31 - LINES_SHOWN} more passed checks"
    minlog = next(group for group in step.checked if group["check"] == "MinLog2 organisation")
    assert len(minlog["where"]) == 20 and minlog["more"] == 20, "places are bounded and counted"


def test_outside_a_recording_nothing_is_recorded_and_a_recorder_can_be_handed_over(state: ScenarioState) -> None:
    """Checks and screens report to the recorder bound for the scenario; once it ends, to none (NO_EVIDENCE)."""
    from nspcert.evidence import NO_EVIDENCE, recorded

    other = ScenarioState(ScenarioRecord(nodeid="y", feature={}, scenario={}, steps=[
        StepRecord(index=0, keyword="Then", type="then", name="x", line=1)]), current_step=0)
    with recording(NO_EVIDENCE):
        require(True, check="unrecorded", expected="", received="x", where="here")
        assert recorded() is NO_EVIDENCE and Screen("0101801234", {}).evidence is NO_EVIDENCE
    require(True, check="handed", expected="", received="y", where="there", evidence=ScenarioEvidence(None, other))
    assert [g["check"] for g in state.record.steps[1].checked] == []
    assert [g["check"] for g in other.record.steps[0].checked] == ["handed"]
