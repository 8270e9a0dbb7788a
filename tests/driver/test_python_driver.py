"""Loading a vendor's Python driver by ``module:factory``."""

from __future__ import annotations

import pytest

from nspcert.driver.contract import DriverError, SutDriver
from nspcert.driver.python import load_driver


def test_module_factory_with_arguments() -> None:
    driver = load_driver("driver_sample_adapter:create", name="Nexus test")
    assert isinstance(driver, SutDriver)
    assert driver.capabilities().system.name == "Nexus test"


@pytest.mark.parametrize(("spec", "message"), [
    ("driver_sample_adapter:incomplete", "lacks capabilities"),
    ("driver_sample_adapter:nothing", "cannot load"),
    ("no_such_module_xyz:create", "cannot load"),
    ("no-such-entry-point", "no driver"),
])
def test_bad_specs_are_driver_errors(spec: str, message: str) -> None:
    with pytest.raises(DriverError, match=message):
        load_driver(spec)
