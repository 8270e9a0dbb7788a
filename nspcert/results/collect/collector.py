"""pytest hooks that turn a catalogue run into stored results and reports.

Options (all in the "nspcert" group; the fixtures read the ``dest`` names with ``config.getoption``)::

    --nspcert-report-dir DIR   write results and reports to DIR (without it these hooks do nothing);
                               also defaults --junitxml, --cucumberjson and --alluredir into DIR
    --sut / --nspcert-sut      reference | URL | manual            dest nspcert_sut (default "reference")
    --nsp / --nspcert-nsp      embedded | docker | URL             dest nspcert_nsp (default "embedded")
    --reference-defects A,B    seeded defects of the reference EOJ dest nspcert_reference_defects
    --reference-variants A,B   allowed variants of the reference EOJ dest nspcert_reference_variants
    --nspcert-config FILE      the harness settings file            dest nspcert_config
    --nspcert-level LEVEL      recorded in the report (selection itself is -m sit/cert/e2e)
    --nspcert-test-type T      self-test | certification            dest nspcert_test_type
    --nspcert-waivers FILE     waivers (JSON or CSV), see nspcert.results.model.waivers
    --nspcert-requirements F   requirements.csv (default <rootdir>/features/requirements.csv)
    --nspcert-test-cprs FILE   extra synthetic CPRs, one a line, for the evidence check
    --nspcert-run-id ID        the run id (default: the report directory's name)

Verdict rules: :mod:`nspcert.results.model.verdicts`. Under xdist each worker writes its own scenario records;
the controller builds the reports at the end of the session.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from nspcert.checks import NonConformance
from nspcert.evidence import recording
from nspcert.results.collect.options import pytest_addoption  # noqa: F401 - the plugin's options (pluggy finds it here)
from nspcert.results.collect.phases import apply_phase, waive_report
from nspcert.results.collect.progress import attach as attach_progress
from nspcert.results.collect.recorder import (
    RUN_KEY,
    STATE_KEY,
    RunContext,
    ScenarioState,
    run_context,
)
from nspcert.results.collect.scenario_evidence import ScenarioEvidence
from nspcert.results.collect.session import SessionTracker, default_report_paths, features_dir, prepare_run_dir
from nspcert.results.model.records import ScenarioRecord, StepRecord, save_record
from nspcert.results.model.waivers import WaiverError, load_waivers


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    report_dir = config.getoption("nspcert_report_dir")
    if not report_dir:
        return
    run_dir = Path(report_dir).resolve()
    workerinput = getattr(config, "workerinput", {})
    config.stash[RUN_KEY] = ctx = RunContext(run_dir=run_dir, worker=str(workerinput.get("workerid", "main")))
    if "nspcert_run_date" in workerinput:  # the controller's date: every worker judges waivers on the same day
        ctx.run_date = date.fromisoformat(workerinput["nspcert_run_date"])
    waivers = config.getoption("nspcert_waivers")
    if waivers and Path(waivers).is_file():
        with contextlib.suppress(WaiverError):  # the controller refuses an invalid file (prepare_run_dir)
            ctx.waivers = load_waivers(Path(waivers))
    if _is_worker(config):
        default_report_paths(config.option, run_dir, controller=False)
        return
    prepare_run_dir(config, run_dir)
    config.pluginmanager.register(SessionTracker(config, config.stash[RUN_KEY]), "nspcert-session")
    attach_progress(config, run_dir)


@pytest.fixture(autouse=True)
def scenario_evidence(request: pytest.FixtureRequest) -> Iterator[ScenarioEvidence]:
    """The scenario's evidence, bound while the scenario runs as the recorder of :mod:`nspcert.evidence`: fixtures
    hand it exchanges and files, and every screen the harness reads and what every passing check received become
    evidence of the step running (nothing is recorded without a report directory)."""
    item = _request_item(request)
    with recording(ScenarioEvidence(request, _state(item) if item is not None else None)) as evidence:
        yield evidence


# --- scenario and step tracking ------------------------------------------------------------------------------


EXAMPLE_PARAM = "_pytest_bdd_example"


def _example(item: pytest.Item) -> tuple[dict[str, str], int | None]:
    """An outline's example row and its index in the outline (pytest-bdd parametrizes in table order)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None or EXAMPLE_PARAM not in callspec.params:
        return {}, None
    return {str(k): str(v) for k, v in dict(callspec.params[EXAMPLE_PARAM]).items()}, callspec.indices[EXAMPLE_PARAM]


