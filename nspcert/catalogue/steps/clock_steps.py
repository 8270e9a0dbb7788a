"""Steps about time: the Danish wall clock of the platform and of the SUT (capability `clock`)."""

from __future__ import annotations

from pytest_bdd import given, parsers, when

from nspcert import clock
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin


@given(parsers.parse('the time in Denmark is "{at}"'))
@when(parsers.parse('the time in Denmark becomes "{at}"'))
def _(at: str, nsp: MockNspAdmin, driver: SutDriver) -> None:
    clock.set_time(nsp, driver, at)


@given(parsers.re(r"an? (?P<span>hour|day) passes"))
@when(parsers.re(r"an? (?P<span>hour|day) passes"))
def _(span: str, nsp: MockNspAdmin, driver: SutDriver) -> None:
    clock.advance(nsp, driver, **{f"{span}s": 1})


@given("the system's ID card has expired")
def _(nsp: MockNspAdmin, driver: SutDriver) -> None:
    clock.advance(nsp, driver, **clock.CARD_LIFETIME_PASSED)


@given(parsers.re(r"the system's function certificate (?P<validity>has expired|is not yet valid) on the platform's date"))
def _(validity: str, nsp: MockNspAdmin) -> None:
    clock.platform_date_outside_certificate(nsp, expired=validity == "has expired")
