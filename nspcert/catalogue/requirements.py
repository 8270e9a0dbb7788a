"""Load `features/requirements.csv`, the catalogue of requirements every scenario traces to (SPEC §6).

    reqs = load_requirements(requirements_csv())
    reqs["FSK-CERT-FGVH-01"].severity   # "F1"
    reqs["FSK-CERT-FGVH-01"].title_da   # "Fravalg vises med symbolet" (the report is Danish by default)

Every row has its title and text in English (``title``, ``text``) and in Danish (``title_da``, ``text_da``, the
last columns): the certification report is written in MedCom's language unless ``--language en`` is asked for.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from nspcert.catalogue.files import requirements_csv

COLUMNS = (
    "id", "level", "area", "title", "text", "source", "conformance", "severity", "capability", "not_tested_reason",
    "title_da", "text_da",
)
ID_PATTERN = re.compile(r"^FSK-(SIT|CERT|E2E)-[A-Z0-9]+-\d{2}$")
LEVELS = ("SIT", "CERT", "E2E")
CONFORMANCE = ("SHALL", "SHOULD")
SEVERITIES = ("F1", "F2", "F3", "F4")
CAPABILITIES = ("", "stamkort.write", "minlog", "identity-masking", "clock", "citizen-view", "overview")


class CatalogueError(ValueError):
    """The requirements catalogue itself is malformed."""


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    level: str
    area: str
    title: str
    text: str
    source: str
    conformance: str
    severity: str
    capability: str
    not_tested_reason: str
    title_da: str
    text_da: str

    @property
    def mandatory(self) -> bool:
        return self.conformance == "SHALL"


def load_requirements(path: Path) -> dict[str, Requirement]:
    """Read and validate the catalogue; raise :class:`CatalogueError` naming the row that is wrong."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise CatalogueError(f"{path}: columns must be {', '.join(COLUMNS)}; found {reader.fieldnames}")
        requirements: dict[str, Requirement] = {}
        for line, row in enumerate(reader, start=2):
            requirement = Requirement(**{column: (row[column] or "").strip() for column in COLUMNS})
            _validate(requirement, f"{path}:{line}")
            if requirement.id in requirements:
                raise CatalogueError(f"{path}:{line}: duplicate requirement id {requirement.id}")
            requirements[requirement.id] = requirement
    return requirements


def _validate(requirement: Requirement, where: str) -> None:
    problems = [
        f"id {requirement.id!r} does not match FSK-<SIT|CERT|E2E>-<AREA>-<nn>"
        for _ in [0] if not ID_PATTERN.match(requirement.id)
    ]
    if requirement.level not in LEVELS or not requirement.id.startswith(f"FSK-{requirement.level}-"):
        problems.append(f"level {requirement.level!r} must be one of {LEVELS} and match the id")
    if requirement.conformance not in CONFORMANCE:
        problems.append(f"conformance {requirement.conformance!r} must be one of {CONFORMANCE}")
    if requirement.severity not in SEVERITIES:
        problems.append(f"severity {requirement.severity!r} must be one of {SEVERITIES}")
    if requirement.capability not in CAPABILITIES:
        problems.append(f"capability {requirement.capability!r} must be one of {CAPABILITIES}")
    if not requirement.title or not requirement.text:
        problems.append("title and text are required")
    if not requirement.title_da or not requirement.text_da:
        problems.append("title_da and text_da are required: the report is Danish by default (MedCom's language); "
                        "translate the English title and text faithfully")
    if problems:
        raise CatalogueError(f"{where}: " + "; ".join(problems))


@functools.cache
def catalogue() -> dict[str, Requirement]:
    """The shipped catalogue (nspcert/catalogue/features/requirements.csv), read once per process."""
    return load_requirements(requirements_csv())
