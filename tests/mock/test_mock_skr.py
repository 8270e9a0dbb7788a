"""SKR writes of the typed-in items (CDA entries with the client's UUID ids, empty answers, a NAS notification) and
their business faults; a write shows in the next ITI-43 exactly as it was written."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, skr_body, skr_entry

import nsp_vocabulary as v
from mock_nsp import client as dgws

SKR = v.NS["skr"]
CDA = v.NS["cda"]


def _write(mock: Mock, op: str, item: etree._Element | None = None, cpr: str = CPR_OLD, **kw: Any) -> Any:
    return mock.call(v.PATH_SKR, skr_body(op, cpr, item, **kw), hsuid=mock.hsuid(citizen=cpr))


def _ok(response: Any) -> etree._Element:
    """The answer, which carries no data (the client made the item's id)."""
    assert response.status_code == 200, response.text
    answer = etree.fromstring(response.content).find(f".//{{{SKR}}}*")
    assert answer is not None and len(answer) == 0 and not (answer.text or "").strip()
    return answer


def _skr_fault(response: Any) -> str | None:
    assert response.status_code == 500, response.text
    return etree.fromstring(response.content).findtext(f".//{{{SKR}}}Code")


def _entries(mock: Mock, code: str) -> list[etree._Element]:
    out = []
    for obs in mock.pdc(CPR_OLD).iter(f"{{{CDA}}}observation"):
        c = obs.find(f"{{{CDA}}}code")
        if c is not None and c.get("code") == code:
            out.append(obs)
    return out


def _relative(item_id: str, *values: tuple[Any, ...]) -> etree._Element:
    return skr_entry("RelativeTypedIn", item_id, *values)


RELATIVE = (("PN", "Hanne", "Jensen"), ("CD", "datter", "Datter"), ("TEL", "MC", "+4512121212"),
            ("ST", "Ring efter kl. 16"))


def test_create_update_delete_relatives_shows_in_the_next_iti43(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    item = str(uuid.uuid4())
    assert etree.QName(_ok(_write(mock, "CreateRelatives", _relative(item, *RELATIVE)))).localname == \
        "CreateRelativesResponse"
    (entry,) = _entries(mock, "RelativeTypedIn")
    ident = entry.find(f"{{{CDA}}}id")
    assert ident is not None and (ident.get("root"), ident.get("extension")) == ("1.2.208.184.15.3", item)
    relation = entry.find(f"{{{CDA}}}value[@code='datter']")
    assert relation is not None and relation.get("displayName") == "Datter"
    author_code = entry.find(f".//{{{CDA}}}assignedAuthor/{{{CDA}}}code")
    assert author_code is not None and author_code.get("code") == "EnteredHealthcareprofessional"
    _ok(_write(mock, "UpdateRelatives", _relative(item, ("PN", "Hanne"), ("CD", "nabo"))))
    (entry,) = _entries(mock, "RelativeTypedIn")
    assert 'code="nabo"' in etree.tostring(entry, encoding="unicode")
    _ok(_write(mock, "DeleteRelatives", item_id=item))
    assert _entries(mock, "RelativeTypedIn") == []


def test_a_write_is_notified_to_nas_with_only_the_cpr(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    _ok(_write(mock, "CreateLanguage", skr_entry("LanguageTypedIn", None, ("CD", "de", "Deutsch"))))
    (entry,) = mock.journal(service="skr")
    notification = entry["summary"]["nas_notification"]
    assert (notification["topic"], notification["cpr"]) == (v.NAS_TOPIC_DATA_CARD_UPDATED, CPR_OLD)
    notify = etree.fromstring(notification["notify"])
    assert notify.findtext(f".//{{{v.NS['wsnt']}}}Topic") == v.NAS_TOPIC_DATA_CARD_UPDATED
    content = notify.find(f".//{{{v.NS['advis']}}}NotifyContent")
    assert content is not None and content.get("id") == CPR_OLD and len(content) == 0


def test_a_refused_write_is_not_notified(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    _skr_fault(_write(mock, "CreateLanguage", skr_entry("LanguageTypedIn", None, ("CD", "xx"))))
    (entry,) = mock.journal(service="skr")
    assert "nas_notification" not in entry["summary"]


def test_the_author_is_the_hsuid_user_and_organisation(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    _ok(_write(mock, "CreateLanguage", skr_entry("LanguageTypedIn", None, ("CD", "de"))))
    data = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()
    entered = data["typed_in"]["language"]["entered"]
    assert entered["by"] == "EnteredHealthcareprofessional"
    assert (entered["cpr"], entered["sor"]) == ("0101701234", "123451000016008")


@pytest.mark.parametrize(
    ("op", "values", "code"),
    [
        ("CreateRelatives", (("PN", "Hanne 0101701234"),), v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelatives", (("PN", "Hanne"), ("CD", "010170-1234")), v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelatives", (("PN", "Hanne"), ("CD", "datter", "datter 0101701234")), v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelatives", (("PN", "Hanne"), ("ST", "cpr 0101701234")), v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelatives", (("PN", "", "Jensen"),), v.SKR_FAULT_RELATIVE_GIVEN_NAME_MISSING),
        ("CreateRelatives", (("PN", "H"), ("TEL", "XX", "1")), v.SKR_FAULT_INVALID_PHONE_USE),
        ("CreateLanguage", (("CD", "xx"),), v.SKR_FAULT_INVALID_LANGUAGE),
        ("CreatePatientContact", (("TEL", "H", "1"), ("TEL", "MC", "2")), v.SKR_FAULT_INVALID_REQUEST),
        ("CreateDentist", (("AD", ["Vej 1"]),), v.SKR_FAULT_INVALID_REQUEST),
    ],
)
def test_business_faults(mock: Mock, op: str, values: tuple[tuple[Any, ...], ...], code: str) -> None:
    mock.put_citizen(CPR_OLD)
    item = skr_entry(v.SKR_ITEMS[op.removeprefix("Create")], None, *values)
    assert _skr_fault(_write(mock, op, item)) == code
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"].get("relatives") == []


@pytest.mark.parametrize(
    ("op", "build", "code"),
    [
        ("UpdateRelatives", lambda: _relative(str(uuid.uuid4()), ("PN", "H")), v.SKR_FAULT_UNKNOWN_ITEM),
        ("CreateRelatives", lambda: _relative("nope", ("PN", "H")), v.SKR_FAULT_INVALID_REQUEST),
        ("CreateRelatives", lambda: skr_entry("RelativeTypedIn", None, ("PN", "H"), root="1.2.3"),
         v.SKR_FAULT_INVALID_REQUEST),
        ("CreateRelatives", lambda: skr_entry("LanguageTypedIn", None, ("CD", "de")), v.SKR_FAULT_INVALID_REQUEST),
        ("CreateRelatives", lambda: None, v.SKR_FAULT_INVALID_REQUEST),
    ],
    ids=["unknown-item", "id-not-a-uuid", "wrong-id-root", "another-entry", "no-entry"],
)
def test_a_malformed_or_unknown_item_is_refused(mock: Mock, op: str, build: Any, code: str) -> None:
    mock.put_citizen(CPR_OLD)
    assert _skr_fault(_write(mock, op, build())) == code


def test_the_same_item_cannot_be_created_twice(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    item = str(uuid.uuid4())
    _ok(_write(mock, "CreateRelatives", _relative(item, ("PN", "Hanne"))))
    assert _skr_fault(_write(mock, "CreateRelatives", _relative(item, ("PN", "Hanne")))) == v.SKR_FAULT_ITEM_EXISTS


def test_a_second_temporary_address_is_refused(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    address = (("AD", ["Sommervej 1"], "4500", "Nykøbing"),)
    _ok(_write(mock, "CreateTemporaryAddress", skr_entry("TempAddrTypedIn", None, *address, period=("20250601", None))))
    second = skr_entry("TempAddrTypedIn", None, *address, period=("20250701", None))
    assert _skr_fault(_write(mock, "CreateTemporaryAddress", second)) == v.SKR_FAULT_TEMPORARY_ADDRESS_EXISTS


def test_unknown_and_deceased_citizens(mock: Mock) -> None:
    language = skr_entry("LanguageTypedIn", None, ("CD", "de"))
    assert _skr_fault(_write(mock, "CreateLanguage", language)) == v.SKR_FAULT_UNKNOWN_CITIZEN
    mock.put_citizen(CPR_OLD, citizen(deceased=True))
    assert _skr_fault(_write(mock, "CreateLanguage", language)) == v.SKR_FAULT_CITIZEN_DECEASED


@pytest.mark.parametrize(
    ("op", "values", "period"),
    [
        ("PatientContact", (("TEL", "H", "+4533333333"),), None),
        ("Dentist", (("II", "410845"), ("PN", "Jette", "Testesen"), ("TN", "Smil"), ("AD", ["Vej 2"], "2990", "Nivå"),
                     ("TEL", "WP", "80706050"), ("TEL", "WP", "80756555")), None),
        ("Dentist", (("EN", "Tandklinikken smil. nu"), ("TEL", "WP", "80308060")), None),
        ("TemporaryAddress", (("AD", ["Vej 1"], "5230", "Odense"),), ("20230808000000+0200", "20250419000000+0200")),
        ("Language", (("CD", "fr", "Français"),), None),
    ],
)
def test_each_item_is_served_as_it_was_written(mock: Mock, op: str, values: tuple[tuple[Any, ...], ...],
                                               period: tuple[str, str] | None) -> None:
    """What the client wrote is what the next ITI-43 shows: the same values, the same id."""
    mock.put_citizen(CPR_OLD)
    code = v.SKR_ITEMS[op]
    item = str(uuid.uuid4())
    written = skr_entry(code, item, *values, period=period)
    _ok(_write(mock, f"Create{op}", written))
    (entry,) = _entries(mock, code)
    ident = entry.find(f"{{{CDA}}}id")
    assert ident is not None and ident.get("extension") == item
    assert _values(entry) == _values(written)
    if period is not None:
        assert [b.get("value") for b in entry.find(f"{{{CDA}}}effectiveTime")] == list(period)  # type: ignore[union-attr]
    _ok(_write(mock, f"Delete{op}", item_id=item))
    assert _entries(mock, code) == []


def _values(obs: etree._Element) -> list[tuple[str | None, str, tuple[tuple[str, str], ...]]]:
    """Each value's type, its text parts and its attributes (the code system names aside)."""
    out = []
    for value in obs.findall(f"{{{CDA}}}value"):
        attrs = tuple(sorted((k, val) for k, val in value.attrib.items()
                             if k in ("code", "displayName", "use", "value", "extension")))
        out.append((value.get(f"{{{v.NS['xsi']}}}type"), " ".join(t.strip() for t in value.itertext() if t.strip()),
                    attrs))
    return out


def test_fsk3_mode_needs_hsuid_and_legacy_mode_a_user_card(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    language = skr_entry("LanguageTypedIn", None, ("CD", "de"))
    r = mock.call(v.PATH_SKR, skr_body("CreateLanguage", CPR_OLD, language))
    assert etree.fromstring(r.content).findtext(f".//{{{v.NS['medcom']}}}FaultCode") == v.FAULT_ACCESS_DENIED
    mock.http.put("/__admin/settings", json={"skr_mode": "legacy"})
    assert etree.fromstring(_write(mock, "CreateLanguage", language).content).findtext(
        f".//{{{v.NS['medcom']}}}FaultCode") == v.FAULT_ACCESS_DENIED
    cert = mock.certificate("employee")
    req = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Org", card_type="user",
                              user={"cpr": "0101701234", "given": "Hanne", "surname": "Hansen"})
    card = dgws.card_from_response(mock.sts(req).content)
    r = mock.call(v.PATH_SKR, skr_body("CreateLanguage", CPR_OLD, language), card=card)
    assert r.status_code == 200, r.text
    entered = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"]["language"]["entered"]
    assert entered["name"] == "Hanne Hansen"


def test_skr_unavailable(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.http.put("/__admin/registers/skr", json={"available": False})
    language = skr_entry("LanguageTypedIn", None, ("CD", "de"))
    assert _skr_fault(_write(mock, "CreateLanguage", language)) == v.SKR_FAULT_REGISTER_UNAVAILABLE


def _validation_fault(response: Any) -> tuple[str | None, str | None]:
    assert response.status_code == 500, response.text
    detail = etree.fromstring(response.content).find(f".//{{{SKR}}}ValidationFault")
    assert detail is not None, response.text
    return detail.findtext(f"{{{SKR}}}Code"), detail.findtext(f"{{{SKR}}}Field")


def _address(low: str | None, high: str | None) -> etree._Element:
    return skr_entry("TempAddrTypedIn", None, ("AD", ["Vej 1"]), period=(low, high))


@pytest.mark.parametrize(
    ("bound", "value"),
    [
        ("low", "20250230"),               # no such day
        ("high", "20250230"),              # the field named is the one that is wrong
        ("low", "2025-02-01"),             # an xs:date where the PDC's HL7 TS is expected
        ("low", "20250201T1000"),
        ("high", "20250601000000+02"),     # a half offset
        ("low", "00010101"),               # years out of range
        ("high", "99991231"),
        ("low", "17991231"),
        ("high", "22010101"),
        ("low", ""),                       # present but empty
    ],
)
def test_an_impossible_or_odd_date_is_a_validation_fault_naming_the_field(mock: Mock, bound: str, value: str) -> None:
    mock.put_citizen(CPR_OLD)
    dates = {"low": "20250501", "high": "20250601", bound: value}
    response = _write(mock, "CreateTemporaryAddress", _address(dates["low"], dates["high"]))
    assert _validation_fault(response) == (v.SKR_FAULT_INVALID_DATE, f"TempAddrTypedIn/effectiveTime/{bound}")
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"].get("temporary_address") is None


def test_an_end_before_the_start_is_a_validation_fault(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    assert _validation_fault(_write(mock, "CreateTemporaryAddress", _address("20250501", "20250401"))) == \
        (v.SKR_FAULT_INVALID_PERIOD, "TempAddrTypedIn/effectiveTime/high")


@pytest.mark.parametrize(("value", "day"), [
    ("18000101", "1800-01-01"), ("22001231", "2200-12-31"), ("20240229", "2024-02-29"),
    ("20230808000000+0200", "2023-08-08"), ("20250531220000+0000", "2025-06-01"), ("202506011200", "2025-06-01"),
])
def test_a_real_day_in_range_is_accepted_as_the_danish_day(mock: Mock, value: str, day: str) -> None:
    mock.put_citizen(CPR_OLD)
    _ok(_write(mock, "CreateTemporaryAddress", _address(value, None)))
    stored = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"]["temporary_address"]
    assert (stored["from"], stored["to"]) == (day, None)
    (_entry,) = _entries(mock, "TempAddrTypedIn")
