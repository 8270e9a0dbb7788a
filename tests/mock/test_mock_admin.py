"""The control plane: JSON Schema validation (422 with the failing path), auth, reset, journal, near-misses."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, minlog_body, minlog_entry
from starlette.testclient import TestClient

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.plane.app import create_app
from mock_nsp.plane.control.validation import schema
from mock_nsp.settings import Settings
from mock_nsp.world.journal import Filters, Journal


def test_health(mock: Mock) -> None:
    body = mock.http.get("/__admin/health").json()
    assert body["status"] == "ok" and body["version"]


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({}, "/"),
        ({"name": {"family": "X"}, "sex": "Q"}, "/sex"),
        ({"name": {"family": "X"}, "typed_in": {"language": {"code": "deu"}}}, "/typed_in/language/code"),
        ({"name": {"family": "X"}, "typed_in": {"relatives": [{"given": "A", "phones": [{"use": "XX", "value": "1"}]}]}},
         "/typed_in/relatives/0/phones/0/use"),
        ({"name": {"family": "X"}, "fgvh": {"registered_at": "not a date"}}, "/fgvh/registered_at"),
        ({"name": {"family": "X"}, "unknown": 1}, "/"),
    ],
)
def test_citizen_422_names_the_failing_path(mock: Mock, data: dict[str, object], path: str) -> None:
    r = mock.http.put(f"/__admin/citizens/{CPR_OLD}", json=data)
    assert r.status_code == 422, r.text
    assert r.json()["path"] == path


def test_the_architecture_example_citizen_is_accepted(mock: Mock) -> None:
    entered = {"by": "EnteredHealthcareprofessional", "name": "A B", "organisation": "Org", "sor": "1",
               "at": "2025-01-01T12:00:00+01:00"}
    data = citizen(
        protected=False, deceased=False, coverage_group="1", organ_donor=False, treatment_will=False,
        living_will=False, fgvh={"registered_at": "2025-02-01T10:00:00+01:00", "withdrawn_at": None},
        gp={"yder_number": "012345", "name": "Lægerne Testvej", "phones": [{"use": "WP", "value": "+4511223344"}],
            "address": {"lines": ["Lægevej 2"], "postal_code": "2100", "city": "København Ø"}},
        custody=[{"cpr": "0101201234", "name": {"given": ["Lille"], "family": "Jensen"}, "relation": "mor"}],
        typed_in={"language": {"code": "de", "entered": entered},
                  "temporary_address": {"address": {"lines": ["x"]}, "from": "2025-01-01", "to": None,
                                        "entered": entered},
                  "dentist": {"yder_number": "1", "name": "n", "clinic": "c", "address": {"lines": ["y"]},
                              "phone": "1", "entered": entered},
                  "contact_phones": [{"use": "MC", "value": "+4512345678", "entered": entered}],
                  "relatives": [{"id": "r1", "given": "Hanne", "family": "Jensen", "relation": "datter",
                                 "phones": [{"use": "H", "value": "1"}], "note": "n", "entered": entered}]},
    )
    assert mock.http.put(f"/__admin/citizens/{CPR_OLD}", json=data).status_code == 201
    got = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()
    assert got["typed_in"]["relatives"][0]["id"] == "r1" and got["fgvh_value"] in ("true", "false")
    assert mock.http.delete(f"/__admin/citizens/{CPR_OLD}").status_code == 204
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "data", "pointer"),
    [
        ("post", "/__admin/faults", {"service": "sfsk-registry", "kind": "nope"}, "/kind"),
        ("post", "/__admin/faults", {"service": "sfsk-registry", "kind": "dgws_fault", "params": {"code": "x"}},
         "/params/code"),
        ("post", "/__admin/faults", {"service": "x", "kind": "delay"}, "/service"),
        ("post", "/__admin/faults", {"service": "*", "kind": "delay", "probability": 2}, "/probability"),
        ("put", "/__admin/clock", {"now": "tomorrow"}, "/now"),
        ("post", "/__admin/clock/advance", {}, "/"),
        ("put", "/__admin/registers/fgvh", {"available": "no"}, "/available"),
        ("post", "/__admin/certificates", {"kind": "function", "cvr": "123", "name": "x"}, "/cvr"),
        ("post", f"/__admin/citizens/{CPR_OLD}/fgvh", {"action": "maybe"}, "/action"),
        ("put", "/__admin/settings", {"sts_fault_http_status": 404}, "/sts_fault_http_status"),
    ],
)
def test_other_routes_validate_too(mock: Mock, method: str, path: str, data: object, pointer: str) -> None:
    mock.put_citizen(CPR_OLD)
    r = getattr(mock.http, method)(path, json=data)
    assert r.status_code == 422, r.text
    assert r.json()["path"] == pointer


def test_not_json_is_422(mock: Mock) -> None:
    r = mock.http.put(f"/__admin/citizens/{CPR_OLD}", content=b"{nope", headers={"content-type": "application/json"})
    assert r.status_code == 422


def test_schemas_are_shipped() -> None:
    assert schema("citizen")["title"].startswith("Mock NSP citizen")


def test_token_is_required_when_configured(tmp_path: Path) -> None:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite", state_dir=tmp_path, admin_token="s3cret"))
    with TestClient(app, client=("10.0.0.7", 5000)) as http:
        assert http.get("/__admin/health").status_code == 200  # readiness is public
        assert http.get("/__admin/clock").status_code == 403
        assert http.get("/__admin/clock", headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert http.get("/__admin/clock", headers={"x-admin-token": "s3cret"}).status_code == 200
        assert http.get("/__admin/clock", headers={"x-admin-token": "wrong"}).status_code == 403


def test_an_empty_token_opens_the_control_plane(tmp_path: Path) -> None:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite", state_dir=tmp_path, admin_token=""))
    with TestClient(app, client=("10.0.0.7", 5000)) as http:
        assert http.get("/__admin/clock").status_code == 200


def test_non_loopback_clients_are_refused_without_a_token(tmp_path: Path) -> None:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite", state_dir=tmp_path))
    with TestClient(app, client=("10.0.0.7", 5000)) as http:
        assert http.get("/__admin/clock").status_code == 403


def test_reset_clears_registers_faults_and_clock_but_keeps_the_journal(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.fault(service="*", kind="delay", params={"ms": 1})
    mock.http.put("/__admin/clock", json={"now": "2030-01-01T00:00:00Z"})
    mock.http.put("/__admin/registers/fgvh", json={"available": False})
    mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    assert mock.http.post("/__admin/reset").status_code == 200
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").status_code == 404
    assert mock.http.get("/__admin/faults").json()["faults"] == []
    assert mock.http.get("/__admin/clock").json()["offset_seconds"] == pytest.approx(0, abs=1)
    assert mock.http.get("/__admin/registers").json()["registers"]["fgvh"] is True
    assert len(mock.journal(service="sfsk-registry")) == 1


def test_clock_set_frozen_and_advance(mock: Mock) -> None:
    r = mock.http.put("/__admin/clock", json={"now": "2025-03-30T01:30:00+01:00", "frozen": True}).json()
    assert r["frozen"] is True
    r = mock.http.post("/__admin/clock/advance", json={"hours": 1}).json()
    assert r["local"].startswith("2025-03-30T03:30:00+02:00")


@pytest.mark.usefixtures("in_process_only")
def test_journal_filters_and_marks(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    mock.http.post("/__admin/journal/marks", json={"name": "scenario-2"})
    mock.call(v.PATH_SFSK_ITI18, dgws.iti18_body("0101010000"))
    assert len(mock.journal(cpr=CPR_OLD)) == 1
    assert len(mock.journal(cvr="12345678", service="sfsk-registry")) == 2
    after = mock.journal(mark="scenario-2")
    assert [e["summary"]["cpr"] for e in after] == ["0101010000"]
    assert mock.journal(operation="RegistryStoredQuery")[0]["request"]["body"].startswith("<?xml")
    assert mock.journal(since="2999-01-01T00:00:00Z") == []
    marks = mock.http.get("/__admin/journal/marks").json()["marks"]
    assert marks[0]["name"] == "scenario-2"


def test_journal_cap_drops_the_oldest_and_counts_them(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite", cap=5)
    for i in range(12):
        journal.record({"at": f"2025-01-01T00:00:{i:02d}+00:00", "service": "sts", "summary": {}, "n": i})
    result = journal.entries(Filters())
    journal.close()
    assert [e["n"] for e in result["entries"]] == [7, 8, 9, 10, 11]
    assert result["dropped"] == 7


def test_journal_survives_a_restart(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite")
    journal.record({"at": "2025-01-01T00:00:00+00:00", "service": "sts", "summary": {}, "request": {"body": b"<x/>"}})
    journal.close()
    again = Journal(tmp_path / "j.sqlite")
    (entry,) = again.entries(Filters())["entries"]
    again.close()
    assert entry["request"]["body"] == "<x/>"
    mode = __import__("sqlite3").connect(tmp_path / "j.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_unmatched_requests_get_a_near_miss_report(mock: Mock) -> None:
    r = mock.http.post("/decoupling/nspservices/sfskreg/", content=b"<x/>", headers={"content-type": "text/xml"})
    assert r.status_code == 404
    r = mock.http.post("/decoupling/nspservices/sfsk-reg", content=b"<x/>", headers={"content-type": "text/xml"})
    (first, second) = mock.http.get("/__admin/unmatched").json()["unmatched"]
    assert first["closest_service"] == "sfsk-registry" and "trailing slash" in first["reason"]
    assert second["closest_path"] == v.PATH_SFSK_ITI18
    assert len(mock.journal(service="unmatched")) == 2


@pytest.mark.parametrize("path", ["/sfsk/dgws-wsdl/iti18.wsdl", "/sfsk/dgws-wsdl/iti43.wsdl", "/skr/wsdl/dgws20210602",
                                  "/minlog2-registration/20250312/RegisterService?wsdl", "/idsas-salt/20230601/salt?wsdl",
                                  "/sts/services/NewSecurityTokenService?wsdl"])
def test_wsdls_are_served(mock: Mock, path: str) -> None:
    r = mock.http.get(path)
    assert r.status_code == 200 and b"definitions" in r.content and b"MOCK-NSP-BASE" not in r.content


def test_wsdl_fetches_are_journaled(mock: Mock) -> None:
    mock.http.get("/sfsk/dgws-wsdl/iti18.wsdl")
    (entry,) = mock.journal(service="wsdl")
    assert entry["operation"] == "iti18.wsdl" and entry["status"] == 200


def test_sts_exchanges_summarise_the_issued_card(mock: Mock) -> None:
    mock.card()
    (entry,) = mock.journal(service="sts")
    card = entry["summary"]["idcard"]
    assert (card["type"], card["level"], card["cvr"], card["issuer"]) == ("system", 3, "12345678", "MOCK-NSP-STS")
    assert card["expires"]


def test_get_document_is_the_pdc_served_now(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.http.get(f"/__admin/citizens/{CPR_OLD}/document")
    assert r.status_code == 200 and b"NoResuscitationRegistration" in r.content
    assert mock.http.get("/__admin/citizens/0101010101/document").status_code == 404


def test_a_body_sent_to_the_wrong_service_is_a_near_miss(mock: Mock) -> None:
    r = mock.call(v.PATH_SFSK_ITI18, dgws.iti43_body("1.2.208.176.43210.8.10.12^x"))
    assert r.status_code == 200  # the registry answers with an ebXML error, as a real registry would
    (near,) = mock.http.get("/__admin/unmatched").json()["unmatched"]
    assert (near["closest_service"], near["closest_path"]) == ("sfsk-repository", v.PATH_SFSK_ITI43)
    assert mock.journal(service="sfsk-registry")[-1]["summary"]["near_miss"]["reason"].startswith("the body element")


@pytest.mark.parametrize("action", [f'"{v.ACTION_ITI18}"', v.ACTION_ITI18])
def test_the_decoupling_paths_route_the_operation_s_soap_action_quoted_or_not(mock: Mock, action: str) -> None:
    mock.put_citizen(CPR_OLD)
    env = dgws.service_envelope(mock.card(), dgws.iti18_body(CPR_OLD))
    ok = mock.http.post(v.PATH_SFSK_ITI18, content=env, headers={"content-type": "text/xml", "soapaction": action})
    assert ok.status_code == 200 and mock.http.get("/__admin/unmatched").json()["unmatched"] == []


@pytest.mark.parametrize("action", ["Nope", f'"{v.ACTION_ITI43}"', '""', None])
def test_a_wrong_or_missing_soap_action_is_not_routed_on_a_decoupling_path(mock: Mock, action: str | None) -> None:
    """SOSI-DCC routes /decoupling/ calls by SOAPAction and requires it (docs/soap-binding.md)."""
    mock.put_citizen(CPR_OLD)
    env = dgws.service_envelope(mock.card(), dgws.iti18_body(CPR_OLD))
    headers = {"content-type": "text/xml"} | ({"soapaction": action} if action is not None else {})
    r = mock.http.post(v.PATH_SFSK_ITI18, content=env, headers=headers)
    assert r.status_code == 500
    fault = etree.fromstring(r.content).find(f".//{{{v.NS['soap']}}}Fault")
    assert fault is not None and fault.findtext("faultcode") == "soap:Client"
    assert "routes" in (fault.findtext("faultstring") or "")
    (entry,) = mock.journal(service="sfsk-registry")
    assert entry["summary"]["fault"]["code"] == "Client" and "cpr" in entry["summary"]


@pytest.mark.parametrize(("wsa_action", "status"), [(v.ACTION_ITI18, 200), (v.ACTION_ITI43, 500)])
def test_an_empty_soap_action_is_routed_by_the_ws_addressing_action(mock: Mock, wsa_action: str, status: int) -> None:
    """A client generated from the SFSK WSDL (no soapAction; wsam:Action on the port type) sends SOAPAction ""
    and a wsa:Action header, as zeep does (tests/mock/test_mock_zeep.py)."""
    mock.put_citizen(CPR_OLD)
    env = etree.fromstring(dgws.service_envelope(mock.card(), dgws.iti18_body(CPR_OLD)))
    header = env.find(f"{{{v.NS['soap']}}}Header")
    assert header is not None
    etree.SubElement(header, "{http://www.w3.org/2005/08/addressing}Action").text = wsa_action
    r = mock.http.post(v.PATH_SFSK_ITI18, content=etree.tostring(env),
                       headers={"content-type": "text/xml", "soapaction": '""'})
    assert r.status_code == status


def test_an_unexpected_soap_action_off_the_decoupling_paths_is_a_near_miss_but_answered(mock: Mock) -> None:
    env = dgws.service_envelope(mock.card(), minlog_body(minlog_entry()))
    r = mock.http.post(v.PATH_MINLOG, content=env, headers={"content-type": "text/xml", "soapaction": "Nope"})
    assert r.status_code == 200
    (near,) = mock.http.get("/__admin/unmatched").json()["unmatched"]
    assert "SOAPAction 'Nope'" in near["reason"]


def test_a_journal_of_the_single_tenant_mock_becomes_the_default_tenants(tmp_path: Path) -> None:
    """mock-nsp 0.2 wrote one tenant's journal (ids from SQLite's rowid, a `meta` row counting drops): opened by this
    mock it is the default tenant's, ids, marks and drop count kept, and new entries go on from its last id."""
    import sqlite3

    old = sqlite3.connect(tmp_path / "old.sqlite")
    old.executescript("""
      CREATE TABLE journal (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, service TEXT NOT NULL,
        operation TEXT, status INTEGER, duration_ms REAL, cpr TEXT, cvr TEXT, doc TEXT NOT NULL);
      CREATE TABLE marks (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, at TEXT NOT NULL,
        after_id INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta VALUES ('dropped', 4);
      INSERT INTO journal(id, at, service, doc) VALUES (5, '2025-01-01T00:00:00+00:00', 'sts', '{"service": "sts"}');
      INSERT INTO journal(id, at, service, doc) VALUES (6, '2025-01-01T00:00:01+00:00', 'skr', '{"service": "skr"}');
      INSERT INTO marks(name, at, after_id) VALUES ('m', '2025-01-01T00:00:00+00:00', 5);
    """)
    old.close()
    journal = Journal(tmp_path / "old.sqlite")
    try:
        journal.record({"at": "2025-01-02T00:00:00+00:00", "service": "minlog", "summary": {}})
        page = journal.entries(Filters())
        assert [(e["id"], e["service"]) for e in page["entries"]] == [(5, "sts"), (6, "skr"), (7, "minlog")]
        assert page["dropped"] == 4
        assert [e["id"] for e in journal.entries(Filters(mark="m"))["entries"]] == [6, 7]
        assert journal.entries(Filters(tenant="other"))["entries"] == []
    finally:
        journal.close()
