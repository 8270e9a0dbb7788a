"""The SUT driver contract (SPEC §4): ``openapi.yaml`` + ``screen-model.schema.json`` and three clients.

- :class:`nspcert.driver.http.HttpDriver` — a vendor's HTTP adapter (the OpenAPI contract);
- :class:`nspcert.driver.manual.ManualDriver` — a person at a terminal, answers recorded as evidence;
- :func:`nspcert.driver.python.load_driver` — a vendor's Python object (``module:factory``).

All implement :class:`nspcert.driver.contract.SutDriver`. See ``docs/driver-contract.md``.
"""

from __future__ import annotations

from nspcert.driver.contract import (
    CAPABILITIES,
    CONTRACT_VERSION,
    AnswerInvalid,
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    ResponsibleUser,
    ScreenModelInvalid,
    StamkortChange,
    SutDriver,
    SystemInfo,
    screen_model_schema,
    validate_answer,
    validate_screen_model,
)

__all__ = [
    "CAPABILITIES", "CONTRACT_VERSION", "AnswerInvalid", "validate_answer", "Capabilities", "ChangeResult", "DriverError", "Employee", "FlushResult", "ResponsibleUser",
    "ScreenModelInvalid", "StamkortChange", "SutDriver", "SystemInfo", "screen_model_schema", "validate_screen_model",
]
