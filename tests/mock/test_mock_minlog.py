"""MinLog2 AddRegistrations (2025-03-12): per-entry validation agrees with the real XSD; failures per entry."""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, minlog_body, minlog_entry
from nsp_reference import reference

import nsp_vocabulary as v

ML = v.NS["minlog"]


@functools.cache
def _schema() -> etree.XMLSchema:
    """The real MinLog2 2025-03-12 schema."""
    return etree.XMLSchema(etree.parse(str(reference("minlog2/xsd/minlog2-registration_20250312.xsd"))))


#: the schema the mock publishes (served under /xsd/): it must agree with the real one
OWN = etree.XMLSchema(etree.parse(str(resources.files("mock_nsp.wsdl") / "minlog2-registration-20250312.xsd")))
#: DateTime values: the xs:dateTime lexical form is checked first, then the 2015 minimum
TIMES = [
    "2025-02-03", "2025-02-03 09:15:00", "2025-02-03T09:15", "2025-W06-1T09:15:00", "20250203T091500Z",
    " 2025-02-03T09:15:00Z", "2025-02-03T09:15:00z", "+2025-02-03T09:15:00Z", "2025-2-03T09:15:00Z",
    "2025-02-03T9:15:00Z", "2025-02-30T09:15:00Z", "2025-02-03T09:15:60Z", "2025-02-03T09:15:00+15:00",
    "2025-02-03T09:15:00+14:00", "2025-02-03T09:15:00-00:00", "2025-02-03T09:15:00.123Z",
    "2025-02-03T09:15:00.1234567Z", "2025-02-03T24:00:00Z", "2025-02-03T24:00:01Z", "2025-02-03T09:15:00",
    "2015-01-01T00:00:00Z", "2015-01-01T00:00:00+01:00", "2015-01-01T00:00:00", "2015-01-01T14:00:00",
]


def _register(mock: Mock, body: etree._Element, path: str = v.PATH_MINLOG) -> etree._Element:
    r = mock.call(path, body)
    assert r.status_code == 200, r.text
    response = etree.fromstring(r.content).find(f".//{{{ML}}}RegistrationResponse")
    assert response is not None
    _schema().assertValid(etree.ElementTree(copy.deepcopy(response)))
    return response


def test_valid_entries_are_added_on_both_paths(mock: Mock) -> None:
    for path in (v.PATH_MINLOG, v.PATH_MINLOG_DECOUPLED):
        response = _register(mock, minlog_body(minlog_entry(seq="a"), minlog_entry(seq="b")), path)
        assert (response.findtext("NumberAdded"), response.findtext("NumberFailed")) == ("2", "0")
    entries = mock.http.get("/__admin/minlog/entries", params={"cpr": CPR_OLD, "date": "2025-02-03"}).json()
    assert len(entries["entries"]) == 4
    assert entries["entries"][0]["user_person_identifier"] == "0101701234"


def test_local_date_is_the_danish_calendar_day(mock: Mock) -> None:
    _register(mock, minlog_body(minlog_entry(when="2025-02-03T23:30:00Z")))
    (entry,) = mock.http.get("/__admin/minlog/entries").json()["entries"]
    assert entry["local_date"] == "2025-02-04"


def test_from_to_interval(mock: Mock) -> None:
    entry = minlog_entry(when=None)
    ordered = {}
    for key, value in entry.items():
        ordered[key] = value
        if key == "Activity":
            ordered["FromDateTime"] = "2025-02-03T08:00:00+01:00"
            ordered["ToDateTime"] = "2025-02-03T16:00:00+01:00"
    response = _register(mock, minlog_body(ordered))
    assert response.findtext("NumberAdded") == "1"


def _variants() -> list[tuple[str, dict[str, Any]]]:
    base = minlog_entry()
    out: list[tuple[str, dict[str, Any]]] = [("valid", base)]
    out.append(("system-name-too-long", {**base, "SystemName": "x" * 26}))
    out.append(("activity-75", {**base, "Activity": "a" * 75}))
    out.append(("activity-76", {**base, "Activity": "a" * 76}))
    out.append(("too-early", {**base, "DateTime": "2014-12-31T23:59:59Z"}))
    out.append(("unknown-source", {**base, "PersonIdentifier": ("XYZ", CPR_OLD)}))
    out.append(("user-source-autorisation", {**base, "UserPersonIdentifier": ("Autorisation", "ABC12")}))
    out.extend((f"organisation-source-{source}", {**base, "OrganisationId": (source, "012345")})
               for source in (*v.MINLOG_ORGANISATION_SOURCES, "SKS"))
    out.extend((f"user-source-{source}", {**base, "UserPersonIdentifier": (source, "AB123")})
               for source in (*v.MINLOG_USER_SOURCES, "YDER"))
    out.append(("sequence-37", {**base, "SequenceNumber": "s" * 37}))
    out.append(("no-activity", {k: val for k, val in base.items() if k != "Activity"}))
    out.append(("no-time", {k: val for k, val in base.items() if k != "DateTime"}))
    swapped = dict(base)
    swapped = {k: swapped[k] for k in ["Activity", "SystemName", *[k for k in base if k not in ("SystemName",
                                                                                                   "Activity")]]}
    out.append(("wrong-order", swapped))
    out.append(("bad-date", {**base, "DateTime": "yesterday"}))
    out.append(("empty-org-name", {**base, "OrganisationName": ""}))
    out.extend((f"time {when!r}", {**base, "DateTime": when}) for when in TIMES)
    return out


