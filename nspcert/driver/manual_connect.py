"""A manual run starts by connecting the tester's system: where the mock NSP listens, and its function certificate.

Before the first question the tester is shown the mock's base URL and the URL of each service (the real NSP paths
of :mod:`nsp_vocabulary`: a system changes only the base URL), and the system's function certificate (FOCES-like,
issued by the mock's test CA, which its STS trusts) written as PEM and as PKCS#12 with its password, and where. A
:class:`FirstCallWatch` then tells the tester when the system's first call has arrived (the mock's journal).
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

import nsp_vocabulary as v
from nspcert.nsp.admin import MockNspAdmin, MockNspError

SERVICES = (
    ("STS (SOSI ID card)", v.PATH_STS),
    ("SFSK registry (ITI-18)", v.PATH_SFSK_ITI18),
    ("SFSK repository (ITI-43)", v.PATH_SFSK_ITI43),
    ("SKR (stamkort writes)", v.PATH_SKR),
    ("MinLog2", v.PATH_MINLOG),
    ("IDSAS (salt)", v.PATH_IDSAS_SALT),
)


@dataclass(frozen=True)
class CertificateFiles:
    """The system's function certificate as the tester installs it."""

    cvr: str
    organisation: str
    certificate_pem: Path
    private_key_pem: Path
    pkcs12: Path
    pkcs12_password: str
    password_file: Path
    ca_pem: Path


def write_certificate(nsp: MockNspAdmin, directory: Path, cvr: str, organisation: str) -> CertificateFiles:
    """Ask the mock's test CA for a function certificate and write it for the tester (private parts 0600)."""
    issued = nsp.issue_certificate("function", cvr, organisation)
    directory.mkdir(parents=True, exist_ok=True)
    files = CertificateFiles(cvr, organisation, directory / "function-certificate.pem",
                             directory / "function-key.pem", directory / "function-certificate.p12",
                             str(issued["pkcs12_password"]), directory / "function-certificate.p12.password",
                             directory / "test-ca.pem")
    files.certificate_pem.write_text(issued["certificate_pem"], encoding="utf-8")
    files.ca_pem.write_text(issued["ca_pem"], encoding="utf-8")
    for path, data in ((files.private_key_pem, issued["private_key_pem"].encode()),
                       (files.pkcs12, base64.b64decode(issued["pkcs12_base64"])),
                       (files.password_file, f"{files.pkcs12_password}\n".encode())):
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_bytes(data)
    return files


def guide(base_url: str, certificate: CertificateFiles) -> str:
    """What the tester reads before the first question."""
    width = max(len(name) for name, _ in SERVICES) + 2
    services = "\n".join(f"    {name:{width}}{base_url}{path}" for name, path in SERVICES)
    return (
        "Connect your system to the mock NSP before the first question.\n\n"
        f"  The mock NSP listens at {base_url} — the real NSP paths, only the base URL differs:\n{services}\n\n"
        f"  Your system's function certificate (FOCES, CVR {certificate.cvr}, {certificate.organisation}), issued "
        "by the mock's test CA, which its STS trusts:\n"
        f"    PEM certificate        {certificate.certificate_pem}\n"
        f"    PEM private key        {certificate.private_key_pem}\n"
        f"    PKCS#12 (.p12)         {certificate.pkcs12}\n"
        f"    PKCS#12 password       {certificate.pkcs12_password}   (also in {certificate.password_file})\n"
        f"    the test CA            {certificate.ca_pem}\n\n"
        "  You will be told when your system's first call arrives at the mock NSP."
    )


def first_call_notice(entry: dict[str, object]) -> str:
    """'Your system's first call has arrived: sts Issue (HTTP 200) at 2026-…'."""
    what = f"{entry.get('service', '?')} {entry.get('operation', '') or ''}".strip()
    return (f"*** Your system's first call has arrived at the mock NSP: {what} (HTTP {entry.get('status', '?')}) "
            f"at {entry.get('received_at') or entry.get('at', '?')}. The connection works. ***")


class FirstCallWatch:
    """Marks the mock's journal, polls it until the first entry after the mark (the system's first call: the harness
    itself calls only the control plane, which the journal does not hold), then tells ``notify`` once. Marks survive
    the mock's per-scenario reset; a mock that served earlier runs holds their calls before the mark."""

    def __init__(self, nsp: MockNspAdmin, notify: Callable[[str], None], interval: float = 0.5) -> None:
        self._nsp, self._notify, self._interval = nsp, notify, interval
        self._mark = f"nspcert-manual-run-{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nspcert-first-call", daemon=True)
        self.arrived: dict[str, object] | None = None

    def start(self) -> FirstCallWatch:
        self._nsp.mark(self._mark)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                entries = self._nsp.journal_page(limit=1, mark=self._mark)
            except (MockNspError, httpx.HTTPError):
                continue  # the mock is busy or restarting: ask again (the run itself reports a mock that is gone)
            if entries:
                self.arrived = entries[0]
                self._notify(first_call_notice(entries[0]))
                return
