"""The lock files (requirements/, written by ``make lock``) cover what the two pyproject.toml files declare.

dev.txt is what the .venv and CI install, harness.txt and mock.txt what the two images install, build.txt the build
backend the images build the wheels with, mutation.txt what make mutants adds. Each must pin every declared dependency at a version the declaration
allows, with hashes, and everything its pins need in turn; the runtime locks must pin the versions dev.txt pins
(an image runs what CI tested). A dependency added to a pyproject.toml without ``make lock`` fails here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
OWN = {"nspcert", "nspcert-mock"}


@dataclass(frozen=True)
class Pin:
    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def version(self) -> str:
        (spec,) = self.requirement.specifier
        return spec.version


def read_lock(name: str) -> dict[str, Pin]:
    """The pins of requirements/<name>.txt by canonical name (continuation lines joined, comments dropped)."""
    text = (LOCKS / name).read_text(encoding="utf-8").replace("\\\n", " ")
    pins: dict[str, Pin] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        requirement, *hashes = re.split(r"\s+--hash=", line)
        parsed = Requirement(requirement)
        assert [s.operator for s in parsed.specifier] == ["=="], f"{name}: not pinned: {requirement}"
        pins[canonicalize_name(parsed.name)] = Pin(parsed, tuple(hashes))
    return pins


def project(path: str) -> dict[str, Any]:
    return dict(tomllib.loads((ROOT / path / "pyproject.toml").read_text(encoding="utf-8")))


def declared(lock: str) -> list[Requirement]:
    """What a lock must cover: the declarations of the distributions (and extras, build backend) it is for."""
    mock, harness = project("mock-nsp"), project(".")
    runtime = [*mock["project"]["dependencies"], *harness["project"]["dependencies"]]
    chosen = {
        "mock.txt": mock["project"]["dependencies"],
        "harness.txt": runtime,
        "dev.txt": [*runtime, *harness["project"]["optional-dependencies"]["dev"],
                    *harness["project"]["optional-dependencies"]["docker"]],
        "build.txt": [*mock["build-system"]["requires"], *harness["build-system"]["requires"]],
        "mutation.txt": [*runtime, *(dep for extra in harness["project"]["optional-dependencies"].values()
                                     for dep in extra)],
    }[lock]
    return [r for r in map(Requirement, chosen) if canonicalize_name(r.name) not in OWN]


LOCK_FILES = ["dev.txt", "harness.txt", "mock.txt", "build.txt", "mutation.txt"]


@pytest.mark.parametrize("lock", LOCK_FILES)
def test_the_lock_pins_every_declared_dependency_at_an_allowed_version(lock: str) -> None:
    pins = read_lock(lock)
    problems = []
    for requirement in declared(lock):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement} is declared but not in requirements/{lock}")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{requirement} is declared but requirements/{lock} pins {pin.version}")
        elif requirement.marker is not None and str(requirement.marker) != str(pin.requirement.marker):
            problems.append(f"{requirement}: the lock's marker is {pin.requirement.marker}")
    assert not problems, "; ".join(problems) + " (run make lock)"


@pytest.mark.parametrize("lock", LOCK_FILES)
def test_every_pin_has_hashes_and_none_is_of_this_repository(lock: str) -> None:
    pins = read_lock(lock)
    assert pins and not OWN & set(pins)  # the projects themselves are installed from the checkout or their wheels
    assert not [name for name, pin in pins.items() if not pin.hashes or not all(
        re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in pin.hashes)]


def test_make_mutants_adds_to_what_ci_tested() -> None:
    dev, mutation = read_lock("dev.txt"), read_lock("mutation.txt")
    assert {name: pin.version for name, pin in dev.items()} == {name: mutation[name].version for name in dev}


@pytest.mark.parametrize("lock", ["harness.txt", "mock.txt", "build.txt"])
def test_the_images_pin_what_ci_tested(lock: str) -> None:
    dev = read_lock("dev.txt")
    differ = {name: (pin.version, dev[name].version if name in dev else None)
              for name, pin in read_lock(lock).items() if name not in dev or dev[name].version != pin.version}
    assert differ == {}, f"requirements/{lock} pins other versions than dev.txt: {differ} (run make lock)"


@pytest.mark.parametrize("lock", ["dev.txt", "harness.txt", "mock.txt"])
def test_everything_the_pins_need_is_pinned_too(lock: str) -> None:
    """Read from the installed distributions (the .venv is installed from dev.txt): each pin's own requirements on
    this platform, without extras, are in the same lock at an allowed version, so pip installs nothing unlocked."""
    pins = read_lock(lock)
    environment = default_environment() | {"extra": ""}
    problems = []
    for name, pin in pins.items():
        if pin.requirement.marker is not None and not pin.requirement.marker.evaluate(environment):
            continue  # not for this platform
        installed = metadata.version(name)
        assert installed == pin.version, f"{name} {installed} is installed, the lock pins {pin.version}: make"
        for needed in map(Requirement, metadata.requires(name) or []):
            if needed.marker is not None and not needed.marker.evaluate(environment):
                continue
            found = pins.get(canonicalize_name(needed.name))
            if found is None or not needed.specifier.contains(found.version, prereleases=True):
                problems.append(f"{name} needs {needed}: {found.version if found else 'not pinned'}")
    assert not problems, problems


def test_the_lock_says_how_to_regenerate_it() -> None:
    for lock in LOCK_FILES:
        assert "#    make lock" in (LOCKS / lock).read_text(encoding="utf-8").splitlines()[1], lock
