"""Synthetic people: distinct CPRs however many a scenario makes, the same people on every day it runs."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from stdnum.dk import cpr as stdnum_cpr

from mock_nsp.plane.app import create_app
from mock_nsp.settings import Settings
from nspcert.arrange import people as people_module
from nspcert.arrange.people import AGE_REFERENCE_DAY, People

#: days the catalogue must run on as on any other: the day the kill matrix first broke, a leap day, the last day
#: of a year, and the daylight-saving Sundays (23- and 25-hour days in Denmark)
PINNED_TODAYS = [dt.date(2026, 12, 6), dt.date(2028, 2, 29), dt.date(2026, 12, 31), dt.date(2026, 3, 29),
                 dt.date(2026, 10, 25)]


def _pinned(today: dt.date) -> types.SimpleNamespace:
    """A stand-in for the ``datetime`` module whose clock says ``today`` (noon, Danish time)."""
    class PinnedDate(dt.date):
        @classmethod
        def today(cls) -> PinnedDate:
            return cls(today.year, today.month, today.day)

    class PinnedDateTime(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> PinnedDateTime:
            return cls(today.year, today.month, today.day, 12, tzinfo=tz)

    return types.SimpleNamespace(**{**vars(dt), "date": PinnedDate, "datetime": PinnedDateTime})


def _crowd(today: dt.date, monkeypatch: pytest.MonkeyPatch, count: int = 1000) -> list[tuple[str, str, str]]:
    """``count`` citizens and employees from one scenario's factory, made while the clock says ``today``."""
    with monkeypatch.context() as patch:
        patch.setattr(people_module, "dt", _pinned(today))
        factory = People(seed="test_catalogue.py::test_a_backlog_of_501_reads")
        citizens = [factory.citizen(age=50) for _ in range(count // 2)]
        staff = [factory.employee() for _ in range(count - count // 2)]
    assert factory.made == [c.cpr for c in citizens] + [e.cpr for e in staff]
    return [(c.cpr, c.name, c.birth_date.isoformat()) for c in citizens] + [
        (e.cpr, e.full_name, e.role) for e in staff]


@pytest.mark.parametrize("today", PINNED_TODAYS, ids=str)
def test_a_thousand_people_have_distinct_synthetic_cprs(today: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    cprs = [cpr for cpr, _, _ in _crowd(today, monkeypatch)]
    assert len(set(cprs)) == len(cprs) == 1000
    for cpr in cprs:
        born = stdnum_cpr.get_birth_date(cpr)  # a real calendar date in the right century
        assert born < AGE_REFERENCE_DAY <= today
        assert not people_module._mod11_ok(cpr), f"{cpr} passes modulus 11: it could be a real person"


def test_a_scenario_gets_the_same_people_on_every_day(monkeypatch: pytest.MonkeyPatch) -> None:
    first, *others = (_crowd(today, monkeypatch, count=200) for today in PINNED_TODAYS)
    assert all(other == first for other in others)


def test_ages_are_counted_from_the_reference_day() -> None:
    factory = People(seed="ages")
    for age in (4, 9, 59, 60, 72):
        born = factory.citizen(age=age).birth_date
        assert AGE_REFERENCE_DAY.replace(year=AGE_REFERENCE_DAY.year - age - 1) < born
        assert born < AGE_REFERENCE_DAY.replace(year=AGE_REFERENCE_DAY.year - age)


@pytest.fixture
def mock(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(journal_path=tmp_path / "journal.sqlite", state_dir=tmp_path / "state"))
    with TestClient(app) as http:
        yield http


@pytest.mark.parametrize("today", PINNED_TODAYS, ids=str)
def test_the_platform_takes_the_people_on_each_pinned_day(today: dt.date, mock: TestClient) -> None:
    """On each day the mock's clock may show, it registers the people, and a 60-year-old may opt out."""
    mock.put("/__admin/clock", json={"now": f"{today.isoformat()}T12:00:00+01:00"}).raise_for_status()
    factory = People(seed=f"pinned {today}")
    for citizen in (factory.citizen(age=60), factory.citizen(age=72), factory.citizen(age=9)):
        answer = mock.put(f"/__admin/citizens/{citizen.cpr}", json=citizen.as_register())
        assert answer.status_code in (200, 201), answer.text
    opt_out = mock.post(f"/__admin/citizens/{factory.made[0]}/fgvh",
                        json={"action": "register", "at": f"{today.isoformat()}T10:00:00+01:00"})
    assert opt_out.status_code in (200, 201), opt_out.text
