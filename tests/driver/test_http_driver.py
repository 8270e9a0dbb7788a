"""HttpDriver against a scripted adapter (httpx.MockTransport): a transport, wrapped by the harness in
ValidatingDriver as every driver of a program is (the catalogue's ``sut`` fixture)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from test_driver_contract import MINIMAL_SCREEN

from nspcert.driver.contract import (
    AnswerInvalid,
    DriverError,
    Employee,
    ScreenModelInvalid,
    StamkortChange,
    SutDriver,
)
from nspcert.driver.http import HttpDriver
from nspcert.driver.validating import ValidatingDriver

EMPLOYEE = Employee("0101701234", "Hanne", "Hansen", "AB123", "sygeplejerske", "1234", "Org")


def transport(handler: httpx.MockTransport) -> HttpDriver:
    return HttpDriver("http://sut.test", client=httpx.Client(base_url="http://sut.test", transport=handler))


def driver_for(handler: httpx.MockTransport) -> ValidatingDriver:
    """The driver as the harness makes it for an HTTP adapter."""
    return ValidatingDriver(transport(handler))


def test_operations_send_the_contract_requests() -> None:
    seen: list[tuple[str, str, object]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        seen.append((request.method, request.url.path + (f"?{request.url.query.decode()}" if request.url.query else ""),
                     body))
        answers = {
            "/sut/users": httpx.Response(201, json={"user_id": "u1"}),
            "/sut/citizens/0101601234/open": httpx.Response(200, json=MINIMAL_SCREEN),
            "/sut/citizens/0101601234/stamkort": httpx.Response(200, json={"succeeded": False, "message": "Nej"}),
            "/sut/minlog/flush": httpx.Response(200, json={"sent": 1, "failed": 0, "queued": 0}),
            "/sut/clock": httpx.Response(200, json={"now": "x"}),
            "/sut/reset": httpx.Response(204),
        }
        return answers[request.url.path]

    with driver_for(httpx.MockTransport(handle)) as driver:
        assert isinstance(driver, SutDriver)
        driver.reset()
        assert driver.log_in(EMPLOYEE) == "u1"
        assert driver.open_record("0101601234", "u1")["fgvh"]["state"] == "unknown"
        result = driver.change_stamkort("0101601234", "u1", StamkortChange("language", "create", {"code": "de"}))
        assert (result.succeeded, result.message) == (False, "Nej")
        driver.set_clock(datetime(2025, 1, 1, tzinfo=UTC))
        assert driver.flush_minlog().sent == 1
    assert seen[1] == ("POST", "/sut/users", EMPLOYEE.to_json())
    assert seen[2] == ("POST", "/sut/citizens/0101601234/open", {"user_id": "u1"})
    assert seen[3][2] == {"user_id": "u1", "item": "language", "action": "create", "values": {"code": "de"}}
    assert seen[4] == ("PUT", "/sut/clock", {"now": "2025-01-01T00:00:00+00:00"})


def test_view_rejects_a_screen_that_breaks_the_schema() -> None:
    broken = {**MINIMAL_SCREEN, "fgvh": {"state": "not_opted_out"}}
    with driver_for(httpx.MockTransport(lambda r: httpx.Response(200, json=broken))) as driver, \
            pytest.raises(ScreenModelInvalid, match="^view: screen model invalid at fgvh: 'symbol_shown'"):
        driver.view("0101601234", "u1")


def test_the_transport_alone_judges_nothing_the_schemas_say() -> None:
    """Only ValidatingDriver judges the schemas: the bare HttpDriver hands the answers on as they came."""
    broken = {**MINIMAL_SCREEN, "fgvh": {"state": "not_opted_out"}}
    claims = {"contract_version": "9", "system": {"name": "E", "version": "1", "vendor": "V"},
              "capabilities": ["teleport"]}
    with transport(httpx.MockTransport(lambda r: httpx.Response(200, json=broken))) as driver:
        assert driver.view("0101601234", "u1") == broken
    with transport(httpx.MockTransport(lambda r: httpx.Response(200, json=claims))) as driver:
        assert driver.capabilities().to_json() == claims


@pytest.mark.parametrize(("response", "message"), [
    (httpx.Response(500, text="boom"), "^GET /sut/capabilities: HTTP 500: boom"),
    (httpx.Response(200, text="<html>"), "^GET /sut/capabilities: answer is not JSON: '<html>'"),
    (httpx.Response(200, json=["clock"]), "^GET /sut/capabilities: answer is not a JSON object"),
])
def test_http_errors_and_answers_that_are_not_json_objects_are_driver_errors(response: httpx.Response,
                                                                             message: str) -> None:
    with driver_for(httpx.MockTransport(lambda r: response)) as driver, pytest.raises(DriverError, match=message):
        driver.capabilities()


def test_an_unreachable_adapter_is_a_driver_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with driver_for(httpx.MockTransport(refuse)) as driver, pytest.raises(DriverError, match="unreachable"):
        driver.reset()


@pytest.mark.parametrize(("method", "answer", "message"), [
    ("capabilities", {"contract_version": "1.0", "system": {"name": "EOJ"}, "capabilities": []},
     "^capabilities: Capabilities invalid at system: 'version' is a required property"),
    ("capabilities", {"contract_version": "1.0", "system": {"name": "E", "version": "1", "vendor": "V"},
                      "capabilities": ["teleport"]}, "^capabilities: Capabilities invalid at capabilities/0"),
    ("citizen_view", {"contract_version": "1.0", "cpr": "0101601234",
                      "accesses": [{"date": "2025-01-01", "user": {"display_name": "x"}}]}, "accesses/0"),
    ("flush_minlog", {"sent": "1", "failed": 0, "queued": 0}, "sent"),
])
def test_other_answers_that_break_the_contract_are_driver_errors(method: str, answer: dict[str, object],
                                                                 message: str) -> None:
    args = ["0101601234"] if method == "citizen_view" else []
    with driver_for(httpx.MockTransport(lambda r: httpx.Response(200, json=answer))) as driver, \
            pytest.raises(AnswerInvalid, match=message):
        getattr(driver, method)(*args)
