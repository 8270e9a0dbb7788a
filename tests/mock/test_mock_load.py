"""A heavy request does not hold up the others: a multi-MiB MinLog2 batch is checked off the server's event
loop, so small ITI-43 requests keep being answered meanwhile (before, each waited for the whole batch)."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest
from mocknsp_support import CPR_OLD, Mock, minlog_body, minlog_entry, soap_headers

import nsp_vocabulary as v
from mock_nsp import client as dgws
from mock_nsp.plane.pipeline import OFF_LOOP_BYTES

SOAP = {"content-type": "text/xml; charset=utf-8"}


@pytest.mark.slow
def test_small_requests_are_answered_while_a_big_minlog_batch_is_checked(live_mock: Mock, live: Any) -> None:
    live_mock.put_citizen(CPR_OLD)
    small = dgws.service_envelope(live_mock.card(), dgws.iti43_body(live_mock.doc_id(CPR_OLD)))
    heavy = dgws.service_envelope(live_mock.card(), minlog_body(*[minlog_entry(seq=f"s{i}") for i in range(6000)]))
    assert len(heavy) > 10 * OFF_LOOP_BYTES
    took: list[float] = []

    def send_heavy() -> None:
        started = time.perf_counter()
        r = httpx.post(live.url + v.PATH_MINLOG, content=heavy, headers=SOAP, timeout=120)
        took.append(time.perf_counter() - started)
        assert r.status_code == 200

    sender = threading.Thread(target=send_heavy)
    sender.start()
    time.sleep(0.05)  # the batch is on its way (on a quiet machine the mock checks it in about 0.3 s)
    waits = []
    while sender.is_alive():
        started = time.perf_counter()
        assert live_mock.http.post(v.PATH_SFSK_ITI43, content=small,
                                   headers=soap_headers(v.PATH_SFSK_ITI43)).status_code == 200
        waits.append(time.perf_counter() - started)
    sender.join()
    (heavy_took,) = took
    assert len(waits) >= 3, f"{len(waits)} small requests answered in the {heavy_took:.1f} s of the batch"
    assert max(waits) < heavy_took / 2, (max(waits), heavy_took)
    added = live_mock.journal(service="minlog")[-1]["summary"]["minlog_entries"]
    assert len(added) == 6000  # the batch itself was checked and journaled as usual
