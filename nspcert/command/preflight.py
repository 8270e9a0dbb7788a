"""What `nspcert run` checks before it starts anything: settings that cannot work are a configuration error.

A mock NSP that does not answer or a Docker engine that is not there would otherwise surface mid-run as a harness *error* (exit 3) or, for the waiver, not
at all. These checks turn them into exit 2 with a message that says what to fix, and no run directory.
"""

from __future__ import annotations

HEALTH = "/__admin/health"


class PreflightError(ValueError):
    """The run cannot start as configured (exit 2)."""


def check_nsp(target: str) -> None:
    """A URL must answer the mock's health route; "docker" needs a Docker engine. "embedded" needs nothing."""
    if target.startswith(("http://", "https://")):
        _check_url(target)
    elif target == "docker":
        from nspcert.catalogue.fixtures.docker_nsp import docker_engine_problem

        problem = docker_engine_problem()
        if problem:
            raise PreflightError(f"--nsp docker: {problem}. Start Docker, or use --nsp embedded")


def _check_url(url: str) -> None:
    import httpx

    health = url.rstrip("/") + HEALTH
    try:
        status = httpx.get(health, timeout=3.0).status_code
    except httpx.HTTPError as problem:
        raise PreflightError(f"--nsp {url}: no mock NSP answers at {health} ({type(problem).__name__}: {problem}). "
                             "Start it (nspcert mock --port PORT) or correct the URL") from problem
    if status != 200:
        raise PreflightError(f"--nsp {url}: {health} answered HTTP {status}, not 200: is this the mock NSP?")
