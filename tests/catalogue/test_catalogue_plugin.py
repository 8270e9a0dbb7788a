"""The catalogue plugin inside a real pytest-bdd run: tags, selection by requirement, attribution."""

from __future__ import annotations

import pytest

FEATURE = """Feature: Opt-out
  @req:FSK-CERT-FGVH-01 @cert
  Scenario: shown
    Given a screen
    Then the symbol is shown

  @req:FSK-CERT-FGVH-02 @cert
  Scenario: not shown
    Given a screen
    Then the symbol is not shown
"""

STEPS = """
from pytest_bdd import given, then, scenarios
from nspcert.checks import require

scenarios("opt-out.feature")

@given("a screen", target_fixture="screen")
def _():
    return {"symbol": False}

@then("the symbol is shown")
def _(screen):
    require(screen["symbol"], check="FGVH symbol", expected="shown", received="not shown")

@then("the symbol is not shown")
def _(screen):
    require(not screen["symbol"], check="FGVH symbol", expected="not shown", received="shown")
"""


@pytest.fixture
def catalogue_run(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".feature", **{"opt-out": FEATURE})
    pytester.makepyfile(test_steps=STEPS)
    pytester.makeini("[pytest]\naddopts = -p nspcert.catalogue.plugin -p nspcert.pytest_plugin\nmarkers =\n    cert: certification\n    requirement(id): traced requirement\n")
    return pytester


def test_a_failure_names_the_scenarios_requirement(catalogue_run: pytest.Pytester) -> None:
    result = catalogue_run.runpytest("--strict-markers", "-p", "no:xdist")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FGVH symbol: expected shown, but received not shown*",
                                 "*requirement: FSK-CERT-FGVH-01*"])


def test_requirement_selection_keeps_only_traced_scenarios(catalogue_run: pytest.Pytester) -> None:
    result = catalogue_run.runpytest("--requirement", "FSK-CERT-FGVH-02", "-p", "no:xdist")
    result.assert_outcomes(passed=1, deselected=1)


def test_requirement_selection_by_prefix(catalogue_run: pytest.Pytester) -> None:
    result = catalogue_run.runpytest("--requirement", "FSK-CERT-FGVH-*", "-p", "no:xdist")
    result.assert_outcomes(passed=1, failed=1)
