"""How a manual tester and the evidence name the moment of a scenario: its Gherkin name and what happens."""

from __future__ import annotations

from typing import Any

import pytest


def label(scenario_name: str, what: str) -> str:
    """'The citizen's record is opened: When the nurse opens the citizen's record'."""
    return f"{scenario_name}: {what}"


def scenario_name(item: pytest.Item) -> str:
    """The Gherkin scenario's name (the test function's name when the item is not a pytest-bdd scenario)."""
    template = _template(item)
    return str(template.name) if template is not None else item.name


def feature_name(item: pytest.Item) -> str:
    """The Gherkin feature's name (the test module's name when the item is not a pytest-bdd scenario)."""
    template = _template(item)
    return str(template.feature.name) if template is not None else item.nodeid.split("::")[0]


def _template(item: pytest.Item) -> Any:
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function is not None else None
