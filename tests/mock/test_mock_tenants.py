"""Tenants: every route under `/t/{name}`, an operator token creates one (its own admin token and test CA), and
nothing of one tenant is seen or touched from another: registers, clock, faults and their counters, settings,
salt, MinLog2 records, journal, marks and near-misses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, fgvh_value, medcom_fault, minlog_body, minlog_entry, tenant
from starlette.testclient import TestClient

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.plane.app import create_app
from mock_nsp.settings import Settings

OPERATOR = "operator-secret"


@pytest.fixture
def app(tmp_path: Path, ca_dir: Path) -> Iterator[TestClient]:
    settings = Settings(journal_path=tmp_path / "journal.sqlite", state_dir=ca_dir, operator_token=OPERATOR,
                        admin_token="root-secret")
    with TestClient(create_app(settings)) as http:
        http.headers["authorization"] = f"Bearer {OPERATOR}"
        yield http


@pytest.fixture
def ab(app: TestClient) -> tuple[Mock, Mock]:
    tenants = app.app.tenants  # type: ignore[attr-defined]
    return tenant(app, "a", tenants), tenant(app, "b", tenants)


def test_only_the_operator_creates_tenants(app: TestClient) -> None:
    assert app.post("/__admin/tenants", json={"name": "x"}, headers={"authorization": "Bearer nope"}).status_code == 403
    r = app.post("/__admin/tenants", json={"name": "x"})
    assert r.status_code == 201 and r.json()["base_url"].endswith("/t/x") and r.json()["admin_token"]
    assert app.post("/__admin/tenants", json={"name": "x"}).status_code == 409
    bad = app.post("/__admin/tenants", json={"name": "Not A Name"})
    assert bad.status_code == 422 and bad.json()["path"] == "/name"
    assert app.post("/__admin/tenants", json={"name": "default"}).status_code == 422


def test_a_tenant_that_does_not_exist_is_404_on_both_planes(app: TestClient) -> None:
    assert app.get("/t/nobody/__admin/health").status_code == 404
    r = app.post("/t/nobody" + v.PATH_SFSK_ITI18, content=b"<x/>", headers={"content-type": "text/xml"})
    assert r.status_code == 404 and b"no tenant 'nobody'" in r.content


def test_a_tenants_token_opens_only_its_own_control_plane(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    assert a.http.get("/__admin/citizens").status_code == 200
    other = b.http.http.get("/t/b/__admin/citizens", headers={"authorization": f"Bearer {a.token}"})
    assert other.status_code == 403 and "tenant 'b'" in other.json()["error"]
    assert b.http.http.get("/__admin/citizens", headers={"authorization": f"Bearer {a.token}"}).status_code == 403
    # loopback is no key to a tenant: only its token is
    assert b.http.http.get("/t/b/__admin/citizens", headers={"authorization": ""}).status_code == 403


def test_a_card_from_one_tenants_sts_is_untrusted_at_anothers_service_plane(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    b.put_citizen(CPR_OLD)
    refused = b.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=a.card())
    assert refused.status_code == 500 and medcom_fault(refused) == v.FAULT_NO_VALID_IDCARD
    # and a certificate from A's CA gets no card from B's STS
    cert = a.certificate()
    rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Test Org")
    assert b.sts(rst).status_code == 500
    assert b.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code == 200


def test_registers_clock_settings_faults_and_salt_are_per_tenant(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    a.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2020-01-01T10:00:00+01:00"}))
    b.put_citizen(CPR_OLD, citizen())
    assert (fgvh_value(a.pdc(CPR_OLD)), fgvh_value(b.pdc(CPR_OLD))) == ("true", "false")
    a.http.put("/__admin/registers/fgvh", json={"available": False}).raise_for_status()
    assert (fgvh_value(a.pdc(CPR_OLD)), fgvh_value(b.pdc(CPR_OLD))) == ("NAV", "false")
    a.http.put("/__admin/clock", json={"now": "2031-05-01T12:00:00+02:00", "frozen": True}).raise_for_status()
    assert b.http.get("/__admin/clock").json()["now"] != a.http.get("/__admin/clock").json()["now"]
    a.http.put("/__admin/settings", json={"protected_marker": "A-ONLY"}).raise_for_status()
    assert b.http.get("/__admin/settings").json()["protected_marker"] != "A-ONLY"
    a.fault(service="sfsk-registry", kind="http_status", params={"status": 503}, times=1)
    assert b.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code == 200
    assert b.http.get("/__admin/faults").json()["faults"] == []
    assert a.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code == 503
    assert a.http.get("/__admin/faults").json()["faults"][0]["hits"] == 1
    salt_a = a.http.post("/__admin/idsas/salt", json={}).json()["salt"]
    assert b.http.get("/__admin/idsas/salt").json()["salt"] != salt_a


def test_no_journal_query_returns_another_tenants_entries(app: TestClient, ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    a.http.post("/__admin/journal/marks", json={"name": "m"}).raise_for_status()
    for _ in range(3):
        a.call(v.PATH_MINLOG, minlog_body(minlog_entry(seq="a")))
    a.http.get("/nowhere")
    root = Mock(app)
    root.call(v.PATH_MINLOG, minlog_body(minlog_entry(seq="root")))
    assert [e["id"] for e in a.journal()] == [1, 2, 3, 4, 5]  # STS, 3 MinLog2, the near-miss: ids of its own
    assert b.journal() == [] and b.journal(service="minlog") == [] and b.journal(cpr=CPR_OLD) == []
    assert b.http.get("/__admin/journal", params={"mark": "m"}).status_code == 404  # A's mark is not B's
    assert b.http.get("/__admin/journal/marks").json()["marks"] == []
    assert b.http.get("/__admin/unmatched").json()["unmatched"] == []
    assert b.http.get("/__admin/minlog/entries").json() == {
        "entries": [], "stats": {"entries": 0, "dropped": 0, "requests_last_hour": 0, "violations": []}}
    assert [e["sequence_number"] for e in a.http.get("/__admin/minlog/entries").json()["entries"]] == ["a"] * 3
    assert {e["service"] for e in root.journal()} == {"sts", "minlog"}
    assert all(e["request"]["path"].startswith("/t/a/") for e in a.journal())


def test_a_reset_of_one_tenant_leaves_the_others_alone(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    a.put_citizen(CPR_OLD)
    b.put_citizen(CPR_OLD)
    a.http.post("/__admin/reset").raise_for_status()
    assert a.http.get("/__admin/citizens").json()["citizens"] == []
    assert b.http.get("/__admin/citizens").json()["citizens"] == [CPR_OLD]


def test_a_tenants_wsdl_names_the_tenants_own_urls(ab: tuple[Mock, Mock]) -> None:
    a, _ = ab
    wsdl = a.http.get("/sfsk/dgws-wsdl/iti18.wsdl")
    assert wsdl.status_code == 200
    locations = {el.get("location") or el.get("schemaLocation") for el in etree.fromstring(wsdl.content).iter()
                 if el.get("location") or el.get("schemaLocation")}
    assert locations and all("/t/a/" in loc for loc in locations)


@pytest.mark.parametrize("name", ["", "A", "a b", "%2e%2e", "x" * 64, "-a", "a\u00e6", "a%2f.."])
def test_a_name_that_is_no_tenant_is_404_never_a_trace(app: TestClient, name: str) -> None:
    for path in (f"/t/{name}/__admin/citizens", f"/t/{name}{v.PATH_SFSK_ITI43}"):
        r = app.post(path, content=b"<x/>", headers={"content-type": "text/xml"})
        assert r.status_code in (404, 405), (path, r.status_code, r.text[:200])
        assert b"Traceback" not in r.content
