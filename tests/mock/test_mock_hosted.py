"""Hosted mode (`--database postgresql://…`): replicas share one mock through PostgreSQL. A control-plane write
answered by one replica is seen by the very next request on another; fault counters and seeded draws, journal ids,
marks and MinLog2 records are the same as with one process; the schema is migrated and checked at start-up; a
PostgreSQL that stops gives health 503 naming it and SOAP faults (never a stack trace), and the mock recovers when
it is back, without a restart; a replica killed under load loses no answered exchange."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from hosted_support import HostedServer, new_database, replicas
from lxml import etree
from mocknsp_support import CPR_OLD, SOAP11, Mock, citizen, fgvh_value, minlog_body, minlog_entry, soap_headers

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.plane.app import app_for
from mock_nsp.settings import Settings
from mock_nsp.storage.schema import SchemaTooNew, latest
from tools.postgres import TempPostgres


@pytest.fixture
def url(postgres: TempPostgres) -> str:
    return new_database(postgres)


@pytest.fixture
def ab(url: str, ca_dir: Path) -> tuple[Mock, Mock]:
    with replicas(url, ca_dir) as (a, b):
        yield a, b


def test_a_write_on_one_replica_is_seen_by_the_next_request_on_the_other(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    assert a.state is not b.state and a.state.ca.root.cert_pem == b.state.ca.root.cert_pem
    a.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2020-01-01T10:00:00+01:00"}))
    assert fgvh_value(b.pdc(CPR_OLD)) == "true"
    a.http.put("/__admin/registers/fgvh", json={"available": False}).raise_for_status()
    assert fgvh_value(b.pdc(CPR_OLD)) == "NAV"
    b.http.put("/__admin/registers/fgvh", json={"available": True}).raise_for_status()
    a.http.post(f"/__admin/citizens/{CPR_OLD}/fgvh", json={"action": "withdraw", "at": "2021-01-01T00:00:00Z"})
    assert fgvh_value(b.pdc(CPR_OLD)) == "false"
    a.http.put("/__admin/settings", json={"cvr_whitelist": ["87654321"]}).raise_for_status()
    assert b"sosigw_access_denied" in b.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).content
    b.http.put("/__admin/settings", json={"cvr_whitelist": None}).raise_for_status()
    salt = a.http.post("/__admin/idsas/salt", json={"salt": "c2FsdA=="}).json()["salt"]
    req = etree.Element(f"{{{v.NS['idsas']}}}GetCurrentSaltRequest")
    assert etree.fromstring(b.call(v.PATH_IDSAS_SALT, req).content).findtext(f".//{{{v.NS['idsas']}}}Salt") == salt
    b.http.put(f"/__admin/citizens/{CPR_OLD}/document", content=b"<ClinicalDocument/>").raise_for_status()
    assert a.http.get(f"/__admin/citizens/{CPR_OLD}").json()["document_override"] is True
    a.http.put("/__admin/clock", json={"now": "2031-05-01T12:00:00+02:00", "frozen": True}).raise_for_status()
    assert b.http.get("/__admin/clock").json()["now"] == "2031-05-01T10:00:00+00:00"
    a.http.post("/__admin/reset").raise_for_status()
    assert b.http.get("/__admin/citizens").json()["citizens"] == []


def test_fault_times_and_seeded_draws_are_counted_across_replicas(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    a.put_citizen(CPR_OLD)
    card = a.card()

    def statuses(n: int) -> list[int]:
        return [(a, b)[i % 2].call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card).status_code
                for i in range(n)]

    a.fault(service="sfsk-registry", kind="http_status", params={"status": 503}, times=3)
    assert statuses(5) == [503, 503, 503, 200, 200]
    a.http.delete("/__admin/faults")
    a.fault(id="p", service="sfsk-registry", kind="http_status", params={"status": 503}, probability=0.5, seed=42)
    rng = random.Random(42)
    expected = [503 if rng.random() < 0.5 else 200 for _ in range(16)]  # as one process draws them
    assert statuses(16) == expected
    assert b.http.get("/__admin/faults").json()["faults"][0]["hits"] == expected.count(503)


def test_journal_ids_marks_and_minlog_across_replicas(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    card = a.card()
    a.http.post("/__admin/journal/marks", json={"name": "w-start"}).raise_for_status()
    for i in range(6):
        assert (a, b)[i % 2].call(v.PATH_MINLOG, minlog_body(minlog_entry(seq=f"s{i}")), card=card).status_code == 200
    b.http.post("/__admin/journal/marks", json={"name": "w-end"}).raise_for_status()
    ids = [e["id"] for e in a.journal(mark="w-start", service="minlog")]
    assert len(ids) == 6 and ids == list(range(ids[0], ids[0] + 6))
    assert b.journal(mark="w-end") == []
    minlog = b.http.get("/__admin/minlog/entries").json()
    assert [e["sequence_number"] for e in minlog["entries"]] == [f"s{i}" for i in range(6)]
    assert minlog["stats"]["requests_last_hour"] == 6


def test_tenants_made_on_one_replica_serve_on_another(ab: tuple[Mock, Mock]) -> None:
    a, b = ab
    made = a.http.post("/__admin/tenants", json={"name": "t1"}).json()
    headers = {"authorization": f"Bearer {made['admin_token']}"}
    assert b.http.get("/t/t1/__admin/citizens", headers=headers).json() == {"citizens": []}
    assert b.http.get("/t/t1/__admin/citizens").status_code == 403
    assert b.http.get("/t/t1/__admin/ca", headers=headers).json()["certificate_pem"] == made["ca_pem"]


def test_the_schema_is_versioned_and_a_newer_one_is_refused(url: str, ca_dir: Path) -> None:
    with replicas(url, ca_dir, 1):
        pass
    with psycopg.connect(url, autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")] == list(
            range(1, latest() + 1))
        conn.execute("INSERT INTO schema_migrations(version, name) VALUES (%s, 'from_the_future')", (latest() + 1,))
    with pytest.raises(SchemaTooNew, match=f"version {latest() + 1}; this mock knows versions up to {latest()}"):
        app_for(Settings(database=url, state_dir=ca_dir))


def test_postgresql_down_is_503_naming_it_and_soap_faults_and_back_it_recovers(ca_dir: Path) -> None:
    with TempPostgres() as pg, replicas(pg.database("flaky"), ca_dir, 1) as (m,):
        m.put_citizen(CPR_OLD)
        card = m.card()
        pg.stop()
        health = m.http.get("/__admin/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        assert any("PostgreSQL is unavailable" in p for p in health.json()["problems"])
        down = m.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card)
        assert down.status_code == 503 and down.headers["content-type"].startswith("text/xml")
        assert etree.fromstring(down.content).find(f".//{{{v.NS['soap']}}}Fault") is not None
        assert b"PostgreSQL is unavailable" in down.content and b"Traceback" not in down.content
        write = m.http.put(f"/__admin/citizens/{CPR_OLD}", json=citizen())
        assert write.status_code == 503 and "PostgreSQL" in write.json()["error"]
        pg.start()
        assert m.http.get("/__admin/health").status_code == 200
        assert m.call(v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD), card=card).status_code == 200
        assert len(m.journal(service="sfsk-registry")) == 1  # the answered one; the faults were not answers


def _load(url: str, card: bytes, stop: threading.Event, answered: list[str], failed: list[str]) -> None:
    """ITI-18 on a fresh connection each time (so requests land on every worker), until told to stop."""
    while not stop.is_set():
        env = dgws.service_envelope(card, dgws.iti18_body(CPR_OLD))
        message_id = etree.fromstring(env).findtext(f".//{{{v.NS['medcom']}}}MessageID") or ""
        try:
            r = httpx.post(url + v.PATH_SFSK_ITI18, content=env, headers=soap_headers(v.PATH_SFSK_ITI18), timeout=10)
        except httpx.HTTPError as exc:
            failed.append(type(exc).__name__)
            continue
        (answered if r.status_code == 200 else failed).append(message_id if r.status_code == 200 else str(r.status_code))


def _wait_for(answered: list[str], count: int, failed: list[str], seconds: float = 120) -> None:
    """Until ``count`` requests have been answered; a load that is refused or stalls fails the test, never hangs it."""
    deadline = time.monotonic() + seconds
    while len(answered) < count:
        assert time.monotonic() < deadline, f"{len(answered)} of {count} answered; refused: {failed[-5:]}"
        time.sleep(0.05)


def test_a_replica_killed_under_load_loses_no_answered_exchange(url: str, ca_dir: Path) -> None:
    server = HostedServer(url, ca_dir, workers=2)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            http.put(f"/__admin/citizens/{CPR_OLD}", json=citizen()).raise_for_status()
            cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": "12345678", "name": "K"}).json()
            rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "K")
            card = dgws.card_from_response(http.post(v.PATH_STS, content=rst, headers=SOAP11).content)
        stop, answered, failed = threading.Event(), [], []
        clients = [threading.Thread(target=_load, args=(server.url, card, stop, answered, failed)) for _ in range(6)]
        for c in clients:
            c.start()
        _wait_for(answered, 60, failed)
        victim = sorted(server.answering(8))[0]
        os.kill(victim, signal.SIGKILL)
        before = len(answered)
        _wait_for(answered, before + 60, failed)  # the other replica (and uvicorn's replacement) go on serving
        stop.set()
        for c in clients:
            c.join(30)
        journaled = {e["summary"]["message_id"] for e in
                     httpx.get(server.url + "/__admin/journal", params={"service": "sfsk-registry", "limit": "100000"},
                               timeout=30).json()["entries"]}
        assert set(answered) <= journaled, f"{len(set(answered) - journaled)} answered exchanges not in the journal"
        assert len(answered) >= 120
    finally:
        server.stop()
