"""The mock NSP's image and compose services.

Without an engine: docker-compose.yml runs the mock from mock-nsp/Dockerfile (profile ``mock``: published on the
host's loopback, a required admin token; profile ``certify``: unpublished, for the reference EOJ and the harness),
the image installs the mock's own distribution and the lock's pins and nothing of the harness, and its health
check asks the health route. With an engine (marked ``docker``): the built image answers and guards its control
plane, and passes the mock's own tests pointed at it (tests/mock/remote_support.py)."""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from containers import MOCK_IMAGE, dockerfile_stages, wait_healthy

from nspcert.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
MOCK = ROOT / "mock-nsp"
HEALTH = "/__admin/health"


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))



# --- the compose services ------------------------------------------------------------------------------------
def test_the_mock_profile_builds_the_mock_from_its_dockerfile_and_publishes_it_on_loopback() -> None:
    service = compose()["services"]["mock-nsp"]
    assert service["profiles"] == ["mock"]
    assert service["build"] == {"context": ".", "dockerfile": "mock-nsp/Dockerfile"}
    assert service["image"] == MOCK_IMAGE  # the tag `--nsp docker` and the tests look for
    assert service["ports"] and all(port.startswith("127.0.0.1:") for port in service["ports"])


def test_the_certify_profiles_mock_is_the_same_image_published_nowhere() -> None:
    services = compose()["services"]
    nsp = services["nsp"]
    assert nsp["profiles"] == ["certify"] and "ports" not in nsp
    assert {k: nsp[k] for k in ("build", "image", "environment")} == {
        k: services["mock-nsp"][k] for k in ("build", "image", "environment")}


def test_the_admin_token_must_be_set_there_is_no_default() -> None:
    """Every service that runs the mock or talks to its control plane (the hosted profile's PostgreSQL and HAProxy
    do neither)."""
    for name, service in compose()["services"].items():
        env = service.get("environment") or {}
        if name in {"postgres", "haproxy"}:
            continue
        token = env.get("MOCK_NSP_ADMIN_TOKEN") or env.get("NSPCERT_NSP_TOKEN")
        assert re.fullmatch(r"\$\{MOCK_NSP_ADMIN_TOKEN:\?[^}]+\}", token), (name, token)  # `:?`: compose refuses


def test_the_image_checks_the_health_route_and_runs_the_mock() -> None:
    final = dict(dockerfile_stages(MOCK / "Dockerfile")[-1])
    assert HEALTH in final["HEALTHCHECK"] and "MOCK_NSP_PORT" in final["HEALTHCHECK"]
    assert json.loads(final["CMD"])[:3] == ["python", "-m", "mock_nsp"]
    assert "healthcheck" not in compose()["services"]["mock-nsp"]  # one health check: the image's


# --- the Dockerfile ------------------------------------------------------------------------------------------
def test_the_base_image_is_a_build_argument_defaulting_to_python_slim() -> None:
    stages = dockerfile_stages(MOCK / "Dockerfile")
    assert stages[0] == [("ARG", "BASE_IMAGE=python:3.11-slim")]
    assert [args.split()[0] for stage in stages[1:] for op, args in stage if op == "FROM"] == ["${BASE_IMAGE}"] * 2


def test_the_image_installs_the_locked_pins_and_the_mocks_own_wheel_only() -> None:
    *_, wheels, final = dockerfile_stages(MOCK / "Dockerfile")
    downloads = " ".join(args for op, args in wheels if op == "RUN")
    assert "pip wheel --require-hashes --wheel-dir /wheels -r /src/requirements/mock.txt" in downloads
    installs = " ".join(args for op, args in final if op == "RUN")
    assert "--no-index" in installs and "--require-hashes -r /tmp/mock.txt" in installs
    assert re.findall(r"/wheels/(\S+)\.whl", installs) == ["nspcert_mock-*"]  # nothing of the harness
    copied = [args.split()[:-1] for op, args in wheels if op == "COPY"]
    assert all((ROOT / source).exists() for sources in copied for source in sources), copied
    assert not any(source.startswith(("nspcert", "reference_eoj")) for sources in copied for source in sources)


