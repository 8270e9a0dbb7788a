"""Fault injection: every kind, matched by service/operation/CPR/CVR, with times, probability and seed."""

from __future__ import annotations

import time

import httpx
import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, CPR_YOUNG, Mock, citizen, fgvh_value, soap_headers

import nsp_vocabulary as v
from mock_nsp import client as dgws


def _iti18(mock: Mock, cpr: str = CPR_OLD) -> httpx.Response:
    return mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(cpr))  # type: ignore[no-any-return]


def test_delay(mock: Mock) -> None:
    mock.fault(service="sfsk-registry", kind="delay", params={"ms": 300}, times=1)
    started = time.perf_counter()
    assert _iti18(mock).status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_http_status(mock: Mock) -> None:
    mock.fault(service="sfsk-registry", kind="http_status", params={"status": 503})
    assert _iti18(mock).status_code == 503


def test_soap_fault(mock: Mock) -> None:
    mock.fault(service="sfsk-registry", kind="soap_fault", params={"string": "Boom", "code": "Server"})
    r = _iti18(mock)
    fault = etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault")
    assert r.status_code == 500 and fault is not None and fault.findtext("faultstring") == "Boom"


def test_malformed_and_empty_bodies(mock: Mock) -> None:
    mock.fault(service="sfsk-registry", kind="malformed_body", times=1)
    r = _iti18(mock)
    assert r.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(r.content)
    mock.fault(service="sfsk-registry", kind="empty_body", times=1)
    r = _iti18(mock)
    assert (r.status_code, r.content) == (200, b"")


def test_register_unavailable_only_for_the_matched_request(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2020-01-01T00:00:00Z"}))
    mock.fault(service="sfsk-repository", kind="register_unavailable", params={"register": "fgvh"}, times=1)
    assert fgvh_value(mock.pdc(CPR_OLD)) == "NAV"
    assert fgvh_value(mock.pdc(CPR_OLD)) == "true"


def test_match_by_cpr_and_operation(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.put_citizen(CPR_YOUNG, citizen(birth_date="2005-01-01"))
    mock.fault(service="sfsk-registry", operation="RegistryStoredQuery", match={"cpr": CPR_YOUNG},
               kind="http_status", params={"status": 503})
    assert _iti18(mock, CPR_OLD).status_code == 200
    assert _iti18(mock, CPR_YOUNG).status_code == 503
    rule = mock.http.get("/__admin/faults").json()["faults"][0]
    assert rule["hits"] == 1


def test_match_by_cvr(mock: Mock) -> None:
    mock.fault(service="*", match={"cvr": "99999999"}, kind="http_status", params={"status": 503})
    assert _iti18(mock).status_code == 200
    mock.fault(service="*", match={"cvr": "12345678"}, kind="http_status", params={"status": 502})
    assert _iti18(mock).status_code == 502


def test_times_then_normal_service(mock: Mock) -> None:
    mock.fault(service="sfsk-registry", kind="http_status", params={"status": 503}, times=2)
    assert [_iti18(mock).status_code for _ in range(3)] == [503, 503, 200]


def test_probability_with_a_seed_is_repeatable(mock: Mock) -> None:
    def run() -> list[int]:
        mock.http.delete("/__admin/faults")
        mock.fault(id="p", service="sfsk-registry", kind="http_status", params={"status": 503}, probability=0.5,
                   seed=42)
        return [_iti18(mock).status_code for _ in range(16)]

    first = run()
    assert 503 in first and 200 in first and run() == first


def test_delete_a_rule(mock: Mock) -> None:
    rule = mock.fault(service="sfsk-registry", kind="http_status", params={"status": 503})
    assert mock.http.delete(f"/__admin/faults/{rule['id']}").status_code == 204
    assert _iti18(mock).status_code == 200
    assert mock.http.delete(f"/__admin/faults/{rule['id']}").status_code == 404


def test_sts_faults_can_be_injected(mock: Mock) -> None:
    mock.fault(service="sts", kind="http_status", params={"status": 503})
    cert = mock.certificate()
    r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Org"))
    assert r.status_code == 503


def test_an_sts_rule_matches_the_cvr_of_the_card_requested(mock: Mock) -> None:
    """The gate does not run for the STS; the CVR to match is the request card's CareProviderID."""
    mock.fault(service="sts", match={"cvr": "87654321"}, kind="http_status", params={"status": 503})
    for cvr, status in (("12345678", 200), ("87654321", 503)):
        cert = mock.certificate(cvr=cvr)
        r = mock.sts(dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], cvr, "Org"))
        assert r.status_code == status, (cvr, r.text)


def test_injected_faults_are_journaled(mock: Mock) -> None:
    rule = mock.fault(service="sfsk-registry", kind="http_status", params={"status": 503})
    _iti18(mock)
    (entry,) = mock.journal(service="sfsk-registry")
    assert entry["status"] == 503 and entry["summary"]["injected"] == [rule["id"]]


def test_connection_drop_through_a_real_server(live_mock: Mock) -> None:
    live_mock.fault(service="sfsk-registry", kind="connection_drop", times=1)
    with pytest.raises(httpx.HTTPError):
        _iti18(live_mock)
    assert _iti18(live_mock).status_code == 200
    entries = live_mock.journal(service="sfsk-registry")
    assert entries[-2]["response"]["dropped"] is True


