"""Loading a vendor's Python driver (``module:factory`` or an entry-point name) and validating its answers."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
from driver_sample_adapter import SampleAdapter

import nspcert.driver.python as python_driver
from nspcert.catalogue.fixtures.settings import HarnessSettings
from nspcert.catalogue.fixtures.sut import connected_driver
from nspcert.cli import UsageError, _target
from nspcert.driver.contract import (
    AnswerInvalid,
    Capabilities,
    DriverError,
    Employee,
    FlushResult,
    ScreenModelInvalid,
    SutDriver,
    SystemInfo,
)
from nspcert.driver.http import HttpDriver
from nspcert.driver.python import ENTRY_POINT_GROUP, load_driver
from nspcert.driver.validating import ValidatingDriver


@pytest.fixture
def sample_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed distribution declaring ``sample-eoj = "driver_sample_adapter:create"``."""
    point = EntryPoint("sample-eoj", "driver_sample_adapter:create", ENTRY_POINT_GROUP)
    monkeypatch.setattr(python_driver, "entry_points", lambda group: [point] if group == ENTRY_POINT_GROUP else [])


def test_module_factory_with_arguments() -> None:
    driver = load_driver("driver_sample_adapter:create", name="Nexus test")
    assert isinstance(driver, SutDriver) and not isinstance(driver, ValidatingDriver)  # the sut fixture wraps it
    assert driver.capabilities().system.name == "Nexus test"


def test_an_entry_point_name(sample_entry_point: None) -> None:
    assert load_driver("sample-eoj").capabilities().system.name == "Sample EOJ"


@pytest.mark.parametrize(("spec", "message"), [
    ("driver_sample_adapter:incomplete", "lacks capabilities"),
    ("driver_sample_adapter:nothing", "cannot load"),
    ("no_such_module_xyz:create", "cannot load"),
    ("no-such-entry-point", "no driver"),
])
def test_bad_specs_are_driver_errors(spec: str, message: str) -> None:
    with pytest.raises(DriverError, match=message):
        load_driver(spec)


def test_a_screen_that_breaks_the_schema_is_a_driver_error() -> None:
    driver = ValidatingDriver(load_driver("driver_sample_adapter:create"))
    with pytest.raises(ScreenModelInvalid, match="^open_record: screen model invalid at .*required property"):
        driver.open_record("0101601234", driver.log_in(_employee()))


@pytest.mark.parametrize(("method", "answer", "message"), [
    ("capabilities", Capabilities(SystemInfo("EOJ", "1", "V"), frozenset({"teleport"})), "capabilities/0"),
    ("capabilities", {"system": "EOJ"}, "must return Capabilities"),
    ("flush_minlog", FlushResult(-1, 0, 0), "sent"),
    ("citizen_view", {"cpr": "0101601234", "accesses": []}, "contract_version"),
    ("log_in", "", "non-empty user id"),
])
def test_answers_that_break_the_contract_are_driver_errors(method: str, answer: Any, message: str) -> None:
    inner = load_driver("driver_sample_adapter:create")
    setattr(inner, method, lambda *args: answer)
    driver = ValidatingDriver(inner)
    with pytest.raises(AnswerInvalid, match=message):
        getattr(driver, method)(*(["0101601234"] if method == "citizen_view" else
                                  [_employee()] if method == "log_in" else []))


@pytest.mark.parametrize(("sut", "url", "inner"), [
    ("http://sut.test:9000", "http://sut.test:9000", HttpDriver),
    ("python:driver_sample_adapter:create", None, SampleAdapter),
])
def test_the_harness_wraps_every_driver_of_a_program_in_one_place(sut: str, url: str | None, inner: type,
                                                                  tmp_path: Path) -> None:
    settings = HarnessSettings(sut=sut, nsp="embedded", defects=(), nsp_token=None, log_dir=tmp_path / "logs")
    with connected_driver(settings, url) as driver:
        assert isinstance(driver, ValidatingDriver) and type(driver.inner) is inner


@pytest.mark.parametrize("value", ["python:driver_sample_adapter:create", "python:pkg.adapter:make_driver",
                                   "python:sample-eoj"])
def test_sut_option_accepts_module_factory_and_entry_point_names(value: str, sample_entry_point: None) -> None:
    assert _target("--sut", value, ("reference", "manual")) == value


@pytest.mark.parametrize(("value", "message"), [
    ("python:my-eoj", "no installed 'nspcert.drivers' entry point named 'my-eoj'"),
    ("python:my adapter:create", "not MODULE:FACTORY"),
    ("python:", "no driver named"),
])
def test_sut_option_refuses_what_names_no_driver(value: str, message: str, sample_entry_point: None) -> None:
    with pytest.raises(UsageError, match=message):
        _target("--sut", value, ("reference", "manual"))


def _employee() -> Employee:
    return Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org")
