"""The evidence API: how fixtures hand the reports what happened in a scenario.

Everything here is a no-op unless the run asks for reports (``--nspcert-report-dir DIR``), except that
exchanges are also attached to Allure when ``--alluredir`` is given. Entries are redacted first
(:mod:`nspcert.results.collect.redact`). Usage from a fixture (``request`` is pytest's ``FixtureRequest``)::

    from nspcert.results import record_exchanges, record_sut_info, record_version, record_test_cprs

    record_sut_info(request, driver.capabilities())        # {"system", "version", "vendor", "capabilities": [...]}
    record_version(request, "mock_nsp", health["version"])  # shown in the versions table
    record_test_cprs(request, ["0101601234"])               # CPRs the harness created in the mock: synthetic
    ...
    record_exchanges(request, journal["entries"])           # at the end of the scenario (fixture teardown)

or through the ``scenario_evidence`` fixture (:mod:`nspcert.results.collect.scenario_evidence`)::

    def test_x(scenario_evidence):
        scenario_evidence.add_exchange(entry)
        scenario_evidence.add_file("shot.png", "FGVH symbol on screen", direction="R")

Attribution to a Gherkin step: an exchange recorded *while a step runs* belongs to that step; one recorded
later (e.g. the whole journal in fixture teardown) belongs to the step whose wall-clock window contains its
``received_at`` time, the real time the mock received it (or the last step that started before it); ``at``,
the mock's settable clock, is used only for an entry without ``received_at``; without either it belongs to
the last step that ran. ``step=`` (0-based, background steps included) overrides all of this.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from nspcert.results.collect.redact import redact_exchange
from nspcert.results.model.records import ATTACHMENTS, RESULTS, ExchangeRecord, FileRecord, ScenarioRecord, write_json
from nspcert.results.model.waivers import Waiver

__all__ = [
    "RunContext",
    "record_exchanges",
    "record_file",
    "record_sut_info",
    "record_test_cprs",
    "record_version",
]


@dataclass
class RunContext:
    """Per-process state of a reporting run (stored on ``config.stash``)."""

    run_dir: Path
    worker: str
    info: dict[str, Any] = field(default_factory=lambda: {"sut": {}, "versions": {}, "test_cprs": []})
    waivers: list[Waiver] = field(default_factory=list)
    run_date: date = field(default_factory=lambda: datetime.now(UTC).date())  # the date waivers are judged on

    def save_info(self) -> None:
        write_json(self.run_dir / RESULTS / f"info-{self.worker}.json", self.info)


@dataclass
class ScenarioState:
    """Per-item state while a scenario runs (stored on ``item.stash``)."""

    record: ScenarioRecord
    current_step: int | None = None
    last_step: int = 0
    screens_seen: list[Any] = field(default_factory=list)  # the Screen objects of record.screens, by position
    waived: bool = False  # the failing phase was reported to pytest as a waived skip

    @property
    def step_index(self) -> int:
        """The running step, else the last one that ran: what a recorded fact belongs to."""
        return self.current_step if self.current_step is not None else self.last_step


RUN_KEY = pytest.StashKey[RunContext]()
_ALLURE_COUNT = pytest.StashKey[int]()
#: exchanges per scenario attached to allure in full: enough for a dashboard; evidence.zip holds every one
ALLURE_EXCHANGES = 25
STATE_KEY = pytest.StashKey[ScenarioState]()

Node = pytest.Item | pytest.FixtureRequest
Configish = pytest.Config | pytest.Item | pytest.FixtureRequest


def _item(node: Node) -> pytest.Item:
    if isinstance(node, pytest.FixtureRequest):
        item = node.node
        assert isinstance(item, pytest.Item), "record_* needs a function-scoped request"
        return item
    return node


def _config(obj: Configish) -> pytest.Config:
    return obj if isinstance(obj, pytest.Config) else obj.config


def run_context(obj: Configish) -> RunContext | None:
    """The reporting run of this process, or None when reports were not asked for."""
    return _config(obj).stash.get(RUN_KEY, None)


def record_exchanges(node: Node, entries: Iterable[Mapping[str, Any]], *, step: int | None = None) -> None:
    """Hand over mock NSP journal entries recorded during the current scenario (redacted here)."""
    item = _item(node)
    redacted = [redact_exchange(dict(e)) for e in entries]
    _attach_to_allure(item, redacted)
    state = item.stash.get(STATE_KEY, None)
    if state is None or run_context(item) is None:
        return
    for entry in redacted:
        target = step if step is not None else attribute_step(state, entry)
        state.record.exchanges.append(ExchangeRecord(step=target, entry=entry))


def record_test_data(node: Node, text: str) -> None:
    """Name the test data or test person of the running step (the protocol's "Test data/test person")."""
    state = _item(node).stash.get(STATE_KEY, None)
    if state is None or not state.record.steps:
        return
    step = state.record.steps[state.step_index]
    step.data = "\n".join(part for part in (step.data, text) if part)


def record_file(node: Node, path: str | Path, description: str, *, direction: str = "S",
                step: int | None = None) -> None:
    """Hand over a file of evidence (copied into the run); ``direction`` S = SUT sends/shows, R = receives."""
    item = _item(node)
    source = Path(path)
    _attach_file_to_allure(item.config, source, description)
    ctx, state = run_context(item), item.stash.get(STATE_KEY, None)
    if ctx is None or state is None:
        return
    stored = Path(ATTACHMENTS) / f"{state.record.key}-{len(state.record.files)}{source.suffix}"
    (ctx.run_dir / RESULTS / stored).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, ctx.run_dir / RESULTS / stored)
    target = step if step is not None else state.step_index
    state.record.files.append(FileRecord(step=target, stored=str(stored), name=source.name, description=description,
                                         direction="R" if direction.upper() == "R" else "S"))


