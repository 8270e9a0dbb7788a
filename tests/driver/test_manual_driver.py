"""The manual driver with scripted answers: prompts, the screen model from answers, and the evidence."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from pathlib import Path

import pytest

from nspcert.catalogue.fixtures.settings import HarnessSettings
from nspcert.catalogue.fixtures.sut import connected_driver
from nspcert.driver.contract import DriverError, Employee, StamkortChange, SutDriver, narrated
from nspcert.driver.manual import EVIDENCE_FILE, EVIDENCE_LOG, ManualDriver
from nspcert.driver.manual_prompts import read_log
from nspcert.driver.validating import ValidatingDriver

EMPLOYEE = Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org")


def scripted(tmp_path: Path, *answers: str) -> tuple[ManualDriver, io.StringIO]:
    out = io.StringIO()
    return ManualDriver(tmp_path / "evidence", input=io.StringIO("".join(a + "\n" for a in answers)), output=out), out


def test_open_record_builds_a_valid_screen_and_keeps_the_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG fake")
    driver, out = scripted(tmp_path,
                           "",  # logged in
                           "",  # opened
                           "maybe", "y",  # FSK shown (after one invalid answer)
                           "1", "y", "Borger har fravalgt genoplivningsforsøg",  # FGVH
                           "Jens Jensen", "Testvej 1", "n",  # citizen
                           "",  # no messages
                           str(tmp_path / "missing.png"), str(shot))  # a wrong path, then the screenshot
    assert isinstance(driver, SutDriver)
    driver.step("FSK_1")
    user = driver.log_in(EMPLOYEE)
    screen = driver.open_record("0101601234", user)
    assert screen["fgvh"] == {"state": "opted_out", "symbol_shown": True,
                              "text": "Borger har fravalgt genoplivningsforsøg"}
    assert screen["citizen"]["name"] == "Jens Jensen"
    assert driver.view("0101601234", user) is screen  # view shows the last open: asked once
    assert "Please answer y or n" in out.getvalue() and "No such file" in out.getvalue()
    assert "Hanne Hansen" in out.getvalue()
    driver.close()
    manifest = json.loads((tmp_path / "evidence" / EVIDENCE_FILE).read_text("utf-8"))
    attached = [a for e in manifest["evidence"] for a in e["attachments"]]
    assert len(attached) == 1 and attached[0]["sha256"] == hashlib.sha256(shot.read_bytes()).hexdigest()
    assert (tmp_path / "evidence" / attached[0]["file"]).read_bytes() == shot.read_bytes()
    assert all(e["step"] == "FSK_1" for e in manifest["evidence"])


def test_capabilities_change_flush_and_citizen_view(tmp_path: Path) -> None:
    driver, _ = scripted(tmp_path, "Cura", "2.1", "Systematic", "y", "y", "n", "n", "y", "n",
                         "", "n", "Pårørende må ikke indeholde CPR-nummer",
                         "", "3", "0", "0",
                         "", "Hanne Hansen", "6f1c2c1e-6a0b-5b8e-9a51-1d2e3f4a5b6c", "Skjult medarbejder", "",
                         "n", "y")  # the tester judges the names that are no pseudonym
    caps = driver.capabilities()
    assert caps.system.name == "Cura" and caps.capabilities == {"stamkort.write", "minlog", "citizen-view"}
    result = driver.change_stamkort("0101601234", "u", StamkortChange("relative", "create", {"given": "Else"}))
    assert not result.succeeded and "CPR" in result.message
    assert driver.flush_minlog().sent == 3
    users = [a["user"] for a in driver.citizen_view("0101601234")["accesses"]]
    assert users == [{"display_name": "Hanne Hansen", "pseudonymised": False},
                     {"display_name": "6f1c2c1e-6a0b-5b8e-9a51-1d2e3f4a5b6c", "pseudonymised": True},
                     {"display_name": "Skjult medarbejder", "pseudonymised": True}]


def test_the_citizen_list_is_asked_citizen_by_citizen(tmp_path: Path) -> None:
    """Capability overview (1.2): the tester opens the list and says, for each citizen, what it shows of FGVH."""
    driver, out = scripted(tmp_path, "",  # logged in
                           "",  # the list opened
                           "1", "y", "Fravalg af genoplivning", "Jens Jensen",
                           "4", "n", "", "",
                           "")  # no screenshot
    user = driver.log_in(EMPLOYEE)
    listed = driver.overview(["0101601234", "0101551AB1"], user)
    assert [row["fgvh"]["state"] for row in listed["citizens"]] == ["opted_out", "unknown"]
    assert listed["citizens"][0] == {"cpr": "0101601234", "name": "Jens Jensen", "fgvh": {
        "state": "opted_out", "symbol_shown": True, "text": "Fravalg af genoplivning"}}
    assert listed["citizens"][1]["name"] is None
    assert "holding the citizens with CPR 0101601234, 0101551AB1" in out.getvalue()
    assert [e.key for e in driver.evidence if e.key.startswith("overview.2")] == [
        "overview.2.fgvh.state", "overview.2.fgvh.symbol_shown", "overview.2.fgvh.text", "overview.2.name"]


def test_a_tester_who_cannot_set_the_clock_is_a_driver_error(tmp_path: Path) -> None:
    driver, _ = scripted(tmp_path, "n")
    with pytest.raises(DriverError, match="clock"):
        driver.set_clock(None)


def test_end_of_input_is_a_driver_error(tmp_path: Path) -> None:
    driver, _ = scripted(tmp_path)
    with pytest.raises(DriverError, match="no answer"):
        driver.reset()


#: the answers to one open: FSK shown, FGVH ``state`` with/without symbol, name, address, no messages, no shot
def open_answers(fgvh_choice: str, symbol: str) -> list[str]:
    return ["", "y", fgvh_choice, symbol, "tekst", "Jens Jensen", "Testvej 1", "n", "", ""]


def test_every_answer_is_on_disk_as_it_is_given(tmp_path: Path) -> None:
    driver, _ = scripted(tmp_path, "", *open_answers("1", "y"))
    user = driver.log_in(EMPLOYEE)
    driver.open_record("0101601234", user)
    # no close(): a crash here must lose nothing the tester said
    logged = read_log(tmp_path / "evidence")
    assert [row["answer"] for row in logged] == ["", *open_answers("1", "y")]
    assert len({row["session"] for row in logged}) == 1
    assert not (tmp_path / "evidence" / EVIDENCE_FILE).exists()


def test_a_second_session_appends_to_the_log(tmp_path: Path) -> None:
    for _ in range(2):
        driver, _ = scripted(tmp_path, "")
        driver.reset()
        driver.close()
    logged = read_log(tmp_path / "evidence")
    assert len(logged) == 2 and logged[0]["session"] != logged[1]["session"]
    manifest = json.loads((tmp_path / "evidence" / EVIDENCE_FILE).read_text("utf-8"))
    assert manifest["log"] == EVIDENCE_LOG and len(manifest["evidence"]) == 1


def test_the_fixture_closes_the_driver_even_when_the_run_breaks(tmp_path: Path) -> None:
    settings = HarnessSettings(sut="manual", nsp="embedded", defects=(), nsp_token=None, log_dir=tmp_path / "logs")
    with pytest.raises(RuntimeError, match="broke"), connected_driver(settings, None) as driver:
        assert isinstance(driver, ValidatingDriver) and isinstance(driver.inner, ManualDriver)
        assert narrated(driver) is driver.inner, "the person behind the validation is still told where the run is"
        raise RuntimeError("the run broke")
    assert (tmp_path / "manual-evidence" / EVIDENCE_FILE).is_file()


def test_every_open_asks_again(tmp_path: Path) -> None:
    driver, _ = scripted(tmp_path, "", *open_answers("1", "y"), *open_answers("2", "n"))
    user = driver.log_in(EMPLOYEE)
    first = driver.open_record("0101601234", user)
    second = driver.open_record("0101601234", user)
    assert (first["fgvh"]["state"], second["fgvh"]["state"]) == ("opted_out", "not_opted_out")
    assert driver.view("0101601234", user)["fgvh"]["state"] == "not_opted_out"


def test_every_prompt_and_answer_names_the_gherkin_step_it_was_given_in(pytester: pytest.Pytester,
                                                                        tmp_path: Path) -> None:
    """A catalogue run tells the manual driver each step (fixtures/manual_tester.py), so the evidence names it."""
    evidence = tmp_path / "evidence"
    pytester.makeini("[pytest]\nbdd_features_base_dir = features\n")
    pytester.makeconftest(f'''
import io
from pathlib import Path

import pytest

from nspcert.driver.manual import ManualDriver

pytest_plugins = ["nspcert.catalogue.fixtures.manual_tester"]


@pytest.fixture(scope="session")
def driver():
    sut = ManualDriver(Path({str(evidence)!r}), input=io.StringIO("\\n" * 10), output=io.StringIO())
    yield sut
    sut.close()
''')
    (pytester.path / "features").mkdir()
    (pytester.path / "features" / "login.feature").write_text(
        "Feature: Logging in\n  Scenario: Two employees log in\n    Given the nurse logs in\n"
        "    When the doctor logs in\n", encoding="utf-8")
    pytester.makepyfile(test_login='''
from pytest_bdd import given, scenarios, when

from nspcert.driver.contract import Employee

scenarios("login.feature")


@given("the nurse logs in")
def _(driver):
    driver.log_in(Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1", "Org"))


@when("the doctor logs in")
def _(driver):
    driver.log_in(Employee("0101701235", "Jens", "Holm", "CD456", "læge", "1", "Org"))
''')
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    steps = [str(entry["step"]) for entry in read_log(evidence)]
    assert steps == ["Two employees log in: Given the nurse logs in", "Two employees log in: When the doctor logs in"]


def test_every_question_has_a_stable_key_shown_where_the_answer_is_typed_and_kept_with_it(tmp_path: Path) -> None:
    driver, out = scripted(tmp_path, "", *open_answers("1", "y"))
    driver.open_record("0101601234", driver.log_in(EMPLOYEE))
    keys = [str(row["key"]) for row in read_log(tmp_path / "evidence")]
    assert keys == ["act.log_in", "act.open_record", "fsk.read", "fgvh.state", "fgvh.symbol_shown", "fgvh.text",
                    "citizen.name", "citizen.address_text", "citizen.protected", "messages", "screenshot"]
    assert "\nfgvh.state> " in out.getvalue()


def test_the_tester_is_told_to_log_in_as_an_employee_with_identity_masking(tmp_path: Path) -> None:
    driver, out = scripted(tmp_path, "", "")
    driver.log_in(EMPLOYEE)
    assert "identity masking" not in out.getvalue()
    driver.log_in(dataclasses.replace(EMPLOYEE, identity_masked=True))
    assert "in a unit with identity masking" in out.getvalue()


def test_a_change_names_the_item_as_the_tester_can_find_it_on_the_screen(tmp_path: Path) -> None:
    """A relative by the name shown; another item as the one the record shows now (FSK holds one at a time)."""
    driver, out = scripted(tmp_path, "", "", "y", "Gemt", "", "y", "Gemt")
    user = driver.log_in(EMPLOYEE)
    driver.change_stamkort("0101601234", user, StamkortChange("relative", "delete", {}, "Jens Olsen"))
    driver.change_stamkort("0101601234", user, StamkortChange("temporary_address", "delete", {}, "f3a9-77"))
    prompts = out.getvalue()
    assert "delete the relative (the one shown as Jens Olsen) of 0101601234" in prompts
    assert "delete the temporary address (the one the record shows now, FSK id f3a9-77) of 0101601234" in prompts
    driver.close()


def test_a_person_is_the_only_narrated_driver_and_hands_over_what_they_attached(tmp_path: Path) -> None:
    """The suite tells a narrated driver where the run is and records its attachments through the recorder; it
    never asks which class a driver is."""
    from nspcert.driver.contract import narrated
    from nspcert.driver.http import HttpDriver
    from nspcert.driver.validating import ValidatingDriver

    driver, _ = scripted(tmp_path, "Cura", "2.1", "Systematic", "y", "y", "n", "n", "y", "n")
    assert narrated(driver) is driver and driver.answered() == 0
    driver.capabilities()
    assert driver.answered() > 0 and driver.attachments(0) == []
    http = HttpDriver("http://127.0.0.1:9")
    assert narrated(http) is None and narrated(ValidatingDriver(http)) is None
    http.close()
