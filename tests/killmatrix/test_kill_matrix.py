"""The kill matrix (SPEC §5): the clean reference EOJ passes; every seeded defect is caught by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.killmatrix import ROOT, CatalogueRun, render, run_catalogue, run_matrix, verdicts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def matrix() -> tuple[CatalogueRun, list[CatalogueRun]]:
    clean, runs = run_matrix(workers=2)
    output = ROOT / "reports" / "kill-matrix.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(clean, runs), encoding="utf-8")
    print("\n" + render(clean, runs))
    return clean, runs


def test_the_clean_reference_eoj_passes_every_applicable_scenario(matrix: tuple[CatalogueRun, list[CatalogueRun]]
                                                                  ) -> None:
    clean, _ = matrix
    assert not clean.errors, f"harness errors with the clean reference EOJ: {clean.errors}"
    assert not clean.failed, f"the clean reference EOJ failed: {sorted(clean.failed)}"
    assert len(clean.passed) >= 60


def test_every_seeded_defect_fails_a_scenario_that_names_its_requirement(
        matrix: tuple[CatalogueRun, list[CatalogueRun]]) -> None:
    clean, runs = matrix
    survivors = [run.defect for run in runs if not run.killed]
    assert not survivors, "defects not caught (or caught only by a harness error):\n" + render(clean, runs)


def test_the_matrix_file_lists_every_defect(matrix: tuple[CatalogueRun, list[CatalogueRun]]) -> None:
    text = (ROOT / "reports" / "kill-matrix.md").read_text(encoding="utf-8")
    assert all(f"| {run.defect} |" in text for run in matrix[1])




def test_the_catalogue_gives_the_same_verdicts_in_parallel(matrix: tuple[CatalogueRun, list[CatalogueRun]],
                                                           tmp_path: Path) -> None:
    parallel = run_catalogue("", (), tmp_path, workers=2)
    assert verdicts(parallel) == verdicts(matrix[0])
