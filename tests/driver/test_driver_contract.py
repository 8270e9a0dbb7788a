"""The published contract: packaged files, their agreement with each other and with the reference EOJ."""

from __future__ import annotations

import re

import jsonschema
import pytest

from nspcert.driver import contract
from nspcert.driver.contract import (
    CAPABILITIES,
    CONTRACT_VERSION,
    Capabilities,
    Employee,
    ScreenModelInvalid,
    StamkortChange,
    SystemInfo,
    openapi_text,
    screen_model_schema,
    validate_screen_model,
)

MINIMAL_SCREEN = {
    "contract_version": "1.0", "cpr": "0101601234", "fsk": {"read": False}, "citizen": None,
    "fgvh": {"state": "unknown", "symbol_shown": False, "text": "ukendt"}, "gp": None, "coverage_group": None,
    "registrations": {k: {"registered": None, "text": "Ukendt"} for k in ("organ_donor", "treatment_will", "living_will")},
    "language": None, "temporary_address": None, "dentist": None, "contact_phones": [], "relatives": [],
    "custody": [], "messages": [{"level": "error", "text": "FSK kunne ikke hentes"}],
}


def openapi_paths() -> dict[str, set[str]]:
    paths: dict[str, set[str]] = {}
    current = None
    for line in openapi_text().splitlines():
        if match := re.match(r"^  (/\S+):$", line):
            current = match.group(1)
            paths[current] = set()
        elif current and (match := re.match(r"^    (get|post|put|delete):$", line)):
            paths[current].add(match.group(1).upper())
        elif line and not line.startswith(" "):
            current = None
    return paths


def test_screen_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(screen_model_schema())


def test_openapi_version_is_the_contract_version() -> None:
    assert re.search(rf'^  version: "{re.escape(CONTRACT_VERSION)}"$', openapi_text(), re.M)
    assert "openapi: 3.1.0" in openapi_text()


def test_openapi_has_every_operation_of_spec_section_4() -> None:
    assert openapi_paths() == {
        "/sut/capabilities": {"GET"}, "/sut/reset": {"POST"}, "/sut/users": {"POST"},
        "/sut/citizens/{cpr}/open": {"POST"}, "/sut/citizens/{cpr}/view": {"GET"},
        "/sut/citizens/{cpr}/stamkort": {"POST"}, "/sut/clock": {"PUT"}, "/sut/minlog/flush": {"POST"},
        "/sut/citizens/{cpr}/citizen-view": {"GET"},
    }
    for capability in CAPABILITIES:
        assert capability in openapi_text()


def test_the_reference_eoj_serves_exactly_the_openapi_routes() -> None:
    app = pytest.importorskip("reference_eoj.app")
    routes = app.create_app(None).routes  # the routes only close over the EOJ
    served = {route.path: set(route.methods or ()) - {"HEAD"} for route in routes}
    assert served == openapi_paths()


def test_minimal_screen_validates_and_errors_name_the_path() -> None:
    assert validate_screen_model(MINIMAL_SCREEN) is MINIMAL_SCREEN
    bad = {**MINIMAL_SCREEN, "fgvh": {"state": "no", "symbol_shown": False, "text": ""}}
    with pytest.raises(ScreenModelInvalid, match="fgvh/state"):
        validate_screen_model(bad)


def test_fgvh_has_exactly_four_states() -> None:
    states = screen_model_schema()["properties"]["fgvh"]["properties"]["state"]["enum"]
    assert states == ["opted_out", "not_opted_out", "unavailable", "unknown"]


def test_json_round_trips() -> None:
    employee = Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org", True)
    assert Employee.from_json(employee.to_json()) == employee
    caps = Capabilities(SystemInfo("EOJ", "1", "V"), frozenset({"clock", "minlog"}))
    assert Capabilities.from_json(caps.to_json()) == caps and caps.claims("clock") and not caps.claims("citizen-view")
    change = StamkortChange("language", "create", {"code": "de"})
    assert StamkortChange.from_json(change.to_json("u1")) == change
    with pytest.raises(ValueError):
        StamkortChange.from_json({"item": "blocking", "action": "create"})


def test_package_data_is_declared() -> None:
    assert contract.screen_model_schema()["$schema"].endswith("2020-12/schema")
