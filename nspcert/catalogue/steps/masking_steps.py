"""Steps about identity masking: the citizen sees masked employees only by pseudonym (IDSAS)."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from nspcert.act.actors import LoggedInEmployee
from nspcert.act.sut import citizen_view
from nspcert.arrange import platform_faults
from nspcert.arrange.people import Citizen
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.verify.masking import expect_name_hidden, expect_pseudonymised, expect_salt_fetched


@given("the platform has rotated the masking salt")
def _(nsp: MockNspAdmin) -> None:
    nsp.rotate_salt()


@then(parsers.re(r"the citizen sees the (?P<role>\w+) only by the pseudonym made with the current salt"))
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver, nsp: MockNspAdmin) -> None:
    expect_pseudonymised(citizen_view(driver, citizen.cpr), staff[role].employee, nsp.salt())


@then("the system fetched the current masking salt from the platform")
def _(calls: Exchanges) -> None:
    expect_salt_fetched(calls)


@then(parsers.re(r"the citizen sees that their data were used, but not the (?P<role>\w+)'s name"))
def _(role: str, staff: dict[str, LoggedInEmployee], citizen: Citizen, driver: SutDriver) -> None:
    expect_name_hidden(citizen_view(driver, citizen.cpr), staff[role].employee)


@given("the masking service cannot be reached")
def _(nsp: MockNspAdmin) -> None:
    platform_faults.service_down(nsp, "idsas")
