"""SPEC §8: killing the reference EOJ mid-run loses no queued MinLog entry (real processes, SIGKILL)."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from eoj_processes import start_process, stop_process
from eoj_support import NURSE

from nspcert.driver.http import HttpDriver
from nspcert.processes import free_port

CITIZEN = "0101601234"
pytestmark = pytest.mark.slow


@pytest.fixture
def mock_nsp(tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("mock_nsp.plane.app")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_process(["mock_nsp", "--host", "127.0.0.1", "--port", str(port), "--state-dir",
                             str(tmp_path / "mock")], f"{url}/__admin/health", tmp_path / "mock.log")
    try:
        yield url
    finally:
        stop_process(process)


def start_eoj(nsp: str, work: Path, port: int, flush_interval: float = 0) -> Any:
    """The EOJ process (same state dir each time); certificate issued once by the mock's test CA."""
    if not (work / "f.pem").exists():
        cert = httpx.post(f"{nsp}/__admin/certificates",
                          json={"kind": "function", "cvr": "12345678", "name": "Testkommune"}).json()
        (work / "f.pem").write_text(cert["certificate_pem"])
        (work / "f.key").write_text(cert["private_key_pem"])
    return start_process(["reference_eoj", "--host", "127.0.0.1", "--port", str(port), "--nsp-url", nsp,
                          "--certificate", str(work / "f.pem"), "--private-key", str(work / "f.key"),
                          "--cvr", "12345678", "--organisation-name", "Testkommune", "--state-dir",
                          str(work / "eoj"), "--minlog-flush-interval", str(flush_interval)],
                         f"http://127.0.0.1:{port}/sut/capabilities", work / f"eoj-{port}.log")


def minlog_entries(nsp: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{nsp}/__admin/minlog/entries", params={"cpr": CITIZEN}).json()["entries"]
    return entries


def test_a_killed_eoj_loses_no_queued_minlog_entry(mock_nsp: str, tmp_path: Path) -> None:
    httpx.put(f"{mock_nsp}/__admin/citizens/{CITIZEN}",
              json={"name": {"given": ["Jens"], "family": "Jensen"}, "birth_date": "1950-04-08"}).raise_for_status()
    port = free_port()
    eoj = start_eoj(mock_nsp, tmp_path, port)
    with HttpDriver(f"http://127.0.0.1:{port}") as driver:
        user = driver.log_in(NURSE)
        assert driver.open_record(CITIZEN, user)["fsk"]["read"] is True
    os.kill(eoj.pid, signal.SIGKILL)  # no shutdown, no flush: the entry exists only in the EOJ's state dir
    eoj.wait(5)
    assert minlog_entries(mock_nsp) == []

    eoj = start_eoj(mock_nsp, tmp_path, port)
    try:
        with HttpDriver(f"http://127.0.0.1:{port}") as driver:
            assert driver.flush_minlog().sent == 1
            driver.open_record(CITIZEN, user)  # same employee, citizen and Danish day, after the restart
            assert driver.flush_minlog().sent == 0
    finally:
        stop_process(eoj)
    entries = minlog_entries(mock_nsp)
    assert len(entries) == 1, entries


def test_a_restarted_eoj_keeps_the_hour_s_minlog_request_budget(mock_nsp: str, tmp_path: Path) -> None:
    """20 AddRegistrations requests in the hour, SIGKILL, restart with the background flush on: the background
    flush must not send a 21st in the same hour (the budget is in the state dir); an explicit flush still may."""
    httpx.put(f"{mock_nsp}/__admin/citizens/{CITIZEN}",
              json={"name": {"given": ["Jens"], "family": "Jensen"}, "birth_date": "1950-04-08"}).raise_for_status()
    port = free_port()
    eoj = start_eoj(mock_nsp, tmp_path, port)
    with HttpDriver(f"http://127.0.0.1:{port}") as driver:
        for i in range(20):  # 20 employees, each one entry, each flushed in its own request
            driver.open_record(CITIZEN, driver.log_in(dataclasses.replace(NURSE, cpr=f"01017{i:05d}")))
            assert driver.flush_minlog().sent == 1
    os.kill(eoj.pid, signal.SIGKILL)
    eoj.wait(5)

    eoj = start_eoj(mock_nsp, tmp_path, port, flush_interval=0.1)
    try:
        with HttpDriver(f"http://127.0.0.1:{port}") as driver:
            driver.open_record(CITIZEN, driver.log_in(dataclasses.replace(NURSE, cpr="0202801234")))
            time.sleep(1.5)  # some 15 background flushes
            assert len(minlog_entries(mock_nsp)) == 20
            assert driver.flush_minlog().sent == 1  # the employee's explicit "send now" is not held back
    finally:
        stop_process(eoj)
    assert len(minlog_entries(mock_nsp)) == 21
