"""The allowed-variants matrix: the whole catalogue passes with every variant a correct system may choose."""

from __future__ import annotations

import pytest

from tools.variantsmatrix import ROOT, BatchRun, batches, catalogue, render, run_matrix


@pytest.fixture(scope="module")
def matrix() -> list[BatchRun]:
    results = run_matrix(workers=2)
    output = ROOT / "reports" / "variants-matrix.md"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(results), encoding="utf-8")
    print("\n" + render(results))
    return results


@pytest.mark.slow
def test_every_variant_passes_the_whole_catalogue(matrix: list[BatchRun]) -> None:
    refused = [result for result in matrix if not result.passed]
    assert not refused, "the harness refuses what the standards allow:\n" + render(matrix)
    assert all(len(result.run.passed) >= 100 for result in matrix), "a variant run ran too little of the catalogue"


@pytest.mark.slow
def test_every_variant_ran_and_the_matrix_file_lists_it(matrix: list[BatchRun]) -> None:
    ran = [name for result in matrix for name in result.variants]
    assert sorted(ran) == sorted(catalogue())
    text = (ROOT / "reports" / "variants-matrix.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in text for name in ran)


def test_batches_never_put_two_choices_of_one_axis_together() -> None:
    axes = {"a": ("x",), "b": ("x", "y"), "c": ("y",), "d": (), "e": ("z",)}
    runs = batches(axes)
    assert sorted(name for run in runs for name in run) == sorted(axes)
    for run in runs:
        used = [axis for name in run for axis in axes[name]]
        assert len(used) == len(set(used)), run
    assert len(runs) == 2  # "b" is on both busy axes: a and c run beside each other, b alone with the rest


def test_the_real_variants_need_as_few_runs_as_their_busiest_axis() -> None:
    axes = catalogue()
    busiest = max([sum(axis in own for own in axes.values()) for own in axes.values() for axis in own] or [1])
    assert len(batches(axes)) <= busiest + 1
