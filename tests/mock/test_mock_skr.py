"""SKR writes of the typed-in items and their business faults; a write shows in the next ITI-43."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree
from mocknsp_support import CPR_OLD, Mock, citizen, skr_body

import nsp_vocabulary as v
from mock_nsp import client as dgws

SKR = v.NS["skr"]
CDA = v.NS["cda"]


def _write(mock: Mock, op: str, cpr: str = CPR_OLD, **parts: Any) -> Any:
    return mock.call(v.PATH_SKR, skr_body(op, cpr, **parts), hsuid=mock.hsuid(citizen=cpr))


def _id(response: Any) -> str:
    assert response.status_code == 200, response.text
    return str(etree.fromstring(response.content).findtext(f".//{{{SKR}}}Id"))


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


RELATIVE = [("GivenName", "Hanne"), ("FamilyName", "Jensen"), ("Relation", "datter"), ("Phone", ("MC", "+4512121212")),
            ("Note", "Ring efter kl. 16")]


def test_create_update_delete_relative_shows_in_the_next_iti43(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    item = _id(_write(mock, "CreateRelative", Relative=RELATIVE))
    (entry,) = _entries(mock, "RelativeTypedIn")
    ident = entry.find(f"{{{CDA}}}id")
    assert ident is not None and ident.get("extension") == item
    author_code = entry.find(f".//{{{CDA}}}assignedAuthor/{{{CDA}}}code")
    assert author_code is not None and author_code.get("code") == "EnteredHealthcareprofessional"
    _id(_write(mock, "UpdateRelative", id=item, Relative=[("GivenName", "Hanne"), ("Relation", "nabo")]))
    (entry,) = _entries(mock, "RelativeTypedIn")
    assert "nabo" in etree.tostring(entry, encoding="unicode")
    _id(_write(mock, "DeleteRelative", id=item))
    assert _entries(mock, "RelativeTypedIn") == []


def test_the_author_is_the_hsuid_user_and_organisation(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    _id(_write(mock, "CreateLanguage", Language=[("Code", "de")]))
    data = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()
    entered = data["typed_in"]["language"]["entered"]
    assert entered["by"] == "EnteredHealthcareprofessional"
    assert (entered["cpr"], entered["sor"]) == ("0101701234", "123451000016008")


@pytest.mark.parametrize(
    ("op", "parts", "code"),
    [
        ("CreateRelative", {"Relative": [("GivenName", "Hanne 0101701234")]}, v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelative", {"Relative": [("GivenName", "Hanne"), ("Relation", "010170-1234")]},
         v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelative", {"Relative": [("GivenName", "Hanne"), ("Note", "cpr 0101701234")]}, v.SKR_FAULT_CPR_IN_TEXT),
        ("CreateRelative", {"Relative": [("FamilyName", "Jensen")]}, v.SKR_FAULT_RELATIVE_GIVEN_NAME_MISSING),
        ("CreateRelative", {"Relative": [("GivenName", "H"), ("Phone", ("XX", "1"))]}, v.SKR_FAULT_INVALID_PHONE_USE),
        ("CreateLanguage", {"Language": [("Code", "xx")]}, v.SKR_FAULT_INVALID_LANGUAGE),
        ("CreateTemporaryAddress", {"TemporaryAddress": [("AddressLine", "Vej 1"), ("From", "2025-05-01"),
                                                         ("To", "2025-04-01")]}, v.SKR_FAULT_INVALID_PERIOD),
        ("UpdateRelative", {"id": "nope", "Relative": [("GivenName", "H")]}, v.SKR_FAULT_UNKNOWN_ITEM),
    ],
)
def test_business_faults(mock: Mock, op: str, parts: dict[str, Any], code: str) -> None:
    mock.put_citizen(CPR_OLD)
    assert _skr_fault(_write(mock, op, **parts)) == code


def test_a_second_temporary_address_is_refused(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    address = [("AddressLine", "Sommervej 1"), ("PostalCode", "4500"), ("City", "Nykøbing"), ("From", "2025-06-01")]
    _id(_write(mock, "CreateTemporaryAddress", TemporaryAddress=address))
    assert _skr_fault(_write(mock, "CreateTemporaryAddress", TemporaryAddress=address)) == \
        v.SKR_FAULT_TEMPORARY_ADDRESS_EXISTS


def test_unknown_and_deceased_citizens(mock: Mock) -> None:
    assert _skr_fault(_write(mock, "CreateLanguage", Language=[("Code", "de")])) == v.SKR_FAULT_UNKNOWN_CITIZEN
    mock.put_citizen(CPR_OLD, citizen(deceased=True))
    assert _skr_fault(_write(mock, "CreateLanguage", Language=[("Code", "de")])) == v.SKR_FAULT_CITIZEN_DECEASED


@pytest.mark.parametrize(
    ("op", "parts", "code"),
    [
        ("CreatePatientContact", {"PatientContact": [("Phone", ("H", "+4533333333"))]}, "PatientContactTypedIn"),
        ("CreateDentist", {"Dentist": [("Name", "Tand Læge"), ("AddressLine", "Vej 2"), ("Phone", "+4511")]},
         "DentistTypedIn"),
        ("CreateTemporaryAddress", {"TemporaryAddress": [("AddressLine", "Vej 1"), ("From", "2025-05-01")]},
         "TempAddrTypedIn"),
        ("CreateLanguage", {"Language": [("Code", "fr")]}, "LanguageTypedIn"),
    ],
)
def test_each_item_can_be_written(mock: Mock, op: str, parts: dict[str, Any], code: str) -> None:
    mock.put_citizen(CPR_OLD)
    item = _id(_write(mock, op, **parts))
    (entry,) = _entries(mock, code)
    ident = entry.find(f"{{{CDA}}}id")
    assert ident is not None and ident.get("extension") == item
    _id(_write(mock, op.replace("Create", "Delete"), id=item))
    assert _entries(mock, code) == []


def test_fsk3_mode_needs_hsuid_and_legacy_mode_a_user_card(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    r = mock.call(v.PATH_SKR, skr_body("CreateLanguage", CPR_OLD, Language=[("Code", "de")]))
    assert etree.fromstring(r.content).findtext(f".//{{{v.NS['medcom']}}}FaultCode") == v.FAULT_ACCESS_DENIED
    mock.http.put("/__admin/settings", json={"skr_mode": "legacy"})
    assert etree.fromstring(_write(mock, "CreateLanguage", Language=[("Code", "de")]).content).findtext(
        f".//{{{v.NS['medcom']}}}FaultCode") == v.FAULT_ACCESS_DENIED
    cert = mock.certificate("employee")
    req = dgws.idcard_request(cert["certificate_pem"], cert["private_key_pem"], "12345678", "Org", card_type="user",
                              user={"cpr": "0101701234", "given": "Hanne", "surname": "Hansen"})
    card = dgws.card_from_response(mock.sts(req).content)
    r = mock.call(v.PATH_SKR, skr_body("CreateLanguage", CPR_OLD, Language=[("Code", "de")]), card=card)
    assert r.status_code == 200, r.text
    entered = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"]["language"]["entered"]
    assert entered["name"] == "Hanne Hansen"


def test_skr_unavailable(mock: Mock) -> None:
    mock.put_citizen(CPR_OLD)
    mock.http.put("/__admin/registers/skr", json={"available": False})
    assert _skr_fault(_write(mock, "CreateLanguage", Language=[("Code", "de")])) == v.SKR_FAULT_REGISTER_UNAVAILABLE


def _validation_fault(response: Any) -> tuple[str | None, str | None]:
    assert response.status_code == 500, response.text
    detail = etree.fromstring(response.content).find(f".//{{{SKR}}}ValidationFault")
    assert detail is not None, response.text
    return detail.findtext(f"{{{SKR}}}Code"), detail.findtext(f"{{{SKR}}}Field")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("From", "2025-02-30"),            # no such day
        ("To", "2025-02-30"),              # the field named is the one that is wrong
        ("From", "2025-02-01T10:00:00"),   # a date-time where a date is expected
        ("To", "2025-06-01T00:00:00+02:00"),
        ("From", "2025-02-01+01:00"),      # xsd:date allows a zone; the mock's SKR does not (README)
        ("From", "20250201"),              # basic format
        ("From", "2025-W05-1"),            # ISO week date
        ("From", "2025-2-1"),
        ("From", "0001-01-01"),            # years out of range
        ("To", "9999-12-31"),
        ("From", "1799-12-31"),
        ("To", "2201-01-01"),
        ("From", "+2025-02-01"),
        ("From", ""),                      # present but empty
    ],
)
def test_an_impossible_or_odd_date_is_a_validation_fault_naming_the_field(mock: Mock, field: str, value: str) -> None:
    mock.put_citizen(CPR_OLD)
    dates = {"From": "2025-05-01", "To": "2025-06-01", field: value}
    address = [("AddressLine", "Vej 1"), ("From", dates["From"]), ("To", dates["To"])]
    response = _write(mock, "CreateTemporaryAddress", TemporaryAddress=address)
    assert _validation_fault(response) == (v.SKR_FAULT_INVALID_DATE, f"TemporaryAddress/{field}")
    assert mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"].get("temporary_address") is None


@pytest.mark.parametrize("value", ["1800-01-01", "2200-12-31", " 2025-02-28 ", "2024-02-29"])
def test_a_real_date_in_range_is_accepted(mock: Mock, value: str) -> None:
    mock.put_citizen(CPR_OLD)
    _id(_write(mock, "CreateTemporaryAddress", TemporaryAddress=[("AddressLine", "Vej 1"), ("From", value)]))
    stored = mock.http.get(f"/__admin/citizens/{CPR_OLD}").json()["typed_in"]["temporary_address"]
    assert stored["from"] == value.strip()
    (_entry,) = _entries(mock, "TempAddrTypedIn")
