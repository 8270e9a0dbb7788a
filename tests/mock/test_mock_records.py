"""Reading back what was recorded: bad filters are 4xx with a clear message (never 200 with nothing), and
health says ok only when the mock can answer and record."""

from __future__ import annotations

from pathlib import Path

import pytest
from mocknsp_support import Mock, minlog_body, minlog_entry
from starlette.testclient import TestClient

import nsp_vocabulary as v
from mock_nsp.plane.app import create_app
from mock_nsp.settings import Settings


@pytest.mark.parametrize("day", ["garbage", "2025-02-30", "20250203", "2025-02-03T00:00:00"])
def test_a_minlog_date_filter_that_is_no_day_is_422(mock: Mock, day: str) -> None:
    r = mock.http.get("/__admin/minlog/entries", params={"date": day})
    assert r.status_code == 422 and r.json()["path"] == "/query/date", r.text


def test_the_minlog_date_filter_still_filters(mock: Mock) -> None:
    mock.call(v.PATH_MINLOG, minlog_body(minlog_entry(when="2025-02-03T23:30:00Z")))
    assert len(mock.http.get("/__admin/minlog/entries", params={"date": "2025-02-04"}).json()["entries"]) == 1
    assert mock.http.get("/__admin/minlog/entries", params={"date": "2025-02-03"}).json()["entries"] == []


def test_an_unknown_journal_mark_is_404(mock: Mock) -> None:
    r = mock.http.get("/__admin/journal", params={"mark": "never-set"})
    assert r.status_code == 404 and "never-set" in r.json()["error"], r.text
    mock.http.post("/__admin/journal/marks", json={"name": "set"})
    assert mock.http.get("/__admin/journal", params={"mark": "set"}).json()["entries"] == []


@pytest.mark.parametrize(("name", "value"), [("limit", "0"), ("limit", "-1"), ("limit", "lots"), ("limit", "100001"),
                                             ("after_id", "-3"), ("since", "yesterday"), ("until", "2025-13-01")])
def test_bad_journal_filters_are_422(mock: Mock, name: str, value: str) -> None:
    r = mock.http.get("/__admin/journal", params={name: value})
    assert r.status_code == 422 and r.json()["path"] == f"/query/{name}", r.text


def test_health_is_not_ok_before_start_up_or_without_a_journal(tmp_path: Path, ca_dir: Path) -> None:
    app = create_app(Settings(journal_path=tmp_path / "j.sqlite", state_dir=ca_dir))
    not_started = TestClient(app)  # no `with`: the start-up (lifespan) has not run
    r = not_started.get("/__admin/health")
    assert (r.status_code, r.json()["problems"]) == (503, ["starting"])
    with TestClient(app) as http:
        assert http.get("/__admin/health").json() | {"version": "", "worker": 0} == {
            "status": "ok", "version": "", "services": list(v.SERVICES), "problems": [], "worker": 0,
            "tenant": "default"}
        app.state.mock.journal.journal.close()
        r = http.get("/__admin/health")
        assert (r.status_code, r.json()["problems"]) == (503, ["the journal is not recording"])
