"""``nspcert reference-eoj``: the reference EOJ as a service of its own against a running mock NSP (what the
certify compose profile runs), driven over HTTP by ``nspcert run --sut URL --nsp URL`` as a vendor's adapter is."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from nspcert.processes import free_port, start

NSPCERT = [sys.executable, "-m", "nspcert.cli"]


def test_without_a_mock_it_says_so_and_exits_3_after_waiting() -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    run = subprocess.run([*NSPCERT, "reference-eoj", "--nsp", nowhere, "--wait", "1"], capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 3 and time.monotonic() - started >= 1
    assert f"no mock NSP answers at {nowhere}/__admin/health after 1 s" in run.stderr


def test_the_nsp_must_be_a_url() -> None:
    run = subprocess.run([*NSPCERT, "reference-eoj", "--nsp", "embedded"], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 2 and "expected the http(s):// URL of a running mock NSP" in run.stderr


@pytest.mark.slow
def test_the_catalogue_drives_it_as_a_vendors_adapter(tmp_path: Path) -> None:
    mock = start("mock-nsp", "mock_nsp", ["--journal", str(tmp_path / "journal.sqlite")], "/__admin/health", tmp_path)
    port = free_port()
    eoj = subprocess.Popen([*NSPCERT, "reference-eoj", "--nsp", mock.base_url, "--port", str(port),
                            "--state-dir", str(tmp_path / "eoj")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sut = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and eoj.poll() is None:
            try:
                if httpx.get(sut + "/sut/capabilities", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert eoj.poll() is None, (eoj.stdout.read() if eoj.stdout else b"").decode()
        command = Path(f"/proc/{eoj.pid}/cmdline").read_bytes().split(b"\0")
        assert command[1:3] == [b"-m", b"reference_eoj"]  # exec'd: the EOJ itself gets the engine's signals
        assert (tmp_path / "eoj" / "certificates" / "function-certificate.pem").is_file()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "NSPCERT", "REFERENCE_EOJ"))}
        run = subprocess.run([*NSPCERT, "run", "--sut", sut, "--nsp", mock.base_url, "--report-dir",
                              str(tmp_path / "reports"), "-k", "opted_out or optout"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        summary = json.loads((tmp_path / "reports" / "latest" / "summary.json").read_text(encoding="utf-8"))
        assert summary["counts"]["pass"] >= 3 and summary["sut"]["system"] != "not reported"
    finally:
        eoj.send_signal(signal.SIGTERM)
        eoj.wait(30)
        mock.stop()
