"""The screen model built from the real PDC-DK samples: structured entries only."""

from __future__ import annotations

from datetime import UTC, datetime

from eoj_fake_nsp import FALSE_SAMPLE, NAV_SAMPLE, pdc_with_fgvh
from nsp_reference import reference

import nsp_vocabulary as v
from nspcert.driver.contract import validate_screen_model
from reference_eoj.defects import Defects
from reference_eoj.pdc import parse_pdc
from reference_eoj.screen import ScreenContext, from_pdc, unreadable

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def screen(document: bytes, defects: str = "") -> dict:
    pdc = parse_pdc(document)
    return validate_screen_model(from_pdc(pdc, ScreenContext(pdc.cpr, NOW, Defects.parse(defects))))


def test_nav_sample_shows_fgvh_unavailable_and_the_typed_in_data() -> None:
    s = screen(reference(NAV_SAMPLE).read_bytes())
    assert s["fgvh"] == {"state": "unavailable", "symbol_shown": False, "text": s["fgvh"]["text"]}
    assert "utilgængelig" in s["fgvh"]["text"]
    assert s["citizen"]["name"] == "Nielsen Nielsen"
    assert s["language"]["code"] == "de"
    assert s["temporary_address"]["from"] == "2014-01-06" and s["temporary_address"]["to"] == "2025-01-06"
    assert s["dentist"]["yder_number"] == "123456"
    assert s["contact_phones"][0]["use"] == "MC"
    relative = s["relatives"][0]
    assert relative["name"] == "Else Jochomsen" and relative["relation"] == "forældre"
    assert relative["phones"] == [{"use": "WP", "value": "70343332"}]
    assert relative["note"].startswith("Moren arbejder\nhos TDC")  # the sample's line break is kept
    assert relative["provenance"]["entered_by"] == {"kind": "EnteredCitizen", "name": "Fissirul Lohman",
                                                    "organisation": None}
    assert relative["provenance"]["entered_at_display"] == "24-10-2017 14:34"
    assert s["registrations"]["organ_donor"] == {"registered": True, "text": "Registreret",
                                                 "provenance": s["registrations"]["organ_donor"]["provenance"]}
    assert s["gp"]["yder_number"] == "123123"


def test_professional_entries_show_the_organisation_not_the_person() -> None:
    dentist = screen(reference(NAV_SAMPLE).read_bytes())["dentist"]
    assert dentist["provenance"]["entered_by"] == {"kind": "EnteredHealthcareprofessional", "name": None,
                                                   "organisation": "Organisation"}


def test_false_sample_without_gp() -> None:
    s = screen(reference(FALSE_SAMPLE).read_bytes())
    assert s["fgvh"]["state"] == "not_opted_out" and s["fgvh"]["symbol_shown"] is False
    assert s["fgvh"]["text"] == v.FGVH_TEXT_FALSE
    assert s["gp"] is None
    assert s["citizen"]["name"] == "Sofie Bach"
    assert s["messages"] == []


def test_true_shows_the_symbol() -> None:
    fgvh = screen(pdc_with_fgvh("true"))["fgvh"]
    assert fgvh == {"state": "opted_out", "symbol_shown": True, "text": v.FGVH_TEXT_TRUE}


def test_unreadable_fsk_is_unknown_never_no_opt_out() -> None:
    s = validate_screen_model(unreadable(ScreenContext("0408801111", NOW, Defects()), "FSK kunne ikke hentes"))
    assert s["fgvh"]["state"] == "unknown" and s["fgvh"]["symbol_shown"] is False
    assert s["messages"] == [{"level": "error", "text": "FSK kunne ikke hentes"}]


def test_structured_entries_win_over_a_different_narrative() -> None:
    document = reference(FALSE_SAMPLE).read_bytes().replace(b"<item>Sofie Bach</item>", b"<item>Forkert Efternavn</item>")
    assert b"Forkert Efternavn" in document
    assert screen(document)["citizen"]["name"] == "Sofie Bach"
    assert screen(document, "narrative-render")["citizen"]["name"] == "Forkert Efternavn"


def test_protected_marker_sets_the_flag() -> None:
    document = reference(FALSE_SAMPLE).read_bytes().replace(b"<family>Bach</family>", b"<family>BESKYTTET NAVN/ADRESSE</family>")
    assert screen(document)["citizen"]["protected"] is True
