"""FGVH (fravalg af genoplivningsforsøg): `true` from the start of the 7th calendar day after registration
(Europe/Copenhagen) until withdrawal, `false` otherwise, `NAV` while the register is unavailable."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

from mock_nsp.registers.clock import DK

TRUE = "true"
FALSE = "false"
NAV = "NAV"
MIN_AGE = 60
EFFECT_DAYS = 7


@lru_cache(maxsize=4096)  # pure; a zone conversion on every ITI-43 otherwise
def effective_from(registered_at: datetime) -> datetime:
    """Local midnight starting the 7th calendar day after the registration day."""
    day = registered_at.astimezone(DK).date() + timedelta(days=EFFECT_DAYS)
    return datetime.combine(day, time(0), tzinfo=DK)


def value(registered_at: datetime | None, withdrawn_at: datetime | None, now: datetime, available: bool) -> str:
    if not available:
        return NAV
    if registered_at is None or now < effective_from(registered_at):
        return FALSE
    if withdrawn_at is not None and withdrawn_at >= registered_at and now >= withdrawn_at:
        return FALSE
    return TRUE


def age_on(birth: date, day: date) -> int:
    years = day.year - birth.year
    return years - 1 if (day.month, day.day) < (birth.month, birth.day) else years


def may_register(birth: date, at: datetime) -> bool:
    return age_on(birth, at.astimezone(DK).date()) >= MIN_AGE
