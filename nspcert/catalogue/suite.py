"""The pytest plugin of a catalogue run: the catalogue's fixtures and step libraries, per-scenario isolation.

``nspcert run`` loads it through the catalogue's own ``pytest.ini`` (``-p nspcert.catalogue.suite``); nothing
loads it into any other pytest session, so installing nspcert changes no vendor's own tests.

Before each scenario: the mock NSP and the SUT forget everything, the journal gets a mark, and a
scenario whose requirement needs a capability the SUT does not claim is *not applicable*. After it,
the exchanges recorded during the scenario are handed to the evidence collector.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nspcert.arrange.people import People
from nspcert.catalogue.naming import feature_name, label, scenario_name
from nspcert.catalogue.requirements import catalogue
from nspcert.driver.contract import Capabilities, SutDriver, narrated
from nspcert.nsp.admin import MockNspAdmin
from nspcert.nsp.journal import Exchanges
from nspcert.results import record_exchanges, record_file, record_test_cprs
from nspcert.results.collect.progress import PROGRESS_KEY

pytest_plugins = [
    "nspcert.pytest_plugin",
    "nspcert.catalogue.plugin",
    "nspcert.catalogue.fixtures.settings",
    "nspcert.catalogue.fixtures.nsp",
    "nspcert.catalogue.fixtures.sut",
    "nspcert.catalogue.fixtures.people",
    "nspcert.catalogue.fixtures.manual_tester",
    "nspcert.catalogue.steps.identity_steps",
    "nspcert.catalogue.steps.stamkort_steps",
    "nspcert.catalogue.steps.fgvh_steps",
    "nspcert.catalogue.steps.faults_steps",
    "nspcert.catalogue.steps.skr_steps",
    "nspcert.catalogue.steps.minlog_steps",
    "nspcert.catalogue.steps.masking_steps",
    "nspcert.catalogue.steps.clock_steps",
]


def required_capabilities(item: pytest.Item) -> set[str]:
    ids = [mark.args[0] for mark in item.iter_markers("requirement")]
    from_catalogue = {catalogue()[rid].capability for rid in ids if rid in catalogue()}
    from_tags = {mark.args[0] for mark in item.iter_markers("capability")}
    return (from_catalogue | from_tags) - {""}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow scenarios first: in a parallel run (-n 2) the other worker works through the rest beside them
    instead of both waiting for one at the end. A stable sort, the same on every worker; verdicts do not
    depend on order (each scenario starts from a reset platform and SUT)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def applicable(request: pytest.FixtureRequest, sut_capabilities: Capabilities) -> None:
    claimed = set(sut_capabilities.capabilities)
    missing = sorted(required_capabilities(request.node) - claimed)
    if missing:
        pytest.skip(f"not applicable: the SUT does not claim capability {', '.join(missing)}")


@pytest.fixture
def evidence_services() -> set[str]:
    """The platform services whose exchanges are the scenario's evidence; empty means every exchange.

    A step that sets up in bulk (a MinLog backlog of 501 FSK reads) narrows it to what the requirement is
    about, so the evidence shows the MinLog requests instead of burying them under a thousand set-up reads.
    """
    return set()


def scenario_exchanges(nsp: MockNspAdmin, mark: str, services: set[str]) -> list[dict[str, Any]]:
    if not services:
        return nsp.journal(mark=mark)
    found = [entry for service in sorted(services) for entry in nsp.journal(mark=mark, service=service)]
    return sorted(found, key=lambda entry: int(entry.get("id", 0)))


@pytest.fixture(autouse=True)
def platform(applicable: None, nsp: MockNspAdmin, driver: SutDriver, people: People, evidence_services: set[str],
             request: pytest.FixtureRequest) -> Iterator[MockNspAdmin]:
    """A clean platform and SUT for every scenario; the scenario's exchanges recorded as evidence."""
    manual = narrated(driver)
    if manual is not None:  # a tester's answers before the first step belong to this scenario, not the last one
        manual.begin(_heading(request))
        manual.step(label(scenario_name(request.node), "before the steps (reset)"))
    nsp.reset()
    driver.reset()
    mark = request.node.nodeid
    nsp.mark(mark)
    answered = manual.answered() if manual is not None else 0
    yield nsp
    try:
        nsp.settle(mark)  # an answer held back past the SUT's timeout is journaled in this scenario, not the next
    finally:
        record_exchanges(request.node, scenario_exchanges(nsp, mark, evidence_services))
        record_test_cprs(request.node, people.made)
        if manual is not None:
            for path, caption in manual.attachments(answered):  # a tester's screenshots: evidence files
                record_file(request.node, path, caption)
            manual.step(label(scenario_name(request.node), "after the steps"))


@pytest.fixture
def calls(nsp: MockNspAdmin, request: pytest.FixtureRequest) -> Exchanges:
    """Everything the SUT sent to the platform in this scenario so far (read when a Then step asks)."""
    return Exchanges(nsp.journal(mark=request.node.nodeid))


def _heading(request: pytest.FixtureRequest) -> str:
    """'Scenario 3 of 6 · The employee sees … › A registered opt-out is shown …' for the tester."""
    feature, scenario = feature_name(request.node), scenario_name(request.node)
    progress = request.config.stash.get(PROGRESS_KEY, None)
    if progress is None:
        return f"── Scenario · {feature} › {scenario}"
    with progress.lock:  # the browser page shows it from now on (not only once the setup has finished)
        progress.feature, progress.scenario = feature, scenario
    count = f" {progress.done + 1} of {progress.total}" if progress.total else ""
    return f"── Scenario{count} · {feature} › {scenario}"