def record_sut_info(obj: Configish, capabilities: Mapping[str, Any]) -> None:
    """Hand over the SUT's capabilities answer (system, version, vendor, capabilities)."""
    ctx = run_context(obj)
    if ctx is not None:
        ctx.info["sut"].update(dict(capabilities))
        ctx.save_info()


def record_version(obj: Configish, component: str, version: str) -> None:
    """Hand over the version of a component (e.g. ``mock_nsp``, ``reference_eoj``, ``driver_contract``)."""
    ctx = run_context(obj)
    if ctx is not None:
        ctx.info["versions"][component] = version
        ctx.save_info()


def record_test_cprs(obj: Configish, cprs: Iterable[str]) -> None:
    """Hand over CPR numbers the harness made: with a test's ``request`` (or item) for that scenario's evidence,
    with ``config`` for the whole run (session-scoped people). Only these count as synthetic by provenance."""
    made = {c.replace("-", "") for c in cprs}
    item = _scenario_item(obj)
    state = item.stash.get(STATE_KEY, None) if item is not None else None
    if state is not None:
        state.record.test_cprs = sorted(set(state.record.test_cprs) | made)
        return
    ctx = run_context(obj)
    if ctx is not None:  # a scenario whose record was never started (no step ran) counts its people run-wide
        ctx.info["test_cprs"] = sorted(set(ctx.info["test_cprs"]) | made)
        ctx.save_info()


def _scenario_item(obj: Configish) -> pytest.Item | None:
    node = obj.node if isinstance(obj, pytest.FixtureRequest) else obj
    return node if isinstance(node, pytest.Item) else None


def attribute_step(state: ScenarioState, entry: Mapping[str, Any]) -> int:
    """The step an exchange belongs to (see the module docstring)."""
    if state.current_step is not None:
        return state.current_step
    at = _epoch(entry.get("received_at") or entry.get("at"))
    started = [(s.started, s.index) for s in state.record.steps if s.started is not None]
    if at is None or not started:
        return state.last_step
    before = [index for start, index in started if start <= at]
    return before[-1] if before else started[0][1]


def _epoch(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.timestamp() if parsed.tzinfo else time.mktime(parsed.timetuple())


def _allure_active(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "allure_report_dir", None))


def _attach_to_allure(item: pytest.Item, entries: list[dict[str, Any]]) -> None:
    """Attach the first ALLURE_EXCHANGES exchanges of a scenario in full, and an index line for each one after."""
    if not entries or not _allure_active(item.config):
        return
    attached = item.stash.get(_ALLURE_COUNT, 0)
    room = max(0, ALLURE_EXCHANGES - attached)
    item.stash[_ALLURE_COUNT] = attached + len(entries)
    for entry in entries[:room]:
        _attach_exchange(entry)
    if len(entries) > room:
        index = "\n".join(f"{_label(entry)} HTTP {entry.get('status', '?')}" for entry in entries[room:])
        _attach(f"{len(entries) - room} more exchanges (bodies in evidence.zip)\n{index}",
                "more exchanges of this scenario", "text")


def _label(entry: dict[str, Any]) -> str:
    return f"{entry.get('service', '?')} {entry.get('operation', '')} #{entry.get('id', '')}".strip()


def _attach_exchange(entry: dict[str, Any]) -> None:
    for side, who in (("request", "SUT sends"), ("response", "SUT receives")):
        body = str((entry.get(side) or {}).get("body", ""))
        _attach(body, f"{_label(entry)} {side} ({who})", "xml" if body.lstrip().startswith("<") else "text")


def _attach(body: str, name: str, kind: str) -> None:
    import allure

    types = {"xml": allure.attachment_type.XML, "text": allure.attachment_type.TEXT, "json": allure.attachment_type.JSON}
    with contextlib.suppress(Exception):  # a reporting add-on must never break a scenario
        allure.attach(body, name=name, attachment_type=types[kind])


def _attach_file_to_allure(config: pytest.Config, source: Path, description: str) -> None:
    if _allure_active(config):
        import allure

        with contextlib.suppress(Exception):
            allure.attach.file(str(source), name=description)  # type: ignore[no-untyped-call]
