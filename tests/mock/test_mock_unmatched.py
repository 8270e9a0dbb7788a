"""Requests no service matched: a near-miss report that says why, answered in bounds."""

from __future__ import annotations

import time

import pytest
from mocknsp_support import Mock

import nsp_vocabulary as v
from mock_nsp.plane.unmatched import KEEP_BYTES

SOAP = {"content-type": "text/xml; charset=utf-8"}


def _near(mock: Mock) -> dict[str, object]:
    return dict(mock.http.get("/__admin/unmatched").json()["unmatched"][-1])


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_another_method_on_an_exact_service_path_says_use_post(mock: Mock, method: str) -> None:
    r = mock.http.request(method, v.PATH_SFSK_ITI43, content=b"<x/>", headers=SOAP)
    assert r.status_code == 404
    near = _near(mock)
    assert near["reason"] == f"method {method} is not served at {v.PATH_SFSK_ITI43}; use POST"
    assert near["closest_service"] == v.SERVICE_SFSK_REPOSITORY


@pytest.mark.parametrize(("path", "says"), [
    (v.PATH_SFSK_ITI43 + "/", "trailing slash"),
    (v.PATH_SFSK_ITI43.upper(), "path case differs"),
    (v.PATH_SFSK_ITI43.upper() + "/", "path case differs"),
    ("/decoupling/nspservices/sfskrepo", "does not match any service; closest is " + v.PATH_SFSK_ITI43),
])
def test_near_miss_reasons(mock: Mock, path: str, says: str) -> None:
    assert mock.http.post(path, content=b"<x/>", headers=SOAP).status_code == 404
    assert says in str(_near(mock)["reason"])


def test_a_large_body_is_read_but_only_its_start_is_kept(mock: Mock) -> None:
    body = b"<x>" + b"y" * (3 * KEEP_BYTES) + b"</x>"
    assert mock.http.post("/nowhere", content=body, headers=SOAP).status_code == 404
    (entry,) = mock.journal(service="unmatched")
    assert len(entry["request"]["body"]) == KEEP_BYTES


def test_a_body_over_the_limit_is_413_and_still_a_near_miss(mock: Mock) -> None:
    started = time.perf_counter()
    r = mock.http.post(v.PATH_SFSK_ITI43 + "/", content=b"x" * (mock.state.settings.max_body_bytes + 1),
                       headers=SOAP)
    assert r.status_code == 413 and time.perf_counter() - started < 5
    assert "trailing slash" in str(_near(mock)["reason"])
