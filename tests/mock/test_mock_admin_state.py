"""The control plane refuses state the service plane could not serve: 422 naming the path, nothing stored,
and the next ITI-43 still answers (no `sosigw_internal_error`, no traceback in the log)."""

from __future__ import annotations

from typing import Any

import pytest
from mocknsp_support import CPR_OLD, Mock, citizen

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.plane.control import validation

ENTERED = {"by": "EnteredCitizen", "name": "Jens Jensen", "at": "2025-01-01T12:00:00+01:00"}


def _temp_address(**period: Any) -> dict[str, Any]:
    return {"temporary_address": {"address": {"lines": ["Sommervej 1"]}, "entered": ENTERED, **period}}


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"typed_in": _temp_address(**{"from": "2025-02-30"})}, "/typed_in/temporary_address/from"),
        ({"typed_in": _temp_address(to="20250301")}, "/typed_in/temporary_address/to"),
        ({"typed_in": {"language": {"code": "de", "entered": {**ENTERED, "at": "0001-01-01T00:00:00+14:00"}}}},
         "/typed_in/language/entered/at"),
        ({"typed_in": {"language": {"code": "de", "entered": {**ENTERED, "at": "9999-12-31T23:59:59-14:00"}}}},
         "/typed_in/language/entered/at"),
        ({"typed_in": {"language": {"code": "de", "entered": {**ENTERED, "at": "2025-W06-1T09:15:00"}}}},
         "/typed_in/language/entered/at"),
        ({"birth_date": "1066-10-14"}, "/birth_date"),
        ({"birth_date": "1950-02-29"}, "/birth_date"),
        ({"fgvh": {"registered_at": "2025-02-03 09:15:00"}}, "/fgvh/registered_at"),
        ({"fgvh": {"registered_at": "2020-01-01T00:00:00Z", "withdrawn_at": "2025-13-01T00:00:00Z"}},
         "/fgvh/withdrawn_at"),
    ],
)
def test_impossible_dates_are_422_and_not_stored(mock: Mock, overrides: dict[str, Any], path: str) -> None:
    r = mock.http.put(f"/__admin/citizens/{CPR_OLD}", json=citizen(**overrides))
    assert r.status_code == 422, r.text
    assert r.json()["path"] == path
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").status_code == 404


@pytest.mark.usefixtures("in_process_only")
def test_a_state_the_builder_cannot_serve_is_refused_even_if_the_schema_let_it_pass(
        mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDC is built once on PUT: were the schema to miss something, the citizen is still refused."""
    monkeypatch.setattr(validation, "MIN_YEAR", 1)
    bad = citizen(typed_in={"language": {"code": "de", "entered": {**ENTERED, "at": "0001-01-01T00:00:00+14:00"}}})
    r = mock.http.put(f"/__admin/citizens/{CPR_OLD}", json=bad)
    assert r.status_code == 422, r.text
    assert r.json()["path"] == "/typed_in/language" and "cannot build the PDC" in r.json()["error"]
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").status_code == 404


def test_valid_edge_dates_are_served(mock: Mock) -> None:
    good = citizen(birth_date="1900-02-28", typed_in={**_temp_address(**{"from": "2024-02-29", "to": None}),
                                                      "language": {"code": "de", "entered": {
                                                          **ENTERED, "at": "2025-01-01T12:00"}}})
    mock.put_citizen(CPR_OLD, good)
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(mock.doc_id(CPR_OLD)))
    assert r.status_code == 200 and b"Document>" in r.content


@pytest.mark.parametrize(
    ("method", "path", "data", "pointer"),
    [
        ("put", "/__admin/settings", {"pdc_v2_cutover": "2025-13-45"}, "/pdc_v2_cutover"),
        ("put", "/__admin/settings", {"idcard_lifetime_seconds": 1e15}, "/idcard_lifetime_seconds"),
        ("post", "/__admin/certificates", {"kind": "function", "cvr": "12345678", "name": "x",
                                            "not_before": "2030-01-01T00:00:00Z", "not_after": "2029-01-01T00:00:00Z"},
         "/not_after"),
        ("post", "/__admin/certificates", {"kind": "function", "cvr": "12345678", "name": "x",
                                            "not_before": "2150-01-01T00:00:00Z"}, "/not_before"),
        ("post", "/__admin/certificates", {"kind": "function", "cvr": "12345678", "name": "x",
                                            "not_before": "1900-01-01T00:00:00Z"}, "/not_before"),
        ("post", f"/__admin/citizens/{CPR_OLD}/fgvh", {"action": "register", "at": "0001-01-01T00:00:00+14:00"},
         "/at"),
    ],
)
def test_422_names_the_field(mock: Mock, method: str, path: str, data: object, pointer: str) -> None:
    mock.put_citizen(CPR_OLD)
    r = getattr(mock.http, method)(path, json=data)
    assert r.status_code == 422, r.text
    assert r.json()["path"] == pointer, r.text
    assert mock.http.get("/__admin/settings").json()["pdc_v2_cutover"] == "2025-01-15"
