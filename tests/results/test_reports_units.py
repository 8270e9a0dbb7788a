"""Unit tests of the verdict model, redaction, the synthetic-CPR rule, waivers and evidence naming."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nspcert.checks import NonConformance, require
from nspcert.cli import main, new_run_id, refresh_latest
from nspcert.results.collect.recorder import ScenarioState, attribute_step
from nspcert.results.collect.redact import MARK, redact_exchange
from nspcert.results.model.cprcheck import could_be_a_person
from nspcert.results.model.records import ScenarioRecord, StepRecord
from nspcert.results.model.verdicts import Verdict, assessment, exit_code, is_not_applicable, most_severe, worst
from nspcert.results.model.waivers import Waiver, WaiverError, find_waiver, load_waivers
from nspcert.results.render.evidence import letter


@pytest.mark.parametrize(("counts", "harness", "code"), [
    ({"pass": 3}, 0, 0),
    ({"pass": 3, "waived": 1, "not_applicable": 2}, 0, 0),
    ({"pass": 3, "fail": 1}, 0, 1),
    ({"pass": 3, "fail": 1, "error": 1}, 0, 3),
    ({"pass": 3}, 1, 3),
    ({"not_applicable": 2}, 0, 4),
    ({}, 0, 4),
])
def test_exit_code(counts: dict[str, int], harness: int, code: int) -> None:
    assert exit_code(counts, harness_errors=harness) == code


def test_an_unsafe_evidence_bundle_is_a_harness_error() -> None:
    assert exit_code({"pass": 1}, evidence_safe=False) == 3


def test_verdict_helpers() -> None:
    assert worst([Verdict.PASS, Verdict.FAIL, Verdict.NOT_APPLICABLE]) is Verdict.FAIL
    assert worst([Verdict.FAIL, Verdict.ERROR]) is Verdict.ERROR
    assert is_not_applicable("Skipped: not applicable: SUT does not claim capability 'minlog'")
    assert not is_not_applicable("docker is not running")
    assert most_severe(["F3", "F1", ""]) == "F1" and most_severe([]) == "F2"
    assert [assessment(v, "F2") for v in Verdict] == ["OK", "F2", "Not assessed", "Not relevant", "F2 (waived)"]


def test_nonconformance_stays_an_assertion_error_with_its_fields() -> None:
    with pytest.raises(AssertionError) as info:
        require(False, check="FGVH symbol", expected="shown", received="hidden", requirement="FSK-CERT-FGVH-01",
                where="screen model", reproduce="nspcert run -k fgvh")
    exc = info.value
    assert isinstance(exc, NonConformance)
    assert str(exc).startswith("FGVH symbol: expected shown, but received hidden")
    assert exc.to_dict()["reproduce"] == "nspcert run -k fgvh"


def test_redaction_removes_keys_tokens_passwords_and_signature_values() -> None:
    entry = {
        "request": {"headers": {"Authorization": "Bearer abc", "X-Admin-Token": "t0k", "Content-Type": "text/xml"},
                    "body": "<wsse:Security><ds:SignatureValue>AAAA</ds:SignatureValue><wsse:Password>pw"
                            "</wsse:Password><ds:X509Certificate>MIIC</ds:X509Certificate></wsse:Security>"},
        "response": {"body": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"},
        "summary": {"hsuid": {"authorization_code": "ABC12"}, "private_key": "x"},
    }
    red = redact_exchange(entry)
    text = json.dumps(red)
    for secret in ("Bearer abc", "t0k", "AAAA", ">pw<", "MIIE"):
        assert secret not in text, secret
    assert red["request"]["headers"]["Content-Type"] == "text/xml"
    assert "MIIC" in text, "certificates are evidence, not secrets"
    assert red["summary"]["hsuid"]["authorization_code"] == "ABC12"
    assert red["summary"]["private_key"] == MARK
    assert entry["request"]["headers"]["Authorization"] == "Bearer abc", "the original is not changed"


def test_redaction_removes_the_idsas_masking_salt() -> None:
    salt = "lgoBFkQicFPyieCU/+pZ0nHMVtnGlJ4s7ccCmFSK1Ro="
    entry = {"response": {"body": "<soap:Body><idsas:GetCurrentSaltResponse><idsas:Salt>" + salt +
                                  "</idsas:Salt></idsas:GetCurrentSaltResponse></soap:Body>"},
             "summary": {"salt": salt, "masking": {"current_salt": salt, "pseudonym": "6ba7b812-9dad"}}}
    red = redact_exchange(entry)
    assert salt not in json.dumps(red)
    assert "<idsas:Salt>[REDACTED]</idsas:Salt>" in red["response"]["body"]
    assert red["summary"]["masking"]["pseudonym"] == "6ba7b812-9dad", "the pseudonym is evidence"


@pytest.mark.parametrize(("cpr", "person"), [
    ("0101601234", True),  # valid date, modulus 11 holds
    ("0101601235", True),  # modulus 11 fails: CPR has issued such numbers since 2007, so it proves nothing
    ("6101601235", True),  # day 61: a substitute number (erstatningspersonnummer) for 1 January 1960
    ("3213601234", False),  # no such date
    ("9213601234", False),  # day 92: no date, not even as a substitute number (92 - 60 = 32)
    ("0101305000", False),  # 7th digit 5, year 30 -> born 2030: in the future
])
def test_which_numbers_could_be_a_person(cpr: str, person: bool) -> None:
    assert could_be_a_person(cpr, date(2026, 11, 25)) is person


def test_letters() -> None:
    assert [letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]


def test_waivers_load_validate_and_apply(tmp_path: Path) -> None:
    good = tmp_path / "w.csv"
    good.write_text("requirement,reason,reviewer,date,expires\nFSK-1,ok,AB,2026-11-01,\nFSK-2,old,AB,2025-01-01,"
                    "2025-06-30\n")
    waivers = load_waivers(good)
    today = date(2026, 11, 25)
    assert find_waiver(["FSK-1"], waivers, today) == Waiver("FSK-1", "ok", "AB", "2026-11-01")
    assert find_waiver(["FSK-2"], waivers, today) is None, "expired"
    assert find_waiver(["FSK-1", "FSK-3"], waivers, today) is None, "every failing requirement must be waived"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"waivers": [{"requirement": "FSK-1", "reason": "x", "date": "yesterday"}]}))
    with pytest.raises(WaiverError, match="lacks reviewer"):
        load_waivers(bad)


def test_run_ids_and_latest(tmp_path: Path) -> None:
    run_id = new_run_id()
    assert len(run_id) == len("20261125T170500Z-abcdef") and run_id[8] == "T" and run_id[15:17] == "Z-"
    (tmp_path / run_id).mkdir()
    (tmp_path / run_id / "summary.json").write_text("{}")
    latest = refresh_latest(tmp_path, tmp_path / run_id)
    assert (latest / "summary.json").is_file()
    second = tmp_path / "second"
    second.mkdir()
    refresh_latest(tmp_path, second)
    assert not (tmp_path / "latest" / "summary.json").exists()


def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--nsp", "dokker", "--catalogue", __file__]) == 2
    assert 'Did you mean "docker"?' in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["run", "--level", "nope"])
    assert info.value.code == 2


def test_nsp_docker_without_an_engine_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import docker

    from nspcert.command.preflight import PreflightError, check_nsp

    def no_engine() -> None:
        raise docker.errors.DockerException("Error while fetching server API version")

    monkeypatch.setattr(docker, "from_env", no_engine)
    with pytest.raises(PreflightError, match="--nsp docker: no Docker engine answers .*Start Docker"):
        check_nsp("docker")
    check_nsp("embedded")  # needs nothing


def test_an_exchange_belongs_to_the_step_running_in_real_time_whatever_the_mock_clock_said() -> None:
    """A scenario that sets the mock's clock to 2025 still has its exchanges on the steps that made them."""
    steps = [StepRecord(index=i, keyword="When", type="when", name=f"step {i}", line=i,
                        started=1_800_000_000.0 + 10 * i) for i in range(3)]  # 2027-01-15T08:00:00Z, :10, :20
    state = ScenarioState(record=ScenarioRecord(nodeid="t", feature={}, scenario={}, steps=steps), last_step=2)
    moved_clock = {"at": "2025-03-04T23:50:00+01:00", "received_at": "2027-01-15T08:00:15+00:00"}
    assert attribute_step(state, moved_clock) == 1
    assert attribute_step(state, {"at": "2027-01-15T08:00:25+00:00"}) == 2  # an older mock: its clock is all there is
    assert attribute_step(state, {}) == 2