def _template(item: pytest.Item) -> Any:
    """The pytest-bdd scenario an item runs (None for a plain test). pytest-bdd has no documented way to ask an item
    for its scenario before it runs, so this reads its registry and its outline parameter, both pinned by
    tests/results/test_pytest_bdd_pins.py: an upgrade that moves them fails there, loudly, not as a thinner report."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", _template))
    return template.render(_example(item)[0]) if template is not None else None


def _steps_of(scenario: Any) -> list[StepRecord]:
    return [StepRecord(index=i, keyword=s.keyword.strip(), type=s.type, name=s.name, line=s.line_number,
                       data=_step_data(s)) for i, s in enumerate(scenario.steps)]


def _step_data(step: Any) -> str:
    if step.docstring:
        return str(step.docstring)
    if step.datatable is not None:
        return "\n".join(" | ".join(c.value for c in row.cells) for row in step.datatable.rows)
    return ""


def _new_record(item: pytest.Item) -> ScenarioRecord:
    scenario = _template(item)
    marks = [str(m.args[0]) for m in item.iter_markers("requirement") if m.args]
    if scenario is None:
        path = item.location[0]
        return ScenarioRecord(nodeid=item.nodeid, feature={"name": path, "rel_filename": path, "tags": []},
                              scenario={"name": item.name, "line": item.location[1] or 0, "description": ""},
                              requirements=list(dict.fromkeys(marks)), started=time.time())
    feature = scenario.feature
    tags = sorted(set(scenario.tags) | set(feature.tags))
    requirements = [t[len("req:"):] for t in sorted(scenario.tags | feature.tags) if t.startswith("req:")]
    example, example_index = _example(item)
    return ScenarioRecord(
        nodeid=item.nodeid, example=example, example_index=example_index,
        feature={"name": feature.name, "rel_filename": feature.rel_filename, "description": feature.description,
                 "tags": sorted(feature.tags), "line": feature.line_number,
                 "path": _catalogue_path(item.config, feature.filename, feature.rel_filename)},
        scenario={"name": scenario.name, "line": scenario.line_number, "description": scenario.description or "",
                  "keyword": scenario.keyword},
        requirements=list(dict.fromkeys(requirements + marks)),
        tags=tags,
        steps=_steps_of(scenario),
        started=time.time(),
    )


def _catalogue_path(config: pytest.Config, abs_filename: str, rel_filename: str) -> str:
    """The feature file relative to the features base directory, as the catalogue layout names it; a vendor's own
    feature (``nspcert run --features DIR``) by its folder's name and its path in it."""
    path = Path(abs_filename)
    base = features_dir(config)
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else Path(rel_filename).as_posix()


_ORDER_KEY = pytest.StashKey[int]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Remember the collection order (the same in every xdist worker): it orders outline examples."""
    for index, item in enumerate(session.items):
        item.stash[_ORDER_KEY] = index


def _state(item: pytest.Item) -> ScenarioState | None:
    if run_context(item) is None:
        return None
    state = item.stash.get(STATE_KEY, None)
    if state is None:
        state = item.stash[STATE_KEY] = ScenarioState(record=_new_record(item))
        state.record.order = item.stash.get(_ORDER_KEY, 0)
    return state


def _request_item(request: pytest.FixtureRequest) -> pytest.Item | None:
    node = request.node
    return node if isinstance(node, pytest.Item) else None


def _on_state(request: pytest.FixtureRequest, action: Callable[[ScenarioState], None]) -> None:
    item = _request_item(request)
    state = _state(item) if item is not None else None
    if state is not None:
        action(state)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    def refresh_steps(state: ScenarioState) -> None:
        if len(state.record.steps) != len(scenario.steps):
            state.record.steps = _steps_of(scenario)
    _on_state(request, refresh_steps)


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                           step_func: Any) -> None:
    def start(state: ScenarioState) -> None:
        index = next((s.index for s in state.record.steps if s.status == "not run"), len(state.record.steps) - 1)
        state.current_step = state.last_step = index
        state.record.steps[index].started = time.time()
    _on_state(request, start)


def _stop_step(request: pytest.FixtureRequest, status: str) -> None:
    def stop(state: ScenarioState) -> None:
        index = state.step_index
        if state.record.steps:
            step = state.record.steps[index]
            step.status = status
            if step.started is not None:
                step.duration_s = round(time.time() - step.started, 6)
        state.current_step = None
    _on_state(request, stop)


def pytest_bdd_after_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any,
                          step_func_args: Any) -> None:
    _stop_step(request, "passed")


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func: Any,
                          step_func_args: Any, exception: Exception) -> None:
    if isinstance(exception, NonConformance):
        fill_requirement(exception, _scenario_requirements(scenario))
    _stop_step(request, "failed")


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                                      exception: Exception) -> None:
    def undefined(state: ScenarioState) -> None:
        index = next((s.index for s in state.record.steps if s.status == "not run"), None)
        if index is not None:
            state.record.steps[index].status = "undefined"
            state.last_step = index
    _on_state(request, undefined)


def _scenario_requirements(scenario: Any) -> list[str]:
    tags = set(scenario.tags) | set(scenario.feature.tags)
    return sorted(t[len("req:"):] for t in tags if t.startswith("req:"))


def fill_requirement(exc: NonConformance, requirements: list[str]) -> None:
    """A NonConformance without a requirement names the scenario's requirement(s)."""
    if not exc.requirement and requirements:
        exc.requirement = ", ".join(requirements)
        exc.args = (exc.message,)


# --- outcome per phase -----------------------------------------------------------------------------------------


# trylast: the innermost wrapper, so it judges the report pytest made, and the waiver it may apply (fail →
# skipped) is what allure, pytest-bdd's cucumber.json, junit.xml and the terminal all report
@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    state = _state(item)
    exc = call.excinfo.value if call.excinfo is not None else None
    if state is not None and isinstance(exc, NonConformance):
        fill_requirement(exc, state.record.requirements)
    outcome = yield
    ctx = run_context(item)
    if state is None or ctx is None:
        return
    report: pytest.TestReport = outcome.get_result()
    apply_phase(state.record, report, exc)
    state.waived = state.waived or waive_report(report, state.record, ctx.waivers, ctx.run_date)
    if report.when == "setup":  # the progress on the terminal (under xdist, the controller) names what runs
        report.user_properties.append(("nspcert_feature", str(state.record.feature.get("name", ""))))
        report.user_properties.append(("nspcert_scenario", str(state.record.scenario.get("name", ""))))
    if report.when == "teardown":
        save_record(ctx.run_dir, state.record)
        # junit.xml then carries the verdict (error vs fail vs waived) and the requirements of each test case
        report.user_properties.append(("nspcert_verdict", "waived" if state.waived else state.record.outcome))
        report.user_properties.append(("nspcert_requirements", " ".join(state.record.requirements)))
