"""The Python driver: a vendor's own object implementing :class:`SutDriver`, loaded by name (SPEC §4).

``load_driver("my_vendor.nspcert_adapter:create")`` imports the module and calls the factory (with any
keyword arguments given); ``load_driver("name")`` looks ``name`` up in the ``nspcert.drivers`` entry-point
group of installed distributions, so a vendor can ship its adapter as a package::

    [project.entry-points."nspcert.drivers"]
    my-eoj = "my_vendor.nspcert_adapter:create"

The driver must have every operation of :class:`SutDriver` (``OPERATIONS``). The operations of optional
capabilities are asked only of a SUT that claims them, so a driver has them only when it claims the capability:
``overview(cprs, user_id)`` for ``overview`` (since 1.2, :class:`~nspcert.driver.contract.OverviewDriver`) and
``minlog_background()`` for ``minlog.background`` (since 1.3, one round of the system's own background MinLog2
sending within its budget, answering a ``FlushResult``; :class:`~nspcert.driver.contract.BackgroundMinlogDriver`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from nspcert.driver.contract import DriverError, SutDriver

ENTRY_POINT_GROUP = "nspcert.drivers"
OPERATIONS = ("capabilities", "reset", "log_in", "open_record", "view", "change_stamkort", "set_clock",
              "flush_minlog", "citizen_view", "close")


def load_driver(spec: str, **kwargs: Any) -> SutDriver:
    """Create the driver named by ``module:factory`` (or an entry-point name) and check it has every operation.

    Its answers are not checked here: the harness wraps every driver in
    :class:`nspcert.driver.validating.ValidatingDriver` in one place (the catalogue's ``sut`` fixture)."""
    driver = _factory(spec)(**kwargs)
    missing = [name for name in OPERATIONS if not callable(getattr(driver, name, None))]
    if missing:
        raise DriverError(f"{spec}: the driver lacks {', '.join(missing)} (see nspcert.driver.contract.SutDriver)")
    assert isinstance(driver, SutDriver)
    return driver


def spec_problem(spec: str) -> str | None:
    """Why ``spec`` cannot name a driver (None when it can), without importing the vendor's code.

    ``module:factory`` is checked for its form only (importing it is the run's business); a bare name must
    be an installed ``nspcert.drivers`` entry point.
    """
    module, colon, attribute = spec.partition(":")
    if colon:
        dotted = all(part.isidentifier() for part in module.split("."))
        return None if dotted and attribute.isidentifier() else f"{spec!r} is not MODULE:FACTORY"
    if not spec:
        return "no driver named"
    if not any(ep.name == spec for ep in entry_points(group=ENTRY_POINT_GROUP)):
        return f"no installed '{ENTRY_POINT_GROUP}' entry point named {spec!r}"
    return None


def _factory(spec: str) -> Callable[..., Any]:
    if ":" not in spec:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == spec]
        if not found:
            raise DriverError(f"no driver {spec!r}: use module:factory or an '{ENTRY_POINT_GROUP}' entry point")
        spec = found[0].value
    module_name, _, attribute = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise DriverError(f"cannot load driver {spec!r}: {exc}") from exc
    if not callable(factory):
        raise DriverError(f"{spec!r} is not callable")
    return factory  # type: ignore[no-any-return]
