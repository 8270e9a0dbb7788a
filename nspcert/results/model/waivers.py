"""Waivers: a reviewer's decision that a failed requirement does not count against this run.

A waiver file is JSON (a list, or ``{"waivers": [...]}``) or CSV with a header row. Every waiver names::

    requirement   the requirement id, e.g. FSK-CERT-FGVH-03
    reason        why the failure is accepted
    reviewer      who decided (name or initials)
    date          when (ISO date, YYYY-MM-DD)
    expires       optional ISO date; an expired waiver is listed but not applied

A *fail* is waived when every requirement it breaks (the NonConformance's requirement, else the scenario's
``@req:`` tags) has a waiver in force. Errors and not-applicable verdicts are never waived.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "waivers.json"
_REQUIRED = ("requirement", "reason", "reviewer", "date")
_ALIASES = {"requirement_id": "requirement", "id": "requirement", "req": "requirement"}


class WaiverError(ValueError):
    """The waiver file cannot be used (a configuration error: exit code 2)."""


@dataclass(frozen=True)
class Waiver:
    requirement: str
    reason: str
    reviewer: str
    date: str
    expires: str = ""

    def in_force(self, on: dt.date) -> bool:
        return not self.expires or dt.date.fromisoformat(self.expires) >= on


def load_waivers(path: Path) -> list[Waiver]:
    """Read and validate a waiver file."""
    if not path.is_file():
        raise WaiverError(f"{path}: no such file")
    try:
        rows = _read_csv(path) if path.suffix.lower() == ".csv" else _read_json(path)
    except (OSError, ValueError, csv.Error) as exc:
        raise WaiverError(f"{path}: cannot be read: {exc}") from exc
    return [_parse(path, i, row) for i, row in enumerate(rows, start=1)]


def _read_json(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError('expected a list of waivers or {"waivers": [...]}')
    return rows


def _read_csv(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _parse(path: Path, index: int, row: dict[str, Any]) -> Waiver:
    clean = {_ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): str(v or "").strip()
             for k, v in row.items() if k is not None}
    missing = [key for key in _REQUIRED if not clean.get(key)]
    if missing:
        raise WaiverError(f"{path}: waiver {index} lacks {', '.join(missing)} (needs {', '.join(_REQUIRED)})")
    for key in ("date", "expires"):
        if clean.get(key):
            try:
                dt.date.fromisoformat(clean[key])
            except ValueError as exc:
                raise WaiverError(f"{path}: waiver {index}: {key} {clean[key]!r} is not an ISO date") from exc
    return Waiver(**{k: clean.get(k, "") for k in ("requirement", "reason", "reviewer", "date", "expires")})


def save_waivers(run_dir: Path, waivers: list[Waiver]) -> None:
    """Copy the waivers into the run, so a re-render applies the same ones."""
    (run_dir / FILE_NAME).write_text(json.dumps([asdict(w) for w in waivers], indent=2), encoding="utf-8")


def load_run_waivers(run_dir: Path) -> list[Waiver]:
    path = run_dir / FILE_NAME
    return load_waivers(path) if path.is_file() else []


def find_waiver(requirements: list[str], waivers: list[Waiver], on: dt.date) -> Waiver | None:
    """The waiver that covers all ``requirements`` (the first one found), or None."""
    in_force = {w.requirement: w for w in waivers if w.in_force(on)}
    if not requirements or any(r not in in_force for r in requirements):
        return None
    return in_force[requirements[0]]


def failing_requirements(nonconformance: dict[str, Any] | None, requirements: list[str]) -> list[str]:
    """The requirements a fail breaks: the NonConformance's own (comma-separated), else the scenario's tags."""
    named = (nonconformance or {}).get("requirement", "")
    ids = [r.strip() for r in str(named).split(",") if r.strip()]
    return ids or list(requirements)


def check_waiver_ids(requirements: Iterable[str], catalogue: Path) -> None:
    """Every requirement a waiver names must be in the catalogue: a typo would silently waive nothing."""
    from nspcert.catalogue.requirements import load_requirements

    known = list(load_requirements(catalogue)) if catalogue.is_file() else []
    if not known:
        return  # no catalogue to check against (the run itself will say so)
    unknown = [rid for rid in dict.fromkeys(requirements) if rid not in known]
    if unknown:
        hints = [_hint(rid, known) for rid in unknown]
        raise WaiverError(f"waivers name requirement(s) not in {catalogue}: {'; '.join(hints)}")


def _hint(rid: str, known: list[str]) -> str:
    close = difflib.get_close_matches(rid, known, n=1)
    return f'{rid} (did you mean "{close[0]}"?)' if close else rid
