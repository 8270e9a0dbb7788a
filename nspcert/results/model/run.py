"""Everything stored about one run, read back from its run directory (what every report is rendered from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from nspcert.catalogue.requirements import Requirement, load_requirements
from nspcert.results.model.layout import load_layout
from nspcert.results.model.records import ScenarioRecord, load_info, load_records, read_json
from nspcert.results.model.waivers import Waiver, load_run_waivers


@dataclass
class RunData:
    """Everything stored about one run."""

    run_dir: Path
    records: list[ScenarioRecord]
    session: dict[str, Any]
    invocation: dict[str, Any]
    info: dict[str, Any]
    requirements: dict[str, Requirement]
    waivers: list[Waiver] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=lambda: {"features": []})
    vendor: dict[str, Any] = field(default_factory=dict)
    #: the language the reports are written in: the one asked for, else the run's own (``--language``), else Danish
    language: str = ""

    @property
    def run_id(self) -> str:
        return str(self.invocation.get("run_id") or self.session.get("run_id") or self.run_dir.name)

    @property
    def run_date(self) -> date:
        return datetime.fromtimestamp(float(self.session.get("started") or 0), tz=UTC).date()


def _optional_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    data = read_json(path)
    return data if isinstance(data, dict) else {}


def load_run(run_dir: Path, language: str | None = None) -> RunData:
    """Read a run directory (raises FileNotFoundError when it holds no results); its reports in ``language``, or
    else in the language the run was started with."""
    if not (run_dir / "results").is_dir():
        raise FileNotFoundError(f"{run_dir}: no results/ directory (not an nspcert run directory)")
    session = _optional_json(run_dir / "session.json")
    run = RunData(
        run_dir=run_dir,
        records=load_records(run_dir),
        session=session,
        invocation=_optional_json(run_dir / "invocation.json"),
        info=load_info(run_dir),
        requirements=_run_requirements(run_dir / "requirements.csv"),
        waivers=load_run_waivers(run_dir),
        layout=load_layout(run_dir),
        vendor=_optional_json(run_dir / "vendor.json"),
    )
    run.language = language or str(session.get("options", {}).get("language") or run.invocation.get("language") or "")
    return run


def _run_requirements(path: Path) -> dict[str, Requirement]:
    """The catalogue the run traced to (copied into the run directory at its start); none when it never got there."""
    return load_requirements(path) if path.is_file() else {}