@pytest.mark.parametrize(("name", "entry"), _variants(), ids=[n for n, _ in _variants()])
def test_entry_validation_agrees_with_the_real_xsd(mock: Mock, name: str, entry: dict[str, Any]) -> None:
    body = minlog_body(entry)
    xsd_valid = _schema().validate(etree.ElementTree(copy.deepcopy(body)))
    assert OWN.validate(etree.ElementTree(copy.deepcopy(body))) == xsd_valid, name
    response = _register(mock, body)
    assert (response.findtext("NumberAdded") == "1") == xsd_valid, name
    if not xsd_valid:
        failed = response.find("FailedLogDataEntries")
        assert failed is not None and failed.findtext("FaultCode")


def test_failures_carry_the_sequence_number_and_the_rest_is_added(mock: Mock) -> None:
    good, bad = minlog_entry(seq="ok-1"), {**minlog_entry(seq="bad-1"), "DateTime": "2014-01-01T00:00:00Z"}
    response = _register(mock, minlog_body(good, bad))
    assert (response.findtext("NumberAdded"), response.findtext("NumberFailed")) == ("1", "1")
    failed = response.find("FailedLogDataEntries")
    assert failed is not None
    assert (failed.findtext("FaultCode"), failed.findtext("SequenceNumber")) == (v.MINLOG_FAULT_DATETIME_TOO_EARLY,
                                                                                "bad-1")


def test_injected_entry_failures_by_sequence_number(mock: Mock) -> None:
    mock.fault(service="minlog", kind="entry_failure", params={"sequence_numbers": ["s2"]})
    response = _register(mock, minlog_body(minlog_entry(seq="s1"), minlog_entry(seq="s2")))
    assert response.findtext("FailedLogDataEntries/SequenceNumber") == "s2"


def test_injected_fraction_is_repeatable_with_a_seed(mock: Mock) -> None:
    def run() -> list[str]:
        mock.http.delete("/__admin/faults")
        mock.fault(service="minlog", kind="entry_failure", params={"fail_fraction": 0.5}, seed=7)
        response = _register(mock, minlog_body(*[minlog_entry(seq=f"s{i}") for i in range(20)]))
        return [str(e.findtext("SequenceNumber")) for e in response.findall("FailedLogDataEntries")]

    first = run()
    assert 0 < len(first) < 20 and run() == first


def test_limits_are_counted_and_can_reject(mock: Mock) -> None:
    _register(mock, minlog_body(*[minlog_entry(seq=f"s{i}") for i in range(501)]))
    stats = mock.http.get("/__admin/minlog/entries").json()["stats"]
    assert any("501 entries" in p["problem"] for p in stats["violations"])
    for _ in range(20):
        _register(mock, minlog_body(minlog_entry()))
    stats = mock.http.get("/__admin/minlog/entries").json()["stats"]
    assert any("requests in the last hour" in p["problem"] for p in stats["violations"])
    mock.http.put("/__admin/settings", json={"minlog_limit_mode": "reject"})
    assert mock.call(v.PATH_MINLOG, minlog_body(minlog_entry())).status_code == 500


def test_journal_summary_lists_the_entries(mock: Mock) -> None:
    _register(mock, minlog_body(minlog_entry(seq="j1")))
    (entry,) = mock.journal(service="minlog")
    assert entry["operation"] == "AddRegistrations"
    assert entry["summary"]["minlog_entries"][0]["sequence_number"] == "j1"


def test_qualified_children_are_refused(mock: Mock) -> None:
    body = minlog_body(minlog_entry())
    for el in body.iter("LogDataEntry"):
        el.tag = f"{{{ML}}}LogDataEntry"
    assert mock.call(v.PATH_MINLOG, body).status_code == 500


def test_idsas_salt_and_rotation(mock: Mock) -> None:
    idsas = v.NS["idsas"]
    req = etree.Element(f"{{{idsas}}}GetCurrentSaltRequest")
    first = etree.fromstring(mock.call(v.PATH_IDSAS_SALT, req).content).findtext(f".//{{{idsas}}}Salt")
    assert first == mock.http.get("/__admin/idsas/salt").json()["salt"]
    mock.http.post("/__admin/idsas/salt", json={"salt": "bmV3LXNhbHQ="})
    again = etree.fromstring(mock.call(v.PATH_IDSAS_SALT, req).content).findtext(f".//{{{idsas}}}Salt")
    assert again == "bmV3LXNhbHQ="
