"""The requirements catalogue and the Gherkin features: loaded, validated and traced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nspcert.catalogue.coverage import main as coverage_main
from nspcert.catalogue.coverage import trace
from nspcert.catalogue.features import scenarios
from nspcert.catalogue.files import features_dir
from nspcert.catalogue.requirements import CatalogueError, catalogue, load_requirements

#: titles that are the same words in Danish and English
DANISH_AS_ENGLISH: frozenset[str] = frozenset()
HEADER = "id,level,area,title,text,source,conformance,severity,capability,not_tested_reason,title_da,text_da\n"


def write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "requirements.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def feature(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "features"
    (root / "sit").mkdir(parents=True, exist_ok=True)
    (root / "sit" / "example.feature").write_text(text, encoding="utf-8")
    return root


def test_the_project_catalogue_loads_and_every_feature_tag_is_known() -> None:
    requirements = catalogue()
    assert len(requirements) >= 50
    result = trace(requirements, scenarios(features_dir()))
    assert result.unknown == []


@pytest.mark.parametrize(("row", "complaint"), [
    ("FSK-XYZ-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\n", "does not match"),
    ("FSK-SIT-QRY-01,CERT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\n", "level"),
    ("FSK-SIT-QRY-01,SIT,QRY,t,x,s,MUST,F1,,,t_da,x_da\n", "conformance"),
    ("FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F9,,,t_da,x_da\n", "severity"),
    ("FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,teleport,,t_da,x_da\n", "capability"),
])
def test_a_malformed_row_is_refused_with_its_line(tmp_path: Path, row: str, complaint: str) -> None:
    with pytest.raises(CatalogueError, match=rf"requirements.csv:2: .*{complaint}"):
        load_requirements(write(tmp_path, row))


def test_a_row_without_its_danish_title_and_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"requirements.csv:2: title_da and text_da are required"):
        load_requirements(write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,,\n"))
    with pytest.raises(CatalogueError, match=r"requirements.csv:2: title_da and text_da are required"):
        load_requirements(write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,\n"))  # a row from before


def test_every_catalogue_requirement_is_worded_in_danish_and_english() -> None:
    for requirement in catalogue().values():
        assert requirement.title_da and requirement.text_da, requirement.id
        assert requirement.title_da != requirement.title or requirement.id in DANISH_AS_ENGLISH, requirement.id


def test_a_duplicate_id_is_refused(tmp_path: Path) -> None:
    row = "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\n"
    with pytest.raises(CatalogueError, match="duplicate"):
        load_requirements(write(tmp_path, row * 2))


GHERKIN = """@sit
Feature: Example
  @req:FSK-SIT-QRY-01
  Scenario: traced
    Given something

  Rule: inherited
    @req:FSK-SIT-QRY-99
    Scenario: unknown id
      Given something

  Scenario: untagged
    Given something
"""


def test_the_gate_names_unknown_ids_untagged_scenarios_and_untested_shall(tmp_path: Path) -> None:
    csv_path = write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\nFSK-SIT-QRY-02,SIT,QRY,t2,x,s,SHALL,F1,,,t_da,x_da\n"
                               "FSK-SIT-QRY-03,SIT,QRY,t3,x,s,SHALL,F1,,manual only,t_da,x_da\n")
    result = trace(load_requirements(csv_path), scenarios(feature(tmp_path, GHERKIN)))
    problems = "\n".join(result.problems())
    assert "unknown requirement id 'FSK-SIT-QRY-99'" in problems
    assert "untagged" in problems and "no @req: tag" not in problems
    assert "FSK-SIT-QRY-02 (t2): SHALL requirement with no scenario" in problems
    assert "FSK-SIT-QRY-03" not in problems
    assert [record.name for record in result.matrix["FSK-SIT-QRY-01"]] == ["traced"]


def test_coverage_command_writes_the_matrix_and_fails_on_a_gap(tmp_path: Path) -> None:
    csv_path = write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\nFSK-SIT-QRY-02,SIT,QRY,t2,x,s,SHALL,F1,,,t_da,x_da\n")
    root = feature(tmp_path, GHERKIN.split("  Rule:")[0])
    output = tmp_path / "matrix.csv"
    status = coverage_main(["--features", str(root), "--requirements", str(csv_path), "--run-dir", str(tmp_path),
                            "--output", str(output)])
    assert status == 1
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("FSK-SIT-QRY-01,SIT,SHALL,F1,t,features/sit/example.feature:4 traced,not run")
    assert lines[2].startswith("FSK-SIT-QRY-02,SIT,SHALL,F1,t2,,not tested")


OUTLINE = """@sit
Feature: Example
  @req:FSK-SIT-QRY-01
  Scenario Outline: <item> is saved
    Given <item>

    Examples:
      | item     |
      | language |
      | dentist  |
"""


def test_the_matrix_takes_the_worst_verdict_of_an_outlines_examples(tmp_path: Path) -> None:
    csv_path = write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F1,,,t_da,x_da\n")
    root = feature(tmp_path, OUTLINE)
    run = tmp_path / "run"
    run.mkdir()
    (run / "summary.json").write_text(json.dumps({"scenarios": [
        {"feature_file": "sit/example.feature", "name": "language is saved", "verdict": "pass"},
        {"feature_file": "sit/example.feature", "name": "dentist is saved", "verdict": "fail"}]}), encoding="utf-8")
    output = tmp_path / "matrix.csv"
    coverage_main(["--features", str(root), "--requirements", str(csv_path), "--run-dir", str(run),
                   "--output", str(output)])
    assert output.read_text(encoding="utf-8").splitlines()[1].endswith(",fail,")


def test_a_report_of_a_run_whose_catalogue_is_broken_is_an_error_not_a_thinner_report(tmp_path: Path) -> None:
    from nspcert.results.model.run import load_run

    (tmp_path / "results").mkdir()
    write(tmp_path, "FSK-SIT-QRY-01,SIT,QRY,t,x,s,SHALL,F9,,,t,x\n")  # the run directory's copy
    with pytest.raises(CatalogueError, match="severity 'F9'"):
        load_run(tmp_path)

