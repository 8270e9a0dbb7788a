"""End to end: a function certificate from the mock's CA → STS card → ITI-18 → ITI-43 → FGVH."""

from __future__ import annotations

from mocknsp_support import CPR_OLD, Mock, citizen, fgvh_value


def test_sts_card_iti18_iti43_fgvh_true(mock: Mock) -> None:
    mock.http.put("/__admin/clock", json={"now": "2025-02-10T12:00:00+01:00"})
    mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2025-02-01T10:00:00+01:00"}))
    assert fgvh_value(mock.pdc(CPR_OLD)) == "true"


def test_fgvh_false_before_day_seven_and_nav_when_unavailable(mock: Mock) -> None:
    mock.http.put("/__admin/clock", json={"now": "2025-02-07T23:59:00+01:00"})
    mock.put_citizen(CPR_OLD, citizen(fgvh={"registered_at": "2025-02-01T10:00:00+01:00"}))
    assert fgvh_value(mock.pdc(CPR_OLD)) == "false"
    mock.http.post("/__admin/clock/advance", json={"minutes": 2})
    assert fgvh_value(mock.pdc(CPR_OLD)) == "true"
    assert mock.http.put("/__admin/registers/fgvh", json={"available": False}).status_code == 200
    assert fgvh_value(mock.pdc(CPR_OLD)) == "NAV"


def test_journal_records_the_exchanges(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.http.post("/__admin/journal/marks", json={"name": "start"})
    mock.pdc(CPR_OLD)
    entries = mock.http.get("/__admin/journal", params={"mark": "start"}).json()["entries"]
    services = [e["service"] for e in entries]
    assert services == ["sts", "sfsk-registry", "sfsk-repository"]
    reg = entries[1]["summary"]
    assert reg["idcard"]["type"] == "system" and reg["idcard"]["level"] == 3 and reg["idcard"]["valid"]
    assert reg["cpr"] == CPR_OLD
    assert reg["format_codes"] == ["urn:ad:dk:medcom:pdc-v3.0:full^^1.2.208.184.100.10"]