def test_a_delay_longer_than_the_client_timeout_is_a_timeout(live_mock: Mock) -> None:
    live_mock.fault(service="sfsk-registry", kind="delay", params={"ms": 1500}, times=1)
    env = dgws.service_envelope(live_mock.card(), dgws.iti18_body(CPR_OLD))
    with pytest.raises(httpx.TimeoutException):
        live_mock.http.post(v.PATH_SFSK_ITI18, content=env, headers=soap_headers(v.PATH_SFSK_ITI18), timeout=0.3)
    # the mock still answers (to no one) and journals it: wait for that, so it does not land in the next test's journal
    deadline = time.monotonic() + 10
    while not live_mock.journal(service="sfsk-registry") and time.monotonic() < deadline:
        time.sleep(0.1)


@pytest.mark.parametrize(("kind", "param"), [("http_status", "status"), ("soap_fault", "http_status"),
                                              ("malformed_body", "status")])
@pytest.mark.parametrize("status", [100, 101, 199])
def test_informational_statuses_cannot_be_injected(mock: Mock, kind: str, param: str, status: int) -> None:
    r = mock.http.post("/__admin/faults", json={"service": "sfsk-registry", "kind": kind, "params": {param: status}})
    assert r.status_code == 422 and r.json()["path"] == f"/params/{param}", r.text


@pytest.mark.parametrize(("kind", "param"), [("http_status", "status"), ("soap_fault", "http_status"),
                                              ("dgws_fault", "http_status"), ("malformed_body", "status")])
@pytest.mark.parametrize("status", [204, 304])
def test_bodiless_statuses_keep_the_connection_usable(live_mock: Mock, kind: str, param: str, status: int) -> None:
    """HTTP forbids a body with 204 and 304: the mock sends none, so the keep-alive connection stays in step."""
    live_mock.fault(service="sfsk-registry", kind=kind, params={param: status}, times=1)
    first = _iti18(live_mock)
    assert (first.status_code, first.content) == (status, b"")
    assert _iti18(live_mock).status_code == 200  # the same pooled connection, still usable
    assert live_mock.journal(service="sfsk-registry")[-2]["response"]["body"] == ""


RS_ERROR = f"{{{v.NS['rs']}}}RegistryError"


@pytest.mark.parametrize("code", ["XDSUnknownPatientId", "XDSRegistryNotAvailable", "XDSUnavailableCommunity",
                                  "XDS-NO-ACTIVE-REGISTRIES"])
def test_a_registry_error_is_a_failure_answer_not_a_soap_fault(mock: Mock, code: str) -> None:
    mock.put_citizen(CPR_OLD)
    mock.fault(service="sfsk-registry", kind="registry_error", params={"code": code, "context": "Ingen registre"})
    r = _iti18(mock)
    answer = etree.fromstring(r.content).find(f".//{{{v.NS['query']}}}AdhocQueryResponse")
    assert r.status_code == 200 and etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault") is None
    assert answer is not None and answer.get("status") == v.RESPONSE_STATUS_FAILURE
    (error,) = answer.iter(RS_ERROR)
    assert (error.get("errorCode"), error.get("codeContext")) == (code, "Ingen registre")
    assert error.get("severity", "").endswith(":Error")
    assert not list(answer.iter(f"{{{v.NS['rim']}}}ExtrinsicObject"))
    (entry,) = mock.journal(service="sfsk-registry")
    assert entry["summary"]["registry_error"] == {"code": code, "severity": "Error"}


def test_a_retrieve_error_is_a_failure_registry_response(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    doc_id = mock.doc_id(CPR_OLD)
    mock.fault(service="sfsk-repository", kind="registry_error", params={"code": "XDSRepositoryNotAvailable"})
    r = mock.call(v.PATH_SFSK_ITI43, dgws.iti43_body(doc_id))
    root = etree.fromstring(r.content)
    registry = root.find(f".//{{{v.NS['rs']}}}RegistryResponse")
    assert r.status_code == 200 and registry is not None and registry.get("status") == v.RESPONSE_STATUS_FAILURE
    assert [e.get("errorCode") for e in registry.iter(RS_ERROR)] == ["XDSRepositoryNotAvailable"]
    assert root.find(f".//{{{v.NS['xds']}}}Document") is None


def test_a_registry_warning_keeps_the_answer(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.fault(service="sfsk-registry", kind="registry_error", params={"code": "XDSExtraMetadataNotSaved",
                                                                       "severity": "Warning"}, times=1)
    answer = etree.fromstring(_iti18(mock).content).find(f".//{{{v.NS['query']}}}AdhocQueryResponse")
    assert answer is not None and answer.get("status") == v.RESPONSE_STATUS_SUCCESS
    assert [e.get("severity", "").rsplit(":", 1)[-1] for e in answer.iter(RS_ERROR)] == ["Warning"]
    assert len(list(answer.iter(f"{{{v.NS['rim']}}}ExtrinsicObject"))) == 1
    assert etree.QName(answer[0]).localname == "RegistryErrorList"


def test_a_registry_error_is_only_for_the_sfsk_services_and_needs_a_code(mock: Mock) -> None:
    for rule in ({"service": "minlog", "kind": "registry_error", "params": {"code": "X"}},
                 {"service": "sfsk-registry", "kind": "registry_error", "params": {}}):
        assert mock.http.post("/__admin/faults", json=rule).status_code == 422


def test_the_fault_kinds_are_one_enum_the_schema_and_the_behaviours_share() -> None:
    from mock_nsp.plane.control.validation import schema
    from mock_nsp.world.faults import BEHAVIOURS, Behaviour
    from nsp_vocabulary.faults import FaultKind

    assert schema("fault")["properties"]["kind"]["enum"] == [kind.value for kind in FaultKind]
    assert set(BEHAVIOURS) == set(FaultKind)
    for kind in FaultKind:  # a kind that replaces the answer makes one; the others only shape the service's
        assert (type(BEHAVIOURS[kind]).answer is not Behaviour.answer) == kind.replaces_answer
