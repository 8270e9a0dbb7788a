"""One validation path: an answer ``answers.schema.json`` refuses is refused over HTTP too, naming where.

The HTTP driver only types the JSON (strictly: ``from_json`` converts nothing, refuses a missing or wrongly typed
field, and leaves out a field the contract does not name, as a later minor version may add optional fields); ``ValidatingDriver`` judges the typed answer's ``to_json()`` as it judges a Python driver's.
So the typed answer must be a faithful image of the JSON: what the schema refuses, the pair refuses, with the
operation and the path in the message; what the schema accepts comes through unchanged but for unnamed fields.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nspcert.driver.contract import (
    CAPABILITIES,
    AnswerInvalid,
    Capabilities,
    ChangeResult,
    DriverError,
    Employee,
    FlushResult,
    StamkortChange,
    answers_schema,
    validate_answer,
)
from nspcert.driver.http import HttpDriver
from nspcert.driver.validating import ValidatingDriver

Path = tuple[str | int, ...]

#: a conforming answer of each typed operation, and the typed answer it reads into
ANSWERS: dict[str, tuple[str, type[Capabilities | ChangeResult | FlushResult], list[dict[str, Any]]]] = {
    "capabilities": ("Capabilities", Capabilities, [
        {"contract_version": "1.2", "system": {"name": "EOJ", "version": "7.1", "vendor": "V"},
         "capabilities": ["minlog", "clock", "stamkort.write"]},
        {"contract_version": "1.0", "system": {"name": "", "version": "", "vendor": ""}, "capabilities": []},
    ]),
    "change_stamkort": ("ChangeResult", ChangeResult, [
        {"succeeded": True, "message": "Gemt", "item_id": "a1"},
        {"succeeded": False, "message": "Stamkortregistret afviste ændringen"},
        {"succeeded": True, "message": "", "item_id": None},
    ]),
    "flush_minlog": ("FlushResult", FlushResult, [
        {"sent": 2, "failed": 0, "queued": 1, "given_up": 0},
        {"sent": 0, "failed": 3, "queued": 3},
    ]),
    "minlog_background": ("FlushResult", FlushResult, [  # since 1.3: a round of the SUT's own background sending
        {"sent": 1, "failed": 0, "queued": 23, "given_up": 0},
        {"sent": 0, "failed": 0, "queued": 0},
    ]),
}
EMPLOYEE = Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org")
ARGUMENTS: dict[str, tuple[Any, ...]] = {
    "capabilities": (), "flush_minlog": (), "minlog_background": (), "log_in": (EMPLOYEE,),
    "change_stamkort": ("0101601234", "u1", StamkortChange("language", "create", {"code": "de"})),
}

NAMES = st.sampled_from(["system", "name", "version", "vendor", "capabilities", "contract_version", "succeeded",
                         "message", "item_id", "sent", "failed", "queued", "given_up"]) | st.text(max_size=8)
SCALARS = (st.none() | st.booleans() | st.integers(-3, 2**40) | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=10) | st.sampled_from([*CAPABILITIES, "1.2", "1.x", "teleport"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
                    max_leaves=6)


def paths(value: Any, here: Path = ()) -> list[Path]:
    """Every place in a JSON value: the root, each object member and each array item."""
    found = [here]
    if isinstance(value, dict):
        found += [p for key, item in value.items() for p in paths(item, (*here, key))]
    elif isinstance(value, list):
        found += [p for index, item in enumerate(value) for p in paths(item, (*here, index))]
    return found


def node(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated(draw: st.DrawFn, operation: str) -> tuple[dict[str, Any] | Any, Path]:
    """A conforming answer of ``operation`` with one thing changed: a value replaced, a member removed or added."""
    answer = copy.deepcopy(draw(st.sampled_from(ANSWERS[operation][2])))
    path = draw(st.sampled_from(paths(answer)))
    how = draw(st.sampled_from(["replace", "remove", "add"]))
    parent = node(answer, path[:-1]) if path else None
    if how == "remove" and isinstance(parent, dict):
        del parent[path[-1]]
    elif how == "add" and isinstance(node(answer, path), dict):
        key = draw(NAMES)
        node(answer, path)[key] = draw(JSON)
        path = (*path, key)
    elif path:
        parent[path[-1]] = draw(JSON)  # type: ignore[index]
    else:
        answer = draw(JSON)
    return answer, path


def over_http(answer: Any) -> ValidatingDriver:
    """The driver as the harness makes it for an HTTP adapter that gives ``answer`` to every call."""
    client = httpx.Client(base_url="http://sut.test", transport=httpx.MockTransport(
        lambda request: httpx.Response(200, text=json.dumps(answer), headers={"content-type": "application/json"})))
    return ValidatingDriver(HttpDriver("http://sut.test", client=client))


def schema_refuses(kind: str, answer: Any) -> bool:
    try:
        validate_answer(kind, answer)
    except AnswerInvalid:
        return True
    return False


def named(kind: str, answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` with only the fields the contract names (in the schema's ``properties``), nested ones too."""
    properties = answers_schema()["$defs"][kind]["properties"]
    return {key: ({k: v for k, v in value.items() if k in properties[key].get("properties", {})}
                  if isinstance(value, dict) and "properties" in properties[key] else value)
            for key, value in answer.items() if key in properties}


