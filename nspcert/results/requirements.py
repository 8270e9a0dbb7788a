"""The requirement catalogue as the reports need it (id → title, text, severity, capability, …).

Uses the catalogue's own loader (``nspcert.catalogue.requirements.load_requirements``) when it exists and
falls back to reading ``requirements.csv`` directly, so reports never depend on the catalogue gate passing.
"""

from __future__ import annotations

import csv
import importlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Requirement:
    """One row of features/requirements.csv."""

    id: str
    level: str = ""
    area: str = ""
    title: str = ""
    text: str = ""
    source: str = ""
    conformance: str = ""
    severity: str = ""
    capability: str = ""
    not_tested_reason: str = ""
    title_da: str = ""
    text_da: str = ""

    def worded(self, language: str) -> tuple[str, str]:
        """(title, text) in ``language``: Danish from ``title_da``/``text_da``, English where they are empty."""
        if language == "da":
            return self.title_da or self.title, self.text_da or self.text
        return self.title, self.text


_ALIASES = {"requirement text": "text", "requirement": "text", "requirement_text": "text"}


def load_requirements(path: Path) -> dict[str, Requirement]:
    """Requirements by id; an empty mapping when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        loader = importlib.import_module("nspcert.catalogue.requirements").load_requirements
        return {key: _convert(value) for key, value in loader(path).items()}
    except Exception:  # noqa: BLE001 - the catalogue loader may be absent or strict; the CSV is enough here
        return _read_csv(path)


def _convert(obj: Any) -> Requirement:
    return Requirement(**{f.name: str(getattr(obj, f.name, "") or "") for f in fields(Requirement)})


def _read_csv(path: Path) -> dict[str, Requirement]:
    names = {f.name for f in fields(Requirement)}
    out: dict[str, Requirement] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            clean = {_ALIASES.get(k.strip().lower(), k.strip().lower()): (v or "").strip()
                     for k, v in row.items() if k}
            if clean.get("id"):
                out[clean["id"]] = Requirement(**{k: v for k, v in clean.items() if k in names})
    return out
