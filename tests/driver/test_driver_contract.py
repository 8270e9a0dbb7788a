"""The published contract: packaged files, their agreement with each other and with the reference EOJ."""

from __future__ import annotations

import copy
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource

from nspcert.driver import contract
from nspcert.driver.contract import (
    CAP_MINLOG_BACKGROUND,
    CAPABILITIES,
    CONTRACT_VERSION,
    AnswerInvalid,
    BackgroundMinlogDriver,
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    ScreenModelInvalid,
    StamkortChange,
    SutDriver,
    SystemInfo,
    answers_schema,
    minlog_background_of,
    openapi_text,
    screen_model_schema,
    validate_answer,
    validate_screen_model,
)
from nspcert.driver.validating import ValidatingDriver

MINIMAL_SCREEN = {
    "contract_version": "1.0", "cpr": "0101601234", "fsk": {"read": False}, "citizen": None,
    "fgvh": {"state": "unknown", "symbol_shown": False, "text": "ukendt"}, "gp": None, "coverage_group": None,
    "registrations": {k: {"registered": None, "text": "Ukendt"} for k in ("organ_donor", "treatment_will", "living_will")},
    "language": None, "temporary_address": None, "dentist": None, "contact_phones": [], "relatives": [],
    "custody": [], "messages": [{"level": "error", "text": "FSK kunne ikke hentes"}],
}


OPENAPI = Path(contract.__file__).with_name("openapi.yaml")
METHODS = {"get", "post", "put", "delete", "patch"}


@cache
def openapi() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(openapi_text())
    return spec


def openapi_paths() -> dict[str, set[str]]:
    return {path: {m.upper() for m in item if m in METHODS} for path, item in openapi()["paths"].items()}


def component_validator(name: str) -> jsonschema.Draft202012Validator:
    """A JSON Schema validator for ``#/components/schemas/<name>`` (OpenAPI 3.1 schemas are 2020-12)."""
    root = {**openapi(), "$id": OPENAPI.as_uri(), "$ref": f"#/components/schemas/{name}"}
    resources = [(OPENAPI.with_name(file).as_uri(), Resource.from_contents(schema))
                 for file, schema in (("answers.schema.json", answers_schema()),
                                      ("screen-model.schema.json", screen_model_schema()))]
    return jsonschema.Draft202012Validator(root, registry=Registry().with_resources(resources))


def test_openapi_is_a_valid_openapi_3_document() -> None:
    validate_openapi(copy.deepcopy(openapi()), base_uri=OPENAPI.as_uri())  # follows the ./*.json references
    assert openapi()["openapi"].startswith("3.1")


def test_the_openapi_validator_rejects_a_broken_document() -> None:
    broken = copy.deepcopy(openapi())
    del broken["paths"]["/sut/reset"]["post"]["responses"]
    broken["components"]["schemas"]["FlushResult"] = {"$ref": "./no-such-file.json#/$defs/FlushResult"}
    with pytest.raises(Exception, match="responses|no-such-file"):
        validate_openapi(broken, base_uri=OPENAPI.as_uri())


def test_openapi_version_is_the_contract_version() -> None:
    assert openapi()["info"]["version"] == CONTRACT_VERSION


def test_openapi_has_every_operation_of_spec_section_4() -> None:
    assert openapi_paths() == {
        "/sut/capabilities": {"GET"}, "/sut/reset": {"POST"}, "/sut/users": {"POST"},
        "/sut/citizens/{cpr}/open": {"POST"}, "/sut/citizens/{cpr}/view": {"GET"},
        "/sut/citizens/{cpr}/stamkort": {"POST"}, "/sut/clock": {"PUT"}, "/sut/minlog/flush": {"POST"},
        "/sut/citizens/{cpr}/citizen-view": {"GET"}, "/sut/overview": {"POST"}, "/sut/minlog/background": {"POST"},
    }
    assert component_validator("Capabilities").schema["$ref"]
    items = answers_schema()["$defs"]["Capabilities"]["properties"]["capabilities"]["items"]["enum"]
    assert set(items) == set(CAPABILITIES)


@pytest.mark.parametrize(("item", "values"), [
    ("relative", {"given": "Else", "relation": "datter", "phones": [{"use": "H", "value": "1"}], "note": "x"}),
    ("temporary_address", {"address": {"lines": ["Vej 1"]}, "from": "2025-01-01", "to": None}),
    ("language", {"code": "de"}),
    ("contact_phone", {"use": "MC", "value": "+4512345678"}),
    ("dentist", {"name": "Tandlæge", "clinic": "Klinik", "phone": "1"}),
    ("relative", {}),
])
def test_every_stamkort_value_matches_exactly_one_shape(item: str, values: dict[str, Any]) -> None:
    change = {"user_id": "u", "item": item, "action": "delete" if not values else "create", "values": values}
    component_validator("StamkortChange").validate(change)


