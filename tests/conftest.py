"""The harness's own tests. Those that read the real NSP artefacts take them from ``nsp_reference.reference``
(skipped without ../shared, failed without it under CI=true); those marked ``docker`` take the container engine and
the images from the fixtures below (skipped when no engine answers, see ``containers``); the hosted mode's take a
PostgreSQL server of their own (``postgres``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import containers
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


@pytest.fixture(scope="session")
def container_engine() -> Any:
    """The Docker SDK client of the engine that answers (skips without one)."""
    return containers.engine()


@pytest.fixture(scope="session")
def images(container_engine: Any) -> Any:
    """Both images, built by ``make images`` with the engine's CLI (once per session); the engine's client."""
    containers.build_images(containers.engine_kind(container_engine))
    return container_engine
