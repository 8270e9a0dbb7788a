"""pytest hooks of the catalogue: tags → markers, and selection by requirement.

`--requirement ID` (repeatable, or comma-separated; a trailing `*` matches a prefix) keeps only the
scenarios that trace to those requirements — the kill matrix and a vendor re-running one area use it.
(Naming the requirement in a failure message is the results collector's job: nspcert.results.collect.collector.)
"""

from __future__ import annotations

import pytest

from nspcert.catalogue.tags import pytest_bdd_apply_tag

__all__ = ["pytest_addoption", "pytest_bdd_apply_tag", "pytest_collection_modifyitems"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nspcert-catalogue")
    group.addoption("--requirement", action="append", default=[], dest="nspcert_requirement_ids", metavar="ID",
                    help="run only scenarios tracing to this requirement id (repeatable; PREFIX* allowed)")


def requirement_ids(item: pytest.Item) -> list[str]:
    return [str(mark.args[0]) for mark in item.iter_markers("requirement")]


def _selected(ids: list[str], wanted: list[str]) -> bool:
    return any(rid == want or (want.endswith("*") and rid.startswith(want[:-1])) for rid in ids for want in wanted)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = [part.strip() for value in config.getoption("nspcert_requirement_ids") for part in value.split(",")]
    wanted = [want for want in wanted if want]
    if not wanted:
        return
    keep = [item for item in items if _selected(requirement_ids(item), wanted)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep
