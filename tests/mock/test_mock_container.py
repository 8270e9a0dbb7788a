"""The container definition, checked without a Docker engine: docker-compose.yml runs the service `mock-nsp`
from mock_nsp/Dockerfile with a required admin token and a health check on /__admin/health, and the
Dockerfile installs the project from pyproject.toml (one dependency list) with everything the mock imports."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MOCK = ROOT / "mock-nsp"


# --- a strict reader of the YAML the compose file uses (no YAML library is a dependency) ----------------------
def read_compose(text: str) -> dict[str, Any]:
    """Block mappings and sequences by indentation, plain or double-quoted scalars, JSON-style flow sequences
    (which may span lines). Anything else fails loudly, so a compose edit the reader cannot follow is seen."""
    lines = _logical_lines(text)
    value, rest = _block(lines, 0)
    assert not rest, f"unparsed compose lines: {rest[:3]}"
    assert isinstance(value, dict)
    return value


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pending = ""
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if pending:
            pending += " " + raw.strip()
        else:
            pending = raw
        if pending.count("[") == pending.count("]"):
            out.append((len(pending) - len(pending.lstrip()), pending.strip()))
            pending = ""
    assert not pending, f"unclosed flow sequence: {pending}"
    return out


def _block(lines: list[tuple[int, str]], indent: int) -> tuple[Any, list[tuple[int, str]]]:
    if lines and lines[0][0] == indent and lines[0][1].startswith("- "):
        items = []
        while lines and lines[0][0] == indent and lines[0][1].startswith("- "):
            items.append(_scalar(lines[0][1][2:]))
            lines = lines[1:]
        return items, lines
    mapping: dict[str, Any] = {}
    while lines and lines[0][0] == indent:
        key, sep, value = lines[0][1].partition(":")
        assert sep and re.fullmatch(r"[A-Za-z0-9_.-]+", key), f"not a mapping key: {lines[0][1]!r}"
        lines = lines[1:]
        if value.strip():
            mapping[key] = _scalar(value.strip())
        elif lines and lines[0][0] > indent:
            mapping[key], lines = _block(lines, lines[0][0])
        else:
            mapping[key] = None
    return mapping, lines


def _scalar(text: str) -> Any:
    if text.startswith(("[", '"')):
        return json.loads(text)
    assert not text.startswith(("{", "'", "&", "*", "!", "|", ">")), f"YAML the reader does not follow: {text!r}"
    return text


# --- the compose file ----------------------------------------------------------------------------------------
def _service() -> dict[str, Any]:
    compose = read_compose((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return dict(compose["services"]["mock-nsp"])


def test_the_compose_service_builds_the_mock_from_its_dockerfile() -> None:
    service = _service()
    assert service["build"] == {"context": "./mock-nsp", "dockerfile": "Dockerfile"}
    assert (ROOT / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])  # not published beyond the host


def test_the_admin_token_must_be_set_there_is_no_default() -> None:
    token = _service()["environment"]["MOCK_NSP_ADMIN_TOKEN"]
    assert re.fullmatch(r"\$\{MOCK_NSP_ADMIN_TOKEN:\?[^}]+\}", token), token  # `:?` makes compose refuse to start


def test_the_compose_health_check_asks_the_mocks_health_route() -> None:
    check = _service()["healthcheck"]
    assert check["test"][0] == "CMD" and "http://127.0.0.1:8080/__admin/health" in " ".join(check["test"])


# --- the Dockerfile ------------------------------------------------------------------------------------------
def _instructions() -> list[tuple[str, str]]:
    text = (MOCK / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_dockerfile_installs_the_mocks_own_distribution() -> None:
    steps = _instructions()
    copied = [args.split() for op, args in steps if op == "COPY"]
    assert ["pyproject.toml", "README.md", "/app/"] in copied
    installs = [args for op, args in steps if op == "RUN" and "pip install" in args]
    assert installs == ["pip install /app"], installs  # the project, not a package list of its own
    for sources in copied:
        assert all((MOCK / source).exists() for source in sources[:-1]), sources
    assert not any("nspcert" in source for sources in copied for source in sources), "the harness is not in the image"


def test_the_image_checks_health_and_runs_the_mock() -> None:
    steps = dict(_instructions())
    assert "http://127.0.0.1:8080/__admin/health" in steps["HEALTHCHECK"]
    assert json.loads(steps["CMD"])[:3] == ["python", "-m", "mock_nsp"]
    assert steps["FROM"] == "${BASE_IMAGE}" and "BASE_IMAGE=python:3.11-slim" in steps["ARG"]


def test_everything_the_mock_imports_is_a_declared_dependency() -> None:
    """What `pip install /app` brings is the mock's own dependency list: the mock must need nothing else, and nothing
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
