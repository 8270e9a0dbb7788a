"""The harness image and the ``certify`` compose profile.

Without an engine: the image runs ``nspcert run`` with its reports in /reports, installs the harness lock and the
two wheels, and sees no build secret in its own stage; the certify profile is the mock, the reference EOJ and the
harness, chained by health; the host-network variant keeps every URL and leaves nothing published.
With an engine (marked ``docker``): both images built by ``make images``, the certify profile run by compose to a
verdict (exit 0, reports on the host), and no build secret in either image's files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from containers import (
    HARNESS_IMAGE,
    HOST_NETWORK,
    MOCK_IMAGE,
    ROOT,
    compose_command,
    dockerfile_stages,
    health_checks_run,
)

from nspcert.processes import free_port


def load(path: Path) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))



# --- the harness image, read ----------------------------------------------------------------------------------
def test_the_harness_image_runs_nspcert_run_with_reports_in_a_mounted_folder() -> None:
    arguments, *_, final = dockerfile_stages(ROOT / "Dockerfile")
    assert arguments == [("ARG", "BASE_IMAGE=python:3.11-slim")]
    steps = dict(final)
    assert json.loads(steps["ENTRYPOINT"]) == ["nspcert", "run", "--report-dir", "/reports"]
    assert steps["FROM"] == "${BASE_IMAGE}" and steps["WORKDIR"] == "/reports" and steps["USER"] == "nspcert"


def test_the_harness_image_installs_the_harness_lock_and_the_two_wheels_without_an_index() -> None:
    *_, wheels, final = dockerfile_stages(ROOT / "Dockerfile")
    downloads = " ".join(args for op, args in wheels if op == "RUN")
    assert "pip wheel --require-hashes --wheel-dir /wheels -r /src/requirements/harness.txt" in downloads
    assert "type=secret,id=pip_cert" in downloads and not any("type=secret" in args for op, args in final)
    installs = " ".join(args for op, args in final if op == "RUN")
    assert "--no-index --find-links /wheels --require-hashes -r /tmp/harness.txt" in installs
    assert sorted(re.findall(r"/wheels/(\S+)\.whl", installs)) == ["nspcert-*", "nspcert_mock-*"]


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "mock-nsp/Dockerfile"])
def test_new_wheels_reach_the_image_through_the_build_cache(dockerfile: str) -> None:
    """A RUN that mounts the wheel stage is cached by its text alone (Buildah): the wheels' checksums are copied in
    before it, so changed sources rebuild the install step."""
    *_, wheels, final = dockerfile_stages(ROOT / dockerfile)
    assert any("sha256sum *.whl > SHA256SUMS" in args for op, args in wheels if op == "RUN")
    steps = [(op, args) for op, args in final if op in ("COPY", "RUN")]
    assert steps[0] == ("COPY", "--from=wheels /wheels/SHA256SUMS /tmp/wheels.sha256")
    assert steps[1][0] == "RUN" and "type=bind,from=wheels" in steps[1][1]


def test_the_build_context_holds_what_the_dockerfiles_copy() -> None:
    """.dockerignore lets in only the sources and the lock: every COPY source must be among them."""
    allowed = [line[1:].rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")]
    for dockerfile in (ROOT / "Dockerfile", ROOT / "mock-nsp" / "Dockerfile"):
        copied = [source for stage in dockerfile_stages(dockerfile) for op, args in stage if op == "COPY"
                  and not args.startswith("--from") for source in args.split()[:-1]]
        bound = re.findall(r"type=bind,source=(\S+?),", dockerfile.read_text())
        for source in [*copied, *bound]:
            assert (ROOT / source).exists(), source
            assert any(source == a or source.startswith(a + "/") for a in allowed), f"{source} is not in the context"


# --- the certify profile, read ------------------------------------------------------------------------------
def test_the_certify_profile_runs_the_harness_against_the_reference_eoj_and_the_mock() -> None:
    services = load(ROOT / "docker-compose.yml")["services"]
    certify = {name for name, service in services.items() if "certify" in service["profiles"]}
    assert certify == {"nsp", "reference-eoj", "nspcert"}
    harness, eoj = services["nspcert"], services["reference-eoj"]
    assert harness["image"] == eoj["image"] == HARNESS_IMAGE and services["nsp"]["image"] == MOCK_IMAGE
    assert harness["command"] == ["--sut", "http://reference-eoj:8081", "--nsp", "http://nsp:8080"]
    assert eoj["entrypoint"] == ["nspcert", "reference-eoj"] and "http://nsp:8080" in eoj["command"]
    assert harness["volumes"] == ["${NSPCERT_REPORTS:-./reports}:/reports"]
    assert harness["depends_on"] == {"nsp": {"condition": "service_healthy"},
                                     "reference-eoj": {"condition": "service_healthy"}}
    assert eoj["depends_on"] == {"nsp": {"condition": "service_healthy"}}
    assert "/sut/capabilities" in eoj["healthcheck"]["test"]


def test_the_host_network_variant_keeps_the_urls_and_publishes_nothing() -> None:
    base, host = load(ROOT / "docker-compose.yml")["services"], load(HOST_NETWORK)["services"]
    assert set(host) == {"nsp", "reference-eoj", "nspcert"}
    for name, service in host.items():
        assert service["network_mode"] == "host" and "ports" not in base[name], name
        names = {url.split("//")[1].split(":")[0] for url in service.get("command", []) if "://" in url}
        mapped = {entry.split(":")[0] for entry in service.get("extra_hosts", [])}
        assert names <= mapped and all(entry.endswith(":127.0.0.1") for entry in service.get("extra_hosts", []))
    assert host["nsp"]["environment"]["MOCK_NSP_HOST"] == "127.0.0.1"
    assert "--host" in host["reference-eoj"]["command"] and "127.0.0.1" in host["reference-eoj"]["command"]


# --- built and run (an engine answers) -----------------------------------------------------------------------
def harness_outcome(client: Any, project: str) -> tuple[int, str]:
    """The exit code and log of the certify profile's harness container, once it has ended. (Waiting through the
    engine rather than `compose up --exit-code-from`: compose v1's log follower breaks on Podman now and then.)"""
    (container,) = client.containers.list(all=True, filters={
        "label": [f"com.docker.compose.project={project}", "com.docker.compose.service=nspcert"]})
    code = int(container.wait(timeout=1800)["StatusCode"])
    return code, container.logs().decode(errors="replace")