@pytest.mark.parametrize("values", [
    {"code": "de", "name": "Tandlæge"},  # a language and a dentist at once
    {"use": "MC", "value": "1", "given": "Else", "relation": "datter"},
    {"code": "de", "extra": True},  # accepted as a language before the branches forbade other properties
])
def test_a_stamkort_value_of_two_shapes_or_with_strangers_is_refused(values: dict[str, Any]) -> None:
    change = {"user_id": "u", "item": "language", "action": "create", "values": values}
    with pytest.raises(jsonschema.ValidationError):
        component_validator("StamkortChange").validate(change)


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


def test_a_replacement_cpr_number_is_a_citizen_number_and_an_employee_still_needs_a_cpr() -> None:
    """1.2 admits a replacement CPR number (eCPR, DDMMYYCAAG) wherever a citizen is named, never for an employee."""
    for number, ok in (("0101551AB1", True), ("0101701234", True), ("0101551ab1", False), ("010155AB12", False)):
        screen = {**MINIMAL_SCREEN, "cpr": number}
        if ok:
            validate_screen_model(screen)
        else:
            with pytest.raises(ScreenModelInvalid, match="cpr"):
                validate_screen_model(screen)
    with pytest.raises(jsonschema.ValidationError):
        component_validator("Employee").validate({**Employee("0101551AB1", "A", "B", "", "r", "1", "O").to_json()})


def test_an_overview_answer_is_checked_like_a_screen() -> None:
    row = {"cpr": "0101701234", "name": "Hanne Hansen",
           "fgvh": {"state": "opted_out", "symbol_shown": True, "text": "Borger har fravalgt genoplivningsforsøg"}}
    validate_answer("Overview", {"contract_version": CONTRACT_VERSION, "citizens": [row]})
    with pytest.raises(AnswerInvalid, match="fgvh"):
        validate_answer("Overview", {"contract_version": CONTRACT_VERSION, "citizens": [{**row, "fgvh": {"state": "x"}}]})


class _Driver12:
    """A 1.2 driver: every SutDriver operation, no minlog_background."""

    def capabilities(self) -> Capabilities:
        return Capabilities(SystemInfo("EOJ", "1", "V"), frozenset({"minlog", "clock"}), "1.2")

    def reset(self) -> None: ...

    def log_in(self, employee: Employee) -> str:
        return "u"

    def open_record(self, cpr: str, user_id: str) -> dict[str, Any]:
        return MINIMAL_SCREEN

    def view(self, cpr: str, user_id: str) -> dict[str, Any]:
        return MINIMAL_SCREEN

    def change_stamkort(self, cpr: str, user_id: str, change: StamkortChange) -> ChangeResult:
        return ChangeResult(True, "")

    def set_clock(self, now: datetime | None) -> None: ...

    def flush_minlog(self) -> FlushResult:
        return FlushResult(0, 0, 0)

    def citizen_view(self, cpr: str) -> dict[str, Any]:
        return {}

    def close(self) -> None: ...


def test_a_1_2_driver_is_still_a_driver_and_is_never_asked_for_a_background_round() -> None:
    """1.3 adds minlog.background as an optional operation: a driver without it keeps the contract; asking it of
    one that lacks it is a harness error naming the capability, never a vendor fail."""
    old = _Driver12()
    assert isinstance(old, SutDriver) and not isinstance(old, BackgroundMinlogDriver)
    with pytest.raises(DriverError, match="minlog.background"):
        ValidatingDriver(old).minlog_background()
    with pytest.raises(DriverError, match="minlog.background"):
        minlog_background_of(old)
    assert CAP_MINLOG_BACKGROUND in CAPABILITIES and CONTRACT_VERSION == "1.3"


def test_a_background_round_is_validated_as_a_flush_result() -> None:
    class Background(_Driver12):
        def __init__(self, answer: object) -> None:
            self.answer = answer

        def minlog_background(self) -> object:
            return self.answer

    assert ValidatingDriver(Background(FlushResult(1, 0, 23))).minlog_background() == FlushResult(1, 0, 23)
    with pytest.raises(AnswerInvalid, match="minlog_background: .*queued"):
        ValidatingDriver(Background(FlushResult(1, 0, -1))).minlog_background()
    with pytest.raises(AnswerInvalid, match="minlog_background: must return FlushResult"):
        ValidatingDriver(Background({"sent": 1})).minlog_background()
