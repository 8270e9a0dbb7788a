"""Steps about time: the Danish wall clock of the platform and of the SUT (capability `clock`)."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_bdd import given, parsers, when

from nspcert.arrange import clock
from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin


@given(parsers.parse('the time in Denmark is "{at}"'))
@when(parsers.parse('the time in Denmark becomes "{at}"'))
def _(at: str, nsp: MockNspAdmin, driver: SutDriver) -> None:
    clock.set_time(nsp, driver, at)


@pytest.fixture
def clock_skew() -> list[dt.timedelta]:
    """How far the SUT's clock is off the platform's in this scenario (none unless a step says so)."""
    return [dt.timedelta(0)]


@given(parsers.re(r"an? (?P<span>hour|day) passes"))
@when(parsers.re(r"an? (?P<span>hour|day) passes"))
def _(span: str, nsp: MockNspAdmin, driver: SutDriver, clock_skew: list[dt.timedelta]) -> None:
    clock.advance(nsp, driver, dt.timedelta(**{f"{span}s": 1}), clock_skew[0])


@given(parsers.re(r"the system's clock is (?P<minutes>\d+) minutes (?P<side>behind|ahead of) the platform's"))
def _(minutes: str, side: str, nsp: MockNspAdmin, driver: SutDriver, clock_skew: list[dt.timedelta]) -> None:
    clock_skew[0] = dt.timedelta(minutes=int(minutes) * (-1 if side == "behind" else 1))
    clock.set_skew(nsp, driver, clock_skew[0])


@when("the system's ID card expires by the platform's clock")
def _(nsp: MockNspAdmin, driver: SutDriver, clock_skew: list[dt.timedelta]) -> None:
    clock.advance(nsp, driver, clock.CARD_JUST_EXPIRED, clock_skew[0])


@given("the system's ID card has expired")
def _(nsp: MockNspAdmin, driver: SutDriver) -> None:
    clock.advance(nsp, driver, clock.CARD_LIFETIME_PASSED)


@given(parsers.re(r"the system's function certificate (?P<validity>has expired|is not yet valid) on the platform's date"))
def _(validity: str, nsp: MockNspAdmin) -> None:
    clock.platform_date_outside_certificate(nsp, expired=validity == "has expired")
