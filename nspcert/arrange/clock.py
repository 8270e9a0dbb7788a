"""One Danish wall clock for the platform and the SUT (the SUT's clock needs its capability `clock`)."""

from __future__ import annotations

import datetime as dt

from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin

#: the mock STS issues cards for 24 hours; a day and an hour later every card has expired
CARD_LIFETIME_PASSED = dt.timedelta(hours=25)


def set_time(nsp: MockNspAdmin, driver: SutDriver, at: str) -> None:
    nsp.set_clock(at)
    driver.set_clock(dt.datetime.fromisoformat(at))


def advance(nsp: MockNspAdmin, driver: SutDriver, delta: dt.timedelta, skew: dt.timedelta = dt.timedelta(0)) -> None:
    """Time moves on for the platform and the SUT alike (the SUT's clock ``skew`` off the platform's)."""
    nsp.advance_clock(seconds=delta.total_seconds())
    driver.set_clock(dt.datetime.fromisoformat(nsp.clock()) + skew)


def set_skew(nsp: MockNspAdmin, driver: SutDriver, skew: dt.timedelta) -> None:
    """The SUT's clock runs ``skew`` off the platform's (negative: behind), as an unsynchronised server's does."""
    driver.set_clock(dt.datetime.fromisoformat(nsp.clock()) + skew)


#: the mock STS issues cards for 24 hours: a minute later, by the platform's clock, the card has expired
CARD_JUST_EXPIRED = dt.timedelta(hours=24, minutes=1)


#: the mock NSP's test CA issues certificates valid 10 years either side of issue (mock_nsp/security/ca.py)
TEST_CERTIFICATE_VALIDITY = dt.timedelta(days=3650)


def platform_date_outside_certificate(nsp: MockNspAdmin, expired: bool) -> None:
    """The platform's date moves a year past the end (or before the start) of the test CA's certificates, so
    the STS finds the system's function certificate expired (or not yet valid). Only the platform's clock
    moves: the SUT keeps today's date, as a system whose certificate ran out would."""
    reach = TEST_CERTIFICATE_VALIDITY + dt.timedelta(days=365)
    now = dt.datetime.fromisoformat(nsp.clock())
    nsp.set_clock((now + reach if expired else now - reach).isoformat())
