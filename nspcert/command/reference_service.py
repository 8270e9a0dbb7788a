"""``nspcert reference-eoj``: the reference EOJ as a service of its own, against a mock NSP that is already running.

A catalogue run starts the reference EOJ itself (``--sut reference``). Run as a service — in the ``certify`` compose
profile, or beside a hosted mock to try ``nspcert run --sut URL --nsp URL`` before a vendor's own adapter exists —
it needs what the harness would otherwise give it: a function certificate from the mock's test CA, written as PEM
files, and the same settings as in a catalogue run (``nspcert.catalogue.fixtures.sut``). This waits until the mock
answers its health route, has the certificate issued, and then *becomes* ``python -m reference_eoj`` (``exec``), so
the EOJ gets the signals a container engine sends.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from nspcert.nsp.admin import MockNspAdmin, MockNspError

TOKEN_ENV = "NSPCERT_NSP_TOKEN"


class NspNotReady(RuntimeError):
    """The mock NSP did not answer its health route with 200 in time."""


def wait_for_nsp(admin: MockNspAdmin, seconds: float) -> None:
    """Until the mock's health route answers 200 (it answers 503 while it cannot yet record), at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            admin.health()
            return
        except (httpx.HTTPError, MockNspError) as problem:
            if time.monotonic() >= deadline:
                raise NspNotReady(f"no mock NSP answers at {admin.base_url}/__admin/health after {seconds:g} s "
                                  f"({type(problem).__name__}: {problem})") from problem
        time.sleep(0.5)


def reference_eoj_command(nsp_url: str, host: str, port: int, state_dir: Path | None,
                          defects: Sequence[str], wait: float) -> list[str]:
    """The ``python -m reference_eoj`` command line, once the mock has issued the EOJ's function certificate."""
    from nspcert.catalogue.fixtures.sut import reference_eoj_arguments

    admin = MockNspAdmin(nsp_url, os.environ.get(TOKEN_ENV) or None)
    try:
        wait_for_nsp(admin, wait)
        directory = state_dir or Path(tempfile.mkdtemp(prefix="reference-eoj-"))
        arguments = reference_eoj_arguments(admin, directory, defects)
    finally:
        admin.close()
    return [sys.executable, "-m", "reference_eoj", "--host", host, "--port", str(port), *arguments]


def serve(nsp_url: str, host: str, port: int, state_dir: Path | None, defects: Sequence[str], wait: float) -> None:
    """Replace this process with the reference EOJ (never returns)."""
    command = reference_eoj_command(nsp_url, host, port, state_dir, defects, wait)
    print(f"nspcert: reference EOJ on http://{host}:{port}, calling the mock NSP at {nsp_url}", flush=True)
    os.execv(command[0], command)
