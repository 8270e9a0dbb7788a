"""The container engine for the tests marked ``docker``: whichever answers (Docker, or Podman's Docker-compatible API
through ``DOCKER_HOST``), the images built by ``make images``, compose, and Podman's health checks where no systemd
runs them.

Every container these tests start uses the host's network and listens on its loopback only, on free ports, so the
tests send traffic nowhere else (images/compose.host-network.yml for the compose profiles).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
HOST_NETWORK = ROOT / "images" / "compose.host-network.yml"


def version(pyproject: Path) -> str:
    return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])


MOCK_IMAGE = f"nspcert/mock-nsp:{version(ROOT / 'mock-nsp' / 'pyproject.toml')}"
HARNESS_IMAGE = f"nspcert/nspcert:{version(ROOT / 'pyproject.toml')}"


def engine() -> Any:
    """The Docker SDK client of the engine that answers, or skip (with the reason) when none does."""
    docker = pytest.importorskip("docker", reason="the docker SDK is not installed")
    try:
        client = docker.from_env()
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no usable engine
        where = os.environ.get("DOCKER_HOST", "the default socket")
        pytest.skip(f"no container engine answers at {where} ({type(exc).__name__}); see docs/containers.md")
    return client


def engine_kind(client: Any) -> str:
    """``podman`` or ``docker``: whose CLI builds the images (build secrets need the CLI, not the API)."""
    components = client.version().get("Components") or []
    return "podman" if any("podman" in str(c.get("Name", "")).lower() for c in components) else "docker"


def build_images(kind: str) -> None:
    """``make images`` with the engine's own CLI (BASE_IMAGE, PIP_CERT, PIP_CONF from the environment)."""
    if shutil.which(kind) is None:
        pytest.skip(f"the engine is {kind}, but no {kind} command is on PATH to build the images")
    built = subprocess.run(["make", "-C", str(ROOT), "images", f"ENGINE={kind}"], capture_output=True, text=True,
                           timeout=1800, check=False)
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]


def compose_command() -> list[str]:
    """``docker compose`` (v2) or ``docker-compose`` (v1); skip when neither is there."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True,
                                                 check=False).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("no compose: neither `docker compose` nor `docker-compose` is installed")


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer 200 within {timeout:g} s")


class HealthTicker:
    """Runs the health checks of a compose project's containers every ``interval`` seconds through Podman's API.

    Podman runs health checks from systemd timers; where no systemd runs (a container, a CI sandbox) they never
    run, a container stays "starting" and compose waits for it forever. This runs the image's and the compose
    file's own checks (Podman's ``GET /libpod/containers/{id}/healthcheck``), so `depends_on: service_healthy`
    means what it says. With Docker, which runs them itself, it is not needed.
    """

    def __init__(self, client: Any, project: str, interval: float = 2.0) -> None:
        self.client, self.project, self.interval = client, project, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> HealthTicker:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(10)

    def _run(self) -> None:
        api = self.client.api
        while not self.stopped.wait(self.interval):
            with contextlib.suppress(Exception):
                for container in api.containers(filters={"label": f"com.docker.compose.project={self.project}"}):
                    api.get(f"{api.base_url}/v4.0.0/libpod/containers/{container['Id']}/healthcheck")


@contextlib.contextmanager
def health_checks_run(client: Any, project: str) -> Iterator[None]:
    """Health checks run while compose waits on them: by the engine (Docker), or by a HealthTicker (Podman)."""
    if engine_kind(client) == "podman":
        with HealthTicker(client, project):
            yield
    else:
        yield


def dockerfile_stages(path: Path) -> list[list[tuple[str, str]]]:
    """The instructions of each stage of a Dockerfile (continuation lines joined, comments dropped); ARGs before
    the first FROM are a stage of their own."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = [[]]
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        op, _, args = line.partition(" ")
        if op.upper() == "FROM":
            stages.append([])
        stages[-1].append((op.upper(), args.strip()))
    return stages
