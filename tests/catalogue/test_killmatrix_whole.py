"""The whole-catalogue check of the defect documentation: which requirements a defect's failing scenarios name."""

from __future__ import annotations

from tools.killmatrix import CatalogueRun, failing_requirements, whole_catalogue_differences

MESSAGE = "{check}: expected 1 entry, but received 2 entries\n  where: MinLog2\n  requirement: {ids} (F2)\n"


def _run(**failed: str) -> CatalogueRun:
    return CatalogueRun("minlog-every-lookup", (), failed={name: MESSAGE.format(check="c", ids=ids)
                                                          for name, ids in failed.items()})


def test_the_requirements_named_by_failures_are_collected_and_a_failure_naming_none_is_left_out() -> None:
    run = _run(one_a_day="FSK-SIT-LOG-02", both="FSK-CERT-FGVH-04, FSK-SIT-ERR-04")
    run.failed["set_up"] = "httpx.ReadError: the connection to the SUT broke"
    assert failing_requirements(run) == {"FSK-SIT-LOG-02", "FSK-CERT-FGVH-04", "FSK-SIT-ERR-04"}


def test_a_defect_whose_runs_fail_other_requirements_than_documented_is_reported() -> None:
    documented = _run(one_a_day="FSK-SIT-LOG-02", midnight="FSK-SIT-LOG-03")
    assert whole_catalogue_differences("minlog-every-lookup", documented) == []
    undocumented = _run(one_a_day="FSK-SIT-LOG-02", midnight="FSK-SIT-LOG-03", batches="FSK-SIT-LOG-05")
    assert whole_catalogue_differences("minlog-every-lookup", undocumented) == [
        "minlog-every-lookup: fails FSK-SIT-LOG-05, not documented"]
    assert whole_catalogue_differences("minlog-every-lookup", _run(one_a_day="FSK-SIT-LOG-02")) == [
        "minlog-every-lookup: documents FSK-SIT-LOG-03, but no scenario of it failed"]
