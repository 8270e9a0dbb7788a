"""`mock-nsp --workers 2`: one mock, whichever worker answers. A control-plane write answered by one worker is seen
by the very next request on the other; fault counters and seeded draws, journal ids, marks and cap, MinLog2
entries and counts are the same as with one process; a killed mock leaves no worker behind and no answered
exchange unjournaled. (`MOCK_NSP_TEST_WORKERS=2` runs the rest of the mock's tests against such a server too.)"""

from __future__ import annotations

import base64
import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, CVR, SOAP11, citizen, fgvh_value, minlog_body, minlog_entry, soap_headers
from workers_support import WorkerServer, wait_gone

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.journal import Filters, Journal

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker pids from Linux /proc")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerServer]:
    s = WorkerServer(tmp_path_factory.mktemp("workers"), 2)
    yield s
    s.stop()


@pytest.fixture
def ab(server: WorkerServer) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """A keep-alive client on each of the two workers, the mock reset."""
    clients = list(server.client_on_each_worker().values())
    clients[0].post("/__admin/reset").raise_for_status()
    yield clients[0], clients[1]
    for c in clients:
        c.close()


def _card(http: httpx.Client) -> bytes:
    cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": CVR, "name": "W"}).json()
    rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], CVR, "W")
    return dgws.card_from_response(http.post(v.PATH_STS, content=rst, headers=SOAP11).content)


def _call(http: httpx.Client, card: bytes, path: str, body: etree._Element) -> httpx.Response:
    return http.post(path, content=dgws.service_envelope(card, body), headers=soap_headers(path))


def _pdc(http: httpx.Client, card: bytes) -> etree._Element:
    r = _call(http, card, v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD))
    ids = [e.get("value") for e in etree.fromstring(r.content).iter(f"{{{v.NS['rim']}}}ExternalIdentifier")
           if e.get("identificationScheme") == v.SCHEME_DOCUMENT_UNIQUE_ID]
    r = _call(http, card, v.PATH_SFSK_ITI43, dgws.iti43_body(str(ids[0])))
    return etree.fromstring(base64.b64decode(etree.fromstring(r.content).findtext(f".//{{{v.NS['xds']}}}Document")
                                             or ""))


