"""``MockNspAdmin.settle``: a scenario's evidence is read only once every request a fault rule fired on is journaled.

The mock journals an exchange when it has answered; an answer held back longer than the SUT waits ("no answer in
time") is journaled after the step that caused it. Read at once, the scenario's journal misses it, and the next
scenario's has it, with this scenario's citizen (the synthetic-CPR check then fails a run in which all passed)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from running_mock import running_mock

import nsp_vocabulary as v
from nspcert.nsp.admin import MockNspAdmin, MockNspError

ENVELOPE = b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>'


@pytest.fixture(scope="module")
def nsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockNspAdmin]:
    with running_mock(tmp_path_factory.mktemp("settle")) as admin:
        yield admin


def _given_up(nsp: MockNspAdmin, mark: str, delay_ms: int) -> None:
    """A request to SFSK whose answer the mock holds back ``delay_ms``; the client gives up after 0.2 s."""
    nsp.reset()
    nsp.mark(mark)
    nsp.add_fault({"service": "sfsk-registry", "kind": "delay", "params": {"ms": delay_ms}})
    with pytest.raises(httpx.TimeoutException):
        httpx.post(nsp.base_url + v.PATH_SFSK_ITI18, content=ENVELOPE, timeout=0.2,
                   headers={"content-type": "text/xml", "soapaction": f'"{v.ACTION_ITI18}"'})


def test_the_answer_the_sut_gave_up_on_is_in_its_own_scenarios_journal(nsp: MockNspAdmin, tmp_path: Path) -> None:
    _given_up(nsp, "held-back", 1200)
    assert nsp.journal(mark="held-back") == []  # read at once: not there yet (the race this closes)
    started = time.monotonic()
    nsp.settle("held-back")
    (entry,) = nsp.journal(mark="held-back")
    assert entry["service"] == "sfsk-registry" and entry["summary"]["injected"]
    assert 0.5 < time.monotonic() - started < 5


def test_without_fired_rules_there_is_nothing_to_wait_for(nsp: MockNspAdmin) -> None:
    nsp.reset()
    nsp.mark("quiet")
    nsp.add_fault({"service": "minlog", "kind": "http_status", "params": {"status": 503}})  # never fired
    started = time.monotonic()
    nsp.settle("quiet")
    assert time.monotonic() - started < 1


def test_a_fired_request_never_journaled_is_the_platforms_error(nsp: MockNspAdmin,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _given_up(nsp, "lost", 300)
    monkeypatch.setattr(nsp, "journal", lambda **filters: [])  # as if the mock had lost it
    with pytest.raises(MockNspError, match="fired fault rules on requests it has not journaled"):
        nsp.settle("lost", slack=0.5)
