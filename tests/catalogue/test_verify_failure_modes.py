"""The checks of issue 12's failure modes, each seen passing what conforms and failing what does not, and each
failing (not passing) when the SUT sent or showed nothing to judge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import pytest

import nsp_vocabulary as v
from nspcert.act.screen import OVERVIEW, Screen
from nspcert.act.sut import Turn
from nspcert.arrange.people import Citizen
from nspcert.checks import NonConformance
from nspcert.driver.contract import Employee, ResponsibleUser
from nspcert.nsp.journal import Exchange, Exchanges
from nspcert.verify import display, faults, fgvh, fsk_read, identity, minlog

NURSE = Employee(cpr="0101801234", given_name="Hanne", family_name="Holm", authorisation_id="ABC12",
                 role="sygeplejerske", sor_code="123456789012345", organisation_name="Hjemmeplejen Nord")
DOCTOR = Employee(cpr="0202702345", given_name="Bo", family_name="Berg", authorisation_id="XY987", role="læge",
                  sor_code="123456789012345", organisation_name="Hjemmeplejen Nord")
CARE_WORKER = Employee(cpr="0303903456", given_name="Ib", family_name="Lund", authorisation_id="",
                       role="social- og sundhedshjælper", sor_code="123456789012345",
                       organisation_name="Hjemmeplejen Nord", responsible_user=ResponsibleUser(NURSE.cpr, "ABC12"))
CPR = "0101501234"


def _screen(**model: Any) -> Screen:
    return Screen(CPR, {"cpr": CPR, "fsk": {"read": False}, "messages": [], **model})


# --- FGVH read as the employee reads it -----------------------------------------------------------------------
@pytest.mark.parametrize(("state", "text"), [
    ("unknown", "Fravalg af genoplivningsforsøg: ukendt, Fælles Stamkort kunne ikke hentes"),
    ("opted_out", v.FGVH_TEXT_TRUE),
    ("not_opted_out", v.FGVH_TEXT_FALSE),
    ("not_opted_out", "Intet fravalg af genoplivning registreret"),
    ("unavailable", "Midlertidig utilgængelig"),
    ("opted_out", ""),  # a system may show the symbol without words
])
def test_the_fgvh_words_may_say_the_status_in_any_way_that_agrees(state: str, text: str) -> None:
    fgvh.expect_fgvh_state(_screen(fgvh={"state": state, "symbol_shown": state == "opted_out", "text": text}), state)


@pytest.mark.parametrize(("state", "text"), [
    ("unknown", v.FGVH_TEXT_FALSE),  # the machine says unknown, the nurse reads "wants resuscitation"
    ("unavailable", "Ikke fravalgt"),
    ("opted_out", "Borger har ikke fravalgt genoplivning"),
    ("not_opted_out", v.FGVH_TEXT_TRUE),
])
def test_fgvh_words_that_say_the_opposite_of_the_status_fail(state: str, text: str) -> None:
    with pytest.raises(NonConformance, match="in words that do not say otherwise"):
        fgvh.expect_fgvh_state(_screen(fgvh={"state": state, "symbol_shown": False, "text": text}), state)


def test_never_no_opt_out_reads_the_words_too() -> None:
    fgvh.expect_never_not_opted_out(_screen(fgvh={"state": "unknown", "symbol_shown": False, "text": "ukendt"}))
    with pytest.raises(NonConformance, match="'no opt-out'"):
        fgvh.expect_never_not_opted_out(_screen(fgvh={"state": "unknown", "symbol_shown": False,
                                                      "text": v.FGVH_TEXT_FALSE}))


# --- what the employee is told --------------------------------------------------------------------------------
def test_fsk_unreadable_needs_a_message_about_the_stamkort() -> None:
    faults.expect_told_fsk_unreadable(_screen(messages=[{"level": "error", "text": "FSK kunne ikke læses (HTTP 503)"}]))
    with pytest.raises(NonConformance, match="could not be read"):
        faults.expect_told_fsk_unreadable(_screen(messages=[{"level": "error", "text": "SFSK: HTTP 503"}]))


def test_a_refused_certificate_must_be_named() -> None:
    named = {"level": "error", "text": "Fælles Stamkort kunne ikke hentes: systemets funktionscertifikat blev afvist"}
    faults.expect_told_certificate_refused(_screen(messages=[named]))
    with pytest.raises(NonConformance, match="certificate"):
        faults.expect_told_certificate_refused(_screen(messages=[{"level": "error",
                                                                  "text": "Fælles Stamkort kunne ikke hentes"}]))


def test_no_stamkort_needs_a_message_and_no_stamkort_shown_as_read() -> None:
    faults.expect_told_no_stamkort(_screen(messages=[{"level": "warning", "text": "Borgeren har intet stamkort"}]))
    with pytest.raises(NonConformance, match="no stamkort"):
        faults.expect_told_no_stamkort(_screen(fsk={"read": True}))


@pytest.mark.parametrize(("fsk", "conforms"), [
    ({"read": False, "retrieved_at": None}, True),
    ({"read": False, "retrieved_at": "2025-03-04T09:00:00+01:00"}, True),  # the old read, marked with its time
    ({"read": True, "retrieved_at": "2025-03-04T10:00:00+01:00"}, False),
    ({"read": False, "retrieved_at": "2025-03-04T10:00:00+01:00"}, False),  # said to be read now
])
def test_a_stamkort_read_earlier_may_be_shown_only_as_not_current(fsk: dict[str, Any], conforms: bool) -> None:
    screen = _screen(fsk=fsk, opened_at="2025-03-04T10:00:00+01:00")
    if conforms:
        faults.expect_not_shown_as_current(screen)
    else:
        with pytest.raises(NonConformance, match="not shown as the current one"):
            faults.expect_not_shown_as_current(screen)


# --- the citizen list -----------------------------------------------------------------------------------------
def _listed(*rows: tuple[str, str, bool, str]) -> Screen:
    citizens = [{"cpr": cpr, "name": None, "fgvh": {"state": s, "symbol_shown": b, "text": t}} for cpr, s, b, t in rows]
    return Screen(", ".join(r[0] for r in rows), {"contract_version": "1.2", "citizens": citizens}, viewer=OVERVIEW)


def test_the_citizen_list_shows_the_symbol_for_an_opt_out_only() -> None:
    expected = {"0101501234": "opted_out", "0202602345": "not_opted_out", "0303703456": "unknown"}
    fgvh.expect_listed(_listed(("0101501234", "opted_out", True, ""), ("0202602345", "not_opted_out", False, ""),
                               ("0303703456", "unknown", False, "Ukendt")), expected)
    for wrong in [(("0101501234", "opted_out", False, ""),), (("0202602345", "not_opted_out", True, ""),),
                  (("0303703456", "not_opted_out", False, ""),), (("0303703456", "unknown", False, v.FGVH_TEXT_FALSE),)]:
        rows = {r[0]: r for r in [("0101501234", "opted_out", True, ""), ("0202602345", "not_opted_out", False, ""),
                                  ("0303703456", "unknown", False, "")]} | {wrong[0][0]: wrong[0]}
        with pytest.raises(NonConformance, match="FGVH on the citizen list"):
            fgvh.expect_listed(_listed(*rows.values()), expected)
    with pytest.raises(NonConformance, match="not on the list"):
        fgvh.expect_listed(_listed(), expected)


# --- MinLog2 --------------------------------------------------------------------------------------------------
LOOKED = dt.datetime.fromisoformat("2025-03-04T23:50:00+01:00")


@pytest.mark.parametrize(("entry", "conforms"), [
    ({"date_time": "2025-03-04T23:50:04+01:00"}, True),
    ({"date_time": "2025-03-04T22:50:04Z"}, True),
    ({"from_date_time": "2025-03-04T23:50:04+01:00", "to_date_time": "2025-03-04T23:55:00+01:00"}, True),
    ({"date_time": "2025-03-05T00:20:00+01:00"}, False),  # the time of delivery
    ({"date_time": "2025-03-04T22:50:04+01:00"}, False),
])
def test_the_minlog_time_is_the_time_of_use(entry: dict[str, Any], conforms: bool) -> None:
    if conforms:
        minlog.expect_time_of_use([entry], LOOKED, "the nurse")
    else:
        with pytest.raises(NonConformance, match="time of use"):
            minlog.expect_time_of_use([entry], LOOKED, "the nurse")


@pytest.mark.parametrize(("source", "value", "conforms"), [
    ("CPR", NURSE.cpr, True), ("Autorisation", "ABC12", True), (None, None, False), ("CPR", CARE_WORKER.cpr, False),
    ("Autorisation", NURSE.cpr, False),
])
def test_on_behalf_of_names_the_professional(source: str | None, value: str | None, conforms: bool) -> None:
    entry = {"user_person_identifier": CARE_WORKER.cpr, "on_behalf_of_source": source,
             "on_behalf_of_person_identifier": value}
    if conforms:
        minlog.expect_on_behalf_of([entry], CARE_WORKER, NURSE, "the care worker")
    else:
        with pytest.raises(NonConformance, match="on behalf of"):
            minlog.expect_on_behalf_of([entry], CARE_WORKER, NURSE, "the care worker")


@pytest.mark.parametrize(("entry", "conforms"), [
    ({"activity": "Opslag i Fælles Stamkort"}, True),
    ({"activity": "Opslag i Fælles Stamkort", "addition": "Ingen"}, True),
    ({"activity": "Opslag i Fælles Stamkort", "addition": "Værdispring"}, False),
    ({"activity": "Opslag i Fælles Stamkort", "addition": "Samtykke"}, False),
    ({"activity": "Brud på spærring af Fælles Stamkort"}, False),
])
def test_no_consent_override_in_minlog(entry: dict[str, Any], conforms: bool) -> None:
    if conforms:
        minlog.expect_no_consent_override([entry], "the nurse")
    else:
        with pytest.raises(NonConformance, match="consent override"):
            minlog.expect_no_consent_override([entry], "the nurse")


# --- ID cards and HSUID ---------------------------------------------------------------------------------------
def _call(number: int, service: str, operation: str, fault: str | None = None,
          acting: str | None = None) -> dict[str, Any]:
    summary: dict[str, Any] = {"fault": {"code": fault}} if fault else {}
    if acting:
        summary["hsuid"] = {"user_type": v.HSUID_USER_TYPE_PROFESSIONAL, "acting_user_cpr": acting}
    return {"id": number, "service": service, "operation": operation, "summary": summary}


SEARCH = ("sfsk-registry", "RegistryStoredQuery")
REFUSED = _call(2, *SEARCH, v.FAULT_NO_VALID_IDCARD)


def test_a_call_refused_for_its_card_is_sent_again_after_a_new_card() -> None:
    identity.expect_card_renewed_and_resent(Exchanges([_call(1, "sts", "Issue"), REFUSED, _call(3, "sts", "Issue"),
                                                       _call(4, *SEARCH)]))
    for calls in ([REFUSED], [REFUSED, _call(3, *SEARCH)], [REFUSED, _call(3, "sts", "Issue")],
                  [REFUSED, _call(3, *SEARCH), _call(4, "sts", "Issue")]):
        with pytest.raises(NonConformance, match="renewed and the refused call sent again"):
            identity.expect_card_renewed_and_resent(Exchanges(calls))


def test_a_call_refused_for_its_card_is_sent_again_only_once() -> None:
    identity.expect_resent_at_most_once(Exchanges([REFUSED, _call(3, "sts", "Issue"), _call(4, *SEARCH,
                                                                                             v.FAULT_NO_VALID_IDCARD)]))
    looping = [_call(n, *SEARCH, v.FAULT_NO_VALID_IDCARD) for n in range(2, 6)]
    with pytest.raises(NonConformance, match="again only once"):
        identity.expect_resent_at_most_once(Exchanges(looping))


def test_each_turn_names_its_own_employee() -> None:
    def turn(employee: Employee, acting: str, number: int) -> Turn:
        return Turn("x", employee, [Exchange(_call(number, *SEARCH, acting=acting))])

    identity.expect_each_turn_named([turn(NURSE, NURSE.cpr, 1), turn(DOCTOR, DOCTOR.cpr, 2)])
    with pytest.raises(NonConformance, match="HSUID acting user"):
        identity.expect_each_turn_named([turn(NURSE, NURSE.cpr, 1), turn(DOCTOR, NURSE.cpr, 2)])


# --- custody --------------------------------------------------------------------------------------------------
CHILD = Citizen("0101151234", ["Lille"], "Holm", dt.date(2015, 1, 1), "F", {"lines": ["Vej 1"]})


@pytest.mark.parametrize(("relation", "conforms"), [("mor", True), ("Mor", True), ("forælder", False), (None, False)])
def test_custody_is_shown_with_the_relation_fsk_names(relation: str | None, conforms: bool) -> None:
    screen = _screen(custody=[{"cpr": CHILD.cpr, "name": CHILD.name, "relation": relation}])
    if conforms:
        display.expect_custody(screen, [CHILD], "mor")
    else:
        with pytest.raises(NonConformance, match="children in custody"):
            display.expect_custody(screen, [CHILD], "mor")
    with pytest.raises(NonConformance, match="no custody on the child's own record"):
        display.expect_no_custody(screen)


def test_a_replacement_cpr_search_is_the_one_the_system_sent() -> None:
    rim = v.NS["rim"]
    body = (f'<q:AdhocQueryRequest xmlns:q="{v.NS["query"]}" xmlns:rim="{rim}"><rim:AdhocQuery>'
            f'<rim:Slot name="$XDSDocumentEntryPatientId"><rim:ValueList><rim:Value>'
            f"'{escape(v.patient_id('0101551AB1'))}'</rim:Value></rim:ValueList></rim:Slot></rim:AdhocQuery></q:AdhocQueryRequest>")
    calls = Exchanges([{"id": 1, "service": "sfsk-registry", "request": {"body": body}}])
    fsk_read.expect_searched_for(calls, "0101551AB1")
    with pytest.raises(NonConformance, match="FSK searched for the citizen"):
        fsk_read.expect_searched_for(calls, "0101551AB3")


@pytest.mark.parametrize("check", [
    lambda: minlog.expect_time_of_use([], LOOKED, "the nurse"),
    lambda: minlog.expect_on_behalf_of([], CARE_WORKER, NURSE, "the care worker"),
    lambda: minlog.expect_no_consent_override([], "the nurse"),
    lambda: identity.expect_card_renewed_and_resent(Exchanges([])),
    lambda: identity.expect_resent_at_most_once(Exchanges([])),
    lambda: fsk_read.expect_searched_for(Exchanges([]), "0101551AB1"),
], ids=["time-of-use", "on-behalf-of", "consent-override", "renewed", "at-most-once", "searched-for"])
def test_a_failure_mode_check_fails_when_the_sut_sent_nothing(check: Callable[[], None]) -> None:
    with pytest.raises(NonConformance, match="expected at least one"):
        check()
