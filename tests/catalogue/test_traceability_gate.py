"""The traceability gate on the project's own catalogue (SPEC §6): part of `make test`."""

from __future__ import annotations

from nspcert.catalogue.coverage import REGENERATE, trace
from nspcert.catalogue.features import scenarios as scenarios_in
from nspcert.catalogue.files import features_dir
from nspcert.catalogue.requirements import catalogue


def test_every_tag_names_a_known_requirement_and_every_shall_is_tested_or_explained() -> None:
    problems = trace(catalogue(), scenarios_in(features_dir())).problems()
    assert not problems, "traceability gate:\n  " + "\n  ".join(problems) + f"\n(see the matrix: {REGENERATE})"


def test_every_scenario_carries_its_level_tag() -> None:
    untagged = [record.label for record in scenarios_in(features_dir())
                if not {"sit", "cert", "e2e"} & set(record.tags)]
    assert not untagged, f"scenarios without @sit/@cert/@e2e: {untagged}"


def test_the_level_tag_matches_the_level_of_a_requirement_in_its_folder() -> None:
    folders = {"sit": "sit", "certification": "cert", "e2e": "e2e"}
    wrong = [record.label for record in scenarios_in(features_dir())
             if folders[record.feature_file.split("/")[1]] not in record.tags]
    assert not wrong, f"scenarios whose level tag does not match their folder: {wrong}"


def test_manual_review_reasons_and_tags_agree() -> None:
    """A requirement left (partly) to a reviewer has a @manual-review scenario, and such a scenario's requirements
    say in their reason what the reviewer judges."""
    requirements, records = catalogue(), scenarios_in(features_dir())
    reviewed = {rid for record in records if "manual-review" in record.tags for rid in record.requirement_ids}
    said = {rid for rid, requirement in requirements.items() if "manual review" in requirement.not_tested_reason}
    assert said == reviewed, (f"'manual review' in the reason but no @manual-review scenario: {sorted(said - reviewed)}; "
                              f"@manual-review scenarios whose requirement does not say so: {sorted(reviewed - said)}")
