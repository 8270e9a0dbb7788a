"""The reference EOJ through the HTTP driver contract, against a fake NSP (httpx.MockTransport)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from eoj_fake_nsp import FALSE_CPR, NAV_CPR, FakeNsp
from eoj_support import NURSE, EojFactory

import nsp_vocabulary as v
from nspcert.driver import contract
from nspcert.driver.contract import CAPABILITIES, StamkortChange
from reference_eoj.nsp.idsas import pseudonym


def message_ids(fake: FakeNsp) -> list[str]:
    return [e.envelope.findtext(f".//{{{v.NS['medcom']}}}MessageID") or "" for e in fake.exchanges
            if e.path != v.PATH_STS]


def test_capabilities_claim_everything(make_eoj: EojFactory) -> None:
    driver, _ = make_eoj()
    caps = driver.capabilities()
    assert caps.contract_version == contract.CONTRACT_VERSION
    assert set(CAPABILITIES) <= caps.capabilities
    assert caps.system.name == "nspcert reference EOJ"


def test_open_reads_fsk_with_one_system_card_and_hsuid(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    screen = driver.open_record(NAV_CPR, user)
    driver.open_record(FALSE_CPR, user)
    assert screen["fgvh"]["state"] == "unavailable"
    assert driver.view(NAV_CPR, user) == screen
    assert len(fake_nsp.calls(v.PATH_STS)) == 1  # the card is reused
    for exchange in fake_nsp.calls(v.PATH_SFSK_ITI18) + fake_nsp.calls(v.PATH_SFSK_ITI43):
        hsuid = exchange.header("hsuid", "HsuidHeader")
        assert hsuid is not None
        assert NURSE.cpr in [x.text for x in hsuid.iter(f"{{{v.NS['hsuid']}}}AttributeValue")]
        assert exchange.header("wsse", "Security") is not None
    ids = message_ids(fake_nsp)
    assert len(ids) == 4 and len(set(ids)) == 4


def test_every_open_fetches_fsk_fresh(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    assert driver.open_record(NAV_CPR, user)["fgvh"]["state"] == "unavailable"
    fake_nsp.documents[NAV_CPR] = fake_nsp.documents[FALSE_CPR].replace(FALSE_CPR.encode(), NAV_CPR.encode())
    assert driver.open_record(NAV_CPR, user)["fgvh"]["state"] == "not_opted_out"
    assert len(fake_nsp.calls(v.PATH_SFSK_ITI43)) == 2


def test_card_is_renewed_shortly_before_expiry(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    driver.open_record(NAV_CPR, user)
    driver.set_clock(datetime.now(UTC) + timedelta(hours=23, minutes=57))
    driver.open_record(NAV_CPR, user)
    assert len(fake_nsp.calls(v.PATH_STS)) == 2


def test_fsk_down_shows_unknown_and_an_error(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    fake_nsp.down.add(v.PATH_SFSK_ITI18)
    screen = driver.open_record(NAV_CPR, user)
    assert screen["fgvh"]["state"] == "unknown"
    assert screen["fsk"]["read"] is False
    assert screen["messages"][0]["level"] == "error"
    assert driver.flush_minlog().sent == 0  # no FSK data used, nothing to log


def test_minlog_once_per_employee_citizen_danish_day(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    driver.set_clock(datetime(2025, 3, 30, 23, 30, tzinfo=UTC))  # 01:30 on 31 March in Copenhagen
    driver.open_record(NAV_CPR, user)
    driver.open_record(NAV_CPR, user)
    driver.set_clock(datetime(2025, 3, 31, 21, 30, tzinfo=UTC))  # 23:30 the same Danish day
    driver.open_record(NAV_CPR, user)
    driver.set_clock(datetime(2025, 3, 31, 22, 30, tzinfo=UTC))  # 00:30 on 1 April in Copenhagen
    driver.open_record(NAV_CPR, user)
    result = driver.flush_minlog()
    assert (result.sent, result.failed, result.queued) == (2, 0, 0)
    entries = fake_nsp.minlog_entries()
    assert [e.findtext("DateTime") for e in entries] == ["2025-03-31T01:30:00+02:00", "2025-04-01T00:30:00+02:00"]
    assert entries[0].findtext("UserPersonIdentifier") == NURSE.cpr
    assert entries[0].findtext("PersonIdentifier") == NAV_CPR


def test_minlog_retries_only_failed_and_survives_outage_and_restart(
        make_eoj: EojFactory, fake_nsp: FakeNsp, tmp_path: Path) -> None:
    driver, eoj = make_eoj(state_dir=tmp_path / "durable")
    user = driver.log_in(NURSE)
    driver.open_record(NAV_CPR, user)
    driver.open_record(FALSE_CPR, user)
    fake_nsp.down.add(v.PATH_MINLOG)
    assert driver.flush_minlog().queued == 2
    driver.close()
    eoj.close()
    driver, eoj = make_eoj(state_dir=tmp_path / "durable")  # a restart
    fake_nsp.down.clear()
    first = eoj.queue.pending()[0].sequence_number
    fake_nsp.minlog_fail.add(first)
    assert driver.flush_minlog().to_json() == {"sent": 1, "failed": 1, "queued": 1, "given_up": 0}
    assert driver.flush_minlog().to_json() == {"sent": 1, "failed": 0, "queued": 0, "given_up": 0}
    sent = [e.findtext("SequenceNumber") for e in fake_nsp.minlog_entries()]
    assert sent.count(first) == 2 + 1 and len(sent) == 2 + 2 + 1  # outage (2), partial (2), retry of 1


def test_minlog_batches_at_most_500(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, eoj = make_eoj()
    _queue_many(eoj, 501)
    assert driver.flush_minlog().sent == 501
    assert [len(list(e.body.iter("Destination"))) for e in fake_nsp.calls(v.PATH_MINLOG)] == [500, 1]


def _queue_many(eoj: object, n: int) -> None:
    from reference_eoj.service import ReferenceEoj
    from reference_eoj.users import Employee

    assert isinstance(eoj, ReferenceEoj)
    for i in range(n):
        employee = Employee(f"{i:010d}", "A", "B", "", "", "1", "Org")
        eoj._log_use(employee, NAV_CPR, datetime(2025, 5, 1, 10, tzinfo=UTC))


def test_skr_write_success_and_rejection_shown_not_retried(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    user = driver.log_in(NURSE)
    change = StamkortChange("relative", "create", {"given": "Else", "relation": "mor", "note": "ring 0101601234"})
    assert driver.change_stamkort(NAV_CPR, user, StamkortChange("language", "create", {"code": "de"})).succeeded
    fake_nsp.skr_fault = "Pårørende må ikke indeholde et CPR-nummer"
    result = driver.change_stamkort(NAV_CPR, user, change)
    assert not result.succeeded and "CPR-nummer" in result.message
    assert len(fake_nsp.calls(v.PATH_SKR)) == 2
    assert fake_nsp.calls(v.PATH_SKR)[1].header("hsuid", "HsuidHeader") is not None


def test_citizen_view_pseudonymises_masked_employees(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    masked = NURSE.__class__(**{**NURSE.to_json(), "cpr": "0202702345", "identity_masked": True})
    driver.open_record(NAV_CPR, driver.log_in(NURSE))
    driver.open_record(NAV_CPR, driver.log_in(masked))
    users = [a["user"] for a in driver.citizen_view(NAV_CPR)["accesses"]]
    assert users[0] == {"display_name": "Hanne Marie Hansen", "pseudonymised": False}
    assert users[1] == {"display_name": pseudonym("Hanne Marie", "Hansen", NAV_CPR, fake_nsp.salt),
                        "pseudonymised": True}
    fake_nsp.salt = "c2FsdC10d28="
    driver.set_clock(datetime.now(UTC) + timedelta(hours=2))
    users = [a["user"] for a in driver.citizen_view(NAV_CPR)["accesses"]]
    assert users[1]["display_name"] == pseudonym("Hanne Marie", "Hansen", NAV_CPR, "c2FsdC10d28=")


def test_reset_forgets_users_and_queue(make_eoj: EojFactory) -> None:
    driver, eoj = make_eoj()
    user = driver.log_in(NURSE)
    driver.open_record(NAV_CPR, user)
    driver.reset()
    assert eoj.queue.count() == 0
    assert eoj.users.get(user) is None


def test_a_masked_employee_keeps_the_salt_fresh(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    driver, _ = make_eoj()
    masked = NURSE.__class__(**{**NURSE.to_json(), "identity_masked": True})
    user = driver.log_in(masked)
    driver.open_record(NAV_CPR, user)
    fake_nsp.salt = "bmV3LXNhbHQ="
    driver.set_clock(datetime.now(UTC) + timedelta(hours=1))
    driver.open_record(NAV_CPR, user)
    assert len(fake_nsp.calls(v.PATH_IDSAS_SALT)) == 2
    fake_nsp.salt = "bGF0ZXI="  # not fetched again within the half hour
    shown = driver.citizen_view(NAV_CPR)["accesses"][0]["user"]["display_name"]
    assert shown == pseudonym("Hanne Marie", "Hansen", NAV_CPR, "bmV3LXNhbHQ=")


def test_contract_errors_are_4xx(make_eoj: EojFactory) -> None:
    import pytest

    from nspcert.driver.contract import DriverError

    driver, _ = make_eoj()
    with pytest.raises(DriverError, match="HTTP 404"):
        driver.open_record(NAV_CPR, "no-such-user")
    user = driver.log_in(NURSE)
    with pytest.raises(DriverError, match="HTTP 404"):
        driver.view(FALSE_CPR, user)
    with pytest.raises(DriverError, match="HTTP 422"):
        driver.open_record("12345", user)


def test_command_line_refuses_unknown_defects(tmp_path: Path, capsys: object) -> None:
    from reference_eoj.__main__ import main

    args = ["--nsp-url", "http://x", "--certificate", "c", "--private-key", "k", "--cvr", "1",
            "--organisation-name", "o", "--state-dir", str(tmp_path), "--defects", "no-such-defect"]
    assert main(args) == 2


def test_every_error_answer_of_the_eoj_is_in_the_openapi(make_eoj: EojFactory) -> None:
    import yaml

    from nspcert.driver.contract import openapi_text

    paths = yaml.safe_load(openapi_text())["paths"]
    driver, _ = make_eoj()
    client = driver._client
    user = driver.log_in(NURSE)
    calls = [
        ("post", "/sut/users", "/sut/users", {"json": {"cpr": "1"}}, 422),
        ("post", "/sut/citizens/{cpr}/open", "/sut/citizens/x/open", {"json": {"user_id": user}}, 422),
        ("post", "/sut/citizens/{cpr}/open", f"/sut/citizens/{NAV_CPR}/open", {"json": {"user_id": "nobody"}}, 404),
        ("get", "/sut/citizens/{cpr}/view", "/sut/citizens/x/view", {"params": {"user_id": user}}, 422),
        ("get", "/sut/citizens/{cpr}/view", f"/sut/citizens/{NAV_CPR}/view", {"params": {"user_id": user}}, 404),
        ("post", "/sut/citizens/{cpr}/stamkort", f"/sut/citizens/{NAV_CPR}/stamkort",
         {"json": {"user_id": "nobody", "item": "language", "action": "create"}}, 404),
        ("post", "/sut/citizens/{cpr}/stamkort", f"/sut/citizens/{NAV_CPR}/stamkort",
         {"json": {"user_id": user, "item": "blocking", "action": "create"}}, 422),
        ("put", "/sut/clock", "/sut/clock", {"json": {"now": "yesterday"}}, 422),
        ("get", "/sut/citizens/{cpr}/citizen-view", "/sut/citizens/x/citizen-view", {}, 422),
    ]
    for method, template, url, kwargs, status in calls:
        answer = client.request(method.upper(), url, **kwargs)
        assert answer.status_code == status, (url, answer.text)
        assert str(status) in paths[template][method]["responses"], f"{method} {template} answers {status}"
        assert answer.json()["error"]


def test_a_care_worker_acting_for_a_professional_is_sent_in_hsuid(make_eoj: EojFactory, fake_nsp: FakeNsp) -> None:
    from nspcert.driver.contract import Employee, ResponsibleUser

    driver, _ = make_eoj()
    worker = Employee("0202702345", "Lis", "Berg", "", "social- og sundhedshjælper", NURSE.sor_code,
                      NURSE.organisation_name, responsible_user=ResponsibleUser(NURSE.cpr, NURSE.authorisation_id))
    driver.open_record(NAV_CPR, driver.log_in(worker))
    hsuid = fake_nsp.calls(v.PATH_SFSK_ITI18)[0].header("hsuid", "HsuidHeader")
    values = {a.get("Name"): a.findtext(f"{{{v.NS['hsuid']}}}AttributeValue") for a in hsuid.iter(f"{{{v.NS['hsuid']}}}Attribute")}
    assert values["nsi:ActingUserCivilRegistrationNumber"] == worker.cpr
    assert values["nsi:ResponsibleUserCivilRegistrationNumber"] == NURSE.cpr
    assert values["nsi:ResponsibleUserAuthorizationCode"] == NURSE.authorisation_id


@pytest.mark.parametrize("responsible", [{"cpr": "12"}, {"cpr": "0101701234", "authorisation_id": ""}, "AB123"])
def test_a_malformed_responsible_user_is_refused(make_eoj: EojFactory, responsible: object) -> None:
    driver, _ = make_eoj()
    answer = driver._client.post("/sut/users", json={**NURSE.to_json(), "responsible_user": responsible})
    assert answer.status_code == 422 and "responsible_user" in answer.json()["error"]
