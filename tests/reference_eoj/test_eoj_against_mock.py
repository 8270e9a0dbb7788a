"""The reference EOJ as a real process against the real mock NSP (both subprocesses on free ports).

Kept to one module-scoped pair and a few checks; skipped when mock_nsp cannot start.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from eoj_processes import start_process, stop_process
from eoj_support import NURSE

from nspcert.driver.contract import StamkortChange
from nspcert.driver.http import HttpDriver
from nspcert.processes import free_port

CITIZEN = "0101601234"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, HttpDriver]]:
    pytest.importorskip("mock_nsp.plane.app")
    work = tmp_path_factory.mktemp("it")
    nsp_port, eoj_port = free_port(), free_port()
    nsp = f"http://127.0.0.1:{nsp_port}"
    mock = start_process(["mock_nsp", "--host", "127.0.0.1", "--port", str(nsp_port), "--state-dir", str(work / "mock")],
                  f"{nsp}/__admin/health", work / "mock.log")
    try:
        cert = httpx.post(f"{nsp}/__admin/certificates",
                          json={"kind": "function", "cvr": "12345678", "name": "Testkommune"}).json()
        (work / "f.pem").write_text(cert["certificate_pem"])
        (work / "f.key").write_text(cert["private_key_pem"])
        eoj = start_process(["reference_eoj", "--host", "127.0.0.1", "--port", str(eoj_port), "--nsp-url", nsp,
                      "--certificate", str(work / "f.pem"), "--private-key", str(work / "f.key"), "--cvr", "12345678",
                      "--organisation-name", "Testkommune", "--state-dir", str(work / "eoj"),
                      "--minlog-flush-interval", "0"],
                     f"http://127.0.0.1:{eoj_port}/sut/capabilities", work / "eoj.log")
        with HttpDriver(f"http://127.0.0.1:{eoj_port}") as driver:
            yield nsp, driver
        stop_process(eoj)
    finally:
        stop_process(mock)


def _citizen(nsp: str, fgvh_value: str) -> None:
    body: dict[str, Any] = {"name": {"given": ["Jens", "Peter"], "family": "Jensen"}, "birth_date": "1950-04-08"}
    if fgvh_value == "true":
        body["fgvh"] = {"registered_at": "2025-02-01T10:00:00+01:00", "withdrawn_at": None}
    httpx.put(f"{nsp}/__admin/citizens/{CITIZEN}", json=body).raise_for_status()


def _journal(nsp: str, **filters: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = httpx.get(f"{nsp}/__admin/journal", params=filters).json()["entries"]
    return entries


def test_open_against_the_mock_shows_the_opt_out(running: tuple[str, HttpDriver]) -> None:
    nsp, driver = running
    driver.reset()
    _citizen(nsp, "true")
    user = driver.log_in(NURSE)
    screen = driver.open_record(CITIZEN, user)
    assert screen["fsk"]["read"] is True, screen["messages"]
    assert screen["citizen"]["name"] == "Jens Peter Jensen"
    assert screen["fgvh"] == {"state": "opted_out", "symbol_shown": True, "text": screen["fgvh"]["text"]}
    calls = _journal(nsp, cpr=CITIZEN, service="sfsk-registry")
    assert calls and all(c["status"] == 200 for c in calls)
    summary = calls[-1]["summary"]
    assert summary["idcard"]["type"] == "system" and summary["idcard"]["level"] == 3
    assert summary["hsuid"]["acting_user_cpr"] == NURSE.cpr


def test_fresh_fetch_sees_the_withdrawal(running: tuple[str, HttpDriver]) -> None:
    nsp, driver = running
    driver.reset()
    _citizen(nsp, "true")
    user = driver.log_in(NURSE)
    assert driver.open_record(CITIZEN, user)["fgvh"]["state"] == "opted_out"
    httpx.post(f"{nsp}/__admin/citizens/{CITIZEN}/fgvh", json={"action": "withdraw"}).raise_for_status()
    assert driver.open_record(CITIZEN, user)["fgvh"]["state"] == "not_opted_out"
    sts = _journal(nsp, service="sts")
    assert sts and all(e["status"] == 200 for e in sts)


def test_skr_write_is_seen_and_a_rejection_is_shown(running: tuple[str, HttpDriver]) -> None:
    nsp, driver = running
    driver.reset()
    _citizen(nsp, "false")
    user = driver.log_in(NURSE)
    relative = {"given": "Else", "family": "Jensen", "relation": "datter", "note": "\"'<>;&@/\\^*",
                "phones": [{"use": "MC", "value": "+4512345678"}]}
    saved = driver.change_stamkort(CITIZEN, user, StamkortChange("relative", "create", relative))
    assert saved.succeeded, saved.message
    shown = driver.open_record(CITIZEN, user)["relatives"]
    assert [(r["name"], r["note"]) for r in shown] == [("Else Jensen", "\"'<>;&@/\\^*")]
    assert shown[0]["provenance"]["entered_by"]["organisation"] == NURSE.organisation_name
    rejected = driver.change_stamkort(CITIZEN, user, StamkortChange("relative", "create", {"given": "0101601234"}))
    assert not rejected.succeeded and "CPR" in rejected.message
    assert len(_journal(nsp, service="skr")) == 2


def test_minlog_and_masking_against_the_mock(running: tuple[str, HttpDriver]) -> None:
    nsp, driver = running
    driver.reset()
    _citizen(nsp, "false")
    user = driver.log_in(NURSE)
    driver.open_record(CITIZEN, user)
    driver.open_record(CITIZEN, user)
    flushed = driver.flush_minlog()
    assert (flushed.sent, flushed.failed, flushed.queued) == (1, 0, 0)
    entries = httpx.get(f"{nsp}/__admin/minlog/entries", params={"cpr": CITIZEN}).json()["entries"]
    assert len(entries) == 1
    view = driver.citizen_view(CITIZEN)
    assert view["accesses"][0]["user"]["display_name"] == NURSE.full_name
    assert _journal(nsp, service="idsas")
