"""What the report collector reads of pytest-bdd beyond its documented hooks, pinned: a pytest-bdd upgrade that
moves any of it fails here by name, instead of quietly thinning the report (nspcert.results.collect.collector)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

FEATURE = """Feature: Pinned
  Scenario Outline: An outline
    Given a number <n>

    Examples:
      | n |
      | 1 |
      | 2 |
"""

TESTS = """
from pytest_bdd import given, parsers, scenarios

scenarios("pinned.feature")

@given(parsers.parse("a number {n}"))
def number(n):
    pass
"""

CONFTEST = """
import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry
from nspcert.results.collect import collector

SEEN = []

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    template = scenario_wrapper_template_registry.get(item.obj)
    scenario = template.render(collector._example(item)[0])
    SEEN.append((scenario.name, [s.name for s in scenario.steps], collector._example(item)))

def pytest_sessionfinish(session):
    print("SEEN", SEEN)
"""


def test_the_scenario_of_an_item_and_its_example_row_are_where_the_collector_reads_them(
        pytester: pytest.Pytester) -> None:
    pytester.makefile(".feature", pinned=FEATURE)
    pytester.makepyfile(test_pinned=TESTS)
    pytester.makeconftest(CONFTEST)
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    seen = ("SEEN [('An outline', ['a number 1'], ({'n': '1'}, 0)), "
            "('An outline', ['a number 2'], ({'n': '2'}, 1))]")
    assert seen in result.stdout.str()

