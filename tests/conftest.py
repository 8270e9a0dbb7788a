"""The harness's own tests. Those that read the real NSP artefacts take them from ``nsp_reference.reference``
(skipped without ../shared, failed without it under CI=true)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tools.postgres import NoPostgres, TempPostgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """A PostgreSQL server of this session's own (Debian's `postgresql`, initdb in a temporary directory): the
    hosted mode's tests skip without one, and fail without one under CI=true (.ci/run installs it)."""
    try:
        server = TempPostgres()
    except NoPostgres as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc}: CI must install it (.ci/run does)")
        pytest.skip(str(exc))
    server.start()
    yield server
    server.close()
