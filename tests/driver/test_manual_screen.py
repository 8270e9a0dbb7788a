"""The manual driver asks about a part of the screen only when a check reads it, and asks for all of it
when a check reads the whole screen."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from nspcert.act.screen import Screen
from nspcert.checks import NonConformance
from nspcert.driver.contract import Employee
from nspcert.driver.manual import ManualDriver
from nspcert.verify import display

CPR = "0101601234"
EMPLOYEE = Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org")
OPEN = ["", "", "y", "2", "n", "Ingen fravalg", "Jens Jensen", "Testvej 1", "n", "", ""]  # log in, open, screen
RELATIVE = ["1", "Else Jensen", "datter", "MC +4512345678", "x 1", "H 12", "", "\"'<>;&@/\\^*", ""]
PROVENANCE = ["y", "3", "", "Testkommune", "Indtastet af sundhedsperson", "1-1-2025 12", "01-01-2025 12:00"]


def opened(tmp_path: Path, *later: str) -> tuple[dict[str, object], io.StringIO]:
    out = io.StringIO()
    driver = ManualDriver(tmp_path, input=io.StringIO("".join(a + "\n" for a in [*OPEN, *later])), output=out)
    return driver.open_record(CPR, driver.log_in(EMPLOYEE)), out


def test_opening_asks_only_what_every_check_needs(tmp_path: Path) -> None:
    screen, out = opened(tmp_path)
    assert screen["fgvh"] == {"state": "not_opted_out", "symbol_shown": False, "text": "Ingen fravalg"}
    assert "relative" not in out.getvalue() and "GP" not in out.getvalue()


def test_a_check_reading_relatives_asks_about_them_then_and_only_then(tmp_path: Path) -> None:
    screen, out = opened(tmp_path, *RELATIVE, *PROVENANCE, "")
    display.expect_note(Screen(CPR, screen), "Else Jensen", "\"'<>;&@/\\^*")
    assert "Skipped 'x 1'" in out.getvalue()
    assert "entered" not in out.getvalue()  # provenance is a part of its own
    display.expect_entered_at(Screen(CPR, screen), "Else Jensen", "2025-01-01 12:00")
    display.expect_entered_by(Screen(CPR, screen), "Else Jensen", "EnteredHealthcareprofessional", "Testkommune")
    display.expect_phones(Screen(CPR, screen), {"+4512345678": "MC", "12": "H"})  # reads the patient's phones too
    assert "Please type it as" in out.getvalue()


def test_what_the_tester_saw_can_fail_the_check(tmp_path: Path) -> None:
    screen, _ = opened(tmp_path, "y", "Feriehus 1", "", "31-12-2025", "", "y", "Lisbeth Hansen", "2", "")
    with pytest.raises(NonConformance, match="temporary address period"):
        display.expect_temporary_address(Screen(CPR, screen), "2025-12-01", None)
    assert screen["temporary_address"]["from"] == "2025-12-31" and screen["temporary_address"]["to"] is None
    assert screen.get("gp") == {"name": "Lisbeth Hansen", "yder_number": "2", "phones": []}


def test_a_check_reading_the_whole_screen_asks_about_every_part(tmp_path: Path) -> None:
    every_part = ["n", "", "1", "2", "3", "", "n", "n", "", "0", "0"]
    citizen_provenance = ["y", "4", "CPR-registret", ""]
    screen, out = opened(tmp_path, *every_part, *citizen_provenance)
    shown = Screen(CPR, screen).whole()  # as a check that reads the whole screen sees it
    assert shown["registrations"]["organ_donor"]["registered"] is True
    assert shown["registrations"]["living_will"]["registered"] is None
    assert shown["citizen"]["provenance"] == {"from_fsk": True, "source": "CPR-registret", "entered_by": None,
                                              "entered_at": None, "entered_at_display": None}
    assert shown["relatives"] == [] and shown["custody"] == []
    assert len(re.findall(r"\n[\w.]+> ", out.getvalue())) == len(OPEN) + len(every_part) + len(citizen_provenance)


def test_nothing_more_is_asked_when_fsk_was_not_shown(tmp_path: Path) -> None:
    out = io.StringIO()
    answers = ["", "n", "4", "n", "Ukendt", "FSK kunne ikke hentes", "", ""]
    driver = ManualDriver(tmp_path, input=io.StringIO("".join(a + "\n" for a in answers)), output=out)
    screen = driver.open_record(CPR, "u")
    assert screen.pending() == [] and screen.answered()["relatives"] == []
    assert screen["messages"] == [{"level": "error", "text": "FSK kunne ikke hentes"}]


def test_a_question_asked_long_after_the_open_names_the_record_it_is_about(tmp_path: Path) -> None:
    """The registrations and the patient's phones are asked when a check reads them, maybe steps later."""
    screen, out = opened(tmp_path, "1", "2", "3", "MC +4512345678", "")
    assert screen["registrations"]["organ_donor"]["registered"] is True
    assert screen["contact_phones"] == [{"use": "MC", "value": "+4512345678"}]
    asked = [line for line in out.getvalue().splitlines() if "registered" in line or "phone number" in line]
    assert len(asked) == 4 and all(f"the record of {CPR} (as opened in step 'setup')" in line for line in asked)


def test_a_note_with_a_line_break_is_typed_line_by_line_and_kept_exactly(tmp_path: Path) -> None:
    note = ["Ring før kl. 8 \"altid\" <ikke> sms; & @ / \\ ^ * 'tak'. ", "  Nøglen ligger hos naboen."]
    screen, _ = opened(tmp_path, "1", "Else Jensen", "datter", "", *note, "", *PROVENANCE)
    display.expect_note(Screen(CPR, screen), "Else Jensen", "\n".join(note))


def test_the_contract_judges_a_persons_screen_on_what_is_answered_and_again_on_each_answer(tmp_path: Path) -> None:
    """One validation path: the wrapper every driver gets judges a lazily asked screen as the answers come."""
    from nspcert.driver.contract import ScreenModelInvalid
    from nspcert.driver.manual_screen import AskedOnRead
    from nspcert.driver.validating import ValidatingDriver

    out = io.StringIO()
    person = ManualDriver(tmp_path, input=io.StringIO("".join(a + "\n" for a in OPEN)), output=out)
    driver = ValidatingDriver(person, "manual")
    screen = driver.open_record(CPR, driver.log_in(EMPLOYEE))
    assert isinstance(screen, AskedOnRead) and "gp" in screen.pending(), "validating it asked nothing more"
    known = {key: value for key, value in screen.answered().items() if key != "gp"}
    broken = AskedOnRead(known, {"gp": lambda: {"name": 5, "phones": []}})
    with pytest.raises(ScreenModelInvalid, match="gp/name"):
        ValidatingDriver(_Showing(broken), "manual").view(CPR, "u").get("gp")


class _Showing:
    """A driver whose every screen is ``model`` (only ``view`` is used)."""

    def __init__(self, model: object) -> None:
        self.model = model

    def view(self, cpr: str, user_id: str) -> object:
        return self.model
