"""One Danish wall clock for the platform and the SUT (the SUT's clock needs its capability `clock`)."""

from __future__ import annotations

import datetime as dt

from nspcert.driver.contract import SutDriver
from nspcert.nsp.admin import MockNspAdmin

#: the mock STS issues cards for 24 hours; a day and an hour later every card has expired
CARD_LIFETIME_PASSED = {"hours": 25}


def set_time(nsp: MockNspAdmin, driver: SutDriver, at: str) -> None:
    nsp.set_clock(at)
    driver.set_clock(dt.datetime.fromisoformat(at))


def advance(nsp: MockNspAdmin, driver: SutDriver, **delta: float) -> None:
    """Time moves on for the platform and the SUT alike."""
    nsp.advance_clock(**delta)
    driver.set_clock(dt.datetime.fromisoformat(nsp.clock()))
