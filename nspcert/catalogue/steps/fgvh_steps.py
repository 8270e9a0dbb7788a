"""Steps about the citizen's opt-out of resuscitation (FGVH) and how the employee sees it."""

from __future__ import annotations

import datetime as dt

from pytest_bdd import given, parsers, then, when

from nspcert.nsp.admin import MockNspAdmin
from nspcert.people import Citizen
from nspcert.registers import danish_now, make_register_unavailable, register_opt_out, withdraw_opt_out
from nspcert.screen import Screen
from nspcert.verify.fgvh import (
    expect_fgvh_state,
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