@pytest.mark.docker
@pytest.mark.slow
def test_the_certify_profile_runs_the_whole_catalogue_in_containers_and_passes(images: Any, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    project = f"nspcert-test-{secrets.token_hex(3)}"
    mock_port, eoj_port = free_port(), free_port()
    env = os.environ | {"MOCK_NSP_ADMIN_TOKEN": secrets.token_hex(16), "MOCK_NSP_PORT": str(mock_port),
                        "REFERENCE_EOJ_PORT": str(eoj_port), "NSPCERT_REPORTS": str(reports),
                        "NSPCERT_USER": f"{os.getuid()}:{os.getgid()}"}
    compose = [*compose_command(), "-p", project, "-f", str(ROOT / "docker-compose.yml"), "-f", str(HOST_NETWORK),
               "--profile", "certify"]
    try:
        with health_checks_run(images, project):  # `up -d` starts each service once those it needs are healthy
            up = subprocess.run([*compose, "up", "-d"], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
        code, logs = harness_outcome(images, project)
    finally:
        subprocess.run([*compose, "down", "-v"], cwd=ROOT, env=env, capture_output=True, timeout=300, check=False)
    print(logs[-1200:])
    summaries = [path for path in reports.glob("*/summary.json") if not path.parent.is_symlink()]
    errors = [json.loads(path.read_text(encoding="utf-8"))["harness_errors"] for path in summaries]
    assert code == 0, f"exit {code}; {errors}\n{logs[-6000:]}"
    (summary_path,) = summaries
    assert (reports / "latest" / "summary.json").samefile(summary_path)
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    assert summary["counts"]["pass"] >= 100 and summary["counts"]["fail"] == summary["counts"]["error"] == 0
    assert summary["invocation"]["sut"] == f"http://reference-eoj:{eoj_port}"
    assert summary["invocation"]["nsp"] == f"http://nsp:{mock_port}"
    run_dir = summary_path.parent
    for name in ("junit.xml", "certification.html", "evidence.zip", "cucumber.json"):
        assert (run_dir / name).stat().st_uid == os.getuid(), name  # the host user's, not the image's


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("image", [MOCK_IMAGE, HARNESS_IMAGE])
def test_no_build_secret_is_in_an_image(images: Any, image: str, tmp_path: Path) -> None:
    """The CA bundle given to pip as a build secret (PIP_CERT) is in no file of the image."""
    given = os.environ.get("PIP_CERT")
    if not given or not Path(given).is_file():
        pytest.skip("no PIP_CERT was given to the build as a secret")
    secret = Path(given).read_bytes()
    digest = hashlib.sha256(secret).hexdigest()
    container = images.containers.create(image)
    try:
        archive = tmp_path / "image.tar"
        with archive.open("wb") as out:
            for chunk in container.export():
                out.write(chunk)
    finally:
        container.remove(force=True)
    with tarfile.open(archive) as files:
        same = [member.name for member in files if member.isfile() and member.size == len(secret)
                and hashlib.sha256(files.extractfile(member).read()).hexdigest() == digest]  # type: ignore[union-attr]
    assert same == []
    history = json.dumps(images.api.history(image))
    assert secret[:200].decode(errors="ignore") not in history


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize(("image", "module", "source"), [
    (MOCK_IMAGE, "mock_nsp.plane.pipeline", "mock-nsp/mock_nsp/plane/pipeline.py"),
    (HARNESS_IMAGE, "nspcert.catalogue.suite", "nspcert/catalogue/suite.py"),
    (HARNESS_IMAGE, "reference_eoj.service", "reference_eoj/service.py")])
def test_the_images_carry_this_checkouts_code(images: Any, image: str, module: str, source: str) -> None:
    """Built from these sources, not a cached older build of them."""
    probe = f"import hashlib, {module} as m; print(hashlib.sha256(open(m.__file__, 'rb').read()).hexdigest())"
    printed = images.containers.run(image, entrypoint=["python", "-c", probe], remove=True, network_mode="host")
    assert printed.decode().strip() == hashlib.sha256((ROOT / source).read_bytes()).hexdigest()
