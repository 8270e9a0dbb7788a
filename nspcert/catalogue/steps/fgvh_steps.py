"""Steps about the citizen's opt-out of resuscitation (FGVH) and how the employee sees it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pytest_bdd import given, parsers, then, when

from nspcert.act.actors import LoggedInEmployee
from nspcert.act.screen import Screen
from nspcert.act.sut import citizen_list
from nspcert.arrange import platform_faults
from nspcert.arrange.people import Citizen, People
from nspcert.arrange.registers import danish_now, make_register_unavailable, register_opt_out, withdraw_opt_out
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.verify.fgvh import (
    expect_fgvh_state,
    expect_listed,
    expect_never_not_opted_out,
    expect_on_record,
    expect_symbol,
    expect_told_in_words,
)


@given(parsers.re(r"the citizen registered an opt-out of resuscitation (?P<ago>a month|\d+ days) ago"))
def _(ago: str, citizen: Citizen, nsp: MockNspAdmin) -> None:
    days = 30 if ago == "a month" else int(ago.split()[0])
    register_opt_out(nsp, citizen, danish_now() - dt.timedelta(days=days))


@when("the citizen withdraws the opt-out")
def _(citizen: Citizen, nsp: MockNspAdmin) -> None:
    withdraw_opt_out(nsp, citizen, danish_now())



@given("the citizen has not registered an opt-out of resuscitation")
def _(citizen: Citizen) -> None:
    """Nothing to arrange: the register knows no opt-out for a new citizen."""


@given("the opt-out register is temporarily unavailable")
def _(nsp: MockNspAdmin) -> None:
    make_register_unavailable(nsp, "fgvh")


@then(parsers.re(r"the [\w ]+ sees that the citizen has opted out of resuscitation"))
def _(screen: Screen) -> None:
    expect_fgvh_state(screen, "opted_out")


@then(parsers.re(r"the [\w ]+ sees that the citizen has not opted out of resuscitation"))
def _(screen: Screen) -> None:
    expect_fgvh_state(screen, "not_opted_out")


@then(parsers.re(r"the [\w ]+ sees that the opt-out status is temporarily unavailable"))
def _(screen: Screen) -> None:
    expect_fgvh_state(screen, "unavailable")


@then(parsers.re(r"the [\w ]+ is never told that the citizen has not opted out"))
def _(screen: Screen) -> None:
    expect_never_not_opted_out(screen)


@then(parsers.re(r"the opt-out status is shown on the record the [\w ]+ opened"))
def _(screen: Screen) -> None:
    expect_on_record(screen)


@then("the opt-out symbol is shown")
def _(screen: Screen) -> None:
    expect_symbol(screen, shown=True)


@then("the opt-out symbol is not shown")
def _(screen: Screen) -> None:
    expect_symbol(screen, shown=False)


@then(parsers.re(r"the [\w ]+ is told the opt-out status in words"))
def _(screen: Screen) -> None:
    expect_told_in_words(screen)


@given("the citizen registers an opt-out of resuscitation")
def _(citizen: Citizen, nsp: MockNspAdmin) -> None:
    """At the platform's time (a scenario that set the clock registers on that day)."""
    register_opt_out(nsp, citizen, dt.datetime.fromisoformat(nsp.clock()))


@given("the nurse's citizen list holds a citizen who has opted out of resuscitation, one who has not, and one whose "
       "stamkort cannot be read", target_fixture="listed")
def _(people: People, nsp: MockNspAdmin, enrol: Callable[[Citizen], Citizen]) -> dict[str, str]:
    opted_out, not_opted_out, unknown = (enrol(people.citizen(age=age)) for age in (81, 77, 69))
    register_opt_out(nsp, opted_out, danish_now() - dt.timedelta(days=30))
    platform_faults.fsk_unreadable_for(nsp, unknown.cpr)
    return {opted_out.cpr: "opted_out", not_opted_out.cpr: "not_opted_out", unknown.cpr: "unknown"}


@when(parsers.re(r"the (?P<role>nurse|doctor) opens the citizen list"), target_fixture="citizen_list")
def _(role: str, listed: dict[str, str], staff: dict[str, LoggedInEmployee], driver: SutDriver) -> Screen:
    return citizen_list(driver, staff[role], list(listed))


@then(parsers.re(r"the [\w ]+ sees each citizen's opt-out status on the list, with the symbol only for the citizen "
                 r"who has opted out"))
def _(citizen_list: Screen, listed: dict[str, str]) -> None:
    expect_listed(citizen_list, listed)