def test_the_two_clients_reach_different_workers(server: WorkerServer,
                                                 ab: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = ab
    assert a.get("/__admin/health").json()["worker"] != b.get("/__admin/health").json()["worker"]
    assert server.pids_answering(40) == set(server.worker_pids())  # new connections are dealt in turn


def test_a_write_on_one_worker_is_seen_by_the_next_request_on_the_other(ab: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = ab
    card = _card(b)
    a.put(f"/__admin/citizens/{CPR_OLD}", json=citizen(fgvh={"registered_at": "2020-01-01T10:00:00+01:00"}))
    assert fgvh_value(_pdc(b, card)) == "true"
    a.put("/__admin/registers/fgvh", json={"available": False}).raise_for_status()
    assert fgvh_value(_pdc(b, card)) == "NAV"
    b.put("/__admin/registers/fgvh", json={"available": True}).raise_for_status()
    a.post(f"/__admin/citizens/{CPR_OLD}/fgvh", json={"action": "withdraw", "at": "2021-01-01T00:00:00Z"})
    assert fgvh_value(_pdc(b, card)) == "false"
    a.put("/__admin/settings", json={"cvr_whitelist": ["87654321"]}).raise_for_status()
    assert b"sosigw_access_denied" in _call(b, card, v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).content
    a.put("/__admin/clock", json={"now": "2031-05-01T12:00:00+02:00", "frozen": True}).raise_for_status()
    assert b.get("/__admin/clock").json()["now"] == "2031-05-01T10:00:00+00:00"


def test_salt_rotation_and_skr_writes_are_shared(ab: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = ab
    card = _card(a)
    salt = a.post("/__admin/idsas/salt", json={"salt": "c2FsdA=="}).json()["salt"]
    req = etree.Element(f"{{{v.NS['idsas']}}}GetCurrentSaltRequest")
    assert etree.fromstring(_call(b, card, v.PATH_IDSAS_SALT, req).content).findtext(
        f".//{{{v.NS['idsas']}}}Salt") == salt
    a.put(f"/__admin/citizens/{CPR_OLD}", json=citizen()).raise_for_status()
    b.put(f"/__admin/citizens/{CPR_OLD}/document", content=b"<ClinicalDocument/>").raise_for_status()
    assert a.get(f"/__admin/citizens/{CPR_OLD}").json()["document_override"] is True


def test_fault_times_and_seeded_draws_are_counted_across_workers(ab: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = ab
    card = _card(a)
    a.put(f"/__admin/citizens/{CPR_OLD}", json=citizen())

    def statuses(n: int) -> list[int]:
        return [_call((a, b)[i % 2], card, v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code for i in range(n)]

    a.post("/__admin/faults", json={"service": "sfsk-registry", "kind": "http_status", "params": {"status": 503},
                                    "times": 3})
    assert statuses(5) == [503, 503, 503, 200, 200]
    a.delete("/__admin/faults")
    a.post("/__admin/faults", json={"id": "p", "service": "sfsk-registry", "kind": "http_status",
                                    "params": {"status": 503}, "probability": 0.5, "seed": 42})
    rng = random.Random(42)
    expected = [503 if rng.random() < 0.5 else 200 for _ in range(16)]  # as one process draws them
    assert statuses(16) == expected
    assert b.get("/__admin/faults").json()["faults"][0]["hits"] == expected.count(503)


def test_journal_ids_marks_and_minlog_across_workers(ab: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = ab
    card = _card(a)
    a.post("/__admin/journal/marks", json={"name": "w-start"}).raise_for_status()
    for i in range(6):
        body = minlog_body(minlog_entry(seq=f"s{i}"))
        assert _call((a, b)[i % 2], card, v.PATH_MINLOG, body).status_code == 200
    b.post("/__admin/journal/marks", json={"name": "w-end"}).raise_for_status()
    entries = a.get("/__admin/journal", params={"mark": "w-start", "service": "minlog"}).json()["entries"]
    ids = [e["id"] for e in entries]
    assert len(ids) == 6 and ids == sorted(set(ids))
    assert b.get("/__admin/journal", params={"mark": "w-end"}).json()["entries"] == []
    minlog = b.get("/__admin/minlog/entries").json()
    assert [e["sequence_number"] for e in minlog["entries"]] == [f"s{i}" for i in range(6)]
    assert minlog["stats"]["requests_last_hour"] == 6


def test_the_journal_cap_counts_what_it_drops(tmp_path: Path) -> None:
    s = WorkerServer(tmp_path, 2, "--journal-cap", "10")
    try:
        with httpx.Client(base_url=s.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as http:
            for _ in range(25):
                assert http.get("/nowhere").status_code == 404  # journaled as unmatched, by either worker
            page = http.get("/__admin/journal").json()
        ids = [e["id"] for e in page["entries"]]
        assert len(ids) == 10 and ids == list(range(ids[0], ids[0] + 10))
        assert page["dropped"] + 10 == ids[-1] and page["dropped"] >= 15  # every one recorded is kept or counted
    finally:
        s.stop()


def test_a_killed_mock_leaves_no_worker_and_loses_no_answered_exchange(tmp_path: Path) -> None:
    s = WorkerServer(tmp_path, 2)
    workers = s.worker_pids()
    answered = 0
    with httpx.Client(base_url=s.url, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as http:
        card = _card(http)
        http.put(f"/__admin/citizens/{CPR_OLD}", json=citizen())
        for _ in range(30):
            answered += _call(http, card, v.PATH_SFSK_ITI18, dgws.iti18_body(CPR_OLD)).status_code == 200
    s.kill()
    assert list(wait_gone(workers)) == []
    journal = Journal(tmp_path / "journal.sqlite")
    try:
        assert len(journal.entries(Filters(service="sfsk-registry"))["entries"]) == answered == 30
    finally:
        journal.close()


def test_a_worker_that_dies_is_replaced(server: WorkerServer) -> None:
    before = server.worker_pids()
    os.kill(before[0], signal.SIGKILL)
    list(wait_gone(before[:1]))
    for _ in range(100):
        now = server.worker_pids()
        if len(now) == 2 and before[0] not in now and len(server.pids_answering(12)) == 2:
            break
        time.sleep(0.1)
    assert len(server.worker_pids()) == 2 and before[0] not in server.worker_pids()
