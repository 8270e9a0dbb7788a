"""What `nspcert run` checks before it starts anything: settings that cannot work are a configuration error.

A mock NSP that does not answer, a Docker engine that is not there, or a waiver naming a requirement the
catalogue does not have would otherwise surface mid-run as a harness *error* (exit 3) or, for the waiver, not
at all. These checks turn them into exit 2 with a message that says what to fix, and no run directory.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

HEALTH = "/__admin/health"


class PreflightError(ValueError):
    """The run cannot start as configured (exit 2)."""


def check_nsp(target: str) -> None:
    """A URL must answer the mock's health route; "docker" needs a Docker engine. "embedded" needs nothing."""
    if target.startswith(("http://", "https://")):
        _check_url(target)
    elif target == "docker":
        problem = docker_problem()
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


def docker_problem() -> str | None:
    """None when a Docker engine answers, else why not."""
    try:
        import docker

        docker.from_env().ping()
    except Exception as problem:  # noqa: BLE001 - any failure means "no engine here"
        return f"no Docker engine answers ({type(problem).__name__}: {problem})"
    return None


def check_waiver_ids(requirements: Iterable[str], catalogue: Path) -> None:
    """Every requirement a waiver names must be in the catalogue: a typo would silently waive nothing."""
    from nspcert.catalogue.requirements import load_requirements

    known = list(load_requirements(catalogue)) if catalogue.is_file() else []
    if not known:
        return  # no catalogue to check against (the run itself will say so)
    unknown = [rid for rid in dict.fromkeys(requirements) if rid not in known]
    if unknown:
        hints = [_hint(rid, known) for rid in unknown]
        raise PreflightError(f"waivers name requirement(s) not in {catalogue}: {'; '.join(hints)}")


def _hint(rid: str, known: list[str]) -> str:
    close = difflib.get_close_matches(rid, known, n=1)
    return f'{rid} (did you mean "{close[0]}"?)' if close else rid
