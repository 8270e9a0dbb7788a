"""The harness's own tests. Those that read the real NSP artefacts take them from ``nsp_reference.reference``
(skipped without ../shared, failed without it under CI=true); those marked ``docker`` take the container engine and
the images from the fixtures below (skipped when no engine answers, see ``containers``)."""

from __future__ import annotations

from typing import Any

import containers
import pytest


@pytest.fixture(scope="session")
def container_engine() -> Any:
    """The Docker SDK client of the engine that answers (skips without one)."""
    return containers.engine()


@pytest.fixture(scope="session")
def images(container_engine: Any) -> Any:
    """Both images, built by ``make images`` with the engine's CLI (once per session); the engine's client."""
    containers.build_images(containers.engine_kind(container_engine))
    return container_engine
