"""The pytest-bdd tag hook: Gherkin tags become pytest markers (and Allure links for requirements).

`@req:FSK-CERT-FGVH-01` → ``pytest.mark.requirement("FSK-CERT-FGVH-01")`` (+ an Allure link of type
"requirement"); `@capability:minlog` → ``pytest.mark.capability("minlog")``; other tags fall through to
pytest-bdd's default (``pytest.mark.<tag>``, which `--strict-markers` checks against pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import allure
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> bool | None:
    if tag.startswith("req:"):
        requirement_id = tag.removeprefix("req:")
        pytest.mark.requirement(requirement_id)(function)
        allure.link(requirement_id, link_type="requirement", name=requirement_id)(function)  # type: ignore[no-untyped-call]
        return True
    if tag.startswith("capability:"):
        pytest.mark.capability(tag.removeprefix("capability:"))(function)
        return True
    return None
