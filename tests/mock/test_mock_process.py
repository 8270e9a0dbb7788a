"""The mock as its own process (`python -m mock_nsp`), killed and restarted: no answered exchange is lost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from mocknsp_support import CPR_OLD, minlog_body, minlog_entry, soap_headers

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.world.journal import Filters, Journal

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    def __init__(self, state: Path) -> None:
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mock_nsp", "--host", "127.0.0.1", "--port", str(self.port),
             "--state-dir", str(state)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/__admin/health", timeout=1).json()["status"] == "ok":
                    return
            except (httpx.HTTPError, ValueError):
                time.sleep(0.1)
        self.proc.kill()
        raise AssertionError("mock did not start: " + (self.proc.stderr.read() if self.proc.stderr else b"").decode())

    def stop(self, sig: int) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
            self.proc.wait(30)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "state"


def _traffic(url: str, n: int) -> None:
    with httpx.Client(base_url=url, timeout=10) as http:
        http.put(f"/__admin/citizens/{CPR_OLD}", json={"name": {"family": "Jensen"}, "birth_date": "1950-01-01"})
        cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": "12345678", "name": "P"}).json()
        rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "P")
        card = dgws.card_from_response(http.post(v.PATH_STS, content=rst, headers={"content-type": "text/xml"}).content)
        for _ in range(n):
            r = http.post(v.PATH_SFSK_ITI18, content=dgws.service_envelope(card, dgws.iti18_body(CPR_OLD)),
                          headers=soap_headers(v.PATH_SFSK_ITI18))
            assert r.status_code == 200


def _journaled(state: Path) -> int:
    journal = Journal(state / "journal.sqlite")
    try:
        return len(journal.entries(Filters(service="sfsk-registry", limit=100_000))["entries"])
    finally:
        journal.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_killing_the_mock_loses_no_answered_exchange(state: Path, sig: int) -> None:
    proc = Proc(state)
    try:
        _traffic(proc.url, 40)
    finally:
        proc.stop(sig)
    assert _journaled(state) == 40


def test_the_test_ca_survives_a_restart(state: Path) -> None:
    first = Proc(state)
    try:
        ca = httpx.get(first.url + "/__admin/ca").json()["certificate_pem"]
    finally:
        first.stop(signal.SIGTERM)
    second = Proc(state)
    try:
        assert httpx.get(second.url + "/__admin/ca").json()["certificate_pem"] == ca
    finally:
        second.stop(signal.SIGTERM)


def _minlog(url: str, seqs: list[str]) -> None:
    with httpx.Client(base_url=url, timeout=10) as http:
        cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": "12345678", "name": "P"}).json()
        rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "P")
        card = dgws.card_from_response(http.post(v.PATH_STS, content=rst, headers={"content-type": "text/xml"}).content)
        body = minlog_body(*(minlog_entry(seq=seq) for seq in seqs), {**minlog_entry(seq="bad"), "Activity": ""})
        r = http.post(v.PATH_MINLOG, content=dgws.service_envelope(card, body), headers={"content-type": "text/xml"})
        assert r.status_code == 200 and b"<NumberAdded>" + str(len(seqs)).encode() in r.content


def _minlog_seqs(url: str) -> list[str]:
    return [e["sequence_number"] for e in httpx.get(url + "/__admin/minlog/entries").json()["entries"]]


def test_minlog_entries_survive_a_kill_and_a_reset_is_remembered(state: Path) -> None:
    proc = Proc(state)
    try:
        _minlog(proc.url, ["before-reset"])
        httpx.post(proc.url + "/__admin/reset").raise_for_status()
        _minlog(proc.url, ["a", "b"])
        assert _minlog_seqs(proc.url) == ["a", "b"]
    finally:
        proc.stop(signal.SIGKILL)
    again = Proc(state)
    try:
        assert _minlog_seqs(again.url) == ["a", "b"]  # accepted after the last reset; the failed one was not added
        assert httpx.get(again.url + "/__admin/minlog/entries").json()["stats"]["entries"] == 2
    finally:
        again.stop(signal.SIGTERM)


def _minlog_requests(url: str, n: int) -> list[int]:
    """``n`` AddRegistrations requests of one entry each; their HTTP statuses."""
    with httpx.Client(base_url=url, timeout=10) as http:
        cert = http.post("/__admin/certificates", json={"kind": "function", "cvr": "12345678", "name": "P"}).json()
        rst = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "P")
        card = dgws.card_from_response(http.post(v.PATH_STS, content=rst, headers={"content-type": "text/xml"}).content)
        return [http.post(v.PATH_MINLOG, content=dgws.service_envelope(card, minlog_body(minlog_entry(seq=f"r{i}"))),
                          headers={"content-type": "text/xml"}).status_code for i in range(n)]


def _minlog_stats(url: str) -> dict[str, Any]:
    stats: dict[str, Any] = httpx.get(url + "/__admin/minlog/entries").json()["stats"]
    return stats


def test_the_minlog_requests_of_the_last_hour_are_still_counted_after_a_kill(state: Path) -> None:
    """A restart must not give a SUT a fresh allowance of 20 requests in the same hour: the count is rebuilt
    from the journal's MinLog2 requests after the last reset mark that are less than an hour old."""
    proc = Proc(state)
    try:
        assert _minlog_requests(proc.url, 3) == [200] * 3  # before the reset: not counted
        httpx.post(proc.url + "/__admin/reset").raise_for_status()
        now = datetime.now(UTC)
        httpx.put(proc.url + "/__admin/clock", json={"now": (now - timedelta(minutes=90)).isoformat()})
        assert _minlog_requests(proc.url, 4) == [200] * 4  # more than an hour ago: not counted
        httpx.put(proc.url + "/__admin/clock", json={"now": now.isoformat()})
        assert _minlog_requests(proc.url, 21) == [200] * 21  # the 21st is over the limit (warned)
        before = _minlog_stats(proc.url)
        assert before["requests_last_hour"] == 21 and len(before["violations"]) == 1
    finally:
        proc.stop(signal.SIGKILL)
    again = Proc(state)
    try:
        after = _minlog_stats(again.url)
        assert after["requests_last_hour"] == 21
        assert [v["problem"] for v in after["violations"]] == [v["problem"] for v in before["violations"]]
        httpx.put(again.url + "/__admin/settings", json={"minlog_limit_mode": "reject"}).raise_for_status()
        assert _minlog_requests(again.url, 1) == [500]  # the 22nd request of the hour
    finally:
        again.stop(signal.SIGTERM)
