"""Steps about who acts and how the system identifies itself: employees, ID cards, DGWS and HSUID."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from pytest_bdd import given, parsers, then, when

from nspcert.act.actors import LoggedInEmployee
from nspcert.act.sut import Turn, log_in, take_turns
from nspcert.arrange import platform_faults
from nspcert.arrange.people import Citizen, People, on_behalf_of, with_unit_identifiers
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.verify import identity

Introduce = Callable[[LoggedInEmployee, str], None]
ROLE = r"(?P<role>nurse|doctor|care worker)"


@given(parsers.re(r"an? (?P<role>nurse|doctor|care worker) is logged in to the system"), target_fixture="employee")
def _(role: str, people: People, driver: SutDriver, staff: dict[str, LoggedInEmployee], introduce: Introduce
      ) -> LoggedInEmployee:
    employee = log_in(driver, staff, role, people.employee(role))
    introduce(employee, role)
    return employee


@given(parsers.re(r"an? (?P<role>nurse|doctor) of a masked organisation is logged in to the system"),
       target_fixture="employee")
def _(role: str, people: People, driver: SutDriver, staff: dict[str, LoggedInEmployee], introduce: Introduce
      ) -> LoggedInEmployee:
    employee = log_in(driver, staff, role, dataclasses.replace(people.employee(role), identity_masked=True))
    introduce(employee, f"{role} of a masked organisation")
    return employee


@given(parsers.re(r"a (?P<role>doctor|nurse) (?P<other>of another organisation )?is also logged in to the system"))
def _(role: str, other: str | None, people: People, driver: SutDriver, staff: dict[str, LoggedInEmployee],
      introduce: Introduce) -> None:
    employee = people.employee(role)
    if other:
        employee = with_unit_identifiers(dataclasses.replace(employee, sor_code="486731000016000",
                                                             organisation_name="Regionshospitalet Nord"))
    introduce(log_in(driver, staff, role, employee), role)


@given(parsers.re(r"a care worker without an authorisation is logged in to act on behalf of the (?P<role>nurse|doctor)"))
def _(role: str, people: People, driver: SutDriver, staff: dict[str, LoggedInEmployee], introduce: Introduce) -> None:
    care_worker = on_behalf_of(people.employee("care worker"), staff[role].employee)
    introduce(log_in(driver, staff, "care worker", care_worker), f"care worker acting for the {role}")


@then("the system obtained a system ID card at level 3 with its function certificate")
def _(calls: Exchanges) -> None:
    identity.expect_level3_system_card(calls)


@then("every call to FSK was made with a system ID card, never an employee's card")
def _(calls: Exchanges) -> None:
    identity.expect_only_system_cards(calls)


@then("every call to the platform carried a signed ID card, a timestamp and a message id")
def _(calls: Exchanges) -> None:
    identity.expect_security_headers(calls)


@then("every call to FSK made with the system ID card asked only for what system users may")
def _(calls: Exchanges) -> None:
    identity.expect_system_user_operations(calls)


@then("no two calls carried the same message id")
def _(calls: Exchanges) -> None:
    identity.expect_unique_message_ids(calls)


@then(parsers.re(rf"every call to FSK named the {ROLE} as the acting health professional"))
def _(role: str, calls: Exchanges, staff: dict[str, LoggedInEmployee]) -> None:
    identity.expect_acting_employee(calls.fsk_calls(), staff[role].employee)


@then(parsers.re(rf"every call to FSK named the {ROLE}, by CPR number and authorisation code, as the responsible "
                 r"professional"))
def _(role: str, calls: Exchanges, staff: dict[str, LoggedInEmployee]) -> None:
    identity.expect_responsible_user(calls.fsk_calls(), staff[role].employee)


@then(parsers.re(r"every call to FSK named the (?P<role>\w+)'s organisation by its SOR code, ydernummer or SKS code"))
def _(calls: Exchanges, employee: LoggedInEmployee) -> None:
    identity.expect_organisation(calls.fsk_calls(), employee.employee)


@then("every call to FSK reached the search or the retrieval it was meant for")
def _(calls: Exchanges) -> None:
    identity.expect_soap11_binding(calls)


@then("every call to FSK named the system, its version and its owner")
def _(calls: Exchanges) -> None:
    identity.expect_system_named(calls.fsk_calls())


@then("the system asked the STS for an ID card only once")
def _(calls: Exchanges) -> None:
    identity.expect_sts_requests(calls, 1)


@then("the system asked the STS for a new ID card")
def _(calls: Exchanges) -> None:
    identity.expect_sts_requests(calls, 2)


@then("the platform never received an expired ID card")
def _(calls: Exchanges) -> None:
    identity.expect_no_expired_card(calls)


@when(parsers.re(r"the (?P<first>nurse|doctor) and the (?P<second>nurse|doctor) take turns opening the citizen's "
                 r"record"), target_fixture="turns")
def _(first: str, second: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver,
      nsp: MockNspAdmin, request: pytest.FixtureRequest) -> list[Turn]:
    return take_turns(driver, nsp, staff, [first, second, first, second], citizen.cpr, request.node.nodeid)


@then("every call to FSK named the employee whose turn it was as the acting health professional")
def _(turns: list[Turn]) -> None:
    identity.expect_each_turn_named(turns)


@given("FSK refuses the next call because it no longer accepts the system's ID card")
def _(nsp: MockNspAdmin) -> None:
    platform_faults.refuse_card_once(nsp)


@then("the system got a new ID card and sent the refused call again")
def _(calls: Exchanges) -> None:
    identity.expect_card_renewed_and_resent(calls)


@then("the system sent the refused call again only once")
def _(calls: Exchanges) -> None:
    identity.expect_resent_at_most_once(calls)
