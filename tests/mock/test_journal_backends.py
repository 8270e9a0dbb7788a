"""The journal's two stores keep the same record of the same batches: ids gap-free per tenant in order, a mark after
exactly the entries queued before it (also in the middle of a batch), the oldest entries dropped beyond the cap and
counted, tenants apart, and every column (NULLs, integer and fractional durations, binary bodies) as it was given."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hosted_support import new_database

from mock_nsp.storage.postgres_journal import PostgresJournal
from mock_nsp.storage.schema import migrate
from mock_nsp.storage.sqlite_journal import SqliteJournal
from mock_nsp.world.journal import Backend, Entry, Filters, Mark, row
from tools.postgres import TempPostgres

CAP = 5


def _entry(tenant: str, n: int) -> Entry:
    item: dict[str, Any] = {
        "at": f"2026-12-01T10:00:{n:02d}+01:00", "service": "sfsk" if n % 2 else "sts",
        "operation": None if n % 3 == 0 else "ITI-43", "status": 200 if n % 4 else None,
        "duration_ms": n if n % 2 else n + 0.125,
        "request": {"method": "POST", "body": b"<req>\x00\xff" + str(n).encode()},
        "response": {"status": 200, "body": b"<ok/>"} if n % 5 else {"status": 0},
        "summary": {"cpr": "0101701234"} if n % 2 else {"idcard": {"cvr": "12345678"}}, "n": n,
    }
    return Entry(tenant, row(item))


def _batches() -> list[list[Entry | Mark]]:
    """Two tenants interleaved; marks first, between and last in a batch, and one in a batch of its own."""
    return [
        [Mark("a", "start", "t0"), _entry("a", 1), _entry("b", 2), _entry("a", 3), Mark("a", "mid", "t1"),
         _entry("a", 4), Mark("b", "b-mid", "t2"), _entry("b", 5), _entry("a", 6), Mark("a", "end", "t3")],
        [Mark("b", "alone", "t4")],
        [_entry("a", n) for n in range(7, 12)] + [Mark("a", "late", "t5")],
    ]


@pytest.fixture
def pg_url(postgres: TempPostgres) -> str:
    url = new_database(postgres)
    with psycopg.connect(url) as conn:
        migrate(conn)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    store: Backend
    store = (SqliteJournal(tmp_path / "journal.sqlite") if request.param == "sqlite"
             else PostgresJournal(request.getfixturevalue("pg_url")))
    yield store
    store.close()


def _record(store: Backend, tenant: str) -> dict[str, Any]:
    found = store.entries(Filters(tenant=tenant))
    return {"entries": [(e["id"], e["n"], e["at"], e["service"], e["operation"], e["status"], e["duration_ms"],
                         e["request"].get("body"), e["response"].get("body")) for e in found["entries"]],
            "dropped": found["dropped"], "marks": store.marks(tenant)}


def test_both_stores_keep_the_same_record_of_the_same_batches(backend: Backend) -> None:
    for batch in _batches():
        backend.write(batch, CAP)
    a, b = _record(backend, "a"), _record(backend, "b")
    assert [e[:2] for e in a["entries"]] == [(5, 7), (6, 8), (7, 9), (8, 10), (9, 11)]
    assert a["dropped"] == 4
    assert [(m["name"], m["after_id"]) for m in a["marks"]] == [("start", 0), ("mid", 2), ("end", 4), ("late", 9)]
    assert [e[:2] for e in b["entries"]] == [(1, 2), (2, 5)] and b["dropped"] == 0
    assert [(m["name"], m["after_id"]) for m in b["marks"]] == [("b-mid", 1), ("alone", 2)]
    seven = a["entries"][0]
    assert seven[2:] == ("2026-12-01T10:00:07+01:00", "sfsk", "ITI-43", 200, 7, "<req>\x00\ufffd7", "<ok/>")
    nine = a["entries"][2]
    assert nine[4:7] == (None, 200, 9) and json.dumps(nine)
    ten = a["entries"][3]
    assert ten[5:7] == (200, 10.125) and ten[8] is None


def test_a_mark_on_an_empty_journal_is_after_nothing(backend: Backend) -> None:
    backend.write([Mark("c", "first", "t")], CAP)
    assert _record(backend, "c") == {"entries": [], "dropped": 0, "marks": [{"name": "first", "at": "t", "after_id": 0}]}
