"""A manual run connects the tester's system first: the guide, the function certificate, the first-call notice,
and the options that go with it (--nsp-port, --ui) refused where they make no sense."""

from __future__ import annotations

import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from running_mock import running_mock

import nsp_vocabulary as v
from nspcert.cli import main
from nspcert.driver.manual_connect import SERVICES, FirstCallWatch, guide, write_certificate
from nspcert.nsp.admin import MockNspAdmin


@pytest.fixture(scope="module")
def nsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockNspAdmin]:
    with running_mock(tmp_path_factory.mktemp("connect")) as admin:
        yield admin


def test_the_function_certificate_is_written_as_pem_and_pkcs12_for_the_tester(nsp: MockNspAdmin, tmp_path: Path) -> None:
    files = write_certificate(nsp, tmp_path / "system-certificate", "87654321", "Testkommunen Pleje")
    certificate = x509.load_pem_x509_certificate(files.certificate_pem.read_bytes())
    key, bundled, chain = pkcs12.load_key_and_certificates(files.pkcs12.read_bytes(), files.pkcs12_password.encode())
    assert bundled == certificate and key is not None, "the PKCS#12 holds the same certificate and its key"
    assert "87654321" in certificate.subject.rfc4514_string()
    assert files.password_file.read_text(encoding="utf-8").strip() == files.pkcs12_password
    for private in (files.private_key_pem, files.pkcs12, files.password_file):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600, private
    assert x509.load_pem_x509_certificate(files.ca_pem.read_bytes()).subject == certificate.issuer
    text = guide(nsp.base_url, files)
    for name, path in SERVICES:
        assert f"{name}" in text and f"{nsp.base_url}{path}" in text
    assert {path for _, path in SERVICES} >= {v.PATH_STS, v.PATH_SFSK_ITI18, v.PATH_SFSK_ITI43, v.PATH_SKR,
                                              v.PATH_MINLOG, v.PATH_IDSAS_SALT}
    assert str(files.pkcs12) in text and files.pkcs12_password in text and "CVR 87654321" in text


def test_the_tester_is_told_when_the_systems_first_call_arrives(nsp: MockNspAdmin) -> None:
    httpx.post(nsp.base_url + v.PATH_STS, content=b"<before/>", timeout=10)  # an earlier run's call: not this one's
    told: list[str] = []
    watch = FirstCallWatch(nsp, told.append, interval=0.05).start()
    try:
        time.sleep(0.3)
        assert told == [], "nothing has arrived since the run started"
        httpx.post(nsp.base_url + v.PATH_STS, content=b"<not-a-request/>", timeout=10)
        deadline = time.monotonic() + 10
        while not told and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        watch.stop()
    (notice,) = told
    assert notice.startswith("*** Your system's first call has arrived at the mock NSP: sts")


@pytest.mark.parametrize(("args", "complaint"), [
    (["--ui"], "--ui: the browser page is for a manual run"),
    (["--sut", "manual", "--ui-port", "8099"], "--ui-port: only with --ui"),
    (["--sut", "manual", "--nsp", "http://127.0.0.1:9", "--nsp-port", "8123"], "--nsp-port: the port of the embedded"),
    (["--nsp-port", "8123", "-n", "2"], "each worker starts its own mock NSP"),
    (["--sut", "manual", "--nsp-port", "70000"], "expected a port number"),
])
def test_options_that_make_no_sense_are_usage_errors(args: list[str], complaint: str,
                                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["run", "--report-dir", str(tmp_path), *args]) == 2
    assert complaint in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [], "no run directory is left behind"


def test_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["run", "--sut", "manual", "--nsp-port", str(port), "--report-dir", str(tmp_path)]) == 2
    assert f"--nsp-port {port}: 127.0.0.1:{port} is in use" in capsys.readouterr().err


def test_a_notice_reaches_a_person_at_once_and_a_program_between_questions() -> None:
    import io
    import os
    import threading

    from nspcert.driver.manual_channel import Question, TerminalChannel

    question = Question("fsk.read", "Does the record show data from Fælles Stamkort? [y/n]", "step", "yes")
    for live in (True, False):
        read_end, write_end = os.pipe()
        answers = os.fdopen(read_end, "r", encoding="utf-8")
        shown = io.StringIO()
        channel = TerminalChannel(answers, shown, live=live)
        reader = threading.Thread(target=lambda: channel.read(question))  # noqa: B023 - joined in this iteration
        reader.start()
        deadline = time.monotonic() + 5
        while not shown.getvalue().endswith("fsk.read> ") and time.monotonic() < deadline:
            time.sleep(0.01)
        channel.notify("*** first call ***")
        at_once = shown.getvalue()
        os.write(write_end, b"y\n")
        reader.join(timeout=5)
        if live:
            assert at_once.endswith("fsk.read> \n*** first call ***\nfsk.read> "), "shown, then the key again"
        else:
            assert "first call" not in at_once, "a program reading prompts never gets a notice after a prompt"
            os.write(write_end, b"n\n")
            assert channel.read(question) == "n"
            assert shown.getvalue()[len(at_once):].startswith("\n*** first call ***\n\n[step] Does the record"), \
                "it comes before the next question"
        os.close(write_end)
        answers.close()