def test_build_secrets_are_mounted_only_where_pip_downloads() -> None:
    *_, wheels, final = dockerfile_stages(MOCK / "Dockerfile")
    downloading = [args for op, args in wheels if op == "RUN" and "pip wheel --require-hashes" in args]
    assert len(downloading) == 1 and "type=secret,id=pip_cert" in downloading[0]
    assert not any("type=secret" in args for op, args in final)  # the image's own stage never sees them


def test_everything_the_mock_imports_is_a_declared_dependency() -> None:
    """What the image installs is the mock's own dependency list: the mock must need nothing else, and nothing
    of the harness."""
    declared = {re.split(r"[<>=;\[ ]", dep, maxsplit=1)[0].lower()
                for dep in tomllib.loads((MOCK / "pyproject.toml").read_text())["project"]["dependencies"]}
    distributions = metadata.packages_distributions()
    needed = set()
    for path in [*(MOCK / "mock_nsp").rglob("*.py"), *(MOCK / "nsp_vocabulary").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            needed.update(name.split(".")[0] for name in names)
    assert not needed & {"nspcert", "reference_eoj"}, "the mock imports the harness"
    third_party = {n for n in needed if n not in sys.stdlib_module_names and n not in ("mock_nsp", "nsp_vocabulary")}
    missing = {n: distributions.get(n) for n in third_party
               if not {d.lower() for d in distributions.get(n, [])} & declared}
    assert not missing, f"imported by mock_nsp but not in pyproject dependencies: {missing}"


# --- the built image (an engine answers) ----------------------------------------------------------------------
def _run_mock(client: Any, data: Path, **environment: str) -> tuple[Any, str]:
    """The mock image on the host's network, on a free loopback port; its container and base URL."""
    port = free_port()
    data.mkdir(parents=True, exist_ok=True)
    data.chmod(0o777)  # the image's user (10001) writes its CA and journal there
    container = client.containers.run(
        MOCK_IMAGE, detach=True, network_mode="host", volumes={str(data): {"bind": "/data", "mode": "rw"}},
        environment={"MOCK_NSP_HOST": "127.0.0.1", "MOCK_NSP_PORT": str(port), **environment})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url + HEALTH)
    except AssertionError:
        logs = container.logs().decode(errors="replace")[-3000:]
        container.remove(force=True)
        raise AssertionError(f"the mock container did not become healthy:\n{logs}") from None
    return container, url


@pytest.mark.docker
@pytest.mark.slow
def test_the_mock_image_answers_and_guards_its_control_plane(images: Any, tmp_path: Path) -> None:
    token = secrets.token_hex(16)
    container, url = _run_mock(images, tmp_path / "data", MOCK_NSP_ADMIN_TOKEN=token)
    try:
        assert httpx.get(url + HEALTH).json()["status"] == "ok"  # the health route is public
        assert httpx.get(url + "/__admin/settings").status_code in (401, 403)
        assert httpx.get(url + "/__admin/settings", headers={"x-admin-token": token}).status_code == 200
        listed = images.containers.run(MOCK_IMAGE, ["pip", "list", "--format", "json"], remove=True,
                                       network_mode="host")
        installed = {item["name"].lower() for item in json.loads(listed)}
        assert "nspcert-mock" in installed and not installed & {"nspcert", "pytest", "pytest-bdd", "hypothesis"}
    finally:
        container.remove(force=True)


@pytest.mark.docker
@pytest.mark.slow
def test_the_containerised_mock_passes_the_mocks_own_tests(images: Any, tmp_path: Path) -> None:
    """tests/mock pointed at the container (MOCK_NSP_TEST_URL): bound to the host's loopback without a token, as
    `nspcert mock` is, so the control plane answers the tests as it answers a local harness."""
    container, url = _run_mock(images, tmp_path / "data")
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "MOCK_NSP_TEST"))}
        env |= {"MOCK_NSP_TEST_URL": url, "MOCK_NSP_TEST_STATE_DIR": str(tmp_path / "data")}
        run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-m", "not docker",
                              "tests/mock"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
                             check=False)
        print(run.stdout[-1500:])
        assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
        assert re.search(r"\b\d{3,} passed", run.stdout), run.stdout[-500:]
    finally:
        container.remove(force=True)