def image(kind: str, answer: dict[str, Any]) -> dict[str, Any]:
    """What the typed answer's ``to_json()`` must be for a JSON answer the schema accepts."""
    defaults = {"ChangeResult": {"item_id": None}, "FlushResult": {"given_up": 0}}.get(kind, {})
    expected = named(kind, {**defaults, **answer})
    if kind == "Capabilities":
        expected["capabilities"] = sorted(expected["capabilities"])
    return expected


@pytest.mark.parametrize("operation", sorted(ANSWERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_schema_refuses_is_refused_over_http_naming_the_operation_and_the_path(
        operation: str, data: st.DataObject) -> None:
    kind, typed, _ = ANSWERS[operation]
    answer, path = data.draw(mutated(operation))
    with over_http(answer) as driver:
        if not isinstance(answer, dict):  # a transport error, before any typing
            with pytest.raises(DriverError, match="answer is not a JSON object"):
                getattr(driver, operation)(*ARGUMENTS[operation])
        elif schema_refuses(kind, answer):
            with pytest.raises(AnswerInvalid) as refused:
                getattr(driver, operation)(*ARGUMENTS[operation])
            message = str(refused.value)
            assert message.startswith(f"{operation}: {kind} invalid at ")
            assert all(str(step) in message for step in path if isinstance(step, str)), (message, path)
        else:
            received = getattr(driver, operation)(*ARGUMENTS[operation])
            assert isinstance(received, typed) and received.to_json() == image(kind, answer)


@pytest.mark.parametrize(("operation", "answer", "message"), [
    ("capabilities", {"contract_version": "1.2", "system": {"name": "E", "version": 7, "vendor": "V"},
                      "capabilities": []}, "at system/version: 7 is not of type 'string'"),
    ("capabilities", {"contract_version": "1.2", "system": {"name": "E", "version": "7", "vendor": "V"},
                      "capabilities": ["clock", "clock"]}, "at capabilities/1: 'clock' is given twice"),
    ("capabilities", {"system": {"name": "E", "version": "7", "vendor": "V"}, "capabilities": []},
     "at \\(root\\): 'contract_version' is a required property"),
    ("change_stamkort", {"succeeded": "true", "message": "Gemt"}, "at succeeded: 'true' is not of type 'boolean'"),
    ("change_stamkort", {"succeeded": 1, "message": "Gemt"}, "at succeeded: 1 is not of type 'boolean'"),
    ("change_stamkort", {"succeeded": True, "message": None}, "at message: None is not of type 'string'"),
    ("flush_minlog", {"sent": True, "failed": 0, "queued": 0}, "at sent: True is not of type 'integer'"),
    ("flush_minlog", {"sent": 1.5, "failed": 0, "queued": 0}, "at sent: 1.5 is not of type 'integer'"),
    ("flush_minlog", {"sent": 1, "failed": 0, "queued": -1}, "at queued: -1 is less than the minimum of 0"),
    ("minlog_background", {"sent": 1, "failed": 0}, "minlog_background: FlushResult invalid at \\(root\\): 'queued'"),
    ("capabilities", {"contract_version": "1.2", "system": "EOJ 7.1", "capabilities": []},
     "at system: 'EOJ 7.1' is not of type 'object'"),
    ("log_in", {"user_id": 5}, "log_in: log-in answer invalid at user_id: 5 is not of type 'string'"),
    ("log_in", {"id": "u1"}, "log_in: log-in answer invalid at \\(root\\): 'user_id' is a required property"),
    ("log_in", {"user_id": ""}, "log_in: must return a non-empty user id string"),
])
def test_what_was_smoothed_over_is_now_refused(operation: str, answer: Any, message: str) -> None:
    """Each of these was converted (``bool``, ``int``, ``str``) or dropped before; the vendor now sees where."""
    with over_http(answer) as driver, pytest.raises(AnswerInvalid, match=message) as refused:
        getattr(driver, operation)(*ARGUMENTS[operation])
    assert isinstance(refused.value, DriverError)  # a harness error, never a vendor fail


def test_a_field_a_later_minor_version_may_add_is_left_out_not_refused() -> None:
    """Semantic versioning (docs/driver-contract.md): a 1.x adapter may already send a field a later 1.y names."""
    with over_http({"succeeded": True, "message": "Gemt", "item": "x"}) as driver:
        assert driver.change_stamkort(*ARGUMENTS["change_stamkort"]) == ChangeResult(True, "Gemt")
    with over_http({"contract_version": "1.3", "system": {"name": "E", "version": "7", "vendor": "V", "build": "42"},
                    "capabilities": [], "since": "1.3"}) as driver:
        assert driver.capabilities().system.name == "E"


def test_a_json_number_with_no_fraction_is_an_integer_and_other_log_in_fields_are_allowed() -> None:
    with over_http({"sent": 1.0, "failed": 0, "queued": 0}) as driver:
        assert driver.flush_minlog() == FlushResult(1, 0, 0)
    with over_http({"user_id": "u1", "session": "s"}) as driver:
        assert driver.log_in(EMPLOYEE) == "u1"
