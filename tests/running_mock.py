"""A mock NSP started as its own program for a test module (python -m mock_nsp, a journal in the module's folder),
and the harness's control-plane client to it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from nspcert.nsp.admin import MockNspAdmin
from nspcert.processes import start


@contextlib.contextmanager
def running_mock(work: Path) -> Iterator[MockNspAdmin]:
    mock = start("mock-nsp", "mock_nsp", ["--journal", str(work / "journal.sqlite")], "/__admin/health", work)
    admin = MockNspAdmin(mock.base_url)
    try:
        yield admin
    finally:
        admin.close()
        mock.stop()
